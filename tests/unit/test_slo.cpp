// SLO specs (nsmon/v1 and Sloth's prometheus/v1) and the rules made from them.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/dashboards/checks.hpp"
#include "nsmon/dashboards/loader.hpp"
#include "nsmon/dashboards/rule_facts.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/sloth.hpp"
#include "nsmon/slo/spec.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"

using namespace nsmon;

namespace {
std::vector<slo::Spec> load(const std::string& text, std::vector<core::Diagnostic>& diags) {
  core::SourceFile src("slos.yml", text);
  return slo::load_specs(src, catalog::embedded(), diags);
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
  REQUIRE(spec.size() == 1);
  REQUIRE(spec[0].slos.size() == 1);
  const auto& s = spec[0].slos[0];
  CHECK(s.objective == Approx(0.999));
  CHECK(s.sloth_queries);
  std::string rules = slo::rules_yaml(spec);
  // Sloth's rules: its groups, the SLI expression as Sloth writes it, its labels.
  CHECK(rules.find("- name: 'sloth-slo-sli-recordings-detector-requests-availability'") != std::string::npos);
  CHECK(rules.find("expr: |\n          (sum(rate(images_processed_total{status=\"failed\"}[5m])))\n          /\n"
                   "          (sum(rate(images_processed_total[5m])))\n") != std::string::npos);
  CHECK(rules.find("sloth_window: '5m'") != std::string::npos);
  CHECK(rules.find("- alert: 'DetectorHighErrorRate'") != std::string::npos);
  CHECK(rules.find("severity: 'pageteam'") != std::string::npos); // page_alert's labels win
  CHECK(rules.find("sloth_severity: 'ticket'") != std::string::npos);
  CHECK(rules.find("owner: 'ml'") != std::string::npos);
  CHECK(rules.find("(14.4 * 0.0009999999999999432)") != std::string::npos);
  // The 30d ratio from the 5m recording, not from raw series over 30d.
  CHECK(rules.find("sum_over_time(slo:sli_error:ratio_rate5m{sloth_id=\"detector-requests-availability\", "
                   "sloth_service=\"detector\", sloth_slo=\"requests-availability\"}[30d])") != std::string::npos);
  CHECK(rules.find("[30d])))") == std::string::npos);
  // sum(rate(selector[{{.window}}])) queries: the tests simulate the selectors' counters.
  std::vector<std::string> skipped;
  std::string tests = slo::tests_yaml(spec, catalog::embedded(), "rules.yml", skipped);
  CHECK(skipped.empty());
  CHECK(tests.find("series: 'images_processed_total{status=\"failed\"}'") != std::string::npos);
  CHECK(tests.find("series: 'images_processed_total{status=\"success\"}'") != std::string::npos);
  CHECK(tests.find("alertname: 'DetectorHighErrorRate'") != std::string::npos);
  CHECK(tests.find("group_eval_order:\n  - 'sloth-slo-sli-recordings-detector-requests-availability'") !=
        std::string::npos);
}

TEST_CASE("slo: Go's spelling of numbers and durations, as Sloth writes them", "[slo]") {
  CHECK(text::go::format_float_g(0.999) == "0.999");
  CHECK(text::go::format_float_g(99.9 / 100) == "0.9990000000000001");
  CHECK(text::go::format_float_g((100 - 99.9) / 100) == "0.0009999999999999432");
  CHECK(text::go::format_float_g((100 - 99.999) / 100) == "1.0000000000047748e-05");
  CHECK(text::go::format_float_g(5.0 * 672 / 100 / 6) == "5.6000000000000005");
  CHECK(text::go::format_float_g(30) == "30");
  CHECK(text::go::format_float_g(1e6) == "1e+06");
  CHECK(text::go::format_float_g(0.0001) == "0.0001");
  CHECK(text::go::format_float(99.9) == "99.9");
  CHECK(text::go::format_float(95) == "95");
  CHECK(text::format_duration(30LL * 86400000) == "30d");
  CHECK(text::format_duration(28LL * 86400000) == "4w");
  CHECK(text::format_duration(36LL * 3600000) == "1d12h");
  CHECK(text::format_duration(300000) == "5m");
}

TEST_CASE("slo: Sloth's validation, its disable flags and several documents", "[slo]") {
  std::vector<core::Diagnostic> diags;
  auto specs = load(R"Y(version: prometheus/v1
service: svc-a
slos:
  - name: no-alerts
    objective: 99
    sli: {raw: {error_ratio_query: "1 - avg_over_time(up[{{ .window }}])"}}
    alerting: {page_alert: {disable: true}, ticket_alert: {disable: true}}
---
version: prometheus/v1
service: svc-b
slos:
  - name: page-only
    objective: 95
    sli: {raw: {error_ratio_query: "1 - avg_over_time(up[{{.window}}])"}}
    alerting: {name: B, ticket_alert: {disable: true}}
)Y",
                    diags);
  CHECK(diags.empty());
  REQUIRE(specs.size() == 2);
  std::string rules = slo::rules_yaml(specs);
  CHECK(rules.find("sloth-slo-alerts-svc-a-no-alerts") == std::string::npos);
  CHECK(rules.find("- name: 'sloth-slo-alerts-svc-b-page-only'") != std::string::npos);
  CHECK(rules.find("sloth_severity: 'ticket'") == std::string::npos);
  CHECK(rules.find("(1 - avg_over_time(up[5m]))") != std::string::npos); // {{ .window }} too

  // What Sloth refuses: an alert on without a name, a query without {{.window}}, a bad name.
  diags.clear();
  load(R"Y(version: prometheus/v1
service: svc-a
slos:
  - name: x-
    objective: 99
    sli: {raw: {error_ratio_query: "1 - avg_over_time(up[5m])"}}
    alerting: {page_alert: {labels: {x: y}, disabel: true}}
)Y",
       diags);
  std::string found;
  for (const auto& d : diags) found += std::to_string(d.span.line) + ": " + d.message + "\n";
  INFO(found);
  CHECK(found.find("4: name 'x-' is not a Sloth name") != std::string::npos);
  CHECK(found.find("6: error_ratio_query has no {{.window}}") != std::string::npos);
  CHECK(found.find("unknown field 'disabel'") != std::string::npos);
  CHECK(found.find("has alerts on but no alerting.name") != std::string::npos);
}

TEST_CASE("slo: the Kubernetes form reads camelCase keys and writes a PrometheusRule", "[slo]") {
  std::vector<core::Diagnostic> diags;
  auto specs = load(R"(apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: {name: svc, namespace: monitoring, labels: {prometheus: main}}
spec:
  service: svc
  slos:
    - name: avail
      objective: 99.9
      sli:
        events:
          errorQuery: sum(rate(images_processed_total{status="failed"}[{{.window}}]))
          totalQuery: sum(rate(images_processed_total[{{.window}}]))
      alerting:
        name: SvcDown
        pageAlert: {labels: {severity: critical}}
        page_alert: {labels: {severity: ignored}}
)",
                    diags);
  REQUIRE(diags.size() == 1); // Sloth ignores page_alert here: nsmon says so
  CHECK(diags[0].message.find("page_alert") != std::string::npos);
  diags.clear();
  specs = load(R"(apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: {name: svc, namespace: monitoring, labels: {prometheus: main}}
spec:
  service: svc
  slos:
    - name: avail
      objective: 99.9
      sli:
        events:
          errorQuery: sum(rate(images_processed_total{status="failed"}[{{.window}}]))
          totalQuery: sum(rate(images_processed_total[{{.window}}]))
      alerting: {name: SvcDown, pageAlert: {labels: {severity: critical}}}
)",
               diags);
  CHECK(diags.empty());
  std::string rules = slo::rules_yaml(specs);
  CHECK(rules.find("kind: PrometheusRule\nmetadata:\n  name: 'svc'\n  namespace: 'monitoring'") != std::string::npos);
  CHECK(rules.find("prometheus: 'main'") != std::string::npos);
  CHECK(rules.find("sloth_mode: 'cli-gen-k8s'") != std::string::npos);
  std::vector<core::Diagnostic> rule_diags;
  core::SourceFile out("out.yml", rules);
  auto file = rules::load_rule_file(out, rule_diags);
  CHECK(rule_diags.empty());
  CHECK(file.groups.size() == 3);
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
    alerting: {name: Doubled}
  - name: "raw"
    objective: 99
    sli:
      raw:
        error_ratio_query: 1 - avg_over_time(up[{{.window}}])
    alerting: {name: Raw}
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
    dashboards::check(t, catalog::embedded(), lint::recorded_metrics(files, catalog::embedded()),
                      dashboards::rule_facts(files), diags);
    std::string found;
    for (const auto& d : diags)
      found += std::to_string(d.span.line) + ": " + std::string(d.check.id()) + ": " + d.message + "\n";
    INFO(found);
    CHECK(diags.empty());
    REQUIRE(t.rules.size() == 1);
    CHECK(t.rules[0].value == "slo_rules.yml");
    CHECK(t.rows.size() == spec[0].slos.size() + 1);
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
       "  - name: b\n    objective: 0.99\n    sli: {errors: 'images_processed_total', total: images_processed_total}\n"
       "  - name: c\n    objective: 0.99\n    sli: {latency: {metric: training_loss, le: 1}}\n",
       diags);
  std::vector<std::string> got;
  for (const auto& d : diags) got.push_back(std::to_string(d.span.line) + " " + std::string(d.check.id()));
  CHECK(got ==
        std::vector<std::string>{"3 slo/objective", "4 slo/metric", "4 slo/metric", "7 slo/events", "10 slo/metric"});
}

TEST_CASE("slo: a burn-rate alert the objective makes impossible is an error at the objective", "[slo]") {
  // 0.9 over 28d: the 1h page alert fires above 13.44 x 0.1 = 1.344, an error ratio it never reaches.
  std::vector<core::Diagnostic> diags;
  auto specs = load("slos:\n  - name: a\n    objective: 0.9\n    window: 28d\n"
                    "    sli: {errors: 'images_processed_total{status=\"failed\"}', total: images_processed_total}\n",
                    diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].check == "slo/objective");
  CHECK(diags[0].severity == core::Severity::error);
  CHECK(diags[0].span.line == 3);
  CHECK(diags[0].span.col == 16);
  CHECK(diags[0].message == "objective 0.9 over 28d: an error ratio is at most 1, so the 1h (page) burn-rate alert, "
                            "above 13.44 × 0.1 = 1.344, can never fire");
  CHECK(diags[0].suggestion == "burn-rate factors below 10 can fire, as this SLO's 5.6 (6h, page), 2.8 (1d, ticket) "
                               "and 0.9333 (3d, ticket) do; an objective of at least 0.9256, or a window of at most "
                               "20d, makes every one possible");
  // What the suggestion offers works: both give four alerts that can fire.
  for (const char* fixed : {"objective: 0.9256\n    window: 28d", "objective: 0.9\n    window: 20d"}) {
    diags.clear();
    load(std::string("slos:\n  - name: a\n    ") + fixed +
             "\n    sli: {errors: 'images_processed_total{status=\"failed\"}', total: images_processed_total}\n",
         diags);
    CHECK(diags.empty());
  }
}

TEST_CASE("slo: Sloth's alerts are two conditions: one that can never hold is a warning, both an error", "[slo]") {
  auto sloth = [](const std::string& objective, std::vector<core::Diagnostic>& diags) {
    return load("version: prometheus/v1\nservice: svc\nslos:\n  - name: req\n    objective: " + objective +
                    "\n    sli:\n      events:\n        error_query: sum(rate(images_processed_total{status=\"failed\"}"
                    "[{{.window}}]))\n        total_query: sum(rate(images_processed_total[{{.window}}]))\n"
                    "    alerting: {name: RHigh}\n",
                diags);
  };
  std::vector<core::Diagnostic> diags;
  sloth("90", diags); // the page alert's quick condition (14.4 x 0.1) is dead, its slow one (6 x 0.1) fires
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == core::Severity::warning);
  CHECK(diags[0].span.line == 5);
  CHECK(diags[0].message == "objective 90 over 30d: an error ratio is at most 1, so the page alert's quick condition "
                            "(5m and 1h), above 14.4 × 0.1 = 1.44, can never hold: the alert fires on its slow "
                            "condition only");
  diags.clear();
  sloth("10", diags); // Sloth's issue 341: no page alert at all
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == core::Severity::error);
  CHECK(diags[0].message.find("the page alert, above 14.4 × 0.9 = 12.96 (quick, 5m and 1h) and 6 × 0.9 = 5.4 "
                              "(slow, 30m and 6h), can never fire") != std::string::npos);
  CHECK(diags[0].suggestion ==
        "burn-rate factors below 1.111 can fire, as this SLO's 1 (ticket, slow) does; an objective of at least 93.06 "
        "makes every one possible");
  diags.clear();
  sloth("95", diags); // Sloth's own examples: every condition can hold
  CHECK(diags.empty());
}
