#include "nsmon/util/url.hpp"

#include <algorithm>

namespace nsmon::util {

std::string ascii_lower(std::string_view s) {
  std::string r(s);
  lower_in_place(r);
  return r;
}

void lower_in_place(std::string& s) {
  // A-Z only, whatever the C locale says: std::tolower asks the locale for every character.
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

std::pair<std::size_t, std::size_t> url_authority(std::string_view url) {
  auto scheme = url.find("://");
  std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  std::size_t end = url.find_first_of("/?#", start);
  return {start, end == std::string_view::npos ? url.size() : end};
}

bool is_secret_name(std::string_view name) {
  static const char* const words[] = {"auth", "cookie", "token",   "secret",    "passw",
                                      "pwd",  "key",    "session", "signature", "credential"};
  std::string n = ascii_lower(name);
  return std::any_of(std::begin(words), std::end(words), [&](const char* w) { return n.find(w) != std::string::npos; });
}

std::string redact_url(std::string_view url) {
  auto [start, end] = url_authority(url);
  std::string out(url.substr(0, start));
  std::string_view auth = url.substr(start, end - start);
  if (auto at = auth.rfind('@'); at != std::string_view::npos) {
    out += "***@";
    auth.remove_prefix(at + 1);
  }
  out += auth;
  std::string_view rest = url.substr(end);
  // Query parameters: mask the values of those whose names look secret.
  auto q = rest.find('?');
  out += rest.substr(0, q == std::string_view::npos ? rest.size() : q + 1);
  if (q == std::string_view::npos) return out;
  std::string_view query = rest.substr(q + 1);
  std::string_view fragment;
  if (auto h = query.find('#'); h != std::string_view::npos) {
    fragment = query.substr(h);
    query = query.substr(0, h);
  }
  for (bool first = true;; first = false) {
    auto amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    if (!first) out += '&';
    auto eq = param.find('=');
    if (eq != std::string_view::npos && is_secret_name(param.substr(0, eq)))
      out += std::string(param.substr(0, eq + 1)) + "***";
    else out += param;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out + std::string(fragment);
}

} // namespace nsmon::util
