#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace nsmon::promapi {

/// Parses a time into Unix seconds: RFC 3339 ("2024-05-01T12:00:00Z", "...T12:00:00.5+02:00"),
/// Unix seconds ("1714564800", "1714564800.25") or relative to `now` ("now", "now-1h",
/// "now+5m", "-15m"). nullopt if it is none of these.
std::optional<double> parse_time(std::string_view s, double now);

/// A range query step: a Prometheus duration ("15s", "1m30s") or seconds ("15", "0.5"); > 0.
std::optional<double> parse_step(std::string_view s);

/// promtool's default step for a range: floor(range / 250) seconds, at least 1 s.
double default_step(double start, double end);

/// Unix seconds as the API takes them, to the millisecond ("1714564800.5").
std::string format_time(double t);

/// The current time in Unix seconds.
double now_seconds();

} // namespace nsmon::promapi
