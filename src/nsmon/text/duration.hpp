#pragma once
// Durations as Prometheus reads and writes them (prometheus/common's model.Duration): the one
// duration syntax of rule files, configs, PromQL and nsmon's own flags, and the seconds those flags
// also take.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsmon::text {

/// model.ParseDuration ("90s", "1h30m", "0"; units y w d h m s ms, largest first, each at most
/// once), in milliseconds; nullopt when it is not one, with its message in `error` if given.
std::optional<std::int64_t> parse_duration(std::string_view s, std::string* error = nullptr);

/// model.Duration(ms).String(): "1h30m", "8d", "2w", "0s" (weeks and years only when exact);
/// negative values get a leading '-'.
std::string format_duration(std::int64_t ms);

/// A Prometheus duration ("500ms", "2m", "1h30m", parse_duration) or plain seconds ("2", "0.5"),
/// blanks around it ignored, in seconds: what every duration flag of nsmon takes. nullopt for
/// anything else or a negative number.
std::optional<double> parse_seconds(std::string_view s);

} // namespace nsmon::text
