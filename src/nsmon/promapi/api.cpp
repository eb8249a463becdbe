#include "nsmon/promapi/api.hpp"

#include <cstdio>

#include "nsmon/promapi/time.hpp"
#include "nsmon/text/percent.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::promapi {

namespace {

void add_range(Params& p, std::optional<double> start, std::optional<double> end) {
  if (start) p.emplace_back("start", format_time(*start));
  if (end) p.emplace_back("end", format_time(*end));
}

Params matches(const std::vector<std::string>& matchers) {
  Params p;
  for (const auto& m : matchers) p.emplace_back("match[]", m);
  return p;
}

// The first bytes of a body that is not JSON, printable on one line ("<!DOCTYPE html>...").
std::string excerpt(std::string_view head) {
  std::string out;
  for (char c : head.substr(0, 80)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
  return "\"" + std::string(util::trim(out)) + (head.size() > 80 ? "…" : "") + "\"";
}

} // namespace

Call instant_query(const std::string& expr, std::optional<double> time) {
  Call c{"query", {{"query", expr}}, true};
  if (time) c.params.emplace_back("time", format_time(*time));
  return c;
}

Call range_query(const std::string& expr, double start, double end, double step) {
  return {
      "query_range",
      {{"query", expr}, {"start", format_time(start)}, {"end", format_time(end)}, {"step", util::format_number(step)}},
      true};
}

Call series(const std::vector<std::string>& matchers, std::optional<double> start, std::optional<double> end) {
  Call c{"series", matches(matchers), true};
  add_range(c.params, start, end);
  return c;
}

Call labels(const std::vector<std::string>& matchers, std::optional<double> start, std::optional<double> end) {
  Call c{"labels", matches(matchers), true};
  add_range(c.params, start, end);
  return c;
}

Call label_values(const std::string& name, const std::vector<std::string>& matchers, std::optional<double> start,
                  std::optional<double> end) {
  Call c{"label/" + text::percent_encode(name) + "/values", matches(matchers), false};
  add_range(c.params, start, end);
  return c;
}

Call targets(const std::string& state) {
  Call c{"targets", {}, false};
  if (!state.empty()) c.params.emplace_back("state", state);
  return c;
}

Call rules(const std::string& type) {
  Call c{"rules", {}, false};
  if (!type.empty()) c.params.emplace_back("type", type);
  return c;
}

Call alerts() { return {"alerts", {}, false}; }

Call metadata(const std::string& metric) {
  Call c{"metadata", {}, false};
  if (!metric.empty()) c.params.emplace_back("metric", metric);
  return c;
}

Call buildinfo() { return {"status/buildinfo", {}, false}; }

std::string api_url(const std::string& server, const std::string& path) {
  std::string base = server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v1/" + path;
}

bool valid_server_url(const std::string& server) {
  std::string_view s = server;
  std::size_t scheme = util::starts_with(s, "http://") ? 7 : util::starts_with(s, "https://") ? 8 : 0;
  if (scheme == 0 || s.size() == scheme || s[scheme] == '/') return false;
  return s.find_first_of("?# \t\r\n") == std::string_view::npos;
}

Answer perform(http::FormSender& sender, http::Client& client, const std::string& server, const Call& call,
               http::Request base, const ReaderOptions& opts) {
  const std::string what = "the answer to /api/v1/" + call.path;
  ReplyReader reader(opts);
  std::string head; // the first bytes, to show when the body is not JSON
  std::optional<std::string> broken;
  base.url = api_url(server, call.path);
  base.on_body = [&](std::string_view b) {
    if (head.size() < 256) head.append(b.substr(0, 256 - head.size()));
    try {
      reader.feed(b);
      return true;
    } catch (const DecodeError& e) {
      broken = e.what();
      return false;
    }
  };
  http::Response resp;
  try {
    if (call.form) {
      resp = sender.send(base, call.params);
    } else {
      if (!call.params.empty()) base.url += "?" + http::form_encode(call.params);
      resp = client.send(base);
    }
  } catch (const http::TransportError& e) {
    if (e.failure == http::Failure::aborted && broken) {
      std::size_t first = head.find_first_not_of(" \t\r\n");
      if (first != std::string::npos && (head[first] == '{' || head[first] == '['))
        throw BadAnswer(what + " is not a valid API answer: " + *broken);
      throw BadAnswer(what + " is not JSON: " + excerpt(head));
    }
    throw;
  }
  std::string status = "HTTP " + http::status_text(resp.status);
  if (!resp.content_type.empty()) status += " (" + resp.content_type + ")";
  if (resp.status < 200 || resp.status > 299) {
    // Prometheus explains its errors in an API answer; anything else is shown as it came.
    ReplyReader error_reader({});
    try {
      error_reader.feed(resp.body);
      error_reader.finish();
    } catch (const DecodeError&) {
      // A proxy or gateway in front of the API refuses in its own words: say what it wants.
      const std::string wants = resp.status == 401 || resp.status == 403
                                    ? "; it wants credentials, or a tenant ID on a multi-tenant server"
                                    : "";
      if (util::trim(resp.body).empty()) throw BadAnswer(what + " is " + status + " with an empty body" + wants);
      throw BadAnswer(what + " is " + status + " with a body that is not an API answer: " + excerpt(resp.body) + wants);
    }
    return {resp.status, error_reader.reply(), resp.body.size()};
  }
  if (head.empty()) throw BadAnswer(what + " is " + status + " with an empty body");
  try {
    reader.finish();
  } catch (const DecodeError& e) {
    throw BadAnswer(what + " (" + status + ") was cut short or is not an API answer: " + e.what());
  }
  return {resp.status, reader.reply(), reader.bytes()};
}

} // namespace nsmon::promapi
