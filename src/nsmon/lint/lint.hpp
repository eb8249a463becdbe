#pragma once
// lint/: the lint checks' list (`checks()`, read from core's table), what an expression's result is
// (`infer`: labels, values, NaN, emptiness, see below; `value_range`: functions' and operators'
// value ranges, what a comparison with a number does; `label_set`: a node's label names in one
// sorted vector; `target_labels`: each job's labels, a catalog metric's per job and a selector's
// across its jobs computed once), the series recording rules write and their shapes (`recorded`:
// lint-rules' rules and gen-dashboards' `rules:` files read them), semantic checks (`analysis`:
// the run over the files; `rule_checks`: one rule's, its templates' in `rule_templates`;
// `files_checks`: over all the files together; `check_expression` for one expression), each
// rule's cost (`cost`: the samples one evaluation reads, estimated from the catalog's label values
// and the config's scrape intervals through the whole expression and the recordings it reads; the
// outliers, `rules/cost` or, with a server's counts, `server/cost`; the `--cost` table), policy,
// the `--list-checks` table (`render_checks_table`); no I/O.
//
// lint-rules without a config: when the short form warns: Most people run `nsmon lint-rules
// alerts/*.yml` with no `prometheus.yml`, in repositories that hold other exporters' rules too. The
// rule of thumb (`lint/expr_checks.cpp`, `lint/rule_checks.cpp`, `lint/files_checks.cpp`,
// `cli/rule_inputs.cpp`; pinned by `tests/golden/lint/short-form*`, `mixed-repository`,
// `directory` and the "short form" rows of `tests/unit/test_lint_checks.cpp`):
//
// - **Known without a config** — what the catalog says of the application's own metrics: their
//   names, labels, label values, units and bucket bounds, plus `job` and `instance`. A matcher that
//   needs a label the catalog does not give such a metric (`x="v"`, or `x=~"re"` where `re` does
//   not match the empty string) makes the selector empty unless a relabel rule adds the label: a
//   warning, with "did you mean" when a catalog label is an edit away or takes the value. `le="1"`
//   where the series say `le="1.0"` is a warning. A unit survives every function and aggregation
//   that keeps values within their input's range (a quantile of a histogram has the bounds' unit).
// - **Not known without a config** — what targets add. Quiet: labels that service discovery and
//   relabelling conventionally add (`namespace`, `pod`, `cluster`, `env`, ...), matchers an absent
//   label passes (`x=""`, `x!="v"`), and Prometheus's own series (`up`, `scrape_*`), which carry
//   every target label of every exporter.
// - **What a config adds** — `--config prometheus.yml` replaces the guess with each job's target
//   labels (static labels, relabelling, service discovery): a label its relabelling may produce is
//   accepted, one it proves absent is reported (`catalog/unknown-label`,
//   `labels/dropped-by-config`).
// - **Other exporters** — the catalog cannot judge them. A name one or two edits from a catalog
//   metric is an error wherever it is. A selector pinned to a job the application is not scraped
//   under (`{job="kube-state-metrics"}`; the application's jobs are the catalog's `jobs:` and the
//   jobs selectors of its own metrics name) is not judged. An unknown name that shares its first
//   word with a catalog metric, has no prefix, or is selected under the application's job is the
//   application's: one `catalog/unknown-metric` error per name prefix. The others (kube_,
//   container_) fail no run: one `catalog/other-exporters` note, at info, gives the policy line
//   that declares them all (`external: [...]`).
// - **Other files** — a directory's YAML file that its top-level keys show to be a Prometheus or
//   Alertmanager config, a unit-test or routing-test file, a catalog, an SLO spec or a policy is
//   skipped with one `rules/not-a-rule-file` note naming the command that reads it; a file named on
//   the command line is always read as a rule file.

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
/// whose rule can never write a series an earlier one of its name and labels writes: a label both
/// results keep, fixed by their selectors to disjoint values (code=~"2.." and code=~"3.." under
/// sum by (code); reason=~"a|b" against a reason!~ refusing both), a label only one result carries, disjoint conditions
/// on one expression, a histogram's classic and native forms (duplicates.cpp).
void drop_disjoint_duplicates(std::vector<core::Diagnostic>& diags, const Input& input, const Options& options);

/// rules/copied-alert: an alert with the expression, for and labels of an earlier alert of its
/// file under another name (copies.cpp).
void copied_alerts(const Input& input, const Options& options, std::vector<core::Diagnostic>& out);

/// alerts/inverted-severity: a critical alert whose one bound is looser than that of a warning of its
/// file with the same expression otherwise, for and labels (copies.cpp).
void inverted_severities(const Input& input, const Options& options, std::vector<core::Diagnostic>& out);

/// Removes findings silenced by `# nsmon disable` comments (a rule file's or a rule's, prometheus.yml's
/// or an entry's) or by the policy, and applies the policy's severity overrides. Used on loader
/// findings too.
void apply_policy(std::vector<core::Diagnostic>& diags, const Input& input, const Policy& policy);

} // namespace nsmon::lint
