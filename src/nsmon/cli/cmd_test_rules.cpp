#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <regex>
#include <set>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/lint/render.hpp"
#include "nsmon/promql/ast.hpp"
#include "nsmon/ruletest/runner.hpp"
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

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

// JUnit XML as promtool --junit writes it: a suite per file, a case per test.
std::string render_junit(const std::vector<std::unique_ptr<ruletest::PreparedFile>>& files,
                         const std::vector<ruletest::TestResult>& results) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  for (const auto& f : files) {
    std::string cases;
    int tests = 0, failures = 0, skipped = 0;
    double time = 0;
    for (const auto& r : results) {
      if (r.file != f.get()) continue;
      const auto& t = f->file.tests[r.test];
      ++tests;
      time += r.seconds;
      cases += "    <testcase name=\"" + xml_escape(t.display_name()) + "\" time=\"" + std::to_string(r.seconds) + "\"";
      if (r.skipped) {
        ++skipped;
        cases += "><skipped/></testcase>\n";
      } else if (!r.failures.empty()) {
        ++failures;
        cases += ">\n";
        for (const auto& d : r.failures)
          cases += "      <failure message=\"" + xml_escape(d.message.substr(0, d.message.find('\n'))) + "\">" +
                   xml_escape(d.span.file.str() + ":" + std::to_string(d.span.line) + ": " + d.message) +
                   "</failure>\n";
        cases += "    </testcase>\n";
      } else {
        cases += "/>\n";
      }
    }
    out += "  <testsuite name=\"" + xml_escape(f->file.path) + "\" tests=\"" + std::to_string(tests) +
           "\" failures=\"" + std::to_string(failures) + "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
           std::to_string(time) + "\">\n" + cases + "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

// Metric names a PromQL expression selects.
void selected_names(const promql::Expr& e, std::set<std::string>& out) {
  promql::walk(e, [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
    if (n.kind != promql::NodeKind::vector_selector) return true;
    std::string name = promql::metric_name(n.as<promql::VectorSelector>());
    if (!name.empty()) out.insert(std::move(name));
    return true;
  });
}

// --coverage: an alerting rule is covered when an alert_rule_test names it; a recording rule when
// a test's evaluation produced samples from it and a tested alert or expression reads it
// (directly or through other recording rules).
bool add_coverage(lint::Report& report, const std::vector<std::unique_ptr<ruletest::PreparedFile>>& files,
                  const std::vector<ruletest::TestResult>& results, double min_pct) {
  struct Entry {
    const rules::Rule* rule;
    std::string file, group;
    bool covered = false;
  };
  std::map<std::pair<std::string, int>, Entry> entries; // (file, line): rules shared by test files count once
  std::set<std::string> tested_alerts, read_names, produced_records;
  for (const auto& f : files) {
    for (const auto& t : f->file.tests)
      for (const auto& a : t.alert_tests) tested_alerts.insert(a.alertname.value);
    for (const auto& t : f->tests)
      for (const auto& x : t.exprs)
        if (x->ok()) selected_names(*x->expr(), read_names);
  }
  for (const auto& r : results)
    for (std::size_t g = 0; g < r.produced.size(); ++g)
      for (std::size_t i = 0; i < r.produced[g].size(); ++i)
        if (r.produced[g][i]) produced_records.insert(r.file->groups[g].rules[i].rule->name.value);
  // Names read by tested alerts, then through recording rules until nothing new is read.
  std::map<std::string, std::set<std::string>> record_reads;
  for (const auto& f : files)
    for (const auto& g : f->groups)
      for (const auto& r : g.rules) {
        entries.emplace(std::make_pair(g.file, r.rule->span.line), Entry{r.rule, g.file, g.name});
        if (r.rule->is_alert() && tested_alerts.count(r.rule->name.value)) selected_names(*r.expr->expr(), read_names);
        if (!r.rule->is_alert()) selected_names(*r.expr->expr(), record_reads[r.rule->name.value]);
      }
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, reads] : record_reads)
      if (read_names.count(name))
        for (const auto& n : reads) grew = read_names.insert(n).second || grew;
  }
  std::size_t covered = 0;
  for (auto& [key, e] : entries) {
    const std::string& name = e.rule->name.value;
    e.covered = e.rule->is_alert() ? tested_alerts.count(name) > 0
                                   : read_names.count(name) > 0 && produced_records.count(name) > 0;
    if (e.covered) {
      ++covered;
      continue;
    }
    auto d = core::make_diagnostic("ruletest/uncovered", e.rule->name.span,
                                   std::string(e.rule->is_alert() ? "alerting rule " : "recording rule ") + name +
                                       (e.rule->is_alert() ? " is named by no alert_rule_test"
                                                           : " is read by no tested alert or expression, or produced "
                                                             "no sample in any test"));
    d.rule = name;
    d.group = e.group;
    report.findings.push_back(std::move(d));
  }
  const double pct =
      entries.empty() ? 100.0 : 100.0 * static_cast<double>(covered) / static_cast<double>(entries.size());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", pct);
  report.facts.push_back({"coverage_percent", std::string(buf)});
  report.facts.push_back({"rules_covered", static_cast<long long>(covered)});
  report.facts.push_back({"rules_total", static_cast<long long>(entries.size())});
  report.scope += ", coverage " + std::string(buf) + "% (" + std::to_string(covered) + "/" +
                  std::to_string(entries.size()) + " rules)";
  if (min_pct >= 0 && pct + 1e-9 < min_pct) {
    core::Span at;
    at.file = files.empty() ? "" : files.front()->file.path;
    report.findings.push_back(core::make_diagnostic("ruletest/uncovered", at,
                                                    "coverage " + std::string(buf) + "% is below --coverage-min " +
                                                        util::format_number(min_pct)));
    report.findings.back().severity = core::Severity::error;
    return true;
  }
  return false;
}

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
  std::vector<ruletest::TestResult>& results = runs.back();
  // --debug: on stderr, so that the report on stdout stays what scripts read.
  for (std::size_t v = 0; v < runs.size(); ++v)
    for (const auto& r : runs[v]) {
      if (r.state.empty()) continue;
      const auto& t = r.file->file.tests[r.test];
      std::cerr << "debug: " << r.file->file.path << ":" << t.span.line << ": test '" << t.display_name() << "'"
                << (runs.size() > 1 ? versions[v] == 2 ? " under 2.x" : " under 3.x" : "") << ", "
                << (r.failures.empty() ? "passed" : "failed") << ", " << r.state;
    }

  lint::Report report;
  long long passed = 0, failed = 0, skipped = 0, changed = 0;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const auto& last = runs.back()[i];
    if (last.skipped) {
      ++skipped;
      continue;
    }
    if (runs.size() == 1) {
      if (last.failures.empty()) ++passed;
      else ++failed;
      for (const auto& d : last.failures) report.findings.push_back(d);
      continue;
    }
    // Both versions: a failure says under which; a test whose verdict changes is the migration's
    // work, and says so.
    const auto& v2 = runs.front()[i];
    const bool f2 = !v2.failures.empty(), f3 = !last.failures.empty();
    if (!f2 && !f3) ++passed;
    else ++failed;
    if (f2 != f3) ++changed;
    const char* under = f2 && f3 ? "under Prometheus 2.x and 3.x: "
                        : f2     ? "under Prometheus 2.x only (passes under 3.x): "
                                 : "under Prometheus 3.x only (passes under 2.x): ";
    for (auto d : f3 ? last.failures : v2.failures) {
      d.message = under + d.message;
      report.findings.push_back(std::move(d));
    }
  }
  report.scope =
      lint::plural(static_cast<long long>(files.size()), "file", "files") + " (" +
      lint::plural(passed + failed, "test", "tests") + ": " + std::to_string(passed) + " passed, " +
      std::to_string(failed) + " failed" +
      (runs.size() > 1 ? ", " + std::to_string(changed) + " with a verdict that changes from 2.x to 3.x" : "") +
      (skipped ? ", " + std::to_string(skipped) + " not selected" : "") + ")";
  report.facts = {{"files", static_cast<long long>(files.size())},
                  {"tests", passed + failed},
                  {"passed", passed},
                  {"failed", failed},
                  {"skipped", skipped}};
  if (runs.size() > 1) report.facts.push_back({"changed", changed});
  bool below = false;
  if (o.coverage || o.coverage_min >= 0) below = add_coverage(report, files, results, o.coverage_min);
  for (const auto& f : files)
    if (f->file.tests.empty())
      report.findings.push_back(core::make_diagnostic("ruletest/no-tests", {f->file.path, 1, 1, 0},
                                                      "no tests in this file: it passes without testing anything",
                                                      "add tests: with input_series and alert_rule_test"));
  core::sort_diagnostics(report.findings);
  if (!o.junit.empty()) util::write_files_atomic({{o.junit, render_junit(files, results)}});
  // --fail-on decides about findings (coverage, empty files); a failed test and a coverage under
  // an explicit --coverage-min are gates of their own, whatever --fail-on says.
  const int code = finish(report, sources, ctx.report);
  return failed > 0 || below ? kFindings : code;
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

Exit codes: 0 every test passed, 1 a test failed or coverage is below --coverage-min (whatever
--fail-on says: it governs the other findings, such as a file with no tests), 2 usage
error or an invalid test or rule file.)";

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
  cmd.footer(kHelp);
  return [o](const Context& ctx) { return run_test_rules(*o, ctx); };
}

} // namespace nsmon::cli
