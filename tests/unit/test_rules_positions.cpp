// Where a rule file's findings point (issue 46): a plain rule file's second YAML document, values
// with no text of their own (an empty `expr:`). Each bad case with its check id and line:col, and
// its correct twin with none.
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "test_places.hpp"

using namespace nsmon;

namespace {
// The findings of loading `text` as a rule file: "line:col severity check-id", sorted.
std::vector<std::string> findings(const std::string& text) {
  core::SourceFile src("r.yml", text);
  std::vector<core::Diagnostic> diags;
  rules::load_rule_file(src, diags);
  core::sort_diagnostics(diags);
  return testing::places_with_severity(diags);
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
  // nsmon still reads (and lints) every document; positions inside a later document's values
  // read the file itself (each document was read from a copy that is gone).
  {
    core::SourceFile src("r.yml", two);
    std::vector<core::Diagnostic> diags;
    auto f = rules::load_rule_file(src, diags);
    REQUIRE(f.groups.size() == 2);
    const auto& expr = f.groups[1].rules.at(0).expr;
    CHECK(expr.source == &src);
    CHECK(expr.at(4, 6).line == 11);
    CHECK(expr.at(4, 6).col == 19);
  }
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

TEST_CASE("a finding inside an aliased value points at the alias, where the rule uses it", "[rules][yaml]") {
  // A rule anchored whole and used again (`- *r`): the second rule's findings at its alias, naming
  // the anchor's line. Before: both at the anchor (line 6), so the second rule had no finding of
  // its own and a `# nsmon disable` on it did nothing.
  const std::string broken = "groups:\n  - name: g\n    rules:\n      - &r\n        record: job:up:sum\n"
                             "        expr: sum(up\n      - *r\n";
  CHECK(linted(broken, "promql/syntax") ==
        V{"6:20 promql/syntax unclosed left parenthesis",
          "7:9 promql/syntax unclosed left parenthesis (the text of the anchor at line 4)"});
  // The correct twin: the anchored rule is valid (the same rule twice is a duplicate, no more).
  std::string fine = broken;
  fine.replace(fine.find("sum(up\n"), 7, "sum(up)\n");
  CHECK(linted(fine, "promql/syntax").empty());
  CHECK(findings(fine) == V{"7:9 warning rules/duplicate-rule"});

  // An annotation's template, anchored on one alert and used by another.
  const std::string alerts = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n"
                             "        annotations: {summary: &s \"{{ if }}\"}\n"
                             "      - alert: B\n        expr: up == 1\n        annotations: {summary: *s}\n";
  CHECK(findings(alerts) == V{"6:39 error rules/template", "9:32 error rules/template"});
  CHECK(linted(alerts, "rules/template").at(1) ==
        "9:32 rules/template annotation \"summary\": template: missing value for if (the text of the anchor at "
        "line 6)");
  std::string valid_alerts = alerts;
  valid_alerts.replace(valid_alerts.find("{{ if }}"), 8, "{{ $labels.job }}");
  CHECK(findings(valid_alerts).empty());

  // A label map anchored on one rule and used whole by another: its keys and values through the
  // alias are placed at it.
  const std::string labels = "groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum(up)\n"
                             "        labels: &l {team-name: a}\n      - record: job:up:max\n        expr: max(up)\n"
                             "        labels: *l\n";
  CHECK(findings(labels) == V{"6:21 warning rules/label-name", "9:17 warning rules/label-name"});
  CHECK(linted(labels, "rules/label-name").at(1) ==
        "9:17 rules/label-name 'team-name' is not a valid label name before Prometheus 3.0 (only letters, digits and "
        "_) (the text of the anchor at line 6)");
  std::string valid_labels = labels;
  valid_labels.replace(valid_labels.find("team-name"), 9, "team_name");
  CHECK(findings(valid_labels).empty());
  // An aliased duration.
  CHECK(findings("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for: &f 5 minutes\n"
                 "  - alert: B\n    expr: up == 1\n    for: *f\n") ==
        V{"6:10 error rules/duration", "9:10 error rules/duration"});
}

TEST_CASE("yaml: an alias knows where it is used, its content stays the anchored node's", "[rules][yaml]") {
  core::SourceFile src("r.yml", "a: &x hello\nb: *x\nc: &m {k: v}\nd: *m\n");
  std::vector<core::Diagnostic> diags;
  core::YamlReader y(src, diags);
  auto root = y.parse();
  REQUIRE(root);
  auto a = (*root)["a"], b = (*root)["b"];
  CHECK(a.alias_at() == -1);
  CHECK(b.alias_at() == 15);
  CHECK(b.is(a));
  CHECK(a.is(b));
  CHECK(b.scalar() == "hello");
  CHECK(b.mark().line == a.mark().line); // the content's place: the anchor's
  core::Located v = y.located(b);
  CHECK(v.value == "hello");
  CHECK(v.span.line == 2);
  CHECK(v.span.col == 4);
  CHECK(v.span.len == 2);
  CHECK(v.anchor_line == 1);
  CHECK(v.at(1, 3).line == 2);
  CHECK(v.anchor_note() == " (the text of the anchor at line 1)");
  CHECK(y.located(a).anchor_note().empty());
  // Inside a map used through an alias: located(scalar, via) places it at the alias.
  auto d = (*root)["d"];
  CHECK(d.is((*root)["c"]));
  core::Located k = y.located(d["k"], d);
  CHECK(k.span.line == 4);
  CHECK(k.anchor_line == 3);
  CHECK(y.located(d["k"]).span.line == 3);
}

TEST_CASE("alert, record or expr written as an alias: Prometheus reads the alias's name", "[rules][yaml]") {
  // rulefmt decodes alert, record and expr into yaml.Node fields, and yaml.v3 hands such a field
  // an alias node as it is, whose Value is the alias's name. promtool 2.42 test rules on
  // `expr: &bad sum(up)` then `expr: *bad`: the second rule records bad{job="b"} 7, the series
  // of the metric `bad`; `record: *rec` records a metric named rec; `alert: *al` an alert al.
  const std::string text = "groups:\n  - name: g\n    rules:\n      - record: &rec job:up:sum\n"
                           "        expr: &bad sum(up\n      - record: *rec\n        expr: *bad\n";
  core::SourceFile src("r.yml", text);
  std::vector<core::Diagnostic> diags;
  auto file = rules::load_rule_file(src, diags);
  const auto& again = file.groups.at(0).rules.at(1);
  CHECK(again.name.value == "rec");
  CHECK(again.expr.value == "bad");
  CHECK(again.expr.span.line == 7);
  CHECK(again.expr.span.col == 15);
  CHECK(again.expr.at(0, 3).col == 16); // the name, after the `*`
  CHECK(linted(text, "rules/aliased-field") ==
        V{"6:17 rules/aliased-field Prometheus reads this alias as its name: record is \"rec\", not the anchored text "
          "at line 4 (rulefmt keeps alert, record and expr as YAML nodes, and an alias node's value is its name)",
          "7:15 rules/aliased-field Prometheus reads this alias as its name: expr is \"bad\", not the anchored text "
          "at line 5 (rulefmt keeps alert, record and expr as YAML nodes, and an alias node's value is its name)"});
  // The anchored expression's syntax error is the first rule's only: Prometheus never parses it
  // for the second.
  CHECK(linted(text, "promql/syntax") == V{"5:25 promql/syntax unclosed left parenthesis"});
  CHECK(linted(text, "rules/aliased-field").size() == 2);
  // An alert's name.
  CHECK(linted("groups:\n- name: g\n  rules:\n  - alert: &a Down\n    expr: up == 0\n  - alert: *a\n"
               "    expr: up == 1\n",
               "rules/aliased-field")
            .size() == 1);

  // The correct twins: the whole rule anchored and merged (`<<: *r`: yaml.v3 merges the anchored
  // map's nodes, text and all), or aliases where Prometheus resolves them (labels, annotations,
  // for: maps of strings and durations).
  const std::string merged = "groups:\n  - name: g\n    rules:\n      - &r\n        record: job:up:sum\n"
                             "        expr: sum(up)\n      - <<: *r\n        record: job:up:sum2\n";
  CHECK(linted(merged, "rules/aliased-field").empty());
  CHECK(findings(merged).empty());
  const std::string resolved = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for: &f 5m\n"
                               "    labels: &l {severity: page}\n  - alert: B\n    expr: up == 1\n    for: *f\n"
                               "    labels: *l\n";
  CHECK(linted(resolved, "rules/aliased-field").empty());
  CHECK(findings(resolved).empty());
}

TEST_CASE("aliases in a manifest or chart values reach the ruler resolved", "[rules][yaml]") {
  // kubectl and kustomize (Flux's kustomize-controller) decode a PrometheusRule into JSON before
  // the operator writes its rule file, and `kubectl kustomize` (v5.5.0) prints `record: *price`
  // as the anchored name and `expr: *free` as vector(0): the rules hold the anchored text.
  const std::string rules = "      - record: &rec job:up:sum\n        expr: &e sum(up)\n"
                            "      - record: *rec\n        labels: {k: v}\n        expr: *e\n"
                            "      - alert: &a Down\n        expr: up == 0\n      - alert: *a\n        expr: up == 1\n";
  const std::string manifest = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\n"
                               "spec:\n  groups:\n  - name: g\n    rules:\n" +
                               rules;
  core::SourceFile src("pr.yaml", manifest);
  std::vector<core::Diagnostic> diags;
  auto file = rules::load_rule_file(src, diags);
  const auto& again = file.groups.at(0).rules.at(1);
  CHECK(again.name.value == "job:up:sum");
  CHECK(again.expr.value == "sum(up)");
  CHECK(again.aliased.empty());
  CHECK(file.groups.at(0).rules.at(3).name.value == "Down");
  CHECK(linted(manifest, "rules/aliased-field").empty());
  const std::string vmrule = "apiVersion: operator.victoriametrics.com/v1beta1\nkind: VMRule\nmetadata:\n"
                             "  name: x\nspec:\n  groups:\n  - name: &n Group\n    rules:\n    - alert: *n\n"
                             "      expr: up == 0\n";
  CHECK(linted(vmrule, "rules/aliased-field").empty());
  const std::string values =
      "additionalPrometheusRulesMap:\n  x:\n    groups:\n    - name: g\n      rules:\n"
      "      - alert: &a Down\n        expr: up == 0\n      - alert: *a\n        expr: up == 1\n";
  CHECK(linted(values, "rules/aliased-field").empty());
  // A ConfigMap's rule file is mounted as written: Prometheus reads its aliases as names.
  const std::string configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  r.yml: |\n"
                                "    groups:\n    - name: g\n      rules:\n      - alert: &a Down\n"
                                "        expr: up == 0\n      - alert: *a\n        expr: up == 1\n";
  CHECK(linted(configmap, "rules/aliased-field").size() == 1);
}
