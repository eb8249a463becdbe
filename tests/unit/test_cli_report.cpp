// cli/report: the one report pipeline every command that reports findings ends with.
#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nsmon/cli/report.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/exit_codes.hpp"

using namespace nsmon;

namespace {

// What finish() writes on stdout, and its exit code.
std::pair<std::string, int> finished(const report::Report& r, const core::SourceSet& sources,
                                     const cli::ReportOptions& o) {
  std::ostringstream out;
  auto* old = std::cout.rdbuf(out.rdbuf());
  int rc = cli::finish(r, sources, o);
  std::cout.rdbuf(old);
  return {out.str(), rc};
}

report::Report sample() {
  report::Report r;
  r.findings = {{core::Severity::warning, {"a.yml", 1, 1, 1}, "promql/rate-on-gauge", "rate over a gauge", ""}};
  r.scope = "a.yml (1 thing)";
  r.facts = {{"input", std::string("a.yml")}, {"things", 1LL}};
  return r;
}

} // namespace

TEST_CASE("fails: --fail-on thresholds", "[cli]") {
  std::vector<core::Diagnostic> warning = sample().findings;
  CHECK(report::fails(warning, "info"));
  CHECK(report::fails(warning, "warning"));
  CHECK_FALSE(report::fails(warning, "error"));
  CHECK_FALSE(report::fails(warning, "never"));
  CHECK_FALSE(report::fails({}, "info"));
}

TEST_CASE("finish: the format asked for, the exit code by --fail-on", "[cli]") {
  core::SourceSet sources;
  sources.add("a.yml", "x\n");
  cli::ReportOptions o;
  auto [text, rc] = finished(sample(), sources, o);
  CHECK(rc == kFindings);
  CHECK(text.find("a.yml:1:1: warning: rate over a gauge [promql/rate-on-gauge]") == 0);
  CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1) == "0 errors, 1 warning, 0 info in a.yml (1 thing)\n");

  o.format = "json";
  o.fail_on = "error";
  auto [json, rc2] = finished(sample(), sources, o);
  CHECK(rc2 == kOk);
  auto doc = nlohmann::ordered_json::parse(json);
  CHECK(doc["summary"].dump() == R"({"errors":0,"warnings":1,"info":0,"input":"a.yml","things":1})");
  CHECK(doc["findings"][0]["check"] == "promql/rate-on-gauge");

  o.format = "github";
  CHECK(finished(sample(), sources, o).first.find("::warning file=a.yml,line=1,col=1,title=promql/rate-on-gauge::") ==
        0);
  o.format = "sarif";
  CHECK(nlohmann::json::parse(finished(sample(), sources, o).first)["version"] == "2.1.0");
  // quiet text (promql check): nothing on stdout, the findings go to stderr.
  o.format = "text";
  o.quiet_text = true;
  CHECK(finished(sample(), sources, o).first.empty());
}

TEST_CASE("report_options: flags first, then the format.lint setting", "[cli]") {
  CLI::App app;
  auto* cmd = app.add_subcommand("lint-rules");
  cli::add_report_options(*cmd);
  auto* other = app.add_subcommand("config");
  config::Settings s;
  s.set("format.lint", {"github", config::Origin::config_file, ""});

  app.parse(std::vector<std::string>{"lint-rules"});
  auto o = cli::report_options(*cmd, s, false);
  CHECK(o.format == "github");
  CHECK_FALSE(o.format_given);
  CHECK(o.fail_on == "warning");

  app.parse(
      std::vector<std::string>{"error", "--fail-on", "json", "--format", "lint-rules"}); // CLI11 takes it reversed
  o = cli::report_options(*cmd, s, true);
  CHECK(o.format == "json");
  CHECK(o.format_given);
  CHECK(o.fail_on == "error");
  CHECK(o.color);

  CHECK_THROWS_AS(app.parse(std::vector<std::string>{"yaml", "--format", "lint-rules"}), CLI::ValidationError);
  // The --fail-on default is set once: --help says it and report_options returns it.
  auto* check = app.add_subcommand("check");
  cli::add_report_options(*check, "error");
  CHECK(check->get_option("--fail-on")->get_description().ends_with("(default error)"));
  CHECK(cmd->get_option("--fail-on")->get_description().ends_with("(default warning)"));
  app.parse(std::vector<std::string>{"check"});
  CHECK(cli::report_options(*check, s, false).fail_on == "error");
  // A command without report options keeps the defaults.
  CHECK(cli::report_options(*other, s, false).format == "text");
}
