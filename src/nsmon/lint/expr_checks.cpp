#include "nsmon/lint/expr_checks_impl.hpp"

namespace nsmon::lint {

std::string le_label(double bound) {
  std::string s = text::go::format_float_v(bound);
  if (s.find_first_of(".eIN") == std::string::npos) s += ".0";
  return s;
}

void ExprChecks::Impl::run(const Expr& root) {
  root_ = &root;
  walk(root, [&](const Expr& n, std::span<const Expr* const> path) {
    // absent() that is the alert's series, not a filter on them (x and on() absent(y)), of an
    // argument that reads series: one missed scrape marks them stale. Not absent_over_time(),
    // whose range waits as a for: would, nor absent(vector(1)), which nothing makes absent.
    if (n.kind == NodeKind::call && n.as<Call>().name == "absent" && reaches_result(n, path, false) &&
        !filtered_out(n, path))
      absent_reads(n.as<Call>());
    switch (n.kind) {
    case NodeKind::vector_selector:
      selector(n.as<VectorSelector>());
      unitless(n, n.as<VectorSelector>().modifiers.offset_unitless, "offset",
               n.as<VectorSelector>().modifiers.offset_ns);
      break;
    case NodeKind::matrix_selector:
      unitless(n, n.as<MatrixSelector>().range_unitless, "range", n.as<MatrixSelector>().range_ns);
      break;
    case NodeKind::subquery: {
      const auto& sq = n.as<SubqueryExpr>();
      unitless(n, sq.range_unitless, "range", sq.range_ns);
      unitless(n, sq.step_unitless, "step", sq.step_ns);
      unitless(n, sq.modifiers.offset_unitless, "offset", sq.modifiers.offset_ns);
      break;
    }
    case NodeKind::number_literal: duration_number(n.as<NumberLiteral>(), path); break;
    case NodeKind::call: call(n.as<Call>(), path); break;
    case NodeKind::binary: binary(n.as<BinaryExpr>(), path); break;
    case NodeKind::aggregate:
      aggregate(n.as<AggregateExpr>(), reaches_result(n, path, true), values_read(n, path));
      state_count(n.as<AggregateExpr>(), path);
      if (n.as<AggregateExpr>().op == AggregateOp::sum) sum_of_times(n, n.as<AggregateExpr>().expr, path);
      count_never_zero(n.as<AggregateExpr>(), path);
      break;
    default: break;
    }
    return true;
  });
}

void ExprChecks::Impl::emit(core::CheckId check, PosRange range, std::string msg, std::string suggestion) {
  self_.emit(check, range, std::move(msg), std::move(suggestion), check.severity());
}

// Whether the series of `n` are the result's series: not only a filter on them (the right side
// of and/unless), not folded into one series (an aggregation without by, scalar()), when
// `folded` counts.
bool ExprChecks::Impl::reaches_result(const Expr& n, std::span<const Expr* const> path, bool folded) const {
  const Expr* child = &n;
  for (auto it = path.rbegin(); it != path.rend(); child = *it++) {
    const Expr& a = **it;
    if (a.kind == NodeKind::binary) {
      const auto& b = a.as<BinaryExpr>();
      if ((b.op == BinaryOp::land || b.op == BinaryOp::lunless) && b.rhs == child) return false;
    }
    if (!folded) continue;
    if (a.kind == NodeKind::binary && !labels_matched(a.as<BinaryExpr>(), child)) return false;
    if (a.kind == NodeKind::aggregate) {
      const auto& g = a.as<AggregateExpr>();
      if (g.expr == child && !g.without && g.grouping.empty()) return false;
    }
    if (a.kind == NodeKind::call && a.as<Call>().name == "scalar") return false;
  }
  return true;
}

// Whether the values of `n` are read: not when it is the right side of and/unless, which only
// asks which series exist (x unless sum(a / b)).
bool ExprChecks::Impl::values_read(const Expr& n, std::span<const Expr* const> path) {
  const Expr* child = &n;
  for (auto it = path.rbegin(); it != path.rend(); child = *it++) {
    if ((*it)->kind == NodeKind::paren) continue;
    if ((*it)->kind != NodeKind::binary) return true;
    const auto& b = (*it)->as<BinaryExpr>();
    return !((b.op == BinaryOp::land || b.op == BinaryOp::lunless) && b.rhs == child);
  }
  return true;
}

// Whether the labels of `side`'s series matter to the result of `b`: a side whose series give
// their labels to the result does, and the other side (the right, or the left of group_right)
// only where matching reads a label it carries. x - ignoring (project) topk(1, y by (project))
// reads none: whichever series tops, it matches the same series of x.
bool ExprChecks::Impl::labels_matched(const BinaryExpr& b, const Expr* side) const {
  if (b.lhs->type != ValueType::vector || b.rhs->type != ValueType::vector || is_set_operator(b.op)) return true;
  const VectorMatching* vm = b.matching();
  if (side != (vm && vm->card == Cardinality::one_to_many ? b.lhs : b.rhs)) return true;
  const Shape& s = inf_.at(side);
  const std::vector<std::string> none;
  const auto& listed = vm ? vm->labels : none;
  auto in_list = [&](const std::string& l) { return std::find(listed.begin(), listed.end(), l) != listed.end(); };
  if (vm && vm->on)
    return std::any_of(listed.begin(), listed.end(), [&](const std::string& l) { return !inf_.absent(s, l); });
  return !s.labels_known || std::any_of(s.labels.begin(), s.labels.end(),
                                        [&](const std::string& l) { return l != "__name__" && !in_list(l); });
}

// Whether `n` is within a side of `or` that the comparison right above the `or` always removes:
// (x or 0 * absent(x)) >= 4 never returns the absent() side's series.
bool ExprChecks::Impl::filtered_out(const Expr& n, std::span<const Expr* const> path) const {
  const Expr* child = &n;
  const Expr* side = nullptr; // the innermost side of an `or` that holds n
  for (auto it = path.rbegin(); it != path.rend(); child = *it++) {
    const Expr& a = **it;
    if (a.kind == NodeKind::paren) continue;
    if (a.kind != NodeKind::binary) {
      if (side) return false;
      continue;
    }
    const auto& b = a.as<BinaryExpr>();
    if (b.op == BinaryOp::lor) {
      if (!side) side = child;
      continue;
    }
    if (!side) continue;
    if (!is_comparison(b.op) || b.return_bool) return false;
    const bool left = b.lhs == child;
    auto v = inf_.constant(left ? b.rhs : b.lhs);
    return v && compare(inf_.at(side), left ? b.op : flip(b.op), *v) == Verdict::never;
  }
  return false;
}

void ExprChecks::check(const Expr& root) { Impl(*this).run(root); }

void ExprChecks::unrecorded(const VectorSelector&, const std::string& name, PosRange at, bool sure,
                            std::string suggestion) {
  const core::CheckId check = "rules/undefined-recording-rule";
  if (sure)
    emit(check, at, "recording rule " + name + " is defined in none of the rule files", std::move(suggestion),
         check.severity());
}

void ExprChecks::foreign_metric(const VectorSelector&, const std::string& name, PosRange at, std::string suggestion) {
  const core::CheckId check = "catalog/unknown-metric";
  emit(check, at, "metric " + name + " is not in the catalog", std::move(suggestion), check.severity());
}

} // namespace nsmon::lint
