#pragma once
// engine/: the PromQL engine: an in-memory series store (`storage.cpp`) and the evaluation of
// `promql/`'s trees at an instant or over a range as Prometheus 3.x does, or with 2.x's closed
// windows (`Options::closed_windows`, test-rules' `--prometheus-version 2`) (`eval.cpp`: selectors
// with lookback and staleness, offset, @, subqueries; `subquery_memo.cpp`: subquery steps kept
// between queries, Options::reuse_subqueries; `binary.cpp`: operators and vector matching;
// `aggregate.cpp`; `functions.cpp` and `over_time.cpp`: the functions; `histogram.*`: native
// histograms); the series notation of promqltest `load` lines and promtool `input_series`
// (`notation.*`; `{{...}}` histograms in `histogram_notation.cpp`); no I/O.
//
// The PromQL engine. `engine/` evaluates the trees of `promql/` as Prometheus 3.x does (its
// `promql/engine.go`, `functions.go` and `quantile.go` are the reference; nothing is copied).
// `instant()` evaluates at one time; `range()` loops over the steps and evaluates each as an
// instant (no per-series iterators yet: a query looks each selector's series up once, then
// binary-searches points per step). Windows are left-open as in 3.x: the lookback `(t-5m, t]`, a
// range `(t-r, t]`; a staleness marker ends a series; subqueries step on absolute multiples of
// their step. Errors are Prometheus's words and come back in `Result::error` (an internal exception
// type carries them to `instant()`/`range()`, nothing escapes the engine); warnings and infos are
// Prometheus's annotations, with their ` (line:col)` when `Options::query` holds the text. Work is
// bounded: `Options::max_samples` counts samples loaded and evaluation steps (per step of a range
// query), a subquery of more than a year of millisecond steps is refused, and trees deeper than
// 1000 levels are refused before evaluation (the evaluator recurses once per level).
// `Options::delayed_name_removal` is Prometheus's `promql-delayed-name-removal` (on in its
// promqltest engine, off in a server and in promtool). The experimental `anchored` and `smoothed`
// modifiers work on floats (`over_time.cpp`'s `extended_rate`, `eval.cpp`'s `extend_window` and
// smoothed selectors). Native histograms (`histogram.*`: Prometheus's FloatHistogram on sparse
// (index, count) buckets, custom bounds for NHCB, its arithmetic, reset detection,
// TestExpression(); quantile, fraction, stdvar and trim in `histogram_functions.cpp`; the `{{...}}`
// notation in `histogram_notation.cpp`): a `Point`/`Sample` is a float or, when its `h` is set, a
// histogram, so float paths read `v` as before. Counter histograms are stored with the reset hint
// Prometheus's TSDB gives them; a selector reads a reset back as unknown
// (prometheus/prometheus#15346) unless it sits under histogram_count/sum/avg
// (`Context::stats_selectors`, Prometheus's HistogramStatsIterator). Not supported: range vectors
// of histograms with anchored/smoothed edges (left out), start timestamps (`start_timestamp`
// returns nothing) and `info()` (an error says so).
//
// nsmon's PromQL engine: an in-memory series store and the evaluation of a parsed expression
// (promql::parse) at an instant or over a range, as Prometheus 3.x evaluates it. Used by
// `nsmon test-rules` (rule unit tests), the promqltest conformance runner and `watch --rules`.
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nsmon/engine/histogram.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/ast.hpp"

namespace nsmon::engine {

/// A series' labels (the label model's), `__name__` included when the series has one. No empty
/// values.
using labels::get;
using labels::Labels;
/// Prometheus's labels.String(): `{__name__="x", a="b"}` (names that are not legacy label names
/// and every value quoted as Go's %q).
std::string to_string(const Labels& ls);

/// Timestamps in milliseconds since the epoch, as Prometheus stores them. A sample is a float,
/// or a native histogram when `h` is set (then `v` is unused).
struct Point {
  std::int64_t t = 0;
  double v = 0;
  HistogramPtr h;
};

/// Prometheus's staleness marker: a NaN with a special bit pattern (value.StaleNaN), never shown
/// to a query; a selector ends a series at it.
double stale_nan();
bool is_stale_nan(double v);

/// One series and its points in time order.
struct Series {
  Labels labels;
  std::vector<Point> points;
};

namespace detail {
struct SubqueryMemo;
}

/// The samples the engine reads. Appends must be in time order per series (a point at or before
/// the series' last one replaces nothing and is refused: returns false).
class Storage {
public:
  Storage();
  ~Storage();
  Storage(Storage&&) noexcept;
  Storage& operator=(Storage&&) noexcept;
  /// `labels` need not be sorted; labels with an empty value are dropped, as Prometheus does.
  bool add(const Labels& labels, std::int64_t t, double v);
  bool add(const Labels& labels, std::int64_t t, HistogramPtr h);
  /// The series of `labels` (sorted, no empty values), created without points if new; it stays
  /// where it is until drop_before() removes it. With append(): many points to known series
  /// without a lookup each (watch --rules, every scrape).
  Series& series_for(const Labels& labels);
  /// Appends to a series of this storage; false (nothing added) at or before its last point.
  bool append(Series& series, std::int64_t t, double v, HistogramPtr h = nullptr);
  void clear();
  /// Drops every point older than `t` and the series left without points (watch's bounded
  /// window); returns the points dropped.
  std::size_t drop_before(std::int64_t t);
  std::size_t series_count() const { return series_.size(); }
  std::size_t point_count() const { return points_; }
  /// Series whose labels satisfy every matcher (the selector's name as a __name__ matcher).
  std::vector<const Series*> select(const std::vector<promql::Matcher>& matchers) const;
  const std::map<Labels, Series>& all() const { return series_; }
  /// The subquery steps kept for Options::reuse_subqueries (eval.cpp); every change of the
  /// samples forgets the steps it could alter.
  detail::SubqueryMemo& subquery_memo() const;

private:
  bool add_sample(const Labels& labels, std::int64_t t, double v, HistogramPtr h);
  /// A point at `t` was added or dropped: a subquery step at or after `t` may read it.
  void changed_at(std::int64_t t);
  mutable std::unique_ptr<detail::SubqueryMemo> memo_;
  std::map<Labels, Series> series_;
  /// Series by metric name, each list in label order (the common selector names its metric).
  std::map<std::string, std::vector<const Series*>, std::less<>> by_name_;
  std::size_t points_ = 0;
};

/// One element of an instant vector, or one series of a range vector / range query result.
struct Sample {
  Labels labels;
  double v = 0;
  std::int64_t t = 0; ///< evaluation time (instant vectors), or 0
  /// With Options::delayed_name_removal: __name__ is still in `labels` but goes at the end.
  bool drop_name = false;
  HistogramPtr h; ///< a native histogram sample (then `v` is unused)
};
struct Value {
  promql::ValueType type = promql::ValueType::none;
  double scalar = 0;          ///< scalar
  std::int64_t scalar_t = 0;  ///< scalar's timestamp
  std::string string;         ///< string
  std::vector<Sample> vector; ///< instant vector
  std::vector<Series> matrix; ///< range vector, or a range query's result
};

struct Options {
  std::int64_t lookback_ms = 5 * 60 * 1000; ///< --query.lookback-delta
  /// Prometheus 2.x's windows: a range, a lookback and a subquery's steps include their start
  /// (a sample exactly 5m before t is seen by x[5m]); 3.x's (the default) exclude it.
  bool closed_windows = false;
  /// Subqueries without a step use this (Prometheus's global evaluation_interval).
  std::int64_t default_step_ms = 60 * 1000;
  /// Fails the query when a step would hold more samples than this (0: no limit).
  std::size_t max_samples = 50'000'000;
  /// --enable-feature=promql-delayed-name-removal (on in Prometheus's promqltest engine, off in
  /// a server and promtool): functions and operators mark __name__ for removal at the end of the
  /// query instead of dropping it at once, so label_replace() and by (__name__) still see it.
  bool delayed_name_removal = false;
  /// Keeps each subquery's steps in the storage and reuses them in later queries on it, until a
  /// change of the samples could alter them: test-rules evaluates its rules at every step, where a
  /// `[12h:1m]` subquery shares all but one of its 720 steps with the evaluation before. For one
  /// thread at a time, and for expression trees that outlive the storage (steps are kept by
  /// node). Subqueries whose steps depend on more than their own time (`@`, a negative or computed
  /// offset, a duration expression, a smoothed selector) are evaluated afresh.
  bool reuse_subqueries = false;
  /// The expression's text, when the caller has it: warnings and infos then end with the
  /// position of the part they are about, as Prometheus writes them ("... (1:7)").
  std::string_view query;
};

/// An evaluation's outcome: a value, or an error in Prometheus's words (e.g. "found duplicate
/// series for the match group ..."); warnings and infos as Prometheus's annotations.
struct Result {
  Value value;
  std::optional<std::string> error;
  std::vector<std::string> warnings;
  std::vector<std::string> infos;
};

/// Evaluates `expr` at time `t` (an instant query).
Result instant(const promql::Expr& expr, const Storage& storage, std::int64_t t, const Options& options = {});
/// Evaluates `expr` at start, start+step, ... end (a range query): a matrix, or a scalar/string
/// as a one-series matrix as Prometheus returns them.
Result range(const promql::Expr& expr, const Storage& storage, std::int64_t start, std::int64_t end, std::int64_t step,
             const Options& options = {});

/// A float as Prometheus prints it in test output and the API (strconv 'g' shortest: 1e+06, NaN,
/// +Inf, -Inf).
std::string format_value(double v);

} // namespace nsmon::engine
