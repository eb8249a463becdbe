// What makes an alert's expression a condition (alerts/no-comparison, alerts/constant and their
// kin): a comparison, a constant, bool, a state label, or nothing that filters at all.
#include <algorithm>
#include <optional>
#include <set>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

// An alert whose expression returns one series at every evaluation, whatever the data: a
// scalar, which the evaluator makes one series without labels, or vector(0). vector() of any
// other number is a design, the heartbeat that proves the pipeline works: Watchdog's vector(1),
// a book's deadmanswitch written vector(42) (review26); only 0 may be read as false, an alert
// meant never to fire. Whether it was reported.
bool RuleChecks::constant_alert(const Expr& root) {
  const Expr* top = unparen(&root);
  if (top->type == ValueType::scalar) {
    emit_at("alerts/no-comparison", r_.expr.span,
            "alert " + r_.name.value +
                " always fires: its expression is a scalar, which Prometheus turns into one series without labels "
                "at every evaluation, whatever its value",
            "select the series whose state is bad, e.g. `x > 0.9`");
    return true;
  }
  auto v = inf_.vector_number(top);
  if (!v || *v != 0) return false;
  emit_at("alerts/no-comparison", r_.expr.span,
          "alert " + r_.name.value + " always fires: " + print(*top) +
              " returns one series at every evaluation, whatever its value",
          "select the series whose state is bad; a heartbeat alert (Watchdog) is written vector(1)");
  return true;
}

// A side of the top-level `or` written without parentheses that is vector(c) compared with a
// number: `or` binds looser than any comparison, so `A or vector(0) < 1` is `A or (vector(0) < 1)`,
// not `(A or vector(0)) < 1`. The or and that side, or nulls.
std::pair<const BinaryExpr*, const Expr*> RuleChecks::numbers_compared_in_or(const Expr& root) const {
  for (const Expr* e = unparen(&root); e->kind == NodeKind::binary && e->as<BinaryExpr>().op == BinaryOp::lor;
       e = unparen(e->as<BinaryExpr>().lhs)) {
    const auto& o = e->as<BinaryExpr>();
    for (const Expr* side : {o.rhs, o.lhs}) {
      if (side->kind != NodeKind::binary) continue; // in parentheses, the author chose the grouping
      const auto& c = side->as<BinaryExpr>();
      if (!is_comparison(c.op) || c.return_bool) continue;
      if (inf_.vector_number(c.lhs) && inf_.constant(c.rhs)) return {&o, side};
    }
  }
  return {nullptr, nullptr};
}

namespace {
bool numbers_pass(const Expr& side, const Inference& inf) {
  const auto& c = side.as<BinaryExpr>();
  return holds(c.op, *inf.vector_number(c.lhs), *inf.constant(c.rhs));
}
} // namespace

// Where the two numbers of that side pass, it is a series at every evaluation, the or's result is
// never empty, and the alert fires at every evaluation (awesome-prometheus-alerts f673fe7). Whether
// it was reported.
bool RuleChecks::or_constant_alert(const Expr& root) {
  const auto [o, side] = numbers_compared_in_or(root);
  if (!side || !numbers_pass(*side, inf_)) return false;
  const auto& c = side->as<BinaryExpr>();
  const std::string op(to_string(c.op)), whole = print(*o), compared = print(*side);
  // The or as written, its comparison moved outside: `(A or on () vector(0)) < 1`.
  std::string fix = "put the or in parentheses and compare the whole of it";
  if (side == o->rhs && whole.ends_with(compared))
    fix = "group the or before comparing: `(" + whole.substr(0, whole.size() - compared.size()) + print(*c.lhs) + ") " +
          op + " " + print(*c.rhs) + "`";
  emit_at("alerts/no-comparison", r_.expr.span,
          "alert " + r_.name.value + " always fires: 'or' binds looser than '" + op + "', so " + compared +
              " is a side of the or of its own, two numbers compared, which holds: it adds a series at every "
              "evaluation",
          fix);
  return true;
}

// An alert whose expression is a comparison with bool: bool makes the comparison a value, 1 where
// it holds and 0 where it does not, and keeps every series its sides match; Prometheus fires for
// every series an alert returns, 0 too, wherever the comparison can fail. gitlab-com's runbooks'
// PostgreSQL_SplitBrain (count(... == 0) by (environment, type) > bool 1) paged every environment
// with its one primary.
// Whether it was reported.
bool RuleChecks::bool_alert(const Expr& root) {
  const Expr* top = unparen(&root);
  if (top->kind != NodeKind::binary) return false;
  const auto& b = top->as<BinaryExpr>();
  if (!is_comparison(b.op) || !b.return_bool) return false;
  // Where the comparison holds for every value the other side can take ((foo > 1) > bool 1),
  // every series is 1, and what that side filters is the alert's condition.
  const std::optional<double> r = inf_.constant(b.rhs), l = r ? std::nullopt : inf_.constant(b.lhs);
  if (const Expr* side = r   ? b.lhs
                         : l ? b.rhs
                             : nullptr;
      side && compare(inf_.at(side), side == b.lhs ? b.op : flip(b.op), r ? *r : *l) == Verdict::always)
    return false;
  const std::string op(to_string(b.op));
  emit_at("alerts/no-comparison", r_.expr.span,
          util::concat({"alert ", r_.name.value, " fires for every series its expression returns: '", op,
                        " bool' keeps them all, valued 1 where the comparison holds and 0 where it does not, and ",
                        "Prometheus fires for every series, 0 too"}),
          util::concat({"drop bool: `", op, "` keeps only the series where the comparison holds"}));
  return true;
}

// An alert with nothing that filters fires for every series its expression returns. That is a
// bug where the series exist whatever the state (a rate, a gauge, a state series that is 0 or
// 1 for every object); it is the alert's design where a selector's matchers choose the series
// of the bad state and the expression passes them on: say so only where it is known.
void RuleChecks::unfiltered(const Expr* top) {
  const std::string alert = "alert " + r_.name.value + " compares nothing and filters nothing: ";
  Found found;
  const Condition c = condition(top, found);
  if (c == Condition::proven) return;
  if (found.zero_or_one) {
    emit_at("alerts/no-comparison", r_.expr.span,
            alert + metric_name(*found.zero_or_one) +
                " is named like a kube-state-metrics state series, 0 or 1 for every object and state, so it "
                "fires for every object, those not in that state too",
            "keep the state that holds: `== 1`");
    return;
  }
  if (c == Condition::maybe) {
    // Whether the series the matcher picks exist only while the problem lasts (a state's series,
    // an index so named) or always (valued 0 when all is well) is the exporter's choice: the claim
    // is a guess, said as one, in words that fit a state label and any other alike.
    const VectorSelector& vs = *found.state;
    // The matcher to name: an equality (a regex more often picks places: vcenter=~"vc-.*").
    auto m_it = std::find_if(vs.matchers.begin(), vs.matchers.end(),
                             [](const Matcher& x) { return picks_state(x) && x.op == MatchOp::equal; });
    const Matcher& m =
        m_it != vs.matchers.end() ? *m_it : *std::find_if(vs.matchers.begin(), vs.matchers.end(), picks_state);
    // Where the matcher's label is a well-known exporter's one-hot state that every object has
    // (rules/exporters.yml `one_hot` with `every_object`: elasticsearch_cluster_health_status's
    // color), the series it picks exists in every state, 0 where that state does not hold: the
    // guess is known (wikimedia operations-alerts a5f4cfb^: LogstashClusterStatus on a green cluster).
    const catalog::ExporterMetric* known = catalog::exporters().find(metric_name(vs));
    const catalog::ExporterLabel* state = known ? known->label(m.name) : nullptr;
    if (state && state->one_hot && !state->every_object.empty() &&
        inf_.series(vs).origin == SeriesInfo::Origin::external) {
      emit_at("alerts/no-comparison", r_.expr.span,
              util::concat({alert, known->exporter->name, state->since.empty() ? "" : " (since " + state->since + ")",
                            " writes ", metric_name(vs), " for every object with a series per ", m.name, " (",
                            util::join(state->values, ", "), "), 1 for the one that holds and 0 for the others, so ",
                            promql::format_matcher(m), " picks a series in every state and the alert fires ",
                            "for every object, whatever its ", m.name}),
              util::concat({"compare the value too: `== 1` keeps the objects whose ", m.name, " is ", m.value}));
      return;
    }
    // Each equality that picks a state is part of the condition (review65: component="custom" and
    // mode="silent", the state the second): name them all, not the first alone.
    std::vector<std::string> named;
    for (const auto& x : vs.matchers)
      if (picks_state(x) && x.op == MatchOp::equal) named.push_back(promql::format_matcher(x));
    if (named.size() < 2) named = {promql::format_matcher(m)};
    const bool one = named.size() == 1;
    emit_at("alerts/no-comparison", r_.expr.span,
            util::concat({"alert ", r_.name.value, " compares nothing: its condition is the matcher", one ? " " : "s ",
                          util::join(named, ", "), " of ", metric_name(vs), ", which holds only if ", metric_name(vs),
                          " has a series ", one ? "the matcher picks" : "they pick",
                          " only while the problem lasts; if it keeps one otherwise",
                          " (valued 0, say), the alert fires for it then too"}),
            // Not only `== 1`: the series may be a count (endpoints in the state) or a size
            // (awesome-prometheus-alerts' PostgresqlInvalidIndex reads an index's bytes), which
            // `== 1` would silence.
            "compare the value too: `== 1` where the series is 1 in that state and 0 in the others, "
            "`> 0` where it counts or measures what is in it");
    out_.back().severity = core::Severity::info;
    return;
  }
  // `A or on () vector(0) > 0.9`: the comparison the author wrote compares two numbers only
  // (pinano/traefik-pro-stack's five alerts so, review24).
  if (const auto [o, side] = numbers_compared_in_or(*top); side && side == o->rhs) {
    const auto& cmp = side->as<BinaryExpr>();
    const std::string op(to_string(cmp.op)), threshold = print(*cmp.rhs);
    emit_at("alerts/no-comparison", r_.expr.span,
            util::concat({"alert ", r_.name.value, " compares nothing: 'or' binds looser than '", op, "', so '", op,
                          " ", threshold, "' compares only ", print(*cmp.lhs),
                          ", a side of the or of its own that never holds, and the alert fires ",
                          "for every series of ", print(*o->lhs), ", whatever its value"}),
            util::concat({"compare that side: `", print(*o->lhs), " ", op, " ", threshold, "`"}));
    return;
  }
  emit_at("alerts/no-comparison", r_.expr.span,
          alert + "it fires for every series the expression returns, whatever its value",
          "add a comparison, e.g. `> 0.9`");
}

// Whether a comparison filters an expression's series: in it, or in the rule of these files that
// records the series it selects.
bool RuleChecks::compared(const Expr& e) const {
  if (inf_.at(&e).filters) return true;
  const Expr* u = unparen(&e);
  if (u->kind != NodeKind::vector_selector) return false;
  const SeriesInfo info = inf_.series(u->as<VectorSelector>());
  return info.origin == SeriesInfo::Origin::recording && info.recorded->source == RecordedMetric::Source::rules &&
         info.recorded->filters;
}

RuleChecks::Condition RuleChecks::condition(const Expr* root, Found& found) const {
  static const std::set<std::string, std::less<>> kPassing = {"label_replace", "label_join",       "sort",
                                                              "sort_desc",     "last_over_time",   "max_over_time",
                                                              "min_over_time", "present_over_time"};
  const Expr* e = unparen(root);
  if (inf_.at(e).filters) return Condition::proven;
  switch (e->kind) {
  case NodeKind::vector_selector: {
    const auto& vs = e->as<VectorSelector>();
    if (compared(*e)) return Condition::proven;
    // A kube-state-metrics state series has a series for every state: its matchers pick every
    // object, != as well as =.
    if (kube_state_series(vs)) {
      if (!found.zero_or_one) found.zero_or_one = &vs;
      return Condition::none;
    }
    if (matchers_are_condition(vs)) return Condition::proven;
    if (std::none_of(vs.matchers.begin(), vs.matchers.end(), picks_state)) return Condition::none;
    if (!found.state) found.state = &vs;
    return Condition::maybe;
  }
  case NodeKind::matrix_selector: return condition(e->as<MatrixSelector>().selector, found);
  case NodeKind::call: {
    const auto& c = e->as<Call>();
    return kPassing.count(c.name) && !c.args.empty() ? condition(c.args[0], found) : Condition::none;
  }
  case NodeKind::aggregate: {
    const auto op = e->as<AggregateExpr>().op;
    const bool passes = op == AggregateOp::count || op == AggregateOp::group || op == AggregateOp::max ||
                        op == AggregateOp::min || op == AggregateOp::sum;
    return passes ? condition(e->as<AggregateExpr>().expr, found) : Condition::none;
  }
  case NodeKind::binary: {
    const auto& b = e->as<BinaryExpr>();
    // Arithmetic passes on the series of the side whose labels the result takes (the left, the
    // right under group_right, the vector beside a number), and a proven condition with them:
    // node_os_info{id!="debian"} * on (instance) group_left (nodename) node_uname_info. What
    // the other side's matchers pick is where the join applies, more often a scope than a state
    // (x * on (namespace) group_left kube_namespace_labels{label_team="neco"}); and a value
    // made of others (a ratio of two states' counts) exists whatever the state. But where the
    // kept side is an info series (1 for every object), the result has no value to compare:
    // the objects the join keeps are the alert, and a state the other side's matchers pick is
    // its condition (webgrip's kube_pod_info{...} * on (node) group_left (role)
    // kube_node_role{role="control-plane"}: the apps' pods on a control-plane node).
    if (!is_set_operator(b.op) && !is_comparison(b.op)) {
      const VectorMatching* vm = b.matching();
      const bool right = b.lhs->type != ValueType::vector || (vm && vm->card == Cardinality::one_to_many);
      const Expr* kept = unparen(right ? b.rhs : b.lhs);
      const Expr* other = unparen(right ? b.lhs : b.rhs);
      if (condition(kept, found) == Condition::proven) return Condition::proven;
      // A join keeps only the series the other side matches: where a comparison filters that side
      // (inline, or in the rule that records it: a count of `x == 0`), the join is the condition
      // (KubeAid bbb91f791's `trivy_vulnerability_id * on (image) group_left (latest)
      // image:outdated:count`). Not its matchers, which more often pick a scope (above).
      if (other->type == ValueType::vector && compared(*other)) return Condition::proven;
      const bool joins_state = vm && kept->kind == NodeKind::vector_selector &&
                               info_name(metric_name(kept->as<VectorSelector>())) &&
                               other->kind == NodeKind::vector_selector &&
                               std::any_of(other->as<VectorSelector>().matchers.begin(),
                                           other->as<VectorSelector>().matchers.end(), picks_state);
      return joins_state ? Condition::proven : Condition::none;
    }
    if (!is_set_operator(b.op)) return Condition::none;
    const Condition l = condition(b.lhs, found), r = condition(b.rhs, found);
    return b.op == BinaryOp::lor ? std::min(l, r) : std::max(l, r);
  }
  default: return Condition::none;
  }
}

// A matcher that picks a state rather than a place: not on a label that names the target or the
// Kubernetes object, and not one that only asks for the label (l!="", l=~".+").
bool RuleChecks::picks_state(const Matcher& m) {
  static const std::set<std::string, std::less<>> kPlace = {"__name__",  "job",   "instance", "namespace",
                                                            "pod",       "node",  "service",  "cluster",
                                                            "container", "module"}; // snmp_exporter's module
  if (kPlace.count(m.name) || m.value.empty()) return false;
  return !((m.op == MatchOp::regex || m.op == MatchOp::not_regex) && (m.value == ".+" || m.value == ".*"));
}

// Whether a metric is named as an info or metadata series, 1 for every object and its label
// values: NetApp Harvest writes its info series *_labels (netapp_volume_labels), and
// kube-state-metrics its objects' Kubernetes labels and annotations (kube_pod_labels,
// kube_namespace_annotations).
bool RuleChecks::info_name(std::string_view name) {
  return name.ends_with("_info") || name.ends_with("_metadata") || name.ends_with("_labels") ||
         name.ends_with("_annotations");
}

// Whether the series a selector picks exist only in the state its matchers ask for, so that
// their existence is the condition: ALERTS (a series only while an alert is pending or
// firing), an info or metadata series (always 1, a series per object and label values) picked
// by a state label or by the lack of a label (kube_pod_labels{label_team=""}: the pods without
// a team), any series picked by != or !~ on a state label (the outcomes other than the good one),
// and a well-known exporter's series written only while its state holds (an array's open alerts).
bool RuleChecks::matchers_are_condition(const VectorSelector& vs) {
  const std::string& name = metric_name(vs);
  if (name == "ALERTS" || name == "ALERTS_FOR_STATE" || catalog::exporters().present_while(name)) return true;
  const bool info = info_name(name);
  return std::any_of(vs.matchers.begin(), vs.matchers.end(), [&](const Matcher& m) {
    const bool lacks = m.value.empty() && (m.op == MatchOp::equal || m.op == MatchOp::regex) && m.name != "__name__";
    return (picks_state(m) && (info || m.op == MatchOp::not_equal || m.op == MatchOp::not_regex)) || (info && lacks);
  });
}

// A selector that names no metric picks every series its matchers admit, the alert's own among
// them. Once the alert is pending Prometheus writes ALERTS_FOR_STATE, with the labels of the series
// that raised it and the alert's name and labels, valued the time the alert became active in
// seconds since 1970, and ALERTS, the same labels and alertstate, valued 1 (rules/alerting.go,
// sample and forStateSample). Compared with a number one of them passes as the alert's whole
// condition, it keeps the alert firing after the series that raised it recovers; ALERTS_FOR_STATE,
// without alertstate, is also one labelset with that series once the alert's labels are applied,
// and while both pass the evaluation fails (HolgerHees/smartserver #15,
// `{chart=~"smartd_log.*"} > 50`). Only a comparison with the selector itself is read: an
// aggregation or a function would keep other labels, or other values.
void RuleChecks::own_state_alert(const Expr& root) {
  const Expr* top = unparen(&root);
  if (top->kind != NodeKind::binary) return;
  const auto& b = top->as<BinaryExpr>();
  if (!is_comparison(b.op) || b.return_bool) return;
  const Expr* l = unparen(b.lhs);
  const Expr* r = unparen(b.rhs);
  const bool number_right = r->kind == NodeKind::number_literal;
  const Expr* side = number_right ? l : r;
  const Expr* number = number_right ? r : l;
  if (side->kind != NodeKind::vector_selector || number->kind != NodeKind::number_literal) return;
  const auto& vs = side->as<VectorSelector>();
  if (!metric_name(vs).empty()) return;
  // Whether the matchers admit the alert's own series `name` (alertstate: ALERTS's).
  auto admits = [&](std::string_view name, std::string_view alertstate) {
    for (const auto& m : vs.matchers) {
      std::string_view own;
      if (m.name == "__name__") own = name;
      else if (m.name == "alertname") own = r_.name.value;
      else if (m.name == "alertstate") own = alertstate;
      else if (const rules::KeyValue* kv = own_label(m.name)) {
        if (kv->value.value.find("{{") != std::string::npos) return false; // known only when expanded
        own = kv->value.value;
      } else continue; // the series that raised the alert matched it, and the alert's have its labels
      if (!labels::matches(m, own, labels::Dialect::prometheus)) return false;
    }
    return true;
  };
  // The comparison as `series op v`, the number on the right.
  const BinaryOp op = number_right ? b.op : flip(b.op);
  const double v = number->as<NumberLiteral>().value;
  const std::string cmp = util::concat({to_string(b.op), " ", util::format_number(v)});
  // Any time from 2001 to 2286 passes.
  if (admits("ALERTS_FOR_STATE", "") && holds(op, 1e9, v) && holds(op, 1e10, v))
    emit("alerts/reads-own-state", vs.range,
         util::concat({"the selector names no metric, so it also picks this alert's own ALERTS_FOR_STATE (the "
                       "labels of the series that raised it, valued the time it became active, about 1.7e9): ",
                       cmp,
                       " holds for it, so once fired the alert never resolves, and while that series still "
                       "passes too the evaluation fails"}),
         "name the metric, or its prefix ({__name__=~\"netdata_.*\", ...}), or add alertname=\"\"");
  else if (admits("ALERTS", "firing") && holds(op, 1, v))
    emit("alerts/reads-own-state", vs.range,
         util::concat({"the selector names no metric, so it also picks this alert's own ALERTS (the labels of "
                       "the series that raised it, valued 1): ",
                       cmp, " holds for it, so once fired the alert keeps a copy of itself that never resolves"}),
         "name the metric, or its prefix ({__name__=~\"netdata_.*\", ...}), or add alertname=\"\"");
}

namespace {

// The seconds one unit of a clock since a start is worth, or 0: an uptime (its name says it,
// its unit is of time: meshtastic_uptime_seconds, apache_uptime_seconds_total / 60) or the time
// since a start or a boot (`time() - process_start_time_seconds`, `(time() - kube_pod_start_time)
// / 60`). Each grows by a second a second from a restart, and only a restart sets it back.
double clock_since_start(const Expr& e) {
  const Expr* u = unparen(&e);
  double scale = 1;
  if (u->kind == NodeKind::binary && u->as<BinaryExpr>().op == BinaryOp::div) {
    const Expr* k = unparen(u->as<BinaryExpr>().rhs);
    if (k->kind != NodeKind::number_literal) return 0;
    scale = k->as<NumberLiteral>().value;
    if (scale != 60 && scale != 3600 && scale != 86400) return 0;
    u = unparen(u->as<BinaryExpr>().lhs);
  }
  if (u->kind == NodeKind::vector_selector) {
    const std::string_view name = metric_name(u->as<VectorSelector>());
    const double unit = duration_unit(*u);
    return name.find("uptime") != std::string_view::npos && unit > 0 ? unit * scale : 0;
  }
  if (u->kind != NodeKind::binary || u->as<BinaryExpr>().op != BinaryOp::sub) return 0;
  const auto& b = u->as<BinaryExpr>();
  const Expr *l = unparen(b.lhs), *r = unparen(b.rhs);
  if (l->kind != NodeKind::call || l->as<Call>().name != "time" || r->kind != NodeKind::vector_selector) return 0;
  const std::string_view name = metric_name(r->as<VectorSelector>());
  return name.find("start_time") != std::string_view::npos || name.find("boot_time") != std::string_view::npos ? scale
                                                                                                               : 0;
}

} // namespace

// A for: at least as long as the condition can hold after one restart: `uptime_seconds < 600`
// holds for the first 600 s of a process, so with for: 10m the uptime has reached 600 by the time
// the alert would fire, and one restart resolves while pending (Meshtastic's NodeRestarted,
// proofs/for-outlasts-condition.test.yml). Said where the clock's comparison is the alert's
// condition: the whole expression, or a side of `and`, or the left of `unless`; an aggregation
// (count of young pods) or an `or` may hold for longer.
void RuleChecks::for_outlasts_condition(const Expr& root) {
  if (!r_.for_ || r_.for_->ms <= 0) return;
  const double wait = static_cast<double>(r_.for_->ms) / 1000;
  walk(root, [&](const Expr& n, std::span<const Expr* const> path) {
    // Down through parentheses, and, unless; not the right of an unless, which only removes.
    const Expr* parent = path.empty() ? nullptr : path.back();
    if (parent && parent->kind == NodeKind::binary && parent->as<BinaryExpr>().op == BinaryOp::lunless &&
        parent->as<BinaryExpr>().rhs == &n)
      return false;
    if (n.kind == NodeKind::paren) return true;
    if (n.kind != NodeKind::binary) return false;
    const auto& b = n.as<BinaryExpr>();
    if (b.op == BinaryOp::land || b.op == BinaryOp::lunless) return true;
    if (b.return_bool ||
        (b.op != BinaryOp::lss && b.op != BinaryOp::lte && b.op != BinaryOp::gtr && b.op != BinaryOp::gte))
      return false;
    const bool right = unparen(b.rhs)->kind == NodeKind::number_literal;
    const Expr& clock = right ? *b.lhs : *b.rhs;
    const Expr* num = unparen(right ? b.rhs : b.lhs);
    // clock < N, or N > clock: true from a restart until the clock reaches N.
    const BinaryOp op = right ? b.op : flip(b.op);
    const bool below = op == BinaryOp::lss || op == BinaryOp::lte;
    const double scale = clock_since_start(clock);
    if (num->kind != NodeKind::number_literal || !below || scale == 0) return false;
    const double holds = num->as<NumberLiteral>().value * scale; // seconds after a restart
    if (holds <= 0 || wait < holds) return false;
    const std::string seconds = util::format_number(holds);
    emit_at("alerts/for-outlasts-condition", r_.for_->span,
            util::concat({"for: ", text::format_duration(r_.for_->ms), " is at least as long as ", print(n),
                          " holds after a restart (", seconds, " s): ",
                          "by the time the alert would fire the clock has passed the threshold, so a single restart ",
                          "resolves while pending; it fires only for restarts less than ", seconds,
                          " s apart, or a sample that lags behind"}),
            "drop the for: (or make it shorter than " + text::format_duration(static_cast<std::int64_t>(holds * 1000)) +
                "), or alert on the restart itself: changes(process_start_time_seconds[10m]) > 0");
    return false;
  });
}

} // namespace nsmon::lint
