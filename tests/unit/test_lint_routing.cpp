// lint::check_routing: alertmanager.yml against the alerts the rules can fire.
#include <catch2/catch.hpp>

#include "nsmon/alertmanager/routing.hpp"
#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/alertmanager_checks.hpp"
#include "nsmon/rules/rule_file.hpp"

using namespace nsmon;

namespace {

// `prometheus`: a prometheus.yml (its external labels), or "".
std::vector<core::Diagnostic> check(const std::string& am, const std::string& rules_text,
                                    const std::string& prometheus = "") {
  core::SourceFile am_src("am.yml", am), rules_src("rules.yml", rules_text), prom_src("prometheus.yml", prometheus);
  std::vector<core::Diagnostic> diags, ignored;
  auto cfg = alertmanager::load_config(am_src, ignored);
  lint::Input input;
  input.rule_files.push_back(rules::load_rule_file(rules_src, ignored));
  if (!prometheus.empty()) input.config = rules::load_config(prom_src, ignored);
  lint::Options options;
  options.catalog = &catalog::embedded();
  lint::check_routing(cfg, lint::alert_labels(input, options, lint::label_names(cfg)), diags);
  return diags;
}

const std::string kRules = R"(groups:
  - name: g
    labels: {team: ml}
    rules:
      - alert: Down
        expr: up == 0
        labels: {severity: critical}
      - alert: Slow
        expr: sum by (instance) (rate(errors_total[5m])) > 1
        labels: {severity: warning, owner: "{{ $labels.instance }}"}
)";

} // namespace

TEST_CASE("routing checks: routes no alert reaches", "[lint][routing]") {
  auto d = check(R"(route:
  receiver: a
  routes:
    - {receiver: a, matchers: ['severity="page"']}
    - {receiver: a, matchers: ['team="ml"'], routes: [{receiver: a, matchers: ['team="data"']}]}
    - {receiver: a, matchers: ['owner="x"']}
    - {receiver: a, matchers: ['instance=~"db.*"']}
receivers: [{name: a}]
)",
                 kRules);
  REQUIRE(d.size() == 4);
  CHECK(d[0].check == "alertmanager/unmatched-route");
  CHECK(d[0].span.line == 4);
  CHECK(
      d[0].message ==
      "no alert of the rules can reach this route (2 alerting rules): severity=\"page\" (the rules' values: critical, "
      "warning)");
  // Group labels count; a child needing another value of the same fixed label is unreachable.
  CHECK(d[1].span.line == 5);
  CHECK(d[1].message.find("team=\"data\"") != std::string::npos);
  // A templated label (owner) and a label the expression may carry (instance) are not reported as
  // unmatched; but every alert has team="ml" (a group label), so the route at line 5, which has no
  // continue, takes them all before the routes at lines 6 and 7.
  CHECK(d[2].check == "alertmanager/shadowed-route");
  CHECK(d[2].span.line == 6);
  CHECK(d[2].message == "this route is never reached: every alert of the rules that can match it (Down, Slow) is "
                        "caught first by the earlier route at line 5, which has no continue: true");
  CHECK(d[3].span.line == 7);
}

TEST_CASE("routing checks: inhibit rules that mute nothing", "[lint][routing]") {
  const std::string head = "route: {receiver: a}\nreceivers: [{name: a}]\ninhibit_rules:\n";
  auto d = check(head + "  - {source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"warning\"'], "
                        "equal: [alertname, instance]}\n",
                 kRules);
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "alertmanager/inhibit-never");
  // On the equal label to blame (line 4, alertname in equal: [...]).
  CHECK(std::pair(d[0].span.line, d[0].span.col) == std::pair(4, 97));
  CHECK(d[0].message == "this inhibit rule can mute none of the rules' alerts: its source alerts (Down) and target "
                        "alerts (Slow) never have the same alertname");
  // instance may be shared; team is the same fixed value on both.
  CHECK(check(head + "  - {source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"warning\"'], "
                     "equal: [instance, team]}\n",
              kRules)
            .empty());
  // A label proved absent on both sides is equal (both empty), as Alertmanager compares it.
  CHECK(check(head + "  - {source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"warning\"'], "
                     "equal: [status]}\n",
              kRules)
            .empty());
  d = check(head + "  - {source_matchers: ['severity=\"info\"'], target_matchers: ['severity=\"warning\"']}\n", kRules);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "this inhibit rule can mute none of the rules' alerts: no alert of the rules matches its "
                        "source matchers");
}

// Each label of an alert: absent, present with a known value, present with a value unknown, or
// unknown. Present-but-unknown is not absent: it is never equal to absent, and never empty.
const std::string kSplitRules = R"(groups:
  - name: g
    rules:
      - alert: ErrorsHigh
        expr: max by (job, instance) (rate(errors_total[5m])) > 1
        labels: {severity: critical}
      - alert: ModelSlow
        expr: sum by (model) (rate(inference_time_seconds_count[5m])) > 1
        labels: {severity: warning}
)";

TEST_CASE("routing checks: an equal label one side always carries and the other never does", "[lint][routing]") {
  const std::string am = R"(route: {receiver: a}
receivers: [{name: a}]
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [instance]
)";
  auto d = check(am, kSplitRules);
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "alertmanager/inhibit-never");
  CHECK(std::pair(d[0].span.line, d[0].span.col) == std::pair(6, 13));
  CHECK(d[0].message ==
        "this inhibit rule can mute none of the rules' alerts: every source alert (ErrorsHigh) carries \"instance\" "
        "and no target alert (ModelSlow) does: Alertmanager compares a missing label as empty, so they never have "
        "the same instance");
  // As Alertmanager compares them (inhibit.go's hasEqual), the labels promtool shows these alerts
  // carry: "a:1" against the missing, empty, instance.
  core::SourceFile src("am.yml", am);
  std::vector<core::Diagnostic> ignored;
  auto cfg = alertmanager::load_config(src, ignored);
  CHECK(alertmanager::inhibited_by(
            cfg, {{"alertname", "ModelSlow"}, {"model", "yolo"}, {"severity", "warning"}},
            {{{"alertname", "ErrorsHigh"}, {"instance", "a:1"}, {"job", "app"}, {"severity", "critical"}}})
            .empty());
  // The reverse: the sources never carry it, the targets always do.
  std::string reverse = am;
  reverse.replace(reverse.find("critical"), 8, "XXXXXXXX");
  reverse.replace(reverse.find("warning"), 7, "critical");
  reverse.replace(reverse.find("XXXXXXXX"), 8, "warning");
  d = check(reverse, kSplitRules);
  REQUIRE(d.size() == 1);
  CHECK(std::pair(d[0].span.line, d[0].span.col) == std::pair(6, 13));
  CHECK(d[0].message.find("no source alert (ModelSlow) carries \"instance\" and every target alert (ErrorsHigh) "
                          "does") != std::string::npos);
  // The twin: the target keeps instance; present with values unknown on both sides proves nothing.
  std::string twin = kSplitRules;
  twin.replace(twin.find("by (model)"), 10, "by (model, instance)");
  CHECK(check(am, twin).empty());
  // A label present on one side and unknown on the other (another exporter's metric) proves nothing.
  std::string open = kSplitRules;
  open.replace(open.find("sum by (model) (rate(inference_time_seconds_count[5m]))"), 55, "other_metric");
  CHECK(check(am, open).empty());
}

TEST_CASE("routing checks: a label every alert carries is never empty", "[lint][routing]") {
  // instance="" takes no alert that carries instance; instance=~".+" takes every one of them.
  auto d = check(R"(route:
  receiver: a
  routes:
    - {receiver: a, matchers: ['alertname="ErrorsHigh"', 'instance=""']}
    - {receiver: a, matchers: ['instance=~".+"']}
    - {receiver: a, matchers: ['alertname="ErrorsHigh"']}
    - {receiver: a, matchers: ['model!=""'], group_by: [model, instance]}
receivers: [{name: a}]
)",
                 kSplitRules);
  REQUIRE(d.size() == 3);
  CHECK(d[0].check == "alertmanager/unmatched-route");
  CHECK(std::pair(d[0].span.line, d[0].span.col) == std::pair(4, 7));
  CHECK(d[0].message == "no alert of the rules can reach this route (2 alerting rules): none has all of "
                        "alertname=\"ErrorsHigh\", instance=\"\"");
  CHECK(d[1].check == "alertmanager/shadowed-route");
  CHECK(std::pair(d[1].span.line, d[1].span.col) == std::pair(6, 7));
  // ModelSlow, the only alert with model, never has instance: group_by instance groups nothing.
  CHECK(d[2].check == "alertmanager/group-by-absent");
  CHECK(std::pair(d[2].span.line, d[2].span.col) == std::pair(7, 64));
  // The correct twins: instance!="" where the alerts may lack it, group_by a label they carry.
  CHECK(check(R"(route:
  receiver: a
  routes:
    - {receiver: a, matchers: ['alertname="ErrorsHigh"', 'instance!=""']}
    - {receiver: a, matchers: ['model!=""'], group_by: [model]}
receivers: [{name: a}]
)",
              kSplitRules)
            .empty());
}

TEST_CASE("routing checks: the config's external labels are on every alert", "[lint][routing]") {
  // Prometheus adds global.external_labels an alert lacks: cluster is present, with its value.
  const std::string am = R"(route:
  receiver: a
  routes:
    - {receiver: a, matchers: ['cluster="eu"'], group_by: [cluster], continue: true}
    - {receiver: a}
receivers: [{name: a}]
)";
  // Without the config, the aggregations' closed label sets have no cluster.
  auto d = check(am, kSplitRules);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "no alert of the rules can reach this route (2 alerting rules): cluster=\"eu\" (no rule "
                        "sets it)");
  auto with = check(am, kSplitRules, "global:\n  external_labels: {cluster: us}\nrule_files: [rules.yml]\n");
  REQUIRE(with.size() == 1);
  CHECK(with[0].check == "alertmanager/unmatched-route");
  CHECK(std::pair(with[0].span.line, with[0].span.col) == std::pair(4, 7));
  CHECK(with[0].message == "no alert of the rules can reach this route (2 alerting rules): cluster=\"eu\" (the "
                           "rules' values: us)");
  CHECK(check(am, kSplitRules, "global:\n  external_labels: {cluster: eu}\nrule_files: [rules.yml]\n").empty());
}

TEST_CASE("routing checks: the values an expression's equality matchers give a label", "[lint][routing]") {
  // job is present on both sides with a value the selectors fix: never the same job.
  const std::string rules = R"(groups:
  - name: g
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        labels: {severity: critical}
      - alert: WorkerErrors
        expr: rate(errors_total{job="worker"}[5m]) > 1
        labels: {severity: warning}
)";
  const std::string am = R"(route:
  receiver: a
  routes:
    - {receiver: a, matchers: ['job="db"'], continue: true}
    - {receiver: a}
receivers: [{name: a}]
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [job]
)";
  auto d = check(am, rules);
  REQUIRE(d.size() == 2);
  CHECK(d[0].check == "alertmanager/unmatched-route");
  CHECK(std::pair(d[0].span.line, d[0].span.col) == std::pair(4, 7));
  CHECK(d[0].message ==
        "no alert of the rules can reach this route (2 alerting rules): job=\"db\" (the rules' values: api, worker)");
  CHECK(d[1].check == "alertmanager/inhibit-never");
  CHECK(std::pair(d[1].span.line, d[1].span.col) == std::pair(10, 13));
  CHECK(d[1].message == "this inhibit rule can mute none of the rules' alerts: its source alerts (ApiDown) and "
                        "target alerts (WorkerErrors) never have the same job");
  // The twin: the same job on both sides, and a route for it.
  std::string same = rules;
  same.replace(same.find("job=\"worker\""), 12, "job=\"api\"");
  std::string routed = am;
  routed.replace(routed.find("job=\"db\""), 8, "job=\"api\"");
  CHECK(check(routed, same).empty());
}

// Google Cloud Managed Service for Prometheus puts its scope labels (project_id, location, cluster
// and, for a Rules manifest, namespace) on every alert, with its values: a route that groups by
// namespace groups the alerts of a Rules manifest by it, even after sum() (proofs/review12.test.yml,
// GMPScopeSum), but not those of a ClusterRules manifest.
TEST_CASE("routing checks: Managed Service for Prometheus' scope labels are on every alert", "[lint][routing]") {
  const std::string am = R"(route:
  receiver: a
  group_by: [namespace, cluster]
  routes:
    - {receiver: a, matchers: ['namespace=""']}
receivers: [{name: a}]
)";
  auto gmp = [](const char* kind) {
    return std::string("apiVersion: monitoring.googleapis.com/v1\nkind: ") + kind +
           "\nmetadata: {name: x, namespace: shop}\nspec:\n  groups:\n  - name: g\n    rules:\n"
           "    - alert: AllDown\n      expr: sum(up) == 0\n";
  };
  // Every alert of a Rules manifest has a namespace: namespace="" takes none of them.
  auto rules = check(am, gmp("Rules"));
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].check == "alertmanager/unmatched-route");
  CHECK(std::pair(rules[0].span.line, rules[0].span.col) == std::pair(5, 7));
  auto d = check(am, gmp("ClusterRules"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "alertmanager/group-by-absent");
  CHECK(std::pair(d[0].span.line, d[0].span.col) == std::pair(3, 14));
  // A plain rule file's sum() keeps neither.
  auto plain = check(am, "groups:\n- name: g\n  rules:\n  - alert: AllDown\n    expr: sum(up) == 0\n");
  CHECK(plain.size() == 2);
}
