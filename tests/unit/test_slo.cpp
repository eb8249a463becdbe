// SLO specs (nsmon/v1 and Sloth's prometheus/v1) and the rules made from them.
#include <catch2/catch.hpp>

#include "nsmon/catalog/catalog.hpp"
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
  std::vector<std::string> skipped;
  slo::tests_yaml(spec, catalog::embedded(), "rules.yml", skipped);
  CHECK(skipped == std::vector<std::string>{"requests-availability: a query-based SLI (the events it counts are "
                                            "not known)"});
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
