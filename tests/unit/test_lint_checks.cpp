// Every semantic check: a bad case it must report and a tricky clean case it must not.
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"
#include "test_lint_support.hpp"

using namespace nsmon;

namespace {

const char* kConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 15s}
alerting:
  alertmanagers: [{static_configs: [{targets: ['localhost:9093']}]}]
rule_files: []
scrape_configs:
  - job_name: neurosymbolic-app
    scrape_interval: 1m
    static_configs: [{targets: ['localhost:8000'], labels: {app: neurosymbolic}}]
)";

// Target labels from static_configs and relabelling, drops in both relabel lists, and
// external labels: a closed label model (no service discovery).
const char* kRelabelConfig = R"(global:
  scrape_interval: 15s
  evaluation_interval: 15s
  external_labels: {region: eu}
alerting:
  alertmanagers: [{static_configs: [{targets: ['localhost:9093']}]}]
scrape_configs:
  - job_name: neurosymbolic-app
    static_configs:
      - targets: ['localhost:8000']
        labels: {cluster: eu1, team: ml, tier: gpu}
      - targets: ['localhost:8001']
        labels: {cluster: eu1, team: ml}
    relabel_configs:
      - {source_labels: [__address__], regex: '([^:]+):.*', target_label: host}
      - {action: labeldrop, regex: team}
    metric_relabel_configs:
      - {action: labeldrop, regex: iou_threshold}
  - job_name: node
    static_configs: [{targets: ['localhost:9100'], labels: {cluster: eu1}}]
)";

// Kubernetes service discovery: target labels from labelmap and relabelling, so the label set
// is open, apart from what a labeldrop names.
const char* kKubeConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 15s}
alerting:
  alertmanagers: [{static_configs: [{targets: ['localhost:9093']}]}]
scrape_configs:
  - job_name: kubernetes-pods
    kubernetes_sd_configs: [{role: pod}]
    relabel_configs:
      - {action: labelmap, regex: __meta_kubernetes_pod_label_(.+)}
      - {source_labels: [__meta_kubernetes_namespace], target_label: namespace}
      - {action: labeldrop, regex: pod_template_hash|controller_revision_hash}
)";

// honor_labels: the scraped series keep the labels of their exposition (federation, Pushgateway).
const char* kFederateConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 15s}
alerting:
  alertmanagers: [{static_configs: [{targets: ['localhost:9093']}]}]
scrape_configs:
  - job_name: federate
    honor_labels: true
    static_configs: [{targets: ['prometheus-eu:9090']}]
)";

struct Case {
  const char* name;
  std::string rules;                 ///< the body of one group's rule list
  std::vector<std::string> expected; ///< check ids reported (sorted as reported)
  bool with_config = false;
  const char* config = kConfig; ///< the config, when with_config
};

// An alert with the policy's labels and annotations, so only the check under test speaks.
std::string alert(const std::string& expr, const std::string& extra = "",
                  const std::string& annotations = "summary: s, description: d") {
  return "  - alert: A\n    expr: '" + expr + "'\n    labels: {severity: warning}\n    annotations: {" + annotations +
         "}\n" + extra;
}

std::string record(const std::string& name, const std::string& expr) {
  return "  - record: " + name + "\n    expr: '" + expr + "'\n";
}

std::vector<std::string> run(const std::string& rules_body, bool with_config,
                             std::vector<core::Diagnostic>* all = nullptr, const char* config = kConfig) {
  core::SourceFile rules_src("r.yml", "groups:\n- name: g\n  interval: 30s\n  rules:\n" + rules_body);
  core::SourceFile cfg_src("p.yml", config);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(rules_src, diags));
  if (with_config) in.config = rules::load_config(cfg_src, diags);
  lint::Options opt;
  opt.catalog = &catalog::embedded();
  lint::drop_disjoint_duplicates(diags, in, opt); // as lint-rules does with the loader's findings
  auto found = lint::run(in, opt);
  diags.insert(diags.end(), found.begin(), found.end());
  core::sort_diagnostics(diags);
  std::vector<std::string> ids;
  for (const auto& d : diags) ids.emplace_back(d.check.id());
  if (all) *all = diags;
  return ids;
}

} // namespace

TEST_CASE("each check: a bad case and a clean one", "[lint][checks]") {
  using V = std::vector<std::string>;
  const Case cases[] = {
      {"syntax", alert("rate(errors_total[5m] > 1"), V{"promql/syntax"}},
      {"unknown metric", alert("trainig_loss > 1"), V{"catalog/unknown-metric"}},
      {"external metric is not checked", alert("node_load1 > 5"), V{}},
      {"renamed", alert("gpu_memory_allocated_mb > 1e9"), V{"catalog/renamed-metric"}},
      {"renamed ok", alert("gpu_memory_allocated_bytes > 1e9"), V{}},
      {"histogram base name", alert("inference_time_seconds > 1"), V{"catalog/histogram-base-name"}},
      {"histogram count is a series", alert("rate(inference_time_seconds_count[5m]) > 0"), V{}},
      {"bad suffix", alert("training_loss_bucket > 1"), V{"catalog/bad-suffix"}},
      {"unknown label (the config lists every target label)",
       alert("rate(images_processed_total{statuss=\"failed\"}[5m]) > 0"), V{"catalog/unknown-label"}, true},
      // The short form (issue 32): without a config, a matcher that needs a label the catalog does
      // not list is a warning; conventional target labels, matchers an absent label passes and
      // Prometheus's own series are not judged; the config's relabelling decides when given.
      {"no config: a label the catalog does not list", alert("rate(images_processed_total{statuss=\"x\"}[5m]) > 0"),
       V{"catalog/unknown-label"}},
      {"no config: a regex the label's absence fails", alert("rate(errors_total{shard=~\"a|b\"}[5m]) > 0"),
       V{"catalog/unknown-label"}},
      {"no config: conventional target labels", alert("rate(errors_total{namespace=\"ml\",cluster=~\"eu.*\"}[5m]) > 0"),
       V{}},
      {"no config: matchers an absent label passes",
       alert("rate(errors_total{shard=\"\",zone!=\"a\",rack=~\"a|\",tier!~\"x.+\"}[5m]) > 0"), V{}},
      {"no config: up carries any target label", alert("up{job=\"kubelet\",metrics_path=\"/metrics\"} == 0"), V{}},
      {"a label the config adds", alert("rate(errors_total{tier=\"gpu\"}[5m]) > 0"), V{}, true, kRelabelConfig},
      {"no config: another metric's label is no target label", alert("rate(errors_total{status=\"failed\"}[5m]) > 0"),
       V{"catalog/unknown-label"}},
      {"target labels are known", alert("rate(images_processed_total{job=\"a\",instance=~\".+\"}[5m]) > 0"), V{}},
      {"static target labels from the config", alert("rate(images_processed_total{app=\"neurosymbolic\"}[5m]) > 0"),
       V{}, true},
      {"unknown label value", alert("rate(images_processed_total{status=\"failure\"}[5m]) > 0"),
       V{"catalog/unknown-label-value"}},
      {"regex value is not checked against the set", alert("rate(images_processed_total{status=~\"fail.*\"}[5m]) > 0"),
       V{}},
      {"unknown grouping label", alert("sum by (stge) (rate(errors_total[5m])) > 1"), V{"catalog/unknown-label"}, true},
      {"no config: grouping by a target label", alert("count by (cluster) (up) < 3"), V{}},
      {"no config: grouping by another metric's label", alert("sum by (status) (rate(errors_total[5m])) > 1"),
       V{"catalog/unknown-label"}},
      {"no config: a target label in a template",
       alert("rate(errors_total[5m]) > 1", "", "summary: s, description: '{{ $labels.cluster }}'"), V{}},
      // Target labels from the config: static labels (on some targets only), relabelling, drops.
      {"a static label", alert("count by (cluster) (up) < 3"), V{}, true, kRelabelConfig},
      {"a static label of some targets", alert("up{tier=\"gpu\"} == 0"), V{}, true, kRelabelConfig},
      {"a label set by relabel_configs", alert("up{host=\"localhost\"} == 0"), V{}, true, kRelabelConfig},
      {"a label no job sets", alert("up{zone=\"a\"} == 0"), V{"catalog/unknown-label"}, true, kRelabelConfig},
      {"a label the config drops", alert("sum by (team) (up) < 1"), V{"labels/dropped-by-config"}, true,
       kRelabelConfig},
      {"a dropped label in a matcher", alert("up{team=\"ml\"} == 0"), V{"labels/dropped-by-config"}, true,
       kRelabelConfig},
      {"a dropped label in a template",
       alert("up == 0", "", "summary: s, description: '{{ $labels.team }} {{ $labels.host }}'"),
       V{"labels/dropped-by-config"}, true, kRelabelConfig},
      {"a label no job sets, in a template", alert("up == 0", "", "summary: s, description: '{{ $labels.zone }}'"),
       V{"labels/template-label-lost"}, true, kRelabelConfig},
      {"metric_relabel_configs drop",
       alert("max by (model, iou_threshold) (validation_map{job=\"neurosymbolic-app\"}) < 0.5"),
       V{"labels/dropped-by-config"}, true, kRelabelConfig},
      {"metric_relabel_configs drops nothing from up", alert("up{job=\"neurosymbolic-app\", instance=\"x\"} == 0"), V{},
       true, kRelabelConfig},
      {"another job keeps the metric's label", alert("max by (model, iou_threshold) (validation_map) < 0.5"), V{}, true,
       kRelabelConfig},
      // No impossible match, but on (tier) against a side without tier matches only the series
      // without it: the right side's sum removed it.
      {"a label on some targets only proves no impossible match",
       alert("sum by (cluster, tier) (up) / on (cluster, tier) group_left sum by (cluster) (up) > 1"),
       V{"labels/removed-label"}, true, kRelabelConfig},
      {"external label", alert("up == 0", "", "summary: s, description: '{{ $externalLabels.region }}'"), V{}, true,
       kRelabelConfig},
      {"external label not set", alert("up == 0", "", "summary: s, description: '{{ $externalLabels.cluster }}'"),
       V{"labels/unknown-external-label"}, true, kRelabelConfig},
      {"no config: external labels unknown",
       alert("up == 0", "", "summary: s, description: '{{ $externalLabels.cluster }}'"), V{}},
      {"service discovery and labelmap: open", alert("sum by (namespace, app_kubernetes_io_name) (up) == 0"), V{}, true,
       kKubeConfig},
      {"labeldrop of a name after labelmap", alert("sum by (pod_template_hash) (up) > 1"),
       V{"labels/dropped-by-config"}, true, kKubeConfig},
      {"honor_labels: the exposition's labels", alert("rate(errors_total{cluster=\"eu\"}[5m]) > 0"), V{}, true,
       kFederateConfig},
      {"honor_labels: up has the target's labels only", alert("up{cluster=\"eu\"} == 0"), V{"catalog/unknown-label"},
       true, kFederateConfig},
      {"open target labels are never catalog label names", alert("rate(errors_total{status=\"x\"}[5m]) > 0"),
       V{"catalog/unknown-label"}, true, kKubeConfig},
      {"undefined recording rule", alert("job:errors:rate5m > 1"), V{"rules/undefined-recording-rule"}},
      // Cost at every evaluation: a subquery over a day, raw ranges beyond the 3d burn-rate window,
      // named where the cost model's estimate passes the policy's floor (1,000,000 samples).
      {"subquery over 30d of every image",
       alert("max(max_over_time(sum by (image_id) (detections_before_nms)[30d:])) > 1"), V{"rules/expensive-range"}},
      {"subquery over 30d of a few series, under the floor",
       alert("sum_over_time((rate(images_processed_total[5m]) > 0)[30d:]) > 1"), V{}},
      {"a daily baseline of a handful of series",
       alert("avg_over_time(sum(rate(errors_total[5m]))[1d:5m] offset 1h) > 1"), V{}},
      {"subquery over 1h", alert("max_over_time((rate(images_processed_total[5m]) > 0)[1h:]) > 1"), V{}},
      {"raw range over 30d of every image", alert("max(max_over_time(detections_before_nms[30d])) > 1"),
       V{"rules/expensive-range"}},
      {"raw range over 30d of a few series, under the floor", alert("rate(images_processed_total[30d]) > 1"), V{}},
      {"raw range over 3d", alert("rate(images_processed_total[3d]) > 1"), V{}},
      {"recording over 30d", alert("avg_over_time(job:images_processed:rate5m[30d]) > 1"),
       V{"rules/undefined-recording-rule"}},
      {"recording rule defined later",
       alert("job:errors:rate5m > 1") +
           "  - record: job:errors:rate5m\n    expr: sum by (job) (rate(errors_total[5m]))\n",
       V{}},
      {"rate on gauge", alert("rate(cpu_usage_percent[5m]) > 1"), V{"promql/rate-on-gauge"}},
      {"deriv on gauge", alert("deriv(cpu_usage_percent[5m]) > 1"), V{}},
      // A subquery of what a function computes over a window rises and falls (albatrossflavour's
      // Puppet alert); of a counter's last or largest value it still only grows.
      {"rate over a subquery of changes()", alert("rate(changes(cpu_usage_percent[5m])[1h:5m]) > 10"),
       V{"promql/rate-on-gauge"}},
      {"rate over a subquery of a rate", alert("rate(rate(errors_total[5m])[1h:]) > 1"), V{"promql/rate-on-gauge"}},
      {"rate over a subquery of a counter's max", alert("rate(max_over_time(errors_total[1m])[1h:5m]) > 1"), V{}},
      // node_exporter writes its memory, filesystem and load series as gauges (rules/exporters.yml).
      {"rate of node_exporter's gauge", alert("rate(node_memory_MemAvailable_bytes[30m]) > 1"),
       V{"promql/rate-on-gauge"}},
      {"a node_memory_ counter", alert("rate(node_memory_numa_numa_hit_total[5m]) > 1"), V{}},
      {"node_exporter's counter without _total is no gauge fact", alert("rate(node_vmstat_pswpin[5m]) > 1"), V{}},
      // node_exporter writes node_uname_info as 1 on every series: a new kernel is a new series, and
      // changes() of each is 0 (awesome-prometheus-alerts' HostKernelVersionDeviations).
      {"changes of an info metric always 1", alert("changes(node_uname_info[1h]) > 0"), V{"promql/impossible"}},
      {"changes of a series that changes", alert("changes(node_boot_time_seconds[1h]) > 0"), V{}},
      {"an info metric joined", alert("node_load1 * on (instance) group_left (nodename) node_uname_info > 4"), V{}},
      // node_exporter writes node_filesystem_readonly as 0 or 1 (tidb-ansible 8f0e086).
      {"a 0/1 flag above 1", alert("node_filesystem_readonly{fstype=~\"(ext.|xfs)\"} > 1"), V{"promql/impossible"}},
      {"a 0/1 flag equal to 1", alert("node_filesystem_readonly == 1"), V{}},
      // Another exporter's start time is a gauge by what it is (cortex-jsonnet 14d4ff1).
      {"increase of a start time", alert("increase(process_start_time_seconds[30m]) > 1"), V{"promql/rate-on-gauge"}},
      {"changes of a start time", alert("changes(process_start_time_seconds[30m]) > 1"), V{}},
      {"counter raw", alert("errors_total > 5"), V{"promql/counter-raw"}},
      {"counter increase", alert("increase(errors_total[1h]) > 5"), V{}},
      {"quantile without rate", alert("histogram_quantile(0.9, inference_time_seconds_bucket) > 1"),
       V{"promql/histogram-quantile-rate"}},
      {"quantile without le", alert("histogram_quantile(0.9, sum(rate(inference_time_seconds_bucket[5m]))) > 1"),
       V{"promql/histogram-quantile-le"}},
      {"quantile: the joined info side needs no le (kube-prometheus's kubelet rules)",
       alert("histogram_quantile(0.99, sum by (instance, le) (rate(inference_time_seconds_bucket[5m])) * on (instance) "
             "group_left (node) max by (instance, node) (node_uname_info)) > 1"),
       V{}},
      {"quantile: group_right keeps the right side's labels",
       alert("histogram_quantile(0.99, max by (instance) (node_uname_info) * on (instance) group_right "
             "sum by (instance) (rate(inference_time_seconds_bucket[5m]))) > 1"),
       V{"promql/histogram-quantile-le"}},
      {"external counter by name: a threshold", alert("node_edac_uncorrectable_errors_total > 5"),
       V{"promql/counter-raw"}},
      {"external _total compared with 0: a gauge as often (cadvisor's inodes_total), or a guard",
       alert("node_filesystem_free_bytes / node_filesystem_inodes_total < 0.1 and node_filesystem_inodes_total > 0"),
       V{}},
      {"external histogram _count by its unit", alert("node_scrape_duration_seconds_count > 5"),
       V{"promql/counter-raw"}},
      {"external _count without a unit is a gauge counting things (pg_stat_activity_count)",
       alert("node_processes_count > 5000"), V{}},
      {"quantile: without() keeps le",
       alert("histogram_quantile(0.9, sum without (instance) (rate(inference_time_seconds_bucket[5m]))) > 1"), V{}},
      {"quantile over non-bucket", alert("histogram_quantile(0.9, rate(inference_time_seconds_count[5m])) > 1"),
       V{"promql/histogram-quantile-series"}},
      {"quantile over a recording rule that keeps le",
       alert("histogram_quantile(0.9, job:latency:rate5m) > 1") +
           "  - record: job:latency:rate5m\n    expr: sum by (le, job) (rate(inference_time_seconds_bucket[5m]))\n",
       V{}},
      {"sum then rate (subquery)", alert("rate(sum(errors_total)[5m:]) > 1"), V{"promql/sum-then-rate"}},
      {"sum then rate (recording rule)",
       alert("rate(job:errors:sum[5m]) > 1") + "  - record: job:errors:sum\n    expr: sum by (job) (errors_total)\n",
       V{"promql/sum-then-rate"}},
      {"rate then sum", alert("sum(rate(errors_total[5m])) > 1"), V{}},
      {"regex anchors", alert("rate(inference_time_seconds_count{model=~\"^yolo.*$\"}[5m]) > 1"),
       V{"promql/regex-anchors"}},
      {"literal regex", alert("rate(inference_time_seconds_count{model=~\"yolov11m\"}[5m]) > 1"),
       V{"promql/literal-regex"}},
      {"alternation is a regex", alert("rate(inference_time_seconds_count{model=~\"yolov11m|yolov8\"}[5m]) > 1"), V{}},
      {"template label lost",
       alert("sum(rate(errors_total[5m])) > 0.1", "", "summary: s, description: '{{ $labels.stage }}'"),
       V{"labels/template-label-lost"}},
      {"template label kept",
       alert("sum by (stage) (rate(errors_total[5m])) > 0.1", "", "summary: s, description: '{{ $labels.stage }}'"),
       V{}},
      // $labels holds the expression's labels only: the rule's severity is added after the
      // templates run (review-corpus/proofs/template-rule-label-gitlab.test.yml).
      {"template label from the rule's labels, summed away",
       alert("sum(rate(errors_total[5m])) > 0.1", "", "summary: s, description: '{{ $labels.severity }}'"),
       V{"labels/template-label-lost"}},
      {"impossible match", alert("rate(errors_total[5m]) / rate(images_processed_total[5m]) > 0.1"),
       V{"labels/impossible-match"}},
      {"matching on shared labels",
       alert("sum by (stage) (rate(errors_total[5m])) / sum by (stage) (rate(images_processed_total[5m])) > 0.1"), V{}},
      {"high cardinality kept", alert("training_loss > 1"), V{"labels/high-cardinality"}},
      {"high cardinality aggregated away", alert("min by (model) (training_loss) > 1"), V{}},
      {"bytes vs megabytes", alert("memory_available_bytes < 1000"), V{"units/bytes-vs-megabytes"}},
      {"bytes in bytes", alert("memory_available_bytes < 1e9"), V{}},
      {"percent as ratio", alert("cpu_usage_percent > 0.9"), V{"units/percent-as-ratio"}},
      {"percent as percent", alert("cpu_usage_percent > 90"), V{}},
      {"ratio out of range", alert("max by (model) (validation_map) > 1.5"), V{"units/out-of-range"}},
      {"ratio always below 30", alert("max by (model) (validation_map) < 30"), V{"units/out-of-range"}},
      {"ratio, number on the left", alert("30 > max by (model) (validation_map)"), V{"units/out-of-range"}},
      {"ratio never above 1", alert("max by (model) (validation_map) > 1"), V{"units/out-of-range"}},
      {"ratio at most 1 always (bool)", alert("max by (model) (validation_map) <= bool 1"),
       V{"alerts/no-comparison", "units/out-of-range"}},
      {"percent never negative", alert("cpu_usage_percent >= 0"), V{"units/out-of-range"}},
      {"percent at most 100 always", alert("cpu_usage_percent <= 100"), V{"units/out-of-range"}},
      {"percent equal to 150 never", alert("cpu_usage_percent == 150"), V{"units/out-of-range"}},
      {"ratio unequal to 2 always", alert("max by (model) (validation_map) != 2"), V{"units/out-of-range"}},
      {"ratio equal to a value in range", alert("max by (model) (validation_map) == 0.5"), V{}},
      {"number on the left, always (bool)", alert("(30 >= bool max by (model) (validation_map)) == 1"),
       V{"units/out-of-range"}},
      {"number on the left, never", alert("-1 >= max by (model) (validation_map)"), V{"units/out-of-range"}},
      {"number on the left, in range", alert("0.2 > max by (model) (validation_map)"), V{}},
      {"ratio inside its range", alert("max by (model) (validation_map) < 0.5"), V{}},
      {"ratio equal to its top", alert("max by (model) (validation_map) >= 1"), V{}},
      {"percent inside its range", alert("cpu_usage_percent > 90"), V{}},
      {"ratio in range", alert("min by (model) (validation_map) < 0.3"), V{}},
      {"no comparison", alert("sum(rate(errors_total[5m]))"), V{"alerts/no-comparison"}},
      {"a Watchdog alert fires on purpose", alert("vector(1)"), V{}},
      {"a Watchdog alert in parentheses", alert("(vector(1))"), V{}},
      {"absent is a condition", alert("absent(up{job=\"neurosymbolic-app\"})", "    for: 5m\n"), V{}},
      {"value in labels",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {severity: warning, v: '{{ $value }}'}\n"
       "    annotations: {summary: s, description: d}\n",
       V{"alerts/value-in-labels"}},
      {"value in annotations", alert("cpu_usage_percent > 90", "", "summary: s, description: '{{ $value }}'"), V{}},
      {"absent without for", alert("absent(up{job=\"neurosymbolic-app\"})"), V{"alerts/absent-without-for"}},
      {"absent with for: 0s is without for", alert("absent(up{job=\"neurosymbolic-app\"})", "    for: 0s\n"),
       V{"alerts/absent-without-for"}},
      {"for shorter than the interval", alert("cpu_usage_percent > 90", "    for: 10s\n"), V{"alerts/for-too-short"}},
      {"for of one interval", alert("cpu_usage_percent > 90", "    for: 30s\n"), V{}},
      {"topk in an alert", alert("topk(3, rate(errors_total[5m])) > 1"), V{"alerts/topk"}},
      {"topk by (x) (1, ...): one series per group", alert("topk by (error_type) (1, rate(errors_total[5m])) > 1"),
       V{}},
      {"bottomk without (...) (1, ...): one series per group",
       alert("bottomk without (instance) (1, rate(errors_total[5m])) > 1"), V{}},
      {"topk by (x) (2, ...) is a top set", alert("topk by (error_type) (2, rate(errors_total[5m])) > 1"),
       V{"alerts/topk"}},
      {"topk(1, ...) without grouping still flaps", alert("topk(1, rate(errors_total[5m])) > 1"), V{"alerts/topk"}},
      {"ambiguous boolean",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {severity: warning, page: no}\n"
       "    annotations: {summary: s, description: d}\n",
       V{"yaml/ambiguous-boolean"}},
      {"quoted no",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {severity: warning, page: \"no\"}\n"
       "    annotations: {summary: s, description: d}\n",
       V{}},
      {"record naming", "  - record: errors_rate\n    expr: sum(rate(errors_total[5m]))\n", V{"rules/record-naming"}},
      {"record naming ok", "  - record: job:errors:rate5m\n    expr: sum by (job) (rate(errors_total[5m]))\n", V{}},
      {"a misspelt annotations: key is the cause, not the annotations it leaves missing",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {severity: warning}\n"
       "    annotation: {summary: s, description: d}\n",
       V{"yaml/unknown-field"}},
      {"a misspelt labels: key is the cause, not the severity it leaves missing",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    lables: {severity: warning}\n"
       "    annotations: {summary: s, description: d}\n",
       V{"yaml/unknown-field"}},
      {"without annotations at all, they are missing: one finding for the alert",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {severity: warning}\n", V{"policy/annotations"}},
      {"Sloth's info series keeps Sloth's name", "  - record: sloth_slo_info\n    expr: vector(1)\n", V{}},
      {"rate window vs scrape interval", alert("rate(errors_total{job=\"neurosymbolic-app\"}[1m]) > 1"),
       V{"config/rate-window"}, true},
      {"rate window of two intervals", alert("rate(errors_total{job=\"neurosymbolic-app\"}[2m]) > 1"), V{}, true},
      {"quantile as a percentage",
       alert("histogram_quantile(95, sum by (le) (rate(inference_time_seconds_bucket[5m]))) > 1"),
       V{"promql/quantile-range"}},
      {"quantile as a fraction", alert("quantile(0.95, rate(errors_total[5m])) > 1"), V{}},
      {"a range without a unit", alert("sum(increase(errors_total[10])) > 2"), V{"promql/duration-unit"}},
      {"an offset without a unit", alert("sum(rate(errors_total[5m] offset 300)) > 2"), V{"promql/duration-unit"}},
      {"a subquery's range and step without a unit", alert("max_over_time(sum(rate(errors_total[5m]))[600:60]) > 2"),
       V{"promql/duration-unit", "promql/duration-unit"}},
      {"durations with units, and a number compared", alert("sum(increase(errors_total[10m] offset 5m)) > 10"), V{}},
      {"le that is not a bucket", alert("rate(inference_time_seconds_bucket{le=\"0.25\"}[5m]) > 1"),
       V{"catalog/unknown-label-value"}},
      {"le written as Python prints it", alert("rate(inference_time_seconds_bucket{le=\"1.0\"}[5m]) > 1"), V{}},
      {"le written as an integer", alert("rate(inference_time_seconds_bucket{le=\"1\"}[5m]) > 1"),
       V{"catalog/unknown-label-value"}},
      // Units through histogram_quantile and the functions that keep them.
      {"a ratio histogram's quantile compared with a percentage",
       alert("histogram_quantile(0.5, sum by (le) (rate(confidence_scores_bucket[30m]))) < 50"),
       V{"units/out-of-range"}},
      {"a ratio histogram's quantile compared with a ratio",
       alert("histogram_quantile(0.5, sum by (le) (rate(confidence_scores_bucket[30m]))) < 0.5"), V{}},
      {"the unit through max_over_time and max",
       alert("max(max_over_time(histogram_quantile(0.9, rate(confidence_scores_bucket[5m]))[1h:5m])) > 2"),
       V{"units/out-of-range"}},
      {"sum_over_time of a ratio is not bounded", alert("sum_over_time(validation_map[1h]) > 2"), V{}},
      {"a negated ratio is between -1 and 0", alert("-validation_map < -2"), V{"promql/impossible"}},
      {"a negated ratio in range", alert("-validation_map < -0.5"), V{}},
      {"histogram_fraction is a ratio",
       alert("histogram_fraction(0, 1, sum by (le) (rate(inference_time_seconds_bucket[5m]))) < 90"),
       V{"units/out-of-range"}},
      // A threshold written as arithmetic (a burn rate times a budget) is a number all the same.
      {"a ratio compared with arithmetic above 1", alert("validation_map > (13.44 * 0.1)"), V{"units/out-of-range"}},
      {"a ratio compared with arithmetic below 1", alert("validation_map > (14.4 * 0.01)"), V{}},
      {"changes() is never negative", alert("max(changes(training_loss[1h])) < 0"), V{"promql/impossible"}},
      // A bucket's le is a number: text that is none selects nothing (cortex-jsonnet 9f13af9).
      {"a regex after le=",
       alert("sum(rate(prometheus_http_request_duration_seconds_bucket{le=\"0(\\\\.0)?\"}[5m])) > 1"),
       V{"promql/impossible"}},
      {"le= as the client writes it",
       alert("sum(rate(prometheus_http_request_duration_seconds_bucket{le=\"1e-05\"}[5m])) > 1"), V{}},
      {"a regex after le=~",
       alert("sum(rate(prometheus_http_request_duration_seconds_bucket{le=~\"0(\\\\.0)?\"}[5m])) > 1"), V{}},
      {"le of a series that is no bucket", alert("node_thing{le=\"big\"} > 1"), V{}},
      // Prometheus 3 stores a scraped bucket's le and a summary's quantile as floats (o11y 4da6605).
      {"an integer le of a scraped bucket",
       alert("sum(rate(apiserver_request_duration_seconds_bucket{le=\"1\"}[5m])) > 1"),
       V{"catalog/other-exporters", "promql/unnormalized-le"}},
      {"le as Prometheus 3 stores it",
       alert("sum(rate(apiserver_request_duration_seconds_bucket{le=\"1.0\"}[5m])) > 1"), V{"catalog/other-exporters"}},
      {"a regex of both texts of le",
       alert("sum(rate(apiserver_request_duration_seconds_bucket{le=~\"1|1.0\"}[5m])) > 1"),
       V{"catalog/other-exporters"}},
      {"a branch of a regex of le",
       alert("sum(rate(apiserver_request_duration_seconds_bucket{le=~\"0.5|1\"}[5m])) > 1"),
       V{"catalog/other-exporters", "promql/unnormalized-le"}},
      {"an integer le of a recorded bucket",
       alert("sum(job:apiserver_request_duration_seconds_bucket:rate5m{le=\"1\"}) > 1"),
       V{"rules/undefined-recording-rule"}},
      {"quantile 1 of a summary", alert("go_gc_duration_seconds{quantile=\"1\"} > 1"), V{"promql/unnormalized-le"}},
      {"a percentile named 99, no summary's", alert("nginx_upstream_latency{quantile=\"99\"} > 1"),
       V{"catalog/other-exporters"}},
      // A regex's wildcard after = (tempo 52a0e16, namespace=".*"; TiKV's name="apply_.*").
      {"a regex wildcard after =", alert("max(rate(node_thread_cpu_seconds_total{name=\"apply_.*\"}[1m])) > 0.9"),
       V{"promql/regex-as-text"}},
      {"a regex wildcard after !=", alert("max(node_thread_cpu{name!=\".+\"}) > 0.9"), V{"promql/regex-as-text"}},
      {"a regex wildcard after =~", alert("max(rate(node_thread_cpu_seconds_total{name=~\"apply_.*\"}[1m])) > 0.9"),
       V{}},
      {"a path may hold a regex as its text", alert("sum(rate(node_http_requests_total{path=\"/api/(.*)\"}[5m])) > 1"),
       V{}},
      // An alternation after = (OpenShift's scope="resource|", cluster-kube-apiserver-operator 622c08f^).
      {"an alternation after =", alert("sum(rate(node_requests_total{scope=\"resource|\"}[5m])) > 1"),
       V{"promql/regex-as-text"}},
      {"an alternation after !=", alert("up{job!=\"a|b\"} == 0"), V{"promql/regex-as-text"}},
      {"an alternation after =~", alert("up{job=~\"a|b\"} == 0"), V{}},
      // Recorded ratios: from the rule (some of a counter's series over all of them), else from
      // the name (Sloth's and nsmon's SLI error ratio, Prometheus's _ratio unit).
      {"some of a counter over all of it is at most 1",
       record("job:images_failed:ratio_rate1h",
              "sum(rate(images_processed_total{status=\"failed\"}[1h])) / sum(rate(images_processed_total[1h]))") +
           alert("job:images_failed:ratio_rate1h > (13.44 * 0.1)"),
       V{"promql/impossible"}},
      {"two counters' ratio may pass 1",
       record("job:errors_per_image:ratio_rate1h",
              "sum(rate(errors_total[1h])) / sum(rate(images_processed_total[1h]))") +
           alert("job:errors_per_image:ratio_rate1h > (13.44 * 0.1)"),
       V{}},
      {"Sloth's SLI error ratio is at most 1 by its name",
       record("slo:sli_error:ratio_rate1h", "sum(rate(errors_total[1h])) / sum(rate(images_processed_total[1h]))") +
           alert("slo:sli_error:ratio_rate1h > (14.4 * 0.1)"),
       V{"promql/impossible"}},
      {"Sloth's burn rate is a ratio that passes 1",
       record("slo:current_burn_rate:ratio",
              "sum(rate(errors_total[5m])) / sum(rate(images_processed_total[5m])) / 0.001") +
           alert("slo:current_burn_rate:ratio > 14.4"),
       V{}},
      {"a percentage recorded under a ratio's name keeps its range",
       record(
           "job:inference_failed_ratio:avg",
           "100 * sum(rate(images_processed_total{status=\"failed\"}[5m])) / sum(rate(images_processed_total[5m]))") +
           alert("job:inference_failed_ratio:avg > 5"),
       V{}},
      {"a _ratio metric that no rule records, by its name", alert("job:disk_usage_ratio:max_over_time1h > 1.5"),
       V{"promql/impossible", "rules/undefined-recording-rule"}},
      {"a sum of ratios may pass 1", alert("job:disk_usage_ratio:sum > 1.5"), V{"rules/undefined-recording-rule"}},
      // Other exporters' metrics (lint-rules: one note; an error once per prefix the application's
      // metrics share).
      {"another exporter's metric pinned to its job", alert("kube_pod_info{job=\"kube-state-metrics\"} > 1"),
       V{"catalog/other-exporters"}},
      {"another exporter's metric", alert("kube_pod_info > 1"), V{"catalog/other-exporters"}},
      {"an unknown name of a catalog metric's prefix", alert("inference_latency_seconds > 1"),
       V{"catalog/other-exporters", "catalog/unknown-metric"}},
      {"snmp_exporter's one-word name", alert("ifOperStatus == 2"), V{"catalog/other-exporters"}},
      {"a near miss of a catalog metric pinned to another job",
       alert("rate(inference_time_second_count{job=\"kube-state-metrics\"}[5m]) > 1"), V{"catalog/unknown-metric"}},
      {"a job the application's metrics are selected under is the application's",
       alert("detector_heartbeat{job=\"detector\"} > 1 and on() rate(errors_total{job=\"detector\"}[5m]) > 0"),
       V{"catalog/unknown-metric"}},
      {"severity missing",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    annotations: {summary: s, description: d}\n",
       V{"policy/severity"}},
      {"severity outside the set",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {severity: critcal}\n"
       "    annotations: {summary: s, description: d}\n",
       V{"policy/severity"}},
      {"a templated severity is filled in when the alert fires: not known here",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n"
       "    labels: {severity: '{{ toLower \"Critical\" }}'}\n"
       "    annotations: {summary: s, description: d}\n",
       V{}},
      {"annotations missing", alert("cpu_usage_percent > 90", "", "summary: s"), V{"policy/annotations"}},
      {"the Watchdog's severity: none routes it by its name",
       "  - alert: Watchdog\n    expr: vector(1)\n    labels: {severity: none}\n"
       "    annotations: {summary: s, description: d}\n",
       V{}},
      {"a Watchdog without severity",
       "  - alert: Watchdog\n    expr: (vector(1))\n    annotations: {summary: s, description: d}\n", V{}},
  };
  for (const auto& c : cases) {
    INFO(c.name << "\n" << c.rules);
    CHECK(run(c.rules, c.with_config, nullptr, c.config) == c.expected);
  }
}

TEST_CASE("a group evaluated less often than every 5m: what it does to the rules it has", "[lint][checks]") {
  auto found = testing::lint_findings(
      "r.yml",
      "groups:\n- name: g\n  interval: 10m\n  rules:\n  - alert: A\n    expr: up == 0\n"
      "- name: h\n  interval: 5m\n  rules: []\n- name: e\n  interval: 10m\n  rules: []\n"
      "- name: r\n  interval: 10m\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n",
      "alerts/group-interval");
  // g: its alert is late, nothing recorded goes stale; e: no rule, no effect; r: records only.
  REQUIRE(found.size() == 2);
  CHECK(found[0].span.line == 3);
  CHECK(found[0].message == "group g is evaluated every 10m: its alerts see a problem up to that late (a shorter "
                            "one not at all)");
  CHECK(found[1].message ==
        "group r is evaluated every 10m: the series it records are older than the 5m lookback between evaluations");
}

TEST_CASE("template-label-lost: lists the labels $labels has, not the alert's", "[lint][checks]") {
  // Prometheus fills $labels from the expression's sample alone; the rule's labels (severity) and
  // alertname come after the templates run, so they are not among what the result has
  // (review9a: "(it has: alertname, namespace, severity)" on a sum(), proofs/review9a.test.yml).
  auto message = [](const std::string& expr, const std::string& annotations) {
    std::vector<core::Diagnostic> diags;
    run(alert(expr, "", annotations), false, &diags);
    for (const auto& d : diags)
      if (d.check == "labels/template-label-lost") return d.message;
    return std::string();
  };
  CHECK(message("sum by (cluster) (rate(errors_total[5m])) > 0", "summary: \"{{ $labels.dc }}\", description: d") ==
        "annotation \"summary\" uses $labels.dc, but the expression's result has no dc label: sum by (cluster) keeps "
        "only cluster (it has: cluster)");
  CHECK(message("sum(rate(errors_total[5m])) > 0", "summary: \"{{ $labels.cluster }}\", description: d") ==
        "annotation \"summary\" uses $labels.cluster, but the expression's result has no cluster label: sum() keeps "
        "no label");
  CHECK(message("sum without (instance) (rate(errors_total{job=\"app\"}[5m])) > 0",
                "summary: \"{{ $labels.instance }}\", description: d") ==
        "annotation \"summary\" uses $labels.instance, but the expression's result has no instance label: sum without "
        "(instance) removes it (it has: error_type, job, stage, and labels not known here)");
  // The sample's metric name is in $labels where the result keeps it: count by (__name__), then
  // label_replace (review10a: OSISM's PrometheusTimeseriesCardinality said "(it has: name)",
  // proofs/review10a-cardinality.test.yml prints LABELS = map[__name__:foo name:foo]).
  CHECK(message("label_replace(count by (__name__) ({__name__=~\".+\"}), \"name\", \"$1\", \"__name__\", \"(.+)\") > "
                "10000",
                "summary: \"{{ $labels.instance }}\", description: d") ==
        "annotation \"summary\" uses $labels.instance, but the expression's result has no instance label: count by "
        "(__name__) keeps only __name__ (it has: __name__, name)");
  // And not where it does not: sort() of a sum, timestamp() (promtool 2.42 prints map[a:1] for
  // both, proofs/review10a-cardinality.test.yml).
  CHECK(message("sort(sum by (job) (rate(errors_total[5m]))) > 0", "summary: \"{{ $labels.dc }}\", description: d") ==
        "annotation \"summary\" uses $labels.dc, but the expression's result has no dc label: sum by (job) keeps "
        "only job (it has: job)");
  CHECK(message("timestamp(sum by (job) (errors_total)) > 0", "summary: \"{{ $labels.dc }}\", description: d") ==
        "annotation \"summary\" uses $labels.dc, but the expression's result has no dc label: sum by (job) keeps "
        "only job (it has: job)");
}

TEST_CASE("absent() without for: said of series a missed scrape or a target's leaving removes", "[lint][checks]") {
  auto message = [](const std::string& expr) {
    std::vector<core::Diagnostic> diags;
    run(alert(expr), false, &diags);
    for (const auto& d : diags)
      if (d.check == "alerts/absent-without-for") return d.message;
    return std::string();
  };
  CHECK(message("absent(images_processed_total)") ==
        "absent() without 'for': a single missed scrape fires the alert (it marks the series stale)");
  CHECK(message("absent(sum(rate(images_processed_total[5m])))") ==
        "absent() without 'for': a single missed scrape fires the alert (it marks the series stale)");
  // up is written for every scrape, failed or not: it goes only with the target.
  CHECK(message("absent(up{job=\"neurosymbolic-app\"})") ==
        "absent() without 'for': a target that leaves service discovery for one evaluation (a rollout, a "
        "rescheduled pod) fires the alert");
  // Nothing makes vector(1) absent; absent_over_time's range already waits as a for: would.
  CHECK(message("absent(vector(1))").empty());
  CHECK(message("absent_over_time(images_processed_total[10m])").empty());
}

TEST_CASE("a slow group whose alerts keep firing between evaluations is info, not a fault", "[lint][checks]") {
  // The group's alerts/group-interval finding: its severity and message.
  auto finding = [](const std::string& rules) {
    auto found = testing::lint_findings("r.yml", "groups:\n- name: g\n  interval: 10m\n  rules:\n" + rules,
                                        "alerts/group-interval");
    REQUIRE(found.size() == 1);
    return std::pair{found[0].severity, found[0].message};
  };
  const std::string alert = "  - alert: A\n    expr: up == 0\n";
  // keep_firing_for at least the interval: the author chose the cadence (pint's clean case).
  auto [severity, message] = finding(alert + "    keep_firing_for: 15m\n");
  CHECK(severity == core::Severity::info);
  CHECK(message == "group g is evaluated every 10m: its alerts see a problem up to that late (a shorter one not "
                   "at all); keep_firing_for holds its alerts between evaluations");
  // Shorter than the interval, or one alert without it: still a warning.
  CHECK(finding(alert + "    keep_firing_for: 5m\n").first == core::Severity::warning);
  CHECK(finding(alert + "    keep_firing_for: 10m\n  - alert: B\n    expr: up == 0\n").first ==
        core::Severity::warning);
  // A group that also records: its series go stale whatever the alerts do.
  CHECK(finding(alert + "    keep_firing_for: 10m\n  - record: job:up:sum\n    expr: sum by (job) (up)\n").first ==
        core::Severity::warning);
}

// Arch Linux's fastly group: evaluated every 60m, its one alert reads max_over_time(...[2h]),
// so an estimate above 1 for 10m between two evaluations is seen at the next one
// (tests/data/review-corpus, review9b; proofs/review9b-1h.test.yml): "a shorter one not at all"
// is false of it.
TEST_CASE("a slow group whose alerts read ranges as long as the interval sees short problems", "[lint][checks]") {
  auto finding = [](const std::string& rules) {
    auto found = testing::lint_findings("r.yml", "groups:\n- name: g\n  interval: 60m\n  rules:\n" + rules,
                                        "alerts/group-interval");
    REQUIRE(found.size() == 1);
    return std::pair{found[0].severity, found[0].message};
  };
  auto [severity, message] = finding("  - alert: A\n    expr: max_over_time(cost[2h]) > 1\n");
  CHECK(severity == core::Severity::info);
  CHECK(message == "group g is evaluated every 1h: its alerts see a problem up to that late; its alerts read ranges "
                   "that bridge the gaps");
  // A range as long as the interval reaches back to the evaluation before.
  CHECK(finding("  - alert: A\n    expr: increase(errors_total[1h]) > 0\n").first == core::Severity::info);
  // A shorter range, an instant selector beside the range, a subquery: a short problem may fall
  // between two evaluations.
  for (const char* expr : {"max_over_time(cost[30m]) > 1", "max_over_time(cost[2h]) > 1 and up == 1",
                           "max_over_time((cost > 1)[2h:1m])", "vector(1)"}) {
    INFO(expr);
    auto [sev, msg] = finding(std::string("  - alert: A\n    expr: ") + expr + "\n");
    CHECK(sev == core::Severity::warning);
    CHECK(msg == "group g is evaluated every 1h: its alerts see a problem up to that late (a shorter one not at all)");
  }
  // One alert that reads ranges and one that keeps firing: info; one of neither: a warning.
  CHECK(finding("  - alert: A\n    expr: max_over_time(cost[2h]) > 1\n  - alert: B\n    expr: up == 0\n"
                "    keep_firing_for: 1h\n") ==
        std::pair{core::Severity::info,
                  std::string("group g is evaluated every 1h: its alerts see a problem up to that late (a shorter "
                              "one not at all); each of its alerts reads ranges that bridge the gaps or keeps "
                              "firing between evaluations")});
  CHECK(finding("  - alert: A\n    expr: max_over_time(cost[2h]) > 1\n  - alert: B\n    expr: up == 0\n").first ==
        core::Severity::warning);
}

// slo-exporter records a 4w increase every 15m and reads it only as last_over_time(...[30m]), as
// its comment says it must (tests/data/review-corpus, review8b; proofs/review8b-interval.test.yml).
TEST_CASE("a slow group whose series every reader reads over a longer range is info", "[lint][checks]") {
  auto finding = [](const std::string& range) {
    auto found = testing::lint_findings(
        "r.yml",
        "groups:\n- name: sparse\n  interval: 15m\n  rules:\n  - record: slo:x:sparse\n    expr: sum(x)\n"
        "- name: dense\n  interval: 3m\n  rules:\n  - record: slo:x\n    expr: last_over_time(slo:x:sparse" +
            range + ")\n",
        "alerts/group-interval");
    REQUIRE(found.size() == 1);
    return std::pair{found[0].severity, found[0].message};
  };
  auto [severity, message] = finding("[30m]");
  CHECK(severity == core::Severity::info);
  CHECK(message == "group sparse is evaluated every 15m: the series it records are older than the 5m lookback "
                   "between evaluations; the rules that read its series read ranges that bridge the gaps");
  // A range no longer than the interval may fall between two evaluations; an instant selector does.
  CHECK(finding("[15m]").first == core::Severity::warning);
  CHECK(finding("[30m]) + slo:x:sparse * (0").first == core::Severity::warning);
}

TEST_CASE("findings point into the expression, block scalars included", "[lint][checks]") {
  std::vector<core::Diagnostic> diags;
  run("  - alert: A\n    expr: |\n      sum(rate(errors_total[5m]))\n        > on() group_left\n      trainig_loss\n"
      "    labels: {severity: warning}\n    annotations: {summary: s, description: d}\n",
      false, &diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].check == "catalog/unknown-metric");
  CHECK(diags[0].span.line == 9);
  CHECK(diags[0].span.col == 7);
  CHECK(diags[0].span.len == 12);
  CHECK(diags[0].suggestion == "did you mean training_loss?");
  CHECK(diags[0].rule == "A");
  CHECK(diags[0].group == "g");
}

TEST_CASE("policy/annotations: one finding per alert, naming what it lacks and why", "[lint][checks]") {
  auto finding = [](const std::string& annotations, const std::string& labels = "severity: warning") {
    std::vector<core::Diagnostic> diags;
    run("  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {" + labels + "}\n" +
            (annotations.empty() ? "" : "    annotations: {" + annotations + "}\n"),
        false, &diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].check == "policy/annotations");
    return std::pair{diags[0].message, diags[0].suggestion};
  };
  SECTION("both missing") {
    auto [msg, fix] = finding("");
    CHECK(msg == "alert A has no summary and description annotations");
    CHECK(fix.empty());
  }
  SECTION("kubernetes-mixin's message annotation, before 2020") {
    auto [msg, fix] = finding("message: m, runbook_url: u");
    CHECK(msg == "alert A has no summary and description annotations: it has the older message annotation "
                 "(kubernetes-mixin's convention until 2020)");
    CHECK(fix == "rename message to description and add summary");
  }
  SECTION("message beside a description") {
    auto [msg, fix] = finding("message: m, description: d");
    CHECK(msg == "alert A has no summary annotation: it has the older message annotation "
                 "(kubernetes-mixin's convention until 2020)");
    CHECK(fix == "rename message to summary");
  }
  SECTION("the texts written as labels") {
    auto [msg, fix] = finding("", "severity: warning, summary: s, description: d");
    CHECK(msg == "alert A has no summary and description annotations: summary and description are labels here");
    CHECK(fix.rfind("move summary and description from labels to annotations", 0) == 0);
  }
}

TEST_CASE("nsmon disable comments and the policy silence checks", "[lint][checks]") {
  CHECK(run("  # nsmon disable units/percent-as-ratio\n" + alert("cpu_usage_percent > 0.9"), false).empty());
  std::string second = alert("cpu_usage_percent > 0.8");
  second.replace(second.find("alert: A"), 8, "alert: B");
  CHECK(run(alert("cpu_usage_percent > 0.9") + "  # nsmon disable units/percent-as-ratio\n" + second, false) ==
        std::vector<std::string>{"units/percent-as-ratio"});
}

TEST_CASE("a disable comment naming no check is reported where it is, with the nearest id", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  CHECK(run("  # nsmon disable units/percent-as-ratios, promql/rate-on-gauge\n" + alert("cpu_usage_percent > 0.9"),
            false, &all) == std::vector<std::string>{"rules/unknown-disable", "units/percent-as-ratio"});
  REQUIRE(!all.empty());
  CHECK(all[0].span.line == 5);
  CHECK(all[0].span.col == 19);
  CHECK(all[0].span.len == static_cast<int>(std::string("units/percent-as-ratios").size()));
  CHECK(all[0].suggestion == "did you mean units/percent-as-ratio?");
  // A known id, after a comma: nothing to say.
  CHECK(run("  # nsmon disable promql/rate-on-gauge,units/percent-as-ratio\n" + alert("cpu_usage_percent > 0.9"), false)
            .empty());
}

TEST_CASE("a disable comment naming another command's check, or this check itself, silences nothing",
          "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  // lint-metrics' check: a check nsmon has, but no rule file ever has its finding.
  CHECK(run("  # nsmon disable metrics/reserved-suffix\n" + alert("cpu_usage_percent > 0.9"), false, &all) ==
        std::vector<std::string>{"rules/unknown-disable", "units/percent-as-ratio"});
  REQUIRE(!all.empty());
  CHECK(all[0].message ==
        "'# nsmon disable' names metrics/reserved-suffix, a check of nsmon lint-metrics, not of lint-rules: it "
        "silences nothing here");
  // The check of these comments cannot be silenced by one: its finding would hide itself.
  CHECK(run("  # nsmon disable rules/unknown-disable, units/percent-as-ratio\n" + alert("cpu_usage_percent > 0.9"),
            false, &all) == std::vector<std::string>{"rules/unknown-disable"});
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "'# nsmon disable' cannot silence rules/unknown-disable, the check of these comments");
  CHECK(all[0].span.col == 19);
}

TEST_CASE("removed-label names the step that removed the label, under histogram_quantile", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("max by (model) (histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket[10m])))) > 2"),
      false, &all);
  REQUIRE(all.size() == 1);
  CHECK(std::string(all[0].check.id()) == "labels/removed-label");
  CHECK(all[0].message == "by (model): the aggregated series have no model, sum by (le) keeps only le");
  // le itself: histogram_quantile() took it off, not the sum that kept it.
  run(alert("max by (le) (histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket[10m])))) > 2"),
      false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "by (le): the aggregated series have no le, histogram_quantile() removes it");
  // on (x) of a side an aggregation took x off: it matches only the other side's series without x.
  run(alert("node_load1 * on (cluster) group_right (job) group by (device) (node_network_up) > 2"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "on (cluster): the right side has no cluster, group by (device) keeps only device: it "
                          "matches only the left side's series without cluster");
  run(alert("sum(node_load1) * on (cluster) sum(node_load5) > 2"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "on (cluster): neither side has cluster (left: sum() keeps no label; right: sum() keeps no "
                          "label): '*' matches its series as if cluster were not listed");
}

TEST_CASE("counter-raw: a counter by the catalog, a counter by its name only", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("errors_total > 5"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("errors_total is a counter:") == 0);
  // Another exporter's _total: a counter by convention only (TiKV's tikv_worker_pending_task_total
  // is a gauge).
  run(alert("node_edac_uncorrectable_errors_total > 5"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/counter-raw"));
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.find("node_edac_uncorrectable_errors_total is named like a counter: if it is one") == 0);
}

// review14: another exporter's _total named for a state things are in now, or selected by one,
// counts them now (a gauge named _total): no guess that it is a counter. A counter of events
// (queued: a past participle) and a state the catalog's counter is selected by stay reported.
TEST_CASE("counter-raw: a _total named or selected for a state now is no counter by its name", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto counter_raw = [&](const std::string& expr) {
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& d) { return d.check != core::CheckId("promql/counter-raw"); });
    return all.size();
  };
  // node_ is another exporter's prefix in the embedded catalog: these names stand for
  // cnpg_backends_waiting_total, tikv_worker_pending_task_total and bullmq_jobs_total.
  CHECK(counter_raw("sum by (instance) (node_backends_waiting_total) > 10") == 0);
  CHECK(counter_raw("node_worker_pending_task_total > 100") == 0);
  CHECK(counter_raw("sum(node_jobs_total{state=\"waiting\"}) > 20") == 0);
  CHECK(counter_raw("node_backends_waiting_total / node_backends_total > 0.5") == 0);
  CHECK(counter_raw("sum(node_jobs_total{state=\"failed\"}) > 20") == 1);
  CHECK(counter_raw("node_jobs_queued_total > 100") == 1);
  CHECK(counter_raw("node_backends_total / node_requests_total > 0.5") == 1);
  CHECK(counter_raw("errors_total{status=\"pending\"} > 5") == 1);
}

// review10b: aerospike-prometheus-exporter writes aerospike_latencies_read_ms_bucket as the last
// latency slice's operations per second per le, not cumulative counters; only the catalog knows a
// _bucket series is a histogram's.
TEST_CASE("histogram-quantile-rate: buckets by the catalog, buckets by their name only", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto found = [&](const std::string& expr) {
    run(alert(expr), false, &all);
    std::erase_if(all,
                  [](const core::Diagnostic& d) { return d.check != core::CheckId("promql/histogram-quantile-rate"); });
    return all.size();
  };
  REQUIRE(found("histogram_quantile(0.9, inference_time_seconds_bucket) > 1") == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("histogram_quantile over the raw cumulative inference_time_seconds_bucket counters") == 0);
  REQUIRE(found("histogram_quantile(0.95, aerospike_latencies_read_ms_bucket{job=\"aerospike\"}) > 2") == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message ==
        "histogram_quantile over the raw aerospike_latencies_read_ms_bucket, with no rate() and no sum by (le), "
        "named like a histogram's cumulative buckets: if they are, the answer covers the whole lifetime of the "
        "process, not recent observations");
  REQUIRE(found("histogram_quantile(0.95, sum by (le) (aerospike_latencies_read_ms_bucket)) > 2") == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.find("histogram_quantile over the raw aerospike_latencies_read_ms_bucket, named like") == 0);
  // The expression rates the same histogram elsewhere (Thanos's latency alerts before 4dc1684):
  // its author takes the series for counters.
  REQUIRE(found("histogram_quantile(0.99, sum by (job, le) (http_request_duration_seconds_bucket)) > 90 and sum by "
                "(job) (rate(http_request_duration_seconds_count[5m])) > 0") == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("histogram_quantile over the raw cumulative http_request_duration_seconds_bucket counters "
                            "(the expression rates the same histogram elsewhere)") == 0);
  // Another histogram's rate says nothing of this one.
  REQUIRE(found("histogram_quantile(0.99, sum by (le) (aerospike_latencies_read_ms_bucket)) > 2 and "
                "rate(aerospike_latencies_read_ms_count_total[5m]) > 0") == 1);
  CHECK(all[0].severity == core::Severity::info);
}

// awesome-prometheus-alerts 97a31f3 (tests/data/shipped-bugs): index time over index count, raw.
TEST_CASE("counter-raw: a ratio of two raw counters", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("disk_read_bytes_total / disk_write_bytes_total > 2"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/counter-raw"));
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("disk_read_bytes_total and disk_write_bytes_total are counters: dividing their raw values "
                            "gives the average since each process started") == 0);
  run(alert("sum(failed_predictions_total) / sum(predictions_total) > 0.05"), false, &all);
  CHECK(all.size() == 1);
  // Other exporters' names: a guess, at info.
  run(alert("node_disk_read_time_seconds_total / node_disk_reads_completed_total > 0.01"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.find("are named like counters: if they are, dividing") != std::string::npos);
  // Their rates: no finding; a counter over a gauge is not this.
  run(alert("rate(disk_read_bytes_total[5m]) / rate(disk_write_bytes_total[5m]) > 2"), false, &all);
  CHECK(all.empty());
  run(alert("sum(errors_total) / count(up) > 5"), false, &all);
  CHECK(all.empty());
}

// Istio's mixin (review13, nlamirault/monitoring-mixins): istio_requests_total{5xx} /
// istio_requests_total, no sum: one-to-one matching pairs each 5xx series with itself, so the
// ratio is 1, not an average since the start (proofs/review13.test.yml).
TEST_CASE("a series divided by itself is 1: always-true, no since-start average", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto lint_expr = [&](const std::string& expr) { // istio_ is not in the catalog: its findings aside
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& d) { return d.check.id().starts_with("catalog/"); });
  };
  lint_expr("(istio_requests_total{response_code=~\"5.*\"} / istio_requests_total{}) > 0.05");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/always-true"));
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message ==
        "each series of istio_requests_total on the left is also on the right, with the same labels, so one-to-one "
        "matching divides it by itself: the ratio is 1; this comparison with 0.05 is always true: it removes only "
        "series at 0 (0 / 0 is NaN)");
  // A counter of the catalog read raw: no "average since each process started" (promql/counter-raw)
  // for a series over itself.
  lint_expr("disk_read_bytes_total{job=\"a\"} / disk_read_bytes_total > 0.5");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/always-true"));
  // Through rate(), the same pairs; 1 never passes < 0.1.
  lint_expr("rate(node_cpu_seconds_total{mode=\"idle\"}[5m]) / rate(node_cpu_seconds_total[5m]) < 0.1");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/impossible"));
  CHECK(all[0].message.find("divides it by itself: the ratio is 1; this comparison with 0.1 can never be true") !=
        std::string::npos);
  // Over itself times 100 (a percentage written the wrong way round): 0.01, as main's scaled whole.
  lint_expr("rate(node_cpu_seconds_total{mode=\"idle\"}[5m]) / (rate(node_cpu_seconds_total[5m]) * 100) > 5");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/impossible"));
  CHECK(all[0].message.find("the divisor is the series times 100, so the quotient is 0.01;") != std::string::npos);
  // The ratio to itself times 100: one value, said as one ("its values lie in always 100" before).
  lint_expr("increase(grpc_server_handled_total{grpc_code!=\"OK\"}[5m]) / increase(grpc_server_handled_total[5m]) * "
            "100 > 110");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/impossible"));
  CHECK(all[0].message.rfind("its value is always 100; this comparison with 110 can never be true", 0) == 0);
  // Summed by job, the part over the whole: a real ratio, nothing to say.
  lint_expr("sum by (job) (rate(istio_requests_total{response_code=~\"5.*\"}[5m])) / sum by (job) "
            "(rate(istio_requests_total[5m])) > 0.05");
  CHECK(all.empty());
}

// A raw counter inside arithmetic still grows with the process's uptime (review: node_exporter's
// receive plus transmit bytes over the link's speed, compared with 0.8).
TEST_CASE("counter-raw: a raw counter through arithmetic", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto found = [&](const std::string& expr) {
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& d) { return d.check != core::CheckId("promql/counter-raw"); });
    return all.size();
  };
  // The catalog's counter, divided by a number and multiplied: a fact, a warning.
  REQUIRE(found("errors_total / 60 * 100 > 5") == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message == "this side reads errors_total raw, and errors_total is a counter: its raw value only grows, "
                          "so this comparison depends on when the process started");
  // Other exporters' names, summed and over a series that is no counter: a guess, at info.
  REQUIRE(found("(node_network_receive_bytes_total + node_network_transmit_bytes_total) / node_network_speed_bytes > "
                "0.8") == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(
      all[0].message.find("this side reads node_network_receive_bytes_total raw, and node_network_receive_bytes_total "
                          "is named like a counter: if it is one") == 0);
  // A ratio of two raw counters times 100: the mean since the start.
  REQUIRE(found("sum(failed_predictions_total) / sum(predictions_total) * 100 > 5") == 1);
  CHECK(all[0].message.find("failed_predictions_total and predictions_total are counters: dividing their raw values") ==
        0);
  // A part of one counter over its whole (review10b: aerospike's CPU utilisation since boot).
  REQUIRE(found("sum by (instance) (node_cpu_seconds_total{mode!=\"idle\"}) / on (instance) group_left sum by "
                "(instance) (node_cpu_seconds_total) * 100 > 70") == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.find("both sides of '/' read node_cpu_seconds_total raw, and node_cpu_seconds_total is named "
                            "like a counter: if it is one, dividing their raw values gives the average since") == 0);
  // What is no raw counter: a difference of two (a lag), a count of series, a number over a
  // counter, rates, a counter over a count.
  CHECK(found("kafka_log_end_offset_total - kafka_consumer_offset_total > 1000") == 0);
  CHECK(found("count(errors_total) > 5") == 0);
  CHECK(found("count by (job) (node_edac_uncorrectable_errors_total) > 5") == 0);
  CHECK(found("100 / errors_total > 5") == 0);
  CHECK(found("rate(errors_total[5m]) * 60 > 5") == 0);
  CHECK(found("sum(errors_total) / count(up) * 100 > 5") == 0);
  // An uptime counter compared raw is a restart detector (awesome-prometheus-alerts' ApacheRestart).
  CHECK(found("apache_uptime_seconds_total / 60 < 1") == 0);
  CHECK(found("apache_uptime_seconds_total < 60") == 0);
  // Another exporter's counter through arithmetic compared with 0: not reported, as plain.
  CHECK(found("node_edac_uncorrectable_errors_total * 2 > 0") == 0);
}

// A part over its whole scaled in the divisor (a / (b * 100), a percentage written the wrong way
// round) is at most 0.01 (proofs/part-over-scaled-whole.test.yml).
// The findings of one check on an alert of `expr`.
static std::vector<core::Diagnostic> findings_of(core::CheckId check, const std::string& expr) {
  std::vector<core::Diagnostic> all;
  run(alert(expr), false, &all);
  std::erase_if(all, [&](const core::Diagnostic& d) { return d.check != check; });
  return all;
}

TEST_CASE("impossible: a part over its whole times a number", "[lint][checks]") {
  auto impossible = [](const std::string& expr) { return findings_of("promql/impossible", expr).size(); };
  const std::string part = "sum(rate(x_total{code=~\"5..\"}[5m]))";
  auto all = findings_of("promql/impossible", part + " / (sum(rate(x_total[5m])) * 100) > 5");
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "a ratio of some of the series of x_total to all of them is between 0 and 1, and the divisor "
                          "is the whole times 100, so the quotient is between 0 and 0.01; this comparison with 5 can "
                          "never be true: the expression never returns anything");
  CHECK(impossible(part + " / (100 * sum(rate(x_total[5m]))) > 0.05") == 1);
  CHECK(impossible(part + " / (sum(rate(x_total[5m])) * 100) > 0.005") == 0);
  CHECK(impossible(part + " / (sum(rate(x_total[5m])) * 0.01) > 5") == 0); // at most 100
  CHECK(impossible(part + " / (sum(rate(x_total[5m])) * -1) > 5") == 0);   // no bound claimed
}

TEST_CASE("impossible: a bucket's le that is no number says why", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("sum(rate(prometheus_http_request_duration_seconds_bucket{le=\"0(\\\\.0)?\"}[5m])) > 1"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "this selector can never select a series: le=\"0(\\.0)?\" is no number, and every bucket's "
                          "le is one (its upper bound): = compares text, =~ takes a regex");
  run(alert("sum(rate(prometheus_http_request_duration_seconds_bucket{le=\"5s\"}[5m])) > 1"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "this selector can never select a series: le=\"5s\" is no number, and every bucket's le is "
                          "one (its upper bound)");
}

TEST_CASE("impossible: le on a series that is not a bucket names the bucket", "[lint][checks]") {
  // The names are no catalog's: only promql/impossible is looked at.
  auto impossible = [](const std::string& expr) { return findings_of("promql/impossible", expr); };
  auto all = impossible("sum(rate(sidekiq_jobs_failed_total{le=\"+Inf\"}[5m])) > 1");
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "this selector can never select a series: le=\"+Inf\" wants an le label, and client "
                          "libraries write it only on a histogram's _bucket series (x_bucket): "
                          "sidekiq_jobs_failed_total, named as a counter, has none");
  all = impossible("sum(rate(job_duration_seconds_sum{le!=\"\"}[5m])) > 1");
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "this selector can never select a series: le!=\"\" wants an le label, and client "
                          "libraries write it only on a histogram's _bucket series (job_duration_seconds_bucket): "
                          "job_duration_seconds_sum has none");
  // A name the rules record keeps whatever its rule keeps, le included.
  std::string rules = "groups:\n- name: g\n  rules:\n  - record: job_duration_seconds_sum\n    expr: sum by (le) "
                      "(rate(job_duration_seconds_bucket[5m]))\n  - alert: A\n    expr: "
                      "job_duration_seconds_sum{le=\"1\"} > 1\n    labels: {severity: warning}\n    annotations: "
                      "{summary: s, description: d}\n";
  CHECK(testing::lint_findings("r.yml", rules, "promql/impossible").empty());
}

TEST_CASE("format-placeholder: says what the matcher does with the text", "[lint][checks]") {
  auto one = [](const std::string& expr) {
    std::vector<core::Diagnostic> all, found;
    run(alert(expr), false, &all);
    for (auto& d : all)
      if (d.check == "rules/format-placeholder") found.push_back(d);
    REQUIRE(found.size() == 1);
    return found[0].message;
  };
  CHECK(one("sum(rate(sidekiq_jobs_failed_total{shard=\"%(shard)s\"}[5m])) > 1") ==
        "shard=\"%(shard)s\": %(shard)s is a jsonnet (or Python) format placeholder left unexpanded by whatever "
        "generated the rule, and Prometheus expands nothing in an expression; the matcher compares shard with the "
        "text \"%(shard)s\", which no shard is written like: the selector selects nothing");
  CHECK(one("sum(rate(sidekiq_jobs_failed_total{shard!~\"%(shard)s\"}[5m])) > 1") ==
        "shard!~\"%(shard)s\": %(shard)s is a jsonnet (or Python) format placeholder left unexpanded by whatever "
        "generated the rule, and Prometheus expands nothing in an expression; the matcher reads it as the text "
        "\"%shards\", which no shard is written like: that part of the regex removes no series");
  CHECK(one("sum(rate(sidekiq_jobs_failed_total{shard!=\"%s\"}[5m])) > 1") ==
        "shard!=\"%s\": %s is a format verb (printf's, or jsonnet's % operator's) left unexpanded by whatever "
        "generated the rule, and Prometheus expands nothing in an expression; the matcher compares shard with the "
        "text \"%s\", which no shard is written like, and removes no series");
  // A file that has the placeholder outside its rules too is a template filled in when deployed.
  std::string manifest = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: r\n"
                         "  namespace: '%(namespace)s'\nspec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n"
                         "      expr: 'up{job=\"%(job)s\"} == 0'\n      labels: {severity: warning}\n"
                         "      annotations: {summary: s, description: d}\n";
  auto found = testing::lint_findings("r.yaml", manifest, "rules/format-placeholder");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::info);
  CHECK(found[0].message.find("(the file has %(...) outside its rules too)") != std::string::npos);
}

namespace {
// The one finding of an alert on expr (REQUIREd to be the only one).
core::Diagnostic only_finding(const std::string& expr) {
  std::vector<core::Diagnostic> all;
  run(alert(expr), false, &all);
  REQUIRE(all.size() == 1);
  return all[0];
}
} // namespace

TEST_CASE("regex-as-text: what = compares, and the matcher to write", "[lint][checks]") {
  const core::Diagnostic d = only_finding("avg(node_blocklist_length{namespace=\".*\"}) > 1");
  CHECK(d.severity == core::Severity::warning);
  CHECK(d.message == "namespace=\".*\" compares text: it selects only the series whose namespace is \".*\" itself, "
                     "not what the regex .* matches");
  CHECK(d.suggestion == "for a regex, write namespace=~\".*\"");
}

TEST_CASE("unnormalized-le: what Prometheus 3 stores, and the matcher that works on 2 and 3", "[lint][checks]") {
  auto le_finding = [](const std::string& expr) {
    std::vector<core::Diagnostic> all;
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& x) { return x.check != "promql/unnormalized-le"; });
    REQUIRE(all.size() == 1);
    return all[0];
  };
  core::Diagnostic d = le_finding("sum(rate(apiserver_request_duration_seconds_bucket{le=\"1\"}[5m])) > 1");
  // Prometheus 3.0 (2024-11-14) is under three years old at exporters.yml's renames_as_of: a note.
  CHECK(d.severity == core::Severity::info);
  CHECK(d.message == "le=\"1\" selects no bucket on Prometheus 3, which stores le=\"1\" as le=\"1.0\" (Prometheus 2 "
                     "kept the exporter's text)");
  CHECK(d.suggestion == "write le=~\"1(\\\\.0)?\" for both, or le=\"1.0\" for Prometheus 3");
  d = le_finding("sum(rate(apiserver_request_duration_seconds_bucket{le!=\"1000000\"}[5m])) > 1");
  CHECK(d.message == "le!=\"1000000\" leaves out no bucket on Prometheus 3, which stores le=\"1000000\" as "
                     "le=\"1e+06\" (Prometheus 2 kept the exporter's text)");
  CHECK(d.suggestion == "write le!~\"1000000|1e\\\\+06\" for both, or le!=\"1e+06\" for Prometheus 3");
}

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
  run(q("sum(rate(x_total{code=~\"5..\"}[5m])) / sum(rate(x_total[5m])) > 1") +
          q("sum by (verb) (rate(x_total{code=~\"5..\"}[5m])) / sum by (verb) (rate(x_total[5m])) > 10") +
          q("sum by (verb) (rate(x_total{code=~\"5..\"}[5m])) / sum by (verb) (rate(x_total[5m])) > 5"),
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
}
