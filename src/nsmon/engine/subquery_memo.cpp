// Subquery steps kept between queries on one storage (Options::reuse_subqueries): which subqueries
// may keep them, a step evaluated and numbered by series, and a step taken from the memo with the
// charges and annotations its evaluation made. eval.cpp's eval_subquery assembles the window.
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "nsmon/engine/eval.hpp"

namespace nsmon::engine::detail {

using namespace promql;

void SubqueryMemo::forget_from(std::int64_t t) {
  for (auto& [sq, entry] : subqueries) entry.steps.erase(entry.steps.lower_bound(t), entry.steps.end());
}

// One step of a subquery: its expression's samples at ts (a scalar as a sample without labels),
// their series numbered in `e`. Prometheus forgets reset hints here: a subquery may skip the
// sample that reset, or return it at several steps.
std::vector<SubqueryMemo::StepSample> step_samples(Context& ctx, SubqueryMemo::Entry& e, const SubqueryExpr& sq,
                                                   std::int64_t ts) {
  Value v = evaluate(ctx, *sq.expr, ts);
  if (v.type == ValueType::scalar) v.vector.push_back({{}, v.scalar, ts});
  std::vector<SubqueryMemo::StepSample> out;
  out.reserve(v.vector.size());
  for (auto& s : v.vector) {
    auto [it, inserted] = e.ids.try_emplace(s.labels, static_cast<std::uint32_t>(e.labels.size()));
    if (inserted) e.labels.push_back(std::move(s.labels));
    if (s.h && (s.h->hint == ResetHint::reset || s.h->hint == ResetHint::not_reset)) {
      auto h = std::make_shared<Histogram>(*s.h);
      h->hint = ResetHint::unknown;
      s.h = std::move(h);
    }
    out.push_back({it->second, s.v, std::move(s.h), s.drop_name});
  }
  return out;
}

// Whether a subquery's steps depend on their own time alone (and on the samples up to it), so that
// a step can be kept for later queries (Options::reuse_subqueries): not with `@` (start() and end()
// are the query's), an offset that looks ahead or is computed, a duration expression (step() and
// range() are the query's), or a smoothed selector (it reads past its time).
namespace {

bool reusable(const SubqueryExpr& sq) {
  auto plain = [](const promql::TimeModifiers& m) {
    return m.at == promql::AtKind::none && m.offset_ns >= 0 && !m.offset_expr;
  };
  bool ok = true;
  walk(*sq.expr, [&](const Expr& n, std::span<const Expr* const>) {
    switch (n.kind) {
    case NodeKind::vector_selector: {
      const auto& vs = n.as<VectorSelector>();
      ok = ok && plain(vs.modifiers) && !vs.smoothed;
      break;
    }
    case NodeKind::matrix_selector: ok = ok && !n.as<MatrixSelector>().range_expr; break;
    case NodeKind::subquery: {
      const auto& inner = n.as<SubqueryExpr>();
      ok = ok && plain(inner.modifiers) && !inner.range_expr && !inner.step_expr;
      break;
    }
    case NodeKind::duration: ok = false; break;
    default: break;
    }
    return ok;
  });
  return ok;
}

} // namespace

// The storage's kept steps of `sq`, or nullptr when they are not to be kept.
SubqueryMemo::Entry* memo_entry(Context& ctx, const SubqueryExpr& sq) {
  if (!ctx.options.reuse_subqueries) return nullptr;
  SubqueryMemo& memo = ctx.storage.subquery_memo();
  const Options& o = ctx.options;
  if (memo.lookback_ms != o.lookback_ms || memo.default_step_ms != o.default_step_ms ||
      memo.closed_windows != o.closed_windows || memo.delayed_name_removal != o.delayed_name_removal) {
    memo.subqueries.clear();
    memo.lookback_ms = o.lookback_ms;
    memo.default_step_ms = o.default_step_ms;
    memo.closed_windows = o.closed_windows;
    memo.delayed_name_removal = o.delayed_name_removal;
  }
  auto [it, inserted] = memo.subqueries.try_emplace(&sq);
  if (inserted) it->second.reusable = reusable(sq);
  return it->second.reusable ? &it->second : nullptr;
}

namespace {

// Adds a step's annotations to the query's (ctx.warn and ctx.info drop repeats).
void add_annotations(Context& ctx, const SubqueryMemo::Step& step) {
  for (const auto& w : step.warnings) ctx.warn(w);
  for (const auto& i : step.infos) ctx.info(i);
}

} // namespace

const SubqueryMemo::Step& memo_step(Context& ctx, SubqueryMemo::Entry& memo, const SubqueryExpr& sq, std::int64_t ts) {
  auto it = memo.steps.find(ts);
  if (it == memo.steps.end()) {
    // The step is evaluated with empty annotations, so that it keeps all of its own; the query's
    // are set aside meanwhile, and given back also when the step fails.
    SubqueryMemo::Step step;
    const std::size_t before = ctx.budget_used;
    auto swap_annotations = [&] {
      std::swap(step.warnings, ctx.warnings);
      std::swap(step.infos, ctx.infos);
    };
    swap_annotations();
    try {
      step.samples = step_samples(ctx, memo, sq, ts);
    } catch (...) {
      swap_annotations();
      add_annotations(ctx, step);
      throw;
    }
    swap_annotations();
    step.charged = ctx.budget_used > before ? ctx.budget_used - before : 0;
    ctx.budget_used = before;
    it = memo.steps.emplace(ts, std::move(step)).first;
  }
  ctx.charge(it->second.charged);
  add_annotations(ctx, it->second);
  return it->second;
}
} // namespace nsmon::engine::detail
