// What an expression means (lint::Inference), on forms found in strangers' files (the review
// corpus): or defaults a later step removes, matchers that are the condition, rules whose series
// never meet, Thanos and Managed Service for Prometheus rulers, and names recorded in several places.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "test_label_flow_support.hpp"
#include "test_lint_support.hpp"

using namespace nsmon;
using namespace nsmon::testing::label_flow;

TEST_CASE("label flow: an or default that the later steps remove", "[lint][label-flow][strangers]") {
  run_cases({
      // etcd's mixin: the absent() side is 0 throughout, its increase 0, and >= 4 removes it.
      {"or 0 * absent(x) inside increase(...[15m:1m]) >= 4",
       alert("increase((max without (instance) (foo) or 0 * absent(foo))[15m:1m]) >= 4", "{{ $labels.job }}"),
       V{"alerts/absent-without-for 4:12"}, nullptr, true},
      {"the same with >= 0, which 0 passes",
       alert("increase((max without (instance) (foo) or 0 * absent(foo))[15m:1m]) >= 0", "{{ $labels.job }}"),
       V{"alerts/absent-without-for 4:12", "promql/always-true 5:12", "labels/template-label-lost 6:40"}, nullptr,
       true},
      // SAP's cronus: the defaults meet only each other in the division, 0/0 is NaN, > 0.8 drops it.
      {"or on() vector(0) on both sides of a division",
       alert("sum(foo{p=~\".+\"} or on() vector(0)) by (p) / sum(bar{p=~\".+\"} or on() vector(0)) by (p) > 0.8",
             "{{ $labels.p }}"),
       V{}, nullptr, true},
      {"or on() vector(1): 1/1 passes > 0.8",
       alert("sum(foo{p=~\".+\"} or on() vector(1)) by (p) / sum(bar{p=~\".+\"} or on() vector(1)) by (p) > 0.8",
             "{{ $labels.p }}"),
       V{"labels/template-label-lost 6:40"}, nullptr, true},
  });
}

TEST_CASE("strangers: an alert whose matchers are its condition", "[lint][label-flow][strangers]") {
  run_cases({
      {"an info series joined with and",
       alert("vrops_alert_info{alert_name=\"x\"} and on (h) maint{state!=\"in\"}", "s"), V{}, nullptr, true},
      {"NetApp Harvest's *_labels", alert("vol_labels{logical=\"true\"} and vol_labels{enforced=\"false\"}", "s"), V{},
       nullptr, true},
      {"a state picked with =, which may have a series per state", alert("ctl_status{state=\"DOWN\"}", "s"),
       V{"alerts/no-comparison 5:11 info"}, nullptr, true, true},
      {"a rate with no comparison", alert("rate(x[5m])", "s"), V{"alerts/no-comparison 5:11 warning"}, nullptr, true,
       true},
      // webgrip/homelab-cluster (review25): the apps' pods on a control-plane node.
      {"an info series joined with a state the other side picks",
       alert("kube_pod_info{pod=~\"app-.*\"} * on (node) group_left (role) kube_node_role{role=\"control-plane\"}",
             "s"),
       V{}, nullptr, true},
      {"a rate joined so",
       alert("rate(x[5m]) * on (node) group_left (role) kube_node_role{role=\"control-plane\"}", "s"),
       V{"alerts/no-comparison 5:11 warning"}, nullptr, true, true},
      {"an info series joined with every node", alert("kube_pod_info * on (node) group_left kube_node_info", "s"),
       V{"alerts/no-comparison 5:11 warning"}, nullptr, true, true},
      // KubeAid bbb91f791 (mine55): the join keeps the images a recorded count of `== 0` has.
      {"a join with a recorded series a comparison filters",
       "groups:\n- name: g\n  rules:\n  - record: image:outdated:count\n"
       "    expr: count by (image, latest) (version_checker_is_latest_version == 0)\n"
       "  - alert: A\n    expr: trivy_vulnerability_id * on (image) group_left (latest) image:outdated:count\n"
       "    annotations: {summary: s}\n",
       V{}, nullptr, true, true},
      {"a join with the comparison inline",
       alert("trivy_vulnerability_id * on (image) group_left (latest) (version_checker_is_latest_version == 0)", "s"),
       V{}, nullptr, true, true},
      {"a join with a recorded series nothing filters",
       "groups:\n- name: g\n  rules:\n  - record: image:versions:count\n"
       "    expr: count by (image, latest) (version_checker_is_latest_version)\n"
       "  - alert: A\n    expr: rate(x_total[5m]) * on (image) group_left (latest) image:versions:count\n"
       "    annotations: {summary: s}\n",
       V{"alerts/no-comparison 7:11 warning"}, nullptr, true, true},
  });
}

// The fix said for a matcher that may be the condition: awesome-prometheus-alerts'
// PostgresqlInvalidIndex fires while an index named *ccnew* exists, and its series is the index's
// size in bytes, so `== 1` alone would have silenced it.
TEST_CASE("strangers: the words and fix for a matcher that may be the condition fit a size too",
          "[lint][label-flow][strangers]") {
  core::SourceFile src("r.yml", alert("pg_index_size_bytes{indexrelname=~\".*ccnew.*\"}", "s"));
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(src, diags));
  lint::Options opt;
  opt.catalog = &catalog::none();
  const auto found = lint::run(in, opt);
  auto it = std::find_if(found.begin(), found.end(),
                         [](const core::Diagnostic& d) { return d.check.id() == "alerts/no-comparison"; });
  REQUIRE(it != found.end());
  CHECK(it->severity == core::Severity::info);
  CHECK(it->suggestion.find("`> 0`") != std::string::npos);
  CHECK(it->suggestion.find("`== 1`") != std::string::npos);
  // The matcher picks index names, not a state: the message speaks of the series the matcher
  // picks, not of "other states" (review18).
  CHECK(it->message == "alert A compares nothing: its condition is the matcher indexrelname=~\".*ccnew.*\" of "
                       "pg_index_size_bytes, which holds only if pg_index_size_bytes has a series the matcher picks "
                       "only while the problem lasts; if it keeps one otherwise (valued 0, say), the alert fires for "
                       "it then too");
  // Several equalities pick the state together: each is named, not the first alone (review65:
  // vencil's CustomRecipeSilent, whose state is its second matcher, mode="silent").
  core::SourceFile two("r.yml", alert("max by (t) (user_threshold{component=\"custom\", mode=\"silent\"})", "s"));
  lint::Input in2;
  in2.rule_files.push_back(rules::load_rule_file(two, diags));
  const auto found2 = lint::run(in2, opt);
  auto it2 = std::find_if(found2.begin(), found2.end(),
                          [](const core::Diagnostic& d) { return d.check.id() == "alerts/no-comparison"; });
  REQUIRE(it2 != found2.end());
  CHECK(it2->message.find("its condition is the matchers component=\"custom\", mode=\"silent\" of user_threshold, "
                          "which holds only if user_threshold has a series they pick only while") != std::string::npos);
}

TEST_CASE("strangers: one series per group, constant values", "[lint][label-flow][strangers]") {
  const std::string value =
      "groups:\n- name: g\n  rules:\n"
      "  - alert: A\n    expr: count by (a) (sum by (a) (x) > 1)\n    labels: {meta: '{{ $value }}'}\n"
      "  - alert: B\n    expr: sum by (a) (x) > 1\n    labels: {meta: '{{ $value }}'}\n";
  run_cases({
      {"$value of count by the same labels is always 1", value, V{"alerts/value-in-labels 9:24"}, nullptr, true},
      // Canonical's hardware observer: ipmi_sel_state_warning's value is the log entry's id.
      {"$value in a label named as an id: one alert per id is the design, said at info",
       "groups:\n- name: g\n  rules:\n"
       "  - alert: A\n    expr: sel_state_warning > 0\n    labels: {event_id: '{{ $value }}'}\n",
       V{"alerts/value-in-labels 6:28 info"}, nullptr, true, true},
      // DC/OS's Elastic_UP: elasticsearch_up is 0 or 1, so `!= 1` keeps the 0s: the label is
      // always "0" (tests/data/review-corpus/proofs/review11c.test.yml).
      {"$value of a health gauge compared != 1 is always 0",
       "groups:\n- name: g\n  rules:\n"
       "  - alert: A\n    expr: elasticsearch_up{job=\"es\"} != 1\n    labels: {value: '{{ $value }}'}\n"
       "  - alert: B\n    expr: (up > 0)\n    labels: {value: '{{ $value }}'}\n"
       "  - alert: C\n    expr: node_load1 != 1\n    labels: {value: '{{ $value }}'}\n"
       "  - alert: D\n    expr: mysql_up >= 0\n    labels: {value: '{{ $value }}'}\n",
       V{"alerts/value-in-labels 12:25", "alerts/value-in-labels 15:25"}, nullptr, true},
      // SAP's swift: whichever project tops, it matches sum()'s one series.
      {"topk(1) under ignoring its only label", alert("sum(a) - ignoring (p) topk(1, sum by (p) (b)) > 5", "s"), V{},
       nullptr, true},
      {"topk(1) whose series are the alert's", alert("topk(1, sum by (p) (b)) > 5", "s"), V{"alerts/topk 5:12"},
       nullptr, true},
      {"NaN where a group may hold one series",
       alert("sum by (job, instance) (rate(a_total[5m]) / rate(b_total[5m])) > 1", "s"),
       V{"promql/nan-in-aggregation 5:12 info"}, nullptr, true, true},
      {"NaN where sum() folds every instance", alert("sum(rate(a_total[5m]) / rate(b_total[5m])) > 1", "s"),
       V{"promql/nan-in-aggregation 5:12 warning"}, nullptr, true, true},
      // OpenShift's ClusterLogForwarderOutputErrorRate: a group keeps the pod, one target, so the
      // job and instance it leaves out tell none of its series apart.
      {"NaN where each group keeps the pod",
       alert("sum by (namespace, pod, error_kind) (irate(a_total[5m]) / on (namespace, pod) group_left "
             "irate(b_total[5m])) > 0.1",
             "s"),
       V{"promql/nan-in-aggregation 5:12 info"}, nullptr, true, true},
      // Canonical's PostgresqlHighRollbackRate: a group is one database of one target.
      {"NaN where each group keeps the instance and the label the selectors pick by",
       alert("sum by (datname, instance, datid) (rate(a_total{datid!=\"0\"}[5m]) / rate(b_total{datid!=\"0\"}[5m])) "
             "> 0.02",
             "s"),
       V{"promql/nan-in-aggregation 5:12 info"}, nullptr, true, true},
      // Rook's NVMeoF latency: avg by (instance) over a gateway's bdevs, reviewed true.
      {"NaN where each group keeps the instance and leaves out the job",
       alert("avg by (instance) (rate(a_total[5m]) / rate(b_total[5m])) > 1", "s"),
       V{"promql/nan-in-aggregation 5:12 warning"}, nullptr, true, true},
      // KubeSphere's etcd:etcd_disk_wal_fsync_duration:avg: node is the host of the instance, one
      // member per host (tests/data/review-corpus/proofs/review7b.test.yml).
      {"NaN where each group keeps the instance's host",
       alert("sum by (node) (label_replace(sum by (instance) (irate(a_sum[5m])) / sum by (instance) "
             "(irate(a_count[5m])), \"node\", \"$1\", \"instance\", \"(.*):.*\")) > 1",
             "s"),
       V{"promql/nan-in-aggregation 5:12 info"}, nullptr, true, true},
      {"NaN where a group keeps a label made of more than the host",
       alert("sum by (node) (label_replace(sum by (instance) (irate(a_sum[5m])) / sum by (instance) "
             "(irate(a_count[5m])), \"node\", \"$1\", \"instance\", \"(.*)-[0-9]+:.*\")) > 1",
             "s"),
       V{"promql/nan-in-aggregation 5:12 warning"}, nullptr, true, true},
      {"NaN where sum by (pod) folds a pod's several series",
       alert("sum by (pod) (rate(a_total{pod!=\"\",bdev!=\"\"}[5m]) / rate(b_total[5m])) > 1", "s"),
       V{"promql/nan-in-aggregation 5:12 warning"}, nullptr, true, true},
      // Open Data Hub's burn rates: a ratio recorded by (ns) with a fixed component label, summed
      // by (ns) again. The component left out has one value: a group is one recorded series
      // (tests/data/review-corpus/proofs/review15.test.yml).
      {"NaN where the group leaves out only a label the recording rule fixes",
       "groups:\n- name: g\n  rules:\n"
       "  - record: ns:x:ratio\n    expr: sum by (ns) (rate(a_total[5m])) / sum by (ns) (rate(b_total[5m]))\n"
       "    labels: {component: dsp}\n"
       "  - alert: A\n    expr: sum by (ns) (ns:x:ratio{component=\"dsp\"}) > 1\n"
       "  - alert: B\n    expr: sum by (ns) (ns:x:ratio) > 1\n",
       V{}, nullptr, true, true},
      // The dashboard's burn rate shares its name with the pipelines' ones, which lack route:
      // route=~"rhods-dashboard" reads the dashboard's one series only.
      {"NaN of a name two rules record, where the matchers read one rule's series",
       "groups:\n- name: g\n  rules:\n"
       "  - record: ns:x:ratio\n    expr: sum(rate(a_total[5m])) / sum(rate(b_total[5m]))\n    labels: {route: r}\n"
       "  - record: ns:x:ratio\n    expr: sum by (ns) (rate(a_total[5m])) / sum by (ns) (rate(b_total[5m]))\n"
       "    labels: {component: dsp}\n"
       "  - alert: A\n    expr: sum by (route) (ns:x:ratio{route=~\"r\"}) > 1\n",
       V{}, nullptr, true, true},
      {"NaN of a name two rules record, both read",
       "groups:\n- name: g\n  rules:\n"
       "  - record: ns:x:ratio\n    expr: sum(rate(a_total[5m])) / sum(rate(b_total[5m]))\n    labels: {route: r}\n"
       "  - record: ns:x:ratio\n    expr: sum by (ns) (rate(a_total[5m])) / sum by (ns) (rate(b_total[5m]))\n"
       "    labels: {component: dsp}\n"
       "  - alert: A\n    expr: sum by (route) (ns:x:ratio) > 1\n",
       V{"promql/nan-in-aggregation 11:11 warning"}, nullptr, true, true},
      {"NaN where the group leaves out the recorded ratio's own label",
       "groups:\n- name: g\n  rules:\n"
       "  - record: ns:x:ratio\n    expr: sum by (ns) (rate(a_total[5m])) / sum by (ns) (rate(b_total[5m]))\n"
       "    labels: {component: dsp}\n"
       "  - alert: A\n    expr: sum by (component) (ns:x:ratio) > 1\n",
       V{"promql/nan-in-aggregation 8:11 warning"}, nullptr, true, true},
  });
}

TEST_CASE("strangers: rules of one name whose series never meet", "[lint][label-flow][strangers]") {
  const std::string dup =
      "groups:\n- name: g\n  rules:\n"
      "  - record: job:reasons:set\n    expr: label_replace(a, \"reason\", \"offline\", \"\", \".*\")\n"
      "  - record: job:reasons:set\n    expr: label_replace(b, \"reason\", \"dp\", \"\", \".*\")\n"
      "  - record: job:size:mul\n    expr: case_one * x\n"
      "  - record: job:size:mul\n    expr: case_two * x\n"
      "  - alert: E\n    expr: sum by (h) (rate(r{h=\"/q\"}[5m])) > 1\n"
      "  - alert: E\n    expr: sum by (h) (rate(r{h!=\"/q\"}[5m])) > 1\n"
      "  - alert: F\n    expr: sum by (h) (rate(r{h=\"/q\"}[5m])) > 1\n"
      "  - alert: F\n    expr: sum by (h) (rate(r{h!=\"/z\"}[5m])) > 2\n";
  run_cases(
      {{"label_replace constants, = against !=, other metrics", dup,
        V{"rules/duplicate-rule 10:13 info", "rules/copied-alert 16:12 warning", "rules/duplicate-rule 18:12 warning"},
        nullptr, true, true}});
}

// A recorded name without a colon may be an exporter's too (Prometheus reserves colons for
// recording rules): under --catalog none, what its rule's results lack says nothing of the rest.
TEST_CASE("strangers: a recorded name without a colon may be scraped too", "[lint][label-flow][strangers]") {
  const std::string rules = "groups:\n- name: g\n  rules:\n"
                            "  - record: foo_by_pod\n    expr: sum by (pod) (foo)\n"
                            "  - record: pod:foo:sum\n    expr: sum by (pod) (foo)\n"
                            "  - alert: A\n    expr: sum by (container) (foo_by_pod) > 1\n"
                            "  - alert: B\n    expr: sum by (container) (pod:foo:sum) > 1\n";
  run_cases({{"only the colon name is the rule's alone", rules,
              V{"rules/record-naming 4:13", "labels/removed-label 11:11"}, nullptr, true}});
}

// Strangers' files (issue 56, the third review: GitLab's runbooks).
TEST_CASE("label flow: a Thanos Ruler's group reads its series through the querier", "[lint][label-flow]") {
  // The ruler's own recorded series carry its external labels (GitLab's monitor="global").
  const std::string thanos = "groups:\n- name: g\n  partial_response_strategy: warn\n  rules:\n"
                             "  - record: job:x:rate5m\n    expr: sum by (job) (rate(x[5m]))\n"
                             "    labels: {team: web}\n"
                             "  - alert: A\n    expr: 'job:x:rate5m{monitor=\"global\", team=\"db\"} > 1'\n";
  std::string prometheus = thanos;
  prometheus.replace(prometheus.find("  partial_response_strategy: warn\n"), 34, "");
  run_cases({
      {"a Thanos Ruler's group", thanos, V{"rules/other-ruler 3:3"}},
      {"a Prometheus group", prometheus, V{"promql/impossible 8:12"}},
  });
}

TEST_CASE("label flow: a comparison that removes only NaN", "[lint][label-flow]") {
  run_cases({
      {">= 0 of a ratio of rates keeps the NaN out", alert("sum(rate(a_total[5m])) / sum(rate(b_total[5m])) >= 0"),
       V{}},
      {">= 0 of a rate removes nothing", alert("sum(rate(a_total[5m])) >= 0"), V{"promql/always-true 5:12"}},
  });
}

// An alert sets its own alertname: the alerts it reads, told apart by theirs, collide
// (kube-prometheus-5a7662e's proof).
TEST_CASE("label flow: an alert that keeps the alertname of the alerts it reads", "[lint][label-flow]") {
  run_cases({
      {"ALERTS of every name",
       alert("ALERTS{severity=\"info\"} == 1 unless on (namespace) ALERTS{severity=\"critical\"}"),
       V{"alerts/duplicate-labelset 4:12"}},
      {"a by list that keeps alertname", alert("count by (alertname, namespace) (ALERTS) > 1"),
       V{"alerts/duplicate-labelset 4:12"}},
      {"counted by namespace", alert("count by (namespace) (ALERTS{severity=\"info\"}) > 0"), V{}},
      {"one alert's series", alert("ALERTS{alertname=\"KubePodCrashLooping\", alertstate=\"firing\"}"),
       V{"alerts/undefined-alert 5:19"}},
      {"on the right side of and", alert("up == 0 and on (instance) ALERTS{alertstate=\"firing\"}"), V{}},
      {"the name copied into a label first",
       alert("label_replace(ALERTS{alertstate=\"firing\"}, \"name\", \"$1\", \"alertname\", \"(.+)\")"), V{}},
  });
}

// A rule names its series: a record's name replaces __name__, an alert drops it. Series told
// apart by their metric name collide (gitpod-8b0f245; review-corpus/proofs/name-replaced.fails.test.yml).
TEST_CASE("label flow: a rule whose series differ only in their metric name", "[lint][label-flow]") {
  auto record = [](const std::string& name, const std::string& expr) {
    return "groups:\n- name: g\n  rules:\n  - record: " + name + "\n    expr: '" + expr + "'\n";
  };
  run_cases({
      {"a record of count by (__name__)", record("__name__:timeseries:total", "count by (__name__) ({__name__!=\"\"})"),
       V{"rules/duplicate-labelset 4:13"}},
      {"an alert of count by (__name__)", alert("count by (__name__) ({__name__=~\"app_.+\"}) > 1000"),
       V{"alerts/duplicate-labelset 4:12"}},
      {"the name copied into a label",
       record("metric:timeseries:total", "label_join(count by (__name__) ({__name__!=\"\"}), \"metric\", \"\", "
                                         "\"__name__\")"),
       V{}},
      {"replaced by one constant, which keeps nothing apart",
       alert("label_replace(count by (__name__) ({__name__=~\"app_.+\"}), \"m\", \"x\", \"__name__\", \".*\") > 1"),
       V{"alerts/duplicate-labelset 4:12"}},
      {"the name aggregated away", record("job:series:count", "count by (job) ({__name__=~\"app_.+\"})"), V{}},
  });
}

// A selector without a metric name picks the alert's own ALERTS_FOR_STATE (valued the time it became
// active) and ALERTS (valued 1): HolgerHees/smartserver #15, smartserver-055ca64's proof.
TEST_CASE("label flow: an alert whose selector names no metric", "[lint][label-flow]") {
  run_cases({
      {"compared above a time's value", alert("{chart=\"t\", job=\"netdata\"} > 50"), V{"alerts/reads-own-state 5:12"}},
      {"the number on the left", alert("50 < {chart=\"t\"}"), V{"alerts/reads-own-state 5:17"}},
      {"== 1 passes ALERTS", alert("{job=\"raid\", state=\"failed\"} == 1"), V{"alerts/reads-own-state 5:12"}},
      {"a name prefix keeps the alert's series out", alert("{__name__=~\"netdata_.*\", chart=\"t\"} > 50"), V{}},
      {"alertname=\"\" keeps them out", alert("{alertname=\"\", chart=\"t\"} > 50"), V{}},
      {"neither 1 nor a time passes", alert("{job=\"raid\"} == 2"), V{}},
  });
}

// An alert's name is never expanded (blockscout helm-charts #95, blockscout-helm-charts-890e67e).
TEST_CASE("label flow: a template in an alert's name", "[lint][label-flow]") {
  const std::string rule = "groups:\n- name: g\n  rules:\n  - alert: NAME\n    expr: up == 0\n"
                           "    annotations: {summary: '{{ $labels.job }} is down'}\n";
  auto named = [&](const std::string& name) { return std::string(rule).replace(rule.find("NAME"), 4, name); };
  run_cases({
      {"a template in the name", named("'{{ $labels.job }} is down'"), V{"alerts/templated-name 4:12"}},
      {"braces in the summary only", named("TargetDown"), V{}},
  });
}

// NaN is unequal to every value and orders with none (gitlab-com-runbooks-5bee5bb's proof).
TEST_CASE("label flow: a comparison with NaN", "[lint][label-flow]") {
  const std::string ratio = "sum(rate(a_total[5m])) / sum(rate(b_total[5m]))";
  run_cases({
      {"!= NaN removes nothing", alert("(" + ratio + " != NaN) < 0.9"), V{"promql/always-true 5:13"}},
      {"NaN on the left", alert("(NaN != " + ratio + ") < 0.9"), V{"promql/always-true 5:13"}},
      {"== NaN keeps nothing", alert(ratio + " == NaN"), V{"promql/impossible 5:12"}},
      {"> NaN keeps nothing", alert(ratio + " > nan"), V{"promql/impossible 5:12"}},
      {"a bool comparison returns every series", alert("(" + ratio + " != bool NaN) == 1"), V{}},
      {"x == x drops the NaN samples", alert("(" + ratio + " == " + ratio + ") < 0.9"), V{}},
  });
}

TEST_CASE("label flow: NaN in an aggregation whose values nothing reads", "[lint][label-flow]") {
  run_cases({
      {"the right side of unless", alert("up > 1 unless on (job) sum by (job) (rate(e_total[5m]) / rate(t_total[5m]))"),
       V{}},
      {"a comparison on the right side of and",
       alert("up > 1 and on (job) sum by (job) (rate(e_total[5m]) / rate(t_total[5m])) > 0.5"),
       V{"promql/nan-in-aggregation 5:32"}},
  });
}

TEST_CASE("label flow: the actions of a range over a query that does not parse", "[lint][label-flow]") {
  run_cases({
      // The expansion fails at the query; .labels (no field of a sample) is never reached.
      {"after the query", alert("up == 0", "{{ range query \"up xxx\" }}{{ .labels.x }}{{ end }}"),
       V{"rules/template 6:44"}},
      {"over a query that parses", alert("up == 0", "{{ range query \"up\" }}{{ .labels.x }}{{ end }}"),
       V{"rules/template 6:61"}},
      // review54's HoardDegraded: {{ }} inside the query's string is text, so the query finds
      // nothing and the body, whose `value` of a query's result would fail, never runs
      // (proofs/review54-template.test.yml); printf builds the query that was meant.
      {"an action inside the query's string",
       alert("up == 0", "{{ with query \"files{instance=''{{ $labels.instance }}''}\" }}{{ . | value }}{{ end }}"),
       V{"rules/template 6:43"}},
      {"the query built with printf",
       alert("up == 0", "{{ with printf \"files{instance=''%s''}\" $labels.instance | query }}{{ . | first | value }}"
                        "{{ end }}"),
       V{}},
  });
}

// review54's lenaxia Longhorn rule: `< ${LONGHORN_MIN_STORAGE_HEADROOM_BYTES}`, which Flux's
// postBuild substitution fills in: said as a condition, at warning (proofs/review54.test.yml).
TEST_CASE("label flow: a deploy-time substitution where the expression needs a number", "[lint][label-flow]") {
  run_cases({
      {"${NAME} in capitals", alert("free_bytes < ${MIN_FREE_BYTES}"), V{"promql/syntax 5:25"}},
  });
  auto found = testing::lint_findings("r.yml", alert("free_bytes < ${MIN_FREE_BYTES}"), "promql/syntax");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::warning);
  CHECK(found[0].message.find("${MIN_FREE_BYTES} is written like a deploy-time substitution") != std::string::npos);
  found = testing::lint_findings("r.yml", alert("free_bytes < $min"), "promql/syntax");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::error);
}

// noders-team/solana-exporter's vote-credits alerts (tests/data/review-corpus, review25): query
// given three arguments fails at Go's argument count before any query runs, so the text of its
// first argument is not a query that "does not parse" (proofs/review25.test.yml).
TEST_CASE("label flow: query called with three arguments runs no query", "[lint][label-flow][strangers]") {
  run_cases({
      {"query \"up{a=\\\"\" $labels.x \"\\\"}\"",
       alert("up == 0", "{{ query \"up{a=\\\"\" $labels.x \"\\\"}\" | first | value }}"), V{"rules/template 6:32"}},
      {"the same text given alone, which does not parse", alert("up == 0", "{{ query \"up{a=\\\"\" | first | value }}"),
       V{"rules/template 6:38"}},
  });
}

TEST_CASE("duplicate-rule: selectors and labels that keep two rules apart", "[lint][label-flow]") {
  const std::string head = "groups:\n- name: g\n  rules:\n";
  auto rec = [](const std::string& expr) { return "  - record: instance_mode:x:rate1m\n    expr: '" + expr + "'\n"; };
  auto alert_q = [](const std::string& expr) { return "  - alert: Q\n    expr: '" + expr + "'\n"; };
  Case apart{"mode=\"iowait\" and mode!=\"iowait\" under sum without (cpu)",
             head + rec("sum without (cpu) (rate(x{mode!=\"iowait\"}[1m]))") +
                 rec("sum without (cpu) (deriv(x{mode=\"iowait\"}[1m]) > 0)"),
             V{}};
  Case overlap{"mode=\"iowait\" and mode!=\"idle\"",
               head + rec("sum without (cpu) (rate(x{mode!=\"idle\"}[1m]))") +
                   rec("sum without (cpu) (deriv(x{mode=\"iowait\"}[1m]) > 0)"),
               V{"rules/duplicate-rule 6:13 warning"}};
  // by (verb) against a sum of everything: they meet only where the series have no verb.
  Case by_verb{"sum () and sum by (verb) of one metric",
               head + alert_q("sum(rate(r_total[5m])) > 3") + alert_q("sum by (verb) (rate(r_total[5m])) > 10"),
               V{"rules/duplicate-rule 6:12 info"}};
  Case same{"sum () twice", head + alert_q("sum(rate(r_total[5m])) > 3") + alert_q("sum(rate(r_total[5m])) > 10"),
            V{"rules/duplicate-rule 6:12 warning"}};
  // One gate taken by one rule and refused by the other, or two gates no hour passes both: a
  // series is in one result at a time (proofs/duplicate-gates.test.yml).
  Case night{"a gate and its refusal",
             head + alert_q("rate(r_total[5m]) > 1 unless on () hour() >= 22") +
                 alert_q("rate(r_total[5m]) > 5 and on () hour() >= 22"),
             V{}};
  Case hours{"two gates of the hour that pass no hour both",
             head + alert_q("rate(r_total[5m]) > 1 and on () hour() < 22") +
                 alert_q("rate(r_total[5m]) > 5 and on () hour() >= 22"),
             V{}};
  Case late{"two gates of the hour that overlap",
            head + alert_q("rate(r_total[5m]) > 1 and on () hour() >= 20") +
                alert_q("rate(r_total[5m]) > 5 and on () hour() >= 22"),
            V{"rules/duplicate-rule 6:12 warning"}};
  Case other_keys{"a gate and its refusal on other labels",
                  head + alert_q("rate(r_total[5m]) > 1 unless on (job) up == 0") +
                      alert_q("rate(r_total[5m]) > 5 and on (instance) up == 0"),
                  V{"rules/duplicate-rule 6:12 info"}};
  for (Case* c : {&apart, &overlap, &by_verb, &same, &night, &hours, &late, &other_keys}) c->severity = true;
  run_cases({apart, overlap, by_verb, same, night, hours, late, other_keys});
}

// Skia's DiskSpaceLow (tests/data/review-corpus, review27): one alert per class of machine, told
// apart by regexes on exported_instance. RE2's match range of skia-(e|rpi).+ spans skia-e to
// skia-rpi and holds skia-i-, which neither of its branches matches (proofs/review27-skia-public.test.yml).
TEST_CASE("duplicate-rule: regexes apart branch by branch", "[lint][label-flow][strangers]") {
  const std::string head = "groups:\n- name: g\n  rules:\n";
  auto disk = [](const std::string& re) { return "  - alert: D\n    expr: 'free{i=~\"" + re + "\"} < 1e9'\n"; };
  Case group{"a group of words against a value between them", head + disk("skia-(e|rpi).+") + disk("skia-i-[^r].+"),
             V{}};
  Case top{"top-level alternatives", head + disk("e-.+|rpi-.+") + disk("i-.+"), V{}};
  Case shared{"a branch that shares values", head + disk("skia-(e|rpi).+") + disk("skia-rpi2-.+"),
              V{"rules/duplicate-rule 6:12 warning"}};
  // (?i) reaches into the branches after it: B-1 matches both.
  Case flag{"a flag before the alternatives", head + disk("(?i)a-.+|b-.+") + disk("B-.+"),
            V{"rules/duplicate-rule 6:12 warning"}};
  for (Case* c : {&group, &top, &shared, &flag}) c->severity = true;
  run_cases({group, top, shared, flag});
}

// StatCan's ContainerWaiting (tests/data/review-corpus, review35): a longer for for two reasons,
// taken by =~ in one rule and refused by !~ in the other; both keep reason, so no series is in
// both results (proofs/review40.test.yml).
TEST_CASE("duplicate-rule: words one rule takes and the other refuses", "[lint][label-flow][strangers]") {
  const std::string head = "groups:\n- name: g\n  rules:\n";
  auto wait = [](const std::string& m) {
    return "  - alert: W\n    expr: 'sum by (pod, reason) (waiting{reason" + m + "}) == 1'\n";
  };
  Case apart{"=~ of words that the other's !~ refuses",
             head + wait("!~\"CrashLoopBackOff|ContainerCreating|PodInitializing\"") +
                 wait("=~\"ContainerCreating|PodInitializing\""),
             V{}};
  Case shared{"a word the other's !~ lets through",
              head + wait("!~\"CrashLoopBackOff|ContainerCreating\"") + wait("=~\"ContainerCreating|PodInitializing\""),
              V{"rules/duplicate-rule 6:12 warning"}};
  // A branch with a regex metacharacter spells no value: nothing says which values it takes.
  Case pattern{"a branch that is a pattern",
               head + wait("!~\"ContainerCreating|Pod.*\"") + wait("=~\"ContainerCreating|Pod.+\""),
               V{"rules/duplicate-rule 6:12 warning"}};
  for (Case* c : {&apart, &shared, &pattern}) c->severity = true;
  run_cases({apart, shared, pattern});
}

namespace {
// --catalog none lint-rules of several files, given by path: every finding.
std::vector<core::Diagnostic> lint_all(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<core::SourceFile> sources;
  sources.reserve(files.size());
  for (const auto& [path, text] : files) sources.emplace_back(path, text);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  for (const auto& s : sources) in.rule_files.push_back(rules::load_rule_file(s, diags));
  lint::Options opt;
  opt.catalog = &catalog::none();
  return lint::run(in, opt);
}

// The findings of one check of lint_all(): file and line.
std::vector<std::string> lint_files(const std::vector<std::pair<std::string, std::string>>& files,
                                    std::string_view check) {
  std::vector<std::string> out;
  for (const auto& d : lint_all(files))
    if (d.check.id() == check) out.push_back(d.span.file.str() + " " + std::to_string(d.span.line));
  return out;
}

// A file that records job:x:rate5m (by job, team="web"), and one with an alert A of `expr`.
const std::string records =
    "groups:\n- name: r\n  rules:\n  - record: job:x:rate5m\n    expr: sum by (job) (rate(x[5m]))\n"
    "    labels: {team: web}\n";
std::string reads(const std::string& expr) {
  return "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n";
}

// A directory of its own under the system's temporary one, where `marks` (relative paths) are made:
// a name ending in ".git" a directory, any other an empty file. projects() tells projects apart by
// such marks on the disk; the rule files themselves need not be there.
std::string scratch(const std::string& name, const std::vector<std::string>& marks) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("nsmon-projects-" + name);
  fs::remove_all(dir);
  for (const auto& m : marks) {
    fs::create_directories((dir / m).parent_path());
    if (m.ends_with(".git")) fs::create_directories(dir / m);
    else std::ofstream(dir / m).put('\n');
  }
  fs::create_directories(dir);
  return dir.string();
}
} // namespace

TEST_CASE("undefined-recording-rule: a near miss of another project's name", "[lint][label-flow]") {
  // A near miss of a name its own project records is a typo; of another project's, nothing.
  // One repository's rules/ and alerts/ are one project.
  const std::string d = scratch("recording", {"a/.git", "b/LICENSE"});
  CHECK(lint_files({{d + "/a/rules/r.yml", records}, {d + "/a/alerts/a.yml", reads("job:x:rate1m > 1")}},
                   "rules/undefined-recording-rule") == V{d + "/a/alerts/a.yml 5"});
  CHECK(lint_files({{d + "/a/rules/r.yml", records}, {d + "/b/alerts/a.yml", reads("job:x:rate1m > 1")}},
                   "rules/undefined-recording-rule")
            .empty());
}

TEST_CASE("undefined-alert: a near miss of another project's alert", "[lint][label-flow]") {
  // Gardener's garden Prometheus reads its seeds' ALERTS{alertname="PodStuckInPending"}; a home
  // lab's PodStuckPending, linted in the same run, is no evidence of a typo (review26).
  const std::string defines = "groups:\n- name: d\n  rules:\n  - alert: PodStuckPending\n"
                              "    expr: kube_pod_status_phase{phase=\"Pending\"} == 1\n";
  const std::string reader = reads("ALERTS{alertname=\"PodStuckInPending\", alertstate=\"firing\"}");
  auto said = [](const std::vector<std::pair<std::string, std::string>>& files) {
    std::vector<std::string> out;
    for (const auto& d : lint_all(files))
      if (d.check.id() == "alerts/undefined-alert")
        out.push_back(std::string(core::to_string(d.severity)) + ": " + d.message);
    return out;
  };
  auto typo = [&](const std::vector<std::pair<std::string, std::string>>& files) {
    const auto found = said(files);
    REQUIRE(found.size() == 1);
    return found[0].starts_with("warning: ") &&
           found[0].find("but PodStuckPending is: as written, ALERTS never has such a series") != std::string::npos;
  };
  // A corpus of projects, each under its licence, in a repository of its own (the review corpus),
  // and a user's repository that vendors a mixin (a submodule, or a copy with its LICENSE).
  const std::string d =
      scratch("alerts", {".git", "gardener/LICENSE", "homelab/LICENSE", "home/.git", "home/vendor/mixin/LICENSE"});
  // Its own project's near name is a typo, however the paths are spelt: ALERTS never has the name.
  CHECK(typo({{d + "/gardener/d.yml", defines}, {d + "/gardener/sub/r.yml", reader}}));
  CHECK(typo({{d + "/home/alerts/d.yml", defines}, {d + "/home/rules/../rules/./r.yml", reader}}));
  CHECK(typo({{d + "/home/d.yml", defines}, {d + "/home/rules/team-a/r.yml", reader}}));
  // Files under no mark at all (a directory of rules a Prometheus loads): their common parent's.
  const std::string plain = scratch("plain", {});
  CHECK(typo({{plain + "/team-a/d.yml", defines}, {plain + "/team-b/r.yml", reader}}));
  // Another project's: the note that rules linted elsewhere may define it, and no suggestion.
  for (const auto& other : {d + "/homelab/d.yml", d + "/home/vendor/mixin/d.yml", d + "/d.yml"}) {
    const auto found = said({{other, defines}, {d + "/gardener/r.yml", reader}});
    REQUIRE(found.size() == 1);
    CHECK(found[0].starts_with("info: "));
    CHECK(found[0].find("only if rules linted elsewhere define it") != std::string::npos);
  }
}

TEST_CASE("label flow: the values of a series read through a Thanos querier", "[lint][label-flow]") {
  // Other servers' rules of the name may give it other values (GitLab's key metrics of each
  // service): type="web" is not refused because the rule here reads type="gitaly".
  const std::string thanos = "groups:\n- name: g\n  partial_response_strategy: warn\n  rules:\n"
                             "  - record: job:x:rate5m\n    expr: sum by (job, type) (rate(x{type=\"gitaly\"}[5m]))\n"
                             "  - alert: A\n    expr: 'job:x:rate5m{type=\"web\"} > 1'\n";
  std::string prometheus = thanos;
  prometheus.replace(prometheus.find("  partial_response_strategy: warn\n"), 34, "");
  CHECK(lint_files({{"a/r.yml", thanos}}, "promql/impossible").empty());
  CHECK(lint_files({{"a/r.yml", prometheus}}, "promql/impossible") == V{"a/r.yml 7"});
}

TEST_CASE("label flow: a name recorded in several directories, whatever the files' order", "[lint][label-flow]") {
  // Two servers' rules record job:x:rate5m: which labels its series carry is not known from
  // either, and the finding must not depend on which file comes first.
  const std::string alert_a = records + "  - alert: A\n    expr: 'job:x:rate5m{instance=\"a\"} > 1'\n";
  CHECK(lint_files({{"a/r.yml", alert_a}, {"b/r.yml", records}}, "promql/impossible").empty());
  CHECK(lint_files({{"b/r.yml", records}, {"a/r.yml", alert_a}}, "promql/impossible").empty());
  CHECK(lint_files({{"a/r.yml", alert_a}}, "promql/impossible") == V{"a/r.yml 8"});
}

TEST_CASE("label flow: units by the series' names", "[lint][label-flow]") {
  // A recording rule: the expression starts at line 5, column 11, as alert()'s does.
  auto record = [](const std::string& expr) {
    return "groups:\n- name: g\n  rules:\n  - record: instance:x:ratio\n    expr: '" + expr + "'\n";
  };
  const std::string mem = "node_memory_MemAvailable_bytes or (node_memory_MemFree_bytes + node_memory_Cached_bytes)";
  run_cases({
      // node_exporter 4bc1c020: `/` binds before `or`.
      {"bytes or a ratio of bytes", record("1 - (" + mem + " / node_memory_MemTotal_bytes)"),
       V{"units/mixed-or 5:17 warning"}, nullptr, true, true},
      {"the or parenthesised before the division", record("1 - ((" + mem + ") / node_memory_MemTotal_bytes)"), V{},
       nullptr, true, true},
      {"bytes or bytes", record("node_memory_MemAvailable_bytes or node_memory_MemFree_bytes"), V{}, nullptr, true,
       true},
      {"bytes or seconds", record("x_bytes or y_seconds"), V{"units/mixed-or 5:12 warning"}, nullptr, true, true},
      {"a ratio by its name or a quotient", record("x_ratio or a_bytes / b_bytes"), V{}, nullptr, true, true},
      // perses-community-mixins 09381e1: `/` binds before `-`, time() less hours.
      {"time() less a quotient by hours", record("time() - max(x_upload_time) / 60 / 60 > 24"),
       V{"units/time-minus-quotient 5:12 warning"}, nullptr, true, true},
      {"the difference divided", record("(time() - max(x_upload_time)) / 60 / 60 > 24"), V{}, nullptr, true, true},
      {"milliseconds made seconds", record("time() - x_timestamp_ms / 1000 > 300"), V{}, nullptr, true, true},
      {"a division the author parenthesised", record("time() - (x / 3600)"), V{}, nullptr, true, true},
      {"a divisor that is no number", record("time() - x / y / 60"), V{}, nullptr, true, true},
      {"a series whose name has no unit", record("x_bytes or y / z_bytes"), V{}, nullptr, true, true},
      // sapcc helm-charts c37a452: a name is no fact, so a condition at info.
      {"a percent by its name compared with a ratio", alert("limes_capacity_blocked_percent > 0.8"),
       V{"units/percent-as-ratio 5:12 info"}, nullptr, true, true},
      {"a percent by its name compared with a percentage", alert("limes_capacity_blocked_percent > 80"), V{}, nullptr,
       true, true},
      {"a percent scaled first", alert("x_used_percent * 100 > 66"), V{}, nullptr, true, true},
      // Of three _ratio series compared above 1 in strangers' rules, all three held percentages.
      {"a ratio by its name compared above 1 is not suspected", alert("activemq_store_usage_ratio > 70"), V{}, nullptr,
       true, true},
  });
}

TEST_CASE("label flow: branches of or that mirror each other", "[lint][label-flow]") {
  const std::string skew = "(x > 0.05 and deriv(x[5m]) >= 0) or (x < ";
  run_cases({
      // node_exporter 8b00b229: the mirror image of 0.05 is -0.05.
      {"a bound written twice where its negative was meant", alert(skew + "0.05 and deriv(x[5m]) <= 0)"),
       V{"promql/mirrored-threshold 5:49"}, nullptr, true},
      {"the bound mirrored", alert(skew + "-0.05 and deriv(x[5m]) <= 0)"), V{}, nullptr, true},
      // British summer time: March from the 25th, October before it; the branches test months too.
      {"branches that test other things",
       alert("(vector(1) and month() == 3 and day_of_month() >= 25) or (vector(1) and month() == 10 and "
             "day_of_month() < 25)"),
       V{}, nullptr, true},
      {"one test a side is no mirror", alert("x > 5 or x < 5"), V{}, nullptr, true},
  });
}

// Google Cloud Managed Service for Prometheus evaluates a Rules manifest scoped to its project,
// location, cluster and namespace (a ClusterRules manifest to all but the namespace): its operator
// adds an equality matcher on each to every selector and each as a label to every rule. So
// absent()'s result carries them, and so does every series a recording rule writes; $labels has
// them where the expression keeps them, not from the rule (proofs/review12.test.yml, GMPScope*).
TEST_CASE("strangers: Managed Service for Prometheus scopes every selector and result",
          "[lint][label-flow][strangers]") {
  auto gmp = [](const char* kind, const std::string& rules) {
    return std::string("apiVersion: monitoring.googleapis.com/v1\nkind: ") + kind +
           "\nmetadata: {name: x, namespace: shop}\nspec:\n  groups:\n  - name: g\n    rules:\n" + rules;
  };
  const std::string absent = "    - alert: A\n      expr: absent(up{job=\"web\"})\n      for: 5m\n"
                             "      annotations: {summary: 'web gone from {{ $labels.namespace }}'}\n";
  const std::string recorded = "    - record: job:up:sum\n      expr: sum by (job) (up)\n"
                               "    - alert: B\n      expr: job:up:sum == 0\n"
                               "      annotations: {summary: '{{ $labels.job }} down in {{ $labels.namespace }}'}\n";
  const std::string summed = "    - alert: C\n      expr: sum(up) == 0\n"
                             "      annotations: {summary: 'all down in {{ $labels.namespace }}'}\n";
  const std::string plain = "groups:\n- name: g\n  rules:\n";
  auto unindent = [](std::string s) {
    for (std::size_t at = 0; (at = s.find("    ", at)) != std::string::npos;) s.erase(at, 2), at += 2;
    return s;
  };
  run_cases({
      {"absent() in a Rules manifest carries its namespace", gmp("Rules", absent), V{}, nullptr, true},
      {"absent() in a plain rule file does not", plain + unindent(absent), V{"labels/template-label-lost 7:54"},
       nullptr, true},
      {"absent() in a ClusterRules manifest carries no namespace", gmp("ClusterRules", absent),
       V{"labels/template-label-lost 11:56"}, nullptr, true},
      {"a Rules manifest's recorded series carry its namespace", gmp("Rules", recorded), V{}, nullptr, true},
      {"a plain file's do not", plain + unindent(recorded), V{"labels/template-label-lost 8:66"}, nullptr, true},
      {"sum() keeps no label: the scope is the rule's label, not $labels'", gmp("Rules", summed),
       V{"labels/template-label-lost 10:54"}, nullptr, true},
  });
}

// review19: CloudNativePG's default monitoring queries write backends.total as a GAUGE (the
// backends connected now), so cnpg_backends_total is no counter, whatever its name; another
// exporter's _total still is one by its name, said at info.
TEST_CASE("strangers: a _total an exporter's source writes as a gauge", "[lint][label-flow][strangers]") {
  const auto info = [](const std::string& expr) { return Case{"", alert(expr), V{}, nullptr, true, true}; };
  Case gauge = info("sum by (pod) (cnpg_backends_total) / 100 > 0.8");
  gauge.name = "cnpg_backends_total: the backends now";
  Case counter = info("sum by (pod) (cnpg_backends_opened_total) / 100 > 0.8");
  counter.name = "another _total of the prefix: a counter by its name";
  counter.expected = V{"promql/counter-raw 5:12 info"};
  // exportarr writes <app>_queue_total as a gauge, the items queued now (review21).
  Case queue = info("sonarr_queue_total > 10 or radarr_queue_total > 10");
  queue.name = "exportarr's queue_total: the items queued now";
  Case history = info("sonarr_history_total > 10");
  history.name = "another exportarr _total: a counter by its name";
  history.expected = V{"promql/counter-raw 5:12 info"};
  run_cases({gauge, counter, queue, history});
}

// review35: StatCan records node_unterminated_pods_total, a count of the node's pods, in the file
// whose alerts compare it with the node's capacity: its rule, not its name, says what it is
// (proofs/review40.test.yml: it falls from 2 to 1). A _total recorded from a raw counter is one.
TEST_CASE("strangers: a _total the reader's file records from no counter", "[lint][label-flow][strangers]") {
  auto file = [](const std::string& recorded) {
    return "groups:\n- name: g\n  rules:\n  - record: pods_total\n    expr: '" + recorded +
           "'\n  - alert: Full\n    expr: 'pods_total / sum by (node) (allocatable{resource=\"pods\"}) > 0.9'\n"
           "    labels: {severity: warning}\n    annotations: {summary: s, description: d}\n";
  };
  Case count{"a count of pods named _total", file("sum by (node) (kube_pod_info)"), V{"rules/record-naming 4:13"},
             nullptr, true};
  Case raw{"a sum of a raw counter named _total", file("sum by (node) (pod_starts_total)"),
           V{"rules/record-naming 4:13", "promql/counter-raw 7:12"}, nullptr, true};
  run_cases({count, raw});
}

// review34: velero-mixin took delta() of Velero's counters. delta(), idelta(), deriv() and
// predict_linear() know no counter reset (proofs/counter-raw-delta.test.yml): a counter an
// exporter's source declares is a warning, one by its name an info; a question about the falls
// (< 0), a gauge named _total, a state's count and a start or creation time are quiet.
TEST_CASE("strangers: delta() and deriv() of a counter", "[lint][label-flow][strangers]") {
  const auto c = [](const char* name, const std::string& expr, V expected) {
    return Case{name, alert(expr), std::move(expected), nullptr, true, true};
  };
  run_cases({
      c("velero-mixin's failures", "delta(velero_backup_failure_total[5m]) > 0", V{"promql/counter-raw 5:12 warning"}),
      c("velero-mixin's NoBackupJob", "delta(velero_backup_attempt_total[48h]) <= 0",
        V{"promql/counter-raw 5:12 warning"}),
      c("of a subquery of a sum", "delta(sum(velero_backup_failure_total)[1h:5m]) > 0",
        V{"promql/counter-raw 5:12 warning"}),
      c("deriv() of a _total", "deriv(app_requests_total[10m]) > 1", V{"promql/counter-raw 5:12 info"}),
      c("idelta() of a _total", "idelta(app_requests_total[5m]) > 0", V{"promql/counter-raw 5:12 info"}),
      c("predict_linear() of a histogram's count", "predict_linear(app_request_duration_seconds_count[1h], 3600) > 1e6",
        V{"promql/counter-raw 5:12 info"}),
      c("the resets asked for", "delta(velero_backup_attempt_total[5m]) < 0", V{}),
      c("TiKV's falls", "delta(app_heartbeat_tick_total[30s]) < -10", V{}),
      c("increase()", "increase(velero_backup_failure_total[5m]) > 0", V{}),
      c("a gauge named _total by its exporter's source", "delta(cnpg_backends_total[5m]) > 10", V{}),
      c("a state's count", "delta(bullmq_jobs_total{state=\"waiting\"}[5m]) > 100", V{}),
      c("a creation time", "deriv(app_job_created[1h]) > 0", V{}),
      c("a start time", "deriv(process_start_time_seconds[1h]) > 0", V{}),
      c("a restart count, a new series with each pod", "delta(kube_pod_container_status_restarts_total[1h]) > 2", V{}),
  });
}

// review35: StatCan recorded `velero_backup_failure_total - velero_backup_failure_total offset 10m`
// and alerted above 0. The difference, like delta(), knows no counter reset
// (proofs/review40.test.yml): silent for a failure soon after Velero restarts.
TEST_CASE("strangers: a counter minus its own value some time before", "[lint][label-flow][strangers]") {
  const auto c = [](const char* name, const std::string& expr, V expected) {
    return Case{name, alert(expr), std::move(expected), nullptr, true, true};
  };
  run_cases({
      c("StatCan's Velero failures", "velero_backup_failure_total - velero_backup_failure_total offset 10m > 0",
        V{"promql/counter-raw 5:12 warning"}),
      c("inside a sum, with matchers",
        "sum by (schedule) (velero_backup_failure_total{schedule=\"h\"} - velero_backup_failure_total offset 2h > 1)",
        V{"promql/counter-raw 5:31 warning"}),
      c("sums of a _total", "sum(app_requests_total) - sum(app_requests_total offset 1d) == 0",
        V{"promql/counter-raw 5:12 info"}),
      c("both offset", "app_requests_total offset 1h - app_requests_total offset 2h > 5",
        V{"promql/counter-raw 5:12 info"}),
      c("the falls asked for", "velero_backup_attempt_total - velero_backup_attempt_total offset 1h < 0", V{}),
      c("a change either way", "abs(app_items_total - app_items_total offset 1d) > 100", V{}),
      c("the earlier minus the later", "app_requests_total offset 1h - app_requests_total > 5", V{}),
      c("another counter", "app_requests_total - app_errors_total offset 1h > 5", V{}),
      c("@ a fixed time", "app_requests_total - app_requests_total @ 1700000000 > 5", V{}),
      c("a gauge named _total by its exporter's source", "cnpg_backends_total - cnpg_backends_total offset 1h > 10",
        V{}),
      c("a restart count, a new series with each pod",
        "kube_pod_container_status_restarts_total - kube_pod_container_status_restarts_total offset 10m >= 1", V{}),
  });
}

TEST_CASE("strangers: and/unless against the left side's own series", "[lint][label-flow][strangers]") {
  run_cases({
      // DataMover's DataMoverStuckInPhase: changes() is 0 for a series that did not change.
      {"unless changes() of the same series",
       alert("count by (name) (foo{phase!=\"4\"} unless on (name, namespace) changes(foo[10m])) > 0", "s"),
       V{"promql/impossible 5:29"}, nullptr, true},
      {"and the same selector with fewer matchers", alert("foo{a=\"b\"} and max_over_time(foo[5m])", "s"),
       V{"alerts/no-comparison 5:11", "promql/always-true 5:12"}, nullptr, true},
      {"unless the selector itself", alert("(foo unless foo)", "s"), V{"promql/impossible 5:13"}, nullptr, true},
      {"a filtered right side", alert("foo unless on (name) changes(foo[10m]) > 0", "s"), V{}, nullptr, true},
      {"rate() needs two samples", alert("foo unless rate(foo[10m])", "s"), V{}, nullptr, true},
      {"a range shorter than the lookback", alert("foo unless changes(foo[1m])", "s"), V{}, nullptr, true},
      {"offset", alert("foo unless changes(foo[10m] offset 1h)", "s"), V{}, nullptr, true},
      {"the right side picks fewer series", alert("foo unless changes(foo{a=\"b\"}[10m])", "s"), V{}, nullptr, true},
      {"another series", alert("foo unless on (job) changes(bar[10m])", "s"), V{}, nullptr, true},
      {"on (__name__) after a function", alert("foo and on (__name__) changes(foo[10m])", "s"),
       V{"alerts/no-comparison 5:11"}, nullptr, true},
  });
}

// Names are case-sensitive, and an exporter writes its namespace one way (jsonnet-libs-7f916bc).
TEST_CASE("label flow: metric names spelt in two cases", "[lint][label-flow]") {
  run_cases({
      {"a prefix in two cases",
       alert("rate(squid_client_http_hits_total[10m]) / rate(Squid_client_http_requests_total[10m]) < 0.85"),
       V{"promql/metric-name-case 5:59"}},
      {"a whole name in two cases", alert("app_queue_depth > 2 and app_Queue_depth > 1"),
       V{"promql/metric-name-case 5:36"}},
      {"one spelling",
       alert("rate(squid_client_http_hits_total[10m]) / rate(squid_client_http_requests_total[10m]) < 0.85"), V{}},
      {"capitals inside a name, one prefix", alert("kafka_server_BrokerTopicMetrics_BytesIn > kafka_server_x"), V{}},
  });
}

// `x <= 199 and x >= 300`: each series of x meets itself in the and, and no value passes both
// (awesome-prometheus-alerts-bb5dba2; its proof:
// shipped-bugs/proofs/awesome-prometheus-alerts-bb5dba2.before.test.yml).
TEST_CASE("label flow: and of two filters of one expression that no value passes", "[lint][label-flow]") {
  run_cases({
      {"a status outside 200-299 written with and",
       alert("probe_http_status_code <= 199 and probe_http_status_code >= 300"), V{"promql/impossible 5:12"}},
      {"written with or", alert("probe_http_status_code <= 199 or probe_http_status_code >= 300"), V{}},
      {"a band", alert("probe_http_status_code >= 200 and probe_http_status_code < 300"), V{}},
      {"two expressions", alert("probe_http_status_code <= 199 and probe_success >= 300"), V{}},
      {"matched on some labels only",
       alert("probe_http_status_code <= 199 and on (instance) probe_http_status_code >= 300"), V{}},
      {"a bound both exclude", alert("x < 5 and x > 5"), V{"promql/impossible 5:12"}},
      {"a bound both accept", alert("x <= 5 and x >= 5"), V{}},
  });
}
