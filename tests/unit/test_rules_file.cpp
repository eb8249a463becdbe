#include <catch2/catch.hpp>

#include "nsmon/rules/rule_file.hpp"
#include "nsmon/util/files.hpp"
#include "test_places.hpp"

using namespace nsmon;

namespace {
struct Loaded {
  rules::RuleFile file;
  std::vector<core::Diagnostic> diags;
};

Loaded load(const std::string& text, const std::string& path = "r.yml") {
  core::SourceFile src(path, text);
  Loaded l;
  l.file = rules::load_rule_file(src, l.diags);
  core::sort_diagnostics(l.diags);
  return l;
}

std::vector<std::string> where(const Loaded& l) { return testing::places_with_severity(l.diags); }
using V = std::vector<std::string>;
} // namespace

TEST_CASE("the seeds' and the corrected rule files load without structural findings", "[rules]") {
  for (const char* path : {"/tests/data/seed/alert_rules.yml", "/rules/alert_rules.yml"}) {
    std::string full = std::string(NSMON_SOURCE_DIR) + path;
    core::SourceFile src(full, util::read_file(full));
    std::vector<core::Diagnostic> diags;
    auto file = rules::load_rule_file(src, diags);
    INFO(path);
    CHECK(diags.empty());
    REQUIRE(file.groups.size() == 3);
    CHECK(file.groups[0].name.value == "training_alerts");
    CHECK(file.groups[0].interval->ms == 30000);
    REQUIRE(file.groups[1].rules.size() == 2);
    const auto& r = file.groups[1].rules[0];
    CHECK(r.name.value == "InferenceTimeSlow");
    CHECK(r.is_alert());
    CHECK(r.for_->ms == 300000);
    CHECK(r.labels.at(0).key.value == "severity");
    CHECK(r.annotations.size() == 2);
    // The expression stands in the file byte for byte: no per-byte table is kept.
    CHECK(r.expr.offsets.empty());
    CHECK(src.text().substr(r.expr.file_offset(0), r.expr.value.size()) == r.expr.value);
  }
}

TEST_CASE("structure: promtool's checks, positioned", "[rules]") {
  SECTION("unknown and misspelled fields") {
    auto l = load("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    anotations: {}\n");
    CHECK(where(l) == V{"6:5 error yaml/unknown-field"});
    CHECK(l.diags[0].suggestion == "did you mean 'annotations'?");
  }
  SECTION("alert xor record") {
    auto l = load("groups:\n- name: g\n  rules:\n  - alert: A\n    record: b\n    expr: up\n  - expr: up\n");
    CHECK(where(l) == V{"5:13 error rules/alert-xor-record", "7:5 error rules/alert-xor-record"});
  }
  SECTION("missing expr") {
    auto l = load("groups:\n- name: g\n  rules:\n  - alert: A\n    for: 5m\n");
    CHECK(where(l) == V{"4:5 error rules/missing-field"});
  }
  SECTION("durations") {
    auto l = load("groups:\n- name: g\n  interval: 1x\n  rules:\n  - alert: A\n    expr: up\n    for: 5\n");
    CHECK(where(l) == V{"3:13 error rules/duration", "7:10 error rules/duration"});
  }
  SECTION("recording rule constraints") {
    auto l = load("groups:\n- name: g\n  rules:\n  - record: job:up:sum{x}\n    expr: sum(up)\n    for: 1m\n"
                  "    annotations: {a: b}\n");
    CHECK(where(l) ==
          V{"4:13 error rules/record-name", "6:5 error rules/record-fields", "7:5 error rules/record-fields"});
  }
  SECTION("duplicate groups, rules and keys") {
    auto l = load("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n  - alert: A\n    expr: up == 0\n"
                  "- name: g\n  rules:\n  - alert: B\n    expr: up\n    labels: {a: x, a: y}\n");
    CHECK(where(l) ==
          V{"6:12 warning rules/duplicate-rule", "8:9 error rules/duplicate-group", "12:20 error yaml/duplicate-key"});
  }
  SECTION("a name given many times, among others: each repeat with the same labels") {
    std::string text = "groups:\n- name: g\n  rules:\n  - alert: ''\n    expr: up\n"; // no name: line 4
    for (int i = 0; i < 40; ++i) // rule i on line 6 + 3i: A, B1, A, B3, ... with A's labels {n: 0}, {n: 1}, {n: 0}, ...
      text += (i % 2 == 0 ? "  - alert: A\n" : "  - alert: B" + std::to_string(i) + "\n") + "    expr: up\n" +
              "    labels: {n: '" + std::to_string(i / 2 % 2) + "'}\n";
    auto l = load(text);
    std::vector<std::string> want = {"4:5 error rules/alert-xor-record"};
    for (int i = 4; i < 40; i += 2) want.push_back(std::to_string(6 + 3 * i) + ":12 warning rules/duplicate-rule");
    CHECK(where(l) == want);
  }
  SECTION("same alert name with different labels is not a duplicate") {
    auto l = load("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {severity: warning}\n"
                  "  - alert: A\n    expr: up\n    labels: {severity: critical}\n");
    CHECK(l.diags.empty());
  }
  SECTION("label names") {
    auto l = load("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {__name__: x, my-label: y}\n");
    CHECK(where(l) == V{"6:14 error rules/label-name", "6:27 warning rules/label-name"});
  }
  SECTION("wrong types") {
    auto l = load("groups:\n- name: g\n  rules: {alert: A}\n");
    CHECK(where(l) == V{"3:10 error yaml/type"});
    l = load("groups: 5\n");
    CHECK(where(l) == V{"1:9 error yaml/type"});
  }
  SECTION("template syntax in alert labels and annotations, positioned inside the value") {
    auto l = load("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {x: \"{{ $foo }}\"}\n"
                  "    annotations:\n      d: |\n        line one\n        {{ $value | humanise }}\n");
    CHECK(where(l) == V{"6:21 error rules/template", "10:21 error rules/template"});
    CHECK(l.diags[1].message == "annotation \"d\": template: function \"humanise\" not defined");
  }
  SECTION("empty group name") {
    auto l = load("groups:\n- rules: []\n");
    CHECK(where(l) == V{"2:3 error rules/missing-field"});
  }
  SECTION("empty file and empty groups are fine") {
    CHECK(load("").diags.empty());
    CHECK(load("groups: []\n").diags.empty());
  }
}

TEST_CASE("nsmon disable comments", "[rules]") {
  auto l = load("# nsmon disable promql/rate-on-gauge\n"
                "groups:\n- name: g\n  rules:\n"
                "  # nsmon disable alerts/for-too-short, policy/severity\n"
                "  - alert: A\n    expr: up\n"
                "  - alert: B\n    expr: up  # nsmon disable units/percent-as-ratio\n"
                "  - alert: C\n    expr: up\n");
  REQUIRE(l.diags.empty());
  const auto& rs = l.file.groups[0].rules;
  CHECK(l.file.disabled == std::set<std::string>{"promql/rate-on-gauge"});
  CHECK(rs[0].disabled == std::set<std::string>{"alerts/for-too-short", "policy/severity"});
  CHECK(rs[1].disabled == std::set<std::string>{"units/percent-as-ratio"});
  CHECK(rs[2].disabled.empty());
}

TEST_CASE("hostile rule files give errors, not crashes", "[rules]") {
  CHECK(!load("groups: " + std::string(50000, '[')).diags.empty());
  CHECK(!load(std::string("groups:\n- name: \xff\xfe\n  rules: [\n")).diags.empty());
  std::string nul("groups:\n- name: a\0b\n", 19);
  load(nul); // must not crash
  CHECK(!load("{{{{").diags.empty());
}

TEST_CASE("document_ranges: documents with content, split at --- and ... lines", "[rules]") {
  using R = std::vector<std::pair<std::size_t, std::size_t>>;
  CHECK(core::document_ranges("").empty());
  CHECK(core::document_ranges("# only a comment\n---\n# and another\n").empty());
  CHECK(core::document_ranges("a: 1\n") == R{{0, 5}});
  CHECK(core::document_ranges("---\na: 1\n") == R{{0, 9}});
  //                             0123 4567 89012 3456 789
  CHECK(core::document_ranges("a: 1\n---\nb: 2\n...\n--- {c: 3}\n") == R{{0, 5}, {5, 14}, {18, 29}});
  // "---" inside a line, or followed by other text, is no marker.
  CHECK(core::document_ranges("a: |\n  x --- y\n----\n").size() == 1);
  CHECK(core::document_ranges("a: 1\r\n---\r\nb: 2\r\n").size() == 2);
}

TEST_CASE("PrometheusRule manifests: spec.groups, positions in the file, other kinds skipped", "[rules]") {
  const std::string manifest = R"(apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: detector
  labels: {release: prometheus}
spec:
  groups:
    - name: g
      rules:
        - alert: Down
          expr: up == 0
          for: 5 minutes
)";
  auto l = load(manifest);
  REQUIRE(l.file.groups.size() == 1);
  CHECK(l.file.groups[0].rules.at(0).name.value == "Down");
  CHECK(l.file.groups[0].rules[0].expr.span.line == 11);
  CHECK(where(l) == V{"12:16 error rules/duration"});

  // Several documents: a Service is skipped; each PrometheusRule is read alone, so the same group
  // name in two manifests is no duplicate; findings point into the file.
  const std::string stream = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n---\n" +
                             manifest + "---\n" + manifest;
  auto m = load(stream);
  CHECK(m.file.groups.size() == 2);
  CHECK(where(m) == V{"17:16 error rules/duration", "30:16 error rules/duration"});

  // A manifest's own fields are checked like a rule file's.
  auto bad = load("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  group: []\n");
  CHECK(where(bad) == V{"4:3 error yaml/unknown-field"});
  auto api = load("apiVersion: v1\nkind: PrometheusRule\nspec: {groups: []}\n");
  CHECK(where(api) == V{"1:13 error rules/missing-field"});
  // Red Hat's Observability Operator reads the same manifest under its own API group.
  auto rhobs = load("apiVersion: monitoring.rhobs/v1\nkind: PrometheusRule\nspec: {groups: [{name: a, rules: []}]}\n");
  CHECK(rhobs.diags.empty());
  CHECK(rhobs.file.groups.size() == 1);
  // app-interface's `$schema` (its tooling's, stripped before it applies the manifest); a plain
  // rule file has no such field: Prometheus refuses it.
  auto app_interface = load("$schema: /openshift/prometheus-rule-1.yml\napiVersion: monitoring.coreos.com/v1\n"
                            "kind: PrometheusRule\nspec: {groups: [{name: a, rules: []}]}\n");
  CHECK(app_interface.diags.empty());
  CHECK(app_interface.file.groups.size() == 1);
  CHECK(where(load("$schema: x\ngroups: []\n")) == V{"1:1 error yaml/unknown-field"});
  // A plain rule file of several documents: every document is read.
  auto two = load("groups: [{name: a, rules: []}]\n---\ngroups: [{name: b, rules: []}]\n");
  CHECK(two.file.groups.size() == 2);
  CHECK(two.diags.empty());
}

TEST_CASE("template info is kept only for values with template actions or errors", "[rules]") {
  auto l = load("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    labels:\n      severity: page\n"
                "    annotations:\n      summary: \"{{ $labels.job }} is down\"\n      broken: \"{{ if }}\"\n");
  const auto& r = l.file.groups.at(0).rules.at(0);
  CHECK_FALSE(r.labels.at(0).template_info); // plain text: nothing kept
  CHECK_FALSE(r.labels.at(0).tmpl().has_actions);
  CHECK(r.labels.at(0).tmpl().label_refs.empty());
  REQUIRE(r.annotations.at(0).template_info);
  REQUIRE(r.annotations.at(0).tmpl().label_refs.size() == 1);
  CHECK(r.annotations.at(0).tmpl().label_refs[0].name == "job");
  CHECK_FALSE(r.annotations.at(1).tmpl().errors.empty());
}

TEST_CASE("a file of many rules is read on several threads: its model and findings as one thread reads them",
          "[rules]") {
  // 3 groups of 700 rules (rules are read in parallel past 1,024), with findings in the groups'
  // fields, in rules all over the file and about the whole file (the third group repeats "g1").
  std::string text;
  int lines = 0;
  auto add = [&](const std::string& l) {
    text += l + "\n";
    return std::to_string(++lines);
  };
  std::vector<std::string> want, want_duplicates; // "line check group rule"
  add("groups:");
  std::string g1_line;
  for (int g = 0; g < 3; ++g) {
    std::string gname = g == 2 ? "g1" : "g" + std::to_string(g + 1);
    std::string name_line = add("- name: " + gname);
    if (g == 0) g1_line = name_line;
    std::string at = add(std::string("  interval: ") + (g == 1 ? "1x" : "1m"));
    if (g == 1) want.push_back(at + " rules/duration g2 ");
    add("  rules:");
    for (int r = 0; r < 700; ++r) {
      std::string name = "A" + std::to_string(g) + "_" + std::to_string(r);
      add("  - alert: " + name);
      add("    expr: up == 0");
      if (r % 97 == 5) want.push_back(add("    fro: 5m") + " yaml/unknown-field " + gname + " " + name);
      if (r % 131 == 7) // reported once, by the parser, before the loader's findings
        want_duplicates.push_back(add("    labels: {a: x, a: y}") + " yaml/duplicate-key  ");
      if (r % 151 == 9)
        want.push_back(add("    annotations: {d: \"{{ $value | humanise }}\"}") + " rules/template " + gname + " " +
                       name);
      if (r == 650) want.push_back(add("  - expr: up") + " rules/alert-xor-record " + gname + " ");
      if (r == 300) want.push_back(add("  - 5") + " yaml/type " + gname + " "); // no rule: dropped
    }
    if (g == 2) want.push_back(name_line + " rules/duplicate-group g1 ");
  }
  core::SourceFile src("big.yml", text);
  std::vector<core::Diagnostic> diags;
  auto file = rules::load_rule_file(src, diags);
  std::vector<std::string> got;
  for (const auto& d : diags)
    got.push_back(std::to_string(d.span.line) + " " + std::string(d.check.id()) + " " + d.group + " " + d.rule);
  want.insert(want.begin(), want_duplicates.begin(), want_duplicates.end());
  CHECK(got == want);

  REQUIRE(file.groups.size() == 3);
  for (int g = 0; g < 3; ++g) {
    const auto& rs = file.groups[g].rules;
    REQUIRE(rs.size() == 701); // the rule without alert or record is kept, nameless
    for (int r = 0; r < 701; ++r)
      CHECK(rs[r].name.value == (r == 651 ? "" : "A" + std::to_string(g) + "_" + std::to_string(r - (r > 651))));
    CHECK(rs[0].span.line == file.groups[g].span.line + 3);
    CHECK(rs[700].last_line > rs[699].last_line);
  }
  CHECK_FALSE(file.groups[1].interval);
  CHECK(file.groups[2].rules[151 + 9].annotations.at(0).tmpl().errors.size() == 1);
  CHECK(std::to_string(file.groups[0].span.line) == g1_line);
}

TEST_CASE("a YAML null label value is the empty string, as Go's yaml reads it", "[rules]") {
  core::SourceFile src("r.yml", "groups:\n- name: g\n  rules:\n  - record: a:b:c\n    expr: up\n"
                                "    labels:\n      job_name:\n      team: ~\n      x: y\n");
  std::vector<core::Diagnostic> diags;
  auto f = rules::load_rule_file(src, diags);
  CHECK(diags.empty());
  REQUIRE(f.groups.size() == 1);
  const auto& labels = f.groups[0].rules.at(0).labels;
  REQUIRE(labels.size() == 3);
  CHECK(labels[0].key.value == "job_name");
  CHECK(labels[0].value.value.empty());
  CHECK(labels[0].value.span.line == 7);
  CHECK(labels[1].value.value.empty());
  CHECK(labels[2].value.value == "y");
}

// The source of a rule file, not one (public/pub: giantswarm's and sapcc's Helm charts,
// cloudfoundry's ERB): one finding at its first tag, nothing read; Prometheus's own templates stay.
TEST_CASE("a template of a rule file is one finding, not linted", "[rules]") {
  const std::string rules = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n";
  SECTION("Helm") {
    Loaded l = load("{{- if .Values.alerts.enabled }}\n" + rules + "    for: {{ .Values.for }}\n{{- end }}\n");
    CHECK(where(l) == V{"1:1 error yaml/template-source"});
    CHECK(l.diags.at(0).message.find("the file is a Helm template of a rule file, not one") == 0);
    CHECK(l.diags.at(0).message.find("({{- if .Values.alerts.enabled }})") != std::string::npos);
    CHECK(l.file.groups.empty());
    CHECK(where(load(rules + "    labels: {team: '{{ include \"team\" . }}'}\n")) ==
          V{"6:21 error yaml/template-source"});
  }
  SECTION("ERB and Jinja") {
    Loaded erb = load(rules + "    for: <%= p('alerts.for') %>\n");
    CHECK(where(erb) == V{"6:10 error yaml/template-source"});
    CHECK(erb.diags.at(0).message.find("an ERB template") != std::string::npos);
    CHECK(where(load("{% for job in jobs %}\n" + rules + "{% endfor %}\n")) == V{"1:1 error yaml/template-source"});
    // A raw block of its own lines is no YAML: the file is Jinja's source.
    CHECK(where(load("{% raw %}\n" + rules + "{% endraw %}\n")) == V{"1:1 error yaml/template-source"});
  }
  // redhat-nfvpe's telemetry demo (review47): Ansible's escape of Prometheus's {{ }} inside a
  // value leaves a rule file, applied as it is or rendered first; it is linted.
  SECTION("a raw escape inside a value is not") {
    const std::string raw =
        rules + "    annotations:\n      summary: \"{% raw %}{{ $labels.instance }}{% endraw %} rebooted\"\n";
    Loaded l = load(raw);
    CHECK(where(l).empty());
    REQUIRE(l.file.groups.size() == 1);
    CHECK(l.file.groups[0].rules.at(0).annotations.at(0).value.value ==
          "{% raw %}{{ $labels.instance }}{% endraw %} rebooted");
    CHECK(where(load(rules + "    annotations: {summary: '{%- raw -%}{{ $value }}{%- endraw -%}'}\n")).empty());
    // Any other tag in a value, and a raw escape in a .j2 file, are the template's.
    CHECK(where(load(rules + "    annotations: {summary: '{% if x %}a{% endif %}'}\n")) ==
          V{"6:29 error yaml/template-source"});
    CHECK(where(load(raw, "alerts.yml.j2")) == V{"7:17 error yaml/template-source"});
  }
  // openshift/managed-cluster-config: an Apache log format's `%{%D-%H:%M:%S}t` in a string.
  SECTION("the two bytes of a Jinja tag in a value are not one") {
    CHECK(where(load(rules + "    annotations: {summary: 'log format %{%D-%H:%M:%S}t'}\n")).empty());
    CHECK(where(load(rules + "    annotations: {summary: '{%if x%}a{%endif%}'}\n")) ==
          V{"6:29 error yaml/template-source"});
  }
  SECTION("Prometheus's templates, and tags in comments, are not") {
    CHECK(where(load(rules + "    annotations:\n      summary: '{{ $labels.instance }} {{ .Labels.job }}'\n"
                             "      description: |\n        {{ range query \"up\" }}{{ .Value }}{{ end }}\n"))
              .empty());
    CHECK(where(load("# rendered by hand: each <%= p('x') %> and {{ .Values.y }} replaced\n" + rules)).empty());
  }
}

TEST_CASE("a YAML file of another tool is one finding", "[rules]") {
  Loaded l = load("nameOverride: ''\nglobal: {}\nrbac: {create: true}\nimage: x\n");
  CHECK(where(l) == V{"1:1 error yaml/unknown-field"});
  CHECK(l.diags.at(0).message ==
        "the file is no rule file: no groups:, and none of its 4 top-level fields (nameOverride, global, rbac, image) "
        "is a rule file's; Prometheus refuses it");
  // promtool's test file, passed as a rule file.
  CHECK(load("rule_files: [r.yml]\ntests: []\n").diags.at(0).message ==
        "the file is a rule test file (tests:), not a rule file; Prometheus refuses it as one");
  CHECK(load("global: {}\nscrape_configs: []\n").diags.at(0).message ==
        "the file is a Prometheus configuration (scrape_configs:, rule_files:), not a rule file; Prometheus refuses it "
        "as one");
  CHECK(load("route: {receiver: a}\nreceivers: [{name: a}]\n").diags.at(0).suggestion ==
        "lint it with nsmon lint-alertmanager FILE");
  // A misspelt rule file keeps its field-by-field findings.
  CHECK(where(load("group:\n- name: g\n")) == V{"1:1 error yaml/unknown-field"});
  CHECK(load("group:\n- name: g\n").diags.at(0).message.find("unknown field 'group'") == 0);
}

// yaml.v3 (Prometheus, kustomize) refuses a repeated key; go-yaml v2 without strict, which Helm
// reads manifests and values with (sigs.k8s.io/yaml), keeps the last (checked with Debian's Go
// libraries: the second rules: list is what it returns).
TEST_CASE("a repeated key of a manifest says that Helm keeps the last", "[rules]") {
  Loaded l = load("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: g\n"
                  "    rules:\n    - {alert: A, expr: up == 0}\n    rules:\n    - {alert: B, expr: up == 1}\n");
  CHECK(where(l) == V{"8:5 error yaml/duplicate-key"});
  CHECK(l.diags.at(0).message == "duplicate key 'rules' (already defined at line 6): Helm keeps only the last one "
                                 "without a word, losing the earlier ones (lint-rules reads the first), and kustomize "
                                 "refuses the file");
  // A plain rule file is Prometheus's alone, which refuses it: nothing of Helm.
  Loaded plain = load("groups:\n- name: g\n  rules:\n  - {alert: A, expr: up == 0}\n  rules: []\n");
  CHECK(where(plain) == V{"5:3 error yaml/duplicate-key"});
  CHECK(plain.diags.at(0).message == "duplicate key 'rules' (already defined at line 3)");
}

// promtool: "cannot unmarshal !!seq into rulefmt.RuleGroups" for both lists (promtool 2.42).
TEST_CASE("a bare list of rules or groups says what it holds", "[rules]") {
  Loaded l = load("- alert: A\n  expr: up == 0\n- alert: B\n  expr: up == 1\n");
  CHECK(where(l) == V{"1:1 error yaml/type"});
  CHECK(l.diags.at(0).message ==
        "the file is a bare list of 2 rules, not a mapping with groups: Prometheus refuses it (cannot unmarshal !!seq "
        "into rulefmt.RuleGroups), so none of its rules is loaded; lint-rules reads none of them either");
  CHECK(l.file.groups.empty());
  CHECK(load("- name: g\n  rules: []\n").diags.at(0).message.find("a bare list of 1 rule group,") != std::string::npos);
  CHECK(load("- name: g\n  rules: []\n").diags.at(0).suggestion == "put groups: above the list, indented");
  // A list of anything else (or of rules and groups mixed) is only not a mapping.
  CHECK(load("- a\n- alert: A\n").diags.at(0).message == "a rule file must be a mapping");
  CHECK(load("- alert: A\n- name: g\n  rules: []\n").diags.at(0).message == "a rule file must be a mapping");
  CHECK(load("[]\n").diags.at(0).message == "a rule file must be a mapping");
}

// A VMRule is vmalert's, through the VictoriaMetrics operator: its spec.groups are read as
// vmalert's groups (the operator's `tenant` too), unless --rule-schema says otherwise.
TEST_CASE("a VMRule's groups are vmalert's", "[rules]") {
  const std::string head = "apiVersion: operator.victoriametrics.com/v1beta1\nkind: VMRule\nmetadata: {name: x}\n";
  Loaded l = load(
      head + "spec:\n  groups:\n  - name: g\n    tenant: \"1:2\"\n    interval: 1m\n    eval_offset: 30s\n    rules:\n"
             "    - alert: A\n      expr: up == 0\n      debug: true\n");
  CHECK(where(l).empty());
  REQUIRE(l.file.groups.size() == 1);
  CHECK(l.file.groups[0].ruler == rules::Schema::vmalert);
  CHECK(l.file.groups[0].rules.size() == 1);
  // The operator refuses unknown fields, as vmalert does.
  CHECK(where(load(head + "spec:\n  groups:\n  - name: g\n    query_offset: 1m\n    rules: []\n")) ==
        V{"7:5 error yaml/unknown-field"});
  CHECK(where(load(head + "spec:\n  groups: []\n  other: 1\n")) == V{"6:3 error yaml/unknown-field"});
  // `tenant` is the VMRule's, not a rule file's.
  CHECK(where(load("groups:\n- name: g\n  tenant: '1'\n  rules: []\n")) == V{"3:3 error yaml/unknown-field"});
  CHECK(where(load("apiVersion: v1\nkind: VMRule\nmetadata: {name: x}\nspec: {groups: []}\n")) ==
        V{"1:13 error rules/missing-field"});
}

// Google Managed Prometheus' Rules, ClusterRules and GlobalRules hold Prometheus's groups in
// spec.groups, with fewer fields than a rule file: the API server drops the others.
TEST_CASE("Google Managed Prometheus' rule manifests are read, with their fields", "[rules]") {
  const std::string head = "apiVersion: monitoring.googleapis.com/v1\nkind: ";
  const std::string body = "\nmetadata: {name: x, namespace: y}\nspec:\n  groups:\n  - name: g\n    interval: 30s\n"
                           "    rules:\n    - record: job:up:sum\n      expr: sum by (job) (up)\n"
                           "    - alert: A\n      expr: up == 0\n      for: 5m\n";
  for (const char* kind : {"Rules", "ClusterRules", "GlobalRules"}) {
    Loaded l = load(head + kind + body);
    CHECK(where(l).empty());
    REQUIRE(l.file.groups.size() == 1);
    CHECK(l.file.groups[0].ruler == rules::Schema::prometheus);
    CHECK(l.file.groups[0].rules.size() == 2);
  }
  // keep_firing_for, limit, query_offset and group labels are Prometheus's, not the CRD's.
  Loaded kff = load(head + "Rules" + body + "      keep_firing_for: 5m\n");
  CHECK(where(kff) == V{"14:7 error yaml/unknown-field"});
  CHECK(kff.diags.at(0).message == "unknown field 'keep_firing_for' in a Google Managed Prometheus rule (the API "
                                   "server drops it)");
  CHECK(where(load(head + "Rules" + body + "    limit: 10\n")) == V{"14:5 error yaml/unknown-field"});
  // The operator's status is part of a manifest read back from the cluster.
  CHECK(where(load(head + "Rules" + body + "status: {observedGeneration: 1}\n")).empty());
  // A kind of that name under another API group is someone else's object: skipped, named.
  Loaded other = load("apiVersion: example.com/v1\nkind: Rules\nspec:\n  groups: [{name: g}]\n");
  CHECK(where(other).empty());
  CHECK(other.file.groups.empty());
  CHECK(other.file.other_objects == std::vector<std::string>{"Rules"});
}

// OpenShift's AlertingRule (monitoring.openshift.io/v1) holds Prometheus's groups of alerting rules
// in spec.groups: it was named "no rule manifest" and its rules went unread. Its CRD has no record,
// keep_firing_for, limit or group labels, and requires alert.
TEST_CASE("OpenShift AlertingRule manifests are read, alerting rules only", "[rules]") {
  const std::string head = "apiVersion: monitoring.openshift.io/v1\nkind: AlertingRule\n"
                           "metadata: {name: x, namespace: openshift-monitoring}\nspec:\n  groups:\n  - name: g\n"
                           "    interval: 30s\n    rules:\n    - alert: A\n      expr: up == 0\n      for: 5m\n";
  Loaded l = load(head + "status: {observedGeneration: 1}\n");
  CHECK(where(l).empty());
  REQUIRE(l.file.groups.size() == 1);
  CHECK(l.file.groups[0].ruler == rules::Schema::prometheus);
  CHECK(l.file.groups[0].rules.at(0).name.value == "A");
  CHECK(l.file.other_objects.empty());
  Loaded kff = load(head + "      keep_firing_for: 5m\n");
  CHECK(where(kff) == V{"12:7 error yaml/unknown-field"});
  CHECK(kff.diags.at(0).message ==
        "unknown field 'keep_firing_for' in an OpenShift AlertingRule's rule (the API server drops it)");
  // A recording rule: the object is refused for the missing alert, said once (the API server
  // prunes record first, which is no second finding).
  Loaded rec = load(head + "    - record: job:up:sum\n      expr: sum by (job) (up)\n");
  CHECK(where(rec) == V{"12:15 error rules/missing-field"});
  // The same kind under another API group is someone else's object: skipped, named.
  Loaded other = load("apiVersion: example.com/v1\nkind: AlertingRule\nspec:\n  groups: [{name: g}]\n");
  CHECK(other.file.groups.empty());
  CHECK(other.file.other_objects == std::vector<std::string>{"AlertingRule"});
}

// The kinds of the objects that held no rules are kept, for a run that read no rule to say what
// it read instead; a ConfigMap that carries a rule file it cannot read says where.
TEST_CASE("the Kubernetes objects that hold no rules are named", "[rules]") {
  Loaded l = load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: v1\nkind: "
                  "ConfigMap\nmetadata: {name: c}\ndata:\n  alerts.yml: \"groups:\\n- name: g\\n  rules: []\\n\"\n"
                  "  other: x\n");
  CHECK(where(l).empty());
  CHECK(l.file.groups.empty());
  CHECK(l.file.other_objects ==
        std::vector<std::string>{"Deployment", "ConfigMap with rule groups in data.alerts.yml, not linted"});
}

// `kubectl get prometheusrules -o yaml` and kube-prometheus-stack's template write a List: each
// item is read as its own object, a VMRule's groups as vmalert's beside a PrometheusRule's.
TEST_CASE("the rule manifests of a List are read", "[rules]") {
  Loaded l =
      load("apiVersion: v1\nkind: List\nitems:\n- apiVersion: operator.victoriametrics.com/v1beta1\n"
           "  kind: VMRule\n  metadata: {name: a}\n  spec:\n    groups:\n    - name: g\n      tenant: '1'\n"
           "      rules: [{alert: A, expr: up == 0}]\n- apiVersion: monitoring.coreos.com/v1\n"
           "  kind: PrometheusRule\n  metadata: {name: b}\n  spec:\n    groups:\n    - name: g\n"
           "      tenant: '1'\n      rules: [{alert: B, expr: up == 0}]\n- {apiVersion: v1, kind: Service}\n"
           "- {apiVersion: v1, kind: List, items: [{apiVersion: monitoring.coreos.com/v1, kind: PrometheusRule}]}\n"
           "metadata: {resourceVersion: ''}\n");
  CHECK(where(l) == V{"18:7 error yaml/unknown-field"}); // the PrometheusRule's tenant; the name g may repeat
  REQUIRE(l.file.groups.size() == 2);
  CHECK(l.file.groups[0].ruler == rules::Schema::vmalert);
  CHECK(l.file.groups[1].rules.at(0).name.value == "B");
  CHECK(l.file.other_objects == V{"Service"});
}

// openshift/managed-cluster-config ships its PrometheusRules inside Hive SelectorSyncSets inside
// an OpenShift Template: oc process makes the objects, Hive applies them to the clusters.
TEST_CASE("the rule manifests an OpenShift Template or a Hive SyncSet carries are read", "[rules]") {
  Loaded l =
      load("apiVersion: template.openshift.io/v1\nkind: Template\nparameters: [{name: X}]\nobjects:\n"
           "- apiVersion: hive.openshift.io/v1\n  kind: SelectorSyncSet\n  metadata: {name: s}\n  spec:\n"
           "    resourceApplyMode: Sync\n    resources:\n    - apiVersion: monitoring.coreos.com/v1\n"
           "      kind: PrometheusRule\n      metadata: {name: r}\n      spec:\n        groups:\n        - name: g\n"
           "          rules: [{alert: A, expr: up == 0}]\n- {apiVersion: v1, kind: Namespace}\n");
  CHECK(where(l).empty());
  REQUIRE(l.file.groups.size() == 1);
  CHECK(l.file.groups[0].rules.at(0).name.value == "A");
  CHECK(l.file.other_objects == V{"Namespace"});
  // A Template's other objects alone: no rules, said as before.
  Loaded none =
      load("apiVersion: template.openshift.io/v1\nkind: Template\nobjects:\n- {apiVersion: v1, kind: Namespace}\n");
  CHECK(none.file.groups.empty());
  CHECK(none.file.other_objects == V{"Namespace"});
}

// Helm charts that write rule groups out as given (toYaml): kube-prometheus-stack makes a
// PrometheusRule of each additionalPrometheusRulesMap entry (the older list only without the map),
// the prometheus chart a rule file of each serverFiles entry (openstack-helm's of each
// conf.prometheus.rules entry); in a values file or a Flux
// HelmRelease's spec.values. A group name may repeat in another entry (another object).
TEST_CASE("rule groups in a Helm chart's values are read", "[rules]") {
  const std::string map = "additionalPrometheusRulesMap:\n  a:\n    groups:\n    - name: g\n      rules:\n"
                          "      - alert: A\n        expr: up == 0\n  b:\n    additionalLabels: {x: y}\n"
                          "    groups:\n    - name: g\n      rules:\n      - alert: B\n        expr: up == 0\n"
                          "        for: 5x\n";
  const std::string list = "additionalPrometheusRules:\n- name: c\n  groups:\n  - name: h\n    rules:\n"
                           "    - record: r\n      expr: up\n";
  Loaded values = load("grafana: {enabled: true}\nalertmanager: {enabled: false}\n" + map + list);
  CHECK(where(values) == V{"17:14 error rules/duration"});
  REQUIRE(values.file.groups.size() == 2);
  CHECK(values.file.groups[1].rules.at(0).name.value == "B");
  // victoria-metrics-k8s-stack's entries are VMRules: vmalert's groups.
  Loaded vm = load("vmalert: {enabled: true}\nadditionalVictoriaMetricsMap:\n  a:\n    groups:\n    - name: g\n"
                   "      tenant: '1'\n      rules: [{alert: A, expr: up == 0}]\n");
  CHECK(where(vm).empty());
  REQUIRE(vm.file.groups.size() == 1);
  CHECK(vm.file.groups[0].ruler == rules::Schema::vmalert);
  Loaded old_list = load("prometheusOperator: {}\nkubeEtcd: {}\n" + list);
  REQUIRE(old_list.file.groups.size() == 1);
  CHECK(old_list.file.groups[0].name.value == "h");
  const std::string release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: p}\nspec:\n"
                              "  chart: {spec: {chart: prometheus}}\n  values:\n";
  Loaded server = load(release + "    serverFiles:\n      prometheus.yml: {scrape_configs: []}\n"
                                 "      alerting_rules.yml:\n        groups:\n        - name: g\n          rules:\n"
                                 "          - alert: A\n            expr: up == 0\n");
  CHECK(where(server).empty());
  REQUIRE(server.file.groups.size() == 1);
  CHECK(server.file.groups[0].rules.at(0).expr.span.line == 14);
  // openstack-helm's prometheus chart writes each conf.prometheus.rules entry as a rule file.
  Loaded osh = load("conf:\n  prometheus:\n    scrape_configs: {}\n    rules:\n      nodes:\n        groups:\n"
                    "        - name: g\n          rules:\n          - alert: A\n            expr: up == 0\n"
                    "            for: 5x\n");
  CHECK(where(osh) == V{"11:18 error rules/duration"});
  REQUIRE(osh.file.groups.size() == 1);
  CHECK(osh.file.groups[0].rules.at(0).name.value == "A");
  // Another chart's release holds no rules.
  Loaded other = load(release + "    replicas: 2\n");
  CHECK(other.file.groups.empty());
  CHECK(other.file.other_objects == V{"HelmRelease"});
  // prometheus-blackbox-exporter writes prometheusRule.rules (toYaml) as one group's rules, when
  // enabled; a release names its chart in spec.chart or through the source spec.chartRef names.
  const std::string blackbox = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: b}\n"
                               "spec:\n  chartRef: {kind: OCIRepository, name: blackbox-exporter}\n  values:\n"
                               "    prometheusRule:\n      enabled: true\n      additionalLabels: {a: b}\n"
                               "      rules:\n      - alert: ProbeFailed\n        expr: probe_success == 0\n"
                               "        for: 5x\n";
  Loaded probes = load(blackbox);
  CHECK(where(probes) == V{"13:14 error rules/duration"});
  REQUIRE(probes.file.groups.size() == 1);
  CHECK(probes.file.groups[0].name.value == "prometheus-blackbox-exporter");
  CHECK(probes.file.groups[0].rules.at(0).name.value == "ProbeFailed");
  Loaded disabled = load(blackbox.substr(0, blackbox.find("enabled: true")) + "enabled: false\n" +
                         blackbox.substr(blackbox.find("      additionalLabels")));
  CHECK(disabled.file.groups.empty());
  Loaded another = load(std::string(blackbox).replace(blackbox.find("name: blackbox-exporter"), 23, "name: podinfo"));
  CHECK(another.file.groups.empty());
  CHECK(another.file.other_objects == V{"HelmRelease"});
}

// A ConfigMap's rule file written as a literal block stands in the manifest line for line: it is
// read as the file a Prometheus mounts from it, each finding at its line in the manifest.
TEST_CASE("a rule file in a ConfigMap's data is read where it stands", "[rules]") {
  const std::string configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  alerts.yml: |-\n"
                                "    groups:\n    - name: g\n      rules:\n      - alert: A\n        expr: up == 0\n"
                                "        for: 5x\n";
  Loaded l = load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\n" + configmap +
                  "  other.yml: |\n    groups:\n    - name: g\n      rules:\n      # nsmon disable rules/duration\n"
                  "      - record: r\n        expr: sum(up)\n        labels: {a: b}\n  notes: |\n    text\n");
  CHECK(where(l) == V{"15:14 error rules/duration"}); // the first file's `for: 5x`; other.yml's group name may repeat
  REQUIRE(l.file.groups.size() == 2);
  CHECK(l.file.groups[0].rules.at(0).expr.value == "up == 0");
  CHECK(l.file.groups[0].rules.at(0).expr.span.line == 14);
  CHECK(l.file.groups[0].rules.at(0).expr.span.col == 15);
  CHECK(l.file.groups[1].rules.at(0).name.value == "r");
  CHECK(l.file.other_objects == V{"Deployment"});
  // Alone in its file, and at the end of the file without a final line break.
  Loaded alone = load(configmap.substr(0, configmap.size() - 1));
  CHECK(where(alone) == V{"11:14 error rules/duration"});
  CHECK(alone.file.groups.size() == 1);
  // A value whose lines are not the rule file's (quoted, folded, an explicit indentation) is not read.
  for (const char* value : {">\n    groups: []\n", "|2\n    groups: []\n", "'groups: []'\n",
                            "|\n    groups: []\n    ---\n    groups: []\n"}) {
    Loaded other = load("kind: ConfigMap\ndata:\n  a.yml: " + std::string(value));
    INFO(value);
    CHECK(where(other).empty());
    CHECK(other.file.groups.empty());
    CHECK(other.file.other_objects == V{"ConfigMap with rule groups in data.a.yml, not linted"});
  }
}
