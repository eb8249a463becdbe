// A dispatch outcome for scripts (JSON) and for people (lines of text): one rendering each, shared
// by `routes test --alerts` and `test-rules`.
#include <nlohmann/json.hpp>

#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/text/time.hpp"

namespace nsmon::alertmanager {

namespace {

using json = nlohmann::json;

std::string where(const core::Span& s) {
  const std::string& file = s.file;
  return file.empty() ? std::string("(default)") : file + ":" + std::to_string(s.line);
}

std::string labels_text(const labels::Labels& ls) {
  std::string out = "{";
  for (std::size_t i = 0; i < ls.size(); ++i) out += (i ? ", " : "") + ls[i].first + "=\"" + ls[i].second + "\"";
  return out + "}";
}

std::string route_text(const RouteMatch& m) {
  std::string matchers;
  for (const auto& x : m.route->match_all) matchers += (matchers.empty() ? "" : ", ") + to_string(x);
  return "route " + where(m.route->span) + (matchers.empty() ? std::string(" (root)") : " {" + matchers + "}");
}

json route_json(const RouteMatch& m) {
  json matchers = json::array();
  for (const auto& x : m.route->match_all) matchers.push_back(to_string(x));
  json path = json::array();
  for (std::size_t i : m.path) path.push_back(i);
  const std::string& file = m.route->span.file;
  return json{{"file", file}, {"line", m.route->span.line}, {"matchers", matchers}, {"path", path}};
}

json mute_json(const std::optional<Mute>& m) {
  if (!m) return nullptr;
  return json{{"interval", m->interval}, {"active_time_intervals", m->active_intervals}};
}

std::string mute_text(const Mute& m) {
  return m.active_intervals ? "muted: outside its active_time_intervals " + m.interval
                            : "muted: in its mute_time_intervals " + m.interval;
}

json index_list(const std::vector<std::size_t>& v) {
  json out = json::array();
  for (std::size_t i : v) out.push_back(i);
  return out;
}

// A multi-line value indented under its field's name.
void add_value(std::vector<std::string>& out, const std::string& indent, const std::string& value) {
  std::size_t at = 0;
  while (at <= value.size()) {
    std::size_t nl = value.find('\n', at);
    if (nl == std::string::npos) nl = value.size();
    out.push_back(indent + value.substr(at, nl - at));
    at = nl + 1;
  }
}

} // namespace

nlohmann::json outcome_json(const Outcome& outcome, const std::vector<Alert>& alerts) {
  json as = json::array();
  for (std::size_t i = 0; i < outcome.alerts.size(); ++i) {
    const AlertOutcome& a = outcome.alerts[i];
    json routes = json::array();
    for (const AlertRoute& r : a.routes)
      routes.push_back(
          json{{"receiver", r.match.receiver}, {"route", route_json(r.match)}, {"muted", mute_json(r.muted)}});
    json inhibited = json::array();
    for (const Inhibition& in : a.inhibited) {
      const std::string& file = in.span.file;
      inhibited.push_back(
          json{{"rule", in.rule}, {"file", file}, {"line", in.span.line}, {"sources", index_list(in.sources)}});
    }
    json labels = json::object();
    for (const auto& [k, v] : alerts[i].labels) labels[k] = v;
    as.push_back(json{{"index", i},
                      {"labels", labels},
                      {"status", a.firing ? "firing" : "resolved"},
                      {"fingerprint", a.fingerprint},
                      {"routes", routes},
                      {"inhibited_by", inhibited}});
  }
  json gs = json::array();
  for (const Group& g : outcome.groups) {
    json gl = json::object();
    for (const auto& [k, v] : g.group_labels) gl[k] = v;
    json notes = json::array();
    for (const Notification& n : g.notifications) {
      json fields = json::object();
      for (const Field& f : n.fields) {
        json v = f.error ? json{{"error", *f.error}} : json{{"text", f.text}};
        // Where the field's template is written; a default has no place in the file.
        if (const std::string& file = f.span.file; !file.empty()) {
          v["file"] = file;
          v["line"] = f.span.line;
        }
        fields[f.name] = std::move(v);
      }
      notes.push_back(json{{"integration", n.integration},
                           {"index", n.index},
                           {"send_resolved", n.send_resolved},
                           {"alerts", index_list(n.alerts)},
                           {"fields", fields}});
    }
    gs.push_back(json{{"receiver", g.route.receiver},
                      {"route", route_json(g.route)},
                      {"group_key", g.group_key},
                      {"group_labels", gl},
                      {"alerts", index_list(g.alerts)},
                      {"muted", mute_json(g.muted)},
                      {"notifications", notes}});
  }
  return json{{"time", text::format_rfc3339_ms(outcome.now_ms)}, {"alerts", as}, {"groups", gs}};
}

std::vector<std::string> outcome_text(const Outcome& outcome, const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  out.push_back("at " + text::format_rfc3339_ms(outcome.now_ms) + ":");
  for (std::size_t i = 0; i < outcome.alerts.size(); ++i) {
    const AlertOutcome& a = outcome.alerts[i];
    out.push_back("alert " + std::to_string(i) + " " + labels_text(alerts[i].labels) +
                  (a.firing ? " firing" : " resolved"));
    for (const AlertRoute& r : a.routes)
      out.push_back("  -> " + r.match.receiver + " via " + route_text(r.match) +
                    (r.muted ? " (" + mute_text(*r.muted) + ")" : ""));
    for (const Inhibition& in : a.inhibited) {
      std::string sources;
      for (std::size_t s : in.sources) sources += (sources.empty() ? "" : ", ") + std::to_string(s);
      out.push_back("  inhibited by the inhibit rule at " + where(in.span) + " (source alert " + sources + ")");
    }
  }
  for (const Group& g : outcome.groups) {
    std::string members;
    for (std::size_t i : g.alerts) members += (members.empty() ? "" : ", ") + std::to_string(i);
    out.push_back("group " + g.group_key + " -> " + g.route.receiver + ": alerts " + members);
    if (g.muted) out.push_back("  " + mute_text(*g.muted) + ": nothing is sent");
    else if (g.notifications.empty()) out.push_back("  nothing is sent (every alert inhibited or resolved)");
    for (const Notification& n : g.notifications) {
      std::string sent;
      for (std::size_t i : n.alerts) sent += (sent.empty() ? "" : ", ") + std::to_string(i);
      out.push_back("  " + n.integration + "[" + std::to_string(n.index) + "]: alerts " + sent);
      for (const Field& f : n.fields) {
        if (f.error) {
          out.push_back("    " + f.name + ": error: " + *f.error);
          continue;
        }
        std::string value = f.text;
        if (!value.empty() && value.back() == '\n') value.pop_back();
        // Empty fields send nothing; an email's HTML is a page (--format json has it whole).
        if (value.empty()) continue;
        if (n.integration == "email" && f.name == "html")
          out.push_back("    html: " + std::to_string(f.text.size()) + " bytes of HTML (--format json shows them)");
        else if (value.find('\n') == std::string::npos) out.push_back("    " + f.name + ": " + value);
        else {
          out.push_back("    " + f.name + ":");
          add_value(out, "      ", value);
        }
      }
    }
  }
  return out;
}

} // namespace nsmon::alertmanager
