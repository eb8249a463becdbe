#pragma once
// ASCII classes as Go's and Prometheus's lexers test them: bytes and runes alike (a byte of a
// multi-byte UTF-8 sequence, or a rune past ASCII, is in none of them).

namespace nsmon::text {

constexpr bool is_digit(long c) { return c >= '0' && c <= '9'; }
/// A letter or `_`: what may start a metric or label name.
constexpr bool is_alpha(long c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(long c) { return is_alpha(c) || is_digit(c); }

} // namespace nsmon::text
