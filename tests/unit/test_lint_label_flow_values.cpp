// What an expression means (lint::Inference), continued: values (expressions that never return,
// NaN, constants), template functions and queries, Grafana variables, $labels near-misses, ALERTS,
// kube-state-metrics' state series, and duplicates. test_lint_label_flow.cpp holds the labels' part.
#include <catch2/catch.hpp>

#include "test_label_flow_support.hpp"

using namespace nsmon;
using namespace nsmon::testing::label_flow;

TEST_CASE("label flow: expressions that never return, or never remove, anything", "[lint][label-flow]") {
  run_cases({
      {"group () is always 1", alert("group(vector(0)) > 0"), V{"promql/always-true 5:12"}},
      {"a sum can be 0", alert("sum(foo) > 0"), V{}},
      {"unless a series with no labels", alert("x > 1 unless vector(0)"), V{"labels/impossible-match 5:12"}},
      {"unless on the labels both have", alert("x > 1 unless on (instance) y"), V{}},
      {"and a series with no labels", alert("x > 1 and vector(1)"), V{"labels/impossible-match 5:12"}},
      {"and on ()", alert("x > 1 and on () vector(1)"), V{}},
      {"a matcher that refuses every value", alert("foo{job!~\".*\"} > 1"), V{"promql/impossible 5:12"}},
      {"a matcher that wants a value", alert("foo{job!~\".+\"} > 1"), V{}},
      {"one label, two values", alert("foo{job=\"a\", job=\"b\"} > 1"), V{"promql/impossible 5:12"}},
      {"count () is at least 1", alert("count(up) < 1"), V{"promql/impossible 5:12"}},
      {"count () under a threshold", alert("count(up) < 3"), V{}},
      {"count () > 0 is an idiom", alert("count(up == 0) > 0"), V{}},
      {"a counter's rate is never negative", alert("rate(errors_total[5m]) < 0"), V{"promql/impossible 5:12"}},
      {"a counter's rate above a threshold", alert("rate(errors_total[5m]) > 0.5"), V{}},
      // Failures over all of one family, by their names, lie in [0, 1] (issue 59 class 8).
      {"failures among all compared with 5", alert("sum(rate(jobs_failed_total[5m])) / sum(rate(jobs_total[5m])) > 5"),
       V{"promql/impossible 5:12"}},
      {"operation_failures of operations", alert("rate(op_failures_total[5m]) / rate(ops_total[5m]) >= 1.5"),
       V{"promql/impossible 5:12"}},
      {"failures among all in percent", alert("sum(rate(jobs_failed_total[5m])) / sum(rate(jobs_total[5m])) * 100 > 5"),
       V{}},
      {"errors over another family", alert("sum(rate(jobs_errors_total[5m])) / sum(rate(requests_total[5m])) > 5"),
       V{}},
      // gitlab-com/runbooks 3114f72: only a histogram's _bucket series carry le.
      {"le on a counter", alert("rate(jobs_failed_total{le=\"+Inf\"}[5m]) > 1"), V{"promql/impossible 5:17"}},
      {"le on a histogram's _count", alert("x_seconds_count{le=~\".+\"} > 1"), V{"promql/impossible 5:12"}},
      {"le on a bucket", alert("rate(x_seconds_bucket{le=\"+Inf\"}[5m]) > 1"), V{}},
      {"le that may be absent", alert("x_seconds_count{le=~\"|1\"} > 1"), V{}},
  });
  Case recorded{"le on a recorded name", alert("job:x_seconds_count:rate5m{le=\"1\"} > 1"), V{}};
  recorded.no_catalog = true;
  run_cases({recorded});
}

TEST_CASE("label flow: NaN spread by an aggregation", "[lint][label-flow]") {
  run_cases({
      {"sum of per-series ratios", alert("sum(rate(e_total[5m]) / rate(t_total[5m])) > 0.1"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"the ratio of sums", alert("sum(rate(e_total[5m])) / sum(rate(t_total[5m])) > 0.1"), V{}},
      {"the denominator kept above 0", alert("sum(rate(e_total[5m]) / (rate(t_total[5m]) > 0)) > 0.1"), V{}},
      {"avg of quantiles of idle histograms", alert("avg(histogram_quantile(0.9, rate(x_seconds_bucket[5m]))) > 1"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"max of quantiles passes NaN only when all are",
       alert("max(histogram_quantile(0.9, rate(x_seconds_bucket[5m]))) > 1"), V{}},
      // A divisor that can be 0: x / 0 is +Inf or -Inf, 0 / 0 and x % 0 NaN (issue 59 class 8).
      {"a divisor of values nothing is known of is not suspected", alert("sum(foo / bar) > 1"), V{}},
      // Most divisors are sizes and capacities, never 0; a limit its exporter reports as 0 for
      // "no limit" is the one kind the review of strangers' rules found meeting 0.
      {"a pool's limit is 0 when there is none",
       alert("avg(sum by (pod) (go_sql_dbstats_connections_open) / sum by (pod) (go_sql_dbstats_connections_max_open)) "
             "> 0.7"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"a container's memory limit is 0 when it has none",
       alert("sum(container_memory_working_set_bytes / container_spec_memory_limit_bytes) > 0.9"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"a memory limit kept above 0",
       alert("sum(container_memory_working_set_bytes / (container_spec_memory_limit_bytes > 0)) > 0.9"), V{}},
      {"a usage over an unlimited container's 0 passes >",
       alert("(sum by (name) (container_memory_working_set_bytes) / sum by (name) "
             "(container_spec_memory_limit_bytes) * 100) > 80"),
       V{"promql/division-by-zero 5:13"}},
      {"a sum of the limits kept above 0 is above 0",
       alert("(sum by (name) (container_memory_working_set_bytes) / sum by (name) "
             "(container_spec_memory_limit_bytes > 0) * 100) > 80"),
       V{}},
      // review39: Shipshape's KubePodHighMemory gates the ratio with the limit above 0.
      {"a gate that keeps the limited ones",
       alert("(container_memory_working_set_bytes / container_spec_memory_limit_bytes) > 0.9 and on (pod) "
             "container_spec_memory_limit_bytes > 0"),
       V{}},
      {"a gate that removes the unlimited ones",
       alert("container_memory_working_set_bytes / container_spec_memory_limit_bytes > 0.9 unless "
             "container_spec_memory_limit_bytes == 0"),
       V{}},
      {"a gate on another series",
       alert("(container_memory_working_set_bytes / container_spec_memory_limit_bytes) > 0.9 and on (pod) "
             "container_memory_working_set_bytes > 0"),
       V{"promql/division-by-zero 5:13"}},
      {"a gate that keeps the limits at 0 too",
       alert("(container_memory_working_set_bytes / container_spec_memory_limit_bytes) > 0.9 and on (pod) "
             "container_spec_memory_limit_bytes < 1e12"),
       V{"promql/division-by-zero 5:13"}},
      {"below a threshold +Inf passes nothing",
       alert("container_memory_working_set_bytes / container_spec_memory_limit_bytes < 0.1"), V{}},
      {"a filesystem's size is not suspected",
       alert("sum(node_filesystem_avail_bytes / node_filesystem_size_bytes) > 0.9"), V{}},
      {"a remainder by 0", alert("avg(foo % 0) > 1"), V{"promql/nan-in-aggregation 5:12"}},
      {"a division by 0", alert("sum(foo / 0) > 1"), V{"promql/nan-in-aggregation 5:12"}},
      {"a clamp that lets 0 through", alert("sum(foo / clamp_min(bar, 0)) > 1"), V{"promql/nan-in-aggregation 5:12"}},
      {"a divisor kept from 0 by != 0", alert("sum(foo / (bar != 0)) > 1"), V{}},
      {"a divisor kept from 0 by clamp_min", alert("sum(foo / clamp_min(bar, 1)) > 1"), V{}},
      {"a divisor kept below 0", alert("sum(foo / (bar < 0)) > 1"), V{}},
      {"a division by a number", alert("sum(foo / 2) > 1"), V{}},
      {"min passes NaN only when all are", alert("min(foo / bar) > 1"), V{}},
      {"a division of recorded series by a divisor that can be 0",
       "groups:\n- name: g\n  rules:\n  - record: job:foo:ratio\n    expr: foo / clamp_min(bar, 0)\n  - alert: A\n    "
       "expr: "
       "sum(job:foo:ratio) > 1\n",
       V{"promql/nan-in-aggregation 7:11"}},
      // kube-prometheus' KubeAPIErrorBudgetBurn sums the read and the write burn rates of a cluster;
      // a running cluster's API servers answer GETs and PUTs of Leases every few seconds, so the
      // rate of either kind of its requests summed over the cluster is never 0 (rules/exporters.yml).
      {"an API server's requests summed over the cluster never stop",
       "groups:\n- name: g\n  rules:\n  - record: cluster:apiserver_request:burnrate1h\n    expr: sum by (cluster) "
       "(rate(apiserver_request_total{job=\"apiserver\",verb=~\"LIST|GET\",code=~\"5..\"}[1h])) / sum by (cluster) "
       "(rate(apiserver_request_total{job=\"apiserver\",verb=~\"LIST|GET\"}[1h]))\n    labels: {verb: read}\n"
       "  - record: cluster:apiserver_request:burnrate1h\n    expr: sum by (cluster) "
       "(rate(apiserver_request_total{job=\"apiserver\",verb=~\"POST|PUT|PATCH|DELETE\",code=~\"5..\"}[1h])) / sum by "
       "(cluster) (rate(apiserver_request_total{job=\"apiserver\",verb=~\"POST|PUT|PATCH|DELETE\"}[1h]))\n"
       "    labels: {verb: write}\n"
       "  - alert: A\n    expr: sum by (cluster) (cluster:apiserver_request:burnrate1h) > 0.144\n",
       V{}},
      {"one resource's requests may stop",
       alert("sum(sum by (resource) (rate(apiserver_request_total{code=~\"5..\"}[5m])) / sum by (resource) "
             "(rate(apiserver_request_total[5m]))) > 0.1"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"deletes may stop",
       alert("sum(sum by (cluster) (rate(apiserver_request_total{verb=\"DELETE\",code=~\"5..\"}[5m])) / "
             "sum by (cluster) (rate(apiserver_request_total{verb=\"DELETE\"}[5m]))) > 0.1"),
       V{"promql/nan-in-aggregation 5:12"}},
      // Pigsty's node:cpu:usage (review23): 1 - idle / total of a CPU, its total the rate of
      // node_cpu_seconds_total summed over every mode, which grows one second a second
      // (rules/exporters.yml `adds_up`): no 0 / 0, through recording rules too.
      {"a CPU's time over all its modes always passes",
       "groups:\n- name: g\n  rules:\n  - record: node:cpu:time_irate1m\n    expr: irate(node_cpu_seconds_total[1m])\n"
       "  - record: node:cpu:total_time_irate1m\n    expr: sum without (mode) (node:cpu:time_irate1m)\n"
       "  - record: node:cpu:idle_time_irate1m\n    expr: sum without (mode) (node:cpu:time_irate1m{mode=\"idle\"})\n"
       "  - record: node:cpu:usage\n    expr: 1 - node:cpu:idle_time_irate1m / node:cpu:total_time_irate1m\n"
       "  - alert: A\n    expr: avg without (cpu) (node:cpu:usage) > 0.9\n",
       V{}},
      {"a CPU's time over all its modes, written out",
       alert("avg without (cpu) (1 - sum by (job, instance, cpu) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])) / "
             "sum by (job, instance, cpu) (rate(node_cpu_seconds_total[1m]))) > 0.9"),
       V{}},
      {"a CPU's time in some modes may stand still",
       alert("avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{mode=\"user\"}[1m])) / sum without "
             "(mode) (rate(node_cpu_seconds_total{mode=~\"user|system\"}[1m]))) > 0.5"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"a CPU's time per mode may stand still",
       alert("avg(sum by (job, instance, cpu, mode) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])) / sum by (job, "
             "instance, cpu, mode) (rate(node_cpu_seconds_total[1m]))) > 0.5"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"a recording rule's rates of some modes only",
       "groups:\n- name: g\n  rules:\n  - record: node:cpu:time_irate1m\n    expr: irate(node_cpu_seconds_total[1m])\n"
       "  - alert: A\n    expr: avg(node:cpu:time_irate1m{mode=\"user\"} / ignoring (mode) sum without (mode) "
       "(node:cpu:time_irate1m{mode=~\"user|system\"})) > 0.5\n",
       V{"promql/nan-in-aggregation 7:11"}},
      // awesome-prometheus-alerts 748524d: a CPU's time in one mode grows at most one second a
      // second (rules/exporters.yml `adds_up`, at_most 1.1), so its rate is a share, not a
      // percentage: 100 minus it is always above .80, and 10 is out of its reach.
      {"100 minus a CPU's idle share",
       alert("100 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])) > .80"),
       V{"promql/always-true 5:12"}},
      {"the idle share as a percentage",
       alert("100 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])) * 100 > 80"), V{}},
      {"a CPU's share of one mode above 10", alert("irate(node_cpu_seconds_total{mode=\"iowait\"}[5m]) > 10"),
       V{"promql/impossible 5:12"}},
      {"a CPU's share of one mode above 1.2, summed over its CPUs",
       alert("sum by (instance) (rate(node_cpu_seconds_total{mode=\"user\"}[5m])) > 1.2"), V{}},
      {"an increase is per window, not per second", alert("increase(node_cpu_seconds_total{mode=\"idle\"}[5m]) > 10"),
       V{}},
  });
}

TEST_CASE("label flow: constant alerts, and results a rule cannot use", "[lint][label-flow]") {
  const std::string rec = "groups:\n- name: g\n  rules:\n  - record: x:time:seconds\n    expr: ";
  run_cases({
      {"vector(0) always fires", alert("vector(0)"), V{"alerts/no-comparison 5:11"}},
      {"the vector(1) heartbeat is meant to", alert("vector(1)"), V{}},
      // The Packt book's deadmanswitch (review26): a heartbeat whatever its number.
      {"a vector(42) heartbeat is meant to", alert("vector(42)"), V{}},
      {"vector(0) in parentheses always fires", alert("(vector(0))"), V{"alerts/no-comparison 5:11"}},
      {"a number always fires", alert("1"), V{"alerts/no-comparison 5:11"}},
      {"a scalar comparison always fires", alert("scalar(up) > bool 1"), V{"alerts/no-comparison 5:11"}},
      {"a string never evaluates", alert("\"down\""), V{"promql/syntax 5:11"}},
      {"a range vector never evaluates", alert("up[5m]"), V{"promql/syntax 5:11"}},
      {"a recording rule of a string", rec + "'\"x\"'\n", V{"promql/syntax 5:11"}},
      {"a recording rule of a scalar records one series", rec + "time()\n", V{}},
      // awesome-prometheus-alerts f673fe7: or binds looser than <, so vector(0) < 1 is a side of
      // its own, always there. Grouped as meant, or in parentheses as written, or a comparison of
      // the two numbers that fails (a side that adds nothing): quiet.
      {"an or beside two numbers compared, which hold",
       alert("count(redis_instance_info{role=\"master\"}) or vector(0) < 1"), V{"alerts/no-comparison 5:11"}},
      {"the same beside a sum, with on()", alert("sum(up{job=\"node\"}) or on() vector(-1) < 1"),
       V{"alerts/no-comparison 5:11"}},
      {"the or grouped before the comparison", alert("(count(redis_instance_info{role=\"master\"}) or vector(0)) < 1"),
       V{}},
      {"the comparison in parentheses", alert("count(up == 0) > 1 or (vector(0) < 1)"), V{}},
      {"two numbers compared, which fail", alert("count(up == 0) > 1 or vector(0) > 1"), V{}},
  });
}

// transmission-prometheus-exporter's example rules (review69): "has {{ $labels.transmission_total_torrents
// }} torrents" reads a metric's name as a label, which no series carries; a state set's label named
// after its metric (drbd-reactor, snmp_exporter's EnumAsStateSet) is one its matcher names.
TEST_CASE("label flow: a metric's name read as a label", "[lint][label-flow]") {
  run_cases({
      {"the metric compared", alert("active == 0 and total > 0", "has {{ $labels.total }} torrents"),
       V{"labels/template-label-lost 6:44"}},
      {"guarded", alert("active == 0 and total > 0", "{{ if $labels.total }}has {{ $labels.total }}{{ end }}"), V{}},
      {"a state set's label, matched",
       alert("drbd_connection_state{drbd_connection_state!=\"Connected\"} > 0", "{{ $labels.drbd_connection_state }}"),
       V{}},
      {"a label named in a grouping",
       alert("max by (instance, total) (active) > 0 and on (instance) total > 0", "{{ $labels.total }}"), V{}},
      {"a label a label_replace writes",
       alert("label_replace(active, \"total\", \"$1\", \"instance\", \"(.*)\") > 0 and total > 0",
             "{{ $labels.total }}"),
       V{}},
  });
}

TEST_CASE("label flow: queries written in a template", "[lint][label-flow]") {
  run_cases({
      {"a label of a sum", alert("up == 0", "{{ range query \"sum(up)\" }}{{ .Labels.instance }}{{ end }}"),
       V{"labels/template-label-lost 6:67"}},
      {"a label the sum keeps",
       alert("up == 0", "{{ range query \"sum by (instance) (up)\" }}{{ .Labels.instance }}{{ end }}"), V{}},
      {"first | label of vector()", alert("up == 0", "{{ query \"vector(1)\" | first | label \"job\" }}"),
       V{"labels/template-label-lost 6:67"}},
      {"a query that does not parse", alert("up == 0", "{{ query \"up xxx\" | first | value }}"),
       V{"rules/template 6:38"}},
      {"a format no argument mends",
       alert("up == 0", "{{ with printf \"sum(up{job=\\\"%s\\\"}) by(\" .Labels.job | query }}{{ end }}"),
       V{"rules/template 6:44"}},
      {"a verb where a duration goes", alert("up == 0", "{{ with printf \"rate(x[%s])\" .Labels.w | query }}{{ end }}"),
       V{}},
      {"%q where a label value goes (it writes a quoted string)",
       alert("up == 0", "{{ with printf \"sum(up{instance=%q})\" .Labels.instance | query }}{{ end }}"), V{}},
      {"a verb where a label goes",
       alert("up == 0", "{{ range printf \"sum by (%s) (up)\" \"pod\" | query }}{{ .Labels.pod }}{{ end }}"), V{}},
  });
}

// Each fault's effect in Prometheus 2.42: tests/data/shipped-bugs/proofs/template-types.test.yml.
TEST_CASE("label flow: template functions given a value of the wrong type", "[lint][label-flow]") {
  run_cases({
      {"printf of a float format", alert("up == 0", "{{ printf $value \"%.2f\" }}"), V{"rules/template 6:39"}},
      {"first of $value", alert("up == 0", "{{ $value | first }}"), V{"rules/template 6:41"}},
      {"label of $value", alert("up == 0", "{{ $value | label \"instance\" }}"), V{"rules/template 6:47"}},
      {"humanize of a word", alert("up == 0", "{{ \"abc\" | humanize }}"), V{"rules/template 6:40"}},
      {"humanize of a sample", alert("up == 0", "{{ query \"up\" | first | humanize }}"), V{"rules/template 6:53"}},
      {"gt of a float and an int", alert("up == 0", "{{ if gt $value 80 }}high{{ end }}"), V{"rules/template 6:35"}},
      {"%s of $value", alert("up == 0", "{{ $value | printf \"%s\" }}"), V{"rules/template 6:29"}},
      {"%f of a label", alert("up == 0", "{{ printf \"%.2f\" $labels.instance }}"), V{"rules/template 6:29"}},
      {"a verb without its argument", alert("up == 0", "{{ printf \"%s on %s\" $labels.instance }}"),
       V{"rules/template 6:29"}},
      // Clean: what no type decides.
      {"humanize of a number string", alert("up == 0", "{{ \"1234\" | humanize }}"), V{}},
      {"humanize of a label, which may be a number", alert("up == 0", "{{ $labels.instance | humanize }}"), V{}},
      {"humanize of a label read by index", alert("up == 0", "{{ index $labels \"instance\" | humanize }}"), V{}},
      {"humanize of a query's label, which may be a number",
       alert("up == 0", "{{ query \"up\" | first | label \"job\" | humanize }}"), V{}},
      {"a query's value", alert("up == 0", "{{ with query \"up\" }}{{ . | first | value | humanize }}{{ end }}"), V{}},
      {"gt of two floats", alert("up == 0", "{{ if gt $value 80.0 }}high{{ end }}"), V{}},
      {"verbs of their types", alert("up == 0", "{{ printf \"%.2f %s %v %d%%\" $value $labels.job $value 5 }}"), V{}},
      {"a fault in a branch the probe does not take: not seen",
       alert("up == 0", "{{ if eq $labels.job \"x\" }}{{ $value | first }}{{ end }}"), V{}},
  });
}

TEST_CASE("label flow: Grafana variables in a rule's matchers", "[lint][label-flow]") {
  run_cases({
      {"a regex of $var", alert("up{pod=~\"$pod\"} == 0"), V{"rules/grafana-variable 5:15"}},
      {"${var} with a format", alert("up{pod=\"${pod:raw}\"} == 0"), V{"rules/grafana-variable 5:15"}},
      {"[[var]]", alert("up{pod!~\"[[pod]]\"} == 0"), V{"rules/grafana-variable 5:15"}},
      {"end anchors are no variables", alert("up{job=~\"(a$)|b\", x=\"$\", y=~\"\\\\$1\", z=~\"a\\\\$pod\"} == 0"),
       V{}},
  });
}

TEST_CASE("label flow: format placeholders left unexpanded in a rule's matchers", "[lint][label-flow]") {
  run_cases({
      // gitlab-com/runbooks 9841c00: the generator's jsonnet format was not applied.
      {"jsonnet's %(name)s", alert("rate(x_total{shard=\"%(shard)s\"}[1m]) > 1"), V{"rules/format-placeholder 5:25"}},
      {"in a regex", alert("x{shard=~\"a|%(shard)s\"} > 1"), V{"rules/format-placeholder 5:14"}},
      {"negated: removes nothing", alert("x{shard!=\"%(shard)d\"} > 1"), V{"rules/format-placeholder 5:14"}},
      {"a bare printf verb", alert("x{pod=~\"%s-.*\"} > 1"), V{"rules/format-placeholder 5:14"}},
      {"a metric name of __name__", alert("{__name__=\"%(metric)s\"} > 1"), V{"rules/format-placeholder 5:13"}},
      {"percent signs and percent-encoding are no formats",
       alert("x{a=\"100%\", b=~\".*%2F.*\", c=\"%%s\", d=\"%(x)\", e=\"%sql\", f=\"%()s\"} > 1"), V{}},
  });
}

TEST_CASE("label flow: $labels.x near a label the rule has", "[lint][label-flow]") {
  run_cases({
      {"a plural the aggregation removes", alert("sum by (namespace) (x) > 1", "{{ $labels.namespaces }}"),
       V{"labels/template-label-lost 6:40"}},
      {"interface where the matchers say device", alert("x{device=\"eth0\"} > 1", "{{ $labels.interface }}"),
       V{"labels/template-label-typo 6:40"}},
      {"a plural of a label more of the group's templates read",
       "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 1\n    annotations: {summary: "
       "'{{ $labels.pods }}'}\n  - alert: B\n    expr: y > 1\n    annotations: {summary: '{{ $labels.pod }}'}\n"
       "  - alert: C\n    expr: z > 1\n    annotations: {summary: '{{ $labels.pod }}'}\n",
       V{"labels/template-label-typo 6:40"}},
      {"the singular as many templates read as the plural",
       "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 1\n    annotations: {summary: "
       "'{{ $labels.pods }}'}\n  - alert: B\n    expr: y > 1\n    annotations: {summary: '{{ $labels.pod }}'}\n",
       V{}},
      // kube-prometheus a2d273b: kube-state-metrics writes namespace on every kube_deployment_* series.
      {"a plural of a label kube-state-metrics writes on the family",
       alert("kube_deployment_status_observed_generation != kube_deployment_metadata_generation",
             "{{ $labels.namespaces }}"),
       V{"labels/template-label-typo 6:40"}},
      {"a plural of a label other metrics' series may lack",
       alert("kube_deploymentx_y > 1", "{{ $labels.namespaces }}"), V{}},
      {"a label nothing resembles", alert("x{device=\"eth0\"} > 1", "{{ $labels.status }}"), V{}},
      {"a plural the expression names", alert("x{pods=\"a\", pod=\"b\"} > 1", "{{ $labels.pods }}"), V{}},
  });
}

// Prometheus fills $labels from the expression's sample, before it adds the rule's labels and
// alertname (tests/data/review-corpus/proofs/template-rule-label-*.test.yml): sapcc's
// service: '{{ $labels.service }}' over sum by (initiator_project_id, ...) expanded empty (2015b53^).
TEST_CASE("label flow: $labels.x of a label only the rule sets", "[lint][label-flow]") {
  auto rule = [](const std::string& expr, const std::string& labels, const std::string& summary) {
    return "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n    labels: {" + labels +
           "}\n    annotations: {summary: '" + summary + "'}\n";
  };
  run_cases({
      {"the rule's severity, summed away", rule("sum by (job) (x) > 1", "severity: page", "{{ $labels.severity }}"),
       V{"labels/template-label-lost 7:40"}},
      {"a label that reads itself", rule("sum by (job) (x) > 1", "service: \"{{ $labels.service }}\"", "s"),
       V{"labels/template-label-lost 6:35"}},
      {"alertname", rule("sum(x) > 1", "severity: page", "{{ $labels.alertname }}"),
       V{"labels/template-label-lost 7:40"}},
      {"kept by the aggregation", rule("sum by (severity) (x) > 1", "severity: page", "{{ $labels.severity }}"), V{}},
      {"a raw selector's series may carry it", rule("x > 1", "severity: page", "{{ $labels.severity }}"), V{}},
      {"under a test of the label itself",
       rule("sum by (job) (x) > 1", "severity: page", "{{ if $labels.severity }}{{ $labels.severity }}{{ end }}"), V{}},
      // Where nothing is known of the series' labels (proofs/template-rule-label-open.test.yml):
      // no series but an alert's own has alertname, and a label the rule computes from others is
      // not the series' own, whatever they carry.
      {"alertname over any series", rule("x > 1", "severity: page", "{{ $labels.alertname }}"),
       V{"labels/template-label-lost 7:40"}},
      {"a label the rule computes", rule("x > 1", "host: \"{{ $labels.instance }}\"", "{{ $labels.host }}"),
       V{"labels/template-label-lost 7:40"}},
      {"the copy of the series' own", rule("x > 1", "host: \"{{ $labels.host }}\"", "{{ $labels.host }}"), V{}},
      {"alertname of vmalert's own series",
       rule("vmalert_alerts_firing > 0", "severity: page", "{{ $labels.alertname }}"), V{}},
      {"a plain value the series may carry (an event's severity)",
       rule("x > 1", "severity: page", "{{ $labels.severity }}"), V{}},
      // vmalert's annotations see the rule's labels and alertname where the series lack them
      // (rules/exporters.yml, vmalert); its labels' templates do not.
      {"vmalert's annotations",
       "groups:\n- name: g\n  concurrency: 2\n  rules:\n  - alert: A\n    expr: sum(x) > 1\n"
       "    labels: {severity: page, text: '{{ $labels.alertname }}'}\n"
       "    annotations: {summary: '{{ $labels.alertname }} {{ $labels.severity }}'}\n",
       V{"rules/other-ruler 3:3", "labels/template-label-lost 7:48"}},
  });
}

// openshift/cluster-logging-operator shipped "on $labels.hostname host" (5cef4c5^): every alert
// read those words (tests/data/shipped-bugs/proofs/cluster-logging-operator-5cef4c5.*.test.yml).
TEST_CASE("label flow: $labels.x and $value written outside {{ }}", "[lint][label-flow]") {
  run_cases({
      {"a label as text", alert("x > 1", "disk full on $labels.hostname host"), V{"rules/template-text 6:42"}},
      {"$value as text, after an action", alert("x > 1", "{{ $labels.job }} at $value%"),
       V{"rules/template-text 6:50"}},
      {"in an action", alert("x > 1", "disk full on {{ $labels.hostname }} host"), V{}},
      {"helm's escaped braces: the text is a template's source", alert("x > 1", "on {{\"{{\"}} $labels.pod {{\"}}\"}}"),
       V{}},
      {"a price and a word", alert("x > 1", "costs $5 in $values and $labels"), V{}},
      // Wikimedia's Arclamp alerts, "log file age in $site" over max by (site) (df38ea5).
      {"$x of a label the alerts have", alert("max by (site) (x) > 1", "age in $site: {{ $value }}"),
       V{"rules/template-text 6:36"}},
      {"$x of a label the alerts lack", alert("max by (site) (x) > 1", "run kubectl -n $namespace"), V{}},
      // GitLab's annotations hand a query with Grafana's variables to their tooling.
      {"$x in quotes, another tool's placeholder", alert("max by (site) (x) > 1", "x{site=\"$site\"} or ''$site''"),
       V{}},
      // giantswarm 0f38137: "${ labels.horizontalpodautoscaler }", printed as written.
      {"another language's braces", alert("x > 1", "HPA ${ labels.hpa } at ${value}, ${site}"),
       V{"rules/template-text 6:33", "rules/template-text 6:52"}},
      // jsonnet-libs 0d94f19: jsonnet's %%s left "150%s" in the text.
      {"a printf verb as text", alert("x > 1", "{{ printf \"%.0f\" $value }}%s of the baseline, above 150%s"),
       V{"rules/template-text 6:55", "rules/template-text 6:84"}},
      // openshift/cluster-version-operator 49bba21: "because ${{ $labels.reason }}", a shell's habit.
      {"a dollar glued before a label's action", alert("max by (reason) (x) > 1", "because ${{- $labels.reason }}"),
       V{"rules/template-text 6:37"}},
      {"a dollar before $value, a price", alert("max by (reason) (x) > 1", "spent ${{ $value }}, ${{ .Value }}"), V{}},
      {"a dollar before more than a label", alert("max by (reason) (x) > 1", "${{ $labels.reason | title }}"), V{}},
      {"a percent sign, a URL's escape, a format in printf",
       alert("x > 1", "50%done at /a%20s%2F, {{ printf \"%s\" \"x\" }}"), V{}},
  });
}

TEST_CASE("label flow: ALERTS of no rule, alerts with no comparison", "[lint][label-flow]") {
  const std::string b = "  - alert: B\n    expr: up == 0\n";
  const std::string down = "  - record: node:ceph_node:down\n    expr: max by (node) (ceph_up) == 0\n";
  const std::string up = "  - record: node:ceph_node:up\n    expr: max by (node) (ceph_up)\n";
  run_cases({
      {"ALERTS of no rule", alert("ALERTS{alertname=\"Bb\"} == 1") + b, V{"alerts/undefined-alert 5:19"}},
      {"ALERTS of a rule", alert("ALERTS{alertname=\"B\"} == 1") + b, V{}},
      {"and is no comparison",
       alert("quantile_over_time(0.9, foo[5m]) and on (instance) rate(a_total[5m]) + "
             "rate(b_total[5m])"),
       V{"alerts/no-comparison 5:11"}},
      {"a comparison under and", alert("quantile_over_time(0.9, foo[5m]) and on (instance) rate(a_total[5m]) > 1"),
       V{}},
      // Issue 56: where a selector's matchers are the condition and its series are passed on,
      // the alert is right; where the series exist whatever the state, it fires for all of them.
      {"an info series picked by its state", alert("foo_resource_info{ready!=\"True\"}"), V{}},
      {"an info series relabelled", alert("label_replace(foo_info{pause=\"true\"}, \"c\", \"$0\", \"name\", \".+\")"),
       V{}},
      {"ALERTS of a firing alert", alert("ALERTS{alertname=\"B\", alertstate=\"firing\"}") + b, V{}},
      {"a count of ALERTS", alert("count(count by (seed) (ALERTS{alertname=\"B\", alertstate=\"firing\"}))") + b, V{}},
      {"the failed outcomes of a counter", alert("max_over_time(x_count{op=\"t\", status!=\"success\"}[15m])"), V{}},
      {"an info series or absent", alert("foo_info{ready!=\"True\"} or absent(foo_info)"),
       V{"alerts/absent-without-for 4:12"}},
      {"a state series of kube-state-metrics", alert("kube_pod_status_phase{phase=\"Failed\"}"),
       V{"alerts/no-comparison 5:11"}},
      {"an info series picked by its place", alert("kube_pod_info{namespace=\"prod\"}"),
       V{"alerts/no-comparison 5:11"}},
      {"an info series asked for a label only", alert("foo_info{ready!=\"\"}"), V{"alerts/no-comparison 5:11"}},
      // l="" keeps the series without l: the pods without a team (proofs/info-conditions.test.yml).
      {"an info series picked by a label it lacks", alert("kube_pod_labels{label_team=\"\"}"), V{}},
      {"an annotations series picked by one it lacks", alert("kube_namespace_annotations{annotation_owner=~\"\"}"),
       V{}},
      {"a series not an info one, picked by a label it lacks", alert("foo{team=\"\"}"), V{"alerts/no-comparison 5:11"}},
      // Arithmetic passes on the series, and the condition, of the side whose labels it keeps.
      {"an info series picked by its state, joined",
       alert("node_os_info{id!=\"debian\"} * on (instance) group_left (nodename) node_uname_info"), V{}},
      {"an info series picked by its state, joined on the right",
       alert("node_uname_info * on (instance) group_right (nodename) node_os_info{id!=\"debian\"}"), V{}},
      {"a counter joined to the namespaces of one team",
       alert("contour_httpproxy_invalid_total * on (namespace) group_left (label_team) "
             "kube_namespace_labels{label_team=\"neco\"}"),
       V{"alerts/no-comparison 5:11"}},
      {"a ratio of two states' counts",
       alert("sum by (shard) (jobs{stage=\"pull\"}) / sum by (shard) (jobs{stage=\"run\"})"),
       V{"alerts/no-comparison 5:11"}},
      {"an info series scaled", alert("foo_info{ready!=\"True\"} * 100"), V{}},
      {"a rate of the failed outcomes", alert("rate(x_total{code!=\"200\"}[5m])"), V{"alerts/no-comparison 5:11"}},
      // gitlab-com's runbooks' PostgreSQL_SplitBrain (df4f1cf): bool keeps every group, 0 too.
      {"a bool comparison over a filter", alert("count(pg_replication_is_replica == 0) by (environment) > bool 1"),
       V{"alerts/no-comparison 5:11"}},
      {"a bool comparison", alert("sum by (cluster) (lag_seconds{role=\"replica\"}) >bool 0"),
       V{"alerts/no-comparison 5:11"}},
      {"bool under a comparison", alert("sum by (cluster) (up == bool 0) > 1"), V{}},
      {"a bool comparison every filtered value passes", alert("(foo > 1) > bool 1"), V{"promql/always-true 5:12"}},
      // Issue 59: a recorded series whose every rule filters (`== 0`, unless) exists only while
      // that condition holds, so an alert that passes it on compares (a CephNodeDown that reads a
      // recorded `... == 0`); one rule that does not filter records series whatever the state.
      {"a recording whose rule compares", alert("node:ceph_node:down") + down, V{}},
      {"a recording whose rule keeps what unless leaves",
       alert("node:ceph_node:down") +
           "  - record: node:ceph_node:down\n    expr: max by (node) (ceph_osd_metadata) unless on (node) "
           "kube_node_info\n",
       V{}},
      {"a recording whose rule compares nothing", alert("node:ceph_node:up") + up, V{"alerts/no-comparison 5:11"}},
      {"a name recorded by a rule that compares and one that does not",
       alert("node:ceph_node:down") + down +
           "  - record: node:ceph_node:down\n    expr: max by (node) (ceph_mon_up)\n    labels: {daemon: mon}\n",
       V{"alerts/no-comparison 5:11"}},
  });
}

// ceph-mixins' CephMonQuorumLost (a3fec5e, a shipped-bugs case) counted kube-state-metrics'
// phase series of the monitors: failed ones have a Running series too, valued 0.
TEST_CASE("label flow: count() of kube-state-metrics' state series", "[lint][label-flow]") {
  run_cases({
      {"a count of a state compared",
       alert("count by (namespace) (kube_pod_status_phase{pod=~\"mon-.*\", phase=\"Running\"}) < 2"),
       V{"promql/count-of-states 5:12"}},
      {"a count of a condition compared the other way round",
       alert("2 > count(kube_node_status_condition{condition=\"Ready\", status=\"true\"})"),
       V{"promql/count-of-states 5:16"}},
      // Counted, the series that hold are none when none holds (alerts/count-never-zero); added up, 0.
      {"a count of the series that hold", alert("count(kube_pod_status_phase{phase=\"Running\"} == 1) < 2"),
       V{"alerts/count-never-zero 5:12"}},
      {"a sum of the state series", alert("sum(kube_pod_status_phase{phase=\"Running\"}) < 2"), V{}},
      {"a count of every node, as a denominator",
       alert("count(kube_node_status_condition{condition=\"Ready\", status=\"true\"} == 1) / "
             "count(kube_node_status_condition{condition=\"Ready\", status=\"true\"}) < 0.9"),
       // Not a count of states; the numerator is none when no node is Ready, silent there.
       V{"alerts/count-never-zero 5:12"}},
      {"a count of a series that is not a state", alert("count(kube_pod_info{namespace=\"prod\"}) < 2"), V{}},
      // review35: NAV's amplitude-proxy. kube-state-metrics writes kube_pod_container_status_running
      // for every container, 0 when it is not running (pod.go at c92fe0c5).
      {"a count of a container gauge compared",
       alert("count(kube_pod_container_status_running{container=\"amplitude-proxy\"}) < 2"),
       V{"promql/count-of-states 5:12"}},
      {"a count of an init container's ready gauge compared",
       alert("count by (pod) (kube_pod_init_container_status_ready{namespace=\"prod\"}) < 2"),
       V{"promql/count-of-states 5:12"}},
      {"a count of the containers that run", alert("count(kube_pod_container_status_running == 1) < 2"),
       V{"alerts/count-never-zero 5:12"}},
      {"whether a container has a series at all",
       alert("count(kube_pod_container_status_running{container=\"x\"}) > 0"), V{}},
      {"a sum of a container gauge", alert("sum(kube_pod_container_status_running{container=\"x\"}) < 2"), V{}},
      {"a count of a container reason series", alert("count(kube_pod_container_status_waiting_reason) > 5"), V{}},
  });
}

// Thanos' mixin (8f50211, a shipped-bugs case) read time() - timestamp(heartbeat time): the age of
// the scrape, not of the heartbeat the value holds.
TEST_CASE("label flow: timestamp() of a series whose value is a time", "[lint][label-flow]") {
  run_cases({
      {"the age of a heartbeat's scrape",
       alert("time() - max by (job) (timestamp(thanos_sidecar_last_heartbeat_success_time_seconds)) >= 240"),
       V{"promql/timestamp-of-time 5:35"}},
      // Beyond the 5m lookback the age of a scrape is never seen either: both are said.
      {"the age of a creation time's scrape", alert("time() - timestamp(kube_pod_created) > 600"),
       V{"promql/impossible 5:12", "promql/timestamp-of-time 5:21"}},
      {"the age of the time the value holds",
       alert("time() - max by (job) (thanos_sidecar_last_heartbeat_success_time_seconds) >= 240"), V{}},
      {"a clock's skew reads the value too", alert("abs(timestamp(node_time_seconds) - node_time_seconds) > 1"), V{}},
      {"the value's age at the scrape", alert("timestamp(x_last_sync_timestamp) - x_last_sync_timestamp > 3600"), V{}},
      {"a duration's staleness", alert("time() - timestamp(job_duration_seconds) > 120"), V{}},
  });
}

// Understack's CnpgLastBackupTooOld (review31) read time() - sum by (namespace) of each pod's
// last-backup time: with three pods the sum is no time, the difference is below 0, and the alert
// never fired.
TEST_CASE("label flow: a sum of Unix times read as a time", "[lint][label-flow]") {
  run_cases({
      {"the sum over the pods a regex picks",
       alert("time() - sum by (namespace) (x_last_available_backup_timestamp{pod=~\"db-[1-9]\"}) > 86400"),
       V{"units/sum-of-times 5:21"}},
      {"a sum over nothing known", alert("time() - sum(x_last_backup_timestamp) > 86400"),
       V{"units/sum-of-times 5:21"}},
      {"a sum of milliseconds", alert("time() - sum(x_last_backup_timestamp) / 1000 > 86400"),
       V{"units/sum-of-times 5:21"}},
      {"the mean of two written out", alert("time() - sum(x_last_backup_timestamp) / 2 > 86400"), V{}},
      {"a sum compared with a time", alert("sum(kube_cronjob_status_last_schedule_time) < time() - 3600"),
       V{"units/sum-of-times 5:12"}},
      {"a sum of the samples of a range", alert("time() - sum_over_time(x_last_success_timestamp_seconds[10m]) > 600"),
       V{"units/sum-of-times 5:21"}},
      {"the latest",
       alert("time() - max by (namespace) (x_last_available_backup_timestamp{pod=~\"db-[1-9]\"}) > 86400"), V{}},
      {"a sum as a test that a series exists",
       alert("sum by (name) (x_created_timestamp_seconds{phase=\"Failed\"}) > 0"), V{}},
      {"a sum of ages", alert("sum(time() - x_last_success_timestamp_seconds) > 600"), V{}},
      {"a sum of durations", alert("time() - sum(x_duration_seconds) > 600"), V{}},
      {"without () keeps every series apart", alert("time() - sum without () (x_last_backup_timestamp) > 86400"), V{}},
      {"a by of every label kube-state-metrics writes",
       alert("time() - sum by (namespace, cronjob) (kube_cronjob_status_last_schedule_time) > 3600"), V{}},
      {"a range of one scrape", alert("time() - sum_over_time(x_last_success_timestamp_seconds[1m]) > 600"), V{}},
      {"a difference of two sums", alert("sum(x_end_timestamp_seconds) - sum(x_start_timestamp_seconds) > 600"), V{}},
  });
}

TEST_CASE("label flow: the config's jobs and intervals", "[lint][label-flow]") {
  run_cases({
      {"a window under two samples of the only job that scrapes it", alert("rate(errors_total[90s]) > 1"),
       V{"config/rate-window 5:17"}, kConfig},
      {"a window of two samples of that job", alert("rate(errors_total[2m]) > 1"), V{}, kConfig},
      {"a job no scrape config has", alert("up{job=\"detector\"} == 0"), V{"config/unknown-job 5:15"}, kConfig},
      {"a job of the config", alert("up{job=\"node\"} == 0"), V{}, kConfig},
      {"no config: any job", alert("up{job=\"detector\"} == 0"), V{}},
  });
}

TEST_CASE("label flow: correct rules stay quiet", "[lint][label-flow]") {
  const std::string two_groups = "groups:\n- name: a\n  rules:\n  - alert: TargetDown\n    expr: up{job=\"a\"} == 0\n"
                                 "- name: b\n  rules:\n  - alert: TargetDown\n    expr: up{job=\"b\"} == 0\n";
  const std::string same_twice = "groups:\n- name: a\n  rules:\n  - alert: TargetDown\n    expr: up{job=\"a\"} == 0\n"
                                 "- name: b\n  rules:\n  - alert: TargetDown\n    expr: up{job=\"a\"} == 0\n";
  run_cases({
      {"one alert name over disjoint selectors in two groups", two_groups, V{}},
      {"the same alert twice", same_twice, V{"rules/duplicate-rule 8:12"}},
      {"topk folded into one series", alert("min(topk(10, foo)) > 5000"), V{}},
      {"topk in an alert", alert("topk(10, foo) > 5000"), V{"alerts/topk 5:12"}},
      {"absent () as a filter", alert("up{job=\"x\"} == 0 and on () absent(foo)"), V{}},
      {"absent () as the alert", alert("absent(foo)"), V{"alerts/absent-without-for 4:12"}},
      // One judge of cost: a long range is named only above the cost model's floor.
      {"a daily baseline of a handful of series",
       alert("avg_over_time(sum(rate(errors_total[5m]))[1d:5m] offset 1h) > 1"), V{}},
      {"a 30d subquery over every image",
       alert("max(max_over_time(sum by (image_id) (detections_before_nms)[30d:])) > 1"),
       V{"rules/expensive-range 5:30"}},
  });
}

TEST_CASE("label flow: duplicates that never collide, groups of one, histogram forms", "[lint][label-flow]") {
  auto rules = [](const std::string& body) { return "groups:\n- name: g\n  rules:\n" + body; };
  auto rule = [](const std::string& kind, const std::string& name, const std::string& expr,
                 const std::string& labels = "") {
    return "  - " + kind + ": " + name + "\n    expr: '" + expr + "'\n" +
           (labels.empty() ? "" : "    labels: {" + labels + "}\n");
  };
  run_cases({
      // Alertmanager tells alerts apart by their labels: job on one result, never on the other.
      {"one alert name, a label only one result carries",
       rules(rule("alert", "Down", "up{job=\"s\"} == 0") +
             rule("alert", "Down", "sum by (instance) (up{job=\"s\"} > 0) unless sum by (instance) (foo)")),
       V{}},
      // Rules with other labels are other alerts; the pair with the same labels is told apart by
      // its mountpoint.
      {"other labels, then disjoint selectors",
       rules(rule("alert", "DiskFull", "avail{mountpoint=\"/data\"} < 35", "severity: warn") +
             rule("alert", "DiskFull", "avail{mountpoint=\"/data\"} < 25", "severity: error") +
             rule("alert", "DiskFull", "avail{mountpoint=\"/\"} < 20", "severity: error")),
       V{}},
      {"one condition split in two",
       rules(rule("alert", "Q", "queue_length > 0") + rule("alert", "Q", "queue_length == 0")), V{}},
      // mirceanton/home-ops' NodeMemoryHighUtilization: a ZFS node passes the join with the ARC
      // size, another only the unless of it (tests/data/review-corpus/proofs/review15.test.yml).
      {"one alert name, a join with G and an unless of G",
       rules(rule("alert", "M", "(1 - ((avail + on (instance) group_left () arc) / total)) * 100 > 90") +
             rule("alert", "M", "(1 - (avail / total)) * 100 > 90 unless on (instance) arc")),
       V{}},
      {"one alert name, a join with G and an unless of another",
       rules(rule("alert", "M", "(1 - ((avail + on (instance) group_left () arc) / total)) * 100 > 90") +
             rule("alert", "M", "(1 - (avail / total)) * 100 > 90 unless on (instance) swap")),
       V{"rules/duplicate-rule 6:12"}},
      // cortex-jsonnet 90f451e: one alert name for a timestamp too old and one never set.
      {"a gate on every label that the other condition excludes",
       rules(rule("alert", "C", "(time() - ts > 86400) and (ts > 0)") + rule("alert", "C", "ts == 0")), V{}},
      {"a gate on some labels excludes nothing",
       rules(rule("alert", "C", "(time() - ts > 86400) and on (instance) (ts > 0)") + rule("alert", "C", "ts == 0")),
       V{"rules/duplicate-rule 6:12"}},
      {"overlapping conditions",
       rules(rule("alert", "Q", "queue_length > 0") + rule("alert", "Q", "queue_length > 10")),
       V{"rules/duplicate-rule 6:12"}},
      // Omnibus GitLab's WorkhorseHighErrorRate: the split is under the alert's threshold.
      {"one condition split in two, under arithmetic and a threshold",
       rules(rule("alert", "Q", "(queue_length < 10) * 100 > 50") +
             rule("alert", "Q", "(queue_length > 10) * 100 > 2000 and on () up")),
       V{}},
      {"a split under an aggregation is no split of its series",
       rules(rule("alert", "Q", "sum(queue_length < 10) > 50") + rule("alert", "Q", "sum(queue_length > 10) > 10")),
       V{"rules/duplicate-rule 6:12"}},
      {"the rule's own label is no separation",
       rules(rule("alert", "Q", "queue_length{severity=\"a\"} > 0", "severity: x") +
             rule("alert", "Q", "queue_length{severity=\"b\"} > 1", "severity: x")),
       V{"rules/duplicate-rule 7:12"}},
      // A histogram's classic and native forms: Prometheus stores one of them.
      {"classic and native forms of one histogram",
       rules(rule("record", "job:lat_seconds:p99",
                  "histogram_quantile(0.99, sum by (job, le) (rate(lat_seconds_bucket[1m])))") +
             rule("record", "job:lat_seconds:p99", "histogram_quantile(0.99, sum by (job) (rate(lat_seconds[1m])))")),
       V{}},
      {"a native histogram has no le", alert("histogram_quantile(0.9, sum by (job) (rate(lat_seconds[5m]))) > 1"), V{}},
      {"a classic histogram's le dropped",
       alert("histogram_quantile(0.9, sum by (job) (rate(lat_seconds_bucket[5m]))) > 1"),
       V{"promql/histogram-quantile-le 5:36"}},
      {"VictoriaMetrics buckets keep vmrange",
       alert("histogram_quantile(0.99, sum by (job, vmrange) (increase(q_bucket[5m]))) > 1"), V{}},
      // NaN spreads only where a group holds several series.
      {"NaN under sum by the recorded series' every label",
       rules(rule("record", "cluster:r:ratio",
                  "sum by (cluster) (rate(a_total[5m])) / sum by (cluster) (rate(b_total[5m]))") +
             rule("alert", "A", "sum by (cluster) (cluster:r:ratio) > 1")),
       V{}},
      {"NaN under sum of several series",
       rules(rule("record", "cluster:r:ratio",
                  "sum by (cluster) (rate(a_total[5m])) / sum by (cluster) (rate(b_total[5m]))") +
             rule("alert", "A", "sum(cluster:r:ratio) > 1")),
       V{"promql/nan-in-aggregation 7:12"}},
      // label_replace changes labels, not values: a sum of counters stays one.
      {"a recording rule that copies a scraped counter under its own name (Kubermatic's VPA rule)",
       rules(rule("record", "cpu_seconds_total",
                  "label_replace(sum by (pod) (cpu_seconds_total{job=\"cadvisor\"}), \"job\", \"vpa\", \"\", \"\")") +
             rule("alert", "A", "sum(rate(cpu_seconds_total{job=\"cadvisor\"}[5m])) > 1")),
       V{"rules/record-naming 4:13"}},
      {"rate of a recorded sum of counters, through label_replace",
       rules(
           rule("record", "job:errors:sum", "label_replace(sum by (job) (errors_total), \"team\", \"a\", \"\", \"\")") +
           rule("alert", "A", "rate(job:errors:sum[5m]) > 1")),
       V{"promql/sum-then-rate 7:12"}},
  });
}

// A template's label that only the "one" side of the join carries: the help says to copy it.
TEST_CASE("label flow: a template label the join did not copy", "[lint][label-flow]") {
  auto help = [](const std::string& expr) {
    core::SourceFile src("r.yml", alert(expr, "{{ $labels.version }}"));
    std::vector<core::Diagnostic> diags;
    lint::Input in;
    in.rule_files.push_back(rules::load_rule_file(src, diags));
    lint::Options opt;
    opt.catalog = &catalog::none();
    for (const auto& d : lint::run(in, opt))
      if (d.check.id() == "labels/template-label-lost") return d.suggestion;
    return std::string("no finding");
  };
  CHECK(
      help("sum by (instance) (rate(e_total[5m])) * on (instance) group_left max by (instance, version) (info) > 1") ==
      "the right side of group_left has version: copy it with group_left (version)");
  // Lost by the aggregation above the join: the join is not where it went.
  CHECK(help("sum by (node) (a * on (instance) group_left (node) max by (instance, node, version) (info)) > 1") ==
        "keep it in the aggregation, e.g. sum by (version, ...)");
}

// Strangers' files (issue 56's second corpus, tests/data/review-corpus: monitoring-mixins, SAP's
// helm-charts), linted as a mixed repository is: --catalog none. Each false class found there has
// its case, and a twin whose finding is true.
