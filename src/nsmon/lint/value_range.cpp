#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "nsmon/lint/infer.hpp"
#include "nsmon/util/strings.hpp"

// The values an expression can take: the range of a function's result from its argument's,
// interval arithmetic of the binary operators, and what a comparison with a number then does.

namespace nsmon::lint {

using namespace promql;

// The values a function's result can take, from its argument's.
void Inference::call_range(const Call& c, const Shape& arg, Shape& s) const {
  std::string_view n = c.name;
  auto literal_arg = [&](std::size_t i) -> std::optional<double> {
    const Expr* e = i < c.args.size() ? unparen(c.args[i]) : nullptr;
    if (e && e->kind == NodeKind::number_literal) return e->as<NumberLiteral>().value;
    return std::nullopt;
  };
  auto keep = [&] {
    s.lo = arg.lo, s.hi = arg.hi, s.lo_open = arg.lo_open, s.hi_open = arg.hi_open;
    s.range_of = arg.range_of;
    s.count_like = arg.count_like;
  };
  if (is_rate_function(n)) s.set_range(0, s.hi, c.name + "() is never negative"); // a decrease counts as a reset
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
    auto a = literal_arg(1), b = literal_arg(2);
    if (n == "clamp_min" && a && *a >= s.lo)
      s.lo = *a, s.lo_open = false, s.range_of = "clamp_min(..., " + util::format_number(*a) + ")";
    if (n == "clamp_max" && a && *a <= s.hi)
      s.hi = *a, s.hi_open = false, s.range_of = "clamp_max(..., " + util::format_number(*a) + ")";
    if (n == "clamp" && a && b) s.set_range(std::max(s.lo, *a), std::min(s.hi, *b), "clamp() bounds it");
  } else if (n == "ceil" || n == "floor" || n == "round") {
    keep();
    s.lo = std::floor(s.lo), s.hi = std::ceil(s.hi), s.lo_open = s.hi_open = false;
  } else if (n == "histogram_fraction") s.set_range(0, 1, "histogram_fraction() is a ratio");
  else if (keeps_unit(n)) keep();
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

Verdict compare(const Shape& s, BinaryOp op, double v) {
  if (std::isnan(v)) return Verdict::never;
  bool any = false, all = true; // whether some value of [lo, hi] passes, whether every one does
  auto pass = [&](double x) {
    switch (op) {
    case BinaryOp::lss: return x < v;
    case BinaryOp::gtr: return x > v;
    case BinaryOp::lte: return x <= v;
    case BinaryOp::gte: return x >= v;
    case BinaryOp::eql: return x == v;
    case BinaryOp::neq: return x != v;
    default: return true;
    }
  };
  // The comparison's truth changes only at v: the bounds, v itself and points beside them decide.
  const double lo = s.lo_open ? std::nextafter(s.lo, s.hi) : s.lo;
  const double hi = s.hi_open ? std::nextafter(s.hi, s.lo) : s.hi;
  if (lo > hi) return Verdict::never;
  for (double x : {lo, hi, v, std::nextafter(v, -INFINITY), std::nextafter(v, INFINITY)}) {
    if (x < lo || x > hi || std::isinf(x)) continue;
    bool p = pass(x);
    any = any || p;
    all = all && p;
  }
  if (!any) return Verdict::never;
  // NaN passes no comparison, but a comparison every number passes is pointless all the same.
  return all ? Verdict::always : Verdict::depends;
}

// Interval arithmetic of a binary operator's values; open bounds are taken as closed.
void arithmetic_range(BinaryOp op, const Shape& l, const Shape& r, Shape& s) {
  const double inf = std::numeric_limits<double>::infinity();
  auto product = [](double a, double b) { return (a == 0 || b == 0) ? 0.0 : a * b; };
  s.set_range(-inf, inf);
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
  s.range_of.clear();
}

} // namespace nsmon::lint
