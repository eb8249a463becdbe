// alerts/inverted-severity: a critical alert whose bound is looser than its warning's.
#include <catch2/catch.hpp>

#include "test_lint_support.hpp"

using nsmon::testing::lint_findings;

namespace {
// node_exporter's mixin between 0b50eb72 and cec414df: warning below 3% free, critical below 5%.
std::string ladder(const std::string& warning, const std::string& critical, const std::string& critical_for = "30m") {
  return "groups:\n- name: node\n  rules:\n"
         "  - alert: FilesystemAlmostOutOfSpace\n    expr: |\n      (\n        avail / size * 100 < " +
         warning + "\n      and\n        readonly == 0\n      )\n    for: 30m\n    labels: {severity: warning}\n" +
         "  - alert: FilesystemAlmostOutOfSpace\n    expr: |\n      (\n        avail / size * 100 <  " + critical +
         "\n      and\n        readonly == 0\n      )\n    for: " + critical_for +
         "\n    labels: {severity: critical}\n";
}
} // namespace

TEST_CASE("inverted-severity: the critical bound looser than the warning's", "[lint][checks]") {
  auto found = lint_findings("r.yml", ladder("3", "5"), "alerts/inverted-severity");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.line == 13);
  CHECK(found[0].message == "alert FilesystemAlmostOutOfSpace (severity critical) fires at < 5, before its warning "
                            "FilesystemAlmostOutOfSpace (line 4) at < 3, on the same expression: the warning fires "
                            "only while the critical does; are the two thresholds swapped?");
  // Above a bound, the critical one is the higher.
  const std::string above = "groups:\n- name: t\n  rules:\n"
                            "  - alert: Busy\n    expr: load > 0.9\n    labels: {severity: warning}\n"
                            "  - alert: VeryBusy\n    expr: load > 0.8\n    labels: {severity: critical}\n";
  CHECK(lint_findings("r.yml", above, "alerts/inverted-severity").size() == 1);
}

TEST_CASE("inverted-severity: a ladder in order, or alerts that differ otherwise", "[lint][checks]") {
  CHECK(lint_findings("r.yml", ladder("5", "3"), "alerts/inverted-severity").empty());
  // A longer for may make a looser bound critical: sustained, not sharp.
  CHECK(lint_findings("r.yml", ladder("3", "5", "2h"), "alerts/inverted-severity").empty());
  // Under unless the bound works the other way; two bounds leave the ladder unknown.
  const std::string unless = "groups:\n- name: t\n  rules:\n"
                             "  - alert: A\n    expr: up unless load < 3\n    labels: {severity: warning}\n"
                             "  - alert: A\n    expr: up unless load < 5\n    labels: {severity: critical}\n";
  CHECK(lint_findings("r.yml", unless, "alerts/inverted-severity").empty());
  const std::string two = "groups:\n- name: t\n  rules:\n"
                          "  - alert: A\n    expr: load < 3 and mem < 4\n    labels: {severity: warning}\n"
                          "  - alert: A\n    expr: load < 5 and mem < 4\n    labels: {severity: critical}\n";
  CHECK(lint_findings("r.yml", two, "alerts/inverted-severity").empty());
}
