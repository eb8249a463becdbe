// Well-known exporters' series (catalog/exporters.hpp, rules/exporters.yml): the facts load, and
// lint-rules uses them under --catalog none: a value an exporter never writes, and a label one side
// of a match has and the other cannot. Each bad case has a correct twin that must stay quiet.
#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/lint/lint.hpp"
#include "test_lint_exporters_support.hpp"

using namespace nsmon;

using namespace nsmon::testing::exporters;

TEST_CASE("exporters: the embedded facts load and are found by series name", "[exporters]") {
  const auto& known = catalog::exporters();
  const catalog::ExporterMetric* failed = known.find("alertmanager_notifications_failed_total");
  REQUIRE(failed);
  CHECK(failed->exporter->name == "Alertmanager");
  CHECK(failed->exporter->closed);
  REQUIRE(failed->label("reason"));
  CHECK(failed->label("reason")->since == "0.26");
  CHECK(failed->label("receiver_name")->maybe != "");
  CHECK(known.find("node_md_disks")->label("state")->values == V{"active", "failed", "spare"});
  CHECK(known.find("node_md_disk") == nullptr); // a name, not a prefix
  CHECK(failed->exporter->labels == V{"group_key", "integration", "reason", "receiver_name", "state"});
  // Renamed metrics: by name, by prefix; replacements that only the newer releases serve.
  CHECK(known.renamed("node_cpu").now == "node_cpu_seconds_total");
  CHECK(known.renamed("node_cpu").exporter->name == "node_exporter");
  CHECK(known.renamed("node_cpu_seconds_total").exporter == nullptr);
  CHECK(known.renamed("kube_hpa_spec_max_replicas").now == "kube_horizontalpodautoscaler_spec_max_replicas");
  CHECK(known.replacement("node_cpu_seconds_total").newer_only);
  CHECK(known.replacement("kube_horizontalpodautoscaler_spec_max_replicas").newer_only);
  CHECK(known.replacement("kube_node_status_capacity").exporter != nullptr);
  CHECK_FALSE(known.replacement("kube_node_status_capacity").newer_only); // served by 1.x too
  CHECK(known.replacement("node_load1").exporter == nullptr);
  // windows_exporter renamed in two releases, an entry for each (kubernetes-mixin 46578c1).
  CHECK(known.renamed("windows_system_system_up_time").now == "windows_system_boot_time_timestamp_seconds");
  CHECK(known.renamed("windows_system_system_up_time").exporter->renamed.since == "0.30.0");
  CHECK(known.renamed("windows_system_boot_time_timestamp_seconds").now == "windows_system_boot_time_timestamp");
  CHECK(known.renamed("windows_system_boot_time_timestamp_seconds").exporter->renamed.since == "0.31.0");
  CHECK(known.replacement("windows_pagefile_free_bytes").newer_only);
  CHECK_FALSE(known.replacement("windows_memory_physical_free_bytes").newer_only); // served before 0.31.0 too
  // vmalert 1.147.0 to 1.149.0 served the group's results limit under a name 1.150.0 changed.
  CHECK(known.renamed("vmalert_rule_group_results_limit").now == "vmalert_group_rule_results_limit");
  CHECK(known.replacement("vmalert_group_rule_results_limit").newer_only);
  // Gauges by name and by prefix; a prefix's _total names are its counters.
  REQUIRE(known.gauge("node_memory_MemAvailable_bytes"));
  CHECK(known.gauge("node_memory_MemAvailable_bytes")->name == "node_exporter");
  CHECK(known.gauge("node_load15"));
  CHECK(known.gauge("node_filesystem_avail_bytes"));
  CHECK(known.gauge("node_memory_numa_numa_hit_total") == nullptr);
  CHECK(known.gauge("node_memory_swap_in_bytes_total") == nullptr);
  CHECK(known.gauge("node_vmstat_pswpin") == nullptr);
  CHECK(known.gauge("node_load") == nullptr);
  REQUIRE(known.always_one("node_uname_info"));
  CHECK(known.gauge("node_uname_info"));
  CHECK(known.always_one("node_load1") == nullptr);
  // OpenPAI's watchdog writes a series per node, pod and container, each 1 (microsoft/pai e9be29a).
  REQUIRE(known.always_one("pai_node_count"));
  CHECK(known.always_one("pai_node_count")->name == "OpenPAI watchdog");
  // Levels an exporter passes on untyped, said apart from the gauges it types.
  REQUIRE(known.untyped("mysql_global_status_threads_running"));
  CHECK(known.untyped("mysql_global_status_threads_running")->gauges.untyped_from == "MySQL's SHOW GLOBAL STATUS");
  CHECK(known.gauge("mysql_global_status_threads_running"));
  CHECK(known.gauge("mysql_global_status_threads_created") == nullptr);
  CHECK(known.untyped("pg_stat_activity_count") == nullptr);
  CHECK(known.gauge("pg_stat_activity_count")->name == "postgres_exporter");
  // The labels a store writes on every metric of a resource, by name prefix.
  REQUIRE(known.family("kube_pod_container_status_restarts_total"));
  CHECK(known.family("kube_pod_container_status_restarts_total")->labels == V{"namespace", "pod", "container"});
  CHECK(known.family("kube_pod_container_status_restarts_total")->exporter->name == "kube-state-metrics");
  CHECK(known.family("kube_poddisruptionbudget_status_current_healthy")->labels ==
        V{"namespace", "poddisruptionbudget"});
  CHECK(known.family("kube_serviceaccount_info") == nullptr);
  CHECK(known.family("kube_node_info")->labels == V{"node"});
}

TEST_CASE("exporters: the loader refuses what it does not know", "[exporters]") {
  core::SourceFile src("e.yml", "exporters:\n- {name: x, source: s, license: l, version: '1'}\n- name: y\n  closed: "
                                "true\n  metrics:\n    m:\n      l: {value: [a]}\n");
  std::vector<core::Diagnostic> diags;
  auto e = catalog::load_exporters(src, diags);
  REQUIRE(diags.size() == 5);
  CHECK(diags[0].message == "an exporter needs a 'metrics' mapping"); // x
  CHECK(diags[1].message == "an exporter has no 'source'");           // y, as the three others
  CHECK(diags[4].span.line == 7);                                     // value for values
  CHECK(e.find("m") != nullptr);
  // untyped_by_label: each level's metric, label and values, and where they come from.
  core::SourceFile by("e.yml", "exporters:\n- {name: x, source: s, license: l, version: '1', metrics: {}, gauges: "
                               "{read: r, untyped_by_label: [{metric: m, label: l}]}}\n");
  std::vector<core::Diagnostic> by_diags;
  catalog::load_exporters(by, by_diags);
  REQUIRE(by_diags.size() == 2);
  CHECK(by_diags[0].message == "untyped_by_label needs 'metric', 'label' and 'values'");
  CHECK(by_diags[1].message == "gauges has untyped levels but no 'untyped_from' (what they come from)");
}

TEST_CASE("exporters: a family's labels that tell a target's things apart", "[exporters][lint]") {
  core::SourceFile src("e.yml", "exporters:\n- name: x\n  source: s\n  license: l\n  version: '1'\n  metrics: {}\n"
                                "  families:\n    read: r\n    prefixes: {x_disk_: [device, host]}\n"
                                "    apart:\n      x_disk_: {device: disk, serial: disk}\n      x_cpu_: {cpu: CPU}\n");
  std::vector<core::Diagnostic> diags;
  auto e = catalog::load_exporters(src, diags);
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].message == "apart's serial is not one of its prefix's labels");
  CHECK(diags[0].span.line == 11);
  CHECK(diags[1].message == "apart's prefixes must be prefixes' too, each a {label: what} mapping");
  const catalog::ExporterFamily* f = e.family("x_disk_reads_total");
  REQUIRE(f != nullptr);
  CHECK(f->apart == std::vector<std::pair<std::string, std::string>>{{"device", "disk"}});
}

TEST_CASE("exporters: the labels that pin one of a family's apart series", "[exporters]") {
  core::SourceFile src("e.yml", "exporters:\n- name: x\n  source: s\n  license: l\n  version: '1'\n  metrics: {}\n"
                                "  families:\n    read: r\n    prefixes: {x_disk_: [device], x_cpu_: [host]}\n"
                                "    apart: {x_disk_: {device: disk}}\n"
                                "    pins: {x_disk_: [[serial], [host, path]], x_cpu_: [[cpu]], x_net_: [[dev]]}\n");
  std::vector<core::Diagnostic> diags;
  auto e = catalog::load_exporters(src, diags);
  // x_cpu_ has no apart label to pin, x_net_ is no prefix.
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].message == "pins' prefixes must be apart's too, each a list of label lists");
  const catalog::ExporterFamily* f = e.family("x_disk_reads_total");
  REQUIRE(f != nullptr);
  CHECK(f->pins == std::vector<std::vector<std::string>>{{"serial"}, {"host", "path"}});
}

TEST_CASE("exporters: the most one series of a whole grows a second", "[exporters]") {
  core::SourceFile src("e.yml",
                       "exporters:\n- name: x\n  source: s\n  license: l\n  version: '1'\n  metrics: {}\n"
                       "  adds_up: {read: r, why: w, names: [x_cpu_seconds_total, x_busy_seconds_total],"
                       " label: mode, how: h, at_most: 1, each: e}\n"
                       "- name: y\n  source: s\n  license: l\n  version: '1'\n  metrics: {}\n"
                       "  adds_up: {read: r, why: w, names: [y_seconds_total], label: mode, how: h, at_most: 1}\n");
  std::vector<core::Diagnostic> diags;
  auto e = catalog::load_exporters(src, diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message == "adds_up: at_most and each go together");
  const catalog::ExporterWhole* w = e.adds_up("x_busy_seconds_total");
  REQUIRE(w != nullptr);
  CHECK(w->at_most == 1);
  CHECK(w->each == "e");
  REQUIRE(e.adds_up("y_seconds_total") != nullptr);
  CHECK(e.adds_up("y_seconds_total")->at_most == 0);
}

TEST_CASE("exporters: attempt_dates map an attempt's time to its success's", "[exporters]") {
  core::SourceFile src("e.yml", "exporters:\n- name: x\n  source: s\n  license: l\n  version: '1'\n  metrics: {}\n"
                                "  gauges:\n    read: r\n    attempt_dates: {x_last_run: x_last_ok, x_bad: [a]}\n");
  std::vector<core::Diagnostic> diags;
  auto e = catalog::load_exporters(src, diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message == "attempt_dates' value must be a metric name");
  const catalog::Exporter* by = nullptr;
  const auto* d = e.attempt_date("x_last_run", &by);
  REQUIRE(d != nullptr);
  CHECK(d->second == "x_last_ok");
  CHECK(by->name == "x");
  CHECK(e.attempt_date("x_last_ok", nullptr) == nullptr);
  CHECK(e.attempt_date("x_bad", nullptr) == nullptr);
}

TEST_CASE("exporters: rate() of a level an exporter passes on untyped", "[exporters][lint]") {
  auto f = lint_one("rate(mysql_global_status_threads_running[1m]) > 40");
  REQUIRE(where(f) == V{"promql/rate-on-gauge 5:12"});
  CHECK(f.at(0).message == "rate() of mysql_global_status_threads_running, which mysqld_exporter passes on untyped "
                           "from MySQL's SHOW GLOBAL STATUS, a level (a value of now): rate only makes sense for "
                           "counters (a level's fall reads as a counter's reset)");
  // Threads_created counts; postgres_exporter's and redis_exporter's gauges; a WAL position only
  // grows and is no fact.
  CHECK(where(lint_one("rate(mysql_global_status_threads_created[1m]) > 40")).empty());
  CHECK(where(lint_one("rate(pg_stat_activity_max_tx_duration[2m]) > 120")) == V{"promql/rate-on-gauge 5:12"});
  CHECK(where(lint_one("rate(pg_xlog_location_bytes[5m]) > 1e6")).empty());
  CHECK(where(lint_one("increase(redis_connected_clients[5m]) > 10")) == V{"promql/rate-on-gauge 5:12"});
}

// awesome-prometheus-alerts c37ef8f (tests/data/shipped-bugs): mongodb_exporter writes serverStatus's
// connections untyped as one metric told apart by conn_type: the open connections now beside the
// connections created since the start. rate() of the first is of a level.
TEST_CASE("exporters: rate() of a level an exporter passes on untyped beside counts", "[exporters][lint]") {
  auto f = lint_one("rate(mongodb_ss_connections{conn_type=\"current\"}[1m]) > 1");
  REQUIRE(where(f) == V{"promql/rate-on-gauge 5:12"});
  CHECK(f.at(0).message ==
        "rate() of mongodb_ss_connections{conn_type=\"current\"}, which mongodb_exporter passes on untyped from "
        "MongoDB's serverStatus, a level (a value of now): rate only makes sense for counters (a level's fall "
        "reads as a counter's reset)");
  // The connections created (a count), every conn_type at once, a regex: quiet.
  CHECK(where(lint_one("rate(mongodb_ss_connections{conn_type=\"totalCreated\"}[5m]) > 1")).empty());
  CHECK(where(lint_one("sum(rate(mongodb_ss_connections[5m])) > 1")).empty());
  CHECK(where(lint_one("rate(mongodb_ss_connections{conn_type=~\"current|totalCreated\"}[5m]) > 1")).empty());
  // ingress-nginx's request counter has no _total (cloudposse helmfiles 5cff206).
  CHECK(where(lint_one("nginx_ingress_controller_requests > 100000")) == V{"promql/counter-raw 5:12"});
  CHECK(where(lint_one("rate(nginx_ingress_controller_requests[5m]) > 100")).empty());
  // The same under --compatible-mode's name (jsonnet-libs 9d4cbb7, wl4g's MongodbTooManyConnections).
  CHECK(where(lint_one("rate(mongodb_connections{state=\"current\"}[1m]) > 1")) == V{"promql/rate-on-gauge 5:12"});
  CHECK(where(lint_one("rate(mongodb_connections{state=\"totalCreated\"}[5m]) > 1")).empty());
  // The facts as loaded: the levels' values only.
  const catalog::Exporter* by = catalog::exporters().untyped_level("mongodb_ss_connections", "conn_type", "available");
  REQUIRE(by);
  CHECK(by->gauges.untyped_from == "MongoDB's serverStatus");
  CHECK(!catalog::exporters().untyped_level("mongodb_ss_connections", "conn_type", "totalCreated"));
}

// awesome-prometheus-alerts e009c5d: MySQL's Slow_queries counts since the server started, and
// mysqld_exporter passes it on untyped: above 0 as the alert's whole condition, it never resolves.
TEST_CASE("exporters: a MySQL count mysqld_exporter passes on untyped, read raw", "[exporters][lint]") {
  const catalog::Exporter* mysqld = catalog::exporters().counter("mysql_global_status_slow_queries");
  REQUIRE(mysqld);
  CHECK(mysqld->counters_untyped_from == "MySQL's SHOW GLOBAL STATUS");
  CHECK(catalog::exporters().counter("mysql_global_status_commands_total") == mysqld);
  CHECK(catalog::exporters().counter("mysql_global_status_threads_running") == nullptr);
  auto f = lint_one("mysql_global_status_slow_queries > 0");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message == "mysql_global_status_slow_queries is a counter (mysqld_exporter at 0.20.0 passes it on "
                           "untyped from MySQL's SHOW GLOBAL STATUS, whose documentation describes it as a count "
                           "since the server started): as the alert's whole condition, above 0 holds from the first "
                           "event it counts until the process restarts, so the alert keeps firing long after that "
                           "event");
  // Its rate; a level it passes on untyped (Threads_running); the count beside another condition, a guard.
  CHECK(where(lint_one("rate(mysql_global_status_slow_queries[5m]) > 0")).empty());
  CHECK(where(lint_one("mysql_global_status_threads_running > 40")).empty());
  CHECK(where(lint_one("mysql_global_status_slow_queries > 0 and mysql_up == 1")).empty());
}

// CloudNativePG's sample rules compare cnpg_pg_stat_database_deadlocks > 10: a COUNTER column of its
// default queries, PostgreSQL's deadlocks since the statistics were last reset, which a restart keeps.
TEST_CASE("exporters: a counter whose count outlives the process's restart", "[exporters][lint]") {
  auto f = lint_one("cnpg_pg_stat_database_deadlocks > 10");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message == "cnpg_pg_stat_database_deadlocks is a counter (CloudNativePG's source at 1.30.0): its raw "
                           "value only grows, so this comparison depends on when PostgreSQL's statistics were last "
                           "reset");
  f = lint_one("cnpg_pg_stat_archiver_failed_count > 0");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message.ends_with("until PostgreSQL's statistics are reset, so the alert keeps firing long after that "
                                  "event"));
  // Its increase; a time the default queries mark COUNTER (the replication backend's start) is no count.
  CHECK(where(lint_one("increase(cnpg_pg_stat_database_deadlocks[5m]) > 10")).empty());
  CHECK(where(lint_one("cnpg_pg_stat_replication_backend_start > 0")).empty());
}

// review29: minhtt159's EnvoyUpstreamUnhealthy compares membership_healthy < membership_total, two
// gauges of Envoy's (the hosts now): no counter guessed from the _total; its upstream_rq_total, a
// counter, is still named like one, and rate() of the gauge is reported.
TEST_CASE("exporters: Envoy's cluster membership_total is a gauge", "[exporters][lint]") {
  CHECK(where(lint_one("envoy_cluster_membership_healthy < envoy_cluster_membership_total")).empty());
  CHECK(where(lint_one("envoy_cluster_upstream_rq_total > 100")) == V{"promql/counter-raw 5:12"});
  auto f = lint_one("rate(envoy_cluster_membership_total[5m]) > 0");
  REQUIRE(where(f) == V{"promql/rate-on-gauge 5:12"});
  CHECK(f.at(0).message.find("which Envoy writes as a gauge") != std::string::npos);
}

// review20: david-driscoll's LokiProxyUnhealthy, (1 - avg(rate(probe_success[5m]))) > 0.1, fires while
// every probe succeeds (rate 0); the success ratio is avg_over_time, and blackbox_exporter's
// probe_http_duration_seconds is not declared, so it stays quiet.
TEST_CASE("exporters: rate() of blackbox_exporter's probe_success", "[exporters][lint]") {
  auto f = lint_one("(1 - avg(rate(probe_success{probe=\"loki-http\"}[5m]))) > 0.1");
  REQUIRE(where(f) == V{"promql/rate-on-gauge 5:21"});
  CHECK(f.at(0).message == "rate() of probe_success, which blackbox_exporter writes as a gauge: rate only makes "
                           "sense for counters (a gauge's fall reads as a counter's reset)");
  CHECK(where(lint_one("(1 - avg(avg_over_time(probe_success[5m]))) > 0.1")).empty());
  CHECK(where(lint_one("rate(probe_http_duration_seconds[5m]) > 1")).empty());
}

// review24: the vCluster bundle's VclusterControlPlaneOOMKilled took increase() of a kube-state-metrics
// gauge written as 1 from its first sample: it never rises, and the alert never fired.
TEST_CASE("exporters: increase() of kube-state-metrics' state gauges", "[exporters][lint]") {
  auto f = lint_one("increase(kube_pod_container_status_last_terminated_reason{reason=\"OOMKilled\"}[15m]) > 0");
  REQUIRE(where(f) == V{"promql/rate-on-gauge 5:12"});
  CHECK(f.at(0).message.find("which kube-state-metrics writes as a gauge") != std::string::npos);
  CHECK(where(lint_one("rate(kube_pod_status_ready{condition=\"false\"}[5m]) > 0")) == V{"promql/rate-on-gauge 5:12"});
  // The restarts counter, and kube_job_status_failed, a gauge whose count only grows within a Job:
  // not listed, quiet.
  CHECK(where(lint_one("increase(kube_pod_container_status_restarts_total[1h]) > 3")).empty());
  CHECK(where(lint_one("increase(kube_job_status_failed[10m]) > 0")).empty());
}

TEST_CASE("exporters: an always-1 state gauge compared above 1", "[exporters][lint]") {
  // OpenPAI's watchdog writes pai_node_count as 1, the node's state in its labels: `> 1` never
  // holds (microsoft/pai e9be29a); `> 0` keeps the nodes in that state, the matcher its condition.
  CHECK(where(lint_one("pai_node_count{ready!=\"true\"} > 1")) == V{"promql/impossible 5:12"});
  CHECK(where(lint_one("pai_node_count{ready!=\"true\"} > 0")).empty());
  // Read whole, or picked by target only, `> 0` keeps every node: the alert fires for each.
  CHECK(where(lint_one("pai_node_count > 0")) == V{"promql/always-true 5:12"});
  CHECK(where(lint_one("pai_node_count{job=\"pai-watchdog\"} >= 1")) == V{"promql/always-true 5:12"});
}

TEST_CASE("exporters: min() over several values of a one-hot label", "[exporters][lint]") {
  // kube-state-metrics writes a series per phase for each pod, at most one of them 1: the min of a
  // pod's Running and Succeeded series is 0, so `< 1` holds for every pod, and `== 1` for none
  // (cypr0's PodNotReady).
  auto f = lint_one("min(kube_pod_status_phase{phase=~\"Running|Succeeded\"}) by (pod) < 1");
  REQUIRE(where(f) == V{"promql/always-true 5:12"});
  CHECK(f.at(0).message ==
        "min() over phase Running, Succeeded of kube_pod_status_phase is always 0 (kube-state-metrics writes, for "
        "each object, a series per phase, at most one of them 1 and the others 0); this comparison with 1 is always "
        "true: it removes nothing");
  CHECK(where(lint_one("min by (namespace, pod) (kube_pod_status_phase{phase=~\"Pending|Unknown\"}) == 1")) ==
        V{"promql/impossible 5:12"});
  CHECK(where(lint_one("min by (node) (kube_node_status_condition{condition=\"Ready\"}) == 0")) ==
        V{"promql/always-true 5:12"});
  // One value, the label kept, max() (1 when the pod is in either phase).
  CHECK(where(lint_one("min by (pod) (kube_pod_status_phase{phase=\"Running\"}) < 1")).empty());
  CHECK(where(lint_one("min by (pod, phase) (kube_pod_status_phase{phase=~\"Running|Succeeded\"}) < 1")).empty());
  CHECK(where(lint_one("max by (pod) (kube_pod_status_phase{phase=~\"Pending|Unknown\"}) == 1")).empty());
  CHECK(
      where(lint_one("min by (node) (kube_node_status_condition{condition=\"Ready\", status=\"true\"}) == 0")).empty());
}

TEST_CASE("exporters: a value the exporter never writes", "[exporters][lint]") {
  auto fail = lint_one("node_md_disks{state=\"fail\"} > 0");
  CHECK(where(fail) == V{"exporters/unknown-label-value 5:26"});
  CHECK(fail.at(0).message ==
        "node_exporter writes state on node_md_disks only as active, failed, spare (its source at 1.9.1): "
        "state=\"fail\" matches none of them: this selector never selects a series");
  CHECK(fail.at(0).suggestion == "did you mean state=\"failed\"?");
  CHECK(where(lint_one("node_md_disks{state=\"failed\"} > 0")).empty());
  // The same under the application's catalog, which does not define the name.
  CHECK(where(lint_one("node_md_disks{state=\"fail\"} > 0", catalog::embedded())) ==
        V{"exporters/unknown-label-value 5:26"});

  // A catalog that defines the name speaks for it.
  core::SourceFile own("c.yml",
                       "catalog_version: 1\nmetrics:\n- {name: node_md_disks, type: gauge, help: h, unit: count, "
                       "stage: system, labels: {state: {values: [fail, ok]}}}\n");
  std::vector<core::Diagnostic> loaded;
  const catalog::Catalog mine = catalog::load(own, loaded);
  REQUIRE(loaded.empty());
  CHECK(where(lint_one("node_md_disks{state=\"fail\"} > 0", mine)).empty());

  // Two values swapped: the hint puts them back.
  // (kube_hpa_ is kube-state-metrics 1's name: a note says 2.0.0 renamed it.)
  auto swapped = lint_one("kube_hpa_status_condition{condition=\"false\", status=\"AbleToScale\"} == 1");
  CHECK(where(swapped) == V{"exporters/renamed-metric 5:12", "exporters/unknown-label-value 5:57"});
  CHECK(swapped.at(1).suggestion == "did you swap the values? condition=\"AbleToScale\", status=\"false\"");
  CHECK(where(lint_one("kube_hpa_status_condition{status=\"false\", condition=\"AbleToScale\"} == 1")) ==
        V{"exporters/renamed-metric 5:12"});

  // A regex that accepts none of the values; one that accepts some is the author's business.
  CHECK(where(lint_one("kube_pod_status_phase{phase=~\"Evicted|Terminated\"} == 1")) ==
        V{"exporters/unknown-label-value 5:34"});
  CHECK(where(lint_one("kube_pod_status_phase{phase=~\"Failed|Evicted\"} == 1")).empty());
  CHECK(where(lint_one("kube_pod_status_phase{phase!=\"Running\"} == 1")).empty());
  // node_exporter's CPU modes are those of every platform it runs on.
  auto idle = lint_one("avg by (instance) (rate(node_cpu_seconds_total{mode=\"idel\"}[5m])) < 0.1");
  CHECK(where(idle) == V{"exporters/unknown-label-value 5:59"});
  CHECK(idle.at(0).suggestion == "did you mean mode=\"idle\"?");
  CHECK(where(lint_one("avg by (instance) (rate(node_cpu_seconds_total{mode=\"interrupt\"}[5m])) > 0.5")).empty());
  CHECK(where(lint_one("alertmanager_silences{state=\"Active\"} > 100")).size() == 1);
  // An open label (a condition's name) is never judged.
  CHECK(where(lint_one("kube_node_status_condition{condition=\"Raedy\", status=\"true\"} == 0")).empty());
  // A label a version added: a matcher that accepts its absence matches the older series.
  CHECK(where(lint_one("rate(prometheus_tsdb_head_samples_appended_total{type=~\"|foo\"}[5m]) > 0")).empty());
  CHECK(where(lint_one("rate(prometheus_tsdb_head_samples_appended_total{type=\"floats\"}[5m]) > 0")) ==
        V{"exporters/unknown-label-value 5:61"});
}

// lint-rules' findings of `check` on rule files {path, rules}, as "path:line:col severity".
V lint_files(const std::vector<std::pair<std::string, std::string>>& files, std::string_view check,
             std::vector<std::string>* messages = nullptr) {
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  std::deque<core::SourceFile> sources; // the rule files point into them
  for (const auto& [path, text] : files)
    in.rule_files.push_back(
        rules::load_rule_file(sources.emplace_back(path, "groups:\n- name: g\n  rules:\n" + text), diags));
  lint::Options opt;
  opt.catalog = &catalog::none();
  auto found = lint::run(in, opt);
  core::sort_diagnostics(found);
  V out;
  for (const auto& d : found)
    if (d.check.id() == check) {
      out.push_back(d.span.file.str() + ":" + std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " +
                    std::string(core::to_string(d.severity)));
      if (messages) messages->push_back(d.message);
    }
  return out;
}

// node_exporter 6f1286b3 (tests/data/shipped-bugs): the node-mixin's CPU count kept mode="idle",
// which node_load1 never carries (node_exporter writes no label on the load averages), so the load
// per CPU matched nothing.
TEST_CASE("exporters: node_exporter's load averages carry no label of their own", "[exporters][lint]") {
  const std::string count = "  - record: instance:node_num_cpu:sum\n    expr: count without (cpu) "
                            "(node_cpu_seconds_total{job=\"node\",mode=\"idle\"})\n";
  std::vector<std::string> said;
  CHECK(lint_files({{"a.yml", count + "  - record: r\n    expr: node_load1{job=\"node\"} / "
                                      "instance:node_num_cpu:sum{job=\"node\"}\n"}},
                   "labels/impossible-match", &said) == V{"a.yml:7:11 warning"});
  CHECK(said.at(0).starts_with("the two sides of '/' can never match: only the right side has mode (node_exporter "));
  CHECK(said.at(0).ends_with(" writes node_load1 without mode): the expression never returns anything"));
  // The fix drops mode; ignoring(mode) leaves it out of the match; a name of the user's own beside
  // node_load1 (a textfile script's) is no load average: quiet.
  const std::string fixed = "  - record: instance:node_num_cpu:sum\n    expr: count without (cpu, mode) "
                            "(node_cpu_seconds_total{job=\"node\",mode=\"idle\"})\n";
  CHECK(lint_files({{"a.yml", fixed + "  - record: r\n    expr: node_load5 / instance:node_num_cpu:sum\n"}},
                   "labels/impossible-match")
            .empty());
  CHECK(lint_files({{"a.yml", count + "  - record: r\n    expr: node_load15 / ignoring (mode) "
                                      "instance:node_num_cpu:sum\n"}},
                   "labels/impossible-match")
            .empty());
  CHECK(lint_files({{"a.yml", count + "  - record: r\n    expr: node_load_average_1m / instance:node_num_cpu:sum\n"}},
                   "labels/impossible-match")
            .empty());
}

// kube-prometheus e1ed501 (tests/data/shipped-bugs): the label of the name prometheus-operator
// 0.24.0 replaced, read on the new name: every series got service="alertmanager-".
TEST_CASE("exporters: a label_replace that reads groups of a label the exporter never writes", "[exporters][lint]") {
  auto found = [](const std::string& expr) {
    std::vector<Found> out;
    for (auto& f : lint_one(expr))
      if (f.where.starts_with("exporters/label-replace-unwritten ")) out.push_back(std::move(f));
    return out;
  };
  const std::string replicas = "prometheus_operator_spec_replicas{job=\"prometheus-operator\"}";
  auto bad = found("label_replace(" + replicas + ", \"service\", \"alertmanager-$1\", \"alertmanager\", \"(.*)\")");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].message == "label_replace reads alertmanager, a label prometheus-operator never writes on "
                          "prometheus_operator_spec_replicas (its source at main at 6adcebc50): the regex meets only "
                          "the empty value, and every series gets service=\"alertmanager-\"");
  CHECK(bad[0].suggestion == "read a label prometheus_operator_spec_replicas carries (namespace, name, controller)");
  CHECK(found("label_replace(node_load1, \"x\", \"${1}-$$\", \"cpu\", \"(.*)\")")
            .at(0)
            .message.ends_with("every series gets x=\"-$\""));
  // The fix (name); a constant replacement (the idiom that sets a label); a regex the empty value
  // fails; the old name, which has the label; a label of an open exporter's metric; a side of an or
  // that may carry it: quiet.
  CHECK(found("label_replace(" + replicas + ", \"service\", \"alertmanager-$1\", \"name\", \"(.*)\")").empty());
  CHECK(found("label_replace(" + replicas + ", \"service\", \"alertmanager\", \"alertmanager\", \".*\")").empty());
  CHECK(found("label_replace(" + replicas + ", \"service\", \"am-$1\", \"alertmanager\", \"(.+)\")").empty());
  CHECK(found("label_replace(prometheus_operator_alertmanager_spec_replicas, \"service\", \"am-$1\", "
              "\"alertmanager\", \"(.*)\")")
            .empty());
  CHECK(found("label_replace(node_md_disks, \"x\", \"$1\", \"alertmanager\", \"(.*)\")").empty());
  CHECK(found("label_replace(" + replicas + " or my_replicas, \"service\", \"am-$1\", \"alertmanager\", \"(.*)\")")
            .empty());
}

// jsonnet-libs d34855f (tests/data/shipped-bugs): Cassandra's count of hints written since the node
// started, compared raw.
TEST_CASE("exporters: Cassandra's hints written is a counter", "[exporters][lint]") {
  CHECK(lint_files({{"a.yml", "  - alert: A\n    expr: cassandra_storage_totalhints_count > 1\n"}},
                   "promql/counter-raw") == V{"a.yml:5:11 warning"});
  // Its increase, and a _count of Cassandra's that no fact names (a gauge's count of tasks): quiet.
  CHECK(lint_files({{"a.yml", "  - alert: A\n    expr: increase(cassandra_storage_totalhints_count[5m]) > 1\n"}},
                   "promql/counter-raw")
            .empty());
  CHECK(lint_files({{"a.yml", "  - alert: A\n    expr: cassandra_threadpools_currentlyblockedtasks_count > 0\n"}},
                   "promql/counter-raw")
            .empty());
}

TEST_CASE("exporters: a label the exporter writes only as a decimal number", "[exporters][lint]") {
  // node_exporter 0.16.0 and later write cpu="0" on node_cpu_seconds_total; 0.15's node_cpu had cpu="cpu0".
  auto old = lint_one("rate(node_cpu_seconds_total{cpu=\"cpu0\", mode=\"idle\"}[5m]) < 0.1");
  CHECK(where(old) == V{"exporters/unknown-label-value 5:40"});
  CHECK(old.at(0).message ==
        "node_exporter writes cpu on node_cpu_seconds_total only as a decimal number (the CPU's index: \"0\", where "
        "0.15.2's node_cpu wrote \"cpu0\"; its source at 1.12.1): cpu=\"cpu0\" matches none: this selector never "
        "selects a series");
  CHECK(where(lint_one("node_cpu_seconds_total{cpu=~\"cpu[0-9]+\"} > 0")) == V{"exporters/unknown-label-value 5:35"});
  // A number, a regex that may match one, a negative matcher: quiet.
  CHECK(where(lint_one("rate(node_cpu_seconds_total{cpu=\"0\", mode=\"idle\"}[5m]) < 0.1")).empty());
  CHECK(where(lint_one("rate(node_cpu_seconds_total{cpu=~\"1[0-5]|cpu0\", mode=\"idle\"}[5m]) < 0.1")).empty());
  CHECK(where(lint_one("rate(node_cpu_seconds_total{cpu!=\"cpu0\", mode=\"idle\"}[5m]) < 0.1")).empty());
}

TEST_CASE("exporters: a label_replace whose regex matches no value the exporter writes", "[exporters][lint]") {
  const std::string rec = "groups:\n- name: g\n  rules:\n  - record: instance:node_cpu:relabel\n    expr: ";
  auto found = [&](const std::string& expr) { return where(lint_text(rec + "'" + expr + "'\n")); };
  // node_exporter cee3866: 0.16's cpu="0" never matched "cpu(.+)", so the old cpu="cpu0" was never made.
  auto bad = lint_text(rec + "'label_replace(node_cpu_seconds_total, \"cpu\", \"$1\", \"cpu\", \"cpu(.+)\")'\n");
  REQUIRE(where(bad) == V{"exporters/label-replace-no-match 5:12"});
  CHECK(bad.at(0).message ==
        "label_replace changes no series: node_exporter writes cpu on node_cpu_seconds_total only as a decimal number "
        "(the CPU's index: \"0\", where 0.15.2's node_cpu wrote \"cpu0\"; its source at 1.12.1): cpu=~\"cpu(.+)\" "
        "matches none, nor the empty value of a series without cpu");
  CHECK(found("sum by (cpu) (label_replace(rate(node_cpu_seconds_total[5m]), \"core\", \"$1\", \"cpu\", "
              "\"cpu([0-9]+)\"))") == V{"exporters/label-replace-no-match 5:26"});
  // A closed set: node_md_disks' state is active, failed or spare.
  CHECK(found("label_replace(node_md_disks, \"s\", \"$1\", \"state\", \"(fail)\")") ==
        V{"exporters/label-replace-no-match 5:12"});
  CHECK(found("label_replace(node_md_disks, \"s\", \"$1\", \"state\", \"(fail).*\")").empty());
  // The fix, a regex that takes the empty value too, an unknown label or metric, another metric beside
  // it, or a label_replace under it that may write cpu: quiet.
  CHECK(found("label_replace(node_cpu_seconds_total, \"cpu\", \"cpu$1\", \"cpu\", \"(.+)\")").empty());
  CHECK(found("label_replace(node_cpu_seconds_total, \"cpu\", \"$1\", \"cpu\", \"cpu(.*)|\")").empty());
  CHECK(found("label_replace(node_cpu_seconds_total, \"x\", \"$1\", \"instance\", \"cpu(.+)\")").empty());
  CHECK(found("label_replace(my_cpu_seconds_total, \"cpu\", \"$1\", \"cpu\", \"cpu(.+)\")").empty());
  CHECK(found("label_replace(node_cpu_seconds_total or my_cpu_total, \"cpu\", \"$1\", \"cpu\", \"cpu(.+)\")").empty());
  CHECK(found("label_replace(label_replace(node_cpu_seconds_total, \"cpu\", \"cpu$1\", \"cpu\", \"(.+)\"), "
              "\"cpu\", \"$1\", \"cpu\", \"cpu(.+)\")")
            .empty());
}

TEST_CASE("exporters: a name near one the exporter serves, which none of its releases served", "[exporters][lint]") {
  const auto& known = catalog::exporters();
  CHECK(known.misspelt("kube_deployment_status_replicas_avaliable").near ==
        "kube_deployment_status_replicas_available");
  CHECK(known.misspelt("kube_pod_container_status_restart_total").near == "kube_pod_container_status_restarts_total");
  CHECK(known.misspelt("kube_pod_status_container_ready").how == "the same words in another order");
  // Served by some release (0.x's allocateable too), renamed (renamed-metric's), the users' own
  // prefix, another component's, or near nothing.
  CHECK(known.misspelt("kube_node_status_allocateable_pods").exporter == nullptr);
  CHECK(known.misspelt("kube_deployment_status_replicas_available").exporter == nullptr);
  CHECK(known.misspelt("kube_hpa_status_current_replicas").exporter == nullptr);
  CHECK(known.misspelt("kube_customresource_deployment_status_replicas_availabl").exporter == nullptr);
  CHECK(known.misspelt("kube_pod_resource_request").exporter == nullptr);
  CHECK(known.misspelt("kube_pod_windows_container_resource_memory_request").exporter == nullptr);
  const std::string bad = "  - alert: A\n    expr: kube_pod_container_status_restart_total > 3\n";
  std::vector<std::string> said;
  CHECK(lint_files({{"a.yml", bad}}, "exporters/misspelt-metric", &said) == V{"a.yml:5:11 warning"});
  CHECK(said.at(0) == "kube-state-metrics served no metric kube_pod_container_status_restart_total in any release "
                      "from 0.1.0 to 2.20.0, and kube_pod_container_status_restarts_total is one letter away: unless "
                      "a component other than kube-state-metrics serves it under kube_, this selector selects nothing");
  // A name the rules record is theirs.
  CHECK(lint_files({{"a.yml", bad + "  - record: kube_pod_container_status_restart_total\n    expr: x\n"}},
                   "exporters/misspelt-metric")
            .empty());
}

TEST_CASE("exporters: windows_exporter's names none of its releases served", "[exporters][lint]") {
  const auto& known = catalog::exporters();
  CHECK(known.misspelt("windows_net_bytes_recieved_total").near == "windows_net_bytes_received_total");
  CHECK(known.misspelt("windows_logical_disk_free").how == "the same name with _bytes");
  // _total left off: no scrape takes it off (an OpenMetrics one adds it, so _total added is no slip).
  CHECK(known.misspelt("windows_cpu_time").near == "windows_cpu_time_total");
  CHECK(known.misspelt("windows_cpu_time").how == "the same name with _total");
  CHECK(known.misspelt("node_cpu_seconds").near == "node_cpu_seconds_total");
  CHECK(known.misspelt("windows_os_processes_limit_total").exporter == nullptr);
  // Served by the current release, by old ones only (0.13.0 to 0.28.2's service status; 0.16.0's own
  // misspelt limix), renamed (renamed-metric's), or built from the user's configuration: quiet.
  CHECK(known.misspelt("windows_cpu_time_total").exporter == nullptr);
  CHECK(known.misspelt("windows_service_status").exporter == nullptr);
  CHECK(known.misspelt("windows_os_process_memory_limix_bytes").exporter == nullptr);
  CHECK(known.misspelt("windows_net_packets_received_discarded").exporter == nullptr);
  CHECK(known.misspelt("windows_perfdata_memory_cache_faults_sec").exporter == nullptr);
  // 0.13.0 renamed the prefix wmi_ windows_: each name a release before served is renamed; a misspelt
  // one is misspelt, and one dropped before 0.13.0 has no replacement to read.
  CHECK(known.renamed("wmi_cpu_time_total").now == "windows_cpu_time_total");
  CHECK(known.misspelt("wmi_net_bytes_recieved_total").near == "wmi_net_bytes_received_total");
  CHECK(known.renamed("wmi_net_bytes_recieved_total").exporter == nullptr);
  CHECK(known.renamed("wmi_os_processes_max").exporter == nullptr);
  CHECK(known.misspelt("wmi_os_processes_max").exporter == nullptr);
  std::vector<std::string> said;
  CHECK(lint_files({{"a.yml", "  - alert: A\n    expr: rate(windows_net_bytes_recieved_total[5m]) > 1e9\n"}},
                   "exporters/misspelt-metric", &said) == V{"a.yml:5:16 warning"});
  CHECK(said.at(0).starts_with("windows_exporter served no metric windows_net_bytes_recieved_total in any release "
                               "from 0.13.0 to 0.31.8, and windows_net_bytes_received_total is one letter away"));
  // kubernetes-mixin e819780: 0.16.0 (2021) gave the network counters _total.
  said.clear();
  CHECK(lint_files({{"a.yml", "  - record: r\n    expr: irate(windows_net_packets_received_discarded[1m])\n"}},
                   "exporters/renamed-metric", &said) == V{"a.yml:5:17 warning"});
  CHECK(said.at(0).starts_with("windows_exporter 0.16.0 (2021) replaced windows_net_packets_received_discarded with "
                               "windows_net_packets_received_discarded_total, and every release since"));
}

// A name a later release renamed again: who follows the first step alone still reads a name no
// release serves, so the finding follows the chain to the name served now.
TEST_CASE("exporters: a chain of renames names the name served now", "[exporters][lint]") {
  const catalog::Exporters& known = catalog::exporters();
  CHECK(known.renames("wmi_net_packets_received_discarded").size() == 2);
  CHECK(known.renames("wmi_system_system_up_time").back().now == "windows_system_boot_time_timestamp");
  // A merged metric's matchers end the chain; a name renamed once is one step.
  CHECK(known.renames("kube_node_status_ready").size() == 1);
  CHECK(known.renames("windows_net_packets_received_discarded").size() == 1);
  CHECK(known.renames("windows_net_packets_received_discarded_total").empty());
  auto renamed = [](const std::string& expr) {
    std::vector<Found> out;
    for (auto& f : lint_one(expr))
      if (f.where.starts_with("exporters/renamed-metric ")) out.push_back(std::move(f));
    return out;
  };
  // wmi_exporter's name: windows_ in 0.13.0 (2020), _total in 0.16.0 (2021), both old: a warning.
  auto chained = renamed("rate(wmi_net_packets_received_discarded[5m]) > 1");
  REQUIRE(where(chained) == V{"exporters/renamed-metric 5:17"});
  CHECK(chained[0].message == "windows_exporter 0.13.0 (2020) replaced wmi_net_packets_received_discarded with "
                              "windows_net_packets_received_discarded, which 0.16.0 (2021) replaced with "
                              "windows_net_packets_received_discarded_total, and every release since serves only "
                              "the new name: this selector selects nothing on windows_exporter 0.13.0 and later");
  CHECK(chained[0].suggestion == "read windows_net_packets_received_discarded_total");
  // Renamed in 0.30.0 and again in 0.31.0 (2025): the fix names both, for targets not yet upgraded.
  auto young = renamed("time() - windows_system_system_up_time < 600");
  REQUIRE(where(young) == V{"exporters/renamed-metric 5:21"});
  CHECK(young[0].message.find(", which 0.31.0 (2025) replaced with windows_system_boot_time_timestamp") !=
        std::string::npos);
  CHECK(young[0].suggestion == "read windows_system_boot_time_timestamp (windows_exporter 0.31.0 and later; "
                               "windows_system_boot_time_timestamp_seconds before) if your windows_exporter is 0.30.0 "
                               "or later");
  // The name served now is quiet.
  CHECK(renamed("rate(windows_net_packets_received_discarded_total[5m]) > 1").empty());
}

TEST_CASE("exporters: node_exporter's, Prometheus's and Alertmanager's names none of their releases served",
          "[exporters][lint]") {
  const auto& known = catalog::exporters();
  CHECK(known.misspelt("prometheus_rule_evaluation_failure_total").near == "prometheus_rule_evaluation_failures_total");
  CHECK(known.misspelt("prometheus_tsdb_wal_trucations_failed_total").near ==
        "prometheus_tsdb_wal_truncations_failed_total");
  CHECK(known.misspelt("prometheus_sd_kubernetes_workqueue_dept").near == "prometheus_sd_kubernetes_workqueue_depth");
  CHECK(known.misspelt("prometheus_operator_syncs").exporter == nullptr);
  CHECK(known.misspelt("net_conntrack_dialer_conn_failed_totals").near == "net_conntrack_dialer_conn_failed_total");
  CHECK(known.misspelt("node_filesystem_avail_byte").near == "node_filesystem_avail_bytes");
  CHECK(known.misspelt("node_filesytem_size_bytes").near == "node_filesystem_size_bytes");
  CHECK(known.misspelt("node_load_1").near == "node_load1");
  CHECK(known.misspelt("node_seconds_boot_time").how == "the same words in another order");
  CHECK(known.misspelt("alertmanager_notifications_failed_totals").near == "alertmanager_notifications_failed_total");
  CHECK(known.misspelt("alertmanager_notification_latency_second").near == "alertmanager_notification_latency_seconds");
  // A name the releases served under a prefix whose names a collector builds from what it reads is
  // named when a name outside it is near one.
  CHECK(known.misspelt("node_memroy_MemAvailable_bytes").near == "node_memory_MemAvailable_bytes");
  // Served by some release (0.15's node_filesystem_free too); under a prefix whose names a collector
  // builds from what it reads (/proc/meminfo's fields); a textfile script's; a recording rule's.
  CHECK(known.misspelt("node_filesystem_free").exporter == nullptr);
  CHECK(known.misspelt("node_memory_MemAvailabe_bytes").exporter == nullptr);
  CHECK(known.misspelt("node_md_disk_info").exporter == nullptr);
  CHECK(known.misspelt("node_load1:").exporter == nullptr);
  // A letter changed that makes another word: a short one (gpu, not cpu: another program serves
  // node_gpu_info), or one the exporter's names use (stats, not state); a longer slip is one.
  CHECK(known.misspelt("node_gpu_info").exporter == nullptr);
  CHECK(known.misspelt("node_cooling_device_cur_stats").exporter == nullptr);
  CHECK(known.misspelt("node_cooling_device_cur_stade").near == "node_cooling_device_cur_state");
  CHECK(known.misspelt("node_filesystem_avail_bites").near == "node_filesystem_avail_bytes");
  // A histogram's series are other_names: never near-names, as not every name is a histogram's.
  CHECK(known.misspelt("alertmanager_notification_latency_seconds_count").exporter == nullptr);
  CHECK(known.misspelt("alertmanager_notification_latency_seconds_counts").exporter == nullptr);
}

// kubermatic 40d264b (tests/data/shipped-bugs): a served name with a base unit's suffix added or
// left out, before a counter's or a histogram's suffix too. Not _total: an OpenMetrics scrape adds it
// to a counter's name.
TEST_CASE("exporters: a served name with a unit's suffix added or left out", "[exporters][lint]") {
  const auto& known = catalog::exporters();
  const auto readonly = known.misspelt("node_filesystem_readonly_bytes");
  CHECK(readonly.near == "node_filesystem_readonly");
  CHECK(readonly.how == "the same name without _bytes");
  CHECK(known.misspelt("alertmanager_notification_latency").how == "the same name with _seconds");
  CHECK(known.misspelt("node_cpu_guest_total").near == "node_cpu_guest_seconds_total");
  CHECK(known.misspelt("alertmanager_notification_latency").near == "alertmanager_notification_latency_seconds");
  // Served by some release (0.15's node_filesystem_size), _total added, or no served name either way.
  CHECK(known.misspelt("node_filesystem_size").exporter == nullptr);
  CHECK(known.misspelt("node_filesystem_readonly_total").exporter == nullptr);
  CHECK(known.misspelt("node_filesystem_frobnicate_bytes").exporter == nullptr);
}

// machine-api-operator d83dfa8 (tests/data/shipped-bugs): a Unix time's _timestamp_seconds left out
// (or added) is a unit's slip too.
TEST_CASE("exporters: a served name with _timestamp_seconds added or left out", "[exporters][lint]") {
  const auto& known = catalog::exporters();
  const auto created = known.misspelt("mapi_machine_created");
  CHECK(created.near == "mapi_machine_created_timestamp_seconds");
  CHECK(created.how == "the same name with _timestamp_seconds");
  CHECK(known.misspelt("mapi_machine_items_timestamp_seconds").how == "the same name without _timestamp_seconds");
  // _seconds alone is the base unit's slip; served names, another component's, a name near none: quiet.
  CHECK(known.misspelt("mapi_machine_created_timestamp").how == "the same name with _seconds");
  CHECK(known.misspelt("mapi_machine_created_timestamp_seconds").exporter == nullptr);
  CHECK(known.misspelt("mapi_current_pending_csr").exporter == nullptr);
  CHECK(known.misspelt("mapi_machine_phase_transition_seconds_count").exporter == nullptr);
  CHECK(known.misspelt("mapi_nvidia_carbide_machines_managed").exporter == nullptr);
  std::vector<std::string> said;
  CHECK(lint_files({{"a.yml", "  - alert: A\n    expr: (mapi_machine_created unless on(node) kube_node_info) > 0\n"}},
                   "exporters/misspelt-metric", &said) == V{"a.yml:5:12 warning"});
  CHECK(said.at(0) ==
        "machine-api-operator served no metric mapi_machine_created in any release from OpenShift 4.2 to "
        "5.2, and mapi_machine_created_timestamp_seconds is the same name with _timestamp_seconds: unless "
        "a component other than machine-api-operator serves it under mapi_, this selector selects "
        "nothing");
}

// etcd 13a8634 (tests/data/shipped-bugs): etcd's own alert read member where every release serves
// peer. One word changed is a slip in a long name only, never the prefix or the series' kind, and
// only under a prefix whose word_slips says no other program names long series under it.
TEST_CASE("exporters: a long served name with one word changed", "[exporters][lint]") {
  const auto& known = catalog::exporters();
  const auto member = known.misspelt("etcd_network_member_round_trip_time_seconds_bucket");
  CHECK(member.near == "etcd_network_peer_round_trip_time_seconds_bucket");
  CHECK(member.how == "the same name with peer for member");
  // Served by etcd (2.x's names too) or by kube-apiserver under etcd_; a short name; the last word
  // (a summary's _max is no histogram's _bucket); two words changed: quiet.
  CHECK(known.misspelt("etcd_network_peer_round_trip_time_seconds_bucket").exporter == nullptr);
  CHECK(known.misspelt("etcd_http_successful_duration_second_bucket").exporter == nullptr);
  CHECK(known.misspelt("etcd_request_duration_seconds_bucket").exporter == nullptr);
  CHECK(known.misspelt("etcd_object_counts").exporter == nullptr);
  CHECK(known.misspelt("etcd_server_is_follower").exporter == nullptr);
  CHECK(known.misspelt("etcd_network_peer_round_trip_time_seconds_max").exporter == nullptr);
  CHECK(known.misspelt("etcd_network_member_round_trip_delay_seconds_bucket").exporter == nullptr);
  // Under a prefix other programs name long series under (word_slips unset): Volcano's, not a slip.
  CHECK(known.misspelt("kube_pod_volcano_container_status_running").exporter == nullptr);
  std::vector<std::string> said;
  CHECK(lint_files({{"a.yml", "  - alert: A\n    expr: histogram_quantile(0.99, "
                              "rate(etcd_network_member_round_trip_time_seconds_bucket[5m])) > 0.15\n"}},
                   "exporters/misspelt-metric", &said) == V{"a.yml:5:41 warning"});
  CHECK(said.at(0) == "etcd served no metric etcd_network_member_round_trip_time_seconds_bucket in any release from "
                      "2.1.0 to 3.7.1, and etcd_network_peer_round_trip_time_seconds_bucket is the same name with "
                      "peer for member: unless a component other than etcd serves it under etcd_, this selector "
                      "selects nothing");
}

// postgres_exporter rebuilds pg_process_idle_seconds from the sessions idle now at each scrape
// (rules/exporters.yml): its count above 0 is "a session idle now", no counter's "ever since".
TEST_CASE("exporters: a histogram an exporter rebuilds from the state now is no counter", "[exporters][lint]") {
  CHECK(lint_files({{"a.yml", "  - alert: A\n    expr: pg_process_idle_seconds_count > 0\n"}}, "promql/counter-raw")
            .empty());
  CHECK(lint_files({{"a.yml", "  - alert: A\n    expr: pg_restore_duration_seconds_count > 0\n"}},
                   "promql/counter-raw") == V{"a.yml:5:11 warning"});
}

TEST_CASE("exporters: node_exporter's device, mountpoint and fstype, which it writes on every series of a family",
          "[exporters][lint]") {
  const auto& known = catalog::exporters();
  REQUIRE(known.family("node_network_receive_errs_total") != nullptr);
  CHECK(known.family("node_network_receive_errs_total")->labels == std::vector<std::string>{"device"});
  CHECK(known.family("node_filesystem_avail_bytes")->labels ==
        std::vector<std::string>{"device", "fstype", "mountpoint"});
  // netclass's transmit_queue_length had interface in 0.17.0; 0.6.0 to 0.10.0's filesystem label.
  CHECK(known.family("node_cpu_seconds_total")->labels == std::vector<std::string>{"cpu", "mode"});
  CHECK(known.family("node_network_transmit_queue_length") == nullptr);
  CHECK(known.family("node_filesystem_files") == nullptr);
  const std::string rule = "  - alert: NetErr\n    expr: rate(node_network_receive_errs_total[5m]) > 1\n"
                           "    annotations:\n      summary: '{{ $labels.interface }} errors'\n";
  std::vector<std::string> said;
  CHECK(lint_files({{"a.yml", rule}}, "labels/template-label-typo", &said) == V{"a.yml:7:28 warning"});
  CHECK(said.at(0).find("device is a label of its result (node_exporter writes it on every node_network_receive_* "
                        "series") != std::string::npos);
}

// awesome-prometheus-alerts 05c4716 (tests/data/shipped-bugs): Kubernetes 1.18.0 removed the metrics
// 1.14 deprecated, each replacement served since 1.14 (its older_too): reading both, or a
// replacement, says nothing of the version; the old name alone is a warning (2020).
TEST_CASE("exporters: a metric Kubernetes 1.18 removed", "[exporters][lint]") {
  const std::string old_latency =
      "  - alert: L\n    expr: histogram_quantile(0.99, sum by (le) (rate(apiserver_request_latencies_bucket[5m]))) "
      "/ 1e6 > 1\n";
  std::vector<std::string> said;
  CHECK(lint_files({{"k/a.yml", old_latency}}, "exporters/renamed-metric", &said) == V{"k/a.yml:5:54 warning"});
  CHECK(said.at(0) == "Kubernetes 1.18.0 (2020) replaced apiserver_request_latencies_bucket with "
                      "apiserver_request_duration_seconds_bucket, and every release since serves only the new name: "
                      "this selector selects nothing on Kubernetes 1.18.0 and later");
  // Its replacement, beside the old name in the directory: the replacement is no evidence (1.14 to
  // 1.17 served both), and it is quiet itself.
  const std::string total = "  - alert: E\n    expr: sum(rate(apiserver_request_total{code=~\"5..\"}[5m])) > 1\n";
  CHECK(lint_files({{"k/a.yml", old_latency}, {"k/b.yml", total}}, "exporters/renamed-metric") ==
        V{"k/a.yml:5:54 warning"});
  CHECK(lint_files({{"k/b.yml", total}}, "exporters/renamed-metric").empty());
  // client-go's rest_client_ names are other programs' too, at their own versions: not listed.
  CHECK(lint_files({{"k/c.yml", "  - alert: R\n    expr: rate(rest_client_request_latency_seconds_count[5m]) > 1\n"}},
                   "exporters/renamed-metric")
            .empty());
}

TEST_CASE("exporters: a metric the exporter renamed", "[exporters][lint]") {
  const std::string old_cpu =
      "  - record: instance:node_cpus:count\n    expr: count without (cpu) (node_cpu{mode=\"idle\"})\n";
  const std::string new_fs =
      "  - alert: DiskFull\n    expr: node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1\n";
  // Alone, the file may have been right for the node_exporter it was written for, but 0.16.0 is of
  // 2018 (renames_as_of 2026-11-28): no deployment is expected to predate it, a warning.
  std::vector<std::string> said;
  CHECK(lint_files({{"a/old.yml", old_cpu}}, "exporters/renamed-metric", &said) == V{"a/old.yml:5:32 warning"});
  CHECK(said.at(0) ==
        "node_exporter 0.16.0 (2018) replaced node_cpu with node_cpu_seconds_total, and every release "
        "since serves only the new name: this selector selects nothing on node_exporter 0.16.0 and later");
  // Beside rules of the same directory that read a name only 0.16.0 and later serve: one of the two is
  // empty on every target.
  said.clear();
  CHECK(lint_files({{"a/old.yml", old_cpu}, {"a/new.yml", new_fs}}, "exporters/renamed-metric", &said) ==
        V{"a/old.yml:5:32 warning"});
  CHECK(said.at(0).find("these rules also read node_filesystem_avail_bytes (a/new.yml:5)") != std::string::npos);
  // A rule that reads both names is written for both releases: quiet, and no evidence either.
  const std::string both = "  - record: cpu:rate5m\n    expr: rate(node_cpu_seconds_total[5m]) or rate(node_cpu[5m])\n";
  CHECK(lint_files({{"a/both.yml", both}}, "exporters/renamed-metric").empty());
  // A name the files record is theirs (the upgrade guide's compatibility rules record node_cpu).
  const std::string compat = "  - record: node_cpu\n    expr: node_cpu_seconds_total\n";
  CHECK(lint_files({{"a/c.yml", compat + old_cpu}}, "exporters/renamed-metric").empty());
  // The other way: a rule that records the new name from the old serves 0.15 and older under the
  // name 0.16.0 gives (node_exporter's docs/example-16-compatibility-rules.yml, mine63), and its
  // old name is not evidence against the rules that read the new one.
  const std::string shim = "  - record: node_disk_read_bytes_total\n    expr: node_disk_bytes_read\n"
                           "  - record: node_cpu_seconds_total\n"
                           "    expr: label_replace(node_cpu, \"cpu\", \"cpu$1\", \"cpu\", \"(.+)\")\n";
  CHECK(lint_files({{"a/shim.yml", shim}, {"a/new.yml", new_fs}}, "exporters/renamed-metric").empty());
  // Recorded under another name, the old name is read as any reader's.
  CHECK(lint_files({{"a/r.yml", "  - record: disk:read_bytes\n    expr: node_disk_bytes_read\n"}},
                   "exporters/renamed-metric") == V{"a/r.yml:5:11 warning"});
  // windows_exporter 0.30.0 (2025-01-14) is under kOldChangeYears old: a file written for 0.29 was
  // right for it and its deployment may not have upgraded yet, a note with the release.
  const std::string up_time = "  - alert: Rebooted\n    expr: windows_system_system_up_time > time() - 600\n";
  const std::string pagefile = "  - alert: Paging\n    expr: windows_pagefile_free_bytes < 1e9\n";
  said.clear();
  CHECK(lint_files({{"w/a.yml", up_time}}, "exporters/renamed-metric", &said) == V{"w/a.yml:5:11 info"});
  CHECK(said.at(0) == "windows_exporter 0.30.0 (2025) replaced windows_system_system_up_time with "
                      "windows_system_boot_time_timestamp_seconds, which 0.31.0 (2025) replaced with "
                      "windows_system_boot_time_timestamp: with windows_exporter 0.30.0 or later this selector "
                      "selects nothing");
  // Beside rules of the same directory that read a name only 0.30.0 and later serve: a warning.
  CHECK(lint_files({{"w/a.yml", up_time}, {"w/b.yml", pagefile}}, "exporters/renamed-metric") ==
        V{"w/a.yml:5:11 warning"});
  // Another directory is another project's rules, maybe for another fleet: no evidence.
  CHECK(lint_files({{"w/a.yml", up_time}, {"v/b.yml", pagefile}}, "exporters/renamed-metric") ==
        V{"w/a.yml:5:11 info"});
  // A rule that reads both names is no evidence of the release for the others.
  const std::string paging_both =
      "  - alert: P\n    expr: windows_pagefile_free_bytes or windows_os_paging_free_bytes\n";
  CHECK(lint_files({{"w/both.yml", paging_both}, {"w/a.yml", up_time}}, "exporters/renamed-metric") ==
        V{"w/a.yml:5:11 info"});
  // Nor is a replacement that releases before the rename served too (0.31.0's older_too).
  const std::string mem_old = "  - alert: M\n    expr: windows_os_physical_memory_free_bytes < 1e9\n";
  const std::string mem_new = "  - alert: N\n    expr: windows_memory_physical_free_bytes < 1e9\n";
  CHECK(lint_files({{"w/m.yml", mem_old}, {"w/n.yml", mem_new}}, "exporters/renamed-metric") == V{"w/m.yml:5:11 info"});
  // kube-state-metrics 2.0.0 (2021): a prefix renamed, and metrics replaced by a label of another.
  const std::string ksm1 =
      "  - alert: Req\n    expr: sum by (node) (kube_pod_container_resource_requests_cpu_cores) > 4\n";
  said.clear();
  CHECK(lint_files({{"k/a.yml", ksm1}}, "exporters/renamed-metric", &said) == V{"k/a.yml:5:26 warning"});
  CHECK(
      said.at(0).starts_with("kube-state-metrics 2.0.0 (2021) replaced kube_pod_container_resource_requests_cpu_cores "
                             "with kube_pod_container_resource_requests{resource=\"cpu\"}, and every release since"));
  said.clear();
  CHECK(lint_files({{"k/h.yml", "  - alert: H\n    expr: kube_hpa_status_current_replicas == 0\n"}},
                   "exporters/renamed-metric", &said) == V{"k/h.yml:5:11 warning"});
  CHECK(said.at(0).find("with kube_horizontalpodautoscaler_status_current_replicas") != std::string::npos);
  // Prometheus 2.1.0 (2018) prefixed the WAL's two counters that 2.0.0 still served as tsdb_wal_*
  // (kube-prometheus 78bec4e).
  const std::string wal = "  - alert: Wal\n    expr: tsdb_wal_corruptions_total{job=\"prometheus\"} > 0\n";
  said.clear();
  CHECK(lint_files({{"p/w.yml", wal}}, "exporters/renamed-metric", &said) == V{"p/w.yml:5:11 warning"});
  CHECK(said.at(0).starts_with("Prometheus 2.1.0 (2018) replaced tsdb_wal_corruptions_total with "
                               "prometheus_tsdb_wal_corruptions_total, and every release since"));
  // smartctl_exporter 0.10.0 dropped smartctl_device_status (helm-charts 41298e7) on 2023-08-10,
  // three years before renames_as_of.
  said.clear();
  CHECK(lint_files({{"s/a.yml", "  - alert: Smart\n    expr: smartctl_device_status != 1\n"}},
                   "exporters/renamed-metric", &said) == V{"s/a.yml:5:11 warning"});
  CHECK(said.at(0).starts_with("smartctl_exporter 0.10.0 (2023) replaced smartctl_device_status with "
                               "smartctl_device_smart_status"));
  // Thanos 0.17.0 (2020) renamed the querier's DNS metrics and the compactor's (thanos 4513d0d).
  const std::string dns = "  - alert: Dns\n    expr: rate(thanos_querier_store_apis_dns_failures_total[5m]) > 1\n";
  CHECK(lint_files({{"t/a.yml", dns}}, "exporters/renamed-metric") == V{"t/a.yml:5:16 warning"});
  // The Strimzi Kafka Bridge 0.20.0 (2021) moved to Vert.x 4 and serves its HTTP server metrics
  // under Vert.x 4's names (strimzi-kafka-operator 3415bcd).
  const std::string bridge =
      "  - alert: Http5xx\n    expr: strimzi_bridge_http_server_requestCount_total{code=~\"5..\"} > 10\n";
  said.clear();
  CHECK(lint_files({{"b/a.yml", bridge}}, "exporters/renamed-metric", &said) == V{"b/a.yml:5:11 warning"});
  CHECK(said.at(0).starts_with(
      "Strimzi Kafka Bridge 0.20.0 (2021) replaced strimzi_bridge_http_server_requestCount_total "
      "with strimzi_bridge_http_server_requests_total, and every release since"));
  // Vert.x 4 itself can still serve the 3.x names (MetricsNaming.v3Names()): another Vert.x program's
  // old name is its configuration's choice, and the new name is quiet.
  const std::string vertx3 = "  - alert: V\n    expr: rate(vertx_http_server_requestCount_total[5m]) > 10\n";
  const std::string bridge4 =
      "  - alert: B\n    expr: rate(strimzi_bridge_http_server_requests_total{code=~\"5..\"}[5m]) > 10\n";
  CHECK(lint_files({{"b/v.yml", vertx3}, {"b/n.yml", bridge4}}, "exporters/renamed-metric").empty());
}

TEST_CASE("exporters: a rename's age is counted to renames_as_of, in whole years", "[exporters]") {
  auto load = [](const std::string& released, std::vector<core::Diagnostic>& diags) {
    core::SourceFile src("e.yml", "renames_as_of: \"2026-11-28\"\nexporters:\n- name: x\n  source: s\n  license: l\n"
                                  "  version: '1'\n  renamed:\n    since: '2'\n" +
                                      released + "    names: {a: b}\n  metrics: {}\n");
    return catalog::load_exporters(src, diags);
  };
  std::vector<core::Diagnostic> diags;
  auto three = load("    released: \"2023-11-28\"\n", diags);
  CHECK(three.rename_age(three.exporters.front()) == 3);
  auto e = load("    released: \"2023-11-29\"\n", diags);
  CHECK(e.rename_age(e.exporters.front()) == 2); // a day short of three years
  CHECK(diags.empty());
  auto missing = load("", diags);
  CHECK(missing.rename_age(missing.exporters.front()) == -1);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message == "renamed has no 'released' (the date of the release that renamed them)");
  diags.clear();
  load("    released: \"2023-1-5\"\n", diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message == "released must be a date, YYYY-MM-DD");
}

TEST_CASE("exporters: a metric under the job another exporter is scraped under", "[exporters][lint]") {
  // kubernetes-mixin af9a436: kube-state-metrics' series read under node_exporter's job.
  const std::string quota = "  - alert: Quota\n    expr: sum(kube_resourcequota{job=\"kube-state-metrics\"}) > "
                            "sum(kube_node_status_allocatable{job=\"node-exporter\"})\n";
  std::vector<std::string> said;
  CHECK(lint_files({{"a.yml", quota}}, "exporters/wrong-job", &said) == V{"a.yml:5:67 warning"});
  CHECK(
      said.at(0) ==
      "kube_node_status_allocatable is a kube-state-metrics metric (kube_*), selected under job=\"node-exporter\", the "
      "job node_exporter is scraped under; these rules read kube-state-metrics under job=\"kube-state-metrics\" "
      "(kube_resourcequota, a.yml:5), so this selector selects nothing");
  const std::string fixed = "  - alert: Quota\n    expr: sum(kube_resourcequota{job=\"kube-state-metrics\"}) > "
                            "sum(kube_node_status_allocatable{job=\"kube-state-metrics\"})\n";
  CHECK(lint_files({{"a.yml", fixed}}, "exporters/wrong-job").empty());
  // Nothing else read under its own job: the scrape config may name jobs otherwise, a note.
  const std::string alone = "  - alert: Load\n    expr: node_load1{job=\"prometheus\"} > 10\n";
  CHECK(lint_files({{"b.yml", alone}}, "exporters/wrong-job") == V{"b.yml:5:11 info"});
  // Jobs nobody names for an exporter, metrics of no known exporter, no job: quiet.
  CHECK(lint_files({{"c.yml", "  - alert: L\n    expr: node_load1{job=\"hosts\"} > 10\n"}}, "exporters/wrong-job")
            .empty());
  CHECK(lint_files({{"c.yml", "  - alert: U\n    expr: up{job=\"node-exporter\"} == 0\n"}}, "exporters/wrong-job")
            .empty());
  CHECK(lint_files({{"c.yml", "  - alert: U\n    expr: kube_pod_info > 1000\n"}}, "exporters/wrong-job").empty());
  // windows_exporter has no conventional job: the ones its users give it (the corpora's wmi-exporter,
  // win-exporter-ad and kubernetes-mixin's kubernetes-windows-exporter; windows, windows-exporter and
  // wmi on GitHub) are no other exporter's, quiet. Under node_exporter's job, the note.
  for (const char* job : {"windows", "windows-exporter", "wmi", "wmi-exporter", "kubernetes-windows-exporter"})
    CHECK(lint_files({{"w.yml", std::string("  - alert: W\n    expr: windows_os_info{job=\"") + job +
                                    "\"} and wmi_os_info{job=\"" + job + "\"}\n"}},
                     "exporters/wrong-job")
              .empty());
  CHECK(lint_files({{"w.yml", "  - alert: W\n    expr: windows_os_info{job=\"node-exporter\"}\n"}},
                   "exporters/wrong-job") == V{"w.yml:5:11 info"});
  // node_exporter's textfile scripts write smartctl_* series of their own (rules/exporters.yml
  // shared_with): under node_exporter's job, quiet; under kube-state-metrics', the note.
  CHECK(lint_files({{"s.yml", "  - alert: S\n    expr: smartctl_device_smart_healthy{job=\"node\"} == 0\n"}},
                   "exporters/wrong-job")
            .empty());
  CHECK(lint_files(
            {{"s.yml", "  - alert: S\n    expr: smartctl_device_smart_healthy{job=\"kube-state-metrics\"} == 0\n"}},
            "exporters/wrong-job") == V{"s.yml:5:11 info"});
}

TEST_CASE("exporters: a label one side of a match has and the other cannot", "[exporters][lint]") {
  const std::string failed = "rate(alertmanager_notifications_failed_total[5m])";
  const std::string total = "rate(alertmanager_notifications_total[5m])";
  auto ratio = lint_one(failed + " / " + total + " > 0.01");
  CHECK(where(ratio) == V{"labels/impossible-match 5:12"});
  CHECK(ratio.at(0).message ==
        "the two sides of '/' can never match: only the left side has reason (since Alertmanager 0.26, "
        "alertmanager_notifications_failed_total carries reason): the expression never returns anything");
  CHECK(ratio.at(0).suggestion == "ignoring (reason) group_left keeps a series per reason, or aggregate it away on "
                                  "the left side (sum or max without (reason))");
  CHECK(where(lint_one(failed + " / ignoring (reason) group_left " + total + " > 0.01")).empty());
  CHECK(where(lint_one("sum by (integration) (" + failed + ") / sum by (integration) (" + total + ") > 0.01")).empty());
  CHECK(where(lint_one("sum without (reason) (" + failed + ") / " + total + " > 0.01")).empty());
  // The other side is another exporter's, whose labels nobody knows: nothing is claimed.
  CHECK(where(lint_one(failed + " / rate(foo_total[5m]) > 0.01")).empty());
  // Where no release added the label, the other side's exporter writes its metric without it
  // (shipped-bugs cluster-autoscaler-operator-7fbde2f): said of a bare selector only.
  const std::string limit = " >= cluster_autoscaler_cpu_limits_cores{direction=\"maximum\"}";
  auto cpu = lint_one("cluster_autoscaler_cluster_cpu_current_cores" + limit);
  REQUIRE(where(cpu) == V{"labels/impossible-match 5:12"});
  CHECK(cpu.at(0).message.starts_with("the two sides of '>=' can never match: only the right side has direction ("));
  CHECK(cpu.at(0).message.find(" writes cluster_autoscaler_cluster_cpu_current_cores without direction): ") !=
        std::string::npos);
  auto summed = lint_one("sum(cluster_autoscaler_cluster_cpu_current_cores)" + limit);
  REQUIRE(where(summed) == V{"labels/impossible-match 5:12"});
  CHECK(summed.at(0).message.find(" without direction") == std::string::npos);
  // Both sides are Alertmanager's and have the same labels.
  CHECK(where(lint_one("rate(alertmanager_notification_requests_failed_total[5m]) / "
                       "rate(alertmanager_notification_requests_total[5m]) > 0.01"))
            .empty());

  // kube-state-metrics writes a series per phase of each pod: a one-to-one match on the pod meets
  // five of them (promtool: "multiple matches for labels: many-to-one matching must be explicit").
  const std::string restarts =
      " / on (namespace, pod) sum by (namespace, pod) (kube_pod_container_status_restarts_total) > 1";
  CHECK(where(lint_one("kube_pod_status_phase" + restarts)) == V{"labels/duplicate-match-group 5:12"});
  CHECK(where(lint_one("kube_pod_status_phase{phase=\"Running\"}" + restarts)).empty());
  // node_exporter writes a series per CPU of the host: matched on the instance alone, a host of two
  // CPUs puts two in a group (promtool: "multiple matches for labels").
  const std::string idle = "rate(node_cpu_seconds_total{mode=\"idle\"}[5m])";
  const std::string cpus = " / on (instance) count by (instance) (node_cpu_seconds_total{mode=\"idle\"}) > 0.5";
  auto per_cpu = lint_one(idle + cpus);
  REQUIRE(where(per_cpu) == V{"labels/duplicate-match-group 5:12"});
  CHECK(per_cpu.at(0).message.find("(node_exporter writes node_cpu_seconds_total with a series per CPU (cpu)): a "
                                   "match group can hold several left series") != std::string::npos);
  CHECK(where(lint_one("rate(node_cpu_seconds_total{mode=\"idle\",cpu=\"0\"}[5m])" + cpus)).empty());
  CHECK(where(lint_one(idle + " / on (instance) group_left count by (instance) (node_cpu_seconds_total{mode=\"idle\"}) "
                              "> 0.5"))
            .empty());
  CHECK(where(lint_one("sum by (instance) (" + idle + ")" + cpus)).empty());
  // kube-state-metrics writes a series per container of a pod: a pod with a sidecar has two.
  const std::string restarted = "increase(kube_pod_container_status_restarts_total[1h]) * on (namespace, pod) ";
  const std::string running = "max by (namespace, pod) (kube_pod_status_phase{phase=\"Running\"}) > 3";
  CHECK(where(lint_one(restarted + running)) == V{"labels/duplicate-match-group 5:12"});
  CHECK(where(lint_one(restarted + "group_left " + running)).empty());
  // The mounted filesystems and network devices (lo among them) of a host, alike.
  CHECK(where(lint_one("node_filesystem_avail_bytes / on (instance) sum by (instance) (node_filesystem_size_bytes) "
                       "< 0.1")) == V{"labels/duplicate-match-group 5:12"});
  CHECK(where(lint_one("node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1")).empty());
  CHECK(where(lint_one("rate(node_network_receive_bytes_total[5m]) / on (instance) group_left "
                       "sum by (instance) (rate(node_network_receive_bytes_total[5m])) > 0.9"))
            .empty());
  // Only the active ceph-mgr serves a cluster's ceph_ series: on () meets one of them per cluster
  // (Ceph's own CephMonDownQuorumAtRisk), while a job's targets that each serve up do not.
  const std::string quorum = " * on () (count(ceph_mon_quorum_status == 1) == bool 2) == 1";
  CHECK(where(lint_one("(ceph_health_detail{name=\"MON_DOWN\"} == 1)" + quorum)).empty());
  CHECK(where(lint_one("(up{job=\"ceph\"} == 1)" + quorum)) == V{"labels/duplicate-match-group 5:12"});
  // A label a version added (reason): not said to split the older versions' series.
  CHECK(where(lint_one(failed + " / on (instance, job, integration) " + total + " > 0.01")).empty());

  // Prometheus 3.10 gave the notifier's queue length an alertmanager label; the capacity has none.
  auto queue = lint_one("predict_linear(prometheus_notifications_queue_length[5m], 1800) > "
                        "min_over_time(prometheus_notifications_queue_capacity[5m])");
  CHECK(where(queue) == V{"labels/impossible-match 5:12"});
  CHECK(queue.at(0).message.find("since Prometheus 3.10") != std::string::npos);
  // Prometheus 2.40's type label on the appended samples: scrape configs name target labels type
  // too (GitLab's, on every target), so the other Prometheus metrics are not said to lack it.
  CHECK(where(lint_one("rate(prometheus_tsdb_head_samples_appended_total[5m]) <= 0 and "
                       "sum without (rule_group) (prometheus_rule_group_rules) > 0"))
            .empty());
  CHECK(where(lint_one("sum by (type) (rate(prometheus_rule_evaluation_failures_total[5m])) > 0")).empty());
  // An exporter's label is no target label of another's series (up, another exporter's).
  CHECK(where(lint_one("sum by (reason) (up) == 0")).empty());
  CHECK(where(lint_one("up == 0 and on (instance, integration) foo")).empty());
}

// A namespaced object's name is unique only within its namespace (hypershift 6a6fccd, tests/data/
// shipped-bugs: every hosted cluster's namespace runs an etcd-0): a match on the name alone meets
// the objects of one name in two namespaces (promtool: "found duplicate series for the match group").
TEST_CASE("exporters: kube-state-metrics' objects of one name in two namespaces", "[exporters][lint]") {
  const std::string usage = "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total[5m])) ";
  auto f = lint_one(usage + "* on (pod) group_left (app) kube_pod_labels > 1");
  REQUIRE(where(f) == V{"labels/duplicate-match-group 5:12"});
  CHECK(f.at(0).message.find("keeps namespace, which on (pod) leaves out (kube-state-metrics writes kube_pod_labels "
                             "with a series per namespace that has a pod of the name: a name is unique only within "
                             "one (namespace))") != std::string::npos);
  CHECK(f.at(0).suggestion == "match on namespace too: on (pod, namespace)");
  // Matched on both, or the namespace pinned by a matcher: one series per group.
  CHECK(where(lint_one(usage + "* on (namespace, pod) group_left (app) kube_pod_labels > 1")).empty());
  CHECK(where(lint_one(usage + "* on (pod) group_left (app) kube_pod_labels{namespace=\"etcd\"} > 1")).empty());
  // The name is apart where the match leaves it out: a namespace holds many Jobs.
  CHECK(where(lint_one("kube_namespace_labels * on (namespace) group_left kube_job_status_failed > 0")) ==
        V{"labels/duplicate-match-group 5:12"});
  // namespace only among objects of one name: on (node) with the pods picked by a matcher is left
  // to the matcher, as the pod's own label is.
  CHECK(
      where(lint_one("rate(fluentd_records_total[5m]) * on (node) group_left (pod) kube_pod_info{pod=~\"keystone-.+\"} "
                     "== 0"))
          .empty());
  // A name another program serves under the prefix (kube-scheduler's) is not kube-state-metrics'.
  CHECK(where(lint_one("pod:cpu:sum / on (pod) kube_pod_resource_limit{resource=\"cpu\"} > 0.8")).empty());
  CHECK(catalog::exporters().family("kube_pod_resource_limit") == nullptr);
  REQUIRE(catalog::exporters().family("kube_pod_labels") != nullptr);

  // The loader: within names one of apart's labels and another of the prefix's.
  core::SourceFile src("e.yml", "exporters:\n- name: x\n  source: s\n  license: l\n  version: '1'\n  metrics: {}\n"
                                "  families:\n    read: r\n    prefixes: {x_obj_: [ns, name, host]}\n"
                                "    apart: {x_obj_: {ns: namespace, name: object}}\n"
                                "    within: {x_obj_: {ns: name, host: name, name: zone}}\n");
  std::vector<core::Diagnostic> diags;
  auto e = catalog::load_exporters(src, diags);
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].message == "within's host must be apart's, and its other label the prefix's");
  CHECK(diags[1].message == "within's name must be apart's, and its other label the prefix's");
  const catalog::ExporterFamily* obj = e.family("x_obj_info");
  REQUIRE(obj != nullptr);
  CHECK(obj->within == std::vector<std::pair<std::string, std::string>>{{"ns", "name"}});
}

TEST_CASE("exporters: a part over its whole compared past 1", "[exporters][lint]") {
  // node_exporter's available blocks are some of the filesystem's (statfs): their ratio is at most
  // 1, so a percentage's threshold never passes it.
  auto f =
      lint_one("node_filesystem_avail_bytes{fstype!=\"tmpfs\"} / node_filesystem_size_bytes{fstype!=\"tmpfs\"} > 90");
  REQUIRE(where(f) == V{"promql/impossible 5:12"});
  CHECK(
      f.at(0).message ==
      "a ratio of node_filesystem_avail_bytes to node_filesystem_size_bytes (node_exporter's available blocks are "
      "some of the filesystem's blocks) is between -1 and 1 (FreeBSD's available blocks are below 0, never below minus "
      "the filesystem's, while root uses its reserve); this comparison with 90 can never be true: the expression "
      "never returns anything");
  // 1 - avail / size lies between 0 and 2, and the finding says why.
  f = lint_one("(1 - node_filesystem_avail_bytes / node_filesystem_size_bytes) > 90");
  REQUIRE(where(f) == V{"promql/impossible 5:12"});
  CHECK(f.at(0).message.find("while root uses its reserve), so 1 minus it lies in [0, 2]; this comparison with 90 "
                             "can never be true") != std::string::npos);
  CHECK(where(lint_one("(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > 95")) ==
        V{"promql/impossible 5:12"});
  // MemTotal is never 0: always true. A filesystem's size may be (ramfs): the NaN is said.
  CHECK(where(lint_one("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 10")) ==
        V{"promql/always-true 5:12"});
  f = lint_one("node_filesystem_free_bytes / node_filesystem_size_bytes < 10");
  REQUIRE(where(f) == V{"promql/always-true 5:12"});
  CHECK(f.at(0).message.ends_with("is always true: it removes only the series whose divisor is 0 (0 / 0 is NaN)"));
  // The percentage, a threshold the ratio can cross, FreeBSD's negative available blocks, the part
  // over another whole, the whole over the part, and available over free blocks (no pair: root's
  // reserve may be more than the free blocks): quiet.
  CHECK(where(lint_one("node_filesystem_avail_bytes / node_filesystem_size_bytes * 100 < 10")).empty());
  CHECK(where(lint_one("node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1")).empty());
  CHECK(where(lint_one("node_filesystem_avail_bytes / node_filesystem_size_bytes < 0")).empty());
  CHECK(where(lint_one("node_filesystem_avail_bytes / node_memory_MemTotal_bytes > 2")).empty());
  CHECK(where(lint_one("node_filesystem_size_bytes / node_filesystem_avail_bytes > 2")).empty());
  CHECK(where(lint_one("node_filesystem_avail_bytes / node_filesystem_free_bytes < -2")).empty());
  // Recorded, the ratio keeps its bounds and its NaN of 0 / 0.
  f = lint_text("groups:\n- name: g\n  rules:\n  - record: instance:fs_avail:ratio\n"
                "    expr: node_filesystem_avail_bytes / node_filesystem_size_bytes\n"
                "  - alert: A\n    expr: instance:fs_avail:ratio < 10\n");
  auto it = std::find_if(f.begin(), f.end(), [](const Found& x) { return x.where.starts_with("promql/always-true"); });
  REQUIRE(it != f.end());
  CHECK(it->message.starts_with("instance:fs_avail:ratio: in its rule, a ratio of node_filesystem_avail_bytes"));
  CHECK(it->message.ends_with("it removes only the series whose divisor is 0 (0 / 0 is NaN)"));
  // The whole's matchers must be the part's: other series of the whole may be smaller.
  CHECK(where(lint_one("node_filesystem_avail_bytes / node_filesystem_size_bytes{mountpoint=\"/\"} > 2")).empty());
}

TEST_CASE("exporters: a counter's part over its whole, rated, compared past 1", "[exporters][lint]") {
  // Thanos's DNS provider counts each failed lookup among its lookups, under a prefix per user of
  // it (thanos 4513d0d^: the querier's failures over lookups compared with 1, never true).
  const auto& known = catalog::exporters();
  REQUIRE(known.part_of("thanos_rule_endpoints_dns_failures_total", "thanos_rule_endpoints_dns_lookups_total"));
  CHECK(known.part_of("thanos_sd_dns_failures_total", "thanos_sd_dns_lookup_total"));
  CHECK_FALSE(known.part_of("dns_failures_total", "dns_lookups_total"));
  CHECK_FALSE(known.part_of("thanos_rule_endpoints_dns_failures_total", "thanos_query_endpoints_dns_lookups_total"));
  const std::string failures = "rate(thanos_query_store_apis_dns_failures_total{job=~\"q.*\"}[5m])";
  const std::string lookups = "rate(thanos_query_store_apis_dns_lookups_total{job=~\"q.*\"}[5m])";
  auto f = lint_one("sum by (job) (" + failures + ") / sum by (job) (" + lookups + ") > 1");
  REQUIRE(where(f) == V{"promql/impossible 5:12"});
  CHECK(f.at(0).message ==
        "a ratio of thanos_query_store_apis_dns_failures_total to thanos_query_store_apis_dns_lookups_total (Thanos "
        "counts each failed DNS lookup among its lookups) is between 0 and 1; this comparison with 1 can never be "
        "true: the expression never returns anything");
  CHECK(where(lint_one("increase(thanos_rule_alertmanagers_dns_failures_total[1h]) / "
                       "increase(thanos_rule_alertmanagers_dns_lookups_total[1h]) > 5")) ==
        V{"promql/impossible 5:12"});
  // `/` binds before `>`: ((a / b) > 0) > 1, whose bound above is still the ratio's, and says so.
  f = lint_one(failures + " / " + lookups + " > 0 * 100 > 1");
  REQUIRE(where(f) == V{"promql/impossible 5:12"});
  CHECK(f.at(0).message.starts_with("a ratio of thanos_query_store_apis_dns_failures_total to "));
  CHECK(f.at(0).message.find("between 0 and 1, and the comparison > 0 keeps only the values it accepts; this "
                             "comparison with 1 can never be true") != std::string::npos);
  // The percentage, a share the ratio can reach, one user's failures over another's lookups, the
  // whole with fewer matchers than the part's... the other way round: quiet.
  CHECK(where(lint_one("sum by (job) (" + failures + ") / sum by (job) (" + lookups + ") * 100 > 1")).empty());
  CHECK(where(lint_one(failures + " / " + lookups + " > 0.5")).empty());
  CHECK(where(lint_one("rate(thanos_rule_query_apis_dns_failures_total[5m]) / "
                       "rate(thanos_rule_alertmanagers_dns_lookups_total[5m]) > 1"))
            .empty());
  CHECK(where(lint_one("rate(thanos_query_store_apis_dns_failures_total[5m]) / " + lookups + " > 1")).empty());
}

TEST_CASE("exporters: an alert keeps a one-hot label's current series", "[exporters][lint]") {
  // Each pod has a series per phase, one of them 1: `> 0` keeps it, whatever the phase
  // (openstack-helm-infra 9e5a295's elasticsearch_cluster_health_status > 0).
  auto f = lint_one("kube_pod_status_phase > 0");
  REQUIRE(where(f) == V{"promql/always-true 5:12"});
  CHECK(f.at(0).message ==
        "alert A fires for every object kube_pod_status_phase describes, as long as it exists: kube-state-metrics "
        "writes for each a series per phase (Pending, Running, Succeeded, Failed, Unknown), 1 for the one that holds "
        "and 0 for the others, and `kube_pod_status_phase > 0` keeps the one that holds, whatever it is");
  CHECK(where(lint_one("kube_node_status_condition{condition=\"Ready\"} == 1")) == V{"promql/always-true 5:12"});
  CHECK(where(lint_one("elasticsearch_cluster_health_status > 0")) == V{"promql/always-true 5:12"});
  CHECK(where(lint_one("1 <= elasticsearch_cluster_health_status{color=~\".+\"}")) == V{"promql/always-true 5:12"});
  // Each colour's series is 1 or 0 (1.0.0 on): 0.3.3's red, 2, is none of them
  // (hvvit/elasticsearch-monitoring-stack's red alert, a review63 lead).
  auto red = lint_one("elasticsearch_cluster_health_status == 2");
  REQUIRE(where(red) == V{"promql/impossible 5:12"});
  CHECK(red.at(0).message == "elasticsearch_exporter writes elasticsearch_cluster_health_status as 0 or 1; this "
                             "comparison with 2 can never be true: the expression never returns anything");
  CHECK(where(lint_one("elasticsearch_cluster_health_status{color=\"red\"} == 1")).empty());
  // `!= 1` and `== 0` keep the states that do not hold, at least one per object whatever its state
  // (skyscrapers/charts bc25ef4: certmanager_certificate_ready_status != 1 fired for every certificate).
  auto g = lint_one("certmanager_certificate_ready_status != 1");
  REQUIRE(where(g) == V{"promql/always-true 5:12"});
  CHECK(g.at(0).message ==
        "alert A fires for every object certmanager_certificate_ready_status describes, as long as it exists: "
        "cert-manager writes for each a series per condition (True, False, Unknown), 1 for the one that holds and 0 "
        "for the others, and `certmanager_certificate_ready_status != 1` keeps the others, whatever the one that "
        "holds is");
  CHECK(where(lint_one("kube_pod_status_phase == 0")) == V{"promql/always-true 5:12"});
  CHECK(where(lint_one("kube_node_status_condition{condition=\"Ready\"} < 1")) == V{"promql/always-true 5:12"});
  // Some states only, the state picked, a threshold over an aggregation, a label nothing lists: quiet.
  CHECK(where(lint_one("kube_pod_status_phase{phase=~\"Pending|Unknown\"} > 0")).empty());
  CHECK(where(lint_one("kube_node_status_condition{condition=\"Ready\", status=\"true\"} == 0")).empty());
  CHECK(where(lint_one("certmanager_certificate_ready_status{condition=\"True\"} != 1")).empty());
  CHECK(where(lint_one("kube_pod_status_ready{condition=\"true\"} == 0")).empty());
  CHECK(where(lint_one("count by (namespace) (kube_pod_status_phase == 0) > 100")).empty());
  CHECK(where(lint_one("sum by (namespace) (kube_pod_status_phase > 0) > 100")).empty());
  CHECK(where(lint_one("elasticsearch_cluster_health_status{color=\"red\"} == 1")).empty());
  // A recording rule records every state's current series on purpose.
  core::SourceFile src("r.yml",
                       "groups:\n- name: g\n  rules:\n  - record: pod:phase\n    expr: kube_pod_status_phase > 0\n");
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(src, diags));
  lint::Options opt;
  opt.catalog = &catalog::none();
  for (const auto& d : lint::run(in, opt)) CHECK(d.check.id() != "promql/always-true");
}

TEST_CASE("exporters: an alert picks a one-hot state's series and compares nothing", "[exporters][lint]") {
  // elasticsearch_exporter writes the red series for a green cluster too, valued 0: compared with
  // nothing, the alert fires for every cluster (wikimedia operations-alerts a5f4cfb^).
  auto f = lint_one("max by (color) (elasticsearch_cluster_health_status{cluster=\"logstash\", color=\"red\"})");
  REQUIRE(where(f) == V{"alerts/no-comparison 5:11"});
  CHECK(f.at(0).message.find("picks a series in every state and the alert fires for every object") !=
        std::string::npos);
  // Compared, the fix: quiet. A state label nobody lists: the guess stays a guess (an info's words).
  CHECK(where(lint_one("max by (color) (elasticsearch_cluster_health_status{color=\"red\"}) > 0")).empty());
  auto g = lint_one("max by (color) (some_health_status{color=\"red\"})");
  REQUIRE(where(g) == V{"alerts/no-comparison 5:11"});
  CHECK(g.at(0).message.find("which holds only if") != std::string::npos);
}

TEST_CASE("exporters: a series written only while its state holds is the condition", "[exporters][lint]") {
  // Pure Storage's exporters write purefa_alerts_open only for the array's open alerts, and
  // nothing once they close: the bare series is the alert (their own example rule, review30).
  CHECK(where(lint_one("purefa_alerts_open")).empty());
  CHECK(where(lint_one("purefb_alerts_open{severity=\"critical\"}")).empty());
  // A series nothing lists so, and a listed one summed into one series that exists while any is
  // open: the first still compares nothing; the sum passes the condition on (sum passes its series).
  CHECK(where(lint_one("storage_alerts_open")) == V{"alerts/no-comparison 5:11"});
  CHECK(where(lint_one("sum by (instance) (purefa_alerts_open)")).empty());
  // Arithmetic on another series keeps that series', not the listed one's condition.
  CHECK(where(lint_one("rate(errors_total[5m]) + on () group_left sum(purefa_alerts_open)")) ==
        V{"alerts/no-comparison 5:11"});
}

TEST_CASE("exporters: a role one member of a cluster holds, compared member by member", "[exporters][lint]") {
  // Kafka's active controller count is 1 on the controller broker and 0 on every other: `!= 1`
  // per broker fires for every broker but the controller (strimzi 76a7682).
  const std::string m = "kafka_controller_kafkacontroller_activecontrollercount";
  auto f = lint_one("sum(" + m + ") by (strimzi_io_name, namespace, pod) != 1");
  REQUIRE(where(f) == V{"promql/always-true 5:12"});
  CHECK(f.at(0).message.find("every member of a healthy cluster but one") != std::string::npos);
  CHECK(where(lint_one(m + " == 0")) == V{"promql/always-true 5:12"});
  CHECK(where(lint_one("max without (topic) (" + m + ") < 1")) == V{"promql/always-true 5:12"});
  // The count per cluster, the holder itself, a grouping that drops the instance: quiet.
  CHECK(where(lint_one("sum(" + m + ") by (strimzi_io_name, namespace) != 1")).empty());
  CHECK(where(lint_one("sum(" + m + ") == 0")).empty());
  CHECK(where(lint_one(m + " == 1")).empty());
  CHECK(where(lint_one("sum without (instance, pod) (" + m + ") != 1")).empty());
  CHECK(where(lint_one("count by (pod) (" + m + ") != 1")).empty());
}

TEST_CASE("exporters: a rate at 0 of a counter written per outcome", "[exporters][lint]") {
  // Prometheus writes its remote-read queries per response code: a read that failed once leaves
  // a code="500" series whose rate is 0 while reads work, and `== 0` keeps it (giantswarm f55e366).
  const std::string m = "prometheus_remote_storage_read_queries_total";
  auto f = lint_one("sum by (cluster_id) (rate(" + m + "{job=\"mimir\"}[10m]) == 0 or rate(errors_total[5m]) > 0)");
  REQUIRE(where(f) == V{"alerts/outcome-rate-zero 5:33"});
  CHECK(f.at(0).message.find("fires while all is well once one code has been seen and no more: Prometheus writes " + m +
                             " with a series per code") != std::string::npos);
  CHECK(where(lint_one("increase(prometheus_remote_read_client_queries_total[1h]) < 1")) ==
        V{"alerts/outcome-rate-zero 5:12"});
  CHECK(where(lint_one("max by (code, url) (irate(" + m + "[5m])) == 0")) == V{"alerts/outcome-rate-zero 5:12"});
  // The codes picked, summed away, a comparison that drops 0, one after that may remove the
  // series, a counter without outcomes: quiet.
  CHECK(where(lint_one("rate(" + m + "{code=~\"2..\"}[10m]) == 0")).empty());
  CHECK(where(lint_one("sum by (url) (rate(" + m + "[10m])) == 0")).empty());
  CHECK(where(lint_one("sum without (code) (rate(" + m + "[10m])) == 0")).empty());
  CHECK(where(lint_one("rate(" + m + "[10m]) > 0")).empty());
  CHECK(where(lint_one("rate(" + m + "[10m]) == 0 unless on (url) rate(" + m + "{code=\"200\"}[10m]) > 0")).empty());
  CHECK(where(lint_one("rate(prometheus_rule_evaluations_total[10m]) == 0")).empty());
}

TEST_CASE("exporters: counters an exporter's source declares, divided raw", "[exporters][lint]") {
  // elasticsearch_exporter writes both as CounterValue: their raw ratio is the mean since the
  // node started (awesome-prometheus-alerts 97a31f3), a warning, where names alone make an info.
  auto f =
      lint_one("elasticsearch_indices_indexing_index_time_seconds_total / elasticsearch_indices_indexing_index_total"
               " > 0.0005");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message.find("are counters (elasticsearch_exporter's source at ") != std::string::npos);
  // No _total in the name: the source alone says counter.
  CHECK(where(lint_one(
            "elasticsearch_indices_search_fetch_time_seconds / elasticsearch_indices_search_fetch_total > 1")) ==
        V{"promql/counter-raw 5:12"});
  // Their increases, and a gauge of the same exporter: quiet.
  CHECK(where(lint_one("increase(elasticsearch_indices_search_fetch_time_seconds[1m]) / "
                       "increase(elasticsearch_indices_search_fetch_total[1m]) > 1"))
            .empty());
  CHECK(where(lint_one("elasticsearch_jvm_memory_used_bytes / elasticsearch_jvm_memory_max_bytes > 0.9")).empty());
}

// albatrossflavour/home-ops 48d35fc (tests/data/shipped-bugs): volsync's source declares
// missed_intervals_total a counter, so above 0 as the alert's whole condition holds from the first
// missed interval until the operator restarts. Beside another condition it is a guard.
TEST_CASE("exporters: a declared counter above 0 as the alert's whole condition", "[exporters][lint]") {
  auto f = lint_one("volsync_missed_intervals_total > 0");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message ==
        "volsync_missed_intervals_total is a counter (VolSync's source at 0.16.0): as the alert's whole condition, "
        "above 0 holds from the first event it counts until the process restarts, so the alert keeps firing long "
        "after that event");
  CHECK(f.at(0).suggestion == "compare increase(volsync_missed_intervals_total[1h]) > 0 instead");
  CHECK(where(lint_one("sum by (obj_name) (velero_backup_failure_total) != 0")) == V{"promql/counter-raw 5:12"});
  CHECK(where(lint_one("1 <= velero_backup_failure_total")) == V{"promql/counter-raw 5:12"});
  // Its increase, a guard beside another condition, == 0, a gauge of the same exporter whose name
  // says _total (velero_backup_total, the backups that exist now), an undeclared _total: quiet.
  CHECK(where(lint_one("increase(volsync_missed_intervals_total[1h]) > 0")).empty());
  CHECK(where(lint_one("volsync_missed_intervals_total > 0 and volsync_volume_out_of_sync == 1")).empty());
  CHECK(where(lint_one("velero_backup_success_total == 0")).empty());
  CHECK(where(lint_one("velero_backup_total > 0")).empty());
  CHECK(where(lint_one("minio_cluster_drive_offline_total > 0")).empty());
}

// 2i2c-org/infrastructure e9cdc18 (tests/data/shipped-bugs): kube-state-metrics writes a container's
// restart count, the kubelet's, as a counter that lasts the pod's life, so ">= 1" fired for days after
// one restart. The fix's difference with the count 10m ago is the usual way, and quiet.
TEST_CASE("exporters: kube-state-metrics's restart count compared raw", "[exporters][lint]") {
  auto f = lint_one(R"(sum(kube_pod_container_status_restarts_total{pod=~".*nfs.*"}) by (pod, namespace) >= 1)");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message.find("until the pod is replaced") != std::string::npos);
  CHECK(where(lint_one("kube_pod_init_container_status_restarts_total > 3")) == V{"promql/counter-raw 5:12"});
  CHECK(where(lint_one("sum by (pod) (kube_pod_container_status_restarts_total) - sum by (pod) "
                       "(kube_pod_container_status_restarts_total offset 10m) >= 1"))
            .empty());
  CHECK(where(lint_one("increase(kube_pod_container_status_restarts_total[1h]) > 3")).empty());
  // A gauge of the same exporter, a container's state now: quiet.
  CHECK(where(lint_one("kube_pod_container_status_waiting > 0")).empty());
}

// alertmanager-k8s-operator 2117f2c (tests/data/shipped-bugs): Alertmanager's notify/metrics.go
// declares notifications_failed_total a counter, so != 0 holds from the first failed notification
// until Alertmanager restarts.
TEST_CASE("exporters: Alertmanager's failed notifications != 0", "[exporters][lint]") {
  auto f = lint_one(R"(alertmanager_notifications_failed_total{integration=~".*"} != 0)");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message.find("Alertmanager's source at 0.34.0") != std::string::npos);
  // Its rate, and the ratio of the two counters' rates (the mixin's): quiet.
  CHECK(where(lint_one("rate(alertmanager_notifications_failed_total[5m]) > 0")).empty());
  CHECK(where(lint_one("sum by (integration) (rate(alertmanager_notifications_failed_total[5m])) / "
                       "sum by (integration) (rate(alertmanager_notifications_total[5m])) > 0.01"))
            .empty());
}

// awesome-prometheus-alerts 01e32a1 (tests/data/shipped-bugs): ClickHouse writes every
// ClickHouseErrorMetric_<code> as a counter of errors since it started, so == 1 holds from the first
// error until the restart, and a burst that skips 1 never matches. A pattern names the family.
TEST_CASE("exporters: a counter family named by a pattern, compared raw", "[exporters][lint]") {
  auto f = lint_one("ClickHouseErrorMetric_NO_AVAILABLE_REPLICA == 1");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message.find("ClickHouseErrorMetric_NO_AVAILABLE_REPLICA is a counter (ClickHouse's source at "
                             "master at 75a050b5b5)") == 0);
  CHECK(where(lint_one("ClickHouseProfileEvents_FailedQuery > 0")) == V{"promql/counter-raw 5:12"});
  // Their increase (the fix), the gauges of the same endpoint, a name that only starts like the
  // family's, and the prefix alone (the * stands for at least one character): quiet.
  CHECK(where(lint_one("increase(ClickHouseErrorMetric_NO_AVAILABLE_REPLICA[5m]) > 0")).empty());
  CHECK(where(lint_one("ClickHouseMetrics_TCPConnection > 400")).empty());
  CHECK(where(lint_one("ClickHouseErrorMetricX_NO_AVAILABLE_REPLICA == 1")).empty());
  CHECK(where(lint_one("ClickHouseErrorMetric_ == 1")).empty());
}

// awesome-prometheus-alerts 1aafa40 (tests/data/shipped-bugs): netdata's "average" source writes each
// dimension's average over the interval as a gauge named ..._average; the "as-collected" source
// writes counters, named ..._total.
TEST_CASE("exporters: rate() of a gauge family named by a pattern", "[exporters][lint]") {
  auto f = lint_one("rate(netdata_cpu_cpu_percentage_average{dimension=\"idle\"}[1m]) > 80");
  REQUIRE(where(f) == V{"promql/rate-on-gauge 5:12"});
  CHECK(f.at(0).message.find("rate() of netdata_cpu_cpu_percentage_average, which netdata writes as a gauge") == 0);
  CHECK(where(lint_one("netdata_cpu_cpu_percentage_average{dimension=\"idle\"} < 20")).empty());
  CHECK(where(lint_one("rate(netdata_disk_io_KiB_persec_total[5m]) > 1000")).empty());
  CHECK(where(lint_one("rate(node_average[5m]) > 1")).empty());
}

// tikv/tikv 5ee7d037d4 and 36ff688178 (tests/data/shipped-bugs): TiKV registers its pending tasks as
// gauges named _total, which its own recording rules rated; its counters keep the convention.
TEST_CASE("exporters: rate() of a gauge its exporter names with _total", "[exporters][lint]") {
  auto f = lint_one("sum(rate(tikv_worker_pending_task_total[1m])) by (name) > 1000");
  REQUIRE(where(f) == V{"promql/rate-on-gauge 5:16"});
  CHECK(f.at(0).message.find("rate() of tikv_worker_pending_task_total, which TiKV writes as a gauge") == 0);
  CHECK(where(lint_one("sum(tikv_worker_pending_task_total) by (name) > 1000")).empty());
  CHECK(where(lint_one("sum(avg_over_time(tikv_futurepool_pending_task_total[1m])) by (name) > 100")).empty());
  CHECK(where(lint_one("sum(rate(tikv_thread_cpu_seconds_total{name=~\"cop_.*\"}[1m])) by (instance) > 1")).empty());
}

// govuk-helm-charts b9498d7 (tests/data/shipped-bugs): the kubelet's prober manager declares
// prober_probe_total with NewCounterVec, so ">= 30" raw held for as long as a pod that once failed
// 30 startup probes ran. Its volume stats are gauges (GaugeValue in volume_stats.go).
TEST_CASE("exporters: the kubelet's counters and gauges", "[exporters][lint]") {
  auto f = lint_one("prober_probe_total{probe_type=\"Startup\", result=\"failed\"} >= 30");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message.find("(kubelet's source at 0028b26b5f)") != std::string::npos);
  CHECK(where(lint_one("kubelet_evictions{eviction_signal=\"memory.available\"} > 0")) == V{"promql/counter-raw 5:12"});
  CHECK(where(lint_one("rate(kubelet_volume_stats_used_bytes[1h]) > 1e6")) == V{"promql/rate-on-gauge 5:12"});
  CHECK(where(lint_one("kubelet_server_expiration_renew_errors > 0")) == V{"promql/counter-raw 5:12"});
  CHECK(where(lint_one("increase(kubelet_server_expiration_renew_errors[5m]) > 0")).empty());
  // The fix (its increase), the volume's level and its trend, the pods running now: quiet.
  CHECK(where(lint_one("increase(prober_probe_total{probe_type=\"Startup\", result=\"failed\"}[10m]) >= 30")).empty());
  CHECK(where(lint_one("kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.1")).empty());
  CHECK(where(lint_one("predict_linear(kubelet_volume_stats_available_bytes[6h], 4 * 24 * 3600) < 0")).empty());
  CHECK(where(lint_one("kubelet_running_pods > 100")).empty());
}

// govuk-helm-charts 4528b2c (tests/data/shipped-bugs): argo_workflows_gauge is the number of
// workflows in each phase now (an Int64ObservableGauge); increase() read each fall, when finished
// workflows were garbage-collected, as a reset. argo_workflows_total_count is the counter.
TEST_CASE("exporters: Argo Workflows' and Argo CD's gauges and counters", "[exporters][lint]") {
  auto f = lint_one("increase(argo_workflows_gauge{status=\"Failed\"}[1h]) >= 2");
  REQUIRE(where(f) == V{"promql/rate-on-gauge 5:12"});
  CHECK(f.at(0).message.find("Argo Workflows") != std::string::npos);
  CHECK(where(lint_one("increase(argo_workflows_total_count{phase=\"Failed\"}[1h]) >= 2")).empty());
  CHECK(where(lint_one("argo_workflows_gauge{phase=\"Running\"} > 100")).empty());
  // Argo CD's repo server counts the requests waiting now in a gauge named _total: its rate is the
  // bug, its level is not; argocd_app_sync_total is a counter.
  CHECK(where(lint_one("rate(argocd_repo_pending_request_total[5m]) > 0")) == V{"promql/rate-on-gauge 5:12"});
  CHECK(where(lint_one("argocd_repo_pending_request_total > 10")).empty());
  CHECK(where(lint_one("argocd_app_sync_total{phase=\"Failed\"} > 0")) == V{"promql/counter-raw 5:12"});
  CHECK(where(lint_one("increase(argocd_app_sync_total{phase=\"Failed\"}[10m]) > 0")).empty());
}

// group_left's "one" side is checked for duplicates before anything is matched (engine.go,
// VectorBinop): kube-state-metrics' container info under on (namespace, pod) holds a series per
// container, two for a pod with a sidecar. container_id names one container (the fact's pins).
TEST_CASE("exporters: an exporter's several things on group_left's one side", "[exporters][lint]") {
  const std::string running = "kube_pod_status_phase{phase=\"Running\"}";
  auto f = lint_one(running + " * on (namespace, pod) group_left (image) kube_pod_container_info > 0");
  REQUIRE(where(f) == V{"labels/duplicate-match-group 5:12"});
  CHECK(f.at(0).message.find("the right side, the \"one\" side of group_left, keeps container, which on (namespace, "
                             "pod) leaves out (kube-state-metrics writes kube_pod_container_info with a series per "
                             "container of the pod (container))") == 0);
  CHECK(where(lint_one("kube_pod_container_info * on (namespace, pod) group_right (image) " + running + " > 0")) ==
        V{"labels/duplicate-match-group 5:12"});
  CHECK(where(lint_one("rate(node_disk_io_time_seconds_total[5m]) * on (instance) group_left () "
                       "node_filesystem_size_bytes > 0")) == V{"labels/duplicate-match-group 5:12"});
  // A match on the container too, the container named by a matcher, the runtime's container ID (one
  // container), the one side aggregated to the match: quiet.
  CHECK(where(lint_one("kube_pod_container_status_ready * on (namespace, pod, container) group_left (image) "
                       "kube_pod_container_info > 0"))
            .empty());
  CHECK(where(lint_one(running +
                       " * on (namespace, pod) group_left (image) kube_pod_container_info{container=\"app\"} > 0"))
            .empty());
  CHECK(where(lint_one("rate(windows_container_cpu_usage_seconds_total[5m]) * on (container_id) group_left (namespace, "
                       "pod, container) kube_pod_container_info{container_id!=\"\"} > 0"))
            .empty());
  CHECK(where(lint_one(running + " * on (namespace, pod) group_left () count by (namespace, pod) "
                                 "(kube_pod_container_info) > 0"))
            .empty());
}

// cert-manager writes each certificate's expiry as float64(NotAfter.Unix()): kept above a number of
// seconds, it passes from the day the certificate is issued, as a time since 1970, not the time left.
// kubermatic c2a82b1 (tests/data/shipped-bugs): attempts minus successes, both counters velero's
// source declares, above 0 holds from the first failed backup until velero restarts.
TEST_CASE("exporters: a difference of declared counters above 0 as the alert's whole condition", "[exporters][lint]") {
  auto f = lint_one("(velero_backup_attempt_total - velero_backup_success_total) > 0");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message.find("velero_backup_attempt_total and velero_backup_success_total are counters (Velero's "
                             "source at 1.18.1): their raw difference counts since the process started") == 0);
  CHECK(f.at(0).suggestion == "compare their increases over a window: increase(velero_backup_attempt_total[1h]) - "
                              "increase(velero_backup_success_total[1h]) > 0");
  CHECK(where(lint_one("sum by (schedule) (velero_backup_attempt_total) - sum by (schedule) "
                       "(velero_backup_success_total) != 0")) == V{"promql/counter-raw 5:12"});
  // Their increases (the fix), a threshold other than 0 (a lag), a guard, counters by their names
  // only: quiet. One counter against itself an hour ago is delta() written out (below).
  CHECK(where(lint_one("(increase(velero_backup_attempt_total[60m]) - increase(velero_backup_failure_total[60m])) "
                       "> 0"))
            .empty());
  CHECK(where(lint_one("velero_backup_attempt_total - velero_backup_success_total > 5")).empty());
  CHECK(where(lint_one("velero_backup_attempt_total - velero_backup_success_total > 0 and on (schedule) "
                       "velero_backup_last_status == 0"))
            .empty());
  CHECK(where(lint_one("velero_backup_failure_total - velero_backup_failure_total offset 1h > 0")) ==
        V{"promql/counter-raw 5:12"});
  // A queue's enqueued minus dequeued is its depth now, no outcome's count: quiet.
  CHECK(where(lint_one("podVolume_pod_volume_backup_enqueue_count - podVolume_pod_volume_backup_dequeue_count > 0"))
            .empty());
  CHECK(where(lint_one("kafka_log_end_offset_total - kafka_consumer_offset_total > 0")).empty());
}

// A counter read through sum_, avg_, max_, min_, quantile_ or last_over_time() is still its running
// totals since the process started: sum_over_time(errors_total[1h]) adds them up, it counts no errors
// of the hour (tests/data/review-corpus/proofs/counter-over-time.test.yml). client-go's
// rest_client_requests_total is a counter its source declares: a warning.
TEST_CASE("exporters: a declared counter read through *_over_time()", "[exporters][lint]") {
  auto f = lint_one("sum by (pod) (sum_over_time(rest_client_requests_total[1h])) > 1000");
  REQUIRE(where(f) == V{"promql/counter-raw 5:12"});
  CHECK(f.at(0).message ==
        "this side reads rest_client_requests_total raw through sum_over_time(), and rest_client_requests_total is "
        "a counter (client-go's source at 0.36.3): its raw value only grows, so this comparison depends on when the "
        "process started");
  CHECK(where(lint_one("max_over_time(workqueue_retries_total[1h:5m]) > 10")) == V{"promql/counter-raw 5:12"});
  CHECK(where(lint_one("quantile_over_time(0.9, rest_client_requests_total[1h]) > 10")) ==
        V{"promql/counter-raw 5:12"});
  // What counts samples or changes, a rate's maximum, a rate over the last value (a staleness
  // guard), the spread: quiet.
  CHECK(where(lint_one("changes(rest_client_requests_total[1h]) > 0")).empty());
  CHECK(where(lint_one("resets(rest_client_requests_total[1h]) > 0")).empty());
  CHECK(where(lint_one("count_over_time(rest_client_requests_total[1h]) < 10")).empty());
  CHECK(where(lint_one("max_over_time(rate(rest_client_requests_total[5m])[1h:]) > 10")).empty());
  CHECK(where(lint_one("rate(rest_client_requests_total[5m]) / last_over_time(rest_client_requests_total[5m]) > 1"))
            .empty());
  CHECK(where(lint_one("stddev_over_time(rest_client_requests_total[1h]) > 10")).empty());
  // Two readings of one counter compared: whether it grew.
  CHECK(
      where(lint_one("max_over_time(rest_client_requests_total[1h] offset 1h) < rest_client_requests_total")).empty());
  CHECK(where(lint_one("velero_backup_failure_total > velero_backup_failure_total offset 1h")).empty());
  // By the name only: an info, and nothing compared with 0 (minio's _offline_total is a gauge).
  auto named = lint_one("avg_over_time(flower_events_total[15m]) > 5");
  REQUIRE(where(named) == V{"promql/counter-raw 5:12"});
  CHECK(named.at(0).message.find("named like a counter") != std::string::npos);
  CHECK(where(lint_one("avg_over_time(minio_cluster_nodes_offline_total[5m]) > 0")).empty());
  CHECK(where(lint_one("avg_over_time(slurm_cluster_jobs_total{state=\"running\"}[7d]) > 5")).empty());
  CHECK(
      where(lint_one("avg_over_time(gitpod_ws_manager_mk2_workspace_phase_total{phase=\"Running\"}[4h]) > 5")).empty());
  CHECK(where(lint_one("sum(gitpod_ws_manager_mk2_workspace_activity_total{active=\"false\"}) > 40")).empty());
}

// kubevirt cf88061 (tests/data/shipped-bugs): virt-operator recorded sum_over_time() of client-go's
// request counter as "the last hour" and divided the failed by all: the ratio since the process
// started. A reader of a recorded series compares what its rule records.
TEST_CASE("exporters: a recorded sum_over_time() of a counter, divided", "[exporters][lint]") {
  const std::string records = "  - record: failed\n    expr: sum by (pod) (sum_over_time(rest_client_requests_total"
                              "{code=~\"5..\"}[60m]))\n  - record: all\n    expr: sum by (pod) (sum_over_time("
                              "rest_client_requests_total[60m]))\n";
  std::vector<std::string> messages;
  CHECK(lint_files({{"a.yml", records + "  - alert: A\n    expr: failed / all >= 0.05\n"}}, "promql/counter-raw",
                   &messages) == V{"a.yml:9:11 warning"});
  REQUIRE(messages.size() == 1);
  CHECK(messages[0] ==
        "both sides of '/' read rest_client_requests_total raw through the recorded failed (sum_over_time()) and the "
        "recorded all (sum_over_time()), and rest_client_requests_total is a counter (client-go's source at 0.36.3): "
        "dividing their raw values gives the average since they began counting, which a burst late in a long run "
        "barely moves");
  // The fix's difference of an hour before, clamped: delta() written out, which knows no reset
  // (da983e4 took rate()), said where it is recorded; its readers and the rates of a recorded sum
  // are quiet.
  const std::string fixed = "  - record: all\n    expr: clamp_min(sum(rest_client_requests_total) - "
                            "sum(rest_client_requests_total offset 60m), 0)\n  - record: sum\n    expr: sum by (pod) "
                            "(rest_client_requests_total)\n";
  CHECK(lint_files({{"a.yml", fixed + "  - alert: A\n    expr: all > 1000\n"}}, "promql/counter-raw") ==
        V{"a.yml:5:21 warning"});
  CHECK(lint_files({{"a.yml", fixed + "  - alert: A\n    expr: rate(sum[5m]) > 10\n"}}, "promql/counter-raw") ==
        V{"a.yml:5:21 warning"});
  // The recorded sum itself, compared: the raw counter.
  CHECK(lint_files({{"a.yml", fixed + "  - alert: A\n    expr: sum > 1000\n"}}, "promql/counter-raw") ==
        V{"a.yml:5:21 warning", "a.yml:9:11 warning"});
}
