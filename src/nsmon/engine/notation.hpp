#pragma once
// The series notation shared by promqltest's `load` and promtool's `input_series`: a series
// description (`metric{a="b"}`, Prometheus's ParseSeriesDesc) and its values in the expanding
// notation (`1 2 _ stale 3+2x4 10-1x3 5x2 _x3`), one value per step.
//
// The grammar and the messages are Prometheus's (promql/parser: the series description rules of
// generated_parser.y and lexValueSequence in lex.go), including its quirks: numbers in values are
// never hexadecimal (`0x3` is four zeros), `010` is octal, `axn` gives n+1 values but `_xn` gives n,
// `a+bxn` adds b n times (floating-point accumulation), `Inf`/`NaN` are numbers, durations are not.
// Native histogram values: `{{schema:0 sum:1 count:1 buckets:[1]}}`, repeated `{{...}}x3`, or
// growing `{{...}}+{{...}}x3` (each step adds the second histogram, as Prometheus's Add does).
#include <cstddef>
#include <cstdint>
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

/// A histogram of the notation; `hint_set`: its counter_reset_hint was written (promqltest then
/// compares the hint).
struct HistogramValue {
  HistogramPtr h;
  bool hint_set = false;
};

/// One `{{...}}` starting at `pos` (at the braces): the histogram and the offset after `}}`.
struct HistogramNotation {
  HistogramPtr h;
  bool hint_set = false;
  std::size_t end = 0;
  std::optional<NotationError> error;
};
HistogramNotation parse_histogram(std::string_view text, std::size_t pos);

/// More values than this in one series is an error (Prometheus has no limit; a typo such as
/// `1x99999999999` would otherwise exhaust memory).
inline constexpr std::size_t kMaxSeriesValues = 5'000'000;

/// One value per step: nullopt for `_` (no sample at that step); stale_nan() for `stale`. When
/// the text holds histograms, `histograms` has one entry per value: set where the value is a
/// histogram (its `values` entry is then 0), empty elsewhere.
struct ValuesResult {
  std::vector<std::optional<double>> values;
  std::vector<HistogramValue> histograms;
  std::optional<NotationError> error;
};
/// The values alone (promtool's `values:` field), as they read after a series description and a
/// space; offsets are into `text`. Only the first `keep` values are stored (the rest are read,
/// not expanded): a unit test never loads samples after its last eval_time, so `0x10000000` in a
/// test that ends at 50m costs 51 values. `max_values` caps what is stored.
ValuesResult parse_values(std::string_view text, std::size_t max_values = kMaxSeriesValues,
                          std::size_t keep = SIZE_MAX);

struct SeriesResult {
  Labels labels;
  std::optional<NotationError> error;
};
/// `metric{a="b"}`, `{__name__="metric"}`, UTF-8 quoted names as in PromQL; nothing may follow
/// but spaces.
SeriesResult parse_series(std::string_view text);

/// A whole line, description then values (`metric{a="b"} 1+1x3 _ stale`): promqltest's `load`
/// lines and expected results, and promtool's `series + " " + values`.
struct SeriesDescResult {
  Labels labels;
  std::vector<std::optional<double>> values;
  std::vector<HistogramValue> histograms; ///< as ValuesResult::histograms
  std::optional<NotationError> error;
};
SeriesDescResult parse_series_desc(std::string_view line, std::size_t max_values = kMaxSeriesValues);

/// The other direction, for what nsmon writes back as a test (watch --record, test-rules --debug):
/// `metric{a="b"}` as parse_series reads it.
std::string format_series(const Labels& labels);
/// One value per step, as parse_values reads it back to the same doubles: runs of three or more
/// values a constant step apart as `a+bxN` (equal ones as `a+0xN`), missing ones as `_xN`.
std::string format_values(const std::vector<std::optional<double>>& values);

} // namespace nsmon::engine
