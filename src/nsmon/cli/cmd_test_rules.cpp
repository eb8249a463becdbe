#include <CLI/CLI.hpp>
#include <iostream>
#include <regex>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/report/junit.hpp"
#include "nsmon/ruletest/runner.hpp"
#include "nsmon/ruletest/summary.hpp"
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
};

int run_test_rules(const TestRulesOptions& o, const Context& ctx) {
  if (o.files.empty()) throw UsageError("nothing to test: give one or more rule unit-test files (promtool's format)");
  ruletest::RunOptions options;
  options.parse = parse_features(o.features);
  options.max_samples = o.max_samples;
  options.ignore_unknown_fields = o.ignore_unknown_fields;
  options.debug = o.debug;
  options.diff = o.diff;
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
  for (const auto& path : o.files) {
    const core::SourceFile& src = sources.add(path, util::read_file(path));
    files.push_back(ruletest::prepare(src, options, sources, problems));
  }
  check_loaded(std::move(problems), sources, "test input", o.files.size() == 1 ? o.files[0] : "set",
               core::Severity::error);

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

  report::Report report = ruletest::summarize(files, runs, {o.coverage, o.coverage_min});
  if (!o.junit.empty())
    util::write_files_atomic({{o.junit, report::render_junit(ruletest::junit_suites(files, runs.back()))}});
  return finish(report, sources, ctx.report);
}

constexpr const char* kHelp = R"(Input:
  FILE... are rule unit-test files in promtool's format (rule_files, evaluation_interval,
  group_eval_order, fuzzy_compare, tests with interval, input_series, alert_rule_test,
  promql_expr_test, external_labels, external_url, name, start_timestamp). rule_files are globs
  relative to the test file. Every file is loaded and checked first: an invalid test or rule
  file is a positioned error and nothing runs (exit 2); --ignore-unknown-fields lets rule files
  carry fields Prometheus does not know (promtool's flag).

Semantics: Prometheus 3.x by default (a test without interval uses evaluation_interval; range
windows, the 5m lookback and a subquery's steps exclude a sample on their start). With
--prometheus-version 2 (setting test_rules.prometheus_version, NSMON_PROMETHEUS_VERSION) they
include it, as Prometheus 2.x and promtool 2.x do: a test whose last input sample is exactly
5m before eval_time sees it under 2.x and not under 3.x. --prometheus-version both runs every
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

Formats (--format): text, json, github, sarif, as lint-rules.

Examples:
  nsmon test-rules rules/alert_rules_test.yml
  nsmon test-rules --run 'HighLatency' --junit report.xml tests/*.yml
  nsmon test-rules --coverage --coverage-min 90 rules/alert_rules_test.yml

A failed test, or coverage below --coverage-min, fails whatever --fail-on says (it governs the
other findings, such as a file with no tests); an invalid test or rule file is invalid input.)";

} // namespace

Run define_test_rules(CLI::App& cmd) {
  auto o = std::make_shared<TestRulesOptions>();
  cmd.add_option("FILE", o->files, "Rule unit-test files (promtool test rules' format)")->required();
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
  add_feature_option(cmd, o->features);
  // Read through the settings, which take the flag over NSMON_PROMETHEUS_VERSION.
  cmd.add_option("--prometheus-version")
      ->type_name("2|3|both")
      ->check(CLI::IsMember({"2", "3", "both"}))
      ->description("The Prometheus version whose window semantics the rules run under (default: the "
                    "test_rules.prometheus_version setting, 3); both: each, and the tests whose verdict changes");
  cmd.footer(std::string(kHelp) + "\n\n" + exit_codes_help({kOk, kFindings, kUsage}));
  return [o](const Context& ctx) { return run_test_rules(*o, ctx); };
}

} // namespace nsmon::cli
