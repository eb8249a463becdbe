#include "nsmon/lint/expr_checks_impl.hpp"

namespace nsmon::lint {

void ExprChecks::Impl::binary(const BinaryExpr& b, std::span<const Expr* const> path) {
  const VectorMatching* vm = b.matching();
  if (vm && b.op != BinaryOp::lor) matching(b, *vm);
  if (vm && b.op != BinaryOp::lor) join_undone(b, *vm);
  if (vm && !is_set_operator(b.op)) dead_fallback(b, *vm);
  if (vm && (b.op == BinaryOp::land || b.op == BinaryOp::lunless)) gate_never_empty(b, *vm);
  if (vm && b.op == BinaryOp::land) filters_apart(b, *vm);
  if (vm && b.op == BinaryOp::lor) or_adds_nothing(b, *vm);
  if (b.op == BinaryOp::lor) mixed_or(b);
  if (b.op == BinaryOp::lor) mirrored_threshold(b);
  count_vs_rate(b);
  if (b.op == BinaryOp::sub) counter_offset_difference(b, path);
  if (b.op == BinaryOp::sub) time_minus_quotient(b);
  if (is_comparison(b.op)) {
    nan_threshold(b);
    unlimited_divisor(b, b.lhs, b.rhs, path);
    unlimited_divisor(b, b.rhs, b.lhs, path);
    units(b, b.lhs, b.rhs);
    units(b, b.rhs, b.lhs);
    fallback_removed(b, b.lhs, b.rhs);
    fallback_removed(b, b.rhs, b.lhs);
    timestamp_threshold(b, b.lhs, b.rhs);
    timestamp_threshold(b, b.rhs, b.lhs);
    against_itself(b);
    counter_raw(b, b.lhs);
    counter_raw(b, b.rhs);
    scalar_threshold(b);
  }
}

// The series an `or` adds without a label (`x{region=~"a|b"} or vector(0)`, the fallback for no x)
// against a side whose every series has it, matched on it: they never match, so where the or's
// other side has no series the operator returns nothing, not the fallback's value (pint's
// promql/impossible cases: an alert meant to fire on missing data stays silent). Not for job and
// instance: a name without a colon is taken to carry them as a scraped series would, but one that
// another server's rules record may not, and the fallback would match it (pint's clean cases
// `(foo or vector(0)) / bar`), unless every selector of that side gives it a value
// (`x{instance=~"cr.*"}`: wikimedia operations-alerts c0fc5e4^, a drop ratio that read nothing
// where one of two drop counters had no series). Arithmetic and comparisons match without __name__.
namespace {
bool given_everywhere(const Expr& side, const std::string& x) {
  bool any = false, all = true;
  walk(side, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind != NodeKind::vector_selector) return all;
    const auto& ms = n.as<VectorSelector>().matchers;
    any = true;
    all = std::any_of(ms.begin(), ms.end(), [&](const auto& m) { return m.name == x && !promql::matches_empty(m); });
    return all;
  });
  return any && all;
}

// An always-1 gauge read whole with a matcher on one of its own labels (OpenPAI's
// `pai_node_count{ready!="true"}`: the watchdog writes each node's state in the labels, the value
// 1): the matcher is the condition, and a comparison every series passes only says that such a
// series exists, as `count(x) > 0` does. job and instance pick targets, not states.
bool state_picked_from_labels(const Expr* side, const SeriesInfo& info) {
  if (side->kind != NodeKind::vector_selector || info.origin != SeriesInfo::Origin::external ||
      !catalog::exporters().always_one(info.name))
    return false;
  const auto& ms = side->as<VectorSelector>().matchers;
  return std::any_of(ms.begin(), ms.end(),
                     [](const auto& m) { return m.name != "__name__" && m.name != "job" && m.name != "instance"; });
}
} // namespace

void ExprChecks::Impl::dead_fallback(const BinaryExpr& b, const VectorMatching& vm) {
  const Shape& l = inf_.at(b.lhs);
  const Shape& r = inf_.at(b.rhs);
  // A side, or the operator itself, that never returns anything was reported where that began.
  if (!l.empty.empty() || !r.empty.empty() || !inf_.at(&b).empty.empty()) return;
  for (const Shape* side : {&l, &r}) {
    const Shape& other = side == &l ? r : l;
    const Expr& other_expr = side == &l ? *b.rhs : *b.lhs;
    for (const auto& [x, k] : side->lacking) {
      const bool target = x == "job" || x == "instance";
      if (!compares(vm, x) || x == "__name__" || !Inference::present(other, x) ||
          (target && !given_everywhere(other_expr, x)))
        continue;
      const std::string op = to_string(b.op);
      emit("labels/impossible-match", b.range,
           util::concat({k.why, ", and every series of the other side of '", op, "' has ", x,
                         ": those series never match, so where the or's other side has no series, '", op,
                         "' returns nothing, not the fallback's value"}),
           util::concat({"give the fallback the label (label_replace(vector(0), \"", x,
                         "\", ...)), or aggregate it away on both sides"}));
      return;
    }
  }
}

// `x <= 199 and x >= 300` (awesome-prometheus-alerts bb5dba2: a status outside 200-299, meant
// with `or`): both sides filter the values of one expression, and matched on every label each of
// its series meets itself, so a value must pass both. Where no number passes both, and returns
// nothing: the alert never fires.
void ExprChecks::Impl::filters_apart(const BinaryExpr& b, const VectorMatching& vm) {
  if (vm.on || !vm.labels.empty()) return;
  const Shape& l = inf_.at(b.lhs);
  const Shape& r = inf_.at(b.rhs);
  if (!l.empty.empty() || !r.empty.empty()) return;
  // The expression a chain of comparisons with numbers filters: not passes_values_of(), which also
  // goes through sum() and max(), whose series are not the expression's own.
  auto filtered = [&](const Expr* e) {
    e = unparen(e);
    while (e->kind == NodeKind::binary && is_comparison(e->as<BinaryExpr>().op) && !e->as<BinaryExpr>().return_bool) {
      const auto& c = e->as<BinaryExpr>();
      if (inf_.constant(c.rhs)) e = unparen(c.lhs);
      else if (inf_.constant(c.lhs)) e = unparen(c.rhs);
      else break;
    }
    return e;
  };
  const Expr* lb = filtered(b.lhs);
  const Expr* rb = filtered(b.rhs);
  if (lb == unparen(b.lhs) || rb == unparen(b.rhs) || print(*lb) != print(*rb)) return;
  const double lo = std::max(l.lo, r.lo), hi = std::min(l.hi, r.hi);
  const bool lo_open = (l.lo == lo && l.lo_open) || (r.lo == lo && r.lo_open);
  const bool hi_open = (l.hi == hi && l.hi_open) || (r.hi == hi && r.hi_open);
  if (lo < hi || (lo == hi && !lo_open && !hi_open)) return;
  emit("promql/impossible", b.range,
       util::concat({"both sides of 'and' filter the values of ", print(*lb),
                     ", and each of its series meets itself there: no value passes both `", print(*b.lhs), "` and `",
                     print(*b.rhs), "`, so and never returns anything"}),
       "to keep the values outside a range, join the two comparisons with or");
}

// `(rate(x[90m]) * 8 >bool 8.5 or rate(x[15m]) * 8 >bool 9.5) == 1` (sapcc helm-charts 5b42087:
// one of two bandwidth thresholds, and the second never counted): `or` adds a right side's series
// only where the left has none of its labels (matched without the metric name). Where both sides
// read one selector through steps that keep each series' labels, and the left filters nothing
// (`bool` keeps every series, as 0 or 1), the left has a series wherever the right can: the right
// side never reaches the result. A range function's series exists where its window holds the
// samples it needs, so a left side over a longer window (or one needing fewer samples) covers it;
// `rate(x[5m]) or rate(x[1h])`, a short window with a longer fallback, does not.
namespace {
struct Reads {
  const Expr* root = nullptr;      ///< the selector, or the range function's call
  std::vector<std::string> groups; ///< the aggregations between, their grouping printed
  bool filters = false;            ///< a step may remove series
  bool with_bool = false;          ///< a step is a comparison with bool
};

int samples_needed(const std::string& f) {
  return is_rate_function(f) || f == "delta" || f == "idelta" || f == "deriv" ? 2 : 1;
}

Reads reads(const Expr* e, const Inference& inf) {
  static const std::set<std::string, std::less<>> keeps{"abs",       "ceil",  "floor", "round",    "exp",   "ln",
                                                        "log2",      "log10", "sqrt",  "sgn",      "clamp", "clamp_min",
                                                        "clamp_max", "deg",   "rad",   "timestamp"};
  Reads r;
  for (;;) {
    e = unparen(e);
    if (e->kind == NodeKind::unary) {
      e = e->as<UnaryExpr>().expr;
    } else if (e->kind == NodeKind::binary) {
      const auto& b = e->as<BinaryExpr>();
      if ((b.op == BinaryOp::land || b.op == BinaryOp::lunless)) {
        r.filters = true;
        e = b.lhs;
        continue;
      }
      const bool l = inf.constant(b.lhs).has_value(), rc = inf.constant(b.rhs).has_value();
      if (l == rc || is_set_operator(b.op)) break;
      if (is_comparison(b.op)) (b.return_bool ? r.with_bool : r.filters) = true;
      e = l ? b.rhs : b.lhs;
    } else if (e->kind == NodeKind::aggregate) {
      const auto& a = e->as<AggregateExpr>();
      if (a.param) break;
      r.groups.push_back((a.without ? "without " : "by ") + util::join(a.grouping, ","));
      e = a.expr;
    } else if (e->kind == NodeKind::call && keeps.contains(e->as<Call>().name) && !e->as<Call>().args.empty()) {
      e = e->as<Call>().args[0];
    } else {
      break;
    }
  }
  // absent_over_time has a series where the window has none: its longer window covers less.
  const bool range_call = e->kind == NodeKind::call && e->as<Call>().args.size() == 1 &&
                          e->as<Call>().name != "absent_over_time" &&
                          e->as<Call>().args[0]->kind == NodeKind::matrix_selector &&
                          !e->as<Call>().args[0]->as<MatrixSelector>().range_expr;
  if (e->kind == NodeKind::vector_selector || range_call) r.root = e;
  return r;
}
} // namespace

void ExprChecks::Impl::or_adds_nothing(const BinaryExpr& b, const VectorMatching& vm) {
  if (vm.on || !vm.labels.empty()) return;
  const Reads l = reads(b.lhs, inf_), r = reads(b.rhs, inf_);
  if (!l.root || !r.root || l.filters || l.groups != r.groups || l.root->kind != r.root->kind) return;
  const VectorSelector* ls = nullptr;
  const VectorSelector* rs = nullptr;
  if (l.root->kind == NodeKind::vector_selector) {
    ls = &l.root->as<VectorSelector>(), rs = &r.root->as<VectorSelector>();
  } else {
    const auto &lc = l.root->as<Call>(), &rc = r.root->as<Call>();
    const auto &lm = lc.args[0]->as<MatrixSelector>(), &rm = rc.args[0]->as<MatrixSelector>();
    if (samples_needed(lc.name) > samples_needed(rc.name) || lm.range_ns < rm.range_ns) return;
    ls = &lm.selector->as<VectorSelector>(), rs = &rm.selector->as<VectorSelector>();
  }
  if (print(*ls) != print(*rs)) return;
  emit("promql/impossible", b.range,
       util::concat({"the right side of 'or' never adds a series: both sides read ", print(*ls),
                     ", keeping each series' labels, and the left filters none of them",
                     l.with_bool ? " (a comparison with bool keeps every series, as 0 or 1)" : "",
                     ", so it has a series wherever the right has one, and 'or' returns the left's"}),
       "filter the left side (a comparison without bool), so that the right side fills in where it does not pass");
}

// A comparison of series with a threshold that moves with time() (timestamp(x) < time() - 36000)
// that the inference knows no value passes: a number as threshold is bounded()'s.
void ExprChecks::Impl::scalar_threshold(const BinaryExpr& b) {
  const Expr* threshold = b.lhs->type == ValueType::scalar ? b.lhs : b.rhs;
  const Expr* series = threshold == b.lhs ? b.rhs : b.lhs;
  const Shape& s = inf_.at(&b);
  if (threshold->type != ValueType::scalar || series->type != ValueType::vector || inf_.constant(threshold) ||
      s.empty.empty() || !inf_.at(series).empty.empty())
    return;
  emit("promql/impossible", b.range, s.empty + ": the expression never returns anything",
       "compare with a time the lookback allows, or read the time the series holds as its value");
}

std::optional<ExprChecks::Impl::Threshold> ExprChecks::Impl::threshold_above(const Expr& n,
                                                                             std::span<const Expr* const> path) {
  const Expr* up = parent_of(path);
  if (!up || up->kind != NodeKind::binary) return std::nullopt;
  const auto& b = up->as<BinaryExpr>();
  const bool left = unparen(b.lhs) == &n;
  const std::optional<double> v = literal(left ? b.rhs : b.lhs);
  if (!is_comparison(b.op) || !v) return std::nullopt;
  return Threshold{up, b, left ? b.op : flip(b.op), *v};
}

const Expr* ExprChecks::Impl::parent_of(std::span<const Expr* const> path) {
  auto it = std::find_if(path.rbegin(), path.rend(), [](const Expr* e) { return e->kind != NodeKind::paren; });
  return it == path.rend() ? nullptr : *it;
}

std::optional<double> ExprChecks::Impl::literal(const Expr* e) {
  e = unparen(e);
  if (e && e->kind == NodeKind::number_literal) return e->as<NumberLiteral>().value;
  if (e && e->kind == NodeKind::unary && unparen(e->as<UnaryExpr>().expr)->kind == NodeKind::number_literal) {
    double v = unparen(e->as<UnaryExpr>().expr)->as<NumberLiteral>().value;
    return e->as<UnaryExpr>().op == UnaryOp::minus ? -v : v;
  }
  return std::nullopt;
}

// A comparison with the number NaN: NaN is unequal to every value, itself too, and neither less
// nor greater than any, so x != NaN keeps every sample (NaN ones too) and the other comparisons
// keep none. Written to drop NaN samples, it drops nothing (gitlab-com/runbooks 5bee5bb).
void ExprChecks::Impl::nan_threshold(const BinaryExpr& b) {
  if (b.return_bool) return;
  auto l = literal(b.lhs), r = literal(b.rhs);
  if (!(l && std::isnan(*l)) && !(r && std::isnan(*r))) return;
  const std::string op = to_string(b.op);
  if (b.op == BinaryOp::neq)
    emit("promql/always-true", b.range,
         "'!= NaN' is true of every sample, NaN ones too (NaN is unequal to every value, itself included): it "
         "removes nothing",
         "to drop NaN samples compare the series with itself (x == x), or with a bound its values keep (x >= 0)");
  else
    emit("promql/impossible", b.range,
         "'" + op +
             " NaN' is never true (NaN is neither equal to, less nor greater than any value, itself "
             "included): the expression never returns anything",
         "to keep only NaN samples write x != x");
}

// The right side of and/unless that has a sample for every series of the left, whatever their
// values: the left's own selector (or the same with fewer matchers), as it is or through a range
// function that returns a sample for each series with one sample in its range (changes(),
// resets(), *_over_time(); not rate() or delta(), which need two). A left series present now has
// a sample within the lookback (5m), so in a range of 5m or more. unless then removes every series
// and and keeps every one (DataMover's DataMoverStuckInPhase, `x unless on (name, namespace)
// changes(x[10m])`, never fired: proofs/gate-never-empty.test.yml). Not with offset or @.
void ExprChecks::Impl::gate_never_empty(const BinaryExpr& b, const VectorMatching& vm) {
  if (self_.metricsql_) return;
  auto plain = [](const Expr* e) -> const VectorSelector* {
    if (e->kind != NodeKind::vector_selector) return nullptr;
    const auto& vs = e->as<VectorSelector>();
    const TimeModifiers& t = vs.modifiers;
    const bool shifted = t.offset_ns != 0 || t.offset_expr || t.at != AtKind::none || vs.anchored || vs.smoothed;
    return shifted || metric_name(vs).empty() ? nullptr : &vs;
  };
  const VectorSelector* l = plain(unparen(b.lhs));
  const Expr* r = unparen(b.rhs);
  const VectorSelector* rs = plain(r);
  std::string via;
  if (!rs && r->kind == NodeKind::call) {
    static const std::set<std::string> one_sample = {"changes",          "resets",           "avg_over_time",
                                                     "min_over_time",    "max_over_time",    "sum_over_time",
                                                     "count_over_time",  "last_over_time",   "present_over_time",
                                                     "stddev_over_time", "stdvar_over_time", "quantile_over_time"};
    const auto& c = r->as<Call>();
    const Expr* arg = c.args.empty() ? nullptr : unparen(c.args.back());
    if (!one_sample.count(c.name) || !arg || arg->kind != NodeKind::matrix_selector) return;
    const auto& m = arg->as<MatrixSelector>();
    if (m.range_expr || m.range_ns < std::int64_t{300'000'000'000}) return;
    // A function drops __name__: on (__name__) would then match nothing.
    if (vm.on && std::find(vm.labels.begin(), vm.labels.end(), "__name__") != vm.labels.end()) return;
    rs = plain(m.selector);
    via = util::concat({c.name, "() of "});
  }
  if (!l || !rs || metric_name(*l) != metric_name(*rs)) return;
  for (const auto& m : rs->matchers) {
    if (m.name == "__name__" && m.op == MatchOp::equal) continue;
    if (std::none_of(l->matchers.begin(), l->matchers.end(),
                     [&](const Matcher& x) { return x.name == m.name && x.op == m.op && x.value == m.value; }))
      return;
  }
  const std::string what =
      util::concat({"the right side of '", to_string(b.op), "', ", via, "the left side's own series (", print(*b.rhs),
                    "), has a sample for every series of the left whatever its value"});
  if (b.op == BinaryOp::lunless)
    emit("promql/impossible", b.range,
         what + ": unless removes every series, and the expression never returns anything",
         "filter the right side to the series it should remove (" + print(*b.rhs) + " > 0)");
  else
    emit("promql/always-true", b.range, what + ": and keeps every series, it removes nothing",
         "filter the right side to the series it should keep (" + print(*b.rhs) + " > 0), or drop the and");
}

// A division by a limit that its exporter reports as 0 for "no limit" is +Inf there, and +Inf
// passes every > : the usage-over-limit alert fires for every container or pool without one
// (awesome-prometheus-alerts cf70272). Inside an aggregation nan-in-aggregation says it.
void ExprChecks::Impl::unlimited_divisor(const BinaryExpr& b, const Expr* side, const Expr* other,
                                         std::span<const Expr* const> path) {
  const Shape& s = inf_.at(side);
  if (b.return_bool || !s.nan_inf || s.nan_aggregated || !inf_.constant(other)) return;
  const BinaryOp op = side == b.rhs ? flip(b.op) : b.op;
  if (op != BinaryOp::gtr && op != BinaryOp::gte) return;
  const BinaryExpr* div = nullptr;
  walk(*side, [&](const Expr& n, auto) {
    if (n.kind == NodeKind::binary && n.range.start == s.nan_at.start && n.range.end == s.nan_at.end)
      div = &n.as<BinaryExpr>();
    return !div;
  });
  const VectorSelector* limit = div && div->op == BinaryOp::div ? unlimited_limit(*div->rhs) : nullptr;
  if (!limit || limit_guarded(b, path, metric_name(*limit))) return;
  emit("promql/division-by-zero", div->range,
       unlimited_is_zero(metric_name(*limit)) + ": this division is +Inf for those, and +Inf passes '" + to_string(op) +
           " " + print(*other) + "', so the comparison keeps every series without a limit",
       "divide by the limited ones only: (" + print(*limit) + " > 0)");
}

// Whether a gate around the comparison `cmp` removes the series without a limit: `cmp` the left
// side of `and` whose right side keeps only the limit's series above 0 (`and on (...) limit > 0`,
// `!= 0`), or of `unless` whose right side keeps those at 0 (`unless limit == 0`). Shipshape's
// KubePodHighMemory divides by container_spec_memory_limit_bytes and gates it so: silent for a
// container without a limit (review39, proofs/review39.test.yml).
bool ExprChecks::Impl::limit_guarded(const BinaryExpr& cmp, std::span<const Expr* const> path,
                                     const std::string& limit) {
  const Expr* child = &cmp;
  auto it = path.rbegin();
  for (; it != path.rend() && (*it)->kind == NodeKind::paren; ++it) child = *it;
  if (it == path.rend() || (*it)->kind != NodeKind::binary) return false;
  const auto& gate = (*it)->as<BinaryExpr>();
  if (gate.lhs != child || (gate.op != BinaryOp::land && gate.op != BinaryOp::lunless)) return false;
  const Expr* r = unparen(gate.rhs);
  if (r->kind != NodeKind::binary) return false;
  const auto& test = r->as<BinaryExpr>();
  const Expr* series = unparen(test.lhs);
  std::optional<double> v = literal(test.rhs);
  BinaryOp op = test.op;
  if (!v) series = unparen(test.rhs), v = literal(test.lhs), op = flip(test.op);
  if (!v || test.return_bool || series->kind != NodeKind::vector_selector ||
      metric_name(series->as<VectorSelector>()) != limit)
    return false;
  if (gate.op == BinaryOp::land)
    return (op == BinaryOp::gtr && *v >= 0) || (op == BinaryOp::gte && *v > 0) || (op == BinaryOp::neq && *v == 0);
  return (op == BinaryOp::eql && *v == 0) || (op == BinaryOp::lte && *v == 0);
}

// The two sides of `or` in different units, by the names of their series: the result holds
// series of both. Most often precedence: `A or B / C` is `A or (B / C)`, so where A exists the
// rule records A's bytes, elsewhere a ratio (node_exporter 4bc1c020).
void ExprChecks::Impl::mixed_or(const BinaryExpr& b) {
  std::string l_of, r_of;
  const std::string l = unit_by_name(*b.lhs, &l_of), r = unit_by_name(*b.rhs, &r_of);
  // Names that say percent or ratio are often wrong about which (units/percent-as-ratio), and a
  // quotient is a ratio: only base units (bytes, seconds) and quotients are told apart.
  auto scale = [](const std::string& u) { return u == "percent" || u == "ratio"; };
  if (l.empty() || r.empty() || l == r || scale(l) || scale(r)) return;
  auto in = [](const std::string& unit, const std::string& of) {
    return unit == "quotient" ? of + ", a unit over itself: a plain number" : of + ", in " + unit;
  };
  auto division = [](const Expr* e) { return e->kind == NodeKind::binary && e->as<BinaryExpr>().op == BinaryOp::div; };
  const bool precedence = division(b.rhs) || division(b.lhs); // unparenthesised: `or` took only its dividend
  emit("units/mixed-or", b.range,
       "the sides of 'or' are in different units (" + in(l, l_of) + "; " + in(r, r_of) +
           "): the result mixes them, series by series" +
           (precedence ? "; '/' binds tighter than 'or', so 'A or B / C' is 'A or (B / C)'" : ""),
       precedence ? "parenthesise what the division divides: (A or B) / C" : "compare or combine values of one unit");
}

// time() less a quotient by a number of whole minutes, unparenthesised (`time() - x / 60 / 60 >
// 24`): '/' binds before '-', so only x is divided, and time() (seconds since 1970, over 1.7e9 since
// 2023) less that quotient is about time() itself, never the age in minutes, hours or days the
// division was to make (perses-community-mixins 09381e1: ThanosCompactHasNotRun always fired,
// shipped-bugs/proofs). A time in milliseconds is made seconds by `/ 1000` there, rightly: no
// divisor but whole minutes is judged. Written `time() - (x / 60)`, the division is the author's.
void ExprChecks::Impl::time_minus_quotient(const BinaryExpr& b) {
  const Expr* l = unparen(b.lhs);
  if (l->kind != NodeKind::call || l->as<Call>().name != "time") return;
  double by = 1;
  const Expr* dividend = b.rhs;
  while (dividend->kind == NodeKind::binary && dividend->as<BinaryExpr>().op == BinaryOp::div) {
    const auto& d = dividend->as<BinaryExpr>();
    const std::optional<double> c = literal(d.rhs);
    if (!c || !(*c > 0)) return;
    by *= *c, dividend = d.lhs;
  }
  if (dividend == b.rhs || by < 60 || std::fmod(by, 60) != 0 || literal(dividend)) return;
  const std::string divisor = util::format_number(by);
  const std::string x = print(*dividend);
  const bool short_x = x.size() <= 60; // else named, not quoted
  emit("units/time-minus-quotient", b.range,
       util::concat({"'/' binds before '-': only ", short_x ? x : "the right side's dividend", " is divided by ",
                     divisor, ", and time(), the seconds since 1970 (over 1.7e9), less that ",
                     "quotient is about time() itself, never the age the division was to make"}),
       util::concat({"divide the difference: (time() - ", short_x ? x : "x", ") / ", divisor}));
}

// An increase() on one side and a rate() or irate() on the other of a division, a sum, a
// difference or a comparison: a count per the increase's window against a count per second, so
// the two differ by the window's seconds whatever the data. OpenShift recorded
// increase(errors[5m]) / irate(all[5m]) as the fraction of failed requests (cluster-monitoring-
// operator e94b2de): 300 times it. A side scaled by a number (rate(x[5m]) * 300) converts, and
// is not one of these.
void ExprChecks::Impl::count_vs_rate(const BinaryExpr& b) {
  const bool arithmetic = b.op == BinaryOp::div || b.op == BinaryOp::add || b.op == BinaryOp::sub;
  if (!arithmetic && !is_comparison(b.op)) return;
  if (b.lhs->type != ValueType::vector || b.rhs->type != ValueType::vector) return;
  const Call *l = counted_by(*b.lhs), *r = counted_by(*b.rhs);
  if (!l || !r || (l->name == "increase") == (r->name == "increase")) return;
  const Call& inc = l->name == "increase" ? *l : *r;
  const Call& per_second = l->name == "increase" ? *r : *l;
  std::int64_t ns = 0;
  if (!inc.args.empty() && inc.args[0]->kind == NodeKind::matrix_selector &&
      !inc.args[0]->as<MatrixSelector>().range_expr)
    ns = inc.args[0]->as<MatrixSelector>().range_ns;
  const std::string window = ns > 0 ? text::format_duration(ns / 1000000) : std::string("its range");
  const std::string seconds = ns > 0 ? util::format_number(static_cast<double>(ns) / 1e9) : std::string("its seconds");
  const std::string counted =
      util::concat({"increase() is a count per ", window, ", ", per_second.name, "() a count per second"});
  const std::string a = per_second.name == "irate" ? "an " : "a ";
  std::string msg;
  if (b.op == BinaryOp::div)
    msg = util::concat({"the ", l == &inc ? "dividend" : "divisor", " is an increase(), the ",
                        l == &inc ? "divisor" : "dividend", " ", a, per_second.name, "(): ", counted,
                        ", so the quotient is ", l == &inc ? seconds + " times" : "1/" + seconds + " of",
                        " the ratio of the two counts"});
  else
    msg = util::concat({"the sides of '", std::string(to_string(b.op)), "' are an increase() and ", a, per_second.name,
                        "(): ", counted, ", so they differ by a factor of ", seconds, " whatever the data"});
  emit("units/count-vs-rate", b.range, msg,
       util::concat({"use one function on both sides: increase() for counts per ", window, ", or rate()"}));
}

// `(x > 0.05 and deriv(x[5m]) >= 0) or (x < 0.05 and deriv(x[5m]) <= 0)`: branches that mirror
// each other test by test (the same series, the opposite direction, a bound and its negative),
// but for one bound written twice where its negative was meant (node_exporter 8b00b229: an
// offset below 0.05 is most offsets, not a skew). Branches that test anything else (month() == 3
// against month() == 10) are not mirror images and are left alone.
void ExprChecks::Impl::mirrored_threshold(const BinaryExpr& b) {
  struct Test {
    std::string series;
    bool above;
    double bound;
    PosRange at;
  };
  // A side's tests, unless it has more than `most` nodes: the mirror image of the right side has
  // about its nodes (a bound's minus sign more). In a chain of a thousand `or`s each one's left
  // side is the chain before it: read only that far, the chain is read once, not once an `or`.
  auto tests = [&](const Expr* side, std::vector<Test>& out, std::size_t most, std::size_t& nodes) {
    bool plain = true; // only comparisons of a series with a number, each either way
    walk(*side, [&](const Expr& n, auto) {
      if (!plain || ++nodes > most) return plain = false;
      if (n.kind != NodeKind::binary || !is_comparison(n.as<BinaryExpr>().op)) return true;
      const auto& c = n.as<BinaryExpr>();
      const auto l = inf_.constant(c.lhs), r = inf_.constant(c.rhs);
      const BinaryOp op = r ? c.op : flip(c.op);
      if (c.return_bool || l.has_value() == r.has_value() || op == BinaryOp::eql || op == BinaryOp::neq) plain = false;
      else
        out.push_back({print(*(r ? c.lhs : c.rhs)), op == BinaryOp::gtr || op == BinaryOp::gte, r ? *r : *l, c.range});
      return true;
    });
    return plain;
  };
  std::vector<Test> left, right;
  std::size_t right_nodes = 0, left_nodes = 0;
  if (!tests(b.rhs, right, SIZE_MAX, right_nodes) || right.size() < 2 ||
      !tests(b.lhs, left, 2 * right_nodes + 8, left_nodes) || left.size() != right.size())
    return;
  const Test* same = nullptr; // the one pair whose bound is not mirrored
  const Test* in_left = nullptr;
  for (const auto& x : left) {
    auto y = std::find_if(right.begin(), right.end(),
                          [&](const Test& t) { return t.series == x.series && t.above != x.above; });
    if (y == right.end()) return;
    if (y->bound == -x.bound) continue;
    if (y->bound != x.bound || same) return;
    same = &*y, in_left = &x;
  }
  if (!same) return;
  const std::string v = util::format_number(same->bound), neg = util::format_number(-same->bound);
  emit("promql/mirrored-threshold", same->at,
       "the two sides of 'or' mirror each other test by test, but " + same->series + " is tested " +
           (in_left->above ? "above " : "below ") + v + " on one and " + (same->above ? "above " : "below ") + v +
           " on the other, not " + neg + ": between them every value but " + v + " passes one",
       "write " + neg + " for the mirror image of " + v);
}

void ExprChecks::Impl::units(const BinaryExpr& b, const Expr* side, const Expr* other) {
  // A threshold may be written as arithmetic (13.44 * 0.1, a burn rate times a budget); the
  // unit checks below read only a number as written.
  if (auto c = inf_.constant(other); c && bounded(b, side, other, *c)) return;
  auto lit = literal(other);
  if (!lit) return;
  const Shape& s = inf_.at(side);
  double v = *lit;
  // The threshold as the rules write it, made only for a finding: every comparison with a number
  // comes here, and few are one.
  auto what = [v] { return util::format_number(v); };
  if (std::string of; s.unit.empty() && unit_by_name(*side, &of) == "percent") {
    // Another exporter's percentage by its name only: a threshold below 1 is a fraction of a
    // percent (limes_capacity_blocked_percent > 0.8 meant 80: sapcc helm-charts c37a452). Names
    // are no facts (of three _ratio series compared above 1 in strangers' rules, all three held
    // percentages): said as a condition, at info.
    if (v > 0 && v < 1)
      self_.emit("units/percent-as-ratio", b.range,
                 "if " + of + " is a percentage (0-100), as its name says, " + what() + " is " + what() +
                     " percent; a ratio of " + what() + " is " + util::format_number(v * 100) + " percent",
                 "write " + util::format_number(v * 100) + " for " + util::format_number(v * 100) + " percent",
                 core::Severity::info);
    return;
  }
  if (s.unit != "bytes" && s.unit != "percent") return; // the units checked below
  if (s.unit == "bytes" && v >= 1 && v < 1e6)
    emit("units/bytes-vs-megabytes", b.range,
         "a value in bytes compared with " + what() + ", which is less than a megabyte; was it meant in MB?",
         "write the threshold in bytes, e.g. " + util::format_number(v * 1e6) + " for " + what() + " MB");
  else if (s.unit == "percent" && v > 0 && v <= 1)
    emit("units/percent-as-ratio", b.range,
         "a percentage (0-100) compared with " + what() + ", which looks like a ratio (0-1)",
         "write " + util::format_number(v * 100) + " for " + what());
}

// A Unix time that a well-known exporter's source documents as one (rules/exporters.yml, gauges'
// `timestamps`: CloudNativePG's cnpg_pg_stat_archiver_last_failed_time, "Epoch of the last time WAL
// archiving failed", -1 before any) kept where it is above a number below 1e9 (2001-09-09, before
// any of them existed): every time it holds passes, so the alert fires from the first event on,
// for good (onedr0p home-ops 72eac51: one failed archive fired "archiving failed" for ever). Only
// where the comparison is the alert's whole condition: beside `and`, `x > 0` is a guard that drops
// the "not yet" value (time() - x < 300 and x > 0). `!=` such a number passes every time as well
// (jsonnet-libs 044d4f2: process_start_time_seconds != 1 fired for every process that was up); `==`
// and `<` are left alone, as `== 0` is how one asks "never yet". Names are no facts: a _time may be a
// duration.
void ExprChecks::Impl::timestamp_threshold(const BinaryExpr& b, const Expr* side, const Expr* other) {
  const BinaryOp op = side == b.lhs ? b.op : flip(b.op);
  const auto v = literal(other);
  if (!self_.in_alert_ || b.return_bool || (op != BinaryOp::gtr && op != BinaryOp::gte && op != BinaryOp::neq) || !v ||
      *v >= 1e9 || unparen(root_) != &b)
    return;
  const Expr* u = unparen(side);
  if (u->kind == NodeKind::aggregate) { // the latest of several: max by (pod) (x)
    const auto& a = u->as<AggregateExpr>();
    if (a.op != AggregateOp::max && a.op != AggregateOp::min && a.op != AggregateOp::avg) return;
    u = unparen(a.expr);
  }
  if (u->kind != NodeKind::vector_selector) return;
  const auto& vs = u->as<VectorSelector>();
  const SeriesInfo s = inf_.series(vs);
  const catalog::Exporter* by =
      s.origin == SeriesInfo::Origin::external ? catalog::exporters().timestamp(s.name) : nullptr;
  if (!by) return;
  const std::string what = util::format_number(*v);
  emit("units/timestamp-threshold", b.range,
       util::concat({s.name, " is a Unix time (", by->name, " ", by->version,
                     " writes it as one), and every time since 2001 is above 1e9",
                     op == BinaryOp::neq ? ", so differs from " + what : std::string(), ": `", to_string(op), " ", what,
                     "` passes it from the first time it is set, and the alert fires from then on, for good"}),
       util::concat({"compare its age, time() - ", s.name, " < 300, or its change, changes(", s.name, "[5m]) > 0"}));
}

namespace {

// `e` as a * x + c, where x is the expression printed `x`: a number, x itself, and sums,
// differences, products and quotients of them that stay linear; nullopt for anything else.
std::optional<std::pair<double, double>> linear_in(const Expr* e, const std::string& x) {
  e = unparen(e);
  if (e->kind == NodeKind::number_literal) return std::pair{0.0, e->as<NumberLiteral>().value};
  if (e->kind == NodeKind::unary) {
    auto u = linear_in(e->as<UnaryExpr>().expr, x);
    if (u && e->as<UnaryExpr>().op == UnaryOp::minus) *u = {-u->first, -u->second};
    return u;
  }
  if (e->kind == NodeKind::binary) {
    const auto& b = e->as<BinaryExpr>();
    if (b.return_bool ||
        (b.op != BinaryOp::add && b.op != BinaryOp::sub && b.op != BinaryOp::mul && b.op != BinaryOp::div))
      return std::nullopt;
    const auto l = linear_in(b.lhs, x), r = l ? linear_in(b.rhs, x) : std::nullopt;
    if (!r) return std::nullopt;
    switch (b.op) {
    case BinaryOp::add: return std::pair{l->first + r->first, l->second + r->second};
    case BinaryOp::sub: return std::pair{l->first - r->first, l->second - r->second};
    case BinaryOp::mul:
      if (l->first != 0 && r->first != 0) return std::nullopt;
      return std::pair{l->first * r->second + r->first * l->second, l->second * r->second};
    default:
      if (r->first != 0 || r->second == 0) return std::nullopt;
      return std::pair{l->first / r->second, l->second / r->second};
    }
  }
  if (print(*e) == x) return std::pair{1.0, 0.0};
  return std::nullopt;
}

} // namespace

// One side compared with itself scaled and shifted, `x op a * x + c` (the same expression as
// printed, on both sides: each series meets itself): that is `(1 - a) x op c`, which the values x
// can take may all pass or all fail. awesome-prometheus-alerts a72feb4's etcd quorum alert,
// `count(etcd_server_id) > (count(etcd_server_id) / 2 - 1)`, holds for every count, and paged for
// every etcd cluster. a = 1 (x > x - 1, x == x, the NaN filter) is left alone: it compares no
// value with another.
void ExprChecks::Impl::against_itself(const BinaryExpr& b) {
  if (b.return_bool) return;
  const Expr* side = unparen(b.lhs);
  if (literal(side) || literal(b.rhs)) return;
  const std::string x = print(*side);
  const auto r = linear_in(b.rhs, x);
  if (!r || r->first == 1 || r->first == 0) return;
  const Shape& s = inf_.at(side);
  if (!s.bounded() || !s.empty.empty()) return;
  const double k = 1 - r->first, v = r->second / k;
  const BinaryOp op = k > 0 ? b.op : flip(b.op);
  const Verdict verdict = compare(s, op, v);
  if (verdict == Verdict::depends) return;
  const std::string what = util::concat({"`", to_string(b.op), " ", print(*b.rhs), "` compares ", x,
                                         " with itself, scaled and shifted: it is `", x, " ", to_string(op), " ",
                                         util::format_number(v), "`, and ", range_text(s)});
  if (verdict == Verdict::never)
    emit("promql/impossible", b.range, what + ": no value passes, the expression never returns anything",
         "compare it with a threshold that does not move with it, or with another series");
  else
    emit("promql/always-true", b.range, what + ": every value passes, it removes nothing",
         "compare it with a threshold that does not move with it, or with another series");
}

// A series whose values are bounded (a ratio, a counter's rate, count(), group()) compared with
// a number: a comparison that holds for every value (the alert fires whenever the series exists)
// or for none (it can never fire). A ratio or a percentage speaks of its unit. Whether it was
// reported.
bool ExprChecks::Impl::bounded(const BinaryExpr& b, const Expr* side, const Expr* other, double v) {
  const Shape& s = inf_.at(side);
  // A side that has no series ((ratio > 10) * 100 > 10) has no values to speak of: what emptied
  // it is reported where it did.
  if (!s.bounded() || !s.empty.empty()) return false;
  // vector(0) == 1 compares two numbers as written: its outcome is what its author wrote, a
  // rule that never fires on purpose (a test of the alerting pipeline).
  if (inf_.constant(unparen(side)) || inf_.vector_number(side)) return false;
  const BinaryOp op = side == b.lhs ? b.op : flip(b.op);
  const Verdict verdict = compare(s, op, v);
  // count(x) > 0 and absent(x) == 1 are idioms: the comparison states the intent.
  if (verdict == Verdict::depends || (verdict == Verdict::always && s.count_like)) return false;
  const bool never = verdict == Verdict::never;
  if (const Expr* u = unparen(side); !never && u->kind == NodeKind::vector_selector &&
                                     state_picked_from_labels(u, inf_.series(u->as<VectorSelector>())))
    return false;
  // A threshold written as arithmetic is quoted, with its value as the rules write numbers.
  std::string what = util::format_number(v);
  if (!literal(other)) {
    char value[32];
    std::snprintf(value, sizeof value, "%.12g", v);
    what = print(*other) + " = " + value;
  }
  const std::string tail = "; this comparison with " + what + (never ? " can never be true" : " is always true");
  if ((s.unit == "ratio" || s.unit == "percent") && !s.unit_of.empty()) {
    const double hi = s.unit == "ratio" ? 1 : 100;
    emit("units/out-of-range", b.range,
         s.unit_of + " is a " + s.unit + ", so it is between 0 and " + util::format_number(hi) + tail);
    return true;
  }
  // A comparison every number passes removes the NaN samples of a series that may be NaN (x >= 0
  // of a ratio of rates): that is what one at a bound of its values is for. One beyond them was
  // meant as a threshold (nais's `1 - ok / all * 100 < 95`, -99 to 1, where `(1 - ok / all) * 100`
  // was meant): it removes only the NaN samples, and the alert fires wherever there is traffic.
  // Not of a series divided by itself, 1 (0 / 0 is NaN): a comparison that 1 passes removes only
  // the series at 0, which is no threshold anybody meant; one that 1 fails removes every series.
  const bool itself = s.range_of.itself;
  const bool nan_only = !never && !s.nan.empty() && !itself;
  if (nan_only && (v == s.lo || v == s.hi || std::isinf(v))) return false;
  const std::string range = s.range_of.empty() ? range_text(s) : s.range_of.text();
  const std::string per = "sum both sides by the labels the ratio is for: sum by (job) (rate(x{...}[5m])) / sum by "
                          "(job) (rate(x[5m]))";
  if (itself && never)
    emit("promql/impossible", b.range, range + tail + ": the expression never returns anything", per);
  else if (itself)
    emit("promql/always-true", b.range, range + tail + ": it removes only series at 0 (0 / 0 is NaN)", per);
  else if (never)
    emit("promql/impossible", b.range, range + tail + ": the expression never returns anything",
         "compare with a value the series can take");
  else if (s.range_of.comparison) // (x > 1) > 0: redundant, harmless
    self_.emit("promql/always-true", b.range, range + tail + ": it removes nothing", "drop the comparison",
               core::Severity::info);
  else // a part over a whole that can be 0 (a ramfs mount's size) is NaN there, which no comparison passes
    emit("promql/always-true", b.range,
         range + tail +
             (s.range_of.zero_whole ? ": it removes only the series whose divisor is 0 (0 / 0 is NaN)"
              : nan_only            ? ": it removes only the samples that are NaN (" + s.nan + ")"
                                    : ": it removes nothing"),
         "compare with a value that separates good from bad, or drop the comparison");
  return true;
}

// How `x op k` (or `k op x`, k a number) orders its results: 1 the same as x's, -1 reversed, 0
// neither (x * 0, k / x, %, ^).
static int monotonic(BinaryOp op, double k, bool k_left) {
  switch (op) {
  case BinaryOp::add: return 1;
  case BinaryOp::sub: return k_left ? -1 : 1;
  case BinaryOp::mul: return k > 0 ? 1 : k < 0 ? -1 : 0;
  case BinaryOp::div: return k_left ? 0 : k > 0 ? 1 : k < 0 ? -1 : 0;
  default: return 0;
  }
}

// The fallback an `or` ends with, vector(c) (perhaps given labels by label_replace), whose value the
// comparison after the or never passes: `(sum(rate(x[5m])) or vector(0)) > 0` (pint's promql/impossible
// cases; six alerts of review-corpus's strangers' files). The or adds its series where the other sides have none of
// its labels, and the comparison removes each one, so the expression is the same without it; an
// alert meant to fire where the other sides have no series never does. Between the or and the
// comparison (proofs/fallback-through.test.yml): arithmetic with a number, which maps the fallback
// as every series; sum() where the fallback is 0 there (in a group with other series it adds
// nothing, alone it is 0); max() under `>` and min() under `<` (in a group, a value that fails
// does not move the max past the threshold; alone it fails), with only the same aggregation above
// them (sum(max by (job) (...)) adds a max the fallback may have raised). Not avg(), which the
// fallback dilutes. The last side only: an earlier one would still hide a later side's series of
// the same labels. Not with bool, which keeps the fallback's series as 0.
void ExprChecks::Impl::fallback_removed(const BinaryExpr& b, const Expr* side, const Expr* other) {
  const std::optional<double> v = inf_.constant(other);
  if (b.return_bool || !v || side->type != ValueType::vector) return;
  const BinaryOp op = side == b.lhs ? b.op : flip(b.op);
  // The steps between the comparison and the or that change the fallback's value, outermost first:
  // a sum, or arithmetic with the number k. `dir` is how the comparison sees each max and min: 1
  // under `>`, -1 under `<`, through the arithmetic above it.
  struct Step {
    bool sum = false;
    BinaryOp op{};
    double k = 0;
    bool k_left = false;
  };
  std::vector<Step> steps;
  int dir = op == BinaryOp::gtr || op == BinaryOp::gte ? 1 : op == BinaryOp::lss || op == BinaryOp::lte ? -1 : 0;
  std::optional<AggregateOp> above;
  const Expr* e = unparen(side);
  for (;;) {
    if (e->kind == NodeKind::aggregate) {
      const AggregateOp agg = e->as<AggregateExpr>().op;
      if ((agg == AggregateOp::max && (dir != 1 || (above && *above != agg))) ||
          (agg == AggregateOp::min && (dir != -1 || (above && *above != agg))) ||
          (agg != AggregateOp::sum && agg != AggregateOp::max && agg != AggregateOp::min))
        return;
      above = agg;
      if (agg == AggregateOp::sum) steps.push_back({true});
      e = unparen(e->as<AggregateExpr>().expr);
    } else if (e->kind == NodeKind::binary && !is_comparison(e->as<BinaryExpr>().op) &&
               e->as<BinaryExpr>().op != BinaryOp::lor && e->as<BinaryExpr>().op != BinaryOp::land &&
               e->as<BinaryExpr>().op != BinaryOp::lunless) {
      const auto& a = e->as<BinaryExpr>();
      const bool k_left = a.lhs->type == ValueType::scalar;
      const std::optional<double> k = inf_.constant(k_left ? a.lhs : a.rhs);
      if (!k || (k_left ? a.rhs : a.lhs)->type != ValueType::vector) return;
      dir *= monotonic(a.op, *k, k_left);
      steps.push_back({false, a.op, *k, k_left});
      e = unparen(k_left ? a.rhs : a.lhs);
    } else {
      break;
    }
  }
  if (e->kind != NodeKind::binary || e->as<BinaryExpr>().op != BinaryOp::lor) return;
  const Expr* fallback = unparen(e->as<BinaryExpr>().rhs);
  const Expr* call = fallback;
  while (call->kind == NodeKind::call &&
         (call->as<Call>().name == "label_replace" || call->as<Call>().name == "label_join") &&
         !call->as<Call>().args.empty())
    call = unparen(call->as<Call>().args[0]);
  const std::optional<double> c = inf_.vector_number(call);
  if (!c) return;
  // The fallback's value at each step, innermost first, up to the comparison.
  double value = *c;
  for (auto st = steps.rbegin(); st != steps.rend(); ++st) {
    if (st->sum) {
      if (value != 0) return;
      continue;
    }
    value = st->k_left ? combine(st->op, st->k, value) : combine(st->op, value, st->k);
    if (!std::isfinite(value)) return;
  }
  Shape reached;
  reached.set_range(value, value);
  // Where no value of the whole passes, the comparison is reported as that.
  if (compare(reached, op, *v) != Verdict::never || compare(inf_.at(side), op, *v) == Verdict::never) return;
  const std::string num = util::format_number(*c);
  const bool mapped = value != *c;
  emit("promql/fallback-removed", b.range,
       util::concat({"the fallback '", print(*fallback), "' is ", num,
                     mapped ? ", " + util::format_number(value) + " where it is compared," : ",", " which '",
                     to_string(op), " ", util::format_number(*v),
                     "' never passes: the or adds its series only for the comparison to ",
                     "remove it, so the expression is the same without it, and returns nothing where the or's other ",
                     "side has no series"}),
       "drop the fallback; to fire where there is no data, give it a value that passes, or use absent()");
}

std::string ExprChecks::Impl::range_text(const Shape& s) {
  auto bound = [](double x) { return std::isinf(x) ? std::string(x < 0 ? "-Inf" : "+Inf") : util::format_number(x); };
  if (s.lo == s.hi) return "its value is always " + bound(s.lo);
  return std::string("its values lie in ") + (s.lo_open ? "(" : "[") + bound(s.lo) + ", " + bound(s.hi) +
         (s.hi_open ? ")" : "]");
}

} // namespace nsmon::lint
