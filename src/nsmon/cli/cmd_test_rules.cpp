#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/rule_inputs.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/report/junit.hpp"
#include "nsmon/ruletest/runner.hpp"
#include "nsmon/ruletest/summary.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/parallel.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

namespace {

struct TestRulesOptions {
  std::vector<std::string> files;
  std::vector<std::string> run;
  std::string junit;
  bool coverage = false;
  double coverage_min = -1;
  std::size_t max_samples = 10'000;
  bool ignore_unknown_fields = false;
  bool debug = false;
  bool diff = false;
  std::vector<std::string> features;
  std::string alertmanager;
};

// Each alertmanager.yml the tests name, loaded once as lint-alertmanager loads it, with its
// templates; an error in either stops everything (exit 2) before a test runs.
void load_alertmanagers(std::vector<std::unique_ptr<ruletest::PreparedFile>>& files, alertmanager::Version version) {
  std::map<std::string, std::shared_ptr<const ruletest::AlertmanagerSetup>> loaded;
  for (auto& f : files)
    for (auto& t : f->tests) {
      if (t.alertmanager_path.empty()) continue;
      auto& setup = loaded[t.alertmanager_path];
      if (!setup) setup = load_alertmanager_setup(t.alertmanager_path, version);
      t.alertmanager = setup;
    }
}

// --alertmanager on tests without expectations: what Alertmanager does at each eval_time, as
// text before the report (with the expectations to paste) or as the JSON report's alert_paths.
nlohmann::ordered_json show_alert_paths(const std::vector<ruletest::TestResult>& results, bool text) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : results) {
    const auto& t = r.file->file.tests[r.test];
    for (const auto& v : r.alert_paths) {
      const auto& path = r.file->tests[r.test].alertmanager_path;
      if (text) {
        std::cout << r.file->file.path << ":" << t.span.line << ": test '" << t.display_name() << "' at "
                  << text::format_duration(v.eval_time_ms) << " through " << path << ":\n";
        for (const auto& line : alertmanager::outcome_text(v.outcome, v.alerts)) std::cout << "  " << line << "\n";
        std::cout << "  as expectations (nsmon: {alertmanager_tests: [...]}):\n"
                  << ruletest::expectations_yaml(v, "    ") << "\n";
        continue;
      }
      out.push_back({{"file", r.file->file.path},
                     {"line", t.span.line},
                     {"test", t.display_name()},
                     {"eval_time", text::format_duration(v.eval_time_ms)},
                     {"alertmanager", path},
                     {"outcome", alertmanager::outcome_json(v.outcome, v.alerts)}});
    }
  }
  return out;
}

// --junit when the tests could not run (an invalid or unreadable input, exit 2): a runner that
// reads the file still gets a document, whose one testcase errors with what stopped the run and
// the findings that made the input invalid.
void write_junit_stopped(const std::string& path, const Error& e, const std::vector<std::string>& files) {
  std::string error = std::string(e.what()) + "\n";
  if (const auto* invalid = dynamic_cast<const InvalidInput*>(&e))
    for (const auto& d : invalid->findings) error += core::render_text(d, *invalid->sources, false);
  report::JUnitCase input{"load the tests", 0, false, {}, error};
  util::write_files_atomic({{path, report::render_junit({{util::join(files, " "), {input}}})}});
}

int run_test_rules(const TestRulesOptions& o, const Context& ctx) {
  if (o.files.empty()) throw UsageError("nothing to test: give one or more rule unit-test files (promtool's format)");
  ruletest::RunOptions options;
  options.parse = parse_features(o.features);
  options.max_samples = o.max_samples;
  options.ignore_unknown_fields = o.ignore_unknown_fields;
  options.rule_schema = rule_schema(ctx.settings);
  options.debug = o.debug;
  options.diff = o.diff;
  options.alertmanager = o.alertmanager;
  // Panel tests see a panel as gen-dashboards renders it (its unit, an SLO's thresholds).
  options.check_dashboard = [&cat = load_catalog()](dashboards::Template& t, core::SourceSet& sources,
                                                    std::vector<core::Diagnostic>& diags) {
    // A template whose rules: or slos: file is missing is gen-dashboards' error to report; its
    // panels are tested as written.
    try {
      check_template(t, cat, sources, diags);
    } catch (const UsageError&) {
    }
  };
  if (!o.run.empty()) {
    std::string joined;
    for (const auto& r : o.run) joined += (joined.empty() ? "" : "|") + r;
    std::regex re;
    try {
      re = std::regex(joined, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw UsageError("--run: invalid regular expression '" + joined + "': " + e.what());
    }
    options.select = [re](const std::string& name) { return std::regex_search(name, re); };
  }

  // Every file and every rule file it names is loaded and checked before anything runs.
  core::SourceSet sources;
  std::vector<std::unique_ptr<ruletest::PreparedFile>> files;
  std::vector<core::Diagnostic> problems;
  const std::vector<std::string> inputs = expand_paths(o.files, FileKind::rule_tests);
  for (const auto& path : inputs) {
    const core::SourceFile& src = sources.add(path, util::read_file(path));
    files.push_back(ruletest::prepare(src, options, sources, problems));
  }
  // Below error, a problem of the input does not stop the run; it is a finding of the report
  // (a rule_files pattern that matches nothing), under --fail-on as any other.
  std::vector<core::Diagnostic> warnings;
  std::erase_if(problems, [&](core::Diagnostic& d) {
    if (d.severity >= core::Severity::error) return false;
    warnings.push_back(std::move(d));
    return true;
  });
  check_loaded(std::move(problems), sources, "test input", inputs.size() == 1 ? inputs[0] : "set",
               core::Severity::error);
  load_alertmanagers(files, alertmanager_version(ctx.settings));

  // The tests, in parallel: each has its own storage and alert state.
  struct Task {
    const ruletest::PreparedFile* file;
    std::size_t test;
  };
  std::vector<Task> tasks;
  for (const auto& f : files)
    for (std::size_t i = 0; i < f->file.tests.size(); ++i) tasks.push_back({f.get(), i});
  // Under each Prometheus version asked for (--prometheus-version both: 2, then 3).
  const std::string version = ctx.settings.get("test_rules.prometheus_version").value;
  const std::vector<int> versions =
      version == "both" ? std::vector<int>{2, 3} : std::vector<int>{version == "2" ? 2 : 3};
  std::vector<std::vector<ruletest::TestResult>> runs;
  for (int v : versions) {
    options.prometheus_version = v;
    auto& results = runs.emplace_back(tasks.size());
    util::parallel_steps(tasks.size(), 1, [&](std::size_t b, std::size_t e, std::size_t) {
      for (std::size_t i = b; i < e; ++i) results[i] = ruletest::run_test(*tasks[i].file, tasks[i].test, options);
    });
  }
  // --debug: on stderr, so that the report on stdout stays what scripts read.
  for (std::size_t v = 0; v < runs.size(); ++v)
    for (const auto& r : runs[v]) {
      if (r.state.empty()) continue;
      const auto& t = r.file->file.tests[r.test];
      std::cerr << "debug: " << r.file->file.path << ":" << t.span.line << ": test '" << t.display_name() << "'"
                << (runs.size() > 1 ? versions[v] == 2 ? " under 2.x" : " under 3.x" : "") << ", "
                << (r.failures.empty() ? "passed" : "failed") << ", " << r.state;
    }

  auto paths = show_alert_paths(runs.back(), ctx.report.format == "text");
  report::Report report = ruletest::summarize(files, runs, {o.coverage, o.coverage_min});
  report.findings.insert(report.findings.end(), warnings.begin(), warnings.end());
  core::sort_diagnostics(report.findings);
  // The versions the run assumed, in the summary line and the JSON summary.
  std::string assumed = version == "both" ? "Prometheus 2.x and 3.x" : "Prometheus " + version + ".x";
  report.facts.push_back({"prometheus_version", version});
  const bool through_alertmanager = std::any_of(files.begin(), files.end(), [](const auto& f) {
    return std::any_of(f->tests.begin(), f->tests.end(), [](const auto& t) { return t.alertmanager != nullptr; });
  });
  if (through_alertmanager) {
    assumed += ", Alertmanager " + alertmanager_version(ctx.settings).str();
    report.facts.push_back({"alertmanager_version", alertmanager_version(ctx.settings).str()});
  }
  report.scope += " under " + assumed;
  if (!paths.empty()) report.details.emplace_back("alert_paths", std::move(paths));
  if (!o.junit.empty())
    util::write_files_atomic({{o.junit, report::render_junit(ruletest::junit_suites(files, runs.back()))}});
  return finish(report, sources, ctx.report);
}

constexpr const char* kTestRulesHelp = R"(Input:
  FILE... are rule unit-test files in promtool's format (rule_files, evaluation_interval,
  group_eval_order, fuzzy_compare, tests with interval, input_series, alert_rule_test,
  promql_expr_test, external_labels, external_url, name, start_timestamp). rule_files are globs
  relative to the test file. Every file is loaded and checked first: an invalid test or rule
  file is a positioned error and nothing runs (exit 2); --ignore-unknown-fields lets rule files
  carry fields Prometheus does not know (promtool's flag).

Semantics: those of the Prometheus Debian 12 packages, 2.x (2.42), by default, as every version
default of nsmon is Debian 12's (Alertmanager 0.25); the summary names the versions a run
assumed. Under 2.x range windows, the 5m lookback and a subquery's steps include a sample on
their start; with --prometheus-version 3 (setting test_rules.prometheus_version,
NSMON_PROMETHEUS_VERSION) they exclude it, as Prometheus 3.x and promtool 3.x do, and a test
without interval uses evaluation_interval: a test whose last input sample is exactly 5m before
eval_time sees it under 2.x and not under 3.x. --prometheus-version both runs every
test under each and says which tests change verdict: the work a 2.x to 3.x migration leaves.
Other 2.x/3.x differences (parser features, le normalisation on scrape) are not modelled.
Comparisons as promtool's (exact labels and annotations, order-insensitive, fuzzy_compare: one
unit in the last place).

Beyond promtool:
  a failure is a diff at the test's file:line: an expected item and the got one sharing half its
  labels, annotations and value as a pair (~) whose differing fields are shown, the rest whole,
  expected (-) and got (+) (--diff pairs however little is shared); --run selects tests by
  name; tests run in parallel; a test may opt into partial matching with the nsmon extension key
    nsmon: {partial: true}
  (exp_labels, exp_annotations and exp_samples' labels are then subsets; promtool refuses the key,
  so a plain promtool file never turns it on); --coverage lists the alerting and recording rules
  no test exercises; --junit writes JUnit XML; --debug writes each test's series (stderr) in
  the notation input_series reads, to paste back.

The whole alert path (nsmon extension): a test can run the alerts its rules fire through an
alertmanager.yml and assert what Alertmanager does with them at an eval_time:
    nsmon:
      alertmanager: ../rules/alertmanager.yml   # relative to the test file (else --alertmanager)
      alertmanager_tests:
        - eval_time: 10m
          notifications:          # exactly these notifications: one per (receiver, group)
            - receiver: slack
              group_labels: {alertname: HighErrorRate, severity: critical}
              alerts:             # the alerts it carries, each by its labels (all of them)
                - {alertname: HighErrorRate, severity: critical, instance: a, job: api}
              slack:              # an integration by its short name, its fields as rendered
                title: HighErrorRate
                text: {contains: "Error rate"}      # or {matches: RE2, whole text}
              pagerduty: {description: HighErrorRate}
          inhibited:              # exactly these alerts inhibited
            - alert: {alertname: HighCPUUsage, severity: warning, instance: a, job: api}
              by: {alertname: HighErrorRate}        # a source (subset of its labels)
  group_labels and alerts may be left out (any group of the receiver); an integration's fields
  apply to each of the receiver's configs of that kind; with partial: true the label sets of
  alerts, group_labels and alert are subsets. The alerts are those firing at eval_time, as
  Prometheus sends them: labels plus the test's external_labels, annotations expanded, StartsAt
  when it fired, generatorURL from external_url. Alertmanager's routing, inhibition, time
  intervals (at start_timestamp + eval_time), grouping and the receivers' templates (its defaults
  and the config's templates:) apply as in Alertmanager 0.25; not modelled: group_wait and
  group_interval timing (every group notifies at eval_time), resolved alerts, silences,
  alert_relabel_configs. A failure gives each alert's path route by route (file:line, matchers),
  the inhibit rule that fired (file:line) and a line diff of a rendered text. The config is loaded
  as lint-alertmanager loads it: an error there, or in its templates, is exit 2 and nothing runs.
  On a test without alertmanager_tests (a plain promtool file), --alertmanager FILE shows what
  Alertmanager does at each alert_rule_test's eval_time (text, with the expectations to paste, or
  the JSON report's alert_paths) and asserts nothing: the file stays promtool's.

Dashboard tests (nsmon extension): a file may name dashboard templates (gen-dashboards' input)
and a test may assert what a panel shows:
    dashboards: [../../templates/training.yml]   # relative to the test file
    tests:
      - input_series: [...]
        panel_tests:
          - eval_time: 10m
            dashboard: nsmon-training            # uid or title
            panel: Training loss                 # the panel's title
            variables: {model: yolo}             # optional; left out: All (allValue)
            # interval: 5m                       # the panel's $__interval (default the test's)
            # unit: percentunit                  # the panel's unit, as the JSON has it
            exp_series:                          # every series of the panel's queries
              - legend: yolo                     # legendFormat rendered
                value: 3682                      # what the panel shows
                # color: red                     # the colour its thresholds give the value
                # points: [{at: 5m, value: 2.5}] # its values at steps of the range
  The queries are interpolated as Grafana sends them ($__interval: interval: or the test's
  interval, which is the scrape interval; $__rate_interval: max($__interval + scrape interval,
  4 x scrape interval); $__range: range: or eval_time). An instant query is evaluated at
  eval_time; a range query over the range, at steps of $__interval: a stat, gauge or bargauge
  shows its reducer over it (lastNotNull skips nulls and NaN), a graph its point at eval_time.
  Units and thresholds are the ones gen-dashboards renders. A failure names the dashboard, the
  panel, its template file:line and the queries. promtool refuses these keys: such files are
  nsmon-only.

Formats (--format): text, json, github, sarif, as lint-rules.

Examples:
  nsmon test-rules rules/alert_rules_test.yml
  nsmon test-rules --run 'HighLatency' --junit report.xml tests/*.yml
  nsmon test-rules --coverage --coverage-min 90 rules/alert_rules_test.yml
  nsmon test-rules rules/alert_path_test.yml
  nsmon test-rules --alertmanager rules/alertmanager.yml rules/alert_rules_test.yml
  nsmon test-rules tests/dashboards/*.yml

A failed test, or coverage below --coverage-min, fails whatever --fail-on says (it governs the
other findings, such as a file with no tests); an invalid test or rule file is invalid input.)";

} // namespace

Run define_test_rules(CLI::App& cmd) {
  auto o = std::make_shared<TestRulesOptions>();
  cmd.add_option("FILE", o->files, "Rule unit-test files (promtool test rules' format), or directories of them")
      ->required();
  add_report_options(cmd);
  cmd.add_option("--run", o->run, "Run only the tests whose name matches REGEX (repeatable: any of them)")
      ->option_text("REGEX");
  cmd.add_option("--junit", o->junit, "Also write the results as JUnit XML to FILE")->option_text("FILE");
  cmd.add_flag("--ignore-unknown-fields", o->ignore_unknown_fields,
               "Fields of the rule files Prometheus does not know are not errors (promtool's flag; e.g. ownership:)");
  cmd.add_flag("--debug", o->debug,
               "Print each test's state at its last evaluation to stderr: every series (input and what the rules "
               "wrote) in the series notation, and the pending and firing alerts (promtool's flag)");
  cmd.add_flag("--diff", o->diff,
               "In a failure, pair each expected alert or sample left over with the got one most like it however "
               "little they share (by default: when they share half their fields) (promtool's flag)");
  cmd.add_flag("--coverage", o->coverage, "Report the alerting and recording rules no test exercises");
  cmd.add_option("--coverage-min", o->coverage_min, "Fail when under PCT percent of the rules are exercised")
      ->option_text("PCT")
      ->check(CLI::Range(0.0, 100.0));
  cmd.add_option("--max-samples", o->max_samples,
                 "Fail a query that would hold more than N samples at once (default 10000, promtool's; 0: no limit)")
      ->option_text("N");
  cmd.add_option("--alertmanager", o->alertmanager,
                 "Run the alerts through this alertmanager.yml: the tests' alertmanager_tests, or, in a test "
                 "without, show what Alertmanager does at each alert_rule_test's eval_time")
      ->option_text("FILE");
  add_feature_option(cmd, o->features);
  add_rule_schema_option(cmd);
  // Read through the settings, which take the flag over NSMON_PROMETHEUS_VERSION.
  cmd.add_option("--prometheus-version")
      ->type_name("2|3|both")
      ->check(CLI::IsMember({"2", "3", "both"}))
      ->description(std::string("The Prometheus version whose window semantics the rules run under (default: the "
                                "test_rules.prometheus_version setting, ") +
                    config::find_key("test_rules.prometheus_version")->fallback +
                    ", Debian 12's); both: each, and the tests whose verdict changes");
  cmd.footer(std::string(kTestRulesHelp) + "\n\n" + exit_codes_help({kOk, kFindings, kUsage}));
  return [o](const Context& ctx) {
    try {
      return run_test_rules(*o, ctx);
    } catch (const Error& e) {
      if (!o->junit.empty()) write_junit_stopped(o->junit, e, o->files);
      throw;
    }
  };
}

} // namespace nsmon::cli
