#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/report/junit.hpp"
#include "nsmon/report/render.hpp"

using namespace nsmon;
using json = nlohmann::ordered_json;

namespace {

// Two files: one with a multi-byte character before the finding (columns in SARIF count code points).
report::Report sample(core::SourceSet& sources) {
  sources.add("rules.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n");
  sources.add("dir/ünï code.yml", "# é\nx: \"é\" foo\n");
  report::Report r;
  core::Diagnostic a{core::Severity::error, {"rules.yml", 5, 15, 2}, "rules/duration", "bad, really: 100%", ""};
  a.rule = "A";
  a.group = "g";
  a.suggestion = "use 5m";
  core::Diagnostic b{core::Severity::warning, {"dir/ünï code.yml", 2, 9, 3}, "yaml/unknown-field", "line\r\nbreak", ""};
  core::Diagnostic c{core::Severity::info, {"rules.yml", 0, 0, 0}, "rules/record-naming", "whole file", ""};
  r.findings = {c, a, b};
  core::sort_diagnostics(r.findings);
  report::describe_files(r, 2, 1);
  return r;
}

// The properties SARIF 2.1.0 requires (and the types it gives them) for what nsmon writes.
void check_sarif(const json& log) {
  REQUIRE(log.is_object());
  CHECK(log.at("$schema").get<std::string>().find("sarif-schema-2.1.0") != std::string::npos);
  CHECK(log.at("version") == "2.1.0");
  REQUIRE(log.at("runs").is_array());
  REQUIRE(log["runs"].size() == 1);
  const json& run = log["runs"][0];
  const json& driver = run.at("tool").at("driver");
  CHECK(driver.at("name") == "nsmon");
  CHECK(driver.at("version").is_string());
  REQUIRE(driver.at("rules").is_array());
  std::vector<std::string> ids;
  for (const auto& rule : driver["rules"]) {
    ids.push_back(rule.at("id").get<std::string>());
    CHECK(rule.at("shortDescription").at("text").is_string());
    std::string level = rule.at("defaultConfiguration").at("level").get<std::string>();
    CHECK((level == "error" || level == "warning" || level == "note"));
  }
  // The lint checks first, in table order, then only the other checks the results cite.
  const auto lint_checks = core::checks_in(core::CheckSection::lint);
  REQUIRE(ids.size() >= lint_checks.size());
  for (std::size_t i = 0; i < lint_checks.size(); ++i) CHECK(ids[i] == lint_checks[i].id);
  CHECK(run.at("columnKind") == "unicodeCodePoints");
  REQUIRE(run.at("results").is_array());
  for (const auto& res : run["results"]) {
    CHECK(res.at("message").at("text").is_string());
    std::string level = res.at("level").get<std::string>();
    CHECK((level == "error" || level == "warning" || level == "note"));
    REQUIRE(res.contains("ruleIndex"));
    CHECK(ids.at(res["ruleIndex"].get<std::size_t>()) == res.at("ruleId"));
    REQUIRE(res.at("locations").size() == 1);
    const json& loc = res["locations"][0].at("physicalLocation");
    std::string uri = loc.at("artifactLocation").at("uri").get<std::string>();
    CHECK(uri.find(' ') == std::string::npos);
    if (loc.contains("region")) {
      CHECK(loc["region"].at("startLine").get<int>() >= 1);
      CHECK(loc["region"].at("startColumn").get<int>() >= 1);
      if (loc["region"].contains("endColumn"))
        CHECK(loc["region"]["endColumn"].get<int>() > loc["region"]["startColumn"].get<int>());
    }
  }
}

} // namespace

TEST_CASE("summary line", "[report][render]") {
  report::Report r;
  CHECK(report::summary_line(r) == "no problems found");
  report::describe_files(r, 1, 1);
  CHECK(report::summary_line(r) == "no problems found in 1 file (1 rule)");
  core::SourceSet sources;
  r = sample(sources);
  CHECK(report::summary_line(r) == "1 error, 1 warning, 1 info in 2 files (1 rule)");
}

TEST_CASE("text: compiler-style findings, then the summary", "[report][render]") {
  core::SourceSet sources;
  auto r = sample(sources);
  std::string text = report::render_text(r, sources, false);
  CHECK(text.find("rules.yml:5:15: error: bad, really: 100% [rules/duration]\n"
                  "          expr: up == 0\n"
                  "                ^~\n"
                  "  help: use 5m (nsmon explain rules/duration)\n") != std::string::npos);
  CHECK(text.find('\033') == std::string::npos);
  CHECK(text.substr(text.size() - 47) == "1 error, 1 warning, 1 info in 2 files (1 rule)\n");
  CHECK(report::render_text(r, sources, true).find("\033[") != std::string::npos);
  report::Report clean;
  report::describe_files(clean, 0, 0);
  CHECK(report::render_text(clean, sources, false) == "no problems found in 0 files (0 rules)\n");
}

TEST_CASE("text: colours around the location, the severity, the caret and help", "[report][render]") {
  core::SourceSet sources;
  auto r = sample(sources);
  CHECK(report::render_text(r, sources, true)
            .find("\033[1mrules.yml:5:15:\033[0m \033[1;31merror:\033[0m bad, really: "
                  "100% [rules/duration]\n"
                  "          expr: up == 0\n"
                  "                \033[1;32m^~\033[0m\n"
                  "  \033[1mhelp:\033[0m use 5m (nsmon explain rules/duration)\n") != std::string::npos);
}

TEST_CASE("text: many findings are rendered in parallel chunks and written in their order", "[report][render]") {
  core::SourceSet sources;
  std::string text;
  for (int i = 1; i <= 3000; ++i) text += "  - alert: A" + std::to_string(i) + "\n";
  sources.add("big.yml", text);
  report::Report r;
  std::string want;
  for (int i = 1; i <= 3000; ++i) {
    core::Diagnostic d{
        core::Severity::warning, {"big.yml", i, 12, 1 + i % 5}, "rules/record-naming", "n" + std::to_string(i), ""};
    if (i % 7 == 0) d.suggestion = "s" + std::to_string(i);
    want += core::render_text(d, sources, false);
    r.findings.push_back(std::move(d));
  }
  report::describe_files(r, 1, 3000);
  CHECK(report::render_text(r, sources, false) == want + report::summary_line(r) + "\n");
}

TEST_CASE("json: many findings, rendered in parallel chunks, are the tree nlohmann dumps", "[report][render]") {
  report::Report r;
  json want = json::array();
  for (int i = 1; i <= 3000; ++i) {
    core::Diagnostic d{
        core::Severity::info, {"big.yml", i, 3, 1}, "rules/record-naming", "m\"" + std::to_string(i), ""};
    if (i % 5 == 0) d.rule = "r" + std::to_string(i);
    want.push_back({{"file", "big.yml"},
                    {"line", i},
                    {"column", 3},
                    {"severity", "info"},
                    {"check", "rules/record-naming"},
                    {"message", d.message},
                    {"rule", d.rule.empty() ? json() : json(d.rule)},
                    {"group", nullptr},
                    {"suggestion", nullptr}});
    r.findings.push_back(std::move(d));
  }
  json got = json::parse(report::render_json(r));
  CHECK(got["findings"] == want);
  CHECK(report::render_json(r).rfind("{\n  \"findings\": [\n    {\n      \"file\": \"big.yml\",", 0) == 0);
}

TEST_CASE("json: fixed keys in a fixed order, null when absent", "[report][render]") {
  core::SourceSet sources;
  auto r = sample(sources);
  std::string out = report::render_json(r);
  CHECK(out.back() == '\n');
  CHECK(out == report::render_json(r));
  json doc = json::parse(out);
  std::vector<std::string> top;
  for (const auto& [k, v] : doc.items()) top.push_back(k);
  CHECK(top == std::vector<std::string>{"findings", "summary"});
  REQUIRE(doc["findings"].size() == 3);
  const std::vector<std::string> keys = {"file",    "line", "column", "severity",  "check",
                                         "message", "rule", "group",  "suggestion"};
  for (const auto& f : doc["findings"]) {
    std::vector<std::string> got;
    for (const auto& [k, v] : f.items()) got.push_back(k);
    CHECK(got == keys);
  }
  const json& a = doc["findings"][2];
  CHECK(a == json::parse(R"({"file": "rules.yml", "line": 5, "column": 15, "severity": "error",
    "check": "rules/duration", "message": "bad, really: 100%", "rule": "A", "group": "g",
    "suggestion": "use 5m"})"));
  const json& c = doc["findings"][1];
  CHECK(c["line"].is_null());
  CHECK(c["column"].is_null());
  CHECK(c["rule"].is_null());
  CHECK(c["suggestion"].is_null());
  CHECK(doc["summary"] == json::parse(R"({"errors": 1, "warnings": 1, "info": 1, "files": 2, "rules": 1})"));
}

// The document render_json writes as it goes, built as a tree and dumped by nlohmann instead.
std::string json_by_tree(const report::Report& r) {
  auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json findings = json::array();
  for (const auto& d : r.findings)
    findings.push_back({{"file", d.span.file.str()},
                        {"line", d.span.line > 0 ? json(d.span.line) : json(nullptr)},
                        {"column", d.span.line > 0 ? json(std::max(d.span.col, 1)) : json(nullptr)},
                        {"severity", core::to_string(d.severity)},
                        {"check", std::string(d.check.id())},
                        {"message", d.message},
                        {"rule", or_null(d.rule)},
                        {"group", or_null(d.group)},
                        {"suggestion", or_null(d.suggestion)}});
  report::Counts c = report::count(r.findings);
  json summary = {{"errors", c.errors}, {"warnings", c.warnings}, {"info", c.infos}};
  for (const auto& f : r.facts) std::visit([&](const auto& v) { summary[f.key] = v; }, f.value);
  json doc = {{"findings", std::move(findings)}, {"summary", std::move(summary)}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

TEST_CASE("json: written as it goes, byte for byte what nlohmann's dump of the tree gives", "[report][render]") {
  core::SourceSet sources;
  auto r = sample(sources);
  CHECK(report::render_json(r) == json_by_tree(r));
  // Strings that need escaping or replacing: quotes, backslashes, control bytes, DEL, invalid UTF-8.
  core::Diagnostic d{core::Severity::warning, {"a \"b\"\\c.yml", 1, 2, 0}, "yaml/syntax", "tab\there\x01 \x7f", ""};
  d.rule = "bad \xff\xfe utf-8 \xc3";
  d.group = "é ü";
  d.suggestion = "line\nbreak";
  r.findings.push_back(d);
  r.facts.push_back({"input", std::string("a \"quoted\" string")});
  CHECK(report::render_json(r) == json_by_tree(r));
  // Every ASCII byte, escaped as nlohmann escapes it (render_json escapes ASCII itself).
  std::string ascii;
  for (int c = 0; c < 0x80; ++c) ascii += static_cast<char>(c);
  d.message = ascii;
  d.rule = ascii + "\xc3\xa9";
  r.findings.push_back(d);
  CHECK(report::render_json(r) == json_by_tree(r));
  report::Report empty;
  CHECK(report::render_json(empty) == json_by_tree(empty));
  report::describe_files(empty, 0, 0);
  CHECK(report::render_json(empty) == json_by_tree(empty));
}

TEST_CASE("json and github: a finding on a line without a column is at column 1", "[report][render]") {
  // A whole-line finding (column 0): the line is known, so the column is 1, never 0, in both formats.
  report::Report r;
  r.findings = {core::Diagnostic{core::Severity::warning, {"rules.yml", 3, 0, 0}, "yaml/unknown-field", "m", ""}};
  json doc = json::parse(report::render_json(r));
  CHECK(doc["findings"][0]["line"] == 3);
  CHECK(doc["findings"][0]["column"] == 1);
  CHECK(report::render_github(r).find("::warning file=rules.yml,line=3,col=1,title=yaml/unknown-field::m\n") == 0);
}

TEST_CASE("github: workflow commands with GitHub's escaping", "[report][render]") {
  CHECK(report::github_escape_data("a%b\r\nc: d, e") == "a%25b%0D%0Ac: d, e");
  CHECK(report::github_escape_property("a%b\r\nc: d, e") == "a%25b%0D%0Ac%3A d%2C e");
  core::SourceSet sources;
  std::string out = report::render_github(sample(sources));
  // Sorted by file: dir/... first; levels follow the findings' severities.
  CHECK(out.find("::warning file=dir/ünï code.yml,line=2,col=9,title=yaml/unknown-field::line%0D%0Abreak\n") == 0);
  CHECK(out.find("::notice file=rules.yml,title=rules/record-naming::whole file\n") != std::string::npos);
  CHECK(out.find("::error file=rules.yml,line=5,col=15,title=rules/duration::bad, really: 100%25%0Ahelp: use 5m\n") !=
        std::string::npos);
  core::Diagnostic d{core::Severity::error, {"a,b:c.yml", 1, 1, 1}, "yaml/syntax", "m", ""};
  report::Report r;
  r.findings = {d};
  CHECK(report::render_github(r).find("::error file=a%2Cb%3Ac.yml,line=1,col=1,title=yaml/syntax::m\n") == 0);
}

TEST_CASE("sarif: the structure SARIF 2.1.0 requires", "[report][render]") {
  core::SourceSet sources;
  auto r = sample(sources);
  json log = json::parse(report::render_sarif(r, sources));
  check_sarif(log);
  const json& results = log["runs"][0]["results"];
  REQUIRE(results.size() == 3);
  const json& b = results[0];
  CHECK(b["level"] == "warning");
  CHECK(b["ruleId"] == "yaml/unknown-field");
  const json& loc = b["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "dir/%C3%BCn%C3%AF%20code.yml");
  // `x: "é" foo`: byte column 9 is code point column 8.
  CHECK(loc["region"] == json::parse(R"({"startLine": 2, "startColumn": 8, "endColumn": 11})"));
  CHECK(results[1]["level"] == "note");
  CHECK(!results[1]["locations"][0]["physicalLocation"].contains("region"));
  CHECK(results[2]["message"]["text"] == "bad, really: 100%\nhelp: use 5m");
  // Each rule carries its page: whole for the checks a result cites, what and why for the others.
  for (const json& rule : log["runs"][0]["tool"]["driver"]["rules"]) {
    INFO(rule["id"]);
    REQUIRE(rule.contains("help"));
    CHECK(rule["helpUri"].get<std::string>().ends_with("/blob/main/docs/checks/" + rule["id"].get<std::string>() +
                                                       ".md"));
    const bool cited =
        rule["id"] == "yaml/unknown-field" || rule["id"] == "rules/duration" || rule["id"] == results[1]["ruleId"];
    CHECK(rule["help"].contains("markdown") == cited);
  }
  // An empty report is still a valid log; absolute paths become file:// URIs.
  report::Report empty;
  check_sarif(json::parse(report::render_sarif(empty, sources)));
  empty.findings = {{core::Severity::error, {"/tmp/a b.yml", 1, 1, 1}, "yaml/syntax", "m", ""}};
  json abs = json::parse(report::render_sarif(empty, sources));
  check_sarif(abs);
  CHECK(abs["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "file:///tmp/a%20b.yml");
}

TEST_CASE("sarif: a check outside lint's list that a result cites is declared", "[report][render]") {
  core::SourceSet sources;
  report::Report r;
  r.findings = {core::make_diagnostic("ruletest/failed", {"t.yml", 3, 1, 1}, "alert A: missing"),
                core::make_diagnostic("yaml/syntax", {"t.yml", 1, 1, 1}, "bad")};
  json log = json::parse(report::render_sarif(r, sources));
  check_sarif(log);
  const json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  CHECK(rules.size() == core::checks_in(core::CheckSection::lint).size() + 1);
  CHECK(rules.back()["id"] == "ruletest/failed");
  CHECK(rules.back()["defaultConfiguration"]["level"] == "error");
  CHECK(log["runs"][0]["results"][0]["ruleIndex"] == rules.size() - 1);
}

TEST_CASE("sarif: a run that stopped says so in its invocation, a finished one has none", "[report][render]") {
  core::SourceSet sources;
  sources.add("t.yml", "tests: [\n");
  report::Report r;
  r.findings = {core::make_diagnostic("yaml/syntax", {"t.yml", 2, 1, 1}, "YAML: end of sequence flow not found")};
  CHECK(!json::parse(report::render_sarif(r, sources))["runs"][0].contains("invocations"));
  r.stopped = "the test input t.yml is invalid";
  r.stopped_exit_code = 2;
  json log = json::parse(report::render_sarif(r, sources));
  check_sarif(log);
  CHECK(log["runs"][0]["results"].size() == 1);
  CHECK(log["runs"][0]["invocations"] == json::parse(R"([{"executionSuccessful": false, "exitCode": 2,
    "toolExecutionNotifications": [{"level": "error", "message": {"text": "the test input t.yml is invalid"}}]}])"));
}

TEST_CASE("junit: an input that could not run is an error, and what XML cannot hold is U+FFFD", "[report][render]") {
  report::JUnitCase input{"load the tests", 0, false, {}, "the test input t.yml is invalid\nt.yml:1:1: \x01 \xff <&>"};
  const std::string xml = report::render_junit({{"t.yml", {input}}});
  CHECK(xml.find(R"(<testsuite name="t.yml" tests="1" failures="0" errors="1" skipped="0")") != std::string::npos);
  CHECK(xml.find("<error message=\"the test input t.yml is invalid\">the test input t.yml is invalid\nt.yml:1:1: "
                 "\xEF\xBF\xBD \xEF\xBF\xBD &lt;&amp;&gt;</error>") != std::string::npos);
  // A suite without errors is written as before: no errors attribute.
  CHECK(report::render_junit({{"t.yml", {{"ok", 0, false, {}, ""}}}}).find("errors=") == std::string::npos);
}
