#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <set>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/strings.hpp"

// The values an expression can take: the range of a function's result from its argument's,
// interval arithmetic of the binary operators, and what a comparison with a number then does.

namespace nsmon::lint {

using namespace promql;

// The values a function's result can take, from its argument's.
void Inference::call_range(const Call& c, const Shape& arg, Shape& s) const {
  std::string_view n = c.name;
  auto keep = [&] {
    s.lo = arg.lo, s.hi = arg.hi, s.lo_open = arg.lo_open, s.hi_open = arg.hi_open;
    s.range_of = arg.range_of;
    s.count_like = arg.count_like;
  };
  if (is_rate_function(n)) {
    s.set_range(0, s.hi, c.name + "() is never negative"); // a decrease counts as a reset
    // A series of a whole that grows one second a second (a CPU's time in one mode), whatever
    // the matchers; increase() is per window, not per second.
    if (const catalog::ExporterWhole* w = rate_whole(c, false); w && w->at_most > 0 && n != "increase")
      s.set_range(0, w->at_most, w->each);
  }
  // A series whose every value is the same (node_exporter's node_uname_info, always 1): a
  // change of its labels makes a new series, and changes() counts a series' own values only.
  else if ((n == "changes" || n == "resets") && arg.lo == arg.hi && !arg.range_of.empty())
    s.set_range(0, 0,
                c.name + "() of a series whose every value is the same is always 0 (" + arg.range_of.text() +
                    "; a change of its labels makes a new series)");
  else if (n == "changes" || n == "resets") s.set_range(0, s.hi, c.name + "() counts, from 0 up");
  else if (n == "count_over_time") {
    s.set_range(1, s.hi, "count_over_time() is at least 1");
    s.count_like = true;
  } else if (n == "present_over_time") {
    s.set_range(1, 1, "present_over_time() is always 1");
    s.count_like = true;
  } else if (n == "stddev_over_time" || n == "stdvar_over_time" || n == "mad_over_time")
    s.set_range(0, s.hi, c.name + "() is never negative");
  else if (n == "sum_over_time") {
    if (arg.lo >= 0) s.set_range(0, s.hi, arg.range_of);
  } else if (n == "abs") s.set_range(0, std::max(std::fabs(arg.lo), std::fabs(arg.hi)), "abs() is never negative");
  else if (n == "clamp_min" || n == "clamp_max" || n == "clamp") {
    keep();
    auto a = number_arg(c, 1), b = number_arg(c, 2);
    if (n == "clamp_min" && a && *a >= s.lo)
      s.lo = *a, s.lo_open = false, s.range_of = "clamp_min(..., " + util::format_number(*a) + ")";
    if (n == "clamp_max" && a && *a <= s.hi)
      s.hi = *a, s.hi_open = false, s.range_of = "clamp_max(..., " + util::format_number(*a) + ")";
    if (n == "clamp" && a && b) s.set_range(std::max(s.lo, *a), std::min(s.hi, *b), "clamp() bounds it");
  } else if (n == "ceil" || n == "floor" || n == "round") {
    keep();
    s.lo = std::floor(s.lo), s.hi = std::ceil(s.hi), s.lo_open = s.hi_open = false;
  } else if (n == "histogram_fraction") s.set_range(0, 1, "histogram_fraction() is a ratio");
  else if (keeps_values(n)) keep();
}

std::optional<double> number_arg(const Call& c, std::size_t i) {
  const Expr* e = i < c.args.size() ? unparen(c.args[i]) : nullptr;
  if (e && e->kind == NodeKind::number_literal) return e->as<NumberLiteral>().value;
  return std::nullopt;
}

BinaryOp flip(BinaryOp op) {
  switch (op) {
  case BinaryOp::lss: return BinaryOp::gtr;
  case BinaryOp::gtr: return BinaryOp::lss;
  case BinaryOp::lte: return BinaryOp::gte;
  case BinaryOp::gte: return BinaryOp::lte;
  default: return op;
  }
}

bool holds(BinaryOp op, double x, double v) {
  switch (op) {
  case BinaryOp::lss: return x < v;
  case BinaryOp::gtr: return x > v;
  case BinaryOp::lte: return x <= v;
  case BinaryOp::gte: return x >= v;
  case BinaryOp::eql: return x == v;
  case BinaryOp::neq: return x != v;
  default: return true;
  }
}

Verdict compare(const Shape& s, BinaryOp op, double v) {
  if (std::isnan(v)) return Verdict::never;
  bool any = false, all = true; // whether some value of [lo, hi] passes, whether every one does
  // The comparison's truth changes only at v: the bounds, v itself and points beside them decide.
  const double lo = s.lo_open ? std::nextafter(s.lo, s.hi) : s.lo;
  const double hi = s.hi_open ? std::nextafter(s.hi, s.lo) : s.hi;
  if (lo > hi) return Verdict::never;
  for (double x : {lo, hi, v, std::nextafter(v, -INFINITY), std::nextafter(v, INFINITY)}) {
    if (x < lo || x > hi || std::isinf(x)) continue;
    bool p = holds(op, x, v);
    any = any || p;
    all = all && p;
  }
  if (!any) return Verdict::never;
  // NaN passes no comparison, but a comparison every number passes is pointless all the same.
  return all ? Verdict::always : Verdict::depends;
}

std::optional<double> only_value(const Shape& s) {
  if (s.lo == s.hi && std::isfinite(s.lo) && !s.lo_open && !s.hi_open) return s.lo;
  return std::nullopt;
}

std::optional<double> health_value_passing(const Expr* e, BinaryOp op, double v) {
  e = unparen(e);
  if (!e || e->kind != NodeKind::vector_selector) return std::nullopt;
  const std::string& name = metric_name(e->as<VectorSelector>());
  if (name != "up" && (name.size() <= 3 || !util::ends_with(name, "_up"))) return std::nullopt;
  Shape one;
  std::optional<double> passing;
  for (double x : {0.0, 1.0}) {
    one.set_range(x, x);
    if (compare(one, op, v) == Verdict::never) continue;
    if (passing) return std::nullopt; // both pass: the comparison keeps both values
    passing = x;
  }
  return passing;
}

// A counter scaled by a positive number, or multiplied by series that are always 1 (a join's
// label carrier: group(), `y == 1`), is still a counter: its rate is the rate scaled. Other
// arithmetic with a number, a gauge on either side, or counters on both sides (a difference or a
// ratio of counters goes down) make a gauge. A side whose kind nothing says (another exporter's
// metric, not named like a counter) leaves the kind unknown: gitlab-com-runbooks' `requests *
// on (ingress) group_left (stage) labels` is requests' kind where labels is 1.
ValueKind arithmetic_kind(BinaryOp op, const Shape& l, const Shape& r) {
  auto positive = [](const Shape& s) {
    auto v = only_value(s);
    return v && *v > 0;
  };
  if (op == BinaryOp::mul && positive(r)) return l.kind;
  if (op == BinaryOp::mul && positive(l)) return r.kind;
  if (op == BinaryOp::div && positive(r)) return l.kind;
  if (only_value(l) || only_value(r) || l.kind == ValueKind::gauge || r.kind == ValueKind::gauge)
    return ValueKind::gauge;
  if (l.kind == ValueKind::unknown || r.kind == ValueKind::unknown) return ValueKind::unknown;
  return ValueKind::gauge;
}

double combine(BinaryOp op, double a, double b) {
  switch (op) {
  case BinaryOp::add: return a + b;
  case BinaryOp::sub: return a - b;
  case BinaryOp::mul: return a * b;
  case BinaryOp::div: return a / b;
  case BinaryOp::mod: return std::fmod(a, b);
  case BinaryOp::pow: return std::pow(a, b);
  case BinaryOp::atan2: return std::atan2(a, b);
  default: return NAN;
  }
}

std::optional<double> Inference::vector_number(const Expr* e) const {
  e = unparen(e);
  if (!e || e->kind != NodeKind::call || e->as<Call>().name != "vector" || e->as<Call>().args.empty())
    return std::nullopt;
  return constant(e->as<Call>().args[0]);
}

std::optional<double> Inference::constant(const Expr* e) const {
  if (!e || e->type != ValueType::scalar) return std::nullopt;
  const Shape& s = at(e);
  return s.nan.empty() ? only_value(s) : std::nullopt; // scalar() of no series or of several is NaN
}

// Interval arithmetic of a binary operator's values; open bounds are taken as closed. Two single
// numbers give the one result (13.44 * 0.1 is 1.344, the threshold a comparison reads).
void arithmetic_range(BinaryOp op, const Shape& l, const Shape& r, Shape& s) {
  const double inf = std::numeric_limits<double>::infinity();
  auto product = [](double a, double b) { return (a == 0 || b == 0) ? 0.0 : a * b; };
  s.set_range(-inf, inf);
  if (auto a = only_value(l), b = only_value(r); a && b) {
    if (double v = combine(op, *a, *b); std::isfinite(v)) s.set_range(v, v);
    return;
  }
  switch (op) {
  case BinaryOp::add: s.set_range(l.lo + r.lo, l.hi + r.hi); break;
  case BinaryOp::sub: s.set_range(l.lo - r.hi, l.hi - r.lo); break;
  case BinaryOp::mul: {
    double p[] = {product(l.lo, r.lo), product(l.lo, r.hi), product(l.hi, r.lo), product(l.hi, r.hi)};
    s.set_range(*std::min_element(std::begin(p), std::end(p)), *std::max_element(std::begin(p), std::end(p)));
    break;
  }
  case BinaryOp::div:
    if (l.lo >= 0 && r.lo >= 0) s.set_range(0, inf);
    break;
  default: break;
  }
  if (std::isnan(s.lo) || std::isnan(s.hi)) s.set_range(-inf, inf);
  // A number and a side whose bounds have a reason: the reason carries over, so that a finding on
  // `1 - avail / size > 90` says where [0, 2] comes from. A NaN of 0 / 0 stays one either way.
  const bool zero_whole = l.range_of.zero_whole || r.range_of.zero_whole;
  const std::optional<double> lc = only_value(l), rc = only_value(r);
  const Shape* why = lc && !r.range_of.empty() && !r.range_of.comparison   ? &r
                     : rc && !l.range_of.empty() && !l.range_of.comparison ? &l
                                                                           : nullptr;
  s.range_of.clear();
  if (why && s.bounded() && std::isfinite(s.lo) && std::isfinite(s.hi) &&
      (op == BinaryOp::add || op == BinaryOp::sub || op == BinaryOp::mul)) {
    const std::string n = util::format_number(lc ? *lc : *rc);
    const std::string it = op == BinaryOp::add   ? "it plus " + n
                           : op == BinaryOp::mul ? n + " times it"
                           : lc                  ? n + " minus it"
                                                 : "it minus " + n;
    s.range_of = RangeReason(util::concat({why->range_of.text(), ", so ", it, " lies in [", util::format_number(s.lo),
                                           ", ", util::format_number(s.hi), "]"}));
  }
  s.range_of.zero_whole = zero_whole;
  // 0 over values that are never 0 is 0 (sum(x == 0) / count(x == 0), a share that is always 0).
  if (op == BinaryOp::div && only_value(l) == 0.0 && (r.lo > 0 || (r.lo == 0 && r.lo_open) || r.hi < 0))
    s.set_range(
        0, 0,
        util::concat({l.range_of.empty() ? "0" : l.range_of.text(), ", and 0 divided by values that are never 0 "
                                                                    "is 0"}));
}

namespace {
// Functions that map each series to one series of the same labels: the series a selector's
// subset reads stay a subset of those the whole reads.
bool per_series(std::string_view n) {
  return is_rate_function(n) || keeps_unit(n) || n == "sum_over_time" || n == "count_over_time";
}

bool same_matcher(const labels::Matcher& a, const labels::Matcher& b) {
  return a.name == b.name && a.op == b.op && a.value == b.value;
}

// Whether counter `part` counts the failures among what counter `whole` counts, as Prometheus's
// naming says: x_failed_total, x_failures_total or x_errors_total of x_total (or of xs_total:
// operation_failures of operations).
bool failures_of(std::string_view part, std::string_view whole) {
  constexpr std::string_view total = "_total";
  if (!util::ends_with(whole, total)) return false;
  const std::string_view of = whole.substr(0, whole.size() - total.size());
  for (std::string_view w : {"_failed_total", "_failures_total", "_errors_total"})
    if (util::ends_with(part, w)) {
      const std::string_view x = part.substr(0, part.size() - w.size());
      if (!x.empty() && (x == of || (of.size() == x.size() + 1 && util::starts_with(of, x) && of.back() == 's')))
        return true;
    }
  return false;
}
} // namespace

// `part` reads some of the series `whole` reads (its selector is the whole's with more matchers),
// through the same functions and the same sum or count, and no series is negative: then a sum
// over the part is at most the sum over the whole, and part / whole lies between 0 and 1 (errors
// over all requests, sum(rate(x{code=~"5.."}[5m])) / sum(rate(x[5m]))). Why, or "". With no
// sum or count on the way (`itself`), each series of the part is a series of the whole with the
// same labels, and one-to-one matching pairs it with itself: the ratio is 1 (Istio's mixin:
// istio_requests_total{response_code=~"5.*"} / istio_requests_total > 0.05).
Inference::PartOfWhole Inference::part_of_whole(const Expr* part, const Expr* whole) const {
  const Expr* a = part;
  const Expr* b = whole;
  bool aggregated = false;
  bool counted = false; // a count on the way counts series: a factor below it changes no value
  double part_times = 1, whole_times = 1;
  // A positive number a side's values are multiplied by (haproxy's sum by (server) (rate(x[1m]) *
  // 100), a percentage meant, written on the whole): peeled, it scales the quotient.
  auto factor = [&](const Expr*& e) {
    if (e->kind != NodeKind::binary || e->as<BinaryExpr>().op != BinaryOp::mul) return 1.0;
    const auto& m = e->as<BinaryExpr>();
    for (auto [number, rest] : {std::pair{m.rhs, m.lhs}, std::pair{m.lhs, m.rhs}})
      if (auto c = constant(number); c && *c > 0) {
        e = unparen(rest);
        return *c;
      }
    return 1.0;
  };
  for (;;) {
    a = unparen(a), b = unparen(b);
    if (!a || !b) return {};
    if (const double fa = factor(a), fb = factor(b); fa != 1 || fb != 1) {
      if (!counted) part_times *= fa, whole_times *= fb;
      continue;
    }
    if (a->kind != b->kind) return {};
    switch (a->kind) {
    case NodeKind::aggregate: {
      const auto& x = a->as<AggregateExpr>();
      const auto& y = b->as<AggregateExpr>();
      if (x.op != y.op || (x.op != AggregateOp::sum && x.op != AggregateOp::count) || x.without != y.without ||
          std::set<std::string>(x.grouping.begin(), x.grouping.end()) !=
              std::set<std::string>(y.grouping.begin(), y.grouping.end()))
        return {};
      if (x.op == AggregateOp::sum && at(y.expr).lo < 0) return {};
      aggregated = true;
      counted = counted || x.op == AggregateOp::count;
      a = x.expr, b = y.expr;
      break;
    }
    case NodeKind::call: {
      const auto& x = a->as<Call>();
      const auto& y = b->as<Call>();
      if (x.name != y.name || x.args.size() != y.args.size() || !per_series(x.name)) return {};
      const Expr* next_a = nullptr;
      const Expr* next_b = nullptr;
      for (std::size_t i = 0; i < x.args.size(); ++i) {
        if (x.args[i]->type == ValueType::vector || x.args[i]->type == ValueType::matrix) {
          if (next_a) return {};
          next_a = x.args[i], next_b = y.args[i];
        } else if (print(*x.args[i]) != print(*y.args[i])) return {};
      }
      if (!next_a) return {};
      a = next_a, b = next_b;
      break;
    }
    case NodeKind::matrix_selector: {
      const auto& x = a->as<MatrixSelector>();
      const auto& y = b->as<MatrixSelector>();
      if (x.range_ns != y.range_ns || x.range_expr || y.range_expr) return {};
      a = x.selector, b = y.selector;
      break;
    }
    case NodeKind::vector_selector: {
      const auto& x = a->as<VectorSelector>();
      const auto& y = b->as<VectorSelector>();
      const auto& mx = x.modifiers;
      const auto& my = y.modifiers;
      const std::string &name = metric_name(x), &whole_name = metric_name(y);
      const bool family = name != whole_name && failures_of(name, whole_name);
      // An exporter's fact: node_filesystem_avail_bytes is, series by series, a part of
      // node_filesystem_size_bytes (rules/exporters.yml `parts`).
      const catalog::ExporterPart* fact =
          name != whole_name && !family ? catalog::exporters().part_of(name, whole_name) : nullptr;
      if (name.empty() || (name != whole_name && !family && !fact) || mx.offset_ns != my.offset_ns || mx.offset_expr ||
          my.offset_expr || mx.at != my.at || mx.at_ms != my.at_ms || x.anchored != y.anchored ||
          x.smoothed != y.smoothed)
        return {};
      for (const auto& m : y.matchers)
        if (std::none_of(x.matchers.begin(), x.matchers.end(), [&](const auto& n) { return same_matcher(m, n); }))
          return {};
      PartOfWhole p;
      if (family)
        p = {"a ratio of " + name + " to " + whole_name +
             " (by their names, the failures among all) is between 0 and 1"};
      else if (fact) {
        const bool negative = !fact->negative.empty();
        p = {util::concat({"a ratio of ", name, " to ", whole_name, " (", fact->how, ") is ",
                           negative ? "between -1 and 1 (" + fact->negative + ")" : "between 0 and 1"}),
             false, !fact->zero_whole.empty(), negative};
      } else if (!aggregated)
        p = {"each series of " + name +
                 " on the left is also on the right, with the same labels, so "
                 "one-to-one matching divides it by itself: the ratio is 1",
             true};
      else p = {"a ratio of some of the series of " + name + " to all of them is between 0 and 1"};
      p.part_times = part_times, p.whole_times = whole_times;
      return p;
    }
    default: return {};
    }
  }
}

namespace {
// Whether `divisor` is a sum over a whole job of the rate of requests that never stop (the
// Kubernetes API server's, whose kubelets renew their leases with PUTs and whose schedulers and
// controller managers GET theirs every few seconds: rules/exporters.yml `busy`): it is never 0,
// while one resource's, one code's or one instance's rate may be.
bool never_idle(const Expr& divisor) {
  const Expr* d = unparen(&divisor);
  if (d->kind != NodeKind::aggregate) return false;
  const auto& a = d->as<AggregateExpr>();
  const Expr* inner = unparen(a.expr);
  if (a.op != AggregateOp::sum || a.without || inner->kind != NodeKind::call) return false;
  const auto& c = inner->as<Call>();
  if (!is_rate_function(c.name) || c.args.size() != 1 || c.args[0]->kind != NodeKind::matrix_selector) return false;
  const auto& vs = c.args[0]->as<MatrixSelector>().selector->as<VectorSelector>();
  const catalog::Exporter* e = catalog::exporters().busy(metric_name(vs));
  if (!e) return false;
  const auto& allowed = e->busy.labels;
  auto known = [&](const std::string& l) { return std::find(allowed.begin(), allowed.end(), l) != allowed.end(); };
  return std::all_of(a.grouping.begin(), a.grouping.end(), known) &&
         std::all_of(vs.matchers.begin(), vs.matchers.end(), [&](const labels::Matcher& m) {
           if (m.name == "__name__") return true;
           if (!known(m.name)) return false;
           return m.name != e->busy.label ||
                  std::any_of(e->busy.values.begin(), e->busy.values.end(),
                              [&](const std::string& v) { return labels::matches(m, v, labels::Dialect::prometheus); });
         });
}
} // namespace

// Why the division or remainder `b` can give NaN or an infinity, or "": its divisor can be 0 (a
// number, or values known to reach 0: a rate, a clamp or a comparison that lets 0 through). x / 0
// is +Inf or -Inf (`inf`), 0 / 0 and x % 0 are NaN. Values nothing is known of are not suspected:
// a gauge that is never 0 in practice (a filesystem's size) would be reported as readily.
std::string Inference::zero_divisor(const BinaryExpr& b, const Shape& l, const Shape& r, bool& inf) const {
  const bool div = b.op == BinaryOp::div;
  const std::string what = div ? "x / 0 is +Inf or -Inf, 0 / 0 NaN" : "x % 0 is NaN";
  inf = div;
  if (only_value(r) == 0.0) return "a division by 0: " + what;
  if (!r.bounded() || !r.may_be(0) || never_idle(*b.rhs)) return {};
  if (const Expr* d = unparen(b.rhs); d->kind == NodeKind::binary) {
    const auto& c = d->as<BinaryExpr>();
    if (c.op == BinaryOp::neq && !c.return_bool && (constant(c.lhs) == 0.0 || constant(c.rhs) == 0.0)) return {};
  }
  // A limit's 0 means "none": it meets a dividend that is not 0 (the usage of an unlimited
  // container), so x / 0 is the case that happens.
  if (div && l.may_be(0) && !unlimited_limit(*b.rhs)) {
    inf = false; // as it was worded before: a rate over a rate, where 0 / 0 is the case that happens
    return "0/0 is NaN, and both sides of this division can be 0";
  }
  std::string divisor = print(*b.rhs);
  if (divisor.size() > 60) divisor = "the divisor";
  return divisor + " can be 0 (" + (r.range_of.empty() ? "its values reach 0" : r.range_of.text()) + "), and " + what;
}

const VectorSelector* unlimited_limit(const Expr& divisor) {
  const VectorSelector* found = nullptr;
  walk(divisor, [&](const Expr& n, auto) {
    if (n.kind == NodeKind::vector_selector && !unlimited_is_zero(metric_name(n.as<VectorSelector>())).empty())
      found = &n.as<VectorSelector>();
    return !found;
  });
  return found;
}

namespace {
// The aggregations whose result is in their input's unit (a sum of seconds is seconds; a count is not).
bool keeps_unit(AggregateOp op) {
  return op == AggregateOp::sum || op == AggregateOp::min || op == AggregateOp::max || op == AggregateOp::avg ||
         op == AggregateOp::quantile || op == AggregateOp::topk || op == AggregateOp::bottomk;
}
} // namespace

std::string unit_by_name(const Expr& e, std::string* of) {
  const Expr* u = unparen(&e);
  switch (u->kind) {
  case NodeKind::vector_selector: {
    // A scraped series' base unit, its name's last word as Prometheus's naming writes it; a
    // counter (_total) counts and a recording rule's name is no unit.
    const std::string& name = metric_name(u->as<VectorSelector>());
    if (name.find(':') != std::string::npos) return {};
    for (std::string_view unit : {"bytes", "seconds", "percent", "ratio", "celsius", "volts", "amperes", "joules"})
      if (name.size() > unit.size() + 1 && util::ends_with(name, unit) && name[name.size() - unit.size() - 1] == '_') {
        if (of) *of = name;
        return std::string(unit);
      }
    return {};
  }
  case NodeKind::call: {
    const auto& c = u->as<Call>();
    if (!keeps_values(c.name) || c.args.empty()) return {};
    const Expr* arg = c.args[0];
    if (arg->kind == NodeKind::matrix_selector) arg = arg->as<MatrixSelector>().selector;
    return unit_by_name(*arg, of);
  }
  case NodeKind::aggregate: {
    const auto& a = u->as<AggregateExpr>();
    return keeps_unit(a.op) ? unit_by_name(*a.expr, of) : std::string();
  }
  case NodeKind::binary: {
    const auto& b = u->as<BinaryExpr>();
    // The right side first: a chain of `or`s is deep on the left, and a right side without a
    // unit ends the reading there rather than at each `or` of the chain.
    std::string l_of, r_of;
    const std::string r = unit_by_name(*b.rhs, &r_of);
    if (r.empty()) return {};
    std::string l = unit_by_name(*b.lhs, &l_of);
    if (l != r) return {};
    // A sum or difference keeps the unit; a quotient of one unit by itself has none (used / total).
    if (b.op == BinaryOp::add || b.op == BinaryOp::sub) {
      if (of) *of = util::ends_with(l_of, "...") ? l_of : l_of + (b.op == BinaryOp::add ? " + ..." : " - ...");
      return l;
    }
    if (b.op == BinaryOp::div) {
      if (of) *of = (util::ends_with(l_of, "...") ? "(" + l_of + ")" : l_of) + " / " + r_of;
      return l == "ratio" || l == "percent" ? std::string() : "quotient";
    }
    return {};
  }
  default: return {};
  }
}

namespace {

// A recording rule's name in Prometheus's form level:metric:operations whose operations all keep
// the values of the metric part in its range and unit (avg, max, quantile, p99, histogram_quantile,
// over time, with a window: avg_over_time5m): that metric part, or "" (rate5m, sum, ratio).
std::string_view kept_metric(std::string_view name) {
  const auto c1 = name.find(':');
  const auto c2 = c1 == std::string_view::npos ? c1 : name.find(':', c1 + 1);
  if (c2 == std::string_view::npos || name.find(':', c2 + 1) != std::string_view::npos) return {};
  const std::string_view metric = name.substr(c1 + 1, c2 - c1 - 1);
  static const std::set<std::string_view> kKeep = {"",       "avg",      "min",  "max",  "last",     "mean",
                                                   "median", "quantile", "over", "time", "histogram"};
  for (std::string_view rest = name.substr(c2 + 1);;) {
    const auto cut = rest.find('_');
    std::string_view op = rest.substr(0, cut);
    const auto digit = op.find_first_of("0123456789");
    if (digit != std::string_view::npos) {
      // a window (avg5m) or a percentile (p99, p999)
      const bool percentile =
          op[0] == 'p' && digit == 1 && op.find_first_not_of("0123456789", 1) == std::string_view::npos;
      if (!percentile && op.find_first_not_of("0123456789smhdwy", digit) != std::string_view::npos) return {};
      op = percentile ? std::string_view() : op.substr(0, digit);
    }
    if (!kKeep.count(op)) return {};
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  return metric;
}

// What the names of an expression's series say its values are, for duration_unit: a duration in
// `scale` seconds, a rate of one (seconds per second), a count or a rate of one, or nothing known.
// A counter's name ending in a unit counts that unit, not events (sent_bytes_total).
constexpr std::string_view units[] = {"_bytes",   "_bits",   "_ratio",   "_percent",      "_celsius", "_volts",
                                      "_amperes", "_joules", "_seconds", "_milliseconds", "_ms",      "_microseconds"};

struct TimeDim {
  enum Kind { none, duration, duration_rate, count } kind = none;
  double scale = 0;
  std::string of;
};

// A gauge's or a recorded series' name in a unit of time coarser than Prometheus's seconds
// (backup_age_in_hours, uptime_days): the seconds in one, or 0.
double coarse_unit(std::string_view name) {
  if (util::ends_with(name, "_minutes")) return 60;
  if (util::ends_with(name, "_hours")) return 3600;
  if (util::ends_with(name, "_days")) return 86400;
  return 0;
}

TimeDim time_dim(const Expr& e) {
  const Expr* u = unparen(&e);
  if (const Expr* kept = passes_values_of(*u)) return time_dim(*kept);
  switch (u->kind) {
  case NodeKind::vector_selector: {
    std::string_view name = metric_name(u->as<VectorSelector>());
    TimeDim d{TimeDim::none, 0, std::string(name)};
    // A recording rule's name says its unit where it is Prometheus's level:metric:operations and
    // the operations keep the metric's values (level:request_duration_seconds:p99); a histogram's
    // buckets are read by histogram_quantile.
    if (name.find(':') != std::string_view::npos) {
      std::string_view kept = kept_metric(name);
      // level:metric, no operation to change the values (gitlab_com:backup_age_in_hours).
      if (const auto c = name.find(':'); kept.empty() && name.find(':', c + 1) == std::string_view::npos)
        kept = name.substr(c + 1);
      if (util::ends_with(kept, "_seconds")) d.kind = TimeDim::duration, d.scale = 1;
      else if (util::ends_with(kept, "_milliseconds") || util::ends_with(kept, "_ms"))
        d.kind = TimeDim::duration, d.scale = 0.001;
      else if (double s = coarse_unit(kept); s > 0) d.kind = TimeDim::duration, d.scale = s;
      return d;
    }
    if (util::ends_with(name, "_bucket")) return {};
    if (util::ends_with(name, "_count")) return d.kind = TimeDim::count, d;
    const bool total = util::ends_with(name, "_total"), sum = util::ends_with(name, "_sum");
    if (total || sum) name.remove_suffix(sum ? 4 : 6);
    if (util::ends_with(name, "_seconds")) d.kind = TimeDim::duration, d.scale = 1;
    else if (util::ends_with(name, "_milliseconds") || util::ends_with(name, "_ms"))
      d.kind = TimeDim::duration, d.scale = 0.001;
    else if (double s = !total && !sum ? coarse_unit(name) : 0; s > 0) d.kind = TimeDim::duration, d.scale = s;
    else if (total && std::none_of(std::begin(units), std::end(units),
                                   [&](std::string_view w) { return util::ends_with(name, w); }))
      d.kind = TimeDim::count; // requests_total: events
    return d;
  }
  case NodeKind::call: {
    const auto& c = u->as<Call>();
    if (c.name == "histogram_quantile" && c.args.size() == 2) {
      TimeDim d;
      walk(*c.args[1], [&](const Expr& n, auto) {
        if (n.kind != NodeKind::vector_selector) return true;
        std::string_view name = metric_name(n.as<VectorSelector>());
        if (name.find(':') == std::string_view::npos && util::ends_with(name, "_bucket")) {
          name.remove_suffix(7);
          if (util::ends_with(name, "_seconds")) d = {TimeDim::duration, 1, std::string(name)};
          else if (util::ends_with(name, "_milliseconds") || util::ends_with(name, "_ms"))
            d = {TimeDim::duration, 0.001, std::string(name)};
        }
        return d.kind == TimeDim::none;
      });
      return d;
    }
    if (c.args.empty()) return {};
    const Expr* arg = c.args[0];
    if (arg->kind == NodeKind::matrix_selector) arg = arg->as<MatrixSelector>().selector;
    TimeDim d = time_dim(*arg);
    if (c.name == "rate" || c.name == "irate") {
      if (d.kind == TimeDim::duration) d.kind = TimeDim::duration_rate;
      return d;
    }
    if (c.name == "increase" || keeps_values(c.name)) return d;
    return {};
  }
  case NodeKind::binary: {
    const auto& b = u->as<BinaryExpr>();
    if (is_comparison(b.op)) return {}; // a 0/1 of bool
    const Expr* r = unparen(b.rhs);
    const Expr* l = unparen(b.lhs);
    // * 1000 makes seconds milliseconds, / 1000 milliseconds seconds.
    auto thousand = [](const Expr* x) {
      return x->kind == NodeKind::number_literal && x->as<NumberLiteral>().value == 1000;
    };
    // seconds / 60, / 3600, / 86400: minutes, hours, days.
    if (b.op == BinaryOp::div && r->kind == NodeKind::number_literal) {
      const double v = r->as<NumberLiteral>().value;
      if (v == 60 || v == 3600 || v == 86400) {
        TimeDim d = time_dim(*l);
        if (d.kind != TimeDim::duration || d.scale != 1) return {};
        d.scale = v;
        d.of = print(*u); // its unit is the name's and the division's
        return d;
      }
    }
    if ((b.op == BinaryOp::mul || b.op == BinaryOp::div) && (thousand(r) || (b.op == BinaryOp::mul && thousand(l)))) {
      TimeDim d = time_dim(thousand(r) ? *l : *r);
      if (d.kind != TimeDim::duration) return {};
      d.scale = b.op == BinaryOp::mul ? d.scale / 1000 : d.scale * 1000;
      if (d.scale != 1 && d.scale != 0.001) return {};
      d.of = print(*u);
      return d;
    }
    TimeDim dl = time_dim(*l), dr = time_dim(*r);
    // time() - a timestamp in seconds: an age in seconds.
    if (b.op == BinaryOp::sub && l->kind == NodeKind::call && l->as<Call>().name == "time" &&
        dr.kind == TimeDim::duration && dr.scale == 1)
      return dr;
    if (b.op == BinaryOp::div && dr.kind == TimeDim::count &&
        (dl.kind == TimeDim::duration || dl.kind == TimeDim::duration_rate)) {
      dl.kind = TimeDim::duration; // seconds per request
      dl.of += " / " + dr.of;
      return dl;
    }
    // `or` gives one side's values or the other's: a unit only where both have it.
    if ((b.op == BinaryOp::add || b.op == BinaryOp::sub || b.op == BinaryOp::lor) && dl.kind == dr.kind &&
        dl.scale == dr.scale)
      return dl;
    return {};
  }
  default: return {};
  }
}

} // namespace

const Expr* passes_values_of(const Expr& e) {
  if (e.kind == NodeKind::aggregate) {
    const auto& a = e.as<AggregateExpr>();
    return keeps_unit(a.op) ? a.expr : nullptr;
  }
  if (e.kind != NodeKind::binary) return nullptr;
  const auto& b = e.as<BinaryExpr>();
  if (b.op == BinaryOp::land || b.op == BinaryOp::lunless) return b.lhs;
  if (!is_comparison(b.op) || b.return_bool) return nullptr;
  return b.lhs->type == ValueType::scalar ? b.rhs : b.lhs;
}

double duration_unit(const Expr& e, std::string* of) {
  TimeDim d = time_dim(e);
  if (d.kind != TimeDim::duration) return 0;
  if (of) *of = d.of;
  return d.scale;
}

const Call* counted_by(const Expr& e) {
  const Expr* u = unparen(&e);
  if (const Expr* kept = passes_values_of(*u)) return counted_by(*kept);
  switch (u->kind) {
  case NodeKind::call: {
    const auto& c = u->as<Call>();
    return c.name == "increase" || c.name == "rate" || c.name == "irate" ? &c : nullptr;
  }
  case NodeKind::binary: {
    const auto& b = u->as<BinaryExpr>();
    if (b.op != BinaryOp::add && b.op != BinaryOp::sub && b.op != BinaryOp::lor) return nullptr;
    const Call *l = counted_by(*b.lhs), *r = counted_by(*b.rhs);
    return l && r && (l->name == "increase") == (r->name == "increase") ? l : nullptr;
  }
  default: return nullptr;
  }
}

bool count_ratio(const Expr& e, std::string* of) {
  const Expr* u = unparen(&e);
  while (const Expr* kept = passes_values_of(*u)) u = unparen(kept);
  if (u->kind != NodeKind::binary || u->as<BinaryExpr>().op != BinaryOp::div) return false;
  const auto& b = u->as<BinaryExpr>();
  const TimeDim l = time_dim(*b.lhs), r = time_dim(*b.rhs);
  const Call *lc = counted_by(*b.lhs), *rc = counted_by(*b.rhs);
  if (l.kind != TimeDim::count || r.kind != TimeDim::count || !lc || !rc ||
      (lc->name == "increase") != (rc->name == "increase"))
    return false;
  if (of) *of = l.of + " / " + r.of;
  return true;
}

std::string events_counted(const Expr& e) {
  const TimeDim d = time_dim(e);
  return d.kind == TimeDim::count && counted_by(e) ? d.of : std::string();
}

std::string ratio_by_name(std::string_view name) {
  // level:metric:operations, Prometheus's form of a recording rule's name.
  const auto c1 = name.find(':');
  const auto c2 = c1 == std::string_view::npos ? c1 : name.find(':', c1 + 1);
  if (c2 == std::string_view::npos || name.find(':', c2 + 1) != std::string_view::npos) return {};
  const std::string_view level = name.substr(0, c1), metric = name.substr(c1 + 1, c2 - c1 - 1),
                         ops = name.substr(c2 + 1);
  const std::string series(name);
  // Sloth's and nsmon's SLO series (not their burn rates or remaining budgets: above 1, below 0).
  if (level == "slo" && ((metric == "sli_error" && (ops == "ratio" || util::starts_with(ops, "ratio_rate"))) ||
                         ((metric == "objective" || metric == "error_budget") && ops == "ratio")))
    return series + " is an SLO's " + (metric == "sli_error" ? "error ratio" : std::string(metric)) +
           " as Sloth and nsmon name it, between 0 and 1";
  // Prometheus's naming: the unit ratio is 0-1 (disk_usage_ratio; a quotient of two quantities
  // is A_per_B, whatever its range), kept by the operations kept_metric names.
  const std::string_view kept = kept_metric(name);
  if (kept.size() <= 6 || !util::ends_with(kept, "_ratio")) return {};
  return series + " is a ratio, between 0 and 1 (Prometheus's naming: the unit of a _ratio metric is 0-1)";
}

void narrow_to_ratio(Shape& s, const std::string& why) {
  // Values known to lie outside [0, 1] (a percentage recorded under a ratio's name) keep their range.
  const bool lo_known = std::isfinite(s.lo), hi_known = std::isfinite(s.hi);
  if ((lo_known && (s.lo < 0 || s.lo > 1)) || (hi_known && (s.hi < 0 || s.hi > 1))) return;
  if (lo_known && hi_known) return; // already within [0, 1], for its own reason
  if (!lo_known) s.lo = 0, s.lo_open = false;
  if (!hi_known) s.hi = 1, s.hi_open = false;
  s.range_of = why;
}

} // namespace nsmon::lint
