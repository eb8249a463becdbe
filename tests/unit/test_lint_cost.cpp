// lint/cost: each rule's estimated samples per evaluation, worked out by hand on a small catalog,
// and which rules are far above the rest (rules/cost, server/cost).
#include <catch2/catch.hpp>

#include "nsmon/lint/cost.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/policy.hpp"
#include "nsmon/promql/parser.hpp"

using namespace nsmon;

namespace {

// code: 3 fixed values; path: high-cardinality (CostModel::kHighCardinality values); method: open.
const char* kCatalog = R"(catalog_version: 1
metrics:
  - name: req_total
    type: counter
    help: requests
    unit: count
    stage: app
    labels:
      code: {values: ['200', '404', '500']}
      path: {high_cardinality: true}
      method: {}
  - name: lat_seconds
    type: histogram
    help: latency
    unit: seconds
    stage: app
    buckets: [0.1, 1]
    labels:
      code: {values: ['200', '404', '500']}
)";

const char* kConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 1m}
scrape_configs:
  - job_name: app
    scrape_interval: 30s
    static_configs: [{targets: ['localhost:8000']}]
  - job_name: slow
    scrape_interval: 2m
    static_configs: [{targets: ['localhost:8001']}]
  - job_name: workers
    static_configs: [{targets: ['w1:8000', 'w2:8000', 'w3:8000']}]
)";

struct World {
  core::SourceFile cat_src{"catalog.yml", kCatalog};
  core::SourceFile cfg_src{"prometheus.yml", kConfig};
  std::vector<core::Diagnostic> diags;
  catalog::Catalog cat;
  rules::Config cfg;
  World() {
    cat = catalog::load(cat_src, diags);
    cfg = rules::load_config(cfg_src, diags);
    REQUIRE(diags.empty());
  }
};

// The estimate of one expression in a group evaluated every minute.
std::optional<lint::Estimate> estimate(const lint::CostModel& model, const std::string& expr) {
  auto parsed = promql::parse(expr, {});
  REQUIRE(parsed.ok());
  return model.estimate(*parsed.expr(), 60000);
}

} // namespace

TEST_CASE("cost: a selector counts its labels' values, a range its scrapes", "[lint][cost]") {
  World w;
  lint::CostModel model(w.cat, &w.cfg);
  const double path = lint::CostModel::kHighCardinality;
  // Instant: 3 codes x 100 paths x 1 method, one sample each.
  auto e = estimate(model, "req_total");
  REQUIRE(e);
  CHECK(e->series_read == 3 * path);
  CHECK(e->samples == 3 * path);
  // A matcher keeps the fixed values it accepts; no job pinned: the global 15s scrape interval
  // (the catalog names no job of the application), so 5m holds 20 samples.
  e = estimate(model, "rate(req_total{code=~\"5..\"}[5m])");
  REQUIRE(e);
  CHECK(e->series_read == path);
  CHECK(e->samples == path * 20);
  // A pinned job reads at its own interval (30s: 10 samples in 5m; 2m: 3).
  CHECK(estimate(model, "rate(req_total{job=\"app\",code=\"200\"}[5m])")->samples == path * 10);
  CHECK(estimate(model, "rate(req_total{job=\"slow\",code=\"200\"}[5m])")->samples == path * 3);
  // Each static target of the job exports its own series; instance= keeps one.
  CHECK(estimate(model, "req_total{job=\"workers\",code=\"200\"}")->series_read == 3 * path);
  CHECK(estimate(model, "req_total{job=\"workers\",instance=\"w1:8000\",code=\"200\"}")->series_read == path);
  CHECK(estimate(model, "sum by (instance) (req_total{job=\"workers\"})")->series == 3);
  // sum by (code) returns the codes; the histogram's le values are counted and dropped by
  // histogram_quantile.
  e = estimate(model, "sum by (code) (rate(req_total[1m]))");
  CHECK(e->series == 3);
  CHECK(e->samples == 3 * path * 4);
  e = estimate(model, "histogram_quantile(0.9, sum by (le) (rate(lat_seconds_bucket[5m])))");
  CHECK(e->series_read == 9); // 3 codes x (2 buckets + Inf)
  CHECK(e->series == 1);
  CHECK(e->samples == 9 * 20);
  // le matchers keep the bounds they accept, spelt as Go ("1") or as Python's client ("1.0").
  CHECK(estimate(model, "lat_seconds_bucket{le=~\"1|1\\\\.0\"}")->series_read == 3);
  CHECK(estimate(model, "lat_seconds_bucket{le=\"+Inf\"}")->series_read == 3);
  CHECK(estimate(model, "lat_seconds_bucket{le!=\"+Inf\"}")->series_read == 6);
  // A subquery reads its inside once a step: 60 steps of 100 series x 20 samples.
  CHECK(estimate(model, "max_over_time(rate(req_total{code=\"200\"}[5m])[1h:1m])")->samples == 60 * path * 20);
  // One-to-one matching returns the smaller side; or, both.
  CHECK(estimate(model, "sum by (code) (req_total) / on (code) sum by (code, path) (req_total)")->series == 3);
  CHECK(estimate(model, "sum(req_total) or sum by (code) (req_total)")->series == 4);
  // Another exporter's metric: no guess.
  CHECK_FALSE(estimate(model, "rate(node_cpu_seconds_total[5m]) + sum(req_total)"));
  CHECK(estimate(model, "vector(1)")->samples == 0);
}

TEST_CASE("cost: a recording is read at its group's interval, through chains of recordings", "[lint][cost]") {
  World w;
  core::SourceFile src("r.yml", R"(groups:
  - name: fast
    interval: 30s
    rules:
      - record: code:req:rate5m
        expr: sum by (code) (rate(req_total[5m]))
      - record: req:rate5m
        expr: sum(code:req:rate5m)
      - record: slo:ratio
        expr: vector(0.99)
        labels: {slo: a}
      - record: slo:ratio
        expr: vector(0.9)
        labels: {slo: b}
)");
  std::vector<core::Diagnostic> diags;
  auto file = rules::load_rule_file(src, diags);
  std::vector<std::unique_ptr<promql::ParseResult>> trees;
  std::vector<lint::RecordingRule> recordings;
  for (const auto& g : file.groups)
    for (const auto& r : g.rules) {
      trees.push_back(std::make_unique<promql::ParseResult>(promql::parse(r.expr.value, {})));
      recordings.push_back({&g, &r, trees.back()->expr()});
    }
  lint::CostModel model(w.cat, &w.cfg);
  model.learn(recordings);
  // 1h of a series recorded every 30s: 120 samples; code="500" keeps one of the three.
  CHECK(estimate(model, "sum_over_time(code:req:rate5m{code=\"500\"}[1h])")->samples == 120);
  CHECK(estimate(model, "sum_over_time(code:req:rate5m[1h])")->samples == 3 * 120);
  CHECK(estimate(model, "avg_over_time(req:rate5m[1h])")->samples == 120); // a recording of a recording
  // Two rules write slo:ratio apart by their slo label.
  CHECK(estimate(model, "slo:ratio")->series_read == 2);
  CHECK(estimate(model, "slo:ratio{slo=\"a\"}")->series_read == 1);
}

TEST_CASE("cost: a deeply nested expression is estimated without recursion", "[lint][cost]") {
  World w;
  lint::CostModel model(w.cat, &w.cfg);
  const std::string expr = std::string(20000, '(') + "req_total" + std::string(20000, ')');
  auto parsed = promql::parse(expr, {});
  REQUIRE(parsed.ok());
  CHECK(model.estimate(*parsed.expr(), 60000)->samples == 3 * lint::CostModel::kHighCardinality);
}

namespace {

// Rules of one group each with their samples; interval in seconds.
struct Costs {
  std::vector<rules::Rule> rules;
  std::vector<rules::Group> groups;
  rules::RuleFile file;
  std::vector<lint::RuleCost> costs;
  Costs(const std::vector<std::pair<double, int>>& samples_every) {
    rules.resize(samples_every.size());
    groups.resize(samples_every.size());
    file.path = "r.yml";
    for (std::size_t i = 0; i < samples_every.size(); ++i) {
      rules[i].name.value = "r" + std::to_string(i);
      rules[i].expr.span = {"r.yml", static_cast<int>(i + 1), 1, 1};
      groups[i].name.value = "g";
      lint::RuleCost c;
      c.file = &file;
      c.group = &groups[i];
      c.rule = &rules[i];
      c.interval_ms = samples_every[i].second * 1000;
      c.estimate = lint::Estimate{1, 1, samples_every[i].first};
      costs.push_back(c);
    }
  }
  std::vector<std::string> outliers(const lint::Policy& p = {}, bool exact = false) const {
    std::vector<std::string> out;
    for (const auto& d : lint::cost_outliers(costs, p, exact, nullptr))
      out.push_back(d.rule + " " + std::string(d.check.id()));
    return out;
  }
};

} // namespace

TEST_CASE("cost: far above the median rule's load, and over the floor", "[lint][cost]") {
  using V = std::vector<std::string>;
  // The median load is 1,000 samples a minute; 2,000,000 a minute is far above it.
  Costs c({{1000, 60}, {900, 60}, {1100, 60}, {2000000, 60}, {1000, 60}});
  CHECK(c.outliers() == V{"r3 rules/cost"});
  // Under the floor (1,000,000 samples an evaluation by default), however far above the rest.
  Costs small({{10, 60}, {10, 60}, {10, 60}, {900000, 60}});
  CHECK(small.outliers().empty());
  lint::Policy low;
  low.cost_min_samples = 1000;
  CHECK(small.outliers(low) == V{"r3 rules/cost"});
  // The same read every 6h is the cheap form of it: 2,000,000 / 21,600 s (93 a second) is under ten
  // times the median's 1,000 / 60 s (17 a second).
  Costs slow({{1000, 60}, {900, 60}, {1100, 60}, {2000000, 21600}, {1000, 60}});
  CHECK(slow.outliers().empty());
  // Two rules have no "rest".
  Costs two({{1, 60}, {5000000, 60}});
  CHECK(two.outliers().empty());
  // rules/expensive-range said why already.
  c.costs[3].explained = true;
  CHECK(c.outliers().empty());
  // With the server's counts: server/cost, and the estimates are not used.
  c.costs[3].explained = false;
  for (auto& x : c.costs) x.server_samples = 50;
  CHECK(c.outliers({}, true).empty());
  c.costs[0].server_samples = 3000000;
  CHECK(c.outliers({}, true) == V{"r0 server/cost"});
}

TEST_CASE("cost: lint::run reports the outlier and gives every rule's estimate", "[lint][cost]") {
  World w;
  std::string rules = "groups:\n  - name: g\n    rules:\n";
  for (int i = 0; i < 4; ++i)
    rules += "      - record: code:req:rate5m_" + std::to_string(i) +
             "\n        expr: sum by (code) (rate(req_total[5m]))\n";
  rules += "      - record: path:req:rate1d\n        expr: sum by (path) (rate(req_total[1d]))\n";
  core::SourceFile src("r.yml", rules);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(src, diags));
  in.config = w.cfg;
  lint::Options opt;
  opt.catalog = &w.cat;
  std::vector<lint::RuleCost> costs;
  auto found = lint::run(in, opt, &costs);
  REQUIRE(costs.size() == 5);
  // 300 series: 20 samples in 5m, 5,760 in 1d at 15s.
  CHECK(costs[0].estimate->samples == 300 * 20);
  CHECK(costs[4].estimate->samples == 300 * 5760);
  std::vector<std::string> ids;
  for (const auto& d : found) ids.emplace_back(d.check.id());
  CHECK(std::count(ids.begin(), ids.end(), "rules/cost") == 1);
  // Its own line's disable comment silences it.
  rules.insert(rules.find("      - record: path:"), "      # nsmon disable rules/cost\n");
  core::SourceFile src2("r.yml", rules);
  in.rule_files[0] = rules::load_rule_file(src2, diags);
  found = lint::run(in, opt, &costs);
  CHECK(std::none_of(found.begin(), found.end(), [](const core::Diagnostic& d) { return d.check == "rules/cost"; }));
}

TEST_CASE("cost: the policy's thresholds", "[lint][cost]") {
  std::vector<core::Diagnostic> diags;
  core::SourceFile ok("policy.yml", "cost: {ratio: 20, min_samples: 5000}\n");
  auto p = lint::load_policy(ok, diags);
  CHECK(diags.empty());
  CHECK(p.cost_ratio == 20);
  CHECK(p.cost_min_samples == 5000);
  core::SourceFile bad("policy.yml", "cost: {ratio: 0.5, min_sample: 1}\n");
  p = lint::load_policy(bad, diags);
  REQUIRE(diags.size() == 2);
  CHECK(p.cost_ratio == 10);
}
