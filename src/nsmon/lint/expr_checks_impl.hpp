// ExprChecks::Impl, the checks of expr_checks.hpp, declared once and defined by theme in
// expr_checks.cpp (the walk), expr_catalog.cpp (names, labels, matchers), expr_calls.cpp (functions,
// histograms), expr_binary.cpp (thresholds, units), expr_counters.cpp (a counter read raw),
// expr_matching.cpp (vector matching) and expr_aggregates.cpp (aggregations, rate windows).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/expr_checks.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/promql/regex.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

// The checks themselves; findings go back through ExprChecks::emit.
class ExprChecks::Impl {
public:
  explicit Impl(ExprChecks& self)
      : self_(self), inf_(self.inf_), cat_(self.cat_), cfg_(self.cfg_), names_(self.names_) {}

  void run(const Expr& root);

private:
  // expr_checks.cpp: the walk and where a node's series go
  void emit(core::CheckId check, PosRange range, std::string msg, std::string suggestion = {});
  bool reaches_result(const Expr& n, std::span<const Expr* const> path, bool folded) const;
  static bool values_read(const Expr& n, std::span<const Expr* const> path);
  bool labels_matched(const BinaryExpr& b, const Expr* side) const;
  bool filtered_out(const Expr& n, std::span<const Expr* const> path) const;

  // expr_catalog.cpp: the catalog's names, labels and values; matchers
  void selector(const VectorSelector& vs);
  void unknown_name(const VectorSelector& vs, const std::string& name, PosRange at);
  void labels(const VectorSelector& vs, const catalog::Metric& m, std::string_view suffix);
  void unknown_job(const VectorSelector& vs, const SeriesInfo& s);
  static bool unlisted_label_required(const Shape& shape, const Matcher& mt);
  void unlisted_label(const Matcher& mt, const catalog::Metric& m, const std::vector<std::string>& candidates);
  void le_value(const Matcher& mt, const catalog::Metric& m);
  void regex_as_text(const Matcher& mt);
  void unnormalized_le(const VectorSelector& vs, const SeriesInfo& s);
  static std::string_view prefix_branch(std::string_view v, std::string& text);
  bool prefix_regex(const Matcher& mt);
  bool redundant_anchors(const Matcher& mt);
  void glob_regex(const Matcher& mt);
  void regex(const Matcher& mt);

  // expr_calls.cpp: functions, histograms
  static const VectorSelector* selector_of(const Expr* e);
  const BinaryExpr* gauge_arithmetic(const Expr* e) const;
  void call(const Call& c, std::span<const Expr* const> path);
  static bool asks_if_changed(const Expr& n, std::span<const Expr* const> path);
  static bool named_like_unix_time(std::string_view n);
  void timestamp_of_time(const Call& c);
  static std::string unix_time_of(const Expr* e);
  static bool read_as_time(const Expr& n, std::span<const Expr* const> path);
  void sum_of_times(const Expr& n, const Expr* arg, std::span<const Expr* const> path);
  void label_replace_no_match(const Call& c);
  void label_replace_unwritten(const Call& c);
  void state_count(const AggregateExpr& a, std::span<const Expr* const> path);
  void count_never_zero(const AggregateExpr& a, std::span<const Expr* const> path);
  void absent_reads(const Call& c);
  void unitless(const Expr& n, bool written_unitless, std::string_view what, std::int64_t ns);
  void duration_number(const NumberLiteral& nl, std::span<const Expr* const> path);
  void quantile_range(const Expr* arg, const std::string& what);
  void histogram_quantile(const Call& c);
  bool classic_bucket(const VectorSelector& vs) const;
  void bucket(const VectorSelector& vs, bool rated, bool aggregated, const Call& hq);
  bool family_rated(std::string_view base) const;

  // expr_matching.cpp: vector matching
  void matching(const BinaryExpr& b, const VectorMatching& vm);
  static std::string added_since(const Expr& side, const std::vector<std::string>& names);
  static std::string written_without(const Expr& side, const std::vector<std::string>& names);
  bool on_removed(const BinaryExpr& b, const VectorMatching& vm);
  bool fewer_kept(const BinaryExpr& b, const VectorMatching& vm);
  bool instances_apart(const VectorMatching& vm, const Shape& s, const Expr& side) const;
  static const VectorSelector* selector_below(const Expr* e);
  static bool apart_by_exporter(const Expr& side, const std::string& x, const VectorMatching& vm, const Shape& s);
  static bool names_within(const Expr& side, const std::string& x);
  static std::string match_too(const VectorMatching& vm, const std::string& x);
  bool duplicate_group(const BinaryExpr& b, const VectorMatching& vm, bool left);
  std::string right_reads_more(const BinaryExpr& b, const VectorMatching& vm, std::string& why) const;
  void one_side_mirrors(const BinaryExpr& b, const VectorMatching& vm);
  bool one_side_apart(const BinaryExpr& b, const VectorMatching& vm);
  void join_undone(const BinaryExpr& b, const VectorMatching& vm);
  void copied_labels(const BinaryExpr& b, const VectorMatching& vm);

  // expr_binary.cpp: thresholds, units
  void binary(const BinaryExpr& b, std::span<const Expr* const> path);
  void scalar_threshold(const BinaryExpr& b);
  void dead_fallback(const BinaryExpr& b, const VectorMatching& vm);
  void filters_apart(const BinaryExpr& b, const VectorMatching& vm);
  void or_adds_nothing(const BinaryExpr& b, const VectorMatching& vm);
  static std::optional<double> literal(const Expr* e);
  /// The comparison right above `n` (parentheses aside) with a number on its other side, read as
  /// `n OP v`: the number moved to the right.
  struct Threshold {
    const Expr* node; ///< the comparison, as it stands in the path
    const BinaryExpr& cmp;
    BinaryOp op;
    double v;
  };
  static std::optional<Threshold> threshold_above(const Expr& n, std::span<const Expr* const> path);
  /// The nearest ancestor in `path` that is not a parenthesis, or nullptr.
  static const Expr* parent_of(std::span<const Expr* const> path);
  void nan_threshold(const BinaryExpr& b);
  void gate_never_empty(const BinaryExpr& b, const VectorMatching& vm);
  void unlimited_divisor(const BinaryExpr& b, const Expr* side, const Expr* other, std::span<const Expr* const> path);
  static bool limit_guarded(const BinaryExpr& cmp, std::span<const Expr* const> path, const std::string& limit);
  void mixed_or(const BinaryExpr& b);
  void time_minus_quotient(const BinaryExpr& b);
  void count_vs_rate(const BinaryExpr& b);
  void mirrored_threshold(const BinaryExpr& b);
  void units(const BinaryExpr& b, const Expr* side, const Expr* other);
  void fallback_removed(const BinaryExpr& b, const Expr* side, const Expr* other);
  void against_itself(const BinaryExpr& b);
  void timestamp_threshold(const BinaryExpr& b, const Expr* side, const Expr* other);
  bool bounded(const BinaryExpr& b, const Expr* side, const Expr* other, double v);
  static std::string range_text(const Shape& s);

  // expr_counters.cpp: a counter read raw
  /// What a comparison's side makes of a raw counter: the counter it reads raw, or a ratio or a
  /// difference of two.
  void counter_raw(const BinaryExpr& b, const Expr* side);
  void counter_ratio(const BinaryExpr& cmp, const RawFlow& flow, bool zero);
  void counter_difference(const BinaryExpr& cmp, const SeriesInfo& a, const SeriesInfo& b);
  bool ever_since_start(const BinaryExpr& cmp, const Expr* side) const;
  void counter_gauge_function(const Call& c, std::span<const Expr* const> path);
  void counter_offset_difference(const BinaryExpr& b, std::span<const Expr* const> path);
  static bool asks_for_falls(const Expr& n, std::span<const Expr* const> path);

  // expr_aggregates.cpp: aggregations; rate windows against the scrape interval
  void aggregate(const AggregateExpr& a, bool reaches_result, bool values_used);
  bool keeps_a_picked_label(const AggregateExpr& a) const;
  bool keeps_the_host(const AggregateExpr& a) const;
  bool leaves_out_a_known_label(const AggregateExpr& a, const Shape& in) const;
  std::vector<const rules::ScrapeJob*> scraping_jobs(const VectorSelector& vs) const;
  void rate_window(const VectorSelector& vs, const Expr* arg);

  ExprChecks& self_;
  Inference& inf_;
  const catalog::Catalog& cat_;
  const rules::Config* cfg_;
  const std::vector<std::string>& names_;
  const Expr* root_ = nullptr; ///< the expression run() checks
};

} // namespace nsmon::lint
