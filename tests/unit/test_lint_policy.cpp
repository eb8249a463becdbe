#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/policy.hpp"
#include "test_places.hpp"

using namespace nsmon;
using json = nlohmann::ordered_json;

namespace {
struct Loaded {
  lint::Policy policy;
  std::vector<core::Diagnostic> diags;
};

Loaded load(const std::string& text) {
  core::SourceFile src("policy.yml", text);
  Loaded l;
  l.policy = lint::load_policy(src, l.diags);
  core::sort_diagnostics(l.diags);
  return l;
}

std::vector<std::string> where(const Loaded& l) { return testing::places(l.diags); }
using V = std::vector<std::string>;
} // namespace

TEST_CASE("an empty policy keeps the defaults", "[lint][policy]") {
  for (const char* text : {"", "# nothing\n", "{}\n"}) {
    auto l = load(text);
    CHECK(l.diags.empty());
    CHECK(l.policy.severity_label == "severity");
    CHECK(l.policy.severity_values == V{"critical", "warning", "info"});
    CHECK(l.policy.required_annotations == V{"summary", "description"});
    CHECK(l.policy.disabled.empty());
    CHECK(l.policy.severity_override.empty());
  }
}

TEST_CASE("every key of a policy file", "[lint][policy]") {
  auto l = load("severity_label: priority\n"
                "severity_values: [page, ticket]\n"
                "required_annotations: [summary, runbook_url]\n"
                "disable: [promql/regex-anchors, yaml/ambiguous-boolean]\n"
                "severity:\n"
                "  rules/record-naming: off\n"
                "  units/out-of-range: error\n"
                "  rules/duplicate-rule: info\n");
  CHECK(l.diags.empty());
  CHECK(l.policy.severity_label == "priority");
  CHECK(l.policy.severity_values == V{"page", "ticket"});
  CHECK(l.policy.required_annotations == V{"summary", "runbook_url"});
  CHECK(l.policy.disabled ==
        std::set<std::string>{"promql/regex-anchors", "yaml/ambiguous-boolean", "rules/record-naming"});
  CHECK(l.policy.severity_override.size() == 2);
  CHECK(l.policy.severity_override.at("units/out-of-range") == core::Severity::error);
  CHECK(l.policy.severity_override.at("rules/duplicate-rule") == core::Severity::info);
}

TEST_CASE("an empty list requires nothing", "[lint][policy]") {
  auto l = load("required_annotations: []\ndisable:\n");
  CHECK(l.diags.empty());
  CHECK(l.policy.required_annotations.empty());
}

TEST_CASE("policy errors are positioned, with did-you-mean", "[lint][policy]") {
  SECTION("unknown key") {
    auto l = load("severity_lable: prio\n");
    REQUIRE(where(l) == V{"1:1 yaml/unknown-field"});
    CHECK(l.diags[0].suggestion == "did you mean 'severity_label'?");
  }
  SECTION("unknown check ids in disable and severity") {
    auto l = load("disable: [promql/rate-on-gauge, promql/rate-on-guage, no/such-thing]\n"
                  "severity:\n  unit/out-of-range: error\n");
    REQUIRE(where(l) ==
            V{"1:33 policy-file/unknown-check", "1:55 policy-file/unknown-check", "3:3 policy-file/unknown-check"});
    CHECK(l.diags[0].message == "unknown check 'promql/rate-on-guage'");
    CHECK(l.diags[0].suggestion == "did you mean 'promql/rate-on-gauge'?");
    CHECK(l.diags[1].suggestion.find("--list-checks") != std::string::npos);
    CHECK(l.diags[2].suggestion == "did you mean 'units/out-of-range'?");
    CHECK(l.policy.disabled == std::set<std::string>{"promql/rate-on-gauge"});
  }
  SECTION("bad severity names") {
    auto l = load("severity: {rules/duplicate-rule: eror, rules/record-naming: fatal}\n");
    REQUIRE(where(l) == V{"1:34 policy-file/value", "1:61 policy-file/value"});
    CHECK(l.diags[0].suggestion == "did you mean 'error'?");
    CHECK(l.policy.severity_override.empty());
  }
  SECTION("types") {
    auto l = load("severity_label: [a]\nseverity_values: critical\ndisable: {a: b}\nseverity: [x]\n");
    CHECK(where(l) == V{"1:17 yaml/type", "2:18 yaml/type", "3:10 yaml/type", "4:11 yaml/type"});
  }
  SECTION("names") {
    auto l = load("severity_label: 'my label'\nrequired_annotations: [summary, 'run book']\n");
    CHECK(where(l) == V{"1:17 policy-file/value", "2:33 policy-file/value"});
    CHECK(l.policy.severity_label == "severity");
    CHECK(l.policy.required_annotations == V{"summary"});
  }
  SECTION("duplicates") {
    auto l = load("severity: {rules/duplicate-rule: info, rules/duplicate-rule: error}\ndisable: []\ndisable: []\n");
    CHECK(where(l) == V{"1:40 yaml/duplicate-key", "3:1 yaml/duplicate-key"});
  }
  SECTION("not YAML") {
    auto l = load("disable: [a\n");
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags[0].check == "yaml/syntax");
  }
}

TEST_CASE("list of checks: every check, its severity under the policy", "[lint][policy]") {
  lint::Policy policy;
  std::string table = lint::render_checks_table(policy);
  CHECK(table.rfind("CHECK ", 0) == 0);
  for (const auto& c : lint::checks()) CHECK(table.find(std::string(c.id) + " ") != std::string::npos);
  json arr = json::parse(lint::render_checks_json(policy));
  REQUIRE(arr.size() == lint::checks().size());
  CHECK(arr[0].size() == 3);
  policy.disabled.insert("yaml/syntax");
  policy.severity_override["yaml/type"] = core::Severity::info;
  arr = json::parse(lint::render_checks_json(policy));
  for (const auto& c : arr) {
    if (c["id"] == "yaml/syntax") CHECK(c["severity"] == "off");
    if (c["id"] == "yaml/type") CHECK(c["severity"] == "info");
    if (c["id"] == "yaml/unknown-field") CHECK(c["severity"] == "error");
  }
}
