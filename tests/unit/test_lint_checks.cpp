// Every semantic check: a bad case it must report and a tricky clean case it must not.
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"

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

struct Case {
  const char* name;
  std::string rules;                 ///< the body of one group's rule list
  std::vector<std::string> expected; ///< check ids reported (sorted as reported)
  bool with_config = false;
};

// An alert with the policy's labels and annotations, so only the check under test speaks.
std::string alert(const std::string& expr, const std::string& extra = "",
                  const std::string& annotations = "summary: s, description: d") {
  return "  - alert: A\n    expr: '" + expr + "'\n    labels: {severity: warning}\n    annotations: {" + annotations +
         "}\n" + extra;
}

std::vector<std::string> run(const std::string& rules_body, bool with_config,
                             std::vector<core::Diagnostic>* all = nullptr) {
  core::SourceFile rules_src("r.yml", "groups:\n- name: g\n  interval: 30s\n  rules:\n" + rules_body);
  core::SourceFile cfg_src("p.yml", kConfig);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(rules_src, diags));
  if (with_config) in.config = rules::load_config(cfg_src, diags);
  lint::Options opt;
  opt.catalog = &catalog::embedded();
  auto found = lint::run(in, opt);
  diags.insert(diags.end(), found.begin(), found.end());
  core::sort_diagnostics(diags);
  std::vector<std::string> ids;
  for (const auto& d : diags) ids.push_back(d.check);
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
      {"unknown label", alert("rate(images_processed_total{statuss=\"failed\"}[5m]) > 0"), V{"catalog/unknown-label"}},
      {"target labels are known", alert("rate(images_processed_total{job=\"a\",instance=~\".+\"}[5m]) > 0"), V{}},
      {"static target labels from the config", alert("rate(images_processed_total{app=\"neurosymbolic\"}[5m]) > 0"),
       V{}, true},
      {"unknown label value", alert("rate(images_processed_total{status=\"failure\"}[5m]) > 0"),
       V{"catalog/unknown-label-value"}},
      {"regex value is not checked against the set", alert("rate(images_processed_total{status=~\"fail.*\"}[5m]) > 0"),
       V{}},
      {"unknown grouping label", alert("sum by (stge) (rate(errors_total[5m])) > 1"), V{"catalog/unknown-label"}},
      {"undefined recording rule", alert("job:errors:rate5m > 1"), V{"rules/undefined-recording-rule"}},
      {"recording rule defined later",
       alert("job:errors:rate5m > 1") +
           "  - record: job:errors:rate5m\n    expr: sum by (job) (rate(errors_total[5m]))\n",
       V{}},
      {"rate on gauge", alert("rate(cpu_usage_percent[5m]) > 1"), V{"promql/rate-on-gauge"}},
      {"deriv on gauge", alert("deriv(cpu_usage_percent[5m]) > 1"), V{}},
      {"counter raw", alert("errors_total > 5"), V{"promql/counter-raw"}},
      {"counter increase", alert("increase(errors_total[1h]) > 5"), V{}},
      {"quantile without rate", alert("histogram_quantile(0.9, inference_time_seconds_bucket) > 1"),
       V{"promql/histogram-quantile-rate"}},
      {"quantile without le", alert("histogram_quantile(0.9, sum(rate(inference_time_seconds_bucket[5m]))) > 1"),
       V{"promql/histogram-quantile-le"}},
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
      {"template label from the rule's labels",
       alert("sum(rate(errors_total[5m])) > 0.1", "", "summary: s, description: '{{ $labels.severity }}'"), V{}},
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
      {"ratio inside its range", alert("max by (model) (validation_map) < 0.5"), V{}},
      {"ratio equal to its top", alert("max by (model) (validation_map) >= 1"), V{}},
      {"percent inside its range", alert("cpu_usage_percent > 90"), V{}},
      {"ratio in range", alert("min by (model) (validation_map) < 0.3"), V{}},
      {"no comparison", alert("sum(rate(errors_total[5m]))"), V{"alerts/no-comparison"}},
      {"a Watchdog alert fires on purpose", alert("vector(1)"), V{}},
      {"absent is a condition", alert("absent(up{job=\"neurosymbolic-app\"})", "    for: 5m\n"), V{}},
      {"value in labels",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {severity: warning, v: '{{ $value }}'}\n"
       "    annotations: {summary: s, description: d}\n",
       V{"alerts/value-in-labels"}},
      {"value in annotations", alert("cpu_usage_percent > 90", "", "summary: s, description: '{{ $value }}'"), V{}},
      {"absent without for", alert("absent(up{job=\"neurosymbolic-app\"})"), V{"alerts/absent-without-for"}},
      {"for shorter than the interval", alert("cpu_usage_percent > 90", "    for: 10s\n"), V{"alerts/for-too-short"}},
      {"for of one interval", alert("cpu_usage_percent > 90", "    for: 30s\n"), V{}},
      {"topk in an alert", alert("topk(3, rate(errors_total[5m])) > 1"), V{"alerts/topk"}},
      {"topk by (x) (1, ...): one series per group", alert("topk by (error_type) (1, rate(errors_total[5m])) > 1"),
       V{}},
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
      {"rate window vs scrape interval", alert("rate(errors_total{job=\"neurosymbolic-app\"}[1m]) > 1"),
       V{"config/rate-window"}, true},
      {"rate window of two intervals", alert("rate(errors_total{job=\"neurosymbolic-app\"}[2m]) > 1"), V{}, true},
      {"quantile as a percentage",
       alert("histogram_quantile(95, sum by (le) (rate(inference_time_seconds_bucket[5m]))) > 1"),
       V{"promql/quantile-range"}},
      {"quantile as a fraction", alert("quantile(0.95, rate(errors_total[5m])) > 1"), V{}},
      {"le that is not a bucket", alert("rate(inference_time_seconds_bucket{le=\"0.25\"}[5m]) > 1"),
       V{"catalog/unknown-label-value"}},
      {"le written as Python prints it", alert("rate(inference_time_seconds_bucket{le=\"1.0\"}[5m]) > 1"), V{}},
      {"severity missing",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    annotations: {summary: s, description: d}\n",
       V{"policy/severity"}},
      {"severity outside the set",
       "  - alert: A\n    expr: 'cpu_usage_percent > 90'\n    labels: {severity: critcal}\n"
       "    annotations: {summary: s, description: d}\n",
       V{"policy/severity"}},
      {"annotations missing", alert("cpu_usage_percent > 90", "", "summary: s"), V{"policy/annotations"}},
  };
  for (const auto& c : cases) {
    INFO(c.name << "\n" << c.rules);
    CHECK(run(c.rules, c.with_config) == c.expected);
  }
}

TEST_CASE("a group evaluated less often than every 5m", "[lint][checks]") {
  core::SourceFile src("r.yml",
                       "groups:\n- name: g\n  interval: 10m\n  rules: []\n- name: h\n  interval: 5m\n  rules: []\n");
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(src, diags));
  lint::Options opt;
  opt.catalog = &catalog::embedded();
  auto found = lint::run(in, opt);
  REQUIRE(found.size() == 1);
  CHECK(found[0].check == "alerts/group-interval");
  CHECK(found[0].span.line == 3);
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

TEST_CASE("nsmon disable comments and the policy silence checks", "[lint][checks]") {
  CHECK(run("  # nsmon disable units/percent-as-ratio\n" + alert("cpu_usage_percent > 0.9"), false).empty());
  std::string second = alert("cpu_usage_percent > 0.8");
  second.replace(second.find("alert: A"), 8, "alert: B");
  CHECK(run(alert("cpu_usage_percent > 0.9") + "  # nsmon disable units/percent-as-ratio\n" + second, false) ==
        std::vector<std::string>{"units/percent-as-ratio"});
}
