#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/rules/disable.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::rules {

/// One entry of relabel_configs or metric_relabel_configs, Prometheus's defaults filled in.
struct RelabelRule {
  std::string action = "replace"; ///< lower case
  std::vector<std::string> source_labels;
  std::string regex = "(.*)";
  std::string target_label;
  std::string replacement = "$1";
  core::Span span; ///< the entry
  /// Whether a label name matches `regex`, anchored (RE2, as Prometheus); false for a bad regex.
  std::function<bool(std::string_view)> matches;
};

/// One scrape job of prometheus.yml, with its effective intervals.
struct ScrapeJob {
  core::Located name;
  std::int64_t interval_ms = 0; ///< the job's own, else the global one
  std::int64_t timeout_ms = 0;
  std::vector<core::Located> targets; ///< static_configs targets
  std::vector<KeyValue> labels;       ///< static_configs labels (become target labels)
  bool has_service_discovery = false;
  core::Span span;
  bool honor_labels = false;
  std::size_t static_configs = 0;                  ///< entries of static_configs (`labels` counts them)
  std::vector<RelabelRule> relabel_configs;        ///< on the targets' labels
  std::vector<RelabelRule> metric_relabel_configs; ///< on every scraped series
};

/// The parts of prometheus.yml that lint-rules uses, with positions.
struct Config {
  std::string path;
  std::int64_t scrape_interval_ms = 60000; ///< Prometheus's defaults
  std::int64_t scrape_timeout_ms = 10000;
  std::int64_t evaluation_interval_ms = 60000;
  std::vector<KeyValue> external_labels;
  std::vector<core::Located> rule_files;           ///< as written (globs, relative to the config)
  std::vector<core::Located> alertmanager_targets; ///< static targets of alerting.alertmanagers
  bool alertmanager_discovery = false;             ///< alertmanagers found through service discovery
  core::Span alerting_span;                        ///< where to point when no Alertmanager is configured
  std::vector<ScrapeJob> jobs;
  std::vector<DisabledLines> disabled; ///< `# nsmon disable` comments: `first` 0 for the whole file
};

/// Reads prometheus.yml strictly (unknown fields, types, durations, scrape_timeout <=
/// scrape_interval, duplicate job names, targets as host:port). Findings go to `diags`.
Config load_config(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);

/// The rule files a config names, resolved relative to the config's directory (globs expanded,
/// sorted). A plain path that does not exist, or a glob that matches nothing, is a finding.
std::vector<std::string> resolve_rule_files(const Config& cfg, std::vector<core::Diagnostic>& diags);

} // namespace nsmon::rules
