#pragma once
// Times as Go's time package reads and writes them: the civil calendar of a Unix time, RFC 3339
// (time.RFC3339 parsing, time.RFC3339Nano formatting), all in the proleptic Gregorian calendar.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsmon::text {

/// A Unix time's date and time of day (at UTC, or at an offset the caller added).
struct Civil {
  std::int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int weekday = 4; ///< 0 = Sunday, as Go's time.Weekday
};

/// The civil time of `seconds` since the epoch.
Civil civil(std::int64_t seconds);

/// Days since the epoch of a date (month 1-12).
std::int64_t days_from_civil(std::int64_t year, int month, int day);

/// The number of days of a month (February of leap years 29).
int days_in_month(std::int64_t year, int month);

/// An RFC 3339 time ("2024-05-01T12:00:00Z", "2024-05-01T12:00:00.123+02:00") in milliseconds
/// since the epoch (finer digits dropped), or nullopt when Go's time.Parse(time.RFC3339) refuses it.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view s);

/// How format_rfc3339_ms writes a fraction of a second: as Go's RFC3339Nano (".5"), or always
/// three digits (".500", for columns of times that line up).
enum class Fraction { trimmed, millis };

/// A UTC time as RFC 3339: "2024-05-01T12:00:00Z", with its fraction of a second, when it has one,
/// as `f` says (trimmed: Go's time.Format(time.RFC3339Nano), "2024-05-01T12:00:00.5Z").
std::string format_rfc3339_ms(std::int64_t ms, Fraction f = Fraction::trimmed);

} // namespace nsmon::text
