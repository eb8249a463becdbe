#pragma once
// What test-rules reports about a run of unit tests: the failures, coverage and JUnit suites.
#include <memory>
#include <vector>

#include "nsmon/report/junit.hpp"
#include "nsmon/report/report.hpp"
#include "nsmon/ruletest/runner.hpp"

namespace nsmon::ruletest {

/// --coverage and --coverage-min.
struct CoverageOptions {
  bool report = false; ///< report the rules no test exercises (ruletest/uncovered)
  double min = -1;     ///< a percentage under which the run fails; < 0: none
};

/// The report of the tests of `files`, run once per Prometheus version (`runs`: one vector of
/// results per version, in the same test order; with two, 2.x then 3.x): the failures (under
/// which version when two ran), files with no tests, coverage when asked, the scope and facts of
/// the summary. A failed test or coverage under the minimum is a failed gate.
report::Report summarize(const std::vector<std::unique_ptr<PreparedFile>>& files,
                         const std::vector<std::vector<TestResult>>& runs, const CoverageOptions& coverage);

/// --coverage: an alerting rule is covered when an alert_rule_test names it; a recording rule when
/// a test's evaluation produced samples from it and a tested alert or expression reads it
/// (directly or through other recording rules). Adds the uncovered rules, the facts and the scope;
/// a coverage under `min` is an error finding and a failed gate.
void add_coverage(report::Report& report, const std::vector<std::unique_ptr<PreparedFile>>& files,
                  const std::vector<TestResult>& results, double min);

/// The JUnit suites of the results: one per file, one case per test.
std::vector<report::JUnitSuite> junit_suites(const std::vector<std::unique_ptr<PreparedFile>>& files,
                                             const std::vector<TestResult>& results);

} // namespace nsmon::ruletest
