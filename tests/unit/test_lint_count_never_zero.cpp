// alerts/count-never-zero: count() or sum() of what a comparison keeps, compared in an alert so
// that 0 would pass, has no series when nothing passes, so the alert is silent at zero.
#include <catch2/catch.hpp>

#include "test_lint_support.hpp"

using nsmon::testing::lint_findings;

namespace {
// An alert A with `expr`, and `more` rules after it in its group.
std::string alert(const std::string& expr, const std::string& more = "") {
  return "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n" + more;
}
std::size_t found(const std::string& text) { return lint_findings("r.yml", text, "alerts/count-never-zero").size(); }
} // namespace

TEST_CASE("count-never-zero: a count of a comparison below a number", "[lint][checks]") {
  auto f = lint_findings("r.yml", alert("count(up{job=\"agent\"} == 1) < 2"), "alerts/count-never-zero");
  REQUIRE(f.size() == 1);
  CHECK(f[0].span.line == 5);
  CHECK(f[0].severity == nsmon::core::Severity::info);
  CHECK(f[0].message ==
        "count() of nothing is nothing, not 0: where no series passes up{job=\"agent\"} == 1, there "
        "is no count to compare with 2, so the alert fires while one is left and is silent when none is");
  CHECK(f[0].suggestion == "count the series that fail too: sum(up{job=\"agent\"} == bool 1) < 2, or cover the zero "
                           "case: absent(up{job=\"agent\"} == 1) or ...");
  // By group, written the other way round, <= and != below the number of series wanted.
  CHECK(found(alert("count by (job) (up == 1) <= 1")) == 1);
  CHECK(found(alert("3 > count(up == 1)")) == 1);
  CHECK(found(alert("count(up == 1) != 3")) == 1);
  CHECK(found(alert("(count(up == 1) < 2) and on () hour() > 8")) == 1);
  // `!= 1` removes a count of one: silent with none, as the message says, and with one (review49's
  // OvnNorthdNoActiveInstance, proofs/review49-microovn.test.yml).
  const auto one = lint_findings("r.yml", alert("count(ovn_northd_status == 1) != 1"), "alerts/count-never-zero");
  REQUIRE(one.size() == 1);
  CHECK(one[0].message == "count() of nothing is nothing, not 0: where no series passes ovn_northd_status == 1, there "
                          "is no count to compare with 1, so the alert is silent when none is, where a count of 0 "
                          "would fire it");
}

TEST_CASE("count-never-zero: counts that reach zero, or a zero case covered", "[lint][checks]") {
  // A count of every series (up is 0 or 1, always there), a count compared above, below 1.
  CHECK(found(alert("count(up) < 2")) == 0);
  CHECK(found(alert("count(up == 1) > 2")) == 0);
  CHECK(found(alert("count(up == 0) >= 1")) == 0);
  CHECK(found(alert("count(up == 1) < bool 2")) == 0);
  // absent() of the comparison, in the expression or in another alert of the group.
  CHECK(found(alert("absent(up{job=\"agent\"} == 1) or count(up{job=\"agent\"} == 1) < 2")) == 0);
  CHECK(found(alert("count(up{job=\"agent\"} == 1) < 2", "  - alert: B\n    expr: absent( up{job=\"agent\"}==1 )\n")) ==
        0);
  CHECK(found(alert("count(up{job=\"agent\"} == 1) < 2", "  - alert: B\n    expr: absent(up{job=\"other\"} == 1)\n")) ==
        1);
  // A recording rule records nothing for the group: what reads it says what that means.
  CHECK(found("groups:\n- name: g\n  rules:\n  - record: job:up:few\n    expr: count(up == 1) < 2\n") == 0);
}

TEST_CASE("count-never-zero: a sum of a comparison that 0 would fire", "[lint][checks]") {
  // sum(up == 1) is the same count (a stranger's sum(up{...} == 1) < 1 is promql/impossible's).
  auto f = lint_findings("r.yml", alert("sum(up{job=\"a\"} == 1) by (job) < 2"), "alerts/count-never-zero");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == nsmon::core::Severity::info);
  CHECK(f[0].message == "sum() of nothing is nothing, not 0: where no series of a group passes up{job=\"a\"} == 1, "
                        "there is no sum to compare with 2, so the alert is silent when none passes, where a sum of "
                        "0 would fire it");
  CHECK(f[0].suggestion == "count the series that fail too: sum by (job) (up{job=\"a\"} == bool 1) < 2, or cover "
                           "the zero case: absent(up{job=\"a\"} == 1) or ...");
  // A sum of values: the zero case only, no bool rewrite (it would count, not add up).
  auto v = lint_findings("r.yml", alert("sum(rate(x_total[5m]) > 0) < 1"), "alerts/count-never-zero");
  REQUIRE(v.size() == 1);
  CHECK(v[0].suggestion == "cover the zero case: absent(rate(x_total[5m]) > 0) or ...");
  CHECK(found(alert("sum(x > 0) <= 0.5")) == 1);
  CHECK(found(alert("sum(x > 0) != 3")) == 1);
  // 0 would not fire, the comparison never holds (promql/impossible), a filter that removes
  // nothing, a sum of 0/1 with bool, an absent() of the comparison beside it.
  CHECK(found(alert("sum(x > 0) > 3")) == 0);
  CHECK(found(alert("sum(up == 1) < 1")) == 0);
  CHECK(found(alert("sum(rate(x_total[5m]) >= 0) < 1")) == 0);
  CHECK(found(alert("sum(up == bool 1) < 2")) == 0);
  CHECK(found(alert("absent(up{job=\"a\"} == 1) or sum(up{job=\"a\"} == 1) < 2")) == 0);
  CHECK(found(alert("max(up == 1) < 2")) == 0);
}

TEST_CASE("count-never-zero: a sum of values of at least 1 is at least 1", "[lint][checks]") {
  // project-onboarding-operator's ProjectOnboardingOperatorDown, sysdig promcat's haproxy-ingress.
  auto f = lint_findings("r.yml", alert("sum(up{namespace=\"p\"} == 1) < 1"), "promql/impossible");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "sum() of values of at least 1 is at least 1; this comparison with 1 can never be true: the "
                        "expression never returns anything");
  CHECK(lint_findings("r.yml", alert("sum (ha_backend_status == 1) == 0"), "promql/impossible").size() == 1);
  // Compared above 0 it is an idiom ("any up"), not "always true"; below 2 it can hold.
  CHECK(lint_findings("r.yml", alert("sum(up == 1) > 0"), "promql/always-true").empty());
  CHECK(lint_findings("r.yml", alert("sum(up == 1) < 2"), "promql/impossible").empty());
}

TEST_CASE("count-never-zero: a sum of values that are all 0 is 0", "[lint][checks]") {
  // wikimedia operations-alerts bb396f7^: the share of hosts reporting no resources, summed where
  // it meant counted: 0 / count is 0, and the branch never fired.
  auto f = lint_findings("r.yml", alert("sum(x == 0) / count(x == 0) >= 0.1"), "promql/impossible");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.rfind("sum() of values that are all 0 is 0 (the comparison == 0 keeps only the values it "
                           "accepts)",
                           0) == 0);
  CHECK(lint_findings("r.yml", alert("sum by (job) (up == 0) > 0"), "promql/impossible").size() == 1);
  // A count of them, a sum of what may be 0 or more, a sum with bool: they can pass.
  CHECK(lint_findings("r.yml", alert("count(x == 0) / count(x) >= 0.1"), "promql/impossible").empty());
  CHECK(lint_findings("r.yml", alert("sum(x >= 0) > 1"), "promql/impossible").empty());
  CHECK(lint_findings("r.yml", alert("sum(x == bool 0) / count(x) >= 0.1"), "promql/impossible").empty());
  // Compared so that 0 passes it is redundant, not a mistake: info at most.
  for (const auto& d : lint_findings("r.yml", alert("sum(x == 0) < 1"), "promql/always-true"))
    CHECK(d.severity == nsmon::core::Severity::info);
}

TEST_CASE("count-never-zero: a ratio of a count that 0 would fire", "[lint][checks]") {
  // TrianaLab/pacto-operator a889498 PactoFleetComplianceDropped: silent at 0% compliance.
  auto f = lint_findings("r.yml", alert("count(x{s=\"C\"} == 1) / count(x{s=\"C\"}) < 0.9"), "alerts/count-never-zero");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == nsmon::core::Severity::info);
  CHECK(f[0].message == "count() of nothing is nothing, not 0: where no series passes x{s=\"C\"} == 1, there is no "
                        "count, so count(x{s=\"C\"} == 1) / count(x{s=\"C\"}) has no value to compare with 0.9, and "
                        "the alert is silent there, where 0 would fire it");
  CHECK(f[0].suggestion == "count the series that fail too: sum(x{s=\"C\"} == bool 1) in place of count(x{s=\"C\"} "
                           "== 1), or (count(x{s=\"C\"} == 1) or vector(0))");
  // By group (each group silent at 0), a percentage, one minus the share, a sum of a filter.
  auto g =
      lint_findings("r.yml", alert("count by (ns) (x == 1) / count by (ns) (x) <= 0.5"), "alerts/count-never-zero");
  REQUIRE(g.size() == 1);
  CHECK(g[0].suggestion == "count the series that fail too: sum by (ns) (x == bool 1) in place of count by (ns) (x "
                           "== 1)");
  CHECK(found(alert("100 * count(x == 1) / count(x) < 90")) == 1);
  CHECK(found(alert("1 - count(x == 1) / count(x) > 0.1")) == 1);
  CHECK(found(alert("sum(rate(ok_total[5m]) > 0) / sum(rate(all_total[5m])) < 0.5")) == 1);
}

TEST_CASE("count-never-zero: ratios that 0 would not fire, or with a fallback", "[lint][checks]") {
  // Above a share: silent at 0 is what it means. A fallback, bool, the count as denominator.
  CHECK(found(alert("count(x == 0) / count(x) > 0.1")) == 0);
  CHECK(found(alert("(count(x == 1) or vector(0)) / count(x) < 0.9")) == 0);
  CHECK(found(alert("sum(x == bool 1) / count(x) < 0.9")) == 0);
  CHECK(found(alert("count(x) / count(x == 1) > 2")) == 0);
  CHECK(found(alert("count(x) / count(y) < 0.9")) == 0);
  // A number added that 0 would not pass; a sum of a filter that removes nothing.
  CHECK(found(alert("count(x == 1) / count(x) + 1 < 0.9")) == 0);
  CHECK(found(alert("sum(rate(ok_total[5m]) >= 0) / sum(rate(all_total[5m])) < 0.5")) == 0);
}
