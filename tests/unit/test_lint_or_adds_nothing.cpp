// promql/impossible of an `or` whose right side never adds a series: both sides read one selector
// through steps that keep each series' labels, and the left filters none of them.
#include <catch2/catch.hpp>

#include "test_lint_support.hpp"

using nsmon::testing::lint_findings;

namespace {
std::string alert(const std::string& expr) {
  return "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n";
}
std::size_t found(const std::string& expr) { return lint_findings("r.yml", alert(expr), "promql/impossible").size(); }
} // namespace

TEST_CASE("or adds nothing: a bool comparison on the left keeps every series", "[lint][checks]") {
  // sapcc helm-charts 5b42087^: the 15m threshold never counted (the proof is
  // tests/data/shipped-bugs/proofs/sapcc-helm-charts-5b42087.before.test.yml).
  const auto f = lint_findings("r.yml",
                               alert("(rate(x{d=~\"T.*\"}[90m]) * 8 / 1000^3 > bool 8.5 or rate(x{d=~\"T.*\"}[15m]) * "
                                     "8 / 1000^3 > bool 9.5) == 1"),
                               "promql/impossible");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message ==
        "the right side of 'or' never adds a series: both sides read x{d=~\"T.*\"}, keeping each "
        "series' labels, and the left filters none of them (a comparison with bool keeps every "
        "series, as 0 or 1), so it has a series wherever the right has one, and 'or' returns the left's");
  // The fix: each side filtered (== 1) before the or.
  CHECK(found("rate(x[90m]) > bool 8.5 == 1 or rate(x[15m]) > bool 9.5 == 1") == 0);
}

TEST_CASE("or adds nothing: which sides cover the other", "[lint][checks]") {
  // The same series, the right filtered, aggregated alike, or over a shorter window.
  CHECK(found("x or x > 5") == 1);
  CHECK(found("sum by (a) (rate(x[1h])) or sum by (a) (rate(x[5m])) > 3") == 1);
  CHECK(found("abs(x - 3) or x and y") == 1);
  CHECK(found("max_over_time(x[1h]) or rate(x[5m])") == 1); // one sample covers where two are
  // A left side that filters, a longer window on the right (the fallback), one needing more
  // samples on the left, other matchers, other groupings, on(...), other expressions: quiet.
  CHECK(found("x > 5 or x < 1") == 0);
  CHECK(found("rate(x[5m]) or rate(x[1h])") == 0);
  CHECK(found("rate(x[1h]) or max_over_time(x[5m])") == 0);
  CHECK(found("x{a=\"1\"} or x{a=\"2\"}") == 0);
  CHECK(found("x or x offset 1h") == 0);
  CHECK(found("sum by (a) (x) or sum by (b) (x)") == 0);
  CHECK(found("sum by (a) (x) or x") == 0);
  CHECK(found("x or on (a) x") == 0);
  CHECK(found("topk(3, x) or x") == 0);
  CHECK(found("x or vector(0)") == 0);
  CHECK(found("x or y") == 0);
  CHECK(found("absent_over_time(x[1h]) or absent_over_time(x[5m])") == 0);
}
