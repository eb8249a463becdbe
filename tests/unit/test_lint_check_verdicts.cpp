// Checks whose verdict rests on the rest of the file or on the expression's form: the severity a
// missing label is given, duration units, gauges' rates, always-true, duplicate rules, Grafana
// variables and the sides of `or`.
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"
#include "test_lint_checks_support.hpp"
#include "test_lint_support.hpp"

using namespace nsmon;
using namespace nsmon::testing::checks;

TEST_CASE("severity missing: the value suggested is the level the alert gives elsewhere", "[lint][checks]") {
  auto suggestion = [](const std::string& labels) {
    std::vector<core::Diagnostic> all;
    run("  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {" + labels +
            "}\n    annotations: {summary: s, description: d}\n",
        false, &all);
    REQUIRE(all.size() == 1);
    CHECK(all[0].message == "alert A has no severity label");
    return all[0].suggestion;
  };
  // TiDB's rule files (pingcap/tidb-ansible, tidb-docker-compose) route on level: warning.
  CHECK(suggestion("env: prod, level: warning") == "add labels: {severity: warning} (the level its level label gives)");
  CHECK(suggestion("priority: info") == "add labels: {severity: info} (the level its priority label gives)");
  // A level outside the set (TiDB's emergency) says nothing of which one: the set's first.
  CHECK(suggestion("level: emergency") == "add labels: {severity: critical}");
  CHECK(suggestion("team: db") == "add labels: {severity: critical}");
}

// OceanBase's obagent (review26) spells the label serverity on 18 alerts: the finding names the
// typo, at the key, and the fix renames it; a key that is no typo (team) gets the usual finding.
TEST_CASE("severity missing: a label key a typo away is named", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run("  - alert: A\n    expr: up == 0\n    labels: {serverity: critical}\n"
      "    annotations: {summary: s, description: d}\n",
      false, &all);
  std::erase_if(all, [](const core::Diagnostic& d) { return d.check != core::CheckId("policy/severity"); });
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "alert A has no severity label, but has serverity, a typo of it: Alertmanager matches "
                          "labels as they are spelt, so no route that matches on severity takes this alert");
  CHECK(all[0].suggestion == "rename serverity to severity");
  run("  - alert: A\n    expr: up == 0\n    labels: {team: db}\n    annotations: {summary: s, description: d}\n", false,
      &all);
  std::erase_if(all, [](const core::Diagnostic& d) { return d.check != core::CheckId("policy/severity"); });
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "alert A has no severity label");
}

// slo-exporter's SloSixHourAlertLowTraffic takes its severity from a series: critical in working
// hours, warning outside them (tests/data/review-corpus, review8b; proofs/review8b.test.yml).
TEST_CASE("severity missing: none when the expression gives every alert one", "[lint][checks]") {
  auto severity_findings = [](const std::string& expr) {
    std::vector<core::Diagnostic> all;
    run("  - alert: A\n    expr: '" + expr + "'\n    annotations: {summary: s, description: d}\n", false, &all);
    return std::count_if(all.begin(), all.end(),
                         [](const core::Diagnostic& d) { return d.check == core::CheckId("policy/severity"); });
  };
  CHECK(severity_findings("(cpu_usage_percent > 90) * on () group_left (severity) max by (severity) "
                          "(current_severity_level_info)") == 0);
  CHECK(severity_findings("count by (severity) (ALERTS{alertstate=\"firing\"}) > 10") == 0);
  CHECK(severity_findings("(cpu_usage_percent > 90) * on () group_left (team) max by (team) (team_info)") == 1);
  CHECK(severity_findings("sum without (severity) (ALERTS{alertstate=\"firing\"}) > 10") == 1);
}

TEST_CASE("duration-unit: what Prometheus makes of a number where a duration goes", "[lint][checks]") {
  const core::Diagnostic d = only_finding("sum(increase(errors_total[10])) > 2");
  CHECK(d.severity == core::Severity::warning);
  CHECK(d.message == "the range [10] has no unit: Prometheus 2.54 and later read it as seconds (10s), earlier "
                     "versions refuse the rule file (\"missing unit character in duration\")");
  CHECK(d.suggestion == "write the unit: 10s if seconds were meant");
}

TEST_CASE("rate-on-gauge: another exporter's start time counts seconds, not restarts", "[lint][checks]") {
  const core::Diagnostic d = only_finding("increase(process_start_time_seconds{job=\"ingester\"}[30m]) > 1");
  CHECK(d.severity == core::Severity::warning);
  CHECK(d.message == "increase() of process_start_time_seconds, a start time (a gauge): it jumps by the uptime at "
                     "each restart, so increase gives seconds, not a number of restarts");
  CHECK(d.suggestion == "count restarts with changes(process_start_time_seconds[...])");
}

TEST_CASE("always-true: a range from the catalog's counter, none from a name", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto always_true = [&] {
    return std::count_if(all.begin(), all.end(), [](const core::Diagnostic& d) {
      return d.check == core::CheckId("promql/always-true") &&
             d.message.find("is a counter; this comparison with 0 is always true") != std::string::npos;
    });
  };
  run(alert("errors_total >= 0"), false, &all);
  CHECK(always_true() == 1);
  // Another exporter's _total may be a gauge (Scylla's scylla_manager_repair_token_ranges_total): no
  // claim from its name.
  run(alert("node_edac_uncorrectable_errors_total >= 0"), false, &all);
  CHECK(always_true() == 0);
}

TEST_CASE("always-true: a comparison its own expression already decides is info", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto severity = [&]() -> std::optional<core::Severity> {
    for (const auto& d : all)
      if (d.check == core::CheckId("promql/always-true")) return d.severity;
    return std::nullopt;
  };
  run(alert("(node_load1 > 4) > 1"), false, &all); // redundant, harmless
  CHECK(severity() == core::Severity::info);
  run(alert("rate(node_network_receive_errs_total[5m]) >= 0"), false, &all); // a condition that tests nothing
  CHECK(severity() == core::Severity::warning);
  // TiCDC's alerts: == and an 'or' of == keep only their values, all above 0.
  run(alert("(max_over_time(node_load1[1m]) == 2) > 0"), false, &all);
  CHECK(severity() == core::Severity::info);
  run(alert("(max_over_time(node_load1[1m]) == 1 or max_over_time(node_load1[1m]) == 6) > 0"), false, &all);
  CHECK(severity() == core::Severity::info);
  // Omnibus GitLab's: the inner > 10 of a ratio leaves nothing, which promql/impossible says; the
  // outer comparison has no values to be always true of.
  run(alert("(sum without (code) (rate(x_total{code=~\"5..\"}[5m])) / sum without (code) (rate(x_total[5m])) > 10) "
            "* 100 > 10"),
      false, &all);
  CHECK_FALSE(severity());
  CHECK(
      std::any_of(all.begin(), all.end(), [](const auto& d) { return d.check == core::CheckId("promql/impossible"); }));
}

// nais's documented example (nais/doc 41ada655): `1 - ok / all * 100` is -99 to 1, so `< 95` passes
// every sample that is a number; `(1 - ok / all) * 100 > 5` was meant.
TEST_CASE("always-true: a threshold beyond a ratio's values, not a NaN filter at its bound", "[lint][checks]") {
  const std::string ratio =
      "sum by (host) (rate(requests_total{code=\"200\"}[5m])) / sum by (host) (rate(requests_total[5m]))";
  std::vector<core::Diagnostic> all;
  auto always_true = [&]() -> const core::Diagnostic* {
    for (const auto& d : all)
      if (d.check == core::CheckId("promql/always-true")) return &d;
    return nullptr;
  };
  run(alert("1 - " + ratio + " * 100 < 95"), false, &all);
  REQUIRE(always_true());
  CHECK(always_true()->severity == core::Severity::warning);
  CHECK(always_true()->message ==
        "a ratio of some of the series of requests_total to all of them is between 0 and 1, so 100 times it lies in "
        "[0, 100], so 1 minus it lies in [-99, 1]; this comparison with 95 is always true: it removes only the "
        "samples that are NaN (0/0 is NaN, and both sides of this division can be 0)");
  run(alert(ratio + " < 2"), false, &all);
  CHECK(always_true());
  // At a bound of its values the comparison is written to drop the NaN samples (0 / 0).
  run(alert(ratio + " >= 0"), false, &all);
  CHECK_FALSE(always_true());
  run(alert(ratio + " <= 1"), false, &all);
  CHECK_FALSE(always_true());
  run(alert("(1 - " + ratio + ") * 100 > 5"), false, &all);
  CHECK_FALSE(always_true());
}

// awesome-prometheus-alerts' haproxy rules before f484d30 (issue 319): the `* 100` of a percentage
// written inside the divisor's sum, so the quotient is at most 0.01.
TEST_CASE("impossible: a factor inside a sum scales a part over its whole", "[lint][checks]") {
  auto impossible = [](const std::string& expr) {
    std::vector<core::Diagnostic> all;
    run(alert(expr), false, &all);
    for (const auto& d : all)
      if (d.check == core::CheckId("promql/impossible")) return d.message;
    return std::string();
  };
  const std::string part = "rate(responses_total{code=\"5xx\"}[1m])", whole = "rate(responses_total[1m])";
  CHECK(impossible("sum by (server) (" + part + ") / sum by (server) (" + whole + " * 100) > 5") ==
        "a ratio of some of the series of responses_total to all of them is between 0 and 1, and the divisor is the "
        "whole times 100, so the quotient is between 0 and 0.01; this comparison with 5 can never be true: the "
        "expression never returns anything");
  // The fix: the dividend times 100 is a percentage, 0 to 100.
  CHECK(impossible("sum by (server) (" + part + " * 100) / sum by (server) (" + whole + ") > 5").empty());
  // The same factor on both sides cancels; under count() a factor changes no value counted.
  CHECK_FALSE(impossible("sum (100 * " + part + ") / sum (" + whole + " * 100) > 5").empty());
  CHECK_FALSE(
      impossible("count by (server) (responses_total{code=\"5xx\"} * 100) / count by (server) (responses_total) > 5")
          .empty());
}

TEST_CASE("duplicate-rule: alerts on the same metrics are a warning, on other metrics info", "[lint][checks]") {
  auto dup = [](const std::vector<core::Diagnostic>& all) -> const core::Diagnostic* {
    for (const auto& d : all)
      if (d.check == core::CheckId("rules/duplicate-rule")) return &d;
    return nullptr;
  };
  auto q = [](const std::string& expr) {
    return "  - alert: Q\n    expr: '" + expr +
           "'\n    labels: {severity: warning}\n    annotations: {summary: s, "
           "description: d}\n";
  };
  std::vector<core::Diagnostic> all;
  run(q("queue_length > 0") + q("queue_length  >  0"), false, &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::warning);
  CHECK(dup(all)->message == "alert 'Q' is defined twice with the same labels (first at line 5)");
  // Overlapping conditions on one metric: both fire for the same series above 10.
  run(q("queue_length > 0") + q("queue_length > 10"), false, &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::warning);
  // Other metrics: one alert fed by two conditions, merging only where both fire at once.
  run(q("queue_length > 10") + q("queue_age_seconds > 600"), false, &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::info);
  CHECK(dup(all)->message.find("from another expression: where both fire for the same labels at once, "
                               "Alertmanager sees one alert") != std::string::npos);
  // One metric read apart (openstack-helm's K8SManyNodesNotReady counts status="unknown" in one
  // rule, status="false" in the other): no series feeds both; the counts meet as other metrics'
  // do, where both conditions hold at once.
  run(q("count(node_ready{status=\"unknown\"} == 1) > 1") + q("count(node_ready{status=\"false\"} == 1) > 1"), false,
      &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::info);
  // The same status in both, another threshold: still one metric's same series.
  run(q("count(node_ready{status=\"false\"} == 1) > 1") + q("count(node_ready{status=~\"false\"} == 1) > 3"), false,
      &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::warning);
  // One expression of two metrics under nested thresholds (pint's rule_duplicate bug-012): above
  // 0.2 both fire for the same series (tests/data/pint-cases/proofs/duplicate-nested.test.yml).
  run(q("errors / total > 0.1") + q("errors / total > 0.2"), false, &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::warning);
  CHECK(dup(all)->message ==
        "alert 'Q' is defined twice with the same labels (first at line 5), on the same expression: every series "
        "that passes '> 0.2' passes '> 0.1' too, so both fire for it with the same labels and Alertmanager sees "
        "one alert");
  // The implication goes one way (etcd at 85% passes > 0.8 and not > 0.9): the stricter is named
  // first, whichever rule comes first (neco-apps' DatabaseSpaceExceeded).
  run(q("errors / total > 0.9") + q("errors / total > 0.8"), false, &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->message.find("every series that passes '> 0.9' passes '> 0.8' too") != std::string::npos);
  run(q("errors / total < 0.5") + q("0.1 > errors / total"), false, &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::warning);
  // Thresholds that overlap without one containing the other: one alert fed by two conditions.
  run(q("errors / total > 0.1") + q("errors / total < 0.2"), false, &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::info);
  // One of the two never returns anything (review64: wl4g's copy divided by 100 times its whole):
  // they never fire at once, and the name is repeated all the same.
  run(q("count(queue_length) > 5") + q("count(queue_length) * 0 > 1"), false, &all);
  REQUIRE(dup(all));
  CHECK(dup(all)->severity == core::Severity::info);
  CHECK(dup(all)->message == "alert 'Q' is defined twice with the same labels (first at line 5), but the expression "
                             "at line 10 never returns anything: as written, the two never fire at once");
}

TEST_CASE("duplicate-rule: names the earlier rule that surely collides", "[lint][checks]") {
  auto q = [](const std::string& expr) {
    return "  - alert: Q\n    expr: '" + expr +
           "'\n    labels: {severity: error}\n    annotations: {summary: s, "
           "description: d}\n";
  };
  std::vector<core::Diagnostic> all;
  auto at = [&](int line) -> const core::Diagnostic* {
    for (const auto& d : all)
      if (d.check == core::CheckId("rules/duplicate-rule") && d.span.line == line) return &d;
    return nullptr;
  };
  // neco-apps' KubeAPIErrorsHigh: sum() > 1, then by (verb) > 10, then by (verb) > 5. The third
  // meets the first only where the series lack verb, the second whenever it fires above 10.
  // In percent, as neco-apps' (a ratio above 1 would never fire).
  run(q("sum(rate(x_total{code=~\"5..\"}[5m])) / sum(rate(x_total[5m])) * 100 > 1") +
          q("sum by (verb) (rate(x_total{code=~\"5..\"}[5m])) / sum by (verb) (rate(x_total[5m])) * 100 > 10") +
          q("sum by (verb) (rate(x_total{code=~\"5..\"}[5m])) / sum by (verb) (rate(x_total[5m])) * 100 > 5"),
      false, &all);
  REQUIRE(at(9));
  CHECK(at(9)->severity == core::Severity::info); // only where x_total lacks verb
  CHECK(at(9)->message == "alert 'Q' is defined twice with the same labels (first at line 5), from another "
                          "expression: their series can have the same labels only where they lack verb (labels one "
                          "rule keeps and the other's result lacks); where both fire for the same labels at once, "
                          "Alertmanager sees one alert");
  REQUIRE(at(13));
  CHECK(at(13)->severity == core::Severity::warning);
  CHECK(at(13)->message == "alert 'Q' is defined twice with the same labels (first at line 9)");
}

TEST_CASE("duplicate-rule: one recording rule name in two groups", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto dup = [&]() -> std::string {
    for (const auto& d : all)
      if (d.check == core::CheckId("rules/duplicate-rule")) return d.message;
    return "";
  };
  const std::string p95_1m = record("job:x:p95", "histogram_quantile(0.95, job:x_bucket:rate1m)");
  const std::string p95_5m = record("job:x:p95", "histogram_quantile(0.95, job:x_bucket:rate5m)");
  // Two groups evaluate at their own times (an offset per group): no sample is refused, the
  // series holds both rules' samples.
  run(p95_1m + "- name: h\n  rules:\n" + p95_5m, false, &all);
  CHECK(dup() == "recording rule 'job:x:p95' is defined twice with the same labels (first at line 5), from another "
                 "expression in another group: where both return a series with the same labels, that series holds "
                 "both rules' samples, each written at its group's evaluations");
  run(p95_1m + p95_5m, false, &all);
  CHECK(dup().find("Prometheus keeps the first rule's sample and drops the other's") != std::string::npos);
}

TEST_CASE("duplicate-rule: the same query of two metrics twice is no other expression", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto dup = [&]() -> const core::Diagnostic* {
    for (const auto& d : all)
      if (d.check == core::CheckId("rules/duplicate-rule")) return &d;
    return nullptr;
  };
  // OpenShift's descheduler operator records descheduler:averageworkersutilization:memory:avg1m
  // twice with one expression (tests/data/review-corpus/openshift-cluster-kube-descheduler-operator).
  const std::string q = "avg(x:util:avg1m * on(instance) group_left(node) kube_node_role{role=\"worker\"})";
  run(record("x:avg_util:avg1m", q) + record("x:avg_util:avg1m", " avg( x:util:avg1m * on (instance) group_left (node) "
                                                                 "kube_node_role{role=\"worker\"} )"),
      false, &all);
  REQUIRE(dup());
  CHECK(dup()->severity == core::Severity::warning);
  CHECK(dup()->message == "recording rule 'x:avg_util:avg1m' is defined twice with the same labels (first at line 5)");
  // Another query of the same two metrics still is.
  run(record("x:avg_util:avg1m", q) + record("x:avg_util:avg1m", "max(x:util:avg1m * on(instance) group_left(node) "
                                                                 "kube_node_role{role=\"worker\"})"),
      false, &all);
  REQUIRE(dup());
  CHECK(dup()->message.find("from another expression") != std::string::npos);
}

TEST_CASE("grafana-variable: a placeholder the file also has outside its rules is a template's", "[lint][checks]") {
  auto lint = [](const std::string& namespace_line, const std::string& summary) {
    return testing::lint_findings("r.yaml",
                                  "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: r\n" +
                                      namespace_line +
                                      "spec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: "
                                      "'up{namespace=\"${OBJECT_NAMESPACE}\"} == 0'\n      labels: {severity: "
                                      "warning}\n      annotations: {summary: '" +
                                      summary + "', description: d}\n",
                                  "rules/grafana-variable");
  };
  // OpenShift's local-storage-operator: its Go code replaces ${OBJECT_NAMESPACE} in the whole
  // manifest, metadata.namespace included, before it creates the PrometheusRule.
  auto found = lint("  namespace: ${OBJECT_NAMESPACE}\n", "s");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::info);
  CHECK(found[0].message ==
        "namespace=\"${OBJECT_NAMESPACE}\": ${OBJECT_NAMESPACE} is a placeholder of a template (the file has it "
        "outside its rules too), which whatever deploys the file fills in; as written, Prometheus expands no "
        "variable in an expression, and the matcher compares namespace with the text \"${OBJECT_NAMESPACE}\"");
  // Another placeholder of the same template, in the expression only (LSO's ${DAEMONSET_NAME}).
  found = lint("  namespace: ${TARGET_NAMESPACE}\n", "s");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::info);
  CHECK(found[0].message.find("(the file has ${...} outside its rules too)") != std::string::npos);
  // In the rule's own annotations only: no template's, but named in capitals, as Flux's postBuild
  // substitution and envsubst name theirs: said as a condition.
  found = lint("", "down in ${OBJECT_NAMESPACE}");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::info);
  CHECK(found[0].message ==
        "namespace=\"${OBJECT_NAMESPACE}\": ${OBJECT_NAMESPACE} is written like a deploy-time substitution (Flux's "
        "postBuild, envsubst), which fills it in before Prometheus loads the rule; if nothing does, Prometheus "
        "expands no variable in an expression, and the matcher compares namespace with the text "
        "\"${OBJECT_NAMESPACE}\"");
}

TEST_CASE("grafana-variable: ${CLUSTER} in capitals is a substitution's, ${pod} a dashboard's", "[lint][checks]") {
  auto lint = [](const std::string& matcher) {
    return testing::lint_findings("r.yml",
                                  "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: 'up{" + matcher +
                                      "} == 0'\n    labels: {severity: warning}\n    annotations: {summary: s, "
                                      "description: d}\n",
                                  "rules/grafana-variable");
  };
  // joryirving/home-ops (e6edf2736): group="${CLUSTER}-...", which Flux fills in.
  auto found = lint("group=\"${CLUSTER}-nodes\"");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::info);
  CHECK(found[0].message.find("${CLUSTER} is written like a deploy-time substitution") != std::string::npos);
  // tscibilia/home-ops (959aefa0): $${CLUSTER} is Flux's escape, which leaves the text ${CLUSTER}
  // in the rule: no substitution fills it in.
  found = lint("group=\"$${CLUSTER}-external\"");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::info);
  CHECK(found[0].message ==
        "group=\"$${CLUSTER}-external\": $${CLUSTER} is Flux's postBuild escape, which writes the text ${CLUSTER} "
        "instead of a value; Prometheus expands no variable in an expression, so the matcher compares group with "
        "the text \"${CLUSTER}-external\"");
  CHECK(found[0].suggestion == "write ${CLUSTER} (one $) for Flux to fill it in");
  for (const char* dashboard : {"pod=~\"${pod}\"", "pod=\"${Pod_1}\"", "pod=\"${POD:regex}\"", "pod=\"$POD\""}) {
    found = lint(dashboard);
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == core::Severity::warning);
    CHECK(found[0].message.find("is a Grafana dashboard variable") != std::string::npos);
  }
}

TEST_CASE("template-label-lost: a side of 'or' that cannot carry the label, the other may", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("(node_load1 or on () vector(0)) == 0", "", "summary: 'load in {{ $labels.colo }}', description: d"), false,
      &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "annotation \"summary\" uses $labels.colo, but some of the alerts have no colo: the right "
                          "side of 'or' (vector(0)) has no colo; their annotation shows it empty");
  // Several templates that read labels one side lacks: one finding for the alert, which names
  // them all (review65: vencil's five annotations of each of 91 alerts, one design choice).
  all.clear();
  run("  - alert: A\n    expr: '(max by (tier, owner) (node_load1) or on () vector(0)) == 0'\n"
      "    labels: {severity: warning, t: '{{ $labels.tier }}'}\n"
      "    annotations: {summary: 'load of {{ $labels.tier }}', description: '{{ $labels.owner }} {{ $labels.tier "
      "}}'}\n",
      false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "label \"t\" and annotations \"summary\" and \"description\" use $labels.tier and "
                          "$labels.owner, but some of the alerts have no tier or owner: the right side of 'or' has no "
                          "tier or owner; their labels and annotations show them empty");
  CHECK(all[0].suggestion == "give both sides of 'or' the labels, e.g. with label_replace or by (tier, owner, ...)");
  CHECK(all[0].span.line == 7);
  // OpenShift's Dynatrace alert: {{if $labels.x}} shows nothing where the label is missing, as
  // meant (tests/data/review-corpus/proofs/stranger5.test.yml); its {{else}} is not guarded.
  all.clear();
  run(alert("(node_load1 or on () vector(0)) == 0", "",
            "summary: '{{ if $labels.colo }}load in {{ $labels.colo }}{{ end }}', description: d"),
      false, &all);
  CHECK(all.empty());
  all.clear();
  run(alert("(node_load1 or on () vector(0)) == 0", "",
            "summary: '{{ if $labels.colo }}ok{{ else }}load in {{ $labels.colo }}{{ end }}', description: d"),
      false, &all);
  CHECK(all.size() == 1);
  // A label the result never has, under a guard whose {{else}} says what to show without it: the
  // branch is dead, the text as its author wrote it for such alerts (review59), a note. Without
  // the else the text loses what the branch would show: the warning.
  auto summary_of_sum = [&](const std::string& summary) {
    all.clear();
    run(alert("sum by (job) (node_load1) > 1", "", "summary: '" + summary + "', description: d"), false, &all);
  };
  summary_of_sum("{{ if $labels.colo }}load in {{ $labels.colo }}{{ else }}load{{ end }}");
  REQUIRE(all.size() == 2);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.ends_with(": the {{ if }} that reads it never takes its branch"));
  summary_of_sum("{{ if $labels.colo }}load in {{ $labels.colo }}{{ end }}");
  REQUIRE(all.size() == 2);
  CHECK(all[0].severity == core::Severity::warning);
  // A label that copies itself: where some alerts lack it, its empty value drops it, as if the line
  // were not there (KubeAid f1f33152b's schedule); where none has it, it is lost.
  auto colo_label = [&](const std::string& expr) {
    all.clear();
    run("  - alert: A\n    expr: '" + expr +
            "'\n    labels: {severity: warning, colo: '{{ $labels.colo }}'}\n    annotations: {summary: s, "
            "description: d}\n",
        false, &all);
  };
  colo_label("(node_load1 or on () vector(0)) == 0");
  CHECK(all.empty());
  colo_label("sum by (job) (node_load1) > 1");
  REQUIRE(all.size() == 1);
  CHECK(all[0].message.starts_with("label \"colo\" uses $labels.colo, but the expression's result has no colo label"));
}
