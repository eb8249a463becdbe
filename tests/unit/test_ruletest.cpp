// test-rules: the unit-test file loader, the rule group evaluator (alert states, recording rules,
// ALERTS, staleness) and the runner's comparisons. The expressions are selectors, numbers and
// comparisons mostly (timestamp() once), so that they test this code rather than the engine.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "nsmon/engine/engine.hpp"
#include "nsmon/ruletest/evaluator.hpp"
#include "nsmon/ruletest/runner.hpp"
#include "nsmon/ruletest/test_file.hpp"
#include "test_places.hpp"

using namespace nsmon;
using ruletest::AlertState;
using ruletest::Labels;

namespace {

struct LoadedTests {
  std::unique_ptr<core::SourceFile> src;
  ruletest::TestFile file;
  std::vector<core::Diagnostic> diags;
};

LoadedTests load_tests(const std::string& text) {
  LoadedTests l;
  l.src = std::make_unique<core::SourceFile>("t.yml", text);
  l.file = ruletest::load_test_file(*l.src, l.diags);
  return l;
}

std::vector<std::string> where(const std::vector<core::Diagnostic>& diags) { return testing::places(diags); }

// Rule groups from YAML, compiled; the objects they point into kept alive.
struct Groups {
  std::unique_ptr<core::SourceFile> src;
  std::vector<rules::RuleFile> files;
  std::vector<ruletest::EvalGroup> groups;
};

std::unique_ptr<Groups> groups(const std::string& text) {
  auto g = std::make_unique<Groups>();
  g->src = std::make_unique<core::SourceFile>("rules.yml", text);
  std::vector<core::Diagnostic> diags;
  g->files.push_back(rules::load_rule_file(*g->src, diags));
  g->groups = ruletest::compile_groups(g->files, 60'000, {}, diags);
  REQUIRE(diags.empty());
  return g;
}

double at(const engine::Storage& st, const Labels& ls, std::int64_t t) {
  auto it = st.all().find(ls);
  if (it == st.all().end()) return -1;
  for (const auto& p : it->second.points)
    if (p.t == t) return p.v;
  return -1;
}

constexpr std::int64_t kMin = 60'000;

} // namespace

TEST_CASE("test file: every promtool field, positions and the nsmon extension", "[ruletest]") {
  auto l = load_tests(R"(rule_files: [a.yml, "rules/*.yml"]
evaluation_interval: 30s
group_eval_order: [g2, g1]
fuzzy_compare: true
tests:
  - name: first
    interval: 15s
    start_timestamp: 2021-01-01T00:00:00Z
    external_labels: {cluster: eu}
    external_url: http://prom.example
    input_series:
      - series: 'up{job="x"}'
        values: 1 0 1
    alert_rule_test:
      - eval_time: 5m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: x, code: 500}
            exp_annotations: {summary: down}
    promql_expr_test:
      - expr: up
        eval_time: 1m
        exp_samples:
          - labels: 'up{job="x"}'
            value: .inf
          - value: 1e3
    nsmon: {partial: true}
  - {}
)");
  REQUIRE(l.diags.empty());
  const auto& f = l.file;
  REQUIRE(f.rule_files.size() == 2);
  CHECK(f.rule_files[1].value == "rules/*.yml");
  CHECK(f.rule_files[1].span.line == 1);
  CHECK(f.evaluation_interval_ms == 30'000);
  CHECK(f.fuzzy_compare);
  REQUIRE(f.tests.size() == 2);
  const auto& t = f.tests[0];
  CHECK(t.name == "first");
  CHECK(t.interval_ms == 15'000);
  CHECK(t.start_ms == 1609459200000LL);
  CHECK(t.external_labels.at(0).value.value == "eu");
  CHECK(t.external_url == "http://prom.example");
  CHECK(t.input_series.at(0).values.value == "1 0 1");
  CHECK(t.input_series.at(0).span.line == 12);
  CHECK(t.alert_tests.at(0).eval_time_ms == 5 * kMin);
  CHECK(t.alert_tests.at(0).exp_alerts.at(0).labels.at(1).value.value == "500"); // yaml.v2: an int read as a string
  CHECK(t.alert_tests.at(0).span.line == 15);
  CHECK(std::isinf(t.expr_tests.at(0).exp_samples.at(0).value));
  CHECK(t.expr_tests.at(0).exp_samples.at(1).value == 1000);
  CHECK(t.expr_tests.at(0).exp_samples.at(1).labels.value.empty());
  CHECK(t.nsmon.partial);
  CHECK(f.tests[1].display_name() == "unnamed#1");
  CHECK_FALSE(f.tests[1].nsmon.partial);
}

TEST_CASE("test file: what promtool refuses is a positioned error", "[ruletest]") {
  auto l = load_tests(R"(rule_files: [a.yml]
evaluation_interval: 1x
group_eval_order: [g, g]
tests:
  - interval: 1m
    input_serie: []
    alert_rule_test:
      - eval_time: 1m
        exp_alerts: []
    promql_expr_test:
      - expr: up
        exp_samples:
          - value: "1"
)");
  CHECK(where(l.diags) == std::vector<std::string>{"2:22 rules/duration", "3:23 ruletest/invalid",
                                                   "6:5 yaml/unknown-field", "8:9 ruletest/invalid",
                                                   "13:20 yaml/type"});
  CHECK(l.diags[2].suggestion == "did you mean 'input_series'?");
  CHECK(l.diags[3].message == "an item under alert_rule_test misses required attribute alertname at eval_time 1m");
}

TEST_CASE("test file: not a mapping, a list of the wrong type, hostile input", "[ruletest]") {
  CHECK(where(load_tests("- a\n").diags) == std::vector<std::string>{"1:1 yaml/type"});
  CHECK(where(load_tests("tests: {a: 1}\n").diags) == std::vector<std::string>{"1:8 yaml/type"});
  CHECK(where(load_tests("tests:\n  - input_series: 5\n").diags) == std::vector<std::string>{"2:19 yaml/type"});
  std::string deep(100'000, '[');
  CHECK_FALSE(load_tests("tests: " + deep).diags.empty());
  CHECK(load_tests("").diags.empty());
}

TEST_CASE("alerting rule: pending, firing after `for`, resolved, ALERTS and ALERTS_FOR_STATE", "[ruletest]") {
  auto g = groups(R"(groups:
  - name: g
    rules:
      - alert: High
        expr: load > 5
        for: 2m
        labels: {severity: page}
        annotations: {summary: "load of {{ $labels.host }} is {{ $value }}"}
)");
  engine::Storage st;
  ruletest::GroupEvaluator ev(g->groups, st, {});
  const Labels series{{"__name__", "load"}, {"host", "a"}};
  const double values[] = {9, 9, 9, 1, 1};
  for (int i = 0; i < 5; ++i) REQUIRE(st.add(series, i * kMin, values[i]));

  REQUIRE(ev.eval_at(0).empty());
  auto a = ev.alerts("High");
  REQUIRE(a.size() == 1);
  CHECK(a[0].state == AlertState::pending);
  CHECK(a[0].labels == Labels{{"alertname", "High"}, {"host", "a"}, {"severity", "page"}});
  CHECK(a[0].annotations == Labels{{"summary", "load of a is 9"}});
  const Labels pending{
      {"__name__", "ALERTS"}, {"alertname", "High"}, {"alertstate", "pending"}, {"host", "a"}, {"severity", "page"}};
  const Labels firing{
      {"__name__", "ALERTS"}, {"alertname", "High"}, {"alertstate", "firing"}, {"host", "a"}, {"severity", "page"}};
  const Labels for_state{{"__name__", "ALERTS_FOR_STATE"}, {"alertname", "High"}, {"host", "a"}, {"severity", "page"}};
  CHECK(at(st, pending, 0) == 1);
  CHECK(at(st, for_state, 0) == 0);

  REQUIRE(ev.eval_at(kMin).empty());
  CHECK(ev.alerts("High").at(0).state == AlertState::pending);
  REQUIRE(ev.eval_at(2 * kMin).empty());
  CHECK(ev.alerts("High").at(0).state == AlertState::firing);
  CHECK(at(st, firing, 2 * kMin) == 1);
  CHECK(engine::is_stale_nan(at(st, pending, 2 * kMin))); // the pending series ends

  REQUIRE(ev.eval_at(3 * kMin).empty()); // load is 1: resolved
  CHECK(ev.alerts("High").empty());
  CHECK(engine::is_stale_nan(at(st, firing, 3 * kMin)));
  CHECK(ev.alerts("Other").empty());
}

TEST_CASE("alerting rule: keep_firing_for holds a firing alert, a pending one goes at once", "[ruletest]") {
  auto g = groups(R"(groups:
  - name: g
    rules:
      - alert: Flappy
        expr: up == 0
        keep_firing_for: 2m
)");
  engine::Storage st;
  ruletest::GroupEvaluator ev(g->groups, st, {});
  const Labels up{{"__name__", "up"}, {"job", "x"}};
  const double values[] = {0, 1, 1, 1, 0};
  for (int i = 0; i < 5; ++i) REQUIRE(st.add(up, i * kMin, values[i]));
  REQUIRE(ev.eval_at(0).empty());
  CHECK(ev.alerts("Flappy").at(0).state == AlertState::firing); // no `for`: fires at once
  REQUIRE(ev.eval_at(kMin).empty());
  CHECK(ev.alerts("Flappy").size() == 1); // kept firing (1m < 2m)
  REQUIRE(ev.eval_at(2 * kMin).empty());
  CHECK(ev.alerts("Flappy").size() == 1); // 1m since it stopped
  REQUIRE(ev.eval_at(3 * kMin).empty());
  CHECK(ev.alerts("Flappy").empty()); // 2m since it stopped: resolved
}

TEST_CASE("recording rule: written back with its labels, read by the next rule, staleness", "[ruletest]") {
  auto g = groups(R"(groups:
  - name: g
    rules:
      - record: job:up:copy
        expr: up
        labels: {source: rule, job: ""}
      - alert: CopyHigh
        expr: job:up:copy > 0
)");
  engine::Storage st;
  ruletest::GroupEvaluator ev(g->groups, st, {});
  const Labels up{{"__name__", "up"}, {"job", "x"}};
  REQUIRE(st.add(up, 0, 1));
  REQUIRE(ev.eval_at(0).empty());
  const Labels recorded{{"__name__", "job:up:copy"}, {"source", "rule"}};
  CHECK(at(st, recorded, 0) == 1);
  CHECK(ev.alerts("CopyHigh").size() == 1); // the alert saw what the recording rule wrote just before
  REQUIRE(st.add(up, 10 * kMin, engine::stale_nan()));
  REQUIRE(ev.eval_at(10 * kMin).empty());
  CHECK(engine::is_stale_nan(at(st, recorded, 10 * kMin)));
  CHECK(ev.produced().at(0).at(0));
}

TEST_CASE("rule errors: duplicate label sets after the rule's labels, limit", "[ruletest]") {
  auto g = groups(R"(groups:
  - name: g
    limit: 1
    rules:
      - record: same
        expr: up
        labels: {job: one}
)");
  engine::Storage st;
  ruletest::GroupEvaluator ev(g->groups, st, {});
  REQUIRE(st.add({{"__name__", "up"}, {"job", "a"}}, 0, 1));
  REQUIRE(st.add({{"__name__", "up"}, {"job", "b"}}, 0, 1));
  auto errors = ev.eval_at(0);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rule == "same");
  CHECK(errors[0].message == "vector contains metrics with the same labelset after applying rule labels");
}

TEST_CASE("alert templates: Go templates with $labels, $value, $externalLabels and query", "[ruletest]") {
  auto g = groups(R"(groups:
  - name: g
    rules:
      - alert: Low
        expr: mem < 1e9
        labels: {team: "{{ $externalLabels.team }}"}
        annotations:
          a: "{{ $value | humanize1024 }}B on {{ $labels.host }}"
          b: "{{ with query \"count(mem)\" }}{{ . | first | value }}{{ end }} hosts"
          c: "{{ $labels.host | title }} {{ $externalURL }}"
)");
  engine::Storage st;
  ruletest::EvalSettings settings;
  settings.external_labels = {{"team", "infra"}};
  settings.external_url = "http://prom";
  ruletest::GroupEvaluator ev(g->groups, st, settings);
  REQUIRE(st.add({{"__name__", "mem"}, {"host", "web"}}, 0, 5e8));
  REQUIRE(st.add({{"__name__", "mem"}, {"host", "db"}}, 0, 8e9));
  REQUIRE(ev.eval_at(0).empty());
  auto a = ev.alerts("Low");
  REQUIRE(a.size() == 1);
  CHECK(a[0].labels == Labels{{"alertname", "Low"}, {"host", "web"}, {"team", "infra"}});
  CHECK(a[0].annotations == Labels{{"a", "476.8MiB on web"}, {"b", "2 hosts"}, {"c", "Web http://prom"}});
}

namespace {

// A test file and its rule file in a temporary directory, prepared and run.
struct Run {
  std::filesystem::path dir;
  core::SourceSet sources;
  std::vector<core::Diagnostic> diags;
  std::unique_ptr<ruletest::PreparedFile> file;
  std::vector<ruletest::TestResult> results;
  ~Run() { std::filesystem::remove_all(dir); }
};

std::unique_ptr<Run> run_files(const std::string& tests, const std::string& rules,
                               const ruletest::RunOptions& options = {}) {
  auto r = std::make_unique<Run>();
  r->dir = std::filesystem::temp_directory_path() / ("nsmon-ruletest-" + std::to_string(::getpid()));
  std::filesystem::create_directories(r->dir);
  std::ofstream(r->dir / "rules.yml") << rules;
  const std::string path = (r->dir / "t.yml").string();
  const core::SourceFile& src = r->sources.add(path, tests);
  r->file = ruletest::prepare(src, options, r->sources, r->diags);
  if (r->diags.empty())
    for (std::size_t i = 0; i < r->file->file.tests.size(); ++i)
      r->results.push_back(ruletest::run_test(*r->file, i, options));
  return r;
}

const char* kRules = R"(groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        for: 1m
        labels: {severity: page}
        annotations: {summary: "{{ $labels.job }} down"}
      - record: up:neg
        expr: -up
)";

} // namespace

TEST_CASE("runner: passing and failing alert and expression tests, with a diff", "[ruletest]") {
  auto r = run_files(R"(rule_files: [rules.yml]
tests:
  - name: pass
    interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: 0 0 0 1
      - series: 'up{job="b"}'
        values: 1x3
    alert_rule_test:
      - eval_time: 30s
        alertname: Down
        exp_alerts: []
      - eval_time: 2m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: a, severity: page}
            exp_annotations: {summary: a down}
      - eval_time: 3m
        alertname: Down
    promql_expr_test:
      - expr: up:neg
        eval_time: 2m
        exp_samples:
          - {labels: 'up:neg{job="b"}', value: -1}
          - {labels: 'up:neg{job="a"}', value: 0}
  - name: fail
    interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: 0 0 0
    alert_rule_test:
      - eval_time: 2m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: b, severity: page}
            exp_annotations: {summary: a down}
    promql_expr_test:
      - expr: up
        eval_time: 1m
        exp_samples:
          - {labels: 'up{job="a"}', value: 1}
)",
                     kRules);
  REQUIRE(r->diags.empty());
  REQUIRE(r->results.size() == 2);
  CHECK(r->results[0].passed());
  REQUIRE(r->results[1].failures.size() == 2);
  const auto& alert = r->results[1].failures[0];
  CHECK(alert.span.line == 33);
  // One label or the value differs: the pair shows that field only.
  CHECK(alert.message == "test 'fail': alertname: Down, time: 2m: expected 1 firing alert, got 1 (- expected only, "
                         "+ got only, ~ the fields a pair shares)\n"
                         "    ~ {alertname=\"Down\", annotations.summary: a down, severity=\"page\"}\n"
                         "    -   job=\"b\"\n"
                         "    +   job=\"a\"\n");
  CHECK(r->results[1].failures[1].message ==
        "test 'fail': expr: \"up\", time: 1m: expected 1 sample, got 1 (- expected only, + got only, ~ the fields a "
        "pair shares)\n"
        "    ~ {__name__=\"up\", job=\"a\"}\n"
        "    -   value 1\n"
        "    +   value 0\n");
}

TEST_CASE("runner: a pair needs half the fields in common, any with --diff", "[ruletest]") {
  const std::string tests = R"(rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: 0 0 0
      - series: 'up{job="c"}'
        values: 0 0 0
    alert_rule_test:
      - eval_time: 2m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: c, severity: page}
            exp_annotations: {summary: c down}
          - exp_labels: {job: z, team: x}
)";
  auto plain = run_files(tests, kRules);
  REQUIRE(plain->results.size() == 1);
  REQUIRE(plain->results[0].failures.size() == 1);
  // job z shares only alertname with job a: two whole alerts.
  CHECK(plain->results[0].failures[0].message ==
        "test 'unnamed#0': alertname: Down, time: 2m: expected 2 firing alerts, got 2 (- expected only, + got only)\n"
        "      {alertname=\"Down\", job=\"c\", severity=\"page\"}\n"
        "          summary: c down\n"
        "    - {alertname=\"Down\", job=\"z\", team=\"x\"}\n"
        "    + {alertname=\"Down\", job=\"a\", severity=\"page\"}\n"
        "          summary: a down\n");
  ruletest::RunOptions options;
  options.diff = true;
  auto diff = run_files(tests, kRules, options);
  REQUIRE(diff->results[0].failures.size() == 1);
  CHECK(diff->results[0].failures[0].message ==
        "test 'unnamed#0': alertname: Down, time: 2m: expected 2 firing alerts, got 2 (- expected only, + got only, ~ "
        "the fields a pair shares)\n"
        "      {alertname=\"Down\", job=\"c\", severity=\"page\"}\n"
        "          summary: c down\n"
        "    ~ {alertname=\"Down\"}\n"
        "    -   job=\"z\"\n"
        "    -   team=\"x\"\n"
        "    +   annotations.summary: a down\n"
        "    +   job=\"a\"\n"
        "    +   severity=\"page\"\n");
  CHECK(diff->results[0].state.empty());
}

TEST_CASE("runner: --debug gives the series as input_series reads them, and the alerts", "[ruletest]") {
  ruletest::RunOptions options;
  options.debug = true;
  auto r = run_files(R"(rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: 1 0 0 0 0
    alert_rule_test:
      - eval_time: 4m
        alertname: Down
)",
                     kRules, options);
  REQUIRE(r->results.size() == 1);
  CHECK(!r->results[0].passed());
  CHECK(r->results[0].state ==
        "state at 4m: the series (input_series and what the rules wrote), one value per 1m from 0s\n"
        "  ALERTS{alertname=\"Down\",alertstate=\"firing\",job=\"a\",severity=\"page\"}  _ _ 1+0x2\n"
        "  ALERTS{alertname=\"Down\",alertstate=\"pending\",job=\"a\",severity=\"page\"}  _ 1 stale\n"
        "  ALERTS_FOR_STATE{alertname=\"Down\",job=\"a\",severity=\"page\"}  _ 60+0x3\n"
        "  up{job=\"a\"}  1 0+0x3\n"
        "  up:neg{job=\"a\"}  -1 -0+0x3\n"
        "alerts pending or firing:\n"
        "  {alertname=\"Down\", job=\"a\", severity=\"page\"} firing since 1m, value 0\n");
}

TEST_CASE("runner: partial matching only with the nsmon key, fuzzy_compare, --run", "[ruletest]") {
  const std::string body = R"(
    interval: 1m
    input_series:
      - series: 'up{job="a", instance="i"}'
        values: 0 0 0
    alert_rule_test:
      - eval_time: 2m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: a}
)";
  auto exact = run_files("rule_files: [rules.yml]\ntests:\n  - name: exact" + body, kRules);
  REQUIRE(exact->results.size() == 1);
  CHECK_FALSE(exact->results[0].passed());
  auto partial =
      run_files("rule_files: [rules.yml]\ntests:\n  - name: partial\n    nsmon: {partial: true}" + body, kRules);
  REQUIRE(partial->results.size() == 1);
  CHECK(partial->results[0].passed());

  const std::string fuzzy = R"(rule_files: [rules.yml]
FUZZY
tests:
  - input_series:
      - series: 'x'
        values: 0.30000000000000004
    promql_expr_test:
      - expr: x
        exp_samples: [{labels: x, value: 0.3}]
)";
  auto strict = run_files(std::string(fuzzy).replace(fuzzy.find("FUZZY"), 5, ""), kRules);
  CHECK_FALSE(strict->results.at(0).passed());
  auto loose = run_files(std::string(fuzzy).replace(fuzzy.find("FUZZY"), 5, "fuzzy_compare: true"), kRules);
  CHECK(loose->results.at(0).passed());
}

TEST_CASE("runner: a bad series, values or labels is an error before anything runs", "[ruletest]") {
  auto r = run_files(R"(rule_files: [rules.yml, missing-*.yml]
tests:
  - input_series:
      - series: 'up{job="a"'
        values: 1
      - series: 'up'
        values: 1 zz
    promql_expr_test:
      - expr: up +
)",
                     kRules);
  std::vector<std::string> got;
  for (const auto& d : r->diags) got.push_back(std::string(d.check.id()) + " " + core::to_string(d.severity));
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{"promql/syntax error", "ruletest/invalid error", "ruletest/invalid error",
                                        "ruletest/invalid warning"});
  CHECK(r->results.empty());
}

TEST_CASE("runner: start_timestamp moves the samples and the evaluation times", "[ruletest]") {
  auto r = run_files(R"(tests:
  - interval: 1m
    start_timestamp: 1000
    input_series:
      - series: m
        values: 1 2 3
    promql_expr_test:
      - expr: timestamp(m)
        eval_time: 1m
        exp_samples: [{value: 1060}]
      - expr: m
        eval_time: 2m
        exp_samples: [{labels: m, value: 3}]
)",
                     kRules);
  REQUIRE(r->diags.empty());
  REQUIRE(r->results.size() == 1);
  CHECK(r->results[0].failures.empty());
}

TEST_CASE("runner: native histogram input series and histogram samples, compared as promtool does", "[ruletest]") {
  const char* rules = R"(groups:
  - name: h
    rules:
      - record: job:latency:sum
        expr: sum by (job) (latency)
)";
  auto r = run_files(R"(rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'latency{job="a", i="1"}'
        values: '{{schema:0 sum:1 count:1 buckets:[1]}}+{{sum:2 count:1 buckets:[0 1]}}x2'
      - series: 'latency{job="a", i="2"}'
        values: '{{schema:0 sum:3 count:2 buckets:[2]}}x2'
    promql_expr_test:
      - expr: job:latency:sum
        eval_time: 2m
        exp_samples:
          - labels: 'job:latency:sum{job="a"}'
            histogram: '{{count:5 sum:8 counter_reset_hint:not_reset buckets:[3 2]}}'
      - expr: latency{i="1"}
        eval_time: 1m
        exp_samples:
          - labels: 'latency{job="a", i="1"}'
            histogram: '{{count:2 sum:3 counter_reset_hint:not_reset buckets:[1 1]}}'
      - expr: job:latency:sum
        eval_time: 2m
        exp_samples:
          - labels: 'job:latency:sum{job="a"}'
            histogram: '{{count:5 sum:8 counter_reset_hint:not_reset buckets:[3 3]}}'
)",
                     rules);
  REQUIRE(r->diags.empty());
  REQUIRE(r->results.size() == 1);
  // A recorded histogram reads back as not_reset after the first (Prometheus's TSDB does so too).
  // The last expectation differs in one bucket: the only failure, both histograms shown as a pair.
  std::string all;
  for (const auto& f : r->results[0].failures) all += f.message + "\n";
  INFO(all);
  REQUIRE(r->results[0].failures.size() == 1);
  const std::string& msg = r->results[0].failures[0].message;
  CHECK(msg.find("    ~ {__name__=\"job:latency:sum\", job=\"a\"}\n") != std::string::npos);
  CHECK(msg.find("-   histogram {{count:5 sum:8 counter_reset_hint:not_reset buckets:[3 3]}}") != std::string::npos);
  CHECK(msg.find("+   histogram {{count:5 sum:8 counter_reset_hint:not_reset buckets:[3 2]}}") != std::string::npos);

  auto bad = run_files(R"(tests:
  - input_series: []
    promql_expr_test:
      - expr: vector(1)
        exp_samples:
          - labels: '{}'
            histogram: '{{count:1 bogus:2}}'
)",
                       rules);
  REQUIRE(bad->diags.size() == 1);
  CHECK(bad->diags[0].message.find("invalid histogram") != std::string::npos);
}

TEST_CASE("test file: nsmon.alertmanager_tests, notifications, integrations and inhibited", "[ruletest]") {
  auto l = load_tests(R"(tests:
  - nsmon:
      alertmanager: am.yml
      alertmanager_tests:
        - eval_time: 10m
          notifications:
            - receiver: slack
              group_labels: {alertname: A}
              alerts: [{alertname: A, instance: x}]
              slack:
                title: A
                text: {contains: rate}
              pagerduty: {description: {matches: "A.*"}}
          inhibited:
            - alert: {alertname: B}
              by: {alertname: A}
)");
  REQUIRE(l.diags.empty());
  const auto& ext = l.file.tests.at(0).nsmon;
  REQUIRE(ext.alertmanager);
  CHECK(ext.alertmanager->value == "am.yml");
  REQUIRE(ext.alertmanager_tests.size() == 1);
  const auto& t = ext.alertmanager_tests[0];
  CHECK(t.eval_time_ms == 600'000);
  REQUIRE(t.notifications);
  REQUIRE(t.notifications->size() == 1);
  const auto& n = (*t.notifications)[0];
  CHECK(n.receiver.value == "slack");
  REQUIRE(n.group_labels);
  CHECK(n.group_labels->at(0).key.value == "alertname");
  REQUIRE(n.alerts);
  CHECK(n.alerts->at(0).size() == 2);
  REQUIRE(n.integrations.size() == 2);
  CHECK(n.integrations[0].name.value == "slack");
  CHECK(n.integrations[0].fields[1].second.kind == ruletest::ExpText::Kind::contains);
  CHECK(n.integrations[1].fields[0].second.kind == ruletest::ExpText::Kind::matches);
  CHECK(n.integrations[1].fields[0].second.text.value == "A.*");
  REQUIRE(t.inhibited);
  CHECK(t.inhibited->at(0).by.has_value());
}

TEST_CASE("test file: a misspelt integration or text form is a positioned error", "[ruletest]") {
  auto l = load_tests(R"(tests:
  - nsmon:
      alertmanager_tests:
        - notifications:
            - receiver: slack
              slak: {title: A}
            - receiver: slack
              slack: {title: {contain: A}}
          inhibited:
            - by: {alertname: A}
)");
  CHECK(where(l.diags) ==
        std::vector<std::string>{"6:15 yaml/unknown-field", "8:31 yaml/unknown-field", "10:15 ruletest/invalid"});
}

TEST_CASE("runner: a missing firing alert that is still pending says so, expressions quoted as promtool",
          "[ruletest]") {
  auto r = run_files(R"(rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: 0x5
    alert_rule_test:
      - eval_time: 30s
        alertname: Down
        exp_alerts:
          - exp_labels: {job: a, severity: page}
    promql_expr_test:
      - expr: up:neg{job="a"}
        eval_time: 1m
        exp_samples: []
)",
                     kRules);
  REQUIRE(r->results.size() == 1);
  REQUIRE(r->results[0].failures.size() == 2);
  // Down has for: 1m: at 30s it is active since 0s and would fire from 1m.
  const std::string& alert = r->results[0].failures[0].message;
  CHECK(alert.find("expected 1 firing alert, got 0") != std::string::npos);
  CHECK(alert.find("still pending (active, within for:):\n    {alertname=\"Down\", job=\"a\", "
                   "severity=\"page\"} is pending: active since 0s, for: 1m, so firing from 1m if it "
                   "stays active") != std::string::npos);
  CHECK(r->results[0].failures[1].message.find("expr: \"up:neg{job=\\\"a\\\"}\", time: 1m") != std::string::npos);
}

// An alert_rule_test of a name no alerting rule has: no alert can fire, so an empty exp_alerts
// passes whatever the rule does (promtool says SUCCESS). A warning, with the nearest name.
TEST_CASE("ruletest: an alert test of a name no alerting rule has is a warning", "[ruletest]") {
  const std::string tests = R"(rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: up{job="a"}
        values: 0x10
    alert_rule_test:
      - eval_time: 5m
        alertname: Dwn
        exp_alerts: []
      - eval_time: 5m
        alertname: Down
        exp_alerts: [{exp_labels: {job: a}}]
)";
  auto r = run_files(tests, kRules);
  REQUIRE(r->diags.size() == 1);
  const core::Diagnostic& d = r->diags[0];
  CHECK(d.check.id() == "ruletest/unknown-alert");
  CHECK(d.severity == core::Severity::warning);
  CHECK(d.span.line == 10);
  CHECK(d.message == "no alerting rule of the test's rule files is named Dwn: no alert of it can fire, so the test "
                     "passes without testing anything");
  CHECK(d.suggestion == "did you mean Down?");
}
