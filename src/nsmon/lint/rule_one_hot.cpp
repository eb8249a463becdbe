// An alert that keeps, of a well-known exporter's one-hot state series, the current state's series
// whatever the state is (RuleChecks::one_hot_alert).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

namespace {

// The selector under `side` when each of its series stays one target's own: the selector itself,
// or a sum, min, max or avg of it that keeps the instance (a scraped series always has one) or
// groups by pod. nullptr otherwise.
const VectorSelector* per_target(const Expr* side) {
  if (side->kind == NodeKind::vector_selector) return &side->as<VectorSelector>();
  if (side->kind != NodeKind::aggregate) return nullptr;
  const auto& a = side->as<AggregateExpr>();
  const Expr* in = unparen(a.expr);
  if (in->kind != NodeKind::vector_selector || a.param) return nullptr;
  if (a.op != AggregateOp::sum && a.op != AggregateOp::min && a.op != AggregateOp::max && a.op != AggregateOp::avg)
    return nullptr;
  auto grouped = [&](const char* l) { return std::find(a.grouping.begin(), a.grouping.end(), l) != a.grouping.end(); };
  const bool keeps = a.without ? !grouped("instance") : grouped("instance") || grouped("pod");
  return keeps ? &in->as<VectorSelector>() : nullptr;
}

} // namespace

// A gauge that one member of a cluster writes as 1 and every other as 0 (rules/exporters.yml
// `one_in_cluster`: Kafka's active controller count), compared per member with a comparison that
// keeps 0 and drops 1 (`!= 1`, `== 0`, `< 1`), returns every member but the one holding the role,
// on a healthy cluster: the alert fires for each of them as long as they run (strimzi 76a7682:
// `sum by (..., pod) (...) != 1` fired for every broker but the controller). The count per
// cluster, `sum by (cluster)`, is the comparison meant; it is left alone.
bool RuleChecks::one_in_cluster_alert(const BinaryExpr& b, const Expr* side, BinaryOp op, double v) {
  const VectorSelector* vs = per_target(side);
  if (!vs || !holds(op, 0, v) || holds(op, 1, v) || inf_.series(*vs).origin != SeriesInfo::Origin::external)
    return false;
  const catalog::Exporter* e = catalog::exporters().one_in_cluster(metric_name(*vs));
  if (!e) return false;
  emit("promql/always-true", b.range,
       util::concat({"alert ", r_.name.value, " fires for every member of a healthy cluster but one: ", e->name,
                     " writes ", metric_name(*vs),
                     " as 1 on the one member that holds the role and 0 on every other, and `", print(b),
                     "` compares each member's own series (", side == vs ? "no aggregation" : "grouped per target",
                     "), keeping the 0s"}),
       util::concat({"count the holders per cluster: sum by (<the cluster's labels>) (", metric_name(*vs), ") != 1"}));
  return true;
}

// For each object a one-hot label's series (rules/exporters.yml `one_hot`: kube_pod_status_phase's
// phase, elasticsearch_cluster_health_status's color) are 1 for the state that holds and 0 for the
// others, and where every object has them (`every_object`: not a condition only failed jobs have,
// kube_job_failed's, whose `> 0` is right) an alert whose whole expression is such a selector, its matchers letting
// every value of the label through, filtered by a comparison that keeps 1 and drops 0 (`> 0`, `== 1`) returns one
// series per object in every state: it fires for each object as long as the exporter writes it
// (openstack-helm-infra 9e5a295: `elasticsearch_cluster_health_status > 0` fired for a green
// cluster). A comparison that keeps 0 and drops 1 (`!= 1`, `== 0`) keeps instead the states that
// do not hold, at least one per object whatever its state: it fires for every object too
// (skyscrapers/charts bc25ef4: `certmanager_certificate_ready_status != 1` fired twice for every ready
// certificate). Anything after the comparison (an aggregation, and, a further comparison) may narrow
// it and is left alone.
void RuleChecks::one_hot_alert(const Expr& root) {
  const Expr* top = unparen(&root);
  if (top->kind != NodeKind::binary) return;
  const auto& b = top->as<BinaryExpr>();
  if (!is_comparison(b.op) || b.return_bool) return;
  const std::optional<double> r = inf_.constant(b.rhs), l = r ? std::nullopt : inf_.constant(b.lhs);
  if (!r && !l) return;
  const Expr* side = unparen(r ? b.lhs : b.rhs);
  const BinaryOp op = r ? b.op : flip(b.op);
  const double v = r ? *r : *l;
  if (one_in_cluster_alert(b, side, op, v)) return;
  const bool keeps_one = holds(op, 1, v) && !holds(op, 0, v), keeps_zero = holds(op, 0, v) && !holds(op, 1, v);
  if (side->kind != NodeKind::vector_selector || (!keeps_one && !keeps_zero)) return;
  const auto& vs = side->as<VectorSelector>();
  if (inf_.series(vs).origin != SeriesInfo::Origin::external) return;
  const catalog::ExporterMetric* known = catalog::exporters().find(metric_name(vs));
  if (!known) return;
  for (const auto& label : known->labels) {
    if (!label.one_hot || label.every_object.empty() || label.values.size() < 2) continue;
    const bool all_through = std::all_of(label.values.begin(), label.values.end(), [&](const std::string& value) {
      return std::all_of(vs.matchers.begin(), vs.matchers.end(), [&](const Matcher& m) {
        return m.name != label.name || labels::matches(m, value, labels::Dialect::prometheus);
      });
    });
    if (!all_through) continue;
    emit("promql/always-true", b.range,
         util::concat({"alert ", r_.name.value, " fires for every object ", known->name,
                       " describes, as long as it exists: ", known->exporter->name,
                       label.since.empty() ? "" : " (since " + label.since + ")", " writes for each a series per ",
                       label.name, " (", util::join(label.values, ", "),
                       "), 1 for the one that holds and 0 for the others, and `", print(*top),
                       keeps_one ? "` keeps the one that holds, whatever it is"
                                 : "` keeps the others, whatever the one that holds is"}),
         keeps_one
             ? util::concat({"keep only the bad ", label.name, "s: ", known->name, "{", label.name, "=~\"...\"} == 1"})
             : util::concat({"read the series of the ", label.name, " that should hold: ", known->name, "{", label.name,
                             "=\"...\"} != 1"}));
    return;
  }
}

} // namespace nsmon::lint
