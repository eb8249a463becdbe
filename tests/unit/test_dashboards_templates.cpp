// Dashboard templates: the loader's positioned errors, `use:` of shared panels, Grafana variables
// in PromQL, and every check gen-dashboards runs (lint-rules' expression checks and the
// grafana/dashboard-linter rules), each shown firing on a bad template at its line and column.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/dashboards/checks.hpp"
#include "nsmon/dashboards/loader.hpp"
#include "nsmon/dashboards/variables.hpp"
#include "nsmon/engine/engine.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rule_file.hpp"

using namespace nsmon;
using namespace nsmon::dashboards;

namespace {

struct Run {
  core::SourceSet sources;
  std::vector<core::Diagnostic> diags;
  Template t;
};

// Loads and checks a template text; `panels` are shared panel files (name, text).
std::unique_ptr<Run> run(const std::string& text, const std::vector<std::pair<std::string, std::string>>& panels = {}) {
  auto r = std::make_unique<Run>();
  Library lib;
  for (const auto& [name, body] : panels)
    if (auto p = load_panel_file(r->sources.add("panels/" + name + ".yml", body), r->diags)) lib[name] = *p;
  r->t = load_template(r->sources.add("t.yml", text), lib, r->diags);
  check(r->t, catalog::embedded(), r->diags);
  return r;
}

std::string dump(const std::vector<core::Diagnostic>& diags) {
  std::string s;
  for (const auto& d : diags)
    s += d.span.file.str() + ":" + std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + ": " +
         std::string(d.check.id()) + ": " + d.message + "\n";
  return s;
}

// Whether a finding of `check` is at file:line:col.
bool has(const Run& r, const std::string& check, int line, int col, const std::string& file = "t.yml") {
  return std::any_of(r.diags.begin(), r.diags.end(), [&](const core::Diagnostic& d) {
    return d.check == check && d.span.line == line && d.span.col == col && d.span.file == file;
  });
}

// A clean template; the tests below change one thing in it. Line 10 is the panel's query.
const std::string kHead = R"(uid: t
title: T
variables: [datasource, job, instance]
rows:
  - title: R
    panels:
      - type: timeseries
        title: CPU
        description: CPU usage.
)";
const std::string kQuery =
    "        queries:\n          - expr: cpu_usage_percent{job=~\"$job\", instance=~\"$instance\"}\n";

std::string with_query(const std::string& expr, const std::string& extra = "") {
  return kHead + extra + "        queries:\n          - expr: " + expr + "\n";
}

} // namespace

TEST_CASE("a clean template has no findings, and its unit follows the catalog") {
  auto r = run(kHead + kQuery);
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
  REQUIRE(r->t.rows.size() == 1);
  CHECK(r->t.rows[0].panels[0].grafana_unit == "percent");
}

TEST_CASE("template YAML errors are positioned") {
  auto r = run("uid: t\ntitle: [unclosed\n");
  REQUIRE(r->diags.size() == 1);
  CHECK(r->diags[0].check == "yaml/syntax");
  CHECK(r->diags[0].span.line >= 2);
  auto unknown = run(kHead + "        colour: red\n" + kQuery);
  CHECK(has(*unknown, "yaml/unknown-field", 10, 9));
  auto dup = run(kHead + "        title: again\n" + kQuery);
  CHECK(has(*dup, "yaml/duplicate-key", 10, 9));
  auto type = run(kHead + "        width: wide\n" + kQuery);
  CHECK(has(*type, "yaml/type", 10, 16));
}

TEST_CASE("panel types: deprecated graph and singlestat, unknown types, rows") {
  for (auto [type, hint] : {std::pair{"graph", "use timeseries"}, {"singlestat", "use stat"}}) {
    std::string text = kHead + kQuery;
    text.replace(text.find("timeseries"), 10, type);
    auto r = run(text);
    INFO(dump(r->diags));
    REQUIRE(has(*r, "dashboards/panel-type", 7, 15));
    CHECK(r->diags[0].suggestion == hint);
  }
  std::string text = kHead + kQuery;
  text.replace(text.find("timeseries"), 10, "timeserie");
  auto r = run(text);
  REQUIRE(has(*r, "dashboards/panel-type", 7, 15));
  CHECK(r->diags[0].suggestion == "did you mean 'timeseries'?");
}

TEST_CASE("bad uids are refused: they name the output file") {
  for (const char* uid : {"../etc", "a/b", "..", "x y"}) {
    std::string text = kHead + kQuery;
    text.replace(5, 1, std::string("\"") + uid + "\"");
    auto r = run(text);
    INFO(uid << "\n" << dump(r->diags));
    CHECK(has(*r, "dashboards/uid", 1, 6));
    CHECK(r->t.uid.value.empty());
  }
  CHECK(valid_uid("nsmon-training_1"));
  CHECK_FALSE(valid_uid(std::string(41, 'a')));
}

TEST_CASE("bad PromQL is positioned inside the YAML scalar, through Grafana variables") {
  // `$job` is substituted before parsing; the error column is still the original one.
  auto r = run(with_query("rate(errors_total{job=~\"$job\"}[$__rate_interval]) +"));
  INFO(dump(r->diags));
  REQUIRE(r->diags.size() >= 1);
  CHECK(r->diags[0].check == "promql/syntax");
  CHECK(r->diags[0].span.line == 11);
  // A folded block scalar: the error is on the second line of the expression.
  auto folded =
      run(kHead + "        queries:\n          - expr: >-\n              sum(rate(errors_total[$__rate_interval]))\n"
                  "              / sum(rate(errors_total{job=~\"$job\"}[$__rate_interval])) by\n");
  INFO(dump(folded->diags));
  CHECK(std::any_of(folded->diags.begin(), folded->diags.end(),
                    [](const core::Diagnostic& d) { return d.check == "promql/syntax" && d.span.line == 13; }));
}

TEST_CASE("lint-rules' catalog checks run on panel queries") {
  auto renamed = run(with_query("gpu_memory_allocated_mb{job=~\"$job\", instance=~\"$instance\"}"));
  CHECK(has(*renamed, "catalog/renamed-metric", 11, 19));
  auto unknown = run(with_query("cpu_usage_percen{job=~\"$job\", instance=~\"$instance\"}", "        unit: percent\n"));
  CHECK(has(*unknown, "catalog/unknown-metric", 12, 19));
  auto label = run(with_query("cpu_usage_percent{job=~\"$job\", instance=~\"$instance\", device_id=\"0\"}"));
  CHECK(has(*label, "catalog/unknown-label", 11, 73));
  auto gauge = run(with_query("rate(cpu_usage_percent{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval])"));
  CHECK(has(*gauge, "promql/rate-on-gauge", 11, 19));
  auto hq = run(
      with_query("histogram_quantile(0.95, inference_time_seconds_bucket{job=~\"$job\", instance=~\"$instance\"})"));
  INFO(dump(hq->diags));
  CHECK(has(*hq, "promql/histogram-quantile-rate", 11, 19));
}

TEST_CASE("dashboard-linter: datasource variable, job and instance variables") {
  std::string text = kHead + kQuery;
  text.replace(text.find("[datasource, job, instance]"), 27, "[job]");
  auto r = run(text);
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/datasource-variable", 3, 12));
  CHECK(has(*r, "dashboards/job-instance-variables", 3, 12));
  // $instance is used but no longer defined.
  CHECK(has(*r, "dashboards/unknown-variable", 11, 61));
}

TEST_CASE("dashboard-linter: panel datasource must be ${datasource}") {
  auto r =
      run(with_query("cpu_usage_percent{job=~\"$job\", instance=~\"$instance\"}", "        datasource: Prometheus\n"));
  CHECK(has(*r, "dashboards/panel-datasource", 10, 21));
  auto ok = run(
      with_query("cpu_usage_percent{job=~\"$job\", instance=~\"$instance\"}", "        datasource: ${datasource}\n"));
  CHECK(ok->diags.empty());
}

TEST_CASE("dashboard-linter: title and description") {
  std::string text = kHead + kQuery;
  text.erase(text.find("        description: CPU usage.\n"), 32);
  auto r = run(text);
  REQUIRE(has(*r, "dashboards/title-description", 8, 16));
  // No description is a warning (the dashboard still reads); no title stays an error.
  for (const auto& d : r->diags)
    if (d.check == "dashboards/title-description") CHECK(d.severity == core::Severity::warning);
}

TEST_CASE("dashboard-linter: units (unknown, missing, not fitting the catalog)") {
  auto unknown =
      run(with_query("cpu_usage_percent{job=~\"$job\", instance=~\"$instance\"}", "        unit: percents\n"));
  REQUIRE(has(*unknown, "dashboards/unknown-unit", 10, 15));
  auto missing = run(with_query("cpu_usage_percent{job=~\"$job\", instance=~\"$instance\"} * 2"));
  CHECK(has(*missing, "dashboards/unit", 8, 16));
  auto wrong = run(with_query("memory_usage_bytes{job=~\"$job\", instance=~\"$instance\"}", "        unit: s\n"));
  CHECK(has(*wrong, "dashboards/unit-mismatch", 10, 15));
  // Catalog unit names are accepted and translated; Grafana ids pass through.
  auto ratio = run(with_query("validation_map{job=~\"$job\", instance=~\"$instance\"}", "        unit: ratio\n"));
  INFO(dump(ratio->diags));
  CHECK(ratio->diags.empty());
  CHECK(ratio->t.rows[0].panels[0].grafana_unit == "percentunit");
  auto inferred =
      run(with_query("histogram_quantile(0.9, sum by (le) (rate(inference_time_seconds_bucket{job=~\"$job\", "
                     "instance=~\"$instance\"}[$__rate_interval])))"));
  CHECK(inferred->diags.empty());
  CHECK(inferred->t.rows[0].panels[0].grafana_unit == "s");
  auto bps = run(with_query("rate(disk_read_bytes_total{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval])"));
  CHECK(bps->t.rows[0].panels[0].grafana_unit == "Bps");
}

TEST_CASE("dashboard-linter: $__rate_interval in rates") {
  auto r = run(with_query("rate(errors_total{job=~\"$job\", instance=~\"$instance\"}[5m])"));
  INFO(dump(r->diags));
  REQUIRE(has(*r, "dashboards/rate-interval", 11, 24));
  CHECK(r->diags[0].suggestion == "write [$__rate_interval]");
  auto range = run(with_query("increase(errors_total{job=~\"$job\", instance=~\"$instance\"}[$__range])"));
  CHECK(range->diags.empty());
}

TEST_CASE("dashboard-linter: counters wrapped in rate") {
  auto r = run(with_query("sum(errors_total{job=~\"$job\", instance=~\"$instance\"})"));
  CHECK(has(*r, "dashboards/counter-raw", 11, 19));
  auto ok = run(with_query("sum(rate(errors_total{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval]))"));
  CHECK(ok->diags.empty());
}

TEST_CASE("dashboard-linter: selectors follow $job and $instance") {
  auto r = run(with_query("cpu_usage_percent{job=~\"$job\"}"));
  CHECK(has(*r, "dashboards/variable-filter", 11, 19));
  CHECK(r->diags.size() == 1);
}

TEST_CASE("legend labels must be labels the query keeps") {
  auto r = run(kHead +
               "        queries:\n          - expr: sum by (error_type) (rate(errors_total{job=~\"$job\", "
               "instance=~\"$instance\"}[$__rate_interval]))\n            legend: \"{{error_type}} at {{stage}}\"\n");
  INFO(dump(r->diags));
  REQUIRE(r->diags.size() == 1);
  CHECK(has(*r, "dashboards/legend-label", 12, 42));
}

TEST_CASE("shared panels through use:, with their own positions") {
  const std::string shared =
      "type: stat\ntitle: Uptime\ndescription: Uptime.\nqueries:\n  - expr: app_uptime_seconds{job=~\"$job\"}\n";
  std::string text =
      kHead.substr(0, kHead.find("      - type:")) + "      - use: uptime\n        width: 8\n      - use: uptim\n";
  auto r = run(text, {{"uptime", shared}});
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/unknown-panel", 9, 14));
  // The shared panel's own finding points into its file.
  CHECK(has(*r, "dashboards/variable-filter", 5, 11, "panels/uptime.yml"));
  REQUIRE(r->t.rows[0].panels.size() == 1);
  CHECK(r->t.rows[0].panels[0].width == 8);
  CHECK(r->t.rows[0].panels[0].used == "uptime");
}

TEST_CASE("Grafana variables are substituted before parsing and mapped back") {
  Substituted s = substitute_variables("rate(x{job=~\"$job\"}[$__rate_interval]) * ${factor:raw} # $gone");
  CHECK(s.text == "rate(x{job=~\"$job\"}[5m]) * 1 # $gone");
  REQUIRE(s.refs.size() == 3);
  CHECK(s.refs[0].name == "job");
  CHECK(s.refs[0].in_string);
  CHECK(s.refs[1].name == "__rate_interval");
  CHECK(s.refs[1].in_range);
  CHECK(s.refs[2].name == "factor");
  // The placeholder 5m maps back to the whole $__rate_interval.
  auto o = s.original({20, 22});
  CHECK(o.start == 20);
  CHECK(o.end == 20 + std::string("$__rate_interval").size());
  auto legends = legend_labels("{{ model }} p95 {{le}}");
  REQUIRE(legends.size() == 2);
  CHECK(legends[0].label == "model");
  CHECK(legends[0].begin == 3);
  CHECK(legends[1].label == "le");
}

namespace {
// The facts a template's rules: and slos: files give (gen-dashboards reads them).
RuleFacts rule_facts_for_tests() {
  RuleFacts f;
  f.alerts["HighCPUUsage"] = {"cpu_usage_percent > 90", "5m", "warning"};
  f.slos["inference-success"] = {0.99, 30LL * 24 * 3600 * 1000};
  f.slos["inference-latency"] = {0.95, 30LL * 24 * 3600 * 1000, 1.0, "inference_time_seconds"};
  // A latency SLO at 0.8 s, between inference_time_seconds' bounds 0.5 and 1.
  f.slos["under-800ms"] = {0.95, 30LL * 24 * 3600 * 1000, 0.8, "inference_time_seconds"};
  return f;
}

std::unique_ptr<Run> run_with_facts(const std::string& text) {
  auto r = std::make_unique<Run>();
  r->t = load_template(r->sources.add("t.yml", text), {}, r->diags);
  check(r->t, catalog::embedded(), {}, rule_facts_for_tests(), r->diags);
  return r;
}

std::string with_description(const std::string& description, const std::string& extra = "") {
  std::string text = kHead + extra + kQuery;
  return text.replace(text.find("CPU usage."), 10, description);
}
} // namespace

TEST_CASE("descriptions take alert and SLO words from the rules") {
  auto r = run_with_facts(with_description("CPU usage. {alert:HighCPUUsage} fires on it."));
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
  CHECK(r->t.rows[0].panels[0].description.value ==
        "CPU usage. HighCPUUsage (`cpu_usage_percent > 90` for 5m, warning) fires on it.");
  r = run_with_facts(with_description("Green at {slo:inference-success}."));
  CHECK(r->t.rows[0].panels[0].description.value == "Green at the inference-success SLO (99% over 30d).");
}

TEST_CASE("a description that restates a rule by hand, or names no rule") {
  // The threshold and window copied by hand drift from the rule: line 9, the name at column 37.
  auto r = run_with_facts(with_description("CPU usage. The HighCPUUsage alert fires above 90% for 5 minutes."));
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/rule-by-hand", 9, 37));
  // An alert no rule defines, named beside "alert".
  r = run_with_facts(with_description("CPU usage. The ApplicationErrors alert fires."));
  CHECK(has(*r, "dashboards/rule-by-hand", 9, 37));
  // A list of the rules' names is checked by the names alone; SLO is no alert name.
  r = run_with_facts(with_description("The SLO alerts of the host (HighCPUUsage)."));
  CHECK(r->diags.empty());
  // A reference to no rule: an error at the placeholder.
  r = run_with_facts(with_description("CPU usage. {alert:HighCPUUsag} fires."));
  CHECK(has(*r, "dashboards/unknown-rule", 9, 33));
  for (const auto& d : r->diags)
    if (d.check == "dashboards/unknown-rule") CHECK(d.suggestion == "did you mean HighCPUUsage?");
}

TEST_CASE("slo: sets a panel's thresholds from the objective, and refuses thresholds of its own") {
  auto r = run_with_facts(with_description("Success.", "        slo: inference-success\n"));
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
  const Panel& p = r->t.rows[0].panels[0];
  CHECK(p.base_color == "red");
  REQUIRE(p.thresholds.size() == 1);
  CHECK(p.thresholds[0].value == 0.99);
  CHECK(p.thresholds[0].color == "green");
  r = run_with_facts(with_description("Success.", "        slo: inference-success\n        thresholds:\n          - "
                                                  "{color: red}\n          - {value: 0.98, color: green}\n"));
  CHECK(has(*r, "dashboards/slo-thresholds", 7, 9));
  r = run_with_facts(with_description("Success.", "        slo: inference-sucess\n"));
  CHECK(has(*r, "dashboards/unknown-rule", 10, 14));
}

TEST_CASE("slo_ratio: latency takes the latency SLO's bound as the threshold") {
  auto r = run_with_facts(with_description("Latency.", "        slo: inference-latency\n        slo_ratio: latency\n"));
  INFO(dump(r->diags));
  const Panel& p = r->t.rows[0].panels[0];
  CHECK(p.base_color == "green");
  REQUIRE(p.thresholds.size() == 1);
  CHECK(p.thresholds[0].value == 1.0);
  CHECK(p.thresholds[0].color == "red");
  // An SLO that is not a latency's has no bound: an error at its name.
  r = run_with_facts(with_description("Latency.", "        slo: inference-success\n        slo_ratio: latency\n"));
  CHECK(has(*r, "dashboards/unknown-rule", 10, 14));
}

TEST_CASE("an aggregation across a sequence or entity label says what it means") {
  // min by (model) across epoch: the best epoch, or a mix; line 11, the aggregation at column 19.
  auto r = run(with_query("min by (model) (training_loss{job=~\"$job\", instance=~\"$instance\"})"));
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/aggregate-across", 11, 19));
  // Said: no finding.
  r = run(with_query("min by (model) (training_loss{job=~\"$job\", instance=~\"$instance\"})\n"
                     "            across: {epoch: the lowest loss of all epochs}"));
  CHECK(r->diags.empty());
  // Kept (one series per epoch), or an ordinary label aggregated away: nothing to say.
  r = run(with_query("max by (model, epoch) (training_loss{job=~\"$job\", instance=~\"$instance\"})"));
  CHECK(r->diags.empty());
  r = run(with_query("sum(rate(errors_total{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval]))"));
  CHECK(r->diags.empty());
  // An entity: a sum over images mixes them.
  r = run(with_query("avg(graph_nodes_count{job=~\"$job\", instance=~\"$instance\"})"));
  CHECK(has(*r, "dashboards/aggregate-across", 11, 19));
  // A declaration no aggregation needs: line 12, the label at column 22.
  r = run(with_query("max by (model, epoch) (training_loss{job=~\"$job\", instance=~\"$instance\"})\n"
                     "            across: {epoch: the lowest loss}"));
  CHECK(has(*r, "dashboards/aggregate-across", 12, 22));
}

TEST_CASE("a stat showing the last value of a range query of a rate") {
  auto stat = [](const std::string& expr, const std::string& extra = "", const std::string& query_extra = "") {
    std::string text = with_query(expr, extra) + query_extra;
    return run(text.replace(text.find("type: timeseries"), 16, "type: stat"));
  };
  auto count = [](const Run& r) {
    return std::count_if(r.diags.begin(), r.diags.end(),
                         [](const auto& d) { return d.check == "dashboards/stat-range-rate"; });
  };
  const std::string rate =
      "sum(rate(images_processed_total{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval]))";
  // A range query, lastNotNull: stale after an idle period; once per query, at the first rate()
  // (line 11, column 23).
  auto r = stat(rate + " / " + rate);
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/stat-range-rate", 11, 23));
  CHECK(count(*r) == 1);
  // Clean: an instant query; a mean over the range (asked for); the range's total; a graph.
  CHECK(count(*stat(rate, "", "            instant: true\n")) == 0);
  CHECK(count(*stat(rate, "        reduce: mean\n")) == 0);
  CHECK(count(*stat("sum(increase(images_processed_total{job=~\"$job\", instance=~\"$instance\"}[$__range]))")) == 0);
  CHECK(count(*run(with_query(rate))) == 0);
}

namespace {
// kHead with the built-in model variable too (line 3); the query is still line 11.
std::string with_model(const std::string& expr, const std::string& extra = "") {
  std::string text = with_query(expr, extra);
  return text.replace(text.find("[datasource, job, instance]"), 27, "[datasource, job, instance, model]");
}
std::size_t count_of(const Run& r, const std::string& check) {
  return static_cast<std::size_t>(
      std::count_if(r.diags.begin(), r.diags.end(), [&](const auto& d) { return d.check == check; }));
}
} // namespace

TEST_CASE("a variable matched on a label the series do not have empties the panel") {
  // sahi_slices_per_image has no model label (catalog): line 11, the matcher at column 92.
  const std::string q = "sum(rate(sahi_slices_per_image_count{job=~\"$job\", instance=~\"$instance\", "
                        "model=~\"$model\"}[$__rate_interval]))";
  auto r = run(with_model(q, "        unit: short\n"));
  INFO(dump(r->diags));
  REQUIRE(has(*r, "dashboards/variable-label", 12, 92));
  CHECK(r->diags.size() == 1); // catalog/unknown-label gives way on the same matcher
  CHECK(r->diags[0].severity == core::Severity::error);
  CHECK(r->diags[0].message.find("the query shows nothing") != std::string::npos);
  // !~ keeps every series: the selection is ignored.
  std::string negated = q;
  negated.replace(negated.find("model=~"), 7, "model!~");
  r = run(with_model(negated, "        unit: short\n"));
  INFO(dump(r->diags));
  REQUIRE(has(*r, "dashboards/variable-label", 12, 92));
  CHECK(r->diags[0].message.find("ignores what $model selects") != std::string::npos);

  // The proof, with the catalog's labels: what Grafana writes for $model (All: .+; one model)
  // selects nothing from a series without model; the negation keeps it.
  engine::Storage store;
  const engine::Labels series = {
      {"__name__", "sahi_slices_per_image_count"}, {"instance", "app:8000"}, {"job", "neurosymbolic-app"}};
  for (std::int64_t t = 0; t <= 600; t += 15) store.add(series, t * 1000, static_cast<double>(t));
  Variable model;
  model.name.value = "model";
  auto eval = [&](const std::string& expr, const std::string& value) {
    std::string text = interpolate(expr, [&](const VariableRef& ref) {
      return ref.name == "model" ? value : ref.name == "__rate_interval" ? std::string("1m") : std::string(".+");
    });
    auto parsed = promql::parse(text);
    REQUIRE(parsed.ok());
    return engine::instant(*parsed.expr(), store, 600 * 1000).value.vector.size();
  };
  CHECK(all_value(model) == ".+");
  CHECK(eval(q, all_value(model)) == 0);
  CHECK(eval(q, "yolov8") == 0);
  CHECK(eval(negated, "yolov8") == 1);
  // Clean: the label is the metric's.
  r = run(with_model("sum(rate(inference_time_seconds_count{job=~\"$job\", instance=~\"$instance\", "
                     "model=~\"$model\"}[$__rate_interval]))"));
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
}

TEST_CASE("a panel that ignores $model says so") {
  // images_processed_total has no model label: the panel shows every model (line 8, the title).
  const std::string q = "sum(rate(images_processed_total{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval]))";
  auto r = run(with_model(q));
  INFO(dump(r->diags));
  REQUIRE(has(*r, "dashboards/variable-label", 8, 16));
  CHECK(r->diags.size() == 1);
  CHECK(r->diags[0].severity == core::Severity::warning);
  // A metric with model, without the matcher: ignored too.
  r = run(
      with_model("sum(rate(inference_time_seconds_count{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval]))"));
  CHECK(has(*r, "dashboards/variable-label", 8, 16));
  // Said in its words; or a dashboard without $model.
  std::string said = with_model(q);
  said.replace(said.find("CPU usage."), 10, "Images of every model per second.");
  r = run(said);
  INFO(dump(r->diags));
  CHECK(count_of(*r, "dashboards/variable-label") == 0);
  CHECK(count_of(*run(with_query(q)), "dashboards/variable-label") == 0);
  // A single-value picker serves the panels that use it; ALERTS may carry any label.
  std::string single = with_query(q);
  single.replace(single.find("[datasource, job, instance]"), 27,
                 "\n  - datasource\n  - job\n  - instance\n  - {name: model, query: 'label_values(inference_time_"
                 "seconds_count, model)', multi: false, include_all: false}");
  r = run(single);
  INFO(dump(r->diags));
  CHECK(count_of(*r, "dashboards/variable-label") == 0);
  r = run(with_model("count(ALERTS{alertstate=\"firing\"})", "        unit: short\n"));
  INFO(dump(r->diags));
  CHECK(count_of(*r, "dashboards/variable-label") == 0);
}

TEST_CASE("a quantile that pools the models $model selects") {
  // sum by (le) takes model off: line 11, the call at column 19.
  auto r = run(with_model("histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket{job=~\"$job\", "
                          "instance=~\"$instance\", model=~\"$model\"}[$__rate_interval])))"));
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/quantile-blend", 11, 19));
  CHECK(r->diags.size() == 1);
  r = run(with_model("quantile(0.9, sum by (model) (rate(inference_time_seconds_count{job=~\"$job\", "
                     "instance=~\"$instance\", model=~\"$model\"}[$__rate_interval])))"));
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/quantile-blend", 11, 19));
  // Clean: per model; pooled instances (replicas); a single-value model variable.
  r = run(with_model("histogram_quantile(0.95, sum by (le, model) (rate(inference_time_seconds_bucket{job=~\"$job\", "
                     "instance=~\"$instance\", model=~\"$model\"}[$__rate_interval])))"));
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
  std::string single = kHead;
  single.replace(
      single.find("[datasource, job, instance]"), 27,
      "\n  - datasource\n  - job\n  - instance\n  - {name: model, query: 'label_values(inference_time_seconds_"
      "count, model)', multi: false, include_all: false}");
  r = run(single + "        queries:\n          - expr: histogram_quantile(0.95, sum by (le) "
                   "(rate(inference_time_seconds_bucket{job=~\"$job\", instance=~\"$instance\", "
                   "model=~\"$model\"}[$__rate_interval])))\n");
  INFO(dump(r->diags));
  CHECK(count_of(*r, "dashboards/quantile-blend") == 0);
}

TEST_CASE("a threshold on a quantile between two bucket bounds, or above the largest") {
  // inference_time_seconds: bounds 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10 (catalog).
  const std::string q = "histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket{job=~\"$job\", "
                        "instance=~\"$instance\"}[$__rate_interval])))";
  auto at = [&](const std::string& value) {
    return run(with_query(q, "        thresholds:\n          - {value: " + value + ", color: red}\n"));
  };
  auto r = at("3");
  INFO(dump(r->diags));
  REQUIRE(has(*r, "dashboards/bucket-threshold", 13, 19));
  CHECK(r->diags[0].message ==
        "the threshold at 3 s (red) lies between the bucket bounds 2 s and 5 s: the p95 of inference_time_seconds is "
        "interpolated linearly there, so a reading of 3 s means a true value anywhere from 2 s to 5 s (up to 2 s "
        "off), and the colour at the threshold is a guess");
  // The width as the bounds write it, not 0.30000000000000004.
  r = at("0.8");
  REQUIRE(has(*r, "dashboards/bucket-threshold", 13, 19));
  CHECK(r->diags[0].message.find("(up to 0.3 s off)") != std::string::npos);
  r = at("20");
  INFO(dump(r->diags));
  REQUIRE(has(*r, "dashboards/bucket-threshold", 13, 19));
  CHECK(r->diags[0].message.find("never reads above 10 s") != std::string::npos);
  // Clean: on a bound; a threshold on a quantile's neighbour query is not judged.
  CHECK(at("2")->diags.empty());
  CHECK(at("0.5")->diags.empty());
  r = run(with_query("cpu_usage_percent{job=~\"$job\", instance=~\"$instance\"}",
                     "        thresholds:\n          - {value: 3, color: red}\n"));
  CHECK(r->diags.empty());
}

TEST_CASE("a latency SLO the panel names at a bound its histogram lacks") {
  const std::string ratio = "sum(rate(inference_time_seconds_bucket{job=~\"$job\", instance=~\"$instance\", "
                            "le=\"1.0\"}[$__rate_interval])) / sum(rate(inference_time_seconds_count{job=~\"$job\", "
                            "instance=~\"$instance\"}[$__rate_interval]))";
  auto panel = [&](const std::string& description, const std::string& extra) {
    std::string text = with_query(ratio, extra);
    return run_with_facts(text.replace(text.find("CPU usage."), 10, description));
  };
  // slo: on the panel (its thresholds the objective's, no quantile): the bound at 0.8 s is no
  // bucket bound; line 10, the SLO's name at column 14.
  auto r = panel("Images under the bound.", "        unit: percentunit\n        slo: under-800ms\n");
  INFO(dump(r->diags));
  REQUIRE(has(*r, "dashboards/bucket-threshold", 11, 14));
  CHECK(r->diags.size() == 1);
  CHECK(r->diags[0].message ==
        "the under-800ms SLO's bound, le 0.8, is not a bucket bound of inference_time_seconds (0.01, 0.05, 0.1, 0.5, "
        "1, 2, 5, 10): no _bucket series counts the requests under it, so what the panel shows of the SLO is "
        "interpolated between two bounds");
  // Cited in the description, at the citation (line 9, column 34); once when also slo:.
  r = panel("Share under {slo:under-800ms}.", "        unit: percentunit\n");
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/bucket-threshold", 9, 34));
  r = panel("Share under {slo:under-800ms}.", "        unit: percentunit\n        slo: under-800ms\n");
  CHECK(count_of(*r, "dashboards/bucket-threshold") == 1);
  // Clean: a bound the histogram has; an SLO that is not a latency's.
  r = panel("Images under the bound.", "        unit: percentunit\n        slo: inference-latency\n");
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
  r = panel("Images under the bound.", "        unit: percentunit\n        slo: inference-success\n");
  CHECK(count_of(*r, "dashboards/bucket-threshold") == 0);
}

TEST_CASE("thresholds that contradict the SLO or alert the description cites") {
  const std::string latency = "histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket{job=~\"$job\", "
                              "instance=~\"$instance\"}[$__rate_interval])))";
  auto panel = [](const std::string& description, const std::string& expr, const std::string& thresholds,
                  const std::string& unit = "") {
    std::string text = with_query(expr, unit + "        thresholds:\n" + thresholds);
    return run_with_facts(text.replace(text.find("CPU usage."), 10, description));
  };
  // A latency line at an alert's 5 s under the 1 s latency SLO it cites: line 9, the citation at 48.
  auto r = panel("Inference latency; the red line is {slo:inference-latency}.", latency,
                 "          - {value: 5, color: red}\n");
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/threshold-cited", 9, 57));
  r = panel("Inference latency; the red line is {slo:inference-latency}.", latency,
            "          - {value: 1, color: red}\n");
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
  // An error count red at 1 under an SLO that allows 1% of failures; without colour it is clean.
  const std::string errors = "sum(increase(errors_total{job=~\"$job\", instance=~\"$instance\"}[$__range]))";
  r = panel("Errors; {slo:inference-success} says whether they are too many.", errors,
            "          - {value: 1, color: red}\n", "        unit: short\n");
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/threshold-cited", 9, 30));
  r = panel("Errors; {slo:inference-success} says whether they are too many.", errors, "          - {color: text}\n",
            "        unit: short\n");
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
  // A CPU line at 80 (red) where the alert it cites fires above 90; at 90 it agrees.
  const std::string cpu = "cpu_usage_percent{job=~\"$job\", instance=~\"$instance\"}";
  r = panel("CPU usage; {alert:HighCPUUsage}.", cpu, "          - {value: 80, color: red}\n");
  INFO(dump(r->diags));
  CHECK(has(*r, "dashboards/threshold-cited", 9, 33));
  r = panel("CPU usage; {alert:HighCPUUsage}.", cpu,
            "          - {value: 80, color: orange}\n          - {value: 90, color: red}\n");
  INFO(dump(r->diags));
  CHECK(r->diags.empty());
}

TEST_CASE("a panel reading a recording that the prometheus.yml beside its rule file does not load") {
  auto r = std::make_unique<Run>();
  std::vector<rules::RuleFile> files = {rules::load_rule_file(
      r->sources.add("rules/records.yml", "groups:\n  - name: e\n    rules:\n      - record: job:errors:rate5m\n"
                                          "        expr: sum by (job) (rate(errors_total[5m]))\n"),
      r->diags)};
  const auto recorded = lint::recorded_metrics(files, catalog::embedded());
  RuleFacts facts;
  facts.unloaded["rules/records.yml"] = "rules/prometheus.yml";
  const std::string text =
      "uid: t\ntitle: T\nvariables: [datasource]\nrows:\n  - title: R\n    panels:\n      - type: timeseries\n"
      "        title: Errors\n        description: Errors per second.\n        unit: cps\n        queries:\n"
      "          - expr: sum(job:errors:rate5m)\n";
  r->t = load_template(r->sources.add("t.yml", text), {}, r->diags);
  check(r->t, catalog::embedded(), recorded, facts, r->diags);
  INFO(dump(r->diags));
  REQUIRE(has(*r, "dashboards/rule-not-loaded", 12, 23));
  CHECK(r->diags[0].suggestion == "add 'records.yml' to rule_files of rules/prometheus.yml");
  // Loaded: clean.
  auto ok = std::make_unique<Run>();
  ok->t = load_template(ok->sources.add("t.yml", text), {}, ok->diags);
  check(ok->t, catalog::embedded(), recorded, RuleFacts{}, ok->diags);
  INFO(dump(ok->diags));
  CHECK(ok->diags.empty());
}
