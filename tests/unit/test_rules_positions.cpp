// Where a rule file's findings point (issue 46): a plain rule file's second YAML document, values
// with no text of their own (an empty `expr:`). Each bad case with its check id and line:col, and
// its correct twin with none.
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"
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

// lint-rules' findings of check `id` on `text`, the loader's and lint's: "line:col check-id message".
std::vector<std::string> linted(const std::string& text, std::string_view id) {
  core::SourceFile src("r.yml", text);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(src, diags));
  lint::Options opt;
  opt.catalog = &catalog::embedded();
  for (auto& d : lint::run(in, opt)) diags.push_back(std::move(d));
  core::sort_diagnostics(diags);
  std::vector<std::string> out;
  for (const auto& d : diags)
    if (d.check.id() == id)
      out.push_back(std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + std::string(id) + " " +
                    d.message);
  return out;
}

const std::string kGroupA = "groups:\n  - name: a\n    rules:\n      - record: job:up:sum\n        expr: sum(up)\n";
const std::string kGroupB = "groups:\n  - name: b\n    rules:\n      - record: job:up:max\n        expr: max(up)\n"
                            "      - record: job:up:min\n        expr: min(up)\n";

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

TEST_CASE("a plain rule file's second YAML document: Prometheus never loads it", "[rules]") {
  // promtool 2.42 on such a file: "SUCCESS: 1 rules found", whatever the second document holds.
  const std::string two = kGroupA + "---\n" + kGroupB;
  auto file = [](const std::string& text) {
    core::SourceFile src("r.yml", text);
    std::vector<core::Diagnostic> diags;
    return rules::load_rule_file(src, diags);
  };
  // nsmon still reads (and lints) every document.
  CHECK(file(two).groups.size() == 2);
  CHECK(linted(two, "rules/multiple-documents") ==
        V{"6:1 rules/multiple-documents Prometheus loads only the first YAML document of a rule file: this document, "
          "with 1 group (2 rules), is never loaded"});
  // Three documents: one finding, at the second, counting both.
  CHECK(linted(two + "---\n" + kGroupA, "rules/multiple-documents") ==
        V{"6:1 rules/multiple-documents Prometheus loads only the first YAML document of a rule file: the 2 documents "
          "from here on, with 2 groups (3 rules), are never loaded"});
  // A document begun after a `...` line: at its first content.
  CHECK(linted(kGroupA + "...\n# b\n" + kGroupB, "rules/multiple-documents") ==
        V{"8:1 rules/multiple-documents Prometheus loads only the first YAML document of a rule file: this document, "
          "with 1 group (2 rules), is never loaded"});
  // A second document Prometheus would not even parse is still one it never reads.
  CHECK(linted(kGroupA + "---\ngroups: [\n", "rules/multiple-documents").size() == 1);

  // The correct twins: one document (a `---` first, comments or an empty document after it).
  CHECK(linted(kGroupA, "rules/multiple-documents").empty());
  CHECK(linted("---\n" + kGroupA + "---\n# nothing more\n", "rules/multiple-documents").empty());
  CHECK(linted(kGroupA + "...\n", "rules/multiple-documents").empty());
  CHECK_FALSE(file(kGroupA).later_documents);
  // Kubernetes objects are no plain rule file: each PrometheusRule is an object of its own.
  const std::string rule = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: r}\nspec:\n" +
                           std::string("  groups: [{name: a, rules: [{record: job:up:sum, expr: sum(up)}]}]\n");
  const std::string stream = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n" + rule + "---\n" + rule;
  CHECK(file(stream).groups.size() == 2);
  CHECK_FALSE(file(stream).later_documents);
  CHECK(linted(stream, "rules/multiple-documents").empty());
  CHECK(linted(rule + "---\n" + rule, "rules/multiple-documents").empty());
}
