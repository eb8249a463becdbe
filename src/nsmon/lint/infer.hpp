#pragma once
// What an expression means: `lint::Inference`. One model answers, for every node of a rule's tree
// (bottom-up, no recursion), what the result is: per label absent (an operator removed it:
// `without`, `ignoring`, `on`, `by`, `l=""`, a `group_left` from a side without it; with what did
// it, for messages), present with known values (equality matchers, the catalog's fixed values),
// present with an unknown value, or unknown (open world: other exporters' labels are neither
// assumed nor denied; a scraped series always has `job` and `instance`); the values it can take
// (`[lo, hi]`: counters and rates never negative, ratios in [0, 1], `count()` at least 1, interval
// arithmetic); whether it can be NaN (0/0 of a denominator known to reach 0) and whether it can
// never return a series. The catalog and `--config` (target labels, relabelling) feed it. Every
// check that asks about labels or values reads `Shape`: templates, joins (`Inference::apart`),
// aggregations, comparisons, duplicates, cost, the Alertmanager checks against the rules,
// gen-dashboards' query checks.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/catalog/exporters.hpp"
#include "nsmon/lint/label_set.hpp"
#include "nsmon/lint/target_labels.hpp"
#include "nsmon/promql/ast.hpp"
#include "nsmon/rules/config.hpp"

namespace nsmon::lint {

/// Whether values behave like a counter (only go up) or not.
enum class ValueKind { unknown, counter, gauge };

/// What bounds a node's values, for messages ("group() is always 1"). `comparison`: a comparison
/// of the expression itself set the bound (`x > 1`), so a later comparison that the bound already
/// decides is redundant, not a mistake (`(x > 1) > 0`: promql/always-true at info).
struct RangeReason {
  bool comparison = false;
  /// The values are one series divided by itself (`x{code=~"5.."} / x`, one-to-one): 1, or NaN
  /// where it is 0.
  bool itself = false;
  /// The values are a part over its whole where the whole can be 0 (a ramfs mount's size): 0 / 0
  /// is NaN there, which every comparison removes, so no comparison is said to keep every series.
  bool zero_whole = false;
  RangeReason() = default;
  RangeReason(std::string why, bool by_comparison = false) // NOLINT(google-explicit-constructor): a reason is its text
      : comparison(by_comparison), text_(std::move(why)) {}
  RangeReason(const char* why) : text_(why) {} // NOLINT(google-explicit-constructor)
  /// The comparison `OP bound`, which keeps only the values it accepts. Its words are made when
  /// read: every alert compares, and few findings quote the reason.
  RangeReason(promql::BinaryOp op, double bound) : comparison(true), op_(op), bound_(bound) {}
  std::string text() const;
  bool empty() const { return text_.empty() && !comparison; }
  void clear() { *this = {}; }

private:
  std::string text_; ///< empty for a comparison's, said from op_ and bound_
  promql::BinaryOp op_ = promql::BinaryOp::add;
  double bound_ = 0;
};

/// The series of an expression that surely lack a label: why, and their one value where it is
/// known (the default of `x or vector(0)`), so that a comparison or a match that always removes
/// them takes the claim with them: `(x or vector(0)) > 0` never returns a series without x.
struct Lacking {
  std::string why;
  std::optional<double> value; ///< NaN too (0/0 of two defaults)
  /// Each group of an aggregation holds only these series (the other side of the `or` has the
  /// label, or adds them only when it is empty: `or on()`), so a sum of zeros stays 0.
  bool alone = false;
  /// Which side of which `or` the series are (0: series of several sides lack the label). The
  /// entries of one side name the same series: a match that none of them can meet removes all.
  unsigned from = 0;
};

/// What the linter knows about the result of an expression node. A label is "proved absent"
/// (Inference::absent) or not known to be; only the former is a finding.

struct Shape {
  bool labels_known = false; ///< no result series carries a label outside `labels`
  LabelSet labels;           ///< labels result series may carry (all of them if labels_known)
  LabelSet maybe;            ///< those of `labels` that some result series may lack
  /// Beyond `labels`, only target labels that the config does not name (no config, service
  /// discovery, labelmap) may appear: never one of the catalog's own label names.
  bool targets_open = false;
  LabelMap<std::string> dropped; ///< labels the config removes from every series, and where
  /// Labels that a well-known exporter writes on its other metrics but not on these series
  /// (catalog/exporters.hpp): absent, as no target label takes one of the exporter's own names
  /// (it would rename the exporter's label to exported_<name>).
  LabelSet unwritten;
  ValueKind kind = ValueKind::unknown;
  std::string unit;        ///< the catalog unit while it survives (seconds, bytes, percent, ratio)
  std::string bucket_unit; ///< a histogram's buckets: the unit of their le bounds, which a quantile takes
  std::string unit_of;     ///< whose unit it is, for messages ("confidence_scores", "the quantile of ...")
  bool filters = false;    ///< may return fewer series than its input (comparison, absent, ...)
  bool aggregated = false; ///< the values are an aggregation across series

  /// Labels that an operator of the expression takes off every result series (without,
  /// ignoring, on, by, a matcher l="", group_left of a label the other side lacks), with what did
  /// it: absent even where the rest of the label set is open.
  LabelMap<std::string> removed;
  /// Labels that some result series surely lack (one side of `or` has none), and about them.
  LabelMap<Lacking> lacking;
  /// The operator that made the label set closed and what it kept ("sum by (model) keeps only
  /// model", "on (instance) keeps no label"), if one did.
  std::string closed_by;
  /// Labels every result series carries with one of these values (an equality matcher, the
  /// catalog's fixed values); a label of `labels` not here has values nobody listed.
  LabelMap<std::vector<std::string>> values;
  /// Labels known to tell series of the result apart, with why: a regex matcher that accepts
  /// several values (code=~"5.."), an aggregation's by list. A one-to-one match that leaves such a
  /// label out may find several series in one match group, and Prometheus fails the evaluation.
  LabelMap<std::string> several;
  /// Labels that a group_left or group_right of the expression copied onto the result, with the
  /// operator that did ("group_left (tier)"): a later operator that drops one undoes the join.
  LabelMap<std::string> joined;

  /// The values the series can take: [lo, hi], each bound included or not. NaN aside.
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
  RangeReason range_of;    ///< what bounds the values, and whether a comparison of the expression did
  bool count_like = false; ///< the values count series or samples (count, absent): `> 0` is an idiom
  /// Some series may be NaN at times (0/0 of two rates, a quantile of no observations): why.
  std::string nan;
  promql::PosRange nan_at;     ///< where the NaN comes from
  bool nan_aggregated = false; ///< an aggregation already spread that NaN (reported there)
  bool nan_inf = false;        ///< a division by 0 can make them +Inf or -Inf too
  /// The expression can never return a series: why ("" when it may).
  std::string empty;
  /// The values are the rates of a counter whose series add up, over every value of the fact's
  /// label, to time that always passes (node_exporter's CPU modes), read over all of them: summed
  /// over that label they are above 0 (rules/exporters.yml `adds_up`). Only a rate and a selector
  /// of a recording rule's series keep it.
  const catalog::ExporterWhole* adds_up = nullptr;

  /// Back to a default Shape (nothing known) in place: the lists and strings keep their memory
  /// for the shape made next. Every node's shape starts so; assigning a default Shape instead
  /// copied each of its empty strings, a call each.
  void reset() {
    labels_known = targets_open = filters = aggregated = false;
    labels.clear(), maybe.clear(), dropped.clear(), unwritten.clear(), removed.clear(), lacking.clear();
    values.clear(), several.clear(), joined.clear();
    kind = ValueKind::unknown;
    unit.clear(), bucket_unit.clear(), unit_of.clear(), closed_by.clear(), nan.clear(), empty.clear();
    lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    lo_open = hi_open = count_like = nan_aggregated = nan_inf = false;
    range_of.clear();
    nan_at = {};
    adds_up = nullptr;
  }
  /// `label` set on every series to a value nobody listed (label_replace, count_values, a rule's
  /// labels).
  void set_label(const std::string& label) {
    labels.insert(label);
    maybe.erase(label);
    dropped.erase(label);
    unwritten.erase(label);
    removed.erase(label);
    lacking.erase(label);
    values.erase(label);
    several.erase(label);
    joined.erase(label);
  }
  /// Whether `v` lies within [lo, hi].
  bool may_be(double v) const { return (v > lo || (v == lo && !lo_open)) && (v < hi || (v == hi && !hi_open)); }
  void set_range(double l, double h, RangeReason why = {}) {
    lo = l, hi = h, lo_open = hi_open = false, range_of = std::move(why);
  }
  bool bounded() const { return std::isfinite(lo) || std::isfinite(hi); }
};
// reset() names every field: a field added to Shape and not cleared there would carry an earlier
// rule's facts into the next (the size is that of x86-64 with libstdc++, GCC and Clang alike).
static_assert(sizeof(Shape) == 560, "a new field of Shape: clear it in Shape::reset(), then update this size");

struct RawFlow;

/// A recording rule, as a metric other rules can use.
struct RecordedMetric {
  std::string name;
  Shape shape;
  core::Span span;
  /// What a selector of the name reads (recorded_metrics says which): the rules' results alone
  /// (`shape`); the scraped metric, whose series the rules only add copies to (they read the
  /// name: label_replace(sum(x{...}), "job", ...)), judged as that metric; or both, where nothing
  /// says that no exporter has the name.
  enum class Source { rules, scraped, both };
  Source source = Source::rules;
  /// Every rule of the name filters as Shape::filters says (a comparison, and, unless, absent,
  /// topk): its series exist only while the rule's condition holds (`shape.filters` is false: a
  /// reader's own filters count).
  bool filters = false;
  /// Rules of more than one directory record it (`span` is the last one's): several servers may.
  bool several_dirs = false;
  /// Rules of more than one file record it (`span` is the last one's).
  bool several_files = false;
  /// A rule of the name multiplies or divides its values by a number (x * 1000, x / 0.01): the
  /// unit or range its name promises may not be its values'.
  bool scaled = false;
  /// The metrics its rules select, a recorded one replaced by what it reads where its rule came
  /// first: two sides that read the same scraped series (labels/duplicate-match-group).
  std::set<std::string> reads;
  /// Where several rules record the name, each one's shape (`shape` is them all together): a
  /// selector whose matchers refuse some rules' series reads the others' only.
  std::vector<Shape> parts;
  /// The counter its one rule records raw (sum by (pod) (sum_over_time(x_total[1h]))): a reader
  /// that compares the series compares the counter's raw values (promql/counter-raw).
  std::shared_ptr<const RawFlow> raw;
};

/// What a vector selector's metric name refers to.
struct SeriesInfo {
  enum class Origin { catalog, recording, external, unknown, none } origin = Origin::unknown;
  std::string name;
  const catalog::Metric* metric = nullptr; ///< catalog
  std::string_view suffix;                 ///< catalog: "_bucket", "_total", ...; a view of the catalog's (SeriesRef)
  bool exists = true;                      ///< catalog: false for a histogram's base name
  const RecordedMetric* recorded = nullptr;
};

/// The counter an expression passes on raw, as its value flows (raw_flow).
struct RawFlow {
  std::optional<SeriesInfo> counter;  ///< the counter read raw (the ratio's numerator, the difference's minuend)
  std::optional<SeriesInfo> ratio_of; ///< the ratio's denominator, a raw counter too
  std::optional<SeriesInfo> minus;    ///< the difference's subtrahend, a raw counter too
  /// What the counter is read through, for findings: "sum_over_time()", "the recorded x"; "" for itself.
  std::string via;
  bool raw() const { return counter && !ratio_of && !minus; }
};

/// Infers label sets, counter-ness and units bottom-up, without recursion.
class Inference {
public:
  /// `targets`: the config's target labels, built once per run; nullptr: no config.
  Inference(const catalog::Catalog& cat, const TargetLabels* targets,
            const std::map<std::string, RecordedMetric>& recorded)
      : cat_(cat), targets_(targets), recorded_(recorded) {
    if (!targets_) {
      own_targets_ = std::make_unique<TargetLabels>(cat, nullptr);
      targets_ = own_targets_.get();
    }
  }

  SeriesInfo series(const promql::VectorSelector& vs) const;
  /// The rule file the expressions come from: a series recorded by the rules of another
  /// directory may come from another Prometheus. Not called: one Prometheus evaluates every rule.
  /// `querier`: a Thanos Ruler's group, which reads every series through the querier: each
  /// carries the external labels of the server that stored it, the ruler's own recorded ones too.
  void read_in(std::string_view file, bool querier = false) {
    file_ = file;
    dir_ = file.substr(0, file.rfind('/') + 1);
    querier_ = querier;
  }
  /// The labels the ruler of the rule at hand scopes it to (rules::Group::scope: an equality
  /// matcher on each in every selector, with a value of the ruler's); `labels` must outlive the
  /// runs. Kept until changed.
  void scoped(const std::vector<std::string>& labels) { scope_ = &labels; }
  /// What the series of a selector's metric carry before its matchers narrow them (at() of a
  /// selector has what the matchers add: the labels they require, the values they pin), for a
  /// selector of a tree run() saw (nothing known for others); valid until the next run().
  const Shape& leaf_labels(const promql::VectorSelector& vs) const { return find(leaves_, &vs); }
  /// Labels every series of a catalog metric carries once scraped (catalog labels, le, target labels).
  LabelSet scraped_labels(const catalog::Metric& m, std::string_view suffix) const;

  /// Computes shapes for every node of the tree; returns the root's (valid until the next run()).
  const Shape& run(const promql::Expr& root);
  /// Forgets every run's shapes, keeping their memory for the next runs: one Inference serves
  /// the rules of a thread in turn.
  void forget() {
    made_ = 0;
    index_.clear();
    leaves_.clear();
    series_.clear();
  }
  /// The recording rules the expressions may read.
  const std::map<std::string, RecordedMetric>& recorded() const { return recorded_; }
  /// Whether every rule of `r` is in the file the expressions come from (or no file was named).
  bool recorded_here(const RecordedMetric& r) const {
    return !file_ || (!r.several_files && r.span.file.str() == *file_);
  }
  /// The config's jobs and their target labels.
  const TargetLabels& targets() const { return *targets_; }
  /// The shape of a node of a tree run() saw (nothing known for others); valid until the next run().
  const Shape& at(const promql::Expr* e) const;
  /// Whether no series of `s` can carry `label` (a closed label set without it, a label the
  /// config drops or an operator removes, a catalog label name where only unknown target labels
  /// may be added, or a label its well-known exporter does not write on them).
  bool absent(const Shape& s, const std::string& label) const;
  /// The labels that `vm` compares which every series of `a` carries and no series of `other`
  /// can: each puts the two sides' match groups apart for good.
  std::vector<std::string> apart(const Shape& a, const Shape& other, const promql::VectorMatching& vm) const;
  /// The labels that `vm` compares whose values on `a` and on `b` never meet (flag="OL" against
  /// flag="OB"): each puts the two sides' match groups apart for good too.
  std::vector<std::string> values_apart(const Shape& a, const Shape& b, const promql::VectorMatching& vm) const;
  /// The value of a number expression (13.44 * 0.1, -(1), 2 ^ 10) of a tree run() saw, or nullopt.
  std::optional<double> constant(const promql::Expr* e) const;
  /// The number c of `vector(c)` (in parentheses too), c a number expression, or nullopt.
  std::optional<double> vector_number(const promql::Expr* e) const;
  /// Whether every series of `s` carries `label` (with a value that is not empty).
  static bool present(const Shape& s, const std::string& label) {
    return s.labels.count(label) && !s.maybe.count(label) && !s.removed.count(label);
  }
  /// Whether each series `part` reads is a series `whole` reads with the same labels: the same
  /// selector but for the part's extra matchers, through the same per-series functions.
  bool reads_itself(const promql::Expr* part, const promql::Expr* whole) const {
    return part_of_whole(part, whole).itself;
  }

private:
  // Each fills `s`, its place in shapes_, with the shape of one node (node() first empties the
  // place, which holds an earlier rule's shape, or copies a child's shape into it). leaf_labels
  // returns the recording rule whose series the selector reads, when its rule is at hand (one
  // Prometheus records and reads them).
  const RecordedMetric* leaf_labels(const promql::VectorSelector& vs, Shape& s) const;
  /// leaf_labels of the name's one source: its recording rules if they are it, else the scraper's.
  const RecordedMetric* one_source_labels(const promql::VectorSelector& vs, Shape& s) const;
  /// What a selector's matchers make of `s`, its metric's series (leaf_labels), read from
  /// `recorded` when it is a recording rule's.
  void leaf(const promql::VectorSelector& vs, const RecordedMetric* recorded, Shape& s) const;
  void node(const promql::Expr& e, Shape& s) const;
  void call(const promql::Call& c, Shape& s) const;
  void call_range(const promql::Call& c, const Shape& arg, Shape& s) const;
  void binary(const promql::BinaryExpr& b, Shape& s) const;
  void either(const Shape& l, const Shape& r, Shape& s, bool right_if_left_empty = false) const;
  void match_lacking(const promql::BinaryExpr& b, const Shape& l, const Shape& r, Shape& s) const;
  void passing(const promql::Expr* e, promql::BinaryOp op, double v, Shape& s) const;
  void aggregate(const promql::AggregateExpr& a, Shape& s) const;
  std::string min_of_one_hot(const promql::AggregateExpr& a) const;
  /// Why part / whole is at most 1, or an empty `why`.
  struct PartOfWhole {
    std::string why;
    bool itself = false;     ///< one series over itself: 1 (or NaN at 0)
    bool zero_whole = false; ///< the whole can be 0: 0 / 0 is NaN
    bool negative = false;   ///< the part can be below 0, never below minus the whole (FreeBSD's f_bavail)
    double part_times = 1;   ///< a positive factor on the part's values (sum(rate(x[1m]) * 100))
    double whole_times = 1;  ///< and on the whole's
  };
  PartOfWhole part_of_whole(const promql::Expr* part, const promql::Expr* whole) const;
  std::string zero_divisor(const promql::BinaryExpr& b, const Shape& l, const Shape& r, bool& inf) const;

  const catalog::Catalog& cat_;
  const TargetLabels* targets_;
  std::unique_ptr<TargetLabels> own_targets_;
  const std::map<std::string, RecordedMetric>& recorded_;
  std::optional<std::string_view> file_;            ///< the rule file read_in() named
  std::optional<std::string_view> dir_;             ///< of the rule file read_in() named, with its '/'
  bool querier_ = false;                            ///< read_in() a Thanos Ruler's group
  const std::vector<std::string>* scope_ = nullptr; ///< scoped()'s labels
  using Index = std::vector<std::pair<const promql::Expr*, std::size_t>>; ///< node -> shape, by node
  /// The latest run's shape of `e` in `index` (nothing known for a node no run saw).
  const Shape& find(const Index& index, const promql::Expr* e) const;
  SeriesInfo series_of(const std::string& name) const; ///< series() without the memo
  /// Of the nodes run() saw, and of their selectors before the matchers: the first made_. The
  /// others are places that forget() freed, each keeping the memory of its strings and lists.
  std::vector<Shape> shapes_;
  std::size_t made_ = 0;
  Index index_;                ///< node -> its shape
  Index leaves_;               ///< selector -> its metric's shape before its matchers (leaf_labels)
  mutable unsigned sides_ = 0; ///< the sides of `or` numbered so far (Lacking::from)
  /// series() of the names asked since the last run() or forget(): the inference and several
  /// checks ask it of each selector (~4 times), and the answer depends on the name alone.
  mutable std::vector<SeriesInfo> series_;
};

/// The series of two rules of one name together, as a selector of the name reads them
/// (recorded.cpp).
void combine_recorded(Shape& s, const Shape& other, const Inference& inf);

/// What a comparison `s OP v` of a series with a number does, the values `s` can take known.
enum class Verdict { depends, never, always };
Verdict compare(const Shape& s, promql::BinaryOp op, double v);
/// Whether `x OP v` holds for the comparison OP; an operator that is not a comparison filters nothing.
bool holds(promql::BinaryOp op, double x, double v);
/// `a OP b` as `b OP' a`.
promql::BinaryOp flip(promql::BinaryOp op);
/// The call's argument `i` if it is written as a number (clamp_min(x, 0)'s 0).
std::optional<double> number_arg(const promql::Call& c, std::size_t i);
/// Whether one NaN among an aggregation's series makes its result NaN (sum, avg, stddev, stdvar).
bool spreads_nan(promql::AggregateOp op);
/// Whether each group of the aggregation holds one series: it groups by every label its input can
/// carry but those with one value (a vector's series differ in their labels).
bool one_series_per_group(const promql::AggregateExpr& a, const Shape& in);

/// Why another exporter's gauge named `name` is 0 when nothing limits (cAdvisor's memory limits,
/// Go's database/sql pool size), or "": a division by it meets that 0 with a dividend that is not.
std::string unlimited_is_zero(std::string_view name);
/// The selector of `divisor` that reads such a limit (unlimited_is_zero), or nullptr.
const promql::VectorSelector* unlimited_limit(const promql::Expr& divisor);

/// The unit an expression's values are in by the names of the series it reads, or "": a scraped
/// series' name ending in a base unit (_bytes, _seconds) or in percent or ratio, kept by the
/// functions and aggregations that keep values, by + and - of one unit; "quotient" for a
/// division of one unit by itself (used_bytes / total_bytes). `of` gets the names it read.
std::string unit_by_name(const promql::Expr& e, std::string* of = nullptr);

/// The operand whose values a node passes on as they are, or nullptr: an aggregation that keeps
/// its input's unit, a filter (and, unless, a comparison without bool) its left side or, where
/// that is a number, its right (`0 < x` keeps x's values).
const promql::Expr* passes_values_of(const promql::Expr& e);

/// The unit of time an expression's values are in by the names of the series it reads, in seconds:
/// seconds (1), milliseconds (0.001; `_milliseconds`, `_ms`), or a gauge's or recorded series'
/// minutes, hours or days (60, 3600, 86400; `_hours`, or seconds `/ 3600`), or 0 where they are no duration or the
/// names do not say. A duration series, its increase, histogram_quantile of its buckets, a rate of
/// its `_sum`/`_total` over a rate of a count (seconds per request), kept by the functions and
/// aggregations that keep values and scaled by `* 1000` or `/ 1000`. A rate alone is seconds per
/// second (a busy fraction), no duration. `of` gets the names it read.
double duration_unit(const promql::Expr& e, std::string* of = nullptr);

/// The increase() or the rate()/irate() whose values an expression's are, through the
/// aggregations that keep values (sum, avg, min, max, quantile, topk, bottomk), a filter (a
/// comparison without bool, and, unless), and +, - or `or` of two of one kind; nullptr where
/// anything else (a number's scaling: `rate(x[5m]) * 300`) makes them. An increase is a count per
/// its range, a rate a count per second.
const promql::Call* counted_by(const promql::Expr& e);
/// Whether an expression's values are a ratio of two counts of events over the same window: a
/// division of rate()s (or of increase()s) of counters named as counts (a `_total` without a unit,
/// a `_count`), under the aggregations that keep values: where 1 is 100%. `of` gets the names read.
bool count_ratio(const promql::Expr& e, std::string* of = nullptr);
/// The counter of events (a `_total` without a unit, a `_count`) whose increase() or rate() an
/// expression's values are, as counted_by() follows them, or "": a number of events per second or
/// per window, no share of anything (`rate(errors_total[5m]) > 0.05`).
std::string events_counted(const promql::Expr& e);

/// Why the name of a recorded series says that its values lie between 0 and 1, or "": a metric
/// part in Prometheus's ratio unit (level:disk_usage_ratio:avg; only operations that keep the
/// range), or Sloth's and nsmon's SLI error ratio and objective (slo:sli_error:ratio_rate5m).
std::string ratio_by_name(std::string_view name);
/// `s` narrowed to [0, 1] because of `why` (ratio_by_name), unless its values are known to lie
/// elsewhere (a rule that records a percentage under a ratio's name keeps its range).
void narrow_to_ratio(Shape& s, const std::string& why);

/// What took `label` off every series of `s`, in words ("sum without (job) removes it"), or ""
/// when no operator of the expression did (the series never had it).
std::string removed_by(const Shape& s, const std::string& label);

/// `e` with parentheses removed.
const promql::Expr* unparen(const promql::Expr* e);
/// Whether a vector match compares `label`: one on (...) lists, or one ignoring (...) leaves out.
bool compares(const promql::VectorMatching& vm, const std::string& label);
/// Whether a selector has a matcher on `label`.
bool narrows(const promql::VectorSelector& vs, const std::string& label);
/// Whether a label names where a series comes from (cluster, job, namespace, node, region, ...),
/// which the labels a rule matches on usually decide: several values of one do not make several
/// series in a match group.
bool names_origin(std::string_view label);

/// Whether a selector reads kube-state-metrics' state series (kube_pod_status_phase,
/// kube_node_status_condition, ...) by their state label. By its name only: such a metric has a
/// series for every object and every state, 1 for the state that holds and 0 for the others, so
/// a matcher on the state picks every object.
bool kube_state_series(const promql::VectorSelector& vs);

/// A matcher of a selector that no value a well-known exporter writes passes
/// (node_md_disks{state="fail"}; catalog/exporters.hpp): the selector never matches.
struct ExporterRefusal {
  const promql::Matcher* matcher = nullptr;
  std::string why;  ///< "node_exporter writes state on node_md_disks as one of ..."
  std::string hint; ///< a near-identical value, or the two values swapped; "" when none
};
std::optional<ExporterRefusal> exporter_refusal(const promql::VectorSelector& vs);
/// Why `m` accepts none of the values `known`'s exporter writes in `l` (its closed values, or
/// decimal numbers), in the exporter's words; "" when it may accept one.
std::string exporter_refuses(const catalog::ExporterMetric& known, const catalog::ExporterLabel& l,
                             const promql::Matcher& m);

/// Whether a function turns counter samples into per-second or total increases.
bool is_rate_function(std::string_view name);
/// The fact of the counter a rate `c` reads whose series add up to a whole (node_exporter's CPU
/// time, rules/exporters.yml `adds_up`), or nullptr. whole_only: only where no matcher on the
/// label that splits the whole narrows the selector, so that the rates summed make the whole.
const catalog::ExporterWhole* rate_whole(const promql::Call& c, bool whole_only);
/// Whether a function's result keeps its input's labels, unit and range (abs, round, clamp,
/// avg/min/max/quantile_over_time, sort, ...).
bool keeps_unit(std::string_view name);
/// keeps_unit, or a function that changes only labels (label_replace, label_join): its values are
/// its input's, with their kind (a counter stays one), unit and range.
bool keeps_values(std::string_view name);
/// The range of `l OP r` for arithmetic operators (value_range.cpp), into `s`.
void arithmetic_range(promql::BinaryOp op, const Shape& l, const Shape& r, Shape& s);
/// The kind of `l OP r` for arithmetic operators (value_range.cpp).
ValueKind arithmetic_kind(promql::BinaryOp op, const Shape& l, const Shape& r);
/// The one value a shape's series can take, if its range is a single number.
std::optional<double> only_value(const Shape& s);
/// Where `e` reads a health gauge, 0 or 1 by its name (`up`, and an exporter's `mysql_up` or
/// `elasticsearch_up`: whether the last scrape of what it watches succeeded), the one of 0 and 1
/// that passes `OP v` when only one does: `up != 1` leaves 0, as `up == 0` does.
std::optional<double> health_value_passing(const promql::Expr* e, promql::BinaryOp op, double v);
/// `a op b` for an arithmetic operator; NaN for others.
double combine(promql::BinaryOp op, double a, double b);
/// The counter `e` passes on raw as its value flows, for a tree `inf` ran (expr_counters.cpp,
/// promql/counter-raw): nothing where no counter's raw value reaches the result.
RawFlow raw_flow(const Inference& inf, const promql::Expr* e);

} // namespace nsmon::lint
