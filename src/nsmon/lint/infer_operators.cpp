// Inference's operators: what a binary operator (vector matching, comparisons, and/or/unless)
// and an aggregation make of their inputs' shapes.
#include <algorithm>
#include <iterator>
#include <optional>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

bool compares(const VectorMatching& vm, const std::string& label) {
  return vm.on == (std::find(vm.labels.begin(), vm.labels.end(), label) != vm.labels.end());
}

namespace {
// What an operator that closes the label set keeps, said when it is made: a later step (the `le`
// that histogram_quantile() takes off) is that step's doing, not this one's. The set holds only the
// labels it names, __name__ too when it is one of them (count by (__name__)).
std::string closing(const std::string& how, const LabelSet& labels) {
  if (labels.empty()) return how + " keeps no label";
  return util::concat({how, " keeps only ", util::join(labels, ", ")}); // made for every aggregation
}

} // namespace

namespace {
const Call* call_named(const Expr* e, std::string_view name) {
  e = unparen(e);
  return e->kind == NodeKind::call && e->as<Call>().name == name ? &e->as<Call>() : nullptr;
}

// How far before time() the times timestamp() returns lie, for the forms that tell: a selector of
// the samples at the evaluation time (no offset, no @) finds none older than the lookback (5m
// unless --query.lookback-delta says otherwise), and Prometheus stamps the samples it computes (any
// other argument) with the evaluation time itself (engine.go evaluates timestamp() of a selector
// on its samples' times only).
struct Stamp {
  double earliest; ///< seconds relative to time(): -300 or 0; the latest is 0
  const char* what;
};

std::optional<Stamp> stamp_of(const Expr* e) {
  const Call* ts = call_named(e, "timestamp");
  if (!ts || ts->args.size() != 1) return std::nullopt;
  const Expr* arg = unparen(ts->args[0]);
  if (arg->kind != NodeKind::vector_selector)
    return Stamp{0, "timestamp() of an expression that is not a selector is the evaluation time, time() itself "
                    "(Prometheus stamps the samples it computes with it)"};
  const auto& vs = arg->as<VectorSelector>();
  if (vs.modifiers.offset_ns || vs.modifiers.offset_expr || vs.modifiers.at != AtKind::none || vs.anchored ||
      vs.smoothed)
    return std::nullopt;
  return Stamp{-300, "timestamp() of a selector is its latest sample's time, which the 5m lookback keeps within 300 "
                     "seconds before time() (an older sample is not selected)"};
}
} // namespace

void Inference::binary(const BinaryExpr& b, Shape& s) const {
  const Shape& l = at(b.lhs);
  const Shape& r = at(b.rhs);
  bool lv = b.lhs->type == ValueType::vector, rv = b.rhs->type == ValueType::vector;
  bool comparison = is_comparison(b.op) && !b.return_bool;
  bool arithmetic = !is_comparison(b.op) && !is_set_operator(b.op);
  const std::optional<double> lc = comparison ? constant(b.lhs) : std::nullopt;
  const std::optional<double> rc = comparison ? constant(b.rhs) : std::nullopt;
  if (lv && !rv) {
    if (rc) passing(b.lhs, b.op, *rc, s);
    else s = l;
  } else if (!lv && rv) {
    if (lc) passing(b.rhs, flip(b.op), *lc, s);
    else s = r;
  } else if (lv && rv) {
    const VectorMatching* vm = b.matching();
    if (b.op == BinaryOp::lor) {
      // A side that never returns a series adds none, and no labels: `x > 1 or vector(0) > 0`
      // (a comparison binds tighter than `or`) is x > 1.
      if (l.empty.empty() != r.empty.empty()) {
        s = l.empty.empty() ? l : r;
        return;
      }
      s.reset();
      either(l, r, s, vm && vm->on && vm->labels.empty());
      return;
    }
    if (vm && vm->card == Cardinality::one_to_many) s = r;
    else s = l;
    s.filters = b.op == BinaryOp::lunless || l.filters || r.filters;
    // Nothing on one side: nothing out, but from the left of unless. Sides whose match groups
    // never meet: nothing out either (unless removes nothing).
    if (b.op != BinaryOp::lunless && s.empty.empty()) s.empty = !l.empty.empty() ? l.empty : r.empty;
    if (b.op != BinaryOp::lunless && s.empty.empty() && vm &&
        (!apart(l, r, *vm).empty() || !apart(r, l, *vm).empty() || !values_apart(l, r, *vm).empty()))
      s.empty = "the two sides of '" + std::string(to_string(b.op)) + "' can never match";
    if (vm && !is_set_operator(b.op) && vm->card == Cardinality::one_to_one) {
      // on(...) keeps only those labels, ignoring(...) drops them: arithmetic and comparisons
      // alike (Prometheus's resultMetric).
      std::string how = std::string(vm->on ? "on" : "ignoring") + " (" + util::join(vm->labels, ", ") + ")";
      if (vm->on) {
        // An on() label nothing proves absent stays, on some series at least.
        LabelSet keep(vm->labels.begin(), vm->labels.end());
        LabelSet kept;
        for (const auto& x : keep)
          if (s.labels.count(x)) kept.insert(x);
          else if (!absent(s, x)) kept.insert(x), s.maybe.insert(x);
        s.labels = kept;
        s.labels_known = true;
        s.targets_open = false;
        s.closed_by = closing(how, s.labels);
        erase_if(s.values, [&](const auto& kv) { return !keep.count(kv.first); });
        erase_if(s.lacking, [&](const auto& kv) { return !keep.count(kv.first); });
        erase_if(s.several, [&](const auto& kv) { return !keep.count(kv.first); });
        erase_if(s.joined, [&](const auto& kv) { return !keep.count(kv.first); });
      } else {
        for (const auto& x : vm->labels) {
          s.labels.erase(x), s.maybe.erase(x), s.values.erase(x), s.lacking.erase(x), s.several.erase(x),
              s.joined.erase(x);
          s.removed[x] = how;
        }
      }
    }
    if (vm && (vm->card == Cardinality::many_to_one || vm->card == Cardinality::one_to_many)) {
      const Shape& other = vm->card == Cardinality::many_to_one ? r : l;
      const char* side = vm->card == Cardinality::many_to_one ? "right" : "left";
      // group_left(x) copies x from the other side, or removes it when that side has none.
      for (const auto& inc : vm->include) {
        s.dropped.erase(inc);
        s.lacking.erase(inc);
        if (absent(other, inc)) {
          s.labels.erase(inc);
          s.maybe.erase(inc);
          s.values.erase(inc);
          s.several.erase(inc);
          s.joined.erase(inc);
          s.removed[inc] = util::concat({vm->card == Cardinality::many_to_one ? "group_left" : "group_right", " (", inc,
                                         "), copying it from the ", side, " side's series, which have none,"});
          continue;
        }
        s.removed.erase(inc);
        s.labels.insert(inc);
        if (!other.labels.count(inc) || other.maybe.count(inc)) s.maybe.insert(inc);
        else s.maybe.erase(inc);
        if (auto it = other.values.find(inc); it != other.values.end()) s.values[inc] = it->second;
        else s.values.erase(inc);
        s.several.erase(inc); // one value per series of this side: the one side has one series per group
        s.joined[inc] = util::concat({vm->card == Cardinality::many_to_one ? "group_left" : "group_right", " (",
                                      util::join(vm->include, ", "), ")"});
        if (auto it = other.lacking.find(inc); it != other.lacking.end()) s.lacking.insert(*it);
      }
      // The result's labels are this side's and the copied ones, which the loop above adds (as
      // maybe where the other side may lack them): what the other side carries besides adds none.
    }
    if (!is_set_operator(b.op)) match_lacking(b, l, r, s);
    if (arithmetic) {
      arithmetic_range(b.op, l, r, s);
      s.count_like = false;
      if (b.op == BinaryOp::div && vm && vm->card == Cardinality::one_to_one && !vm->on && vm->labels.empty() &&
          !vm->fill_lhs && !vm->fill_rhs) {
        // The whole may be scaled where it divides (a / (b * 100), meant as a percentage, is at
        // most 0.01).
        const Expr* whole = unparen(b.rhs);
        std::optional<double> times;
        if (whole->kind == NodeKind::binary && whole->as<BinaryExpr>().op == BinaryOp::mul) {
          const auto& m = whole->as<BinaryExpr>();
          if (auto c = constant(m.rhs); c && *c > 0) times = c, whole = m.lhs;
          else if (auto c2 = constant(m.lhs); c2 && *c2 > 0) times = c2, whole = m.rhs;
        }
        // A series over itself (no sum on the way) is 1, or 1 times the factors.
        if (PartOfWhole p = part_of_whole(b.lhs, whole); !p.why.empty()) {
          p.whole_times *= times.value_or(1);
          const double hi = p.part_times / p.whole_times;
          auto scaled = [&](const char* side, const char* what, double f) {
            return f == 1 ? std::string()
                          : util::concat({", and the ", side, " is ", p.itself ? "the series" : what, " times ",
                                          util::format_number(f)});
          };
          RangeReason reason(hi != 1
                                 ? util::concat({p.why, scaled("dividend", "the part", p.part_times),
                                                 scaled("divisor", "the whole", p.whole_times), ", so the quotient is ",
                                                 p.itself     ? ""
                                                 : p.negative ? "between " + util::format_number(-hi) + " and "
                                                              : "between 0 and ",
                                                 util::format_number(hi)})
                                 : std::move(p.why));
          reason.itself = p.itself;
          reason.zero_whole = p.zero_whole;
          s.set_range(p.itself ? hi : p.negative ? -hi : 0, hi, std::move(reason));
        }
      }
    }
    if (!comparison && !is_set_operator(b.op)) {
      // NaN spreads through arithmetic; 0/0 makes it.
      s.nan = l.nan.empty() ? r.nan : l.nan;
      s.nan_at = l.nan.empty() ? r.nan_at : l.nan_at;
      s.nan_aggregated = l.nan_aggregated || r.nan_aggregated;
      s.nan_inf = l.nan.empty() ? r.nan_inf : l.nan_inf;
    }
  } else {
    s.reset();
    s.labels_known = true; // scalar op scalar
  }
  if (arithmetic && (!lv || !rv)) {
    // The lacking series' one value, with the number.
    const std::optional<double> c = constant(lv ? b.rhs : b.lhs);
    for (auto& [x, k] : s.lacking)
      k.value =
          k.value && c ? std::optional(lv ? combine(b.op, *k.value, *c) : combine(b.op, *c, *k.value)) : std::nullopt;
    arithmetic_range(b.op, l, r, s);
    s.count_like = false;
    if (s.nan.empty()) s.nan = l.nan.empty() ? r.nan : l.nan, s.nan_inf = l.nan.empty() ? r.nan_inf : l.nan_inf;
    // time() - timestamp(x) is the age of x's latest sample, which a selector finds only within
    // the lookback (5m unless --query.lookback-delta says otherwise): an older one selects
    // nothing, so the age never exceeds it (postgres_exporter's mixin: `timestamp(x) < time() -
    // 36000` for a table not vacuumed in ten hours).
    if (auto stamp = b.op == BinaryOp::sub && call_named(b.lhs, "time") ? stamp_of(b.rhs) : std::nullopt)
      s.set_range(0, -stamp->earliest,
                  stamp->earliest < 0 ? "time() - timestamp() of a selector is its latest sample's age, which the 5m "
                                        "lookback keeps below 300 (an older sample is not selected)"
                                      : "time() - timestamp() of an expression that is not a selector is 0: "
                                        "Prometheus stamps the samples it computes with the evaluation time");
  }
  // A divisor that can be 0 (value_range.cpp): NaN or an infinity, which an aggregation spreads.
  if (arithmetic && (b.op == BinaryOp::div || b.op == BinaryOp::mod) && s.nan.empty() && (lv || rv)) {
    bool inf = false;
    if (std::string why = zero_divisor(b, l, r, inf); !why.empty()) {
      s.nan = std::move(why);
      s.nan_at = b.range;
      s.nan_aggregated = false;
      s.nan_inf = inf;
    }
  }
  if (comparison) {
    s.filters = true;
    s.nan.clear(); // a comparison with NaN is false: the series goes
    s.nan_inf = false;
    // x > 3 narrows the values that pass.
    const Expr* number = lv && !rv ? b.rhs : (!lv && rv ? b.lhs : nullptr);
    if (auto c = constant(number)) {
      double v = *c;
      BinaryOp op = number == b.lhs ? flip(b.op) : b.op;
      if (compare(s, op, v) == Verdict::never && s.empty.empty()) s.empty = "the comparison can never be true";
      // Series lacking a label whose one value never passes are not in the result.
      erase_if(s.lacking, [&](const auto& kv) {
        if (!kv.second.value) return false;
        Shape one;
        one.set_range(*kv.second.value, *kv.second.value);
        return std::isnan(*kv.second.value) || compare(one, op, v) == Verdict::never;
      });
      // What bounds the values now is this comparison, whatever bounded them before.
      if ((op == BinaryOp::gtr || op == BinaryOp::gte) && v >= s.lo) {
        RangeReason why(op, v);
        // The bound above stays what it was, and so does its reason: a part over its whole is at
        // most 1, and `> 0` keeps (0, 1] (gitlab-com-runbooks' `a / b > 0 * 100 > 1`).
        if (std::isfinite(s.hi) && !s.range_of.empty() && !s.range_of.comparison)
          why = RangeReason(util::concat({s.range_of.text(), ", and ", why.text()}), true);
        s.lo = v, s.lo_open = op == BinaryOp::gtr, s.range_of = std::move(why);
      }
      if ((op == BinaryOp::lss || op == BinaryOp::lte) && v <= s.hi)
        s.hi = v, s.hi_open = op == BinaryOp::lss, s.range_of = RangeReason(op, v);
      if (op == BinaryOp::eql) s.set_range(v, v, RangeReason(op, v));
      // A health gauge takes 0 or 1 alone: `up != 1` keeps the 0s, one value as `up == 0` does.
      if (auto one = health_value_passing(number == b.lhs ? b.rhs : b.lhs, op, v); one && s.may_be(*one))
        s.set_range(*one, *one, RangeReason(op, v));
    } else if (auto stamp = number ? stamp_of(number == b.lhs ? b.rhs : b.lhs) : std::nullopt;
               stamp && s.empty.empty() && !b.return_bool) {
      // timestamp(x) < time() - 36000 (postgres_exporter's mixin): compare the times as offsets
      // from time(), [-300, 0] (or 0) against -36000.
      const Expr* t = unparen(number);
      const BinaryExpr* shift = t->kind == NodeKind::binary ? &t->as<BinaryExpr>() : nullptr;
      std::optional<double> by;
      if (call_named(t, "time")) by = 0;
      else if (shift && (shift->op == BinaryOp::sub || shift->op == BinaryOp::add) && call_named(shift->lhs, "time"))
        if (auto n = constant(shift->rhs)) by = shift->op == BinaryOp::sub ? -*n : *n;
      Shape offset;
      offset.set_range(stamp->earliest, 0);
      const BinaryOp op = number == b.lhs ? flip(b.op) : b.op;
      if (by && compare(offset, op, *by) == Verdict::never)
        s.empty = util::concat({stamp->what, ", so it is never ", to_string(op), " ", print(*t)});
    }
  }
  if (b.return_bool) {
    for (auto& [x, k] : s.lacking) k.value.reset();
    s.set_range(0, 1, "a comparison with bool is 0 or 1");
    s.nan.clear();
    s.nan_inf = false;
    s.count_like = false;
  }
  if (arithmetic || b.return_bool) {
    s.labels.erase("__name__");
    s.kind = b.return_bool ? ValueKind::gauge : arithmetic_kind(b.op, l, r);
    s.unit.clear(); // a unit is no longer reliable, even after scaling by a number
  }
  for (auto it = s.maybe.begin(); it != s.maybe.end();) it = s.labels.count(*it) ? std::next(it) : s.maybe.erase(it);
}

namespace {
// Whether a label of an aggregation's by list is known to tell its groups apart within any match
// group that leaves it out: not a label with one value there (pinned by a matcher), nor one that
// names where a series comes from (names_origin).
bool splits(const std::string& label, const Shape& in) {
  // The names its selectors read: one where each names its metric.
  if (label == "__name__") return in.several.count(label) > 0;
  if (auto it = in.values.find(label); it != in.values.end() && it->second.size() == 1) return false;
  return !names_origin(label);
}
} // namespace

bool spreads_nan(AggregateOp op) {
  return op == AggregateOp::sum || op == AggregateOp::avg || op == AggregateOp::stddev || op == AggregateOp::stdvar;
}

bool one_series_per_group(const AggregateExpr& a, const Shape& in) {
  if (!in.labels_known) return false;
  auto grouped = [&](const std::string& l) {
    return std::find(a.grouping.begin(), a.grouping.end(), l) != a.grouping.end();
  };
  // A label left out with one value on every series (a recording rule's labels:, an equality
  // matcher) tells no two series apart.
  auto one_value = [&](const std::string& l) {
    auto it = in.values.find(l);
    return it != in.values.end() && it->second.size() == 1;
  };
  return std::all_of(in.labels.begin(), in.labels.end(),
                     [&](const std::string& l) { return l == "__name__" || grouped(l) != a.without || one_value(l); });
}

// min() straight over a well-known exporter's series whose label L is one-hot (for each object a
// series per value, at most one 1, the others 0: kube-state-metrics' kube_pod_status_phase), where
// the grouping leaves L out and the matchers let two values or more of L through: each object of a
// group brings a 0, so the min is always 0 (`min by (pod) (kube_pod_status_phase{phase=~"Running|
// Succeeded"}) < 1` fires for every pod). Why, or "" when that is not known.
std::string Inference::min_of_one_hot(const AggregateExpr& a) const {
  const Expr* e = unparen(a.expr);
  if (e->kind != NodeKind::vector_selector) return {};
  const auto& vs = e->as<VectorSelector>();
  if (series(vs).origin != SeriesInfo::Origin::external) return {};
  const catalog::ExporterMetric* known = catalog::exporters().find(promql::metric_name(vs));
  if (!known) return {};
  for (const auto& l : known->labels) {
    if (!l.one_hot || a.without != (std::find(a.grouping.begin(), a.grouping.end(), l.name) != a.grouping.end()))
      continue;
    std::vector<std::string> through;
    for (const auto& v : l.values)
      if (std::all_of(vs.matchers.begin(), vs.matchers.end(), [&](const Matcher& m) {
            return m.name != l.name || labels::matches(m, v, labels::Dialect::prometheus);
          }))
        through.push_back(v);
    if (through.size() >= 2)
      return util::concat({"min() over ", l.name, " ", util::join(through, ", "), " of ", known->name, " is always 0 (",
                           known->exporter->name, " writes", l.since.empty() ? "" : " since " + l.since,
                           ", for each object, a series per ", l.name, ", at most one of them 1 and the others 0)"});
  }
  return {};
}

void Inference::aggregate(const AggregateExpr& a, Shape& s) const {
  const Shape& in = at(a.expr);
  s.filters = in.filters;
  s.aggregated = true;
  s.empty = in.empty;
  if (a.op == AggregateOp::topk || a.op == AggregateOp::bottomk || a.op == AggregateOp::limitk ||
      a.op == AggregateOp::limit_ratio) {
    s = in;
    s.filters = true;
    // k = 1 keeps one series per group: no label of those left out tells two series apart.
    if (auto k = constant(a.param); k && *k == 1 && a.op != AggregateOp::limit_ratio)
      erase_if(s.several, [&](const auto& kv) {
        return a.without == (std::find(a.grouping.begin(), a.grouping.end(), kv.first) != a.grouping.end());
      });
    return;
  }
  const std::string_view op = to_string(a.op);
  const std::string how =
      a.grouping.empty() && !a.without
          ? util::concat({op, "()"})
          : util::concat({op, a.without ? " without (" : " by (", util::join(a.grouping, ", "), ")"});
  if (a.without) {
    s.labels = in.labels;
    s.labels_known = in.labels_known;
    s.closed_by = in.closed_by;
    s.removed = in.removed;
    s.several = in.several;
    s.joined = in.joined;
    for (const auto& g : a.grouping) {
      s.labels.erase(g);
      s.several.erase(g);
      s.joined.erase(g);
      s.removed[g] = how;
    }
    s.labels.erase("__name__");
  } else {
    s.labels_known = true;
    for (const auto& g : a.grouping) {
      if (absent(in, g)) continue;
      s.labels.insert(g);
      if (!in.labels.count(g) || in.maybe.count(g)) s.maybe.insert(g); // by (x) of series without x: no x
      if (auto it = in.joined.find(g); it != in.joined.end()) s.joined.insert(*it);
      if (auto it = in.several.find(g); it != in.several.end()) s.several.insert(*it);
      else if (splits(g, in)) s.several.emplace(g, how + " keeps a series per " + g);
    }
    s.closed_by = closing(how, s.labels);
  }
  // The input's series had no such label: neither has the result (the config's doing).
  s.maybe.insert(in.maybe.begin(), in.maybe.end());
  for (auto it = s.maybe.begin(); it != s.maybe.end();) it = s.labels.count(*it) ? std::next(it) : s.maybe.erase(it);
  for (const auto& [x, v] : in.values)
    if (s.labels.count(x)) s.values.emplace(x, v);
  // The lacking series alone in their groups keep their value through min, max, avg, a sum of 0s.
  for (const auto& [x, k] : in.lacking)
    if (s.labels.count(x)) {
      Lacking& out = s.lacking.emplace(x, k).first->second;
      const bool keeps = a.op == AggregateOp::min || a.op == AggregateOp::max || a.op == AggregateOp::avg ||
                         (a.op == AggregateOp::sum && k.value == 0.0);
      if (!k.alone || !keeps) out.value.reset();
    }
  s.dropped = in.dropped;
  s.unwritten = in.unwritten;
  if (a.without) s.targets_open = in.targets_open;
  if (a.op == AggregateOp::count_values) {
    const Expr* label = unparen(a.param);
    if (label && label->kind == NodeKind::string_literal) {
      s.set_label(label->as<StringLiteral>().value);
      s.several.emplace(label->as<StringLiteral>().value, how + " keeps a series per value");
    } else s.labels_known = s.targets_open = false;
  }
  // sum of counters is still a counter (the classic sum-then-rate trap); min/max/avg keep units.
  if (a.op == AggregateOp::sum) s.kind = in.kind;
  else if (a.op == AggregateOp::min || a.op == AggregateOp::max || a.op == AggregateOp::avg ||
           a.op == AggregateOp::quantile) {
    s.kind = in.kind;
    s.unit = in.unit;
  } else s.kind = ValueKind::gauge;
  // sum by (le) of buckets is still a histogram with the same bounds.
  if (a.op == AggregateOp::sum || a.op == AggregateOp::min || a.op == AggregateOp::max || a.op == AggregateOp::avg)
    s.bucket_unit = in.bucket_unit;
  if (!s.unit.empty() || !s.bucket_unit.empty()) s.unit_of = in.unit_of;
  // The values: a sum of values that are never negative is never negative, one of values a
  // comparison kept above 0 stays above 0 (sum(limit > 0) is no divisor of 0), and one of values
  // of at least 1 is at least 1 (sum(up == 1) < 1 never holds); a sum of positive values is
  // count-like (`sum(up == 1) > 0`, `sum(count(x)) > 0` are idioms, not "always true"); min, max,
  // avg and a quantile stay within the input's range; count and group count.
  switch (a.op) {
  case AggregateOp::sum:
    if (in.lo > 0) {
      const std::string lo = util::format_number(in.lo);
      s.set_range(in.lo, s.hi,
                  in.lo_open ? util::concat({"sum() of values above ", lo, " is above ", lo})
                             : util::concat({"sum() of values of at least ", lo, " is at least ", lo}));
      s.lo_open = in.lo_open;
      s.count_like = true;
    } else if (in.lo == 0 && in.hi == 0) {
      // Every value is 0 (sum(x == 0)): so is their sum, whatever the number of series.
      const std::string of = in.range_of.empty() ? "" : " (" + in.range_of.text() + ")";
      s.set_range(0, 0, RangeReason("sum() of values that are all 0 is 0" + of, in.range_of.comparison));
    } else if (in.lo >= 0) s.set_range(0, s.hi, in.range_of), s.lo_open = in.lo == 0 && in.lo_open;
    else if (in.hi <= 0) s.set_range(s.lo, 0, in.range_of), s.hi_open = in.hi == 0 && in.hi_open;
    // The rates of a CPU's every mode, summed over the modes: its time, which always passes.
    if (const catalog::ExporterWhole* w = in.adds_up;
        w && a.without == (std::find(a.grouping.begin(), a.grouping.end(), w->label) != a.grouping.end())) {
      s.set_range(0, s.hi, util::concat({w->how, ": its rate summed over every ", w->label, " is above 0"}));
      s.lo_open = true;
    }
    break;
  case AggregateOp::min:
  case AggregateOp::max:
  case AggregateOp::avg:
  case AggregateOp::quantile:
    s.lo = in.lo, s.hi = in.hi, s.lo_open = in.lo_open, s.hi_open = in.hi_open, s.range_of = in.range_of;
    s.count_like = in.count_like;
    if (a.op == AggregateOp::min)
      if (std::string why = min_of_one_hot(a); !why.empty()) s.set_range(0, 0, std::move(why));
    break;
  case AggregateOp::count:
  case AggregateOp::count_values:
    // A vector's series differ in their labels: grouped by all of them, a group holds one.
    if (a.op == AggregateOp::count && one_series_per_group(a, in))
      s.set_range(1, 1, how + " counts one series per group: it is always 1");
    else s.set_range(1, s.hi, util::concat({op, "() is at least 1"}));
    s.count_like = true;
    break;
  case AggregateOp::group: s.set_range(1, 1, "group() is always 1"); break;
  case AggregateOp::stddev:
  case AggregateOp::stdvar: s.set_range(0, s.hi, util::concat({op, "() is never negative"})); break;
  default: break;
  }
  // One NaN makes a sum or an average NaN; min and max pass it on only when every series is NaN.
  if (!in.nan.empty() && a.op != AggregateOp::count && a.op != AggregateOp::group &&
      a.op != AggregateOp::count_values) {
    s.nan = in.nan;
    s.nan_at = in.nan_at;
    s.nan_aggregated = in.nan_aggregated || spreads_nan(a.op);
    s.nan_inf = in.nan_inf;
  }
}

} // namespace nsmon::lint
