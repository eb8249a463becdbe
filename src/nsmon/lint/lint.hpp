#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/config.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::lint {

/// Team conventions checked by the policy/* checks; changeable with --policy FILE.
struct Policy {
  std::string severity_label = "severity";
  std::vector<std::string> severity_values = {"critical", "warning", "info"};
  std::vector<std::string> required_annotations = {"summary", "description"};
  std::set<std::string> disabled;                          ///< check ids turned off
  std::map<std::string, core::Severity> severity_override; ///< check id -> severity
  /// Metric name prefixes of other exporters (kube_, node_, apiserver_): used unchecked, as the
  /// catalog's external_prefixes.
  std::vector<std::string> external_prefixes;
  /// rules/cost and server/cost: a rule reading at least cost_min_samples in one evaluation and
  /// cost_ratio times the median rule's samples per second (lint/cost.hpp).
  double cost_ratio = 10;
  double cost_min_samples = 1000000;
};

/// A check: its stable id, default severity and a one-line description (--list-checks).
using CheckInfo = core::CheckInfo;

/// The checks of lint-rules and lint-metrics (loader checks included), sorted by id: the lint
/// section of core::kChecks, which --list-checks, SARIF, policy files and completions show.
const std::vector<CheckInfo>& checks();
/// The check of checks() with this id, or nullptr.
const CheckInfo* find_check(std::string_view id);

/// --list-checks: every check whose id starts with `prefix` ("metrics/"; "" for all), with its
/// severity under `policy` ("off" when disabled) and summary.
std::string render_checks_table(const Policy& policy, std::string_view prefix = {});
std::string render_checks_json(const Policy& policy, std::string_view prefix = {});

struct Input {
  std::vector<rules::RuleFile> rule_files;
  std::optional<rules::Config> config;
};

struct Options {
  const catalog::Catalog* catalog = nullptr;
  Policy policy;
  promql::ParseOptions parse;
};

struct RuleCost;

/// Runs every check on the rule files (and the config, if given). No I/O. The result is sorted,
/// and findings silenced by `# nsmon disable` comments or the policy are removed. `costs`, when
/// given, receives every rule's estimated cost (lint/cost.hpp) in file order.
std::vector<core::Diagnostic> run(const Input& input, const Options& options, std::vector<RuleCost>* costs = nullptr);

/// The checks of lint-rules that apply to one PromQL expression on its own (promql/*, catalog/*,
/// units/*, labels/impossible-match), positioned in `src`, whose text is the expression; for
/// `query`'s pre-flight. The catalog may lag behind the server, so errors become warnings; an
/// expression that does not parse gives its promql/syntax errors, as errors. Sorted, no I/O.
std::vector<core::Diagnostic> check_expression(const core::SourceFile& src, const catalog::Catalog& catalog,
                                               const promql::ParseOptions& parse);

/// Drops the loaders' rules/duplicate-rule findings (same name and labels twice, as promtool says)
/// whose rules can never write the same series: a label both results keep, fixed by their
/// selectors to disjoint values (code=~"2.." and code=~"3.." under sum by (code)).
void drop_disjoint_duplicates(std::vector<core::Diagnostic>& diags, const Input& input, const Options& options);

/// Removes findings silenced by `# nsmon disable` comments (file or rule) or by the policy, and
/// applies the policy's severity overrides. Used on loader findings too.
void apply_policy(std::vector<core::Diagnostic>& diags, const std::vector<rules::RuleFile>& files,
                  const Policy& policy);

} // namespace nsmon::lint
