#pragma once
// catalog/exporters: what nsmon knows about well-known exporters' series (node_exporter,
// kube-state-metrics, Prometheus's and Alertmanager's own), whatever catalog the user gives: the
// labels each writes on a metric, the closed value sets, and the version that added a label. The
// facts live in rules/exporters.yml, compiled in, each with the exporter's source and version.

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::catalog {

struct Exporter;

/// One label an exporter writes on a metric.
struct ExporterLabel {
  std::string name;
  std::vector<std::string> values; ///< the closed set it writes (the union over versions); empty: open
  std::string since;               ///< the exporter version that added it; "": every version has it
  std::string maybe;               ///< why only some series carry it (a feature flag); "": all do
  /// Why scrape configs also use the name for a target label (type), which then takes it on
  /// every series of the target: "" when they do not.
  std::string target_label_too;
};

struct ExporterMetric {
  std::string name;
  const Exporter* exporter = nullptr;
  std::vector<ExporterLabel> labels;

  const ExporterLabel* label(std::string_view n) const;
};

struct Exporter {
  std::string name;    ///< as its users call it ("node_exporter", "Alertmanager")
  std::string source;  ///< its repository
  std::string version; ///< the release whose source the facts were read from ("1.9.1")
  /// Each metric lists every label the exporter writes on it: one of the exporter's labels that a
  /// metric does not list is one its series never carry.
  bool closed = false;
  std::vector<ExporterMetric> metrics;
  /// The labels it writes on some of `metrics` and that no target label is named like (not
  /// target_label_too), sorted: a closed exporter's metric that does not list one lacks it.
  std::vector<std::string> labels;
};

/// The exporters' facts, looked up by series name.
class Exporters {
public:
  std::deque<Exporter> exporters; ///< a deque: metrics point to their exporter

  /// The metric a series name is, or nullptr.
  const ExporterMetric* find(std::string_view series) const;
  /// Rebuilds the index and each exporter's `labels`; load_exporters() calls it.
  void reindex();

private:
  std::unordered_map<std::string, const ExporterMetric*, util::StringHash, std::equal_to<>> by_name_;
};

/// Reads exporters.yml text; problems are appended to `diags`.
Exporters load_exporters(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);
/// The facts compiled into the binary (rules/exporters.yml).
const Exporters& exporters();

} // namespace nsmon::catalog
