// rules/copied-alert: an alert that repeats an earlier alert of its file under another name.
#include <catch2/catch.hpp>

#include "nsmon/lint/rule_checks.hpp"
#include "test_lint_support.hpp"

using nsmon::testing::lint_findings;

namespace {
std::string alerts(const std::string& second_expr, const std::string& second_for = "15m",
                   const std::string& second_severity = "critical") {
  return "groups:\n- name: hw\n  rules:\n"
         "  - alert: VoltageFailing\n    expr: ipmi_voltage_state > 0\n    for: 15m\n"
         "    labels: {severity: critical}\n"
         "  - alert: FanSpeedFailing\n    expr: " +
         second_expr + "\n    for: " + second_for + "\n    labels: {severity: " + second_severity + "}\n";
}
} // namespace

TEST_CASE("copied-alert: another name over the same expression, for and labels", "[lint][checks]") {
  auto found = lint_findings("r.yml", alerts("ipmi_voltage_state>0"), "rules/copied-alert");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.line == 8);
  CHECK(found[0].message ==
        "alert FanSpeedFailing has the expression, for and labels of alert VoltageFailing (line 4): the two always "
        "fire together, for the same series, so this one tests the other's condition under its own name; a copy "
        "whose expression was not changed?");
  // Another expression, another for, another label: another alert.
  CHECK(lint_findings("r.yml", alerts("ipmi_fan_speed_state > 0"), "rules/copied-alert").empty());
  CHECK(lint_findings("r.yml", alerts("ipmi_voltage_state > 0", "1h"), "rules/copied-alert").empty());
  CHECK(lint_findings("r.yml", alerts("ipmi_voltage_state > 0", "15m", "warning"), "rules/copied-alert").empty());
  // Alerts that read no series are alike on purpose (a pipeline's test alerts).
  CHECK(lint_findings("r.yml",
                      "groups:\n- name: t\n  rules:\n  - alert: A\n    expr: vector(1)\n"
                      "  - alert: B\n    expr: vector(1)\n",
                      "rules/copied-alert")
            .empty());
  // Spaces count inside a string only.
  const std::string spaced = "groups:\n- name: hw\n  rules:\n"
                             "  - alert: A\n    expr: 'x{name=\"a b\"} > 0'\n"
                             "  - alert: B\n    expr: 'x{name=\"ab\"}>0'\n"
                             "  - alert: C\n    expr: 'x{ name=\"ab\" } >  0'\n";
  found = lint_findings("r.yml", spaced, "rules/copied-alert");
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule == "C");
}

TEST_CASE("without_spaces: spaces out of strings go, strings stay whole", "[lint][checks]") {
  using nsmon::lint::without_spaces;
  CHECK(without_spaces("sum by (job) (rate(x[5m]))\t>\n0.2 ") == "sumby(job)(rate(x[5m]))>0.2");
  CHECK(without_spaces("x{a=\"a b\", b='c d', c=`e f`} > 0") == "x{a=\"a b\",b='c d',c=`e f`}>0");
  // An escaped quote does not end its string; another kind of quote inside a string is text.
  CHECK(without_spaces("x{a=\"q\\\" 'r s\" , b = 1}") == "x{a=\"q\\\" 'r s\",b=1}");
  CHECK(without_spaces("x{a='\\\\' , b='1 2'}") == "x{a='\\\\',b='1 2'}");
  // A string left open keeps its spaces to the end; a backslash last is text.
  CHECK(without_spaces("x{a=\"b c ") == "x{a=\"b c ");
  CHECK(without_spaces("x{a=\"b \\") == "x{a=\"b \\");
  CHECK(without_spaces(" \v\f\r ").empty());
  CHECK(without_spaces("").empty());
}

TEST_CASE("copied-alert: the first alert of the same key, among alerts of one expression", "[lint][checks]") {
  // One expression, spaces aside, for five alerts: only labels tell them apart. Each copy names
  // the first alert with its labels; an alert of the same name is no copy.
  const std::string file = "groups:\n- name: g\n  rules:\n"
                           "  - alert: A\n    expr: x > 0\n    labels: {severity: critical}\n"
                           "  - alert: B\n    expr: x>0\n    labels: {severity: warning}\n"
                           "  - alert: C\n    expr: x >0\n    labels: {severity: warning}\n"
                           "  - alert: A\n    expr: x > 0\n    labels: {severity: critical}\n"
                           "  - alert: E\n    expr: ' x  >  0 '\n    labels: {severity: critical}\n";
  const auto found = lint_findings("r.yml", file, "rules/copied-alert");
  REQUIRE(found.size() == 2);
  CHECK(found[0].rule == "C");
  CHECK(found[0].message.find("of alert B (line 7)") != std::string::npos);
  CHECK(found[1].rule == "E");
  CHECK(found[1].message.find("of alert A (line 4)") != std::string::npos);
}
