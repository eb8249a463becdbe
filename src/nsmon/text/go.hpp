#pragma once
// text/: text as Go and Prometheus read and write it, the one place for each: UTF-8 (`go.hpp`:
// decode, validate, append), Go's `%q` quoting and `strconv.Unquote`, numbers as `strconv` parses
// and formats them; durations as `model.Duration`, or seconds, as flags take them (`duration.hpp`);
// percent-encoding (`percent.hpp`); times as Go's time package reads and writes them (`time.hpp`:
// civil dates, RFC 3339).
//
// Text as Go's standard library reads and writes it, which nsmon must reproduce exactly wherever
// it speaks for Prometheus, Alertmanager or their templates: UTF-8 (unicode/utf8), quoting with
// %q and strconv.Unquote, numbers read with strconv.ParseInt/ParseFloat and written as Go
// formats them. The one place for these in nsmon (promql/, rules/, core/'s YAML reader, ...).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsmon::text::go {

inline constexpr char32_t kRuneError = 0xFFFD;
inline constexpr int kEof = -1;

/// utf8.DecodeRuneInString: invalid or short sequences decode as (RuneError, 1); empty as (RuneError, 0).
struct Rune {
  char32_t value;
  int width;
};
Rune decode_rune(std::string_view s);
/// utf8.ValidString: no overlong forms, surrogates or code points past U+10FFFF.
bool valid_utf8(std::string_view s);
/// utf8.AppendRune: surrogates and values past U+10FFFF are written as U+FFFD.
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

/// Prometheus's strutil.Unquote for "...", '...' and `...` tokens (strconv.Unquote, which Go's
/// templates use, for "..." and `...`); nullopt on invalid syntax.
std::optional<std::string> unquote(std::string_view token);

/// What parse_float does with a number beyond the doubles ("1e999"): fail as Go does (ErrRange),
/// or take the ±Inf Go returns with that error.
enum class Overflow { error, infinity };

/// strconv.ParseFloat(s, 64): decimal and hexadecimal (with a 'p' exponent) forms, underscores
/// where Go allows them, inf, infinity and nan in any case. On failure returns nullopt and, when
/// `error` is given, sets it to Go's message ("strconv.ParseFloat: parsing \"x\": invalid syntax").
std::optional<double> parse_float(std::string_view s, std::string* error = nullptr,
                                  Overflow overflow = Overflow::error);

/// number(): strconv.ParseInt(s, 0, 64), falling back to strconv.ParseFloat(s, 64).
/// On failure returns nullopt and sets `error` to ParseFloat's message.
std::optional<double> parse_number(std::string_view s, std::string& error);

/// strconv.ParseUint(s, 10, 64).
std::optional<std::uint64_t> parse_uint(std::string_view s);

/// strconv.FormatFloat(v, 'f', -1, 64): shortest decimal that reads back to v, never an exponent.
std::string format_float(double v);
/// strconv.FormatFloat(v, 'g', -1, 64): shortest digits, an exponent below 1e-4 and from 1e6
/// (Sloth writes its objectives so).
std::string format_float_g(double v);
/// fmt.Sprintf("%.3f", v).
std::string format_float3(double v);
/// fmt.Sprintf("%f", v) (six decimals, used in Prometheus's @-modifier bounds message).
std::string format_float6(double v);
/// fmt.Sprintf("%v", v) for a float64 (shortest, exponent for large/small magnitudes).
std::string format_float_v(double v);

/// math.Round(v * 1e9) converted to int64 like Go on amd64 (out-of-range values give INT64_MIN).
std::int64_t seconds_to_ns(double seconds);

/// textproto.CanonicalMIMEHeaderKey (http.CanonicalHeaderKey): each dash-separated word
/// capitalised, the rest lower-cased (x-amz-date -> X-Amz-Date).
std::string canonical_header_key(std::string s);

} // namespace nsmon::text::go
