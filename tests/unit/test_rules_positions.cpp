// Where a rule file's findings point (issue 46): values with no text of their own (an empty
// `expr:`). Each bad case with its check id and line:col, and
// its correct twin with none.
#include <catch2/catch.hpp>

#include "nsmon/rules/rule_file.hpp"

using namespace nsmon;

namespace {
// The findings of loading `text` as a rule file: "line:col severity check-id", sorted.
std::vector<std::string> findings(const std::string& text) {
  core::SourceFile src("r.yml", text);
  std::vector<core::Diagnostic> diags;
  rules::load_rule_file(src, diags);
  core::sort_diagnostics(diags);
  std::vector<std::string> out;
  for (const auto& d : diags)
    out.push_back(std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + core::to_string(d.severity) +
                  " " + std::string(d.check.id()));
  return out;
}
using V = std::vector<std::string>;

std::string rule_with(const std::string& expr_line) {
  return "groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n" + expr_line + "      - record: job:up:max\n" +
         "        expr: max(up)\n";
}
} // namespace

TEST_CASE("an empty expr is reported on its key or value, as promtool places it", "[rules]") {
  // `expr:` is null, which Go's yaml decodes as "": promtool's "field 'expr' must be set in rule",
  // not a type error; on the key (the null's own mark is the next rule's dash).
  CHECK(findings(rule_with("        expr:\n")) == V{"5:9 error rules/missing-field"});
  CHECK(findings(rule_with("        expr: ~\n")) == V{"5:9 error rules/missing-field"});
  // An empty string or an empty block scalar: on the value, as promtool (5:15).
  CHECK(findings(rule_with("        expr: \"\"\n")) == V{"5:15 error rules/missing-field"});
  CHECK(findings(rule_with("        expr: |\n")) == V{"5:15 error rules/missing-field"});
  // No expr at all: on the rule.
  CHECK(findings(rule_with("")) == V{"4:9 error rules/missing-field"});
  // The correct twin.
  CHECK(findings(rule_with("        expr: sum(up)\n")).empty());
  // `for:` and `alert:` with no value: a zero duration (promtool says nothing) and a rule with
  // neither alert nor record, not type errors.
  CHECK(findings("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for:\n").empty());
  CHECK(findings("groups:\n- name: g\n  rules:\n  - alert:\n    expr: up == 0\n") ==
        V{"4:5 error rules/alert-xor-record"});
}
