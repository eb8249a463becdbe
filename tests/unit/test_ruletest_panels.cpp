// Dashboard tests (test-rules' panel_tests): a template and its shared panel in a temporary
// directory, the panels' queries interpolated as Grafana sends them, evaluated, and their series
// named as Grafana's legends name them; failures as a diff with the template's position.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <unistd.h>

#include "nsmon/dashboards/variables.hpp"
#include "nsmon/ruletest/panels.hpp"
#include "nsmon/ruletest/runner.hpp"

using namespace nsmon;

namespace {

const char* kTemplate = R"(uid: svc
title: Service
variables:
  - datasource
  - job
  - instance
  - model
  - {name: stage, type: custom, query: "a, b", multi: false, include_all: false}
rows:
  - title: Traffic
    panels:
      - type: stat
        title: Requests
        queries:
          - expr: sum by (model, job) (rate(reqs_total{job=~"$job", instance=~"${instance}", model=~"[[model]]"}[$__rate_interval]))
            legend: "{{model}} on {{ job }}"
            instant: true
      - type: timeseries
        title: Raw
        queries:
          - expr: reqs_total{stage="$stage"}
      - use: shared
      - type: stat
        title: Samples
        queries:
          - expr: count_over_time(up[$__range])
            legend: "n"
)";

const char* kShared = R"(type: stat
title: Targets
queries:
  - expr: count(up)
)";

// rate() over 0+60x10 is 1 to one unit in the last place: fuzzy_compare.
const char* kInput = R"(dashboards: [svc.yml]
fuzzy_compare: true
tests:
  - interval: 1m
    input_series:
      - series: 'reqs_total{job="api", instance="a", model="m1", stage="a"}'
        values: '0+60x10'
      - series: 'reqs_total{job="api", instance="b", model="m2", stage="b"}'
        values: '0+120x10'
      - series: 'up{job="api"}'
        values: '1x10'
)";

struct Run {
  std::filesystem::path dir;
  core::SourceSet sources;
  std::vector<core::Diagnostic> diags;
  std::unique_ptr<ruletest::PreparedFile> file;
  std::vector<ruletest::TestResult> results;
  ~Run() { std::filesystem::remove_all(dir); }
};

// The template in svc.yml, its shared panel in panels/shared.yml, kInput plus `panel_tests`.
std::unique_ptr<Run> run_panels(const std::string& panel_tests) {
  auto r = std::make_unique<Run>();
  r->dir = std::filesystem::temp_directory_path() / ("nsmon-panels-" + std::to_string(::getpid()));
  std::filesystem::create_directories(r->dir / "panels");
  std::ofstream(r->dir / "svc.yml") << kTemplate;
  std::ofstream(r->dir / "panels" / "shared.yml") << kShared;
  const core::SourceFile& src = r->sources.add((r->dir / "t.yml").string(), kInput + panel_tests);
  ruletest::RunOptions options;
  r->file = ruletest::prepare(src, options, r->sources, r->diags);
  if (r->diags.empty())
    for (std::size_t i = 0; i < r->file->file.tests.size(); ++i)
      r->results.push_back(ruletest::run_test(*r->file, i, options));
  return r;
}

} // namespace

TEST_CASE("panel tests: variables, globals, use and legends as Grafana renders them", "[ruletest]") {
  auto r = run_panels(R"(    panel_tests:
      - eval_time: 10m
        dashboard: svc
        panel: Requests
        exp_series:
          - {legend: m1 on api, value: 1}
          - {legend: m2 on api, value: 2}
      - eval_time: 10m
        dashboard: Service
        panel: Requests
        variables: {instance: [a, b], model: m2}
        exp_series:
          - {legend: m2 on api, value: 2}
      - eval_time: 10m
        dashboard: svc
        panel: Raw
        exp_series:
          - {legend: 'reqs_total{instance="a", job="api", model="m1", stage="a"}', value: 600}
      - eval_time: 10m
        dashboard: svc
        panel: Targets
        exp_series:
          - {legend: count(up), value: 1}
      - eval_time: 10m
        range: 5m
        dashboard: svc
        panel: Samples
        exp_series:
          - {legend: n, value: 5}
)");
  REQUIRE(r->diags.empty());
  REQUIRE(r->results.size() == 1);
  CHECK(r->results[0].failures.empty());
  // What Grafana sends: All as allValue .+, [[model]] and ${instance} resolved, 4 x the scrape interval.
  const auto& requests = r->file->tests[0].panels[0].queries.at(0).text;
  CHECK(requests == R"(sum by (model, job) (rate(reqs_total{job=~".+", instance=~".+", model=~".+"}[4m])))");
  CHECK(r->file->tests[0].panels[1].queries.at(0).text.find(R"x(instance=~"(a|b)", model=~"m2")x") !=
        std::string::npos);
  CHECK(r->file->tests[0].panels[4].queries.at(0).text == "count_over_time(up[300s])");
}

TEST_CASE("panel tests: a failure names the dashboard, the panel and its template line", "[ruletest]") {
  auto r = run_panels(R"(    panel_tests:
      - eval_time: 10m
        dashboard: svc
        panel: Requests
        variables: {model: m1}
        exp_series:
          - {legend: m1 on api, value: 3}
)");
  REQUIRE(r->diags.empty());
  REQUIRE(r->results.at(0).failures.size() == 1);
  const auto& f = r->results[0].failures[0];
  CHECK(f.span.line == 13);
  CHECK(f.message.find("dashboard 'Service', panel 'Requests' (" + (r->dir / "svc.yml").string() + ":12), time: 10m") !=
        std::string::npos);
  CHECK(f.message.find("query: sum by (model, job)") != std::string::npos);
  CHECK(f.message.find("~ {legend: \"m1 on api\"}\n    -   value: 3\n    +   value: 0.9999999999999999\n") !=
        std::string::npos);
}

TEST_CASE("panel tests: an unknown dashboard, panel or variable is a positioned error", "[ruletest]") {
  auto r = run_panels(R"(    panel_tests:
      - dashboard: svcc
        panel: Requests
      - dashboard: svc
        panel: Request
      - dashboard: svc
        panel: Requests
        variables: {modle: m1, stage: [a, b]}
)");
  std::vector<std::string> got;
  for (const auto& d : r->diags) got.push_back(std::to_string(d.span.line) + " " + d.message + " | " + d.suggestion);
  REQUIRE(got.size() == 4);
  CHECK(got[0].starts_with("13 no dashboard 'svcc'"));
  CHECK(got[0].ends_with("did you mean 'svc'?"));
  CHECK(got[1].starts_with("16 no panel 'Request' in dashboard 'Service'"));
  CHECK(got[1].ends_with("did you mean 'Requests'?"));
  CHECK(got[2].starts_with("19 dashboard 'Service' has no variable 'modle'"));
  CHECK(got[3].starts_with("19 variable 'stage' takes one value"));
}

TEST_CASE("dashboards: interpolate and Grafana's regex escape", "[dashboards]") {
  auto value = [](const dashboards::VariableRef& ref) { return "<" + ref.name + ">"; };
  CHECK(dashboards::interpolate(R"(rate(x{a=~"$a", b="[[b]]"}[$__rate_interval]) > ${c:raw} # $d)", value) ==
        R"(rate(x{a=~"<a>", b="<b>"}[<__rate_interval>]) > <c> # $d)");
  CHECK(dashboards::interpolate(R"(x{a=~"[[:alpha:]]"})", value) == R"(x{a=~"[[:alpha:]]"})");
  CHECK(dashboards::prometheus_regex_escape("a.b(c)") == R"(a\\.b\\(c\\))");
  CHECK(dashboards::prometheus_regex_escape(R"(a\b)") == R"(a\\\\b)");
  CHECK(ruletest::render_legend("{{a}}-{{ b }}-{{c}}", {{"a", "1"}, {"b", "2"}}, "q") == "1-2-");
  CHECK(ruletest::render_legend("", {{"__name__", "m"}, {"a", "1"}}, "q") == R"(m{a="1"})");
  CHECK(ruletest::render_legend("", {}, "sum(x)") == "sum(x)");
}

TEST_CASE("panel tests: format heatmap sorts buckets by le and makes each its own count", "[ruletest]") {
  // As the server returns them: cumulative, +Inf first, "100" before "20"; two models.
  auto sample = [](std::string model, std::string le, double v) {
    engine::Sample s;
    s.labels = {{"le", std::move(le)}, {"model", std::move(model)}};
    s.v = v;
    return s;
  };
  std::vector<engine::Sample> got = {sample("b", "+Inf", 9), sample("a", "+Inf", 10), sample("a", "100.0", 10),
                                     sample("a", "20.0", 7), sample("a", "5.0", 2),   sample("b", "5.0", 9)};
  ruletest::as_buckets(got);
  std::vector<std::pair<std::string, double>> shown;
  for (const auto& s : got) shown.emplace_back(s.labels[1].second + " " + s.labels[0].second, s.v);
  CHECK(shown == std::vector<std::pair<std::string, double>>{
                     {"a 5.0", 2}, {"a 20.0", 5}, {"a 100.0", 3}, {"a +Inf", 0}, {"b 5.0", 9}, {"b +Inf", 0}});
}

TEST_CASE("panel tests: format heatmap on a range query makes each step's buckets their own counts", "[ruletest]") {
  // Two steps (0 and 60s); the +Inf bucket has no point at 60s, the 1.0 bucket no point at 0.
  engine::Series inf{{{"le", "+Inf"}}, {{0, 10}}};
  engine::Series five{{{"le", "5"}}, {{0, 8}, {60000, 9}}};
  engine::Series one{{{"le", "1.0"}}, {{60000, 4}}};
  std::vector<engine::Series> got = {inf, five, one};
  ruletest::as_buckets(got);
  using Points = std::vector<std::pair<std::int64_t, double>>;
  auto points = [](const engine::Series& s) {
    Points out;
    for (const auto& p : s.points) out.emplace_back(p.t, p.v);
    return out;
  };
  REQUIRE(got.size() == 3);
  CHECK(got[0].labels[0].second == "1.0");
  CHECK(points(got[0]) == Points{{60000, 4}});
  CHECK(points(got[1]) == Points{{0, 8}, {60000, 5}}); // 9 - 4 at 60s; nothing below it at 0
  CHECK(points(got[2]) == Points{{0, 2}});
}

TEST_CASE("panel tests: Grafana's reducers over a range's values, nulls and NaN", "[ruletest]") {
  using V = std::vector<std::optional<double>>;
  const V values = {1.0, std::nullopt, 3.0, NAN, std::nullopt};
  // lastNotNull skips nulls and NaN; last is the last step, a null here.
  CHECK(ruletest::reduce("lastNotNull", values) == 3);
  CHECK(std::isnan(ruletest::reduce("last", values)));
  CHECK(ruletest::reduce("last", V{1.0, 2.0}) == 2);
  CHECK(std::isnan(ruletest::reduce("lastNotNull", V{NAN, std::nullopt})));
  // mean and sum add the non-null values: one NaN makes them NaN; max and min never take it.
  CHECK(std::isnan(ruletest::reduce("mean", values)));
  CHECK(ruletest::reduce("mean", V{1.0, std::nullopt, 3.0}) == 2);
  CHECK(ruletest::reduce("max", values) == 3);
  CHECK(ruletest::reduce("min", values) == 1);
  CHECK(ruletest::reduce("count", values) == 3);
  CHECK(std::isnan(ruletest::reduce("max", V{std::nullopt})));
}

TEST_CASE("panel tests: the colour a panel's thresholds give a value", "[ruletest]") {
  dashboards::Panel p;
  p.base_color = "red";
  p.thresholds = {{0, "orange"}, {0.25, "green"}};
  CHECK(ruletest::threshold_color(p, -0.1) == "red");
  CHECK(ruletest::threshold_color(p, 0) == "orange"); // a step is reached at its value
  CHECK(ruletest::threshold_color(p, 0.3) == "green");
  CHECK(ruletest::threshold_color(p, NAN) == "red"); // no comparison holds for NaN
  // Without a colour written: green under a bound someone set, the neutral text colour where
  // nothing judges the value (a count is not "healthy").
  dashboards::Panel bare;
  CHECK(ruletest::threshold_color(bare, 3600) == "text");
  bare.thresholds = {{90, "red"}};
  CHECK(ruletest::threshold_color(bare, 50) == "green");
  CHECK(ruletest::threshold_color(bare, 95) == "red");
}
