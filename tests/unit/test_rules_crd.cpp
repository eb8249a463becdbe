#include <algorithm>
#include <catch2/catch.hpp>

#include "nsmon/core/yaml.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/util/files.hpp"
#include "test_places.hpp"

using namespace nsmon;

// rules/crd-type: a PrometheusRule's values whose type the CRD's schema refuses, as a Kubernetes
// client's yaml.v2 reads them (tests/data/prometheusrule-crd/README.md).

namespace {
std::vector<core::Diagnostic> lint(const std::string& text) {
  core::SourceFile src("r.yml", text);
  std::vector<core::Diagnostic> diags;
  rules::load_rule_file(src, diags);
  core::sort_diagnostics(diags);
  return diags;
}

// "line:col check" of each finding.
std::vector<std::string> where(const std::string& text) { return testing::places(lint(text)); }
using V = std::vector<std::string>;

const std::string kHead = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: r}\nspec:\n"
                          "  groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: up == 0\n      labels:\n";

std::string label(const std::string& value) { return kHead + "        slo: " + value + "\n"; }
} // namespace

TEST_CASE("rules/crd-type: a label the CRD refuses, as yaml.v2 resolves it", "[rules][crd]") {
  // Booleans of YAML 1.2 and of YAML 1.1 (yaml.v2, which kubectl, Helm, Flux and Argo CD read
  // manifests with: tests Go's yaml.v2 and encoding/json gave these types), integers in every
  // base, floats, an integral float (sent as an integer, still no string).
  for (const char* v :
       {"true", "False", "TRUE", "yes", "No",  "on", "OFF",  "y",     "N",    "1",       "-3",        "0x10",
        "017",  "1_000", "1.5",  "1.0", "1e3", ".5", ".inf", "-.Inf", ".nan", "!!int 5", "!!bool yes"}) {
    INFO(v);
    CHECK(where(label(v)) == V{"11:14 rules/crd-type"});
  }
  auto d = lint(label("true"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].severity == core::Severity::error);
  CHECK(d[0].message ==
        "label \"slo\" is true, which Kubernetes reads as a boolean: the PrometheusRule CRD takes a string, so the API "
        "server refuses the resource and none of its rules load");
  CHECK(d[0].suggestion == "quote it: \"true\"");
  CHECK(lint(label("yes"))[0].message.find("as a boolean (YAML 1.1):") != std::string::npos);
  CHECK(lint(label("1.5"))[0].message.find("as a number:") != std::string::npos);
}

TEST_CASE("rules/crd-type: strings of every form are quiet", "[rules][crd]") {
  // Quoted, block scalars, !!str, text that only looks typed to YAML 1.2 or to nobody, a
  // timestamp (yaml.v2 leaves it text in an interface{}), null (the label is removed).
  for (const char* v : {"\"true\"", "'1'", "|\n          true", ">-\n          yes", "!!str 5", "maybe", "0o17x",
                        "1.2.3", "2001-12-14", "1h", "inf", "~", "", "null", "page"}) {
    INFO(v);
    CHECK(where(label(v)).empty());
  }
}

TEST_CASE("rules/crd-type: only in a PrometheusRule", "[rules][crd]") {
  // Prometheus reads a rule file with yaml.v3, which decodes any scalar into a string field as its
  // text: `slo: true` is the label slo="true" (promtool check rules 2.42 accepts the file:
  // tests/data/shipped-bugs/proofs/o11y-6f74626.plain.test.yml).
  const std::string plain = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    labels:\n"
                            "      slo: true\n      page: 1\n    for: 0\n";
  CHECK(where(plain).empty());
  auto file = [&] {
    core::SourceFile src("r.yml", plain);
    std::vector<core::Diagnostic> diags;
    return rules::load_rule_file(src, diags);
  }();
  REQUIRE(file.groups.size() == 1);
  CHECK_FALSE(file.groups[0].crd);
  CHECK(file.groups[0].rules[0].labels[0].value.value == "true");
  // A VMRule and Google's manifests have CRDs of their own: not checked here.
  CHECK(where("apiVersion: operator.victoriametrics.com/v1beta1\nkind: VMRule\nspec:\n  groups:\n  - name: g\n"
              "    rules:\n    - alert: A\n      expr: up == 0\n      labels: {slo: true}\n")
            .empty());
  // kube-prometheus-stack makes a PrometheusRule of its additional rules, through yaml.v2 and
  // toYaml: a boolean stays one. The prometheus chart's serverFiles are a file Prometheus reads.
  CHECK(where("additionalPrometheusRulesMap:\n  r:\n    groups:\n    - name: g\n      rules:\n      - alert: A\n"
              "        expr: up == 0\n        labels: {slo: true}\n") == V{"8:23 rules/crd-type"});
  CHECK(where("serverFiles:\n  alerting_rules.yml:\n    groups:\n    - name: g\n      rules:\n      - alert: A\n"
              "        expr: up == 0\n        labels: {slo: true}\n")
            .empty());
}

TEST_CASE("rules/crd-type: expr takes an integer, durations a string", "[rules][crd]") {
  auto rule = [](const std::string& fields) {
    return "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: g\n    rules:\n"
           "    - " +
           fields + "\n";
  };
  // expr is x-kubernetes-int-or-string: an integer (1.0 too, sent as 1) passes, a fraction does not.
  CHECK(where(rule("record: r\n      expr: 1")).empty());
  CHECK(where(rule("record: r\n      expr: 1.0")).empty());
  CHECK(where(rule("record: r\n      expr: 0.5")) == V{"8:13 rules/crd-type"});
  CHECK(where(rule("record: r\n      expr: \"0.5\"")).empty());
  // for: 0 is Prometheus's zero duration, and an integer to Kubernetes.
  CHECK(where(rule("alert: A\n      expr: up == 0\n      for: 0")) == V{"9:12 rules/crd-type"});
  CHECK(where(rule("alert: A\n      expr: up == 0\n      for: \"0\"")).empty());
  // A number Prometheus cannot read as a duration either is rules/duration's alone.
  CHECK(where(rule("alert: A\n      expr: up == 0\n      for: 5")) == V{"9:12 rules/duration"});
}

namespace {
// The properties of a schema node's `properties` whose type (or whose values' type) is string.
std::vector<std::pair<std::string, bool>> string_fields(const yaml::Node& props) {
  std::vector<std::pair<std::string, bool>> out; // name, a map of strings
  for (auto it = props.begin(); it != props.end(); ++it) {
    const yaml::Node& p = it->second;
    if (auto t = p["type"]; t && t.scalar() == "string") out.emplace_back(it->first.scalar(), false);
    else if (auto a = p["additionalProperties"]; a && a["type"] && a["type"].scalar() == "string")
      out.emplace_back(it->first.scalar(), true);
  }
  return out;
}
} // namespace

TEST_CASE("rules/crd-type: every string field of the CRD's schema, old and new", "[rules][crd]") {
  for (const char* version : {"v0.50.0", "v0.93.0"}) {
    INFO(version);
    const std::string path = std::string(NSMON_SOURCE_DIR) + "/tests/data/prometheusrule-crd/" + version + ".yaml";
    core::SourceFile crd(path, util::read_file(path));
    std::vector<core::Diagnostic> diags;
    core::YamlReader y(crd, diags);
    auto root = y.parse();
    REQUIRE(root);
    auto group = (*root)["spec"]["versions"].at(
        0)["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["groups"]["items"];
    auto rule = group["properties"]["rules"]["items"];
    REQUIRE(rule["properties"]["expr"]["x-kubernetes-int-or-string"].scalar() == "true");
    int checked = 0;
    for (bool of_rule : {false, true})
      for (const auto& [name, map] : string_fields((of_rule ? rule : group)["properties"])) {
        INFO(name);
        // A value of another type: a boolean, or for a duration the integer 0 (Prometheus reads
        // "0"); partial_response_strategy is Thanos Ruler's, which refuses a boolean as well.
        const bool duration =
            name == "for" || name == "keep_firing_for" || name == "interval" || name == "query_offset";
        const std::string value = map ? "{x: true}" : duration ? "0" : "true";
        std::string g = "name: g", r = "alert: A\n      expr: up == 0";
        if (name == "record") r = "record: true\n      expr: up";
        else if (of_rule && name != "alert") r += "\n      " + name + ": " + value;
        else if (of_rule) r = "alert: true\n      expr: up == 0";
        else if (name == "name") g = "name: true";
        else g += "\n    " + name + ": " + value;
        const auto found = where("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - " +
                                 g + "\n    rules:\n    - " + r + "\n");
        CHECK(std::count_if(found.begin(), found.end(),
                            [](const std::string& f) { return f.ends_with(" rules/crd-type"); }) == 1);
        ++checked;
      }
    CHECK(checked >= 8);
  }
}
