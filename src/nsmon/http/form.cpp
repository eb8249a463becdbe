#include <cctype>

#include "nsmon/http/client.hpp"
#include "nsmon/text/percent.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::http {

std::string form_encode(const Headers& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += text::percent_encode(k) + "=" + text::percent_encode(v);
  }
  return out;
}

std::pair<std::string, std::string> parse_header(std::string_view kv) {
  auto colon = kv.find(':');
  std::string_view name = colon == std::string_view::npos ? std::string_view{} : util::trim(kv.substr(0, colon));
  auto token = [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  };
  bool ok = !name.empty();
  for (unsigned char c : name) ok = ok && token(c);
  std::string_view value = ok ? util::trim(kv.substr(colon + 1)) : std::string_view{};
  for (unsigned char c : value) ok = ok && c != '\r' && c != '\n' && c != 0;
  // The message shows the name only: the value may be a secret.
  if (!ok)
    throw UsageError(colon == std::string_view::npos
                         ? std::string("invalid header: expected 'Name: value', found no ':'")
                         : "invalid header '" + std::string(kv.substr(0, colon)) +
                               ": ...': expected 'Name: value' (a token name, a value without line breaks)");
  return {std::string(name), std::string(value)};
}

Response FormSender::send(Request base, const Headers& params) {
  base.idempotent = true;
  std::string form = form_encode(params);
  if (!use_get_) {
    Request post = base;
    post.method = "POST";
    post.body = form;
    post.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    Response r = client_->send(post);
    if (r.status != 405 && r.status != 501) return r;
    // The server (or a proxy in front of it) takes no POST: GET from now on.
    use_get_ = true;
  }
  base.method = "GET";
  base.body.clear();
  if (!form.empty()) base.url += (base.url.find('?') == std::string::npos ? "?" : "&") + form;
  return client_->send(base);
}

} // namespace nsmon::http
