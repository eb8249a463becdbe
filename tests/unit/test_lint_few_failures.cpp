// alerts/few-failures: a count of failures kept below a number as the alert's whole condition
// passes 0, so the alert fires while nothing fails.
#include <catch2/catch.hpp>

#include "test_lint_support.hpp"

using nsmon::testing::lint_findings;

namespace {
std::string alert(const std::string& expr) {
  return "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n";
}
std::size_t found(const std::string& expr) { return lint_findings("r.yml", alert(expr), "alerts/few-failures").size(); }
} // namespace

TEST_CASE("few-failures: a count of failures below a number", "[lint][checks]") {
  // gitpod 3e570ae: "backups failing" for every cluster with none failed.
  const auto f = lint_findings("r.yml", alert("sum by (cluster) (increase(backups_failure_total[1h])) <= 16"),
                               "alerts/few-failures");
  REQUIRE(f.size() == 1);
  CHECK(f[0].span.line == 5);
  CHECK(f[0].severity == nsmon::core::Severity::warning);
  CHECK(f[0].message == "alert A fires while nothing fails: `<= 16` passes 0, so it keeps every backups_failure_total "
                        "series that counted no failure, and drops those that counted more");
  CHECK(f[0].suggestion == "fire on failures: `> 16`, or on their share of all attempts");
  CHECK(found("rate(http_errors_total[5m]) < 0.5") == 1);
  CHECK(found("3 > max(increase(jobs_failed_total[1h]))") == 1);
  // More than a number, a share, a guard beside it, `< 0` that 0 fails, a failover, a counter of
  // anything else, a bool comparison: quiet.
  CHECK(found("sum by (cluster) (increase(backups_failure_total[1h])) > 16") == 0);
  CHECK(found("rate(http_errors_total[5m]) / rate(http_requests_total[5m]) < 0.5") == 0);
  CHECK(found("rate(http_errors_total[5m]) < 0.5 and rate(http_requests_total[5m]) > 1") == 0);
  CHECK(found("rate(http_errors_total[5m]) < 0") == 0);
  CHECK(found("increase(pg_failover_total[1h]) < 1") == 0);
  CHECK(found("rate(http_requests_total[5m]) < 0.5") == 0);
  CHECK(found("rate(http_errors_total[5m]) < bool 0.5") == 0);
  // An alert whose text says the quiet is meant (docs/checks/server/cost.md's ErrorsQuietFourHours).
  CHECK(lint_findings(
            "r.yml",
            "groups:\n- name: g\n  rules:\n  - alert: ErrorsQuietFourHours\n"
            "    expr: sum(increase(errors_total[4h])) < 1\n    annotations:\n      summary: No errors counted\n",
            "alerts/few-failures")
            .empty());
}
