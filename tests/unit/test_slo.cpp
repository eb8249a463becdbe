// SLO specs (nsmon/v1 and Sloth's prometheus/v1) and the rules made from them.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/dashboards/checks.hpp"
#include "nsmon/dashboards/loader.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/spec.hpp"

using namespace nsmon;

namespace {
slo::Spec load(const std::string& text, std::vector<core::Diagnostic>& diags) {
  core::SourceFile src("slos.yml", text);
  return slo::load_spec(src, catalog::embedded(), diags);
}
} // namespace

TEST_CASE("slo: burn-rate factors scale with the window", "[slo]") {
  slo::Slo s;
  s.window_ms = 30LL * 86400000;
  std::vector<double> got;
  for (const auto& b : slo::burn_rates()) got.push_back(slo::factor(b, s));
  CHECK(got[0] == Approx(14.4));
  CHECK(got[1] == Approx(6));
  CHECK(got[2] == Approx(3));
  CHECK(got[3] == Approx(1));
  s.window_ms = 7LL * 86400000;
  CHECK(slo::factor(slo::burn_rates()[0], s) == Approx(3.36));
}

TEST_CASE("slo: Sloth's prometheus/v1 spec", "[slo]") {
  std::vector<core::Diagnostic> diags;
  auto spec = load(R"(version: "prometheus/v1"
service: "detector"
labels: {owner: ml}
slos:
  - name: "requests-availability"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(images_processed_total{status="failed"}[{{.window}}]))
        total_query: sum(rate(images_processed_total[{{.window}}]))
    alerting:
      name: DetectorHighErrorRate
      labels: {category: availability}
      page_alert: {labels: {severity: pageteam}}
)",
                   diags);
  CHECK(diags.empty());
  REQUIRE(spec.slos.size() == 1);
  const auto& s = spec.slos[0];
  CHECK(s.objective == Approx(0.999));
  CHECK(s.sloth_queries);
  CHECK(slo::alert_names(s)[0] == "DetectorHighErrorRateBurnRate1h");
  std::string rules = slo::rules_yaml(spec);
  CHECK(rules.find("expr: '(sum(rate(images_processed_total{status=\"failed\"}[5m]))) / "
                   "(sum(rate(images_processed_total[5m])))'") != std::string::npos);
  CHECK(rules.find("severity: 'pageteam'") != std::string::npos); // page_alert's labels win
  CHECK(rules.find("owner: 'ml'") != std::string::npos);
  // sum(rate(selector[{{.window}}])) queries: the tests simulate the selectors' counters.
  std::vector<std::string> skipped;
  std::string tests = slo::tests_yaml(spec, catalog::embedded(), "rules.yml", skipped);
  CHECK(skipped.empty());
  CHECK(tests.find("series: 'images_processed_total{status=\"failed\"}'") != std::string::npos);
  CHECK(tests.find("series: 'images_processed_total{status=\"success\"}'") != std::string::npos);
  CHECK(tests.find("alertname: DetectorHighErrorRateBurnRate1h") != std::string::npos);
}

TEST_CASE("slo: tests for up SLIs, and the queries whose events are not known are named", "[slo]") {
  std::vector<core::Diagnostic> diags;
  auto spec = load(R"(version: "prometheus/v1"
service: "detector"
slos:
  - name: "doubled"
    objective: 99
    sli:
      events:
        error_query: sum(rate(images_processed_total{status="failed"}[{{.window}}])) * 2
        total_query: sum(rate(images_processed_total[{{.window}}]))
  - name: "raw"
    objective: 99
    sli:
      raw:
        error_ratio_query: 1 - avg_over_time(up[{{.window}}])
)",
                   diags);
  CHECK(diags.empty());
  std::vector<std::string> skipped;
  slo::tests_yaml(spec, catalog::embedded(), "rules.yml", skipped);
  CHECK(skipped == std::vector<std::string>{
                       "doubled: a query-based SLI whose queries are not sum(rate(selector[{{.window}}])) (the "
                       "events they count are not known)",
                       "raw: a raw error-ratio query (the events it counts are not known)"});

  spec = load("slos:\n  - name: availability\n    objective: 0.999\n    sli: {up: {job: neurosymbolic-app}}\n", diags);
  CHECK(diags.empty());
  skipped.clear();
  std::string tests = slo::tests_yaml(spec, catalog::embedded(), "rules.yml", skipped);
  CHECK(skipped.empty());
  // 1h alert: threshold 14.4 x 0.001; up 1 - 1.05 x 0.0144 of the time fires, 1 - 0.95 x 0.0144 does not.
  CHECK(tests.find("series: 'up{instance=\"slo-test:8000\", job=\"neurosymbolic-app\"}'\n        values: "
                   "'0.98488+0x75'") != std::string::npos);
  CHECK(tests.find("values: '0.98632+0x75'") != std::string::npos);
  CHECK(tests.find("is silent below") == std::string::npos); // no traffic, no guard
}

// The dashboard template of a spec, loaded and checked by gen-dashboards' code against the
// recording rules generated from the same spec: no finding.
TEST_CASE("slo: the dashboard template is clean against the generated rules", "[slo]") {
  for (const std::string file : {"rules/slos.yml", "fuzz/corpus/slo/sloth.yml"}) {
    INFO(file);
    std::ifstream in(std::string(NSMON_SOURCE_DIR) + "/" + file);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<core::Diagnostic> diags;
    auto spec = load(text.str(), diags);
    REQUIRE(
        std::none_of(diags.begin(), diags.end(), [](const auto& d) { return d.severity == core::Severity::error; }));
    diags.clear(); // rules/slos.yml: one info (two counters for the symbolic stage)
    core::SourceSet sources;
    std::vector<rules::RuleFile> files{
        rules::load_rule_file(sources.add("slo_rules.yml", slo::rules_yaml(spec)), diags)};
    auto t = dashboards::load_template(sources.add("slo.yml", slo::dashboard_yaml(spec, "slo_rules.yml")), {}, diags);
    dashboards::check(t, catalog::embedded(), lint::recorded_metrics(files, catalog::embedded()), diags);
    std::string found;
    for (const auto& d : diags) found += std::to_string(d.span.line) + ": " + d.check + ": " + d.message + "\n";
    INFO(found);
    CHECK(diags.empty());
    REQUIRE(t.rules.size() == 1);
    CHECK(t.rules[0].value == "slo_rules.yml");
    CHECK(t.rows.size() == spec.slos.size() + 1);
    // Without the rules, the recorded series are unknown names.
    diags.clear();
    auto bare = dashboards::load_template(sources.add("bare.yml", slo::dashboard_yaml(spec, "x.yml")), {}, diags);
    dashboards::check(bare, catalog::embedded(), diags);
    CHECK(std::any_of(diags.begin(), diags.end(), [](const core::Diagnostic& d) {
      return d.message.find("slo:sli_error:ratio_rate5m") != std::string::npos;
    }));
  }
}

TEST_CASE("slo: spec errors, positioned", "[slo]") {
  std::vector<core::Diagnostic> diags;
  load("slos:\n  - name: a\n    objective: 1\n    sli: {errors: up, total: up}\n"
       "  - name: b\n    objective: 0.9\n    sli: {errors: 'images_processed_total', total: images_processed_total}\n"
       "  - name: c\n    objective: 0.9\n    sli: {latency: {metric: training_loss, le: 1}}\n",
       diags);
  std::vector<std::string> got;
  for (const auto& d : diags) got.push_back(std::to_string(d.span.line) + " " + std::string(d.check));
  CHECK(got ==
        std::vector<std::string>{"3 slo/objective", "4 slo/metric", "4 slo/metric", "7 slo/events", "10 slo/metric"});
}
