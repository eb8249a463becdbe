#include "nsmon/http/redact.hpp"

#include <algorithm>
#include <cctype>

#include "nsmon/http/client.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::http {

namespace detail {

std::string mask_header_line(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos || !util::is_secret_name(line.substr(0, colon))) return std::string(line);
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  std::string out(line.substr(0, colon));
  out += ": ";
  // Keep the scheme word (Bearer, Basic) of an Authorization value: it helps and is no secret.
  auto space = value.find(' ');
  std::string n = util::ascii_lower(line.substr(0, colon));
  if ((n == "authorization" || n == "proxy-authorization") && space != std::string_view::npos)
    out += std::string(value.substr(0, space)) + " ";
  return out + "***";
}

std::string message_url(std::string_view url) {
  auto end = url.find_first_of("?#");
  return util::redact_url(url.substr(0, end));
}

std::string origin(std::string_view url) {
  auto [start, end] = util::url_authority(url);
  std::string scheme = start >= 3 ? util::ascii_lower(url.substr(0, start - 3)) : "http";
  std::string_view host = url.substr(start, end - start);
  if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  std::string h = util::ascii_lower(host);
  auto bracket = h.rfind(']'); // IPv6 literal: [::1]:9090
  auto colon = h.rfind(':');
  if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket))
    h += scheme == "https" ? ":443" : ":80";
  return scheme + "://" + h;
}

std::string mask_secrets(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    if (s.size() < 4) continue;
    for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 3))
      text.replace(pos, s.size(), "***");
  }
  return text;
}

} // namespace detail

std::string status_text(long status) {
  static const std::pair<long, const char*> reasons[] = {{200, "OK"},
                                                         {204, "No Content"},
                                                         {301, "Moved Permanently"},
                                                         {302, "Found"},
                                                         {303, "See Other"},
                                                         {304, "Not Modified"},
                                                         {307, "Temporary Redirect"},
                                                         {308, "Permanent Redirect"},
                                                         {400, "Bad Request"},
                                                         {401, "Unauthorized"},
                                                         {403, "Forbidden"},
                                                         {404, "Not Found"},
                                                         {405, "Method Not Allowed"},
                                                         {406, "Not Acceptable"},
                                                         {408, "Request Timeout"},
                                                         {413, "Payload Too Large"},
                                                         {414, "URI Too Long"},
                                                         {422, "Unprocessable Entity"},
                                                         {429, "Too Many Requests"},
                                                         {500, "Internal Server Error"},
                                                         {501, "Not Implemented"},
                                                         {502, "Bad Gateway"},
                                                         {503, "Service Unavailable"},
                                                         {504, "Gateway Timeout"}};
  for (const auto& [code, reason] : reasons)
    if (code == status) return std::to_string(status) + " " + reason;
  return std::to_string(status);
}

} // namespace nsmon::http
