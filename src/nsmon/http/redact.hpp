#pragma once
// Internal to http/: masking of secrets in URLs, header lines and free text (traces, messages).
#include <string>
#include <string_view>
#include <vector>

namespace nsmon::http::detail {

/// One header line ("Name: value") with the value masked when the name is secret; "Bearer ***"
/// keeps the scheme word of Authorization.
std::string mask_header_line(std::string_view line);
/// The URL without its query string and fragment, credentials masked: for one-sentence messages.
std::string message_url(std::string_view url);
/// "scheme://host:port" in lower case (default ports filled in), to tell whether a redirect
/// leaves the origin the credentials were meant for.
std::string origin(std::string_view url);
/// `text` with every occurrence of each secret (at least 4 characters long) replaced by ***.
std::string mask_secrets(std::string text, const std::vector<std::string>& secrets);

} // namespace nsmon::http::detail
