// The harness of the checks' tests (test_lint_checks*.cpp, test_lint_check_*.cpp): rules of one
// group (30s) in, the ids of every finding out, in report order.
#pragma once
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "nsmon/lint/lint.hpp"

namespace nsmon::testing::checks {

inline const char* kConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 15s}
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
inline const char* kRelabelConfig = R"(global:
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
inline const char* kKubeConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 15s}
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
inline const char* kFederateConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 15s}
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
inline std::string alert(const std::string& expr, const std::string& extra = "",
                         const std::string& annotations = "summary: s, description: d") {
  return "  - alert: A\n    expr: '" + expr + "'\n    labels: {severity: warning}\n    annotations: {" + annotations +
         "}\n" + extra;
}

inline std::string record(const std::string& name, const std::string& expr) {
  return "  - record: " + name + "\n    expr: '" + expr + "'\n";
}

inline std::vector<std::string> run(const std::string& rules_body, bool with_config,
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

// The one finding of an alert on expr (REQUIREd to be the only one).
inline core::Diagnostic only_finding(const std::string& expr) {
  std::vector<core::Diagnostic> all;
  run(alert(expr), false, &all);
  REQUIRE(all.size() == 1);
  return all[0];
}

} // namespace nsmon::testing::checks
