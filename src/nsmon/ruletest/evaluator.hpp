#pragma once
// Rule groups evaluated over an engine::Storage as Prometheus's rule manager evaluates them
// (rules/group.go, alerting.go, recording.go): recording rules write their results back, alerting
// rules keep alert state (pending, firing with `for`, `keep_firing_for`, resolved) and write
// ALERTS / ALERTS_FOR_STATE; a series a rule no longer returns gets a staleness marker.
// Shared by `test-rules` (every group at every evaluation_interval step) and `watch --rules`
// (eval_group when a group is due).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/engine/engine.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::ruletest {

using engine::Labels;

/// A rule ready to evaluate: the model and its parsed expression.
struct EvalRule {
  const rules::Rule* rule = nullptr;
  std::shared_ptr<const promql::ParseResult> expr;
};

struct EvalGroup {
  std::string file;
  std::string name;
  std::int64_t interval_ms = 60'000;
  std::int64_t query_offset_ms = 0;
  std::int64_t limit = 0;
  std::vector<EvalRule> rules;
};

/// Parses every rule's expression (positioned promql/syntax findings for those that do not
/// parse, which are left out) and builds the groups of `files` in file order.
std::vector<EvalGroup> compile_groups(const std::vector<rules::RuleFile>& files, std::int64_t default_interval_ms,
                                      const promql::ParseOptions& parse, std::vector<core::Diagnostic>& diags);

/// What a label or annotation template sees (Prometheus's AlertTemplateData).
struct TemplateData {
  const std::string& alertname;
  const Labels& labels; ///< the series' labels
  double value;
  const Labels& external_labels;
  const std::string& external_url;
  std::int64_t t; ///< evaluation time (ms)
};
/// Expands one label or annotation template; errors are returned as Prometheus writes them into
/// the value ("<error expanding template: ...>"). Empty: Prometheus's Go templates
/// (gotemplate::expand_alert_template), `query` evaluated on the evaluator's storage.
using Expander = std::function<std::string(const std::string& text, const TemplateData& data)>;

enum class AlertState { inactive, pending, firing };
const char* to_string(AlertState s);

/// One alert instance of an alerting rule.
struct Alert {
  std::string rule;  ///< the alert's name
  std::string group; ///< its group
  Labels labels;     ///< alertname included, no __name__
  Labels annotations;
  AlertState state = AlertState::pending;
  double value = 0;
  std::int64_t active_at = 0;
  std::int64_t fired_at = 0;
  std::int64_t resolved_at = -1;       ///< -1: not resolved
  std::int64_t keep_firing_since = -1; ///< -1: none
};

/// A rule whose evaluation failed, in promtool's words.
struct RuleError {
  std::string group;
  std::string rule;
  std::int64_t t = 0;
  std::string message;
};

/// Where a rule's expression is evaluated at `ts` (the evaluation time less the group's query
/// offset): an answer stands for the engine's, nullopt leaves the rule to the engine. `backtest`
/// answers with a range query the server evaluated at the group's steps.
using Source = std::function<std::optional<engine::Result>(const EvalRule& rule, std::int64_t ts)>;

struct EvalSettings {
  Labels external_labels;
  std::string external_url;
  engine::Options query;
  Expander expand;
  Source source; ///< empty: the engine evaluates every rule
};

class GroupEvaluator {
public:
  /// `groups` and `storage` must outlive the evaluator.
  GroupEvaluator(const std::vector<EvalGroup>& groups, engine::Storage& storage, EvalSettings settings);

  /// Evaluates every group at `t`, in order; the rules that failed.
  std::vector<RuleError> eval_at(std::int64_t t);
  /// Evaluates group `g` at `t` (watch: when the group is due).
  std::vector<RuleError> eval_group(std::size_t g, std::int64_t t);

  /// Pending and firing alerts (resolved ones excluded), of every alerting rule in group order.
  std::vector<Alert> alerts() const;
  /// Those of the rules named `name` (several groups may have one).
  std::vector<Alert> alerts(const std::string& name) const;
  /// Those of rule `rule` of group `group`.
  std::vector<Alert> alerts(std::size_t group, std::size_t rule) const;
  /// How many times each rule produced at least one sample or alert, by "group/name" index.
  const std::vector<std::vector<bool>>& produced() const { return produced_; }

private:
  struct RuleState {
    std::map<Labels, Alert> active; ///< alerting rules: by labels
    std::vector<Labels> previous;   ///< the series written at the previous evaluation
    /// The expanded labels and annotations of the previous evaluation by (series, value bits):
    /// a template without `query` gives the same text for the same series and value.
    std::map<std::pair<Labels, std::uint64_t>, std::pair<Labels, Labels>> expanded;
  };
  std::vector<engine::Sample> eval_rule(const EvalGroup& g, const EvalRule& r, RuleState& st, std::int64_t t,
                                        std::string& error);
  std::vector<engine::Sample> eval_alert(const EvalGroup& g, const EvalRule& r, RuleState& st, std::int64_t t,
                                         const std::vector<engine::Sample>& in, std::string& error);
  bool append(const Labels& ls, std::int64_t t, double v, const engine::HistogramPtr& h = nullptr);
  std::string expand(const std::string& text, const TemplateData& data) const;

  const std::vector<EvalGroup>& groups_;
  engine::Storage& storage_;
  EvalSettings settings_;
  std::vector<std::vector<RuleState>> state_;
  std::vector<std::vector<bool>> produced_;
};

} // namespace nsmon::ruletest
