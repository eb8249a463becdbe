#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsmon::util {

/// Parses a Prometheus duration ("90s", "1h30m", "0", units y w d h m s ms, largest first, each
/// at most once) into milliseconds; nullopt if it is not one (or overflows).
std::optional<std::int64_t> parse_duration(std::string_view s);

/// A Prometheus duration ("500ms", "2m", "1h30m") or plain seconds ("2", "0.5"), in seconds: what
/// every duration flag of nsmon takes. nullopt for anything else or a negative number.
std::optional<double> parse_seconds(std::string_view s);

/// Formats milliseconds the way Prometheus prints durations ("1h30m", "500ms", "0s").
std::string format_duration(std::int64_t ms);

} // namespace nsmon::util
