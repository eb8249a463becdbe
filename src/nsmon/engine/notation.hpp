#pragma once
// The series notation shared by promqltest's `load` and promtool's `input_series`: a series
// description (`metric{a="b"}`, Prometheus's ParseSeriesDesc) and its values in the expanding
// notation (`1 2 _ stale 3+2x4 10-1x3 5x2 _x3`), one value per step.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/engine/engine.hpp"

namespace nsmon::engine {

/// A position in the parsed text (byte offset) and the message in Prometheus's words.
struct NotationError {
  std::size_t offset = 0;
  std::string message;
};

/// One value per step: nullopt for `_` (no sample at that step); stale_nan() for `stale`.
struct ValuesResult {
  std::vector<std::optional<double>> values;
  std::optional<NotationError> error;
};
ValuesResult parse_values(std::string_view text);

struct SeriesResult {
  Labels labels;
  std::optional<NotationError> error;
};
/// `metric{a="b"}`, `{__name__="metric"}`, UTF-8 quoted names as in PromQL.
SeriesResult parse_series(std::string_view text);

} // namespace nsmon::engine
