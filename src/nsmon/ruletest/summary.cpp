#include "nsmon/ruletest/summary.hpp"

#include <cstdio>
#include <map>
#include <set>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/promql/ast.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::ruletest {

void add_coverage(report::Report& report, const std::vector<std::unique_ptr<PreparedFile>>& files,
                  const std::vector<TestResult>& results, double min) {
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
        if (x->ok()) read_names.merge(promql::metric_names(*x->expr()));
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
        if (r.rule->is_alert() && tested_alerts.count(r.rule->name.value))
          read_names.merge(promql::metric_names(*r.expr->expr()));
        if (!r.rule->is_alert()) record_reads[r.rule->name.value].merge(promql::metric_names(*r.expr->expr()));
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
  if (min >= 0 && pct + 1e-9 < min) {
    core::Span at;
    at.file = files.empty() ? "" : files.front()->file.path;
    report.findings.push_back(core::make_diagnostic("ruletest/uncovered", at,
                                                    "coverage " + std::string(buf) + "% is below --coverage-min " +
                                                        util::format_number(min)));
    report.findings.back().severity = core::Severity::error;
    report.gate_failed = true;
  }
}

report::Report summarize(const std::vector<std::unique_ptr<PreparedFile>>& files,
                         const std::vector<std::vector<TestResult>>& runs, const CoverageOptions& coverage) {
  report::Report report;
  long long passed = 0, failed = 0, skipped = 0, changed = 0;
  for (std::size_t i = 0; i < runs.back().size(); ++i) {
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
      report::plural(static_cast<long long>(files.size()), "file", "files") + " (" +
      report::plural(passed + failed, "test", "tests") + ": " + std::to_string(passed) + " passed, " +
      std::to_string(failed) + " failed" +
      (runs.size() > 1 ? ", " + std::to_string(changed) + " with a verdict that changes from 2.x to 3.x" : "") +
      (skipped ? ", " + std::to_string(skipped) + " not selected" : "") + ")";
  report.facts = {{"files", static_cast<long long>(files.size())},
                  {"tests", passed + failed},
                  {"passed", passed},
                  {"failed", failed},
                  {"skipped", skipped}};
  if (runs.size() > 1) report.facts.push_back({"changed", changed});
  report.gate_failed = failed > 0;
  if (coverage.report || coverage.min >= 0) add_coverage(report, files, runs.back(), coverage.min);
  for (const auto& f : files)
    if (f->file.tests.empty())
      report.findings.push_back(core::make_diagnostic("ruletest/no-tests", {f->file.path, 1, 1, 0},
                                                      "no tests in this file: it passes without testing anything",
                                                      "add tests: with input_series and alert_rule_test"));
  core::sort_diagnostics(report.findings);
  return report;
}

std::vector<report::JUnitSuite> junit_suites(const std::vector<std::unique_ptr<PreparedFile>>& files,
                                             const std::vector<TestResult>& results) {
  std::vector<report::JUnitSuite> suites;
  for (const auto& f : files) {
    report::JUnitSuite& suite = suites.emplace_back();
    suite.name = f->file.path;
    for (const auto& r : results)
      if (r.file == f.get())
        suite.cases.push_back({f->file.tests[r.test].display_name(), r.seconds, r.skipped, r.failures});
  }
  return suites;
}

} // namespace nsmon::ruletest
