#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "nsmon/rules/config.hpp"
#include "nsmon/util/files.hpp"

using namespace nsmon;

namespace {
struct Loaded {
  rules::Config cfg;
  std::vector<core::Diagnostic> diags;
};

Loaded load(const std::string& text, const std::string& path = "prometheus.yml") {
  core::SourceFile src(path, text);
  Loaded l;
  l.cfg = rules::load_config(src, l.diags);
  core::sort_diagnostics(l.diags);
  return l;
}

std::vector<std::string> where(const std::vector<core::Diagnostic>& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags)
    out.push_back(std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + core::to_string(d.severity) +
                  " " + d.check);
  return out;
}
using V = std::vector<std::string>;
} // namespace

TEST_CASE("the seeds' and the corrected prometheus.yml", "[config]") {
  for (const char* rel : {"/tests/data/seed/prometheus.yml", "/rules/prometheus.yml"}) {
    std::string path = std::string(NSMON_SOURCE_DIR) + rel;
    auto l = load(util::read_file(path), path);
    INFO(rel);
    CHECK(l.diags.empty());
    CHECK(l.cfg.scrape_interval_ms == 15000);
    CHECK(l.cfg.evaluation_interval_ms == 15000);
    REQUIRE(l.cfg.jobs.size() == 3);
    CHECK(l.cfg.jobs[0].name.value == "neurosymbolic-app");
    CHECK(l.cfg.jobs[0].interval_ms == 15000);
    CHECK(l.cfg.jobs[0].labels.size() == 2);
    CHECK(l.cfg.external_labels.size() == 2);
    std::vector<core::Diagnostic> diags;
    auto files = rules::resolve_rule_files(l.cfg, diags);
    CHECK(diags.empty());
    REQUIRE(files.size() == 1);
    CHECK(std::filesystem::path(files[0]).filename() == "alert_rules.yml");
  }
  // The seeds leave the Alertmanager list empty; the corrected config names one.
  auto seed = load(util::read_file(std::string(NSMON_SOURCE_DIR) + "/tests/data/seed/prometheus.yml"));
  CHECK(seed.cfg.alertmanager_targets.empty());
  auto fixed = load(util::read_file(std::string(NSMON_SOURCE_DIR) + "/rules/prometheus.yml"));
  CHECK(fixed.cfg.alertmanager_targets.size() == 1);
}

TEST_CASE("config checks Prometheus would refuse or that misbehave", "[config]") {
  SECTION("scrape_timeout greater than scrape_interval, globally and per job") {
    auto l = load("global: {scrape_interval: 10s, scrape_timeout: 20s}\n"
                  "scrape_configs:\n- job_name: a\n  scrape_interval: 5s\n  scrape_timeout: 6s\n"
                  "  static_configs: [{targets: ['h:1']}]\n");
    CHECK(where(l.diags) == V{"1:48 error config/scrape-timeout", "5:19 error config/scrape-timeout"});
  }
  SECTION("a job's interval below the global timeout lowers the default timeout") {
    auto l = load("scrape_configs:\n- job_name: a\n  scrape_interval: 5s\n  static_configs: [{targets: ['h:1']}]\n");
    CHECK(l.diags.empty());
    CHECK(l.cfg.jobs[0].timeout_ms == 5000);
  }
  SECTION("duplicate job names, targets with a scheme or without a port") {
    auto l = load("scrape_configs:\n- job_name: a\n  static_configs: [{targets: ['http://h:1/metrics', 'h']}]\n"
                  "- job_name: a\n  static_configs: [{targets: ['h:2']}]\n");
    CHECK(where(l.diags) == V{"3:31 error config/target", "3:53 warning config/target", "4:13 error config/duplicate-job"});
  }
  SECTION("unknown fields with suggestions; service discovery and HTTP client fields are known") {
    auto l = load("global: {scrape_intervall: 1m}\nscrape_configs:\n- job_name: a\n  metric_path: /m\n"
                  "  kubernetes_sd_configs: [{role: pod}]\n  basic_auth: {username: u, password_file: /p}\n");
    CHECK(where(l.diags) == V{"1:10 error yaml/unknown-field", "4:3 error yaml/unknown-field"});
    CHECK(l.diags[1].suggestion == "did you mean 'metrics_path'?");
    REQUIRE(l.cfg.jobs.size() == 1); // reported, and still read for the other checks
    CHECK(l.cfg.jobs[0].has_service_discovery);
  }
  SECTION("bad durations and labels") {
    auto l = load("global: {scrape_interval: 15, external_labels: {'bad-name': x}}\n");
    CHECK(where(l.diags) == V{"1:27 error config/duration", "1:49 error config/label-name"});
  }
  SECTION("missing rule files and globs that match nothing") {
    auto dir = std::filesystem::temp_directory_path() / "nsmon-config-test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "present.yml") << "groups: []\n";
    auto l = load("rule_files: ['present.yml', 'missing.yml', 'rules/*.yml', '*.yml']\n", (dir / "p.yml").string());
    std::vector<core::Diagnostic> diags;
    auto files = rules::resolve_rule_files(l.cfg, diags);
    core::sort_diagnostics(diags);
    CHECK(where(diags) == V{"1:29 error config/rule-file", "1:44 warning config/rule-file"});
    CHECK(files == std::vector<std::string>{(dir / "present.yml").string()}); // named twice, listed once
    std::filesystem::remove_all(dir);
  }
  SECTION("hostile input") {
    CHECK(!load("scrape_configs: " + std::string(20000, '[')).diags.empty());
    CHECK(!load("\x01\x02\xff: [").diags.empty());
    CHECK(!load("- a\n- b\n").diags.empty());
  }
}
