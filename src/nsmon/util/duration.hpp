#pragma once
#include <optional>
#include <string_view>

namespace nsmon::util {

/// A Prometheus duration ("500ms", "2m", "1h30m", text::parse_duration) or plain seconds ("2",
/// "0.5"), in seconds: what every duration flag of nsmon takes. nullopt for anything else or a
/// negative number.
std::optional<double> parse_seconds(std::string_view s);

} // namespace nsmon::util
