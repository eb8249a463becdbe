#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/lint/cost.hpp"
#include "nsmon/lint/lint.hpp"

namespace nsmon::lint {

struct ParsedRule;
class Inference;
struct ForeignMetrics;

/// The semantic checks over all rule files of one run (catalog, types, labels, units, alerts,
/// config, policy). Findings are appended to `out`.
class Analysis {
public:
  /// `costs`, when given, receives every rule's estimated cost in file order.
  Analysis(const Input& input, const Options& options, std::vector<core::Diagnostic>& out,
           std::vector<RuleCost>* costs = nullptr)
      : input_(input), options_(options), out_(out), costs_(costs) {}
  void run();

private:
  /// A finding in `f` that carries a file offset in `col` (line 0: an expression's), put at its
  /// line:col; others are left as they are.
  static void locate(core::Diagnostic& d, const rules::RuleFile& f);
  /// The team policy's findings about one rule (its severity label and annotations); `inf` reads
  /// its expression (a severity its series carry).
  void policy(const ParsedRule& pr, Inference& inf, std::vector<core::Diagnostic>& out) const;
  void config(const rules::Config* cfg);
  /// The expressions in vmalert's other languages (MetricsQL, Graphite, LogsQL): one note per
  /// file and language; the MetricsQL of vmalert's files told from PromQL's errors.
  void vmalert_files(std::vector<ParsedRule>& parsed);
  /// Unknown metrics: one error per name prefix of the application's, one note with the policy
  /// line that declares the other exporters'.
  void foreign_metrics(const ForeignMetrics& foreign);
  /// Recording rules' names that no rule records: one finding per name.
  /// A name the file `file` records with the same level and a metric one of whose names extends
  /// the other's (cluster:node_cpu:sum_rate5m for cluster:node_cpu_seconds_total:rate5m): what a
  /// selector of `name` in that file likely meant, or "". Not when the file records a chain from
  /// `name` (name:sum_over_time): then `name` is read from elsewhere. Not the names of `readers`,
  /// the rules that read `name`: a rule that records a sibling from it (L:M:vcpu_hours from
  /// L:M:max) is a chain too.
  static std::string sibling(const std::string& name, const core::FilePath& file,
                             const std::map<std::string, RecordedMetric>& recorded,
                             const std::set<std::string_view>& readers);
  void unrecorded(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded);
  /// Selectors of names a well-known exporter renamed (exporters/renamed-metric); a name the rules
  /// record is theirs.
  void renamed_metrics(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded);
  /// A well-known exporter's metric selected under the job another is conventionally scraped
  /// under (kube_* under job="node-exporter"): one finding per selector.
  void exporter_jobs(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded);
  /// A name of a well-known exporter's prefix that none of its releases served, a letter or a
  /// word order away from one they did (exporters/misspelt-metric); a name the rules record is theirs.
  void misspelt_metrics(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded);

  /// The project of a file linted, by its path as given (projects()).
  std::string_view project(std::string_view path) const {
    auto it = projects_.find(path);
    return it == projects_.end() ? std::string_view() : std::string_view(it->second);
  }

  const Input& input_;
  const Options& options_;
  std::map<std::string, std::string, std::less<>> projects_;
  std::vector<core::Diagnostic>& out_;
  std::vector<RuleCost>* costs_;
};

} // namespace nsmon::lint
