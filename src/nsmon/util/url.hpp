#pragma once
// Masking of secrets in URLs, for every message, trace and display of a URL.
#include <string>
#include <string_view>
#include <utility>

namespace nsmon::util {

/// `url` with credentials masked: userinfo (`https://***@host`) and the values of query
/// parameters that look secret (password, token, api_key, ...).
std::string redact_url(std::string_view url);

/// True for header or parameter names that carry secrets (authorization, cookie, token, ...).
bool is_secret_name(std::string_view name);

/// Where the authority (userinfo@host:port) of a URL starts and ends.
std::pair<std::size_t, std::size_t> url_authority(std::string_view url);

/// ASCII lower case.
std::string ascii_lower(std::string_view s);
/// ASCII lower case, in place.
void lower_in_place(std::string& s);

} // namespace nsmon::util
