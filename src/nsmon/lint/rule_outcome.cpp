// An alert on a rate at 0 of a counter a well-known program writes per outcome
// (RuleChecks::outcome_alert), and one whose text speaks of success while it reads the time of the
// last attempt (RuleChecks::attempt_as_success), and one that keeps a count of failures below a
// number (RuleChecks::few_failures_alert).
#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::lint {

using namespace promql;

namespace {

// The selector of rate(), irate() or increase() under `side`, alone or under one sum, min, max
// or avg (`agg`, else nullptr); nullptr otherwise.
const VectorSelector* rate_of(const Expr* side, const AggregateExpr*& agg) {
  side = unparen(side);
  agg = nullptr;
  if (side->kind == NodeKind::aggregate) {
    agg = &side->as<AggregateExpr>();
    if (agg->param || (agg->op != AggregateOp::sum && agg->op != AggregateOp::min && agg->op != AggregateOp::max &&
                       agg->op != AggregateOp::avg))
      return nullptr;
    side = unparen(agg->expr);
  }
  if (side->kind != NodeKind::call) return nullptr;
  const auto& c = side->as<Call>();
  if ((c.name != "rate" && c.name != "irate" && c.name != "increase") || c.args.size() != 1) return nullptr;
  const Expr* m = unparen(c.args[0]);
  if (m->kind != NodeKind::matrix_selector) return nullptr;
  const Expr* vs = m->as<MatrixSelector>().selector;
  return vs && vs->kind == NodeKind::vector_selector ? &vs->as<VectorSelector>() : nullptr;
}

// The alert's name and annotations, lower-cased: the words its author used for what it reports.
std::string lowered_text(const rules::Rule& r) {
  std::string text = r.name.value;
  for (const auto& a : r.annotations) text.append(1, ' ').append(a.value.value);
  util::lower_in_place(text);
  return text;
}

} // namespace

// A counter that a well-known program writes per outcome (rules/exporters.yml `outcome`:
// Prometheus's remote-read queries per HTTP status code) has a series for each outcome seen since
// the process started, and that series keeps its count once the outcome stops: an error seen once
// leaves a series whose rate is 0 while everything works. A comparison that keeps a rate of 0
// (`== 0`, `< 1`) of such a counter, no matcher on the outcome label, keeps that series, and the
// alert fires while all is well (giantswarm f55e366: `rate(..._read_queries_total[10m]) == 0`
// paged after one failed read; the fix selects code=~"2.."). Followed from the top through what
// passes a kept series on to the alert: parentheses, `or`, and sum, min, max, avg, count or group
// (a group with one series left has a value). Anything else (and, unless, a further comparison)
// may remove it, and is left alone.
void RuleChecks::outcome_alert(const Expr& e) {
  const Expr* top = unparen(&e);
  if (top->kind == NodeKind::aggregate) {
    const auto& a = top->as<AggregateExpr>();
    if (!a.param && (a.op == AggregateOp::sum || a.op == AggregateOp::min || a.op == AggregateOp::max ||
                     a.op == AggregateOp::avg || a.op == AggregateOp::count || a.op == AggregateOp::group))
      outcome_alert(*a.expr);
    return;
  }
  if (top->kind != NodeKind::binary) return;
  const auto& b = top->as<BinaryExpr>();
  if (b.op == BinaryOp::lor) {
    outcome_alert(*b.lhs);
    outcome_alert(*b.rhs);
    return;
  }
  if (!is_comparison(b.op) || b.return_bool) return;
  const std::optional<double> r = inf_.constant(b.rhs), l = r ? std::nullopt : inf_.constant(b.lhs);
  if ((!r && !l) || !holds(r ? b.op : flip(b.op), 0, r ? *r : *l)) return;
  const AggregateExpr* agg = nullptr;
  const VectorSelector* vs = rate_of(r ? b.lhs : b.rhs, agg);
  if (!vs || inf_.series(*vs).origin != SeriesInfo::Origin::external) return;
  const catalog::ExporterMetric* known = catalog::exporters().find(metric_name(*vs));
  if (!known) return;
  for (const auto& label : known->labels) {
    if (label.outcome.empty()) continue;
    // Still a series per outcome (an aggregation keeps the label), none picked by a matcher.
    if (agg &&
        agg->without == (std::find(agg->grouping.begin(), agg->grouping.end(), label.name) != agg->grouping.end()))
      continue;
    if (std::any_of(vs->matchers.begin(), vs->matchers.end(), [&](const Matcher& m) { return m.name == label.name; }))
      continue;
    // The comparison only, as the rate reads: the selector may be long, the message is not.
    const std::string kept = util::concat({to_string(r ? b.op : flip(b.op)), " ", print(r ? *b.rhs : *b.lhs)});
    emit("alerts/outcome-rate-zero", b.range,
         util::concat({"alert ", r_.name.value, " fires while all is well once one ", label.name,
                       " has been seen and no more: ", known->exporter->name, " writes ", known->name,
                       " with a series per ", label.name, " (", label.outcome, "), kept after that ", label.name,
                       " stops, and `", kept, "` keeps such a series, whose rate is 0"}),
         util::concat({"select the ", label.name, "s meant (", known->name, "{", label.name,
                       "=~\"...\"}), or sum without (", label.name, ") before comparing"}));
    return;
  }
}

// A well-known program that writes the time of the last attempt at something beside the time of
// its last success (rules/exporters.yml, gauges' attempt_dates: kube-state-metrics' CronJob, whose
// last_schedule_time moves on at each run, failed or not): an alert whose name or annotations speak
// of success and that reads only the attempt's time never sees a run fail. A CronJob failing every
// day kept "has not run successfully in over 25 hours" quiet (CowDogMoo/Walls-of-Excellence 39cb214,
// fixed by reading last_successful_time). A text that speaks of scheduling too means the attempt
// ("not successfully scheduled", kube-state-metrics' own words for it), and is left alone.
void RuleChecks::attempt_as_success(const Expr& root) {
  static constexpr std::string_view kFailuresToo =
      "runs that fail move it on as well, so the alert never sees them fail";
  const std::string text = lowered_text(r_);
  if (text.find("succe") == std::string::npos || text.find("schedul") != std::string::npos) return;
  const std::set<std::string> names = metric_names(root);
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind != NodeKind::vector_selector) return true;
    const auto& vs = n.as<VectorSelector>();
    const catalog::Exporter* by = nullptr;
    const auto* d = catalog::exporters().attempt_date(metric_name(vs), &by);
    if (!d || names.count(d->second) || inf_.series(vs).origin != SeriesInfo::Origin::external) return true;
    emit("alerts/attempt-as-success", n.range,
         util::concat({"alert ", r_.name.value, " speaks of success, but ", d->first,
                       " is the time of the last attempt, whatever its outcome (", by->name, " ", by->version,
                       "), and the alert reads no time of a success: ", kFailuresToo}),
         util::concat({"read ", d->second, ", the time of the last success"}));
    return true;
  });
}

// An alert whose whole condition keeps the increase or rate of a counter of failures below a
// number (`< 16`, `<= 16`): no failure at all passes, so the alert fires for every series while
// nothing fails, and stops when failures come (gitpod 3e570ae: "backups failing" fired for every
// idle cluster for `increase(..._backups_failure_total[1h]) <= 16`; the fix reads `> 0 and ...`).
// The counter is one of failures by its name (fail, error), a convention; the claim that 0
// passes, and so that the alert fires where nothing is counted, is the expression's own.
void RuleChecks::few_failures_alert(const Expr& root) {
  const Expr* top = unparen(&root);
  if (top->kind != NodeKind::binary) return;
  const auto& b = top->as<BinaryExpr>();
  if (!is_comparison(b.op) || b.return_bool) return;
  const std::optional<double> r = inf_.constant(b.rhs), l = r ? std::nullopt : inf_.constant(b.lhs);
  const BinaryOp op = r ? b.op : flip(b.op);
  if ((!r && !l) || (op != BinaryOp::lss && op != BinaryOp::lte) || !holds(op, 0, r ? *r : *l)) return;
  const AggregateExpr* agg = nullptr;
  const VectorSelector* vs = rate_of(r ? b.lhs : b.rhs, agg);
  if (!vs) return;
  // An alert whose text says the quiet is what it reports ("No errors counted", a watchdog) means it.
  const std::string text = lowered_text(r_);
  for (const char* meant : {"quiet", "silent", "no error", "no fail", "none", "absent", "missing", "stopped", "too few",
                            "too low", "zero", "watchdog", "heartbeat", "dead man", "deadman"})
    if (text.find(meant) != std::string::npos) return;
  const std::string name = util::ascii_lower(metric_name(*vs));
  // A failover is no failure.
  if ((name.find("fail") == std::string::npos || name.find("failover") != std::string::npos) &&
      name.find("error") == std::string::npos)
    return;
  const std::string kept = util::concat({to_string(op), " ", print(r ? *b.rhs : *b.lhs)});
  emit("alerts/few-failures", b.range,
       util::concat({"alert ", r_.name.value, " fires while nothing fails: `", kept, "` passes 0, so it keeps every ",
                     metric_name(*vs), " series that counted no failure, and drops those that counted more"}),
       util::concat({"fire on failures: `> ", print(r ? *b.rhs : *b.lhs), "`, or on their share of all attempts"}));
}

} // namespace nsmon::lint
