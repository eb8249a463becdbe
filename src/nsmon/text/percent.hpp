#pragma once
// Percent-encoding (RFC 3986): every byte outside the unreserved set A-Z a-z 0-9 - . _ ~ as %XX.
// Not libcurl's curl_easy_escape: http/ loads libcurl with dlopen only when a client is made, and
// forms, fakes and SARIF file URIs are written without one.
#include <string>
#include <string_view>

namespace nsmon::text {

/// `s` percent-encoded; the bytes of `keep` are left as they are too ("/" for a path).
std::string percent_encode(std::string_view s, std::string_view keep = {});

} // namespace nsmon::text
