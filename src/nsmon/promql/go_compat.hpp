#pragma once
// Go standard-library behaviour the PromQL front end must reproduce exactly: Prometheus's error
// messages quote with Go's %q, numbers are read with strconv.ParseInt/ParseFloat, durations with
// prometheus/common's model.ParseDuration, and the printer writes numbers and durations the way
// Go formats them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsmon::promql::go {

inline constexpr char32_t kRuneError = 0xFFFD;
inline constexpr int kEof = -1;

/// utf8.DecodeRuneInString: invalid or short sequences decode as (RuneError, 1); empty as (RuneError, 0).
struct Rune {
  char32_t value;
  int width;
};
Rune decode_rune(std::string_view s);
bool valid_utf8(std::string_view s);
void append_utf8(std::string& out, char32_t r);

/// strconv.IsPrint (approximated outside the Basic Multilingual Plane's common ranges).
bool is_print(char32_t r);

/// strconv.Quote / %q of a string.
std::string quote(std::string_view s);
/// %.Nq: quotes the first n runes of s.
std::string quote_prefix(std::string_view s, std::size_t n_runes);
/// %q of a rune ('x', '\n', '\x00', ...); r < 0 (EOF) quotes as Go would quote -1.
std::string quote_rune(long r);
/// %#U of a rune: "U+0063 'c'".
std::string format_unicode(long r);

/// Prometheus's strutil.Unquote for "...", '...' and `...` tokens; nullopt on invalid syntax.
std::optional<std::string> unquote(std::string_view token);

/// number(): strconv.ParseInt(s, 0, 64), falling back to strconv.ParseFloat(s, 64).
/// On failure returns nullopt and sets `error` to ParseFloat's message.
std::optional<double> parse_number(std::string_view s, std::string& error);

/// strconv.ParseUint(s, 10, 64).
std::optional<std::uint64_t> parse_uint(std::string_view s);

/// model.ParseDuration, in milliseconds; on failure sets `error` to its message.
std::optional<std::int64_t> parse_duration_ms(std::string_view s, std::string& error);

/// model.Duration(ms).String(): "1h30m", "90d", "0s"; negative values get a leading '-'.
std::string format_duration_ms(std::int64_t ms);

/// strconv.FormatFloat(v, 'f', -1, 64): shortest decimal that reads back to v, never an exponent.
std::string format_float(double v);
/// fmt.Sprintf("%.3f", v).
std::string format_float3(double v);
/// fmt.Sprintf("%f", v) (six decimals, used in Prometheus's @-modifier bounds message).
std::string format_float6(double v);
/// fmt.Sprintf("%v", v) for a float64 (shortest, exponent for large/small magnitudes).
std::string format_float_v(double v);

/// math.Round(v * 1e9) converted to int64 like Go on amd64 (out-of-range values give INT64_MIN).
std::int64_t seconds_to_ns(double seconds);

} // namespace nsmon::promql::go
