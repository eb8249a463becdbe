// promql/always-true and promql/impossible of a side compared with itself scaled and shifted,
// `x op a * x + c` (the same expression on both sides), which is `(1 - a) x op c`.
#include <catch2/catch.hpp>

#include "test_lint_support.hpp"

using nsmon::testing::lint_findings;

namespace {
std::string alert(const std::string& expr) {
  return "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n";
}
std::size_t found(const std::string& expr, const char* check) {
  return lint_findings("r.yml", alert(expr), check).size();
}
} // namespace

TEST_CASE("against itself: a count above half of itself", "[lint][checks]") {
  // awesome-prometheus-alerts a72feb4's etcd quorum alert: n > n / 2 - 1 for every count n.
  const auto f =
      lint_findings("r.yml", alert("count(etcd_server_id) > (count(etcd_server_id) / 2 - 1)"), "promql/always-true");
  REQUIRE(f.size() == 1);
  CHECK(f[0].span.line == 5);
  CHECK(f[0].message == "`> (count(etcd_server_id) / 2 - 1)` compares count(etcd_server_id) with itself, scaled and "
                        "shifted: it is `count(etcd_server_id) > -2`, and its values lie in [1, +Inf]: every value "
                        "passes, it removes nothing");
  // Written as a product, the other way round, and one no count passes.
  CHECK(found("count(up) >= 0.5 * count(up) + 0.5", "promql/always-true") == 1);
  CHECK(found("count(up) < count(up) / 2", "promql/impossible") == 1);
  // A threshold that does not move with it, another expression, the NaN filter x == x, a side of
  // unknown values, a bool comparison: quiet.
  CHECK(found("count(up == 0) > count(up) / 2 - 1", "promql/always-true") == 0);
  CHECK(found("count(up) > 2", "promql/always-true") == 0);
  CHECK(found("rate(x_total[5m]) == rate(x_total[5m])", "promql/always-true") == 0);
  CHECK(found("x > x / 2", "promql/always-true") == 0);
  CHECK(found("x > x / 2", "promql/impossible") == 0);
  CHECK(found("count(up) > bool count(up) / 2 - 1", "promql/always-true") == 0);
}
