#pragma once
// The evaluator's internals, shared by eval.cpp (selectors, subqueries, dispatch), binary.cpp,
// aggregate.cpp, functions.cpp and over_time.cpp. Not part of the engine's API.
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "nsmon/engine/engine.hpp"
#include "nsmon/promql/ast.hpp"

namespace nsmon::engine::detail {

/// An evaluation error in Prometheus's words. Thrown inside the evaluator only and caught by
/// instant()/range(), which return it as Result::error (no exception leaves the engine).
struct EvalError {
  std::string message;
};
[[noreturn]] void fail(std::string message);

/// Hash of a label set, for the maps the evaluator keys by labels.
struct LabelsHash {
  std::size_t operator()(const Labels& ls) const noexcept {
    std::size_t h = 14695981039346656037ULL;
    for (const auto& [n, v] : ls) {
      h = (h ^ std::hash<std::string>{}(n)) * 1099511628211ULL;
      h = (h ^ std::hash<std::string>{}(v)) * 1099511628211ULL;
    }
    return h;
  }
};
template <class T> using LabelsMap = std::unordered_map<Labels, T, LabelsHash>;

/// One query's state: the store, the options, the query's start and end (for `@ start()` and
/// `@ end()`), its step, the work budget and the annotations collected so far.
struct Context {
  const Storage& storage;
  Options options;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t step = 0;
  std::size_t budget_used = 0; ///< samples loaded plus evaluation steps, against max_samples
  std::vector<std::string> warnings;
  std::vector<std::string> infos;
  /// The series each selector matches, looked up once per query.
  std::unordered_map<const promql::VectorSelector*, std::vector<const Series*>> selected;
  /// Selectors under histogram_count/sum/avg (no subquery or bucket function between): they see
  /// the reset hints the store keeps, as Prometheus's HistogramStatsIterator makes them; the
  /// others read a reset as unknown, as Prometheus's chunks do.
  std::unordered_set<const promql::VectorSelector*> stats_selectors;

  /// Charges `n` samples (or steps) to the budget; fails past Options::max_samples.
  void charge(std::size_t n);
  bool delayed() const { return options.delayed_name_removal; }
  /// Annotations, deduplicated; `at` gives the " (line:col)" suffix when Options::query is set.
  void warn(std::string message, const promql::Expr* at = nullptr);
  void info(std::string message, const promql::Expr* at = nullptr);
  /// Prometheus's warning for histograms of exponential and custom buckets met in one operation
  /// (`metric` empty where Prometheus names none).
  void warn_mixed_schemas(std::string_view metric, const promql::Expr* at);
};

/// A range vector argument with its window: the series (points in (end - range, end]), the
/// window's end (evaluation time after @ and offset) and its length.
struct Window {
  std::vector<Series> series;
  std::vector<bool> drop_name; ///< per series, from a subquery's samples (delayed name removal)
  std::int64_t end = 0;
  std::int64_t range = 0;
  /// The anchored/smoothed modifiers (experimental): `series` then holds the raw points from
  /// (end - range - lookback, end] (smoothed: to end + lookback) for the functions to use.
  bool anchored = false;
  bool smoothed = false;
  bool histograms = false; ///< some point of `series` is a histogram (else float paths only)
};

/// Linear interpolation at t between two points (a counter restarting from 0 after a reset).
double interpolate(const Point& a, const Point& b, std::int64_t t, bool counter);
/// Prometheus's interpolateHistograms: the histogram at t between two histogram samples (a
/// counter that reset between them rising from zero); nullptr on mixed schemas.
std::shared_ptr<Histogram> interpolate_histogram(const Point& a, const Point& b, std::int64_t t, bool counter);
/// The value at the left/right edge of an anchored or smoothed window.
double pick_left(std::span<const Point> p, std::size_t first, std::int64_t start, bool smoothed, bool counter);
double pick_right(std::span<const Point> p, std::size_t last, std::int64_t end, bool smoothed, bool counter);
/// The first index in [0, n) where pred holds, else n (Go's sort.Search).
template <class Pred> std::size_t search(std::size_t n, Pred pred) {
  std::size_t lo = 0, hi = n;
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (!pred(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/// A subquery's steps: each step's samples name their series by index into `labels`. Kept
/// between queries on one storage with Options::reuse_subqueries.
struct SubqueryMemo {
  struct StepSample {
    std::uint32_t series = 0; ///< index into Entry::labels
    double v = 0;
    HistogramPtr h;
    bool drop_name = false;
  };
  /// One step's samples and what evaluating it charged and annotated.
  struct Step {
    std::vector<StepSample> samples;
    std::size_t charged = 0;
    std::vector<std::string> warnings;
    std::vector<std::string> infos;
  };
  struct Entry {
    bool reusable = false;
    LabelsMap<std::uint32_t> ids;
    std::vector<Labels> labels;
    std::map<std::int64_t, Step> steps;
  };
  std::unordered_map<const promql::SubqueryExpr*, Entry> subqueries;
  /// The options the steps were evaluated under: other options forget them.
  std::int64_t lookback_ms = 0, default_step_ms = 0;
  bool closed_windows = false, delayed_name_removal = false;

  /// Forgets the steps at or after `t`.
  void forget_from(std::int64_t t);
};
/// The storage's kept steps of `sq`, or nullptr when they are not to be kept (reuse off, or steps
/// that depend on more than their own time: `@`, a negative or computed offset, a duration
/// expression, a smoothed selector). Other options than the kept steps' forget them.
SubqueryMemo::Entry* memo_entry(Context& ctx, const promql::SubqueryExpr& sq);
/// One step of `sq` at ts: its samples (a scalar as one without labels), their series numbered in
/// `e`, reset hints forgotten as Prometheus forgets them in a subquery.
std::vector<SubqueryMemo::StepSample> step_samples(Context& ctx, SubqueryMemo::Entry& e, const promql::SubqueryExpr& sq,
                                                   std::int64_t ts);
/// The step at ts from `memo`, evaluated and kept when missing; its charges and annotations are
/// added to the query's.
const SubqueryMemo::Step& memo_step(Context& ctx, SubqueryMemo::Entry& memo, const promql::SubqueryExpr& sq,
                                    std::int64_t ts);

Value evaluate(Context& ctx, const promql::Expr& e, std::int64_t t);
/// A matrix selector or subquery evaluated at t, with its window.
Window evaluate_window(Context& ctx, const promql::Expr& e, std::int64_t t);
/// The samples a vector selector picks at t, with the samples' own timestamps in Sample::t.
std::vector<Sample> select_instant(Context& ctx, const promql::VectorSelector& vs, std::int64_t t);
/// A duration expression's value in seconds (fails past 1000 levels of nesting: duration
/// expressions are not children in promql::walk, so the depth check before evaluation misses them).
double duration_seconds(const Context& ctx, const promql::Expr& e, int depth = 0);

Value eval_binary(Context& ctx, const promql::BinaryExpr& e, Value lhs, Value rhs);
Value eval_aggregate(Context& ctx, const promql::AggregateExpr& e, std::int64_t t);
Value eval_call(Context& ctx, const promql::Call& e, std::int64_t t);
/// Calls whose argument is a range vector (rate, *_over_time, ...).
Value eval_range_call(Context& ctx, const promql::Call& e, std::int64_t t);

// Helpers shared by the files above.
void drop_name(Labels& ls);
/// Drops the sample's __name__, or marks it for the end of the query (delayed name removal).
void drop_name(const Context& ctx, Sample& s);
void set_label(Labels& ls, const std::string& name, const std::string& value); ///< "" deletes
/// The labels of absent()'s and absent_over_time()'s answer: the selector's equality matchers.
Labels selector_absent_labels(const promql::VectorSelector& vs);
/// Fails with "vector cannot contain metrics with the same labelset" on a duplicate.
void check_unique(const std::vector<Sample>& v);
/// check_unique, except under delayed name removal (names still tell series apart until the end).
void check_unique(const Context& ctx, const std::vector<Sample>& v);
/// The end of a query under delayed name removal: drops the marked names, then check_unique.
void finish_names(std::vector<Sample>& v);
Value make_vector(std::vector<Sample> v);
Value make_scalar(double v, std::int64_t t);
/// Kahan-Neumaier step as Prometheus's kahansum.Inc: returns the new sum, updates c.
double kahan_inc(double inc, double sum, double& c);
/// Prometheus's quantile() over values (sorted in place).
double quantile(double q, std::vector<double>& values);

} // namespace nsmon::engine::detail
