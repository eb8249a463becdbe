#pragma once
// ruletest/: evaluating rules. The one loader of rule files for evaluation (`loader`: test-rules,
// backtest and `watch --rules`); `nsmon test-rules`: promtool's unit-test file loader
// (`test_file`), the rule group evaluator shared with `watch --rules` and backtest (`evaluator`:
// recording rules written back, alert states, ALERTS), the runner and its comparisons (`runner`,
// `run_test`), the report of a run (`summary`: failures, coverage, JUnit suites), the whole alert
// path (`alert_path`: the alerts the rules fire sent as Prometheus sends them, through
// `alertmanager::dispatch`, checked against a test's `nsmon.alertmanager_tests` with each failure's
// route path, inhibit rule and text diff, or written as such expectations for `--alertmanager` and
// `watch --record`), dashboard tests (`panels`: a test's `panel_tests` on the templates of the
// file's `dashboards:`, `use:` panels resolved as gen-dashboards does, each query interpolated as
// Grafana sends it (`dashboards::interpolate`), evaluated at eval_time and its series named by the
// panel's legend, a histogram's buckets sorted and de-accumulated for `format: heatmap` as Grafana
// does; or an annotation's query); reads the rule files and templates a test file names.
//
// Runs promtool's rule unit tests: each test's input series loaded into a Storage as the
// evaluation goes (promtool's lazy loader), the rule groups evaluated at every
// evaluation_interval from the test's start to its last eval_time, the alerts checked at their
// eval_time and the PromQL expressions at the end, compared as promtool compares them.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/dashboards/model.hpp"
#include "nsmon/engine/engine.hpp"
#include "nsmon/engine/notation.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rulers.hpp"
#include "nsmon/ruletest/alert_path.hpp"
#include "nsmon/ruletest/evaluator.hpp"
#include "nsmon/ruletest/test_file.hpp"

namespace nsmon::ruletest {

struct RunOptions {
  promql::ParseOptions parse;
  /// Samples one query may hold (promtool's test engine: 10000); 0: no limit.
  std::size_t max_samples = 10'000;
  /// The Prometheus major version whose window semantics the rules run under (2 or 3).
  int prometheus_version = 3;
  /// promtool's --ignore-unknown-fields: fields of the rule files that Prometheus does not know
  /// (team metadata such as `ownership:`) are not errors.
  bool ignore_unknown_fields = false;
  /// --rule-schema: the ruler whose format the rule files are read as (another ruler's group
  /// fields are no errors under auto; what that ruler refuses still is).
  rules::Schema rule_schema = rules::Schema::automatic;
  /// promtool's --debug: each result carries the state its expectations were checked against.
  bool debug = false;
  /// promtool's --diff: a failure pairs each expected item left over with the got item most like
  /// it however little they share (without it: when they share half the expected item's fields).
  bool diff = false;
  /// Which tests run, by name (promtool's --run); null: all.
  std::function<bool(const std::string& name)> select;
  Expander expand; ///< empty: Prometheus's templates
  /// --alertmanager: the alertmanager.yml of the tests whose `nsmon:` names none. A test without
  /// alertmanager_tests then shows what Alertmanager does at each alert_rule_test's eval_time.
  std::string alertmanager;
  /// What gen-dashboards does to a template once loaded (cli/: its `rules:` and `slos:` files read
  /// and dashboards::check() run), so that a panel test sees the unit and the thresholds the JSON
  /// has (an `slo:` panel's objective); its findings are not the test's. Empty: as written.
  std::function<void(dashboards::Template&, core::SourceSet&, std::vector<core::Diagnostic>&)> check_dashboard;
};

/// A test file with everything it needs, checked before anything is evaluated: its rule files
/// (globbed relative to it, loaded and parsed), the groups in evaluation order, and per test the
/// parsed input series, expressions and expected labels.
struct PreparedFile {
  TestFile file;
  std::vector<std::string> rule_paths;
  std::vector<rules::RuleFile> rule_files;
  std::vector<EvalGroup> groups;
  /// The dashboard templates of `dashboards:` (their `use:` panels resolved in the panels/ folder
  /// beside each), for the panel tests.
  std::vector<dashboards::Template> dashboards;
  /// One panel test made ready: the panel, and each query with the variables interpolated.
  struct PanelRun {
    const dashboards::Template* dashboard = nullptr; ///< null: the test is invalid (reported)
    std::string what;                                ///< "panel 'Training loss'", "annotation 'Restarts'"
    core::Span at;                                   ///< the panel's or annotation's template position
    const dashboards::Panel* panel = nullptr;        ///< null for an annotation
    std::int64_t range_ms = 0;                       ///< the dashboard's time range ($__range)
    std::int64_t interval_ms = 0;                    ///< Grafana's $__interval: a range query's step
    struct Query {
      std::string text; ///< as Grafana sends it
      std::shared_ptr<const promql::ParseResult> parsed;
      std::string legend;   ///< legendFormat as written ("" for Grafana's auto)
      bool buckets = false; ///< format heatmap: Grafana sorts by le and de-accumulates
      bool instant = true;  ///< an instant query; false: a range query over the dashboard's range
    };
    std::vector<Query> queries;
  };
  struct Series {
    Labels labels;
    std::vector<std::optional<double>> values;
    std::vector<engine::HistogramValue> histograms; ///< per value when the series has histograms
  };
  struct Test {
    std::vector<Series> series; ///< input_series, a series given twice: the last one
    std::vector<std::shared_ptr<const promql::ParseResult>> exprs;
    std::vector<std::vector<Labels>> exp_labels; ///< per promql_expr_test, per exp_sample
    /// Likewise, the expected histogram as promtool compares it (its TestExpression()), or "".
    std::vector<std::vector<std::string>> exp_histograms;
    /// The alertmanager.yml of the test (nsmon.alertmanager relative to the test file, else
    /// RunOptions::alertmanager), or ""; its setup, which the caller loads (test-rules: with
    /// lint-alertmanager's loader) before running.
    std::string alertmanager_path;
    std::shared_ptr<const AlertmanagerSetup> alertmanager;
    std::vector<PanelRun> panels; ///< per panel_test
  };
  std::vector<Test> tests;
};

/// Loads `src` and the rule files it names (their text added to `sources`); every problem is a
/// positioned error in `diags`. Reads files: the rule files, globbed relative to `src`'s path.
std::unique_ptr<PreparedFile> prepare(const core::SourceFile& src, const RunOptions& options, core::SourceSet& sources,
                                      std::vector<core::Diagnostic>& diags);

struct TestResult {
  const PreparedFile* file = nullptr;
  std::size_t test = 0;
  bool skipped = false; ///< not selected by --run
  /// One finding per failed check (ruletest/failed), at the check's item in the test file.
  std::vector<core::Diagnostic> failures;
  /// Per group, per rule: whether it produced a sample or an alert.
  std::vector<std::vector<bool>> produced;
  double seconds = 0;
  /// With RunOptions::debug: the series and alerts at the last evaluation, as text.
  std::string state;
  /// A test with an alertmanager.yml and no alertmanager_tests: what Alertmanager does at each
  /// alert_rule_test's eval_time (test-rules --alertmanager shows it).
  std::vector<AlertPathView> alert_paths;
  bool passed() const { return !skipped && failures.empty(); }
};

/// Runs test `index` of `file`.
TestResult run_test(const PreparedFile& file, std::size_t index, const RunOptions& options);

} // namespace nsmon::ruletest
