#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <string>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/metrics_checks.hpp"

using namespace nsmon;
using expfmt::MetricType;

namespace {

std::set<std::string> naming(std::string_view name, MetricType type, bool help = true) {
  std::vector<lint::NamingProblem> out;
  lint::naming_problems(name, type, help, out);
  std::set<std::string> s;
  for (const auto& p : out) s.insert(std::string(p.check.id()) + ": " + p.message);
  return s;
}

std::vector<core::Diagnostic> check(const std::string& text, bool with_catalog = true,
                                    expfmt::Format f = expfmt::Format::text) {
  lint::MetricsOptions o;
  o.catalog = with_catalog ? &catalog::embedded() : nullptr;
  return lint::check_metrics(text, f, "scrape", o);
}

bool has(const std::vector<core::Diagnostic>& d, const std::string& check, const std::string& part = "") {
  for (const auto& x : d)
    if (x.check == check && x.message.find(part) != std::string::npos) return true;
  return false;
}

} // namespace

TEST_CASE("promlint's naming rules, word for word", "[lint][metrics]") {
  CHECK(naming("http_requests_total", MetricType::counter).empty());
  CHECK(naming("x", MetricType::gauge, false) == std::set<std::string>{"metrics/no-help: no help text"});
  CHECK(naming("request_milliseconds", MetricType::gauge) ==
        std::set<std::string>{"metrics/base-unit: use base unit \"seconds\" instead of \"milliseconds\""});
  CHECK(naming("jobs", MetricType::counter) ==
        std::set<std::string>{"metrics/counter-total: counter metrics should have \"_total\" suffix"});
  CHECK(naming("depth_total", MetricType::gauge) ==
        std::set<std::string>{"metrics/non-counter-total: non-counter metrics should not have \"_total\" suffix"});
  CHECK(naming("depth_total", MetricType::unknown).empty()); // untyped: neither rule applies
  CHECK(naming("graph_nodes_count", MetricType::gauge) ==
        std::set<std::string>{
            "metrics/reserved-suffix: non-histogram and non-summary metrics should not have \"_count\" suffix"});
  CHECK(naming("x_bucket", MetricType::summary) ==
        std::set<std::string>{"metrics/reserved-suffix: non-histogram metrics should not have \"_bucket\" suffix"});
  CHECK(naming("queue_gauge_size", MetricType::gauge) ==
        std::set<std::string>{"metrics/type-in-name: metric name should not include type 'gauge'"});
  CHECK(naming("a:b", MetricType::gauge) ==
        std::set<std::string>{"metrics/colon: metric names should not contain ':'"});
  CHECK(naming("httpRequests", MetricType::gauge) ==
        std::set<std::string>{"metrics/camel-case: metric names should be written in 'snake_case' not 'camelCase'"});
  CHECK(naming("build_SEC", MetricType::gauge) ==
        std::set<std::string>{"metrics/unit-abbreviation: metric names should not contain abbreviated units"});
}

TEST_CASE("units: a known prefix makes a unit, a longer word does not", "[lint][metrics]") {
  CHECK(lint::unit_in_name("road_kilometers").unit == "kilometers");
  CHECK(lint::unit_in_name("road_kilometers").base == "meters");
  CHECK(lint::unit_in_name("thermometers_total").unit.empty());
  CHECK(lint::unit_in_name("heap_gibibytes").base == "bytes");
  CHECK(lint::unit_in_name("x_bytes").unit == "bytes");
  // With two unit words promlint's answer depends on Go's map order; nsmon's is fixed.
  auto u = lint::unit_in_name("walk_miles_weeks");
  CHECK((u.unit == "miles" || u.unit == "weeks"));
}

TEST_CASE("label rules: le outside histograms, quantile outside summaries, camelCase", "[lint][metrics]") {
  std::vector<lint::NamingProblem> out;
  lint::label_naming_problems("le", MetricType::gauge, out);
  lint::label_naming_problems("le", MetricType::histogram, out);
  lint::label_naming_problems("quantile", MetricType::summary, out);
  lint::label_naming_problems("le", MetricType::unknown, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].message == "non-histogram metrics should not have \"le\" label");
  out.clear();
  lint::label_naming_problems("statusCode", MetricType::unknown, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].check == "metrics/camel-case");
}

TEST_CASE("every metrics/* id a finding can carry is in the checks table", "[lint][metrics]") {
  std::string bad =
      "# TYPE learning_rate counter\nlearning_rate 1\n# TYPE training_los gauge\ntraining_los 1\n"
      "# HELP gpu_memory_allocated_mb x\n# TYPE gpu_memory_allocated_mb gauge\ngpu_memory_allocated_mb 1\n"
      "cpu_usage_percent{core=\"1\"} 3\nx{ 1\n";
  for (const auto& d : check(bad)) {
    INFO(d.check.id());
    CHECK(lint::find_check(d.check.id()) != nullptr);
  }
}

TEST_CASE("what is not an exposition, or is empty, is said once", "[lint][metrics]") {
  // 3 KB of random bytes: one finding, the first line that does not parse, instead of one per
  // line and one per catalog metric (issue 48: 64 lines).
  std::mt19937 rng(48);
  std::string junk;
  for (int i = 0; i < 3000; ++i) junk += static_cast<char>(rng() & 0xff);
  for (bool with_catalog : {true, false}) {
    auto d = check(junk, with_catalog);
    REQUIRE(d.size() == 1);
    CHECK(d[0].check == "metrics/syntax");
    CHECK(d[0].message.starts_with("not an exposition (text format 0.0.4 or OpenMetrics 1.0): "));
    CHECK(d[0].span.line == 1);
  }
  auto html = check("<!DOCTYPE html>\n<html><body>Sign in</body></html>\n");
  REQUIRE(html.size() == 1);
  CHECK(html[0].message ==
        "not an exposition (text format 0.0.4 or OpenMetrics 1.0): expected metric name, got \"<\" (and 1 more)");
  // Empty: one finding against the catalog; nothing to say without one (promtool says nothing).
  for (const char* empty : {"", "\n\n", "# just a comment\n"}) {
    auto e = check(empty);
    REQUIRE(e.size() == 1);
    CHECK(e[0].check == "metrics/missing-metric");
    CHECK(e[0].message.ends_with(": none of the catalog's " + std::to_string(catalog::embedded().metrics.size()) +
                                 " metrics is in it"));
    CHECK(check(empty, false).empty());
  }
  CHECK(check("")[0].message.starts_with("the exposition is empty"));
}

TEST_CASE("catalog metrics missing from a scrape are one finding", "[lint][metrics]") {
  auto d =
      check("# HELP learning_rate Current learning rate\n# TYPE learning_rate gauge\nlearning_rate{model=\"m\"} 1\n");
  std::vector<core::Diagnostic> missing;
  for (const auto& x : d)
    if (x.check == "metrics/missing-metric") missing.push_back(x);
  REQUIRE(missing.size() == 1);
  const std::size_t n = catalog::embedded().metrics.size();
  CHECK(missing[0].message.starts_with(std::to_string(n - 1) + " of the catalog's " + std::to_string(n) +
                                       " metrics are not in the exposition: "));
  CHECK(missing[0].message.find("training_loss (gauge, training)") != std::string::npos);
  CHECK(missing[0].message.find("learning_rate") == std::string::npos);
}

TEST_CASE("catalog checks on small scrapes", "[lint][metrics]") {
  SECTION("a family with the catalog's name but another TYPE") {
    auto d = check(
        "# HELP learning_rate Current learning rate\n# TYPE learning_rate counter\nlearning_rate{model=\"m\"} 1\n");
    CHECK(has(d, "metrics/type", "learning_rate is a counter here; the catalog says gauge"));
    CHECK(has(d, "metrics/missing-metric", "training_loss"));
  }
  SECTION("another exporter's scrape: one finding, not one per catalog metric") {
    auto d = check("# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.5\n");
    std::size_t missing = 0;
    for (const auto& x : d) missing += x.check == "metrics/missing-metric";
    CHECK(missing == 1);
    CHECK(has(d, "metrics/missing-metric", "it is not the application's scrape"));
  }
  SECTION("renamed and unknown metrics, with a suggestion") {
    auto d = check("# HELP memory_usage_mb m\n# TYPE memory_usage_mb gauge\nmemory_usage_mb 3\n"
                   "# HELP training_los x\n# TYPE training_los gauge\ntraining_los 1\n");
    CHECK(has(d, "metrics/renamed-metric", "memory_usage_mb was renamed to memory_usage_bytes"));
    CHECK(has(d, "metrics/unknown-metric", "training_los"));
    CHECK_FALSE(has(d, "metrics/missing-metric", "memory_usage_bytes")); // the rename counts as seen
  }
  SECTION("labels: unknown, missing, values outside the fixed set") {
    auto d = check("# HELP images_processed_total t\n# TYPE images_processed_total counter\n"
                   "images_processed_total{stage=\"inference\",status=\"skipped\"} 1\n"
                   "images_processed_total{status=\"success\",gpu=\"0\"} 1\n");
    CHECK(has(d, "metrics/unknown-label-value", "never has the value \"skipped\""));
    CHECK(has(d, "metrics/unknown-label", "has no label gpu"));
    CHECK(has(d, "metrics/missing-label", "has no label stage"));
  }
  SECTION("histogram buckets compare as numbers: le=\"1\" is le=\"1.0\"") {
    std::string h = "# HELP sahi_slices_per_image SAHI slices per image\n# TYPE sahi_slices_per_image histogram\n";
    std::string ok = h;
    for (const char* le : {"1", "2.0", "4", "8.0", "16", "32", "64", "1.28e2", "+Inf"})
      ok += std::string("sahi_slices_per_image_bucket{le=\"") + le + "\"} 0\n";
    ok += "sahi_slices_per_image_sum 0\nsahi_slices_per_image_count 0\n";
    CHECK_FALSE(has(check(ok), "metrics/buckets"));
    std::string other = h + "sahi_slices_per_image_bucket{le=\"3\"} 0\nsahi_slices_per_image_bucket{le=\"+Inf\"} 0\n"
                            "sahi_slices_per_image_count 0\n";
    auto d = check(other);
    CHECK(has(d, "metrics/buckets", "has the buckets 3, +Inf"));
    CHECK(has(d, "metrics/missing-series", "sahi_slices_per_image_sum"));
  }
  SECTION("text-format _created gauges and x_info belong to their metric") {
    auto d =
        check("# HELP errors_total e\n# TYPE errors_total counter\nerrors_total{error_type=\"E\",stage=\"s\"} 1\n"
              "# HELP errors_created e\n# TYPE errors_created gauge\nerrors_created{error_type=\"E\",stage=\"s\"} 1\n"
              "# HELP app_info_info Application information\n# TYPE app_info_info gauge\n"
              "app_info_info{app_name=\"a\",model=\"m\",python_version=\"3\",version=\"1\"} 1\n");
    CHECK_FALSE(has(d, "metrics/unknown-metric"));
    CHECK_FALSE(has(d, "metrics/type"));
    CHECK_FALSE(has(d, "metrics/missing-metric", "errors_total"));
    CHECK_FALSE(has(d, "metrics/missing-metric", "app_info"));
  }
  SECTION("HELP, UNIT and TYPE are compared only when the scrape has them") {
    // No HELP line: metrics/no-help from the naming rules, not a HELP that differs from the catalog.
    auto d = check("# TYPE learning_rate gauge\nlearning_rate{model=\"m\"} 1\n");
    CHECK(has(d, "metrics/no-help"));
    CHECK_FALSE(has(d, "metrics/help"));
    CHECK(has(check("# HELP learning_rate other words\n# TYPE learning_rate gauge\nlearning_rate{model=\"m\"} 1\n"),
              "metrics/help", "HELP differs"));
    // The catalog's unit "count" is no unit: any # UNIT goes; a real unit must match.
    std::string counted = "# TYPE detections_per_image histogram\n# UNIT detections_per_image image\n"
                          "detections_per_image_bucket{le=\"+Inf\"} 1\ndetections_per_image_count 1\n"
                          "detections_per_image_sum 1\n# EOF\n";
    CHECK_FALSE(has(check(counted, true, expfmt::Format::openmetrics), "metrics/unit"));
    std::string bytes =
        "# TYPE memory_usage_bytes gauge\n# UNIT memory_usage_bytes usage_bytes\nmemory_usage_bytes 1\n# EOF\n";
    CHECK(has(check(bytes, true, expfmt::Format::openmetrics), "metrics/unit", "the catalog's unit is bytes"));
    // A text-format _created series without # TYPE is untyped, which a gauge may be.
    auto created =
        check("# HELP errors_total e\n# TYPE errors_total counter\nerrors_total{error_type=\"E\",stage=\"s\"} 1\n"
              "errors_created{error_type=\"E\",stage=\"s\"} 1\n");
    CHECK_FALSE(has(created, "metrics/type"));
    auto created_counter = check("# HELP errors_total e\n# TYPE errors_total counter\n"
                                 "errors_total{error_type=\"E\",stage=\"s\"} 1\n"
                                 "# TYPE errors_created counter\nerrors_created{error_type=\"E\",stage=\"s\"} 1\n");
    CHECK(has(created_counter, "metrics/type", "a _created series is a gauge"));
  }
  SECTION("external namespaces get the naming rules only") {
    auto d = check(
        "# HELP process_cpu_seconds_total c\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1\n");
    CHECK_FALSE(has(d, "metrics/unknown-metric"));
  }
}

TEST_CASE("positions: the family name on its line, the label in the sample", "[lint][metrics]") {
  auto d = check("# HELP x_ms t\n# TYPE x_ms gauge\nx_ms{fooBar=\"1\"} 1\n", false);
  REQUIRE(d.size() == 2);
  CHECK(d[0].check == "metrics/unit-abbreviation");
  CHECK(d[0].span.line == 1);
  CHECK(d[0].span.col == 8);
  CHECK(d[1].check == "metrics/camel-case");
  CHECK(d[1].span.line == 3);
  CHECK(d[1].span.col == 6);
}

TEST_CASE("a large scrape parsed in two halves gives the findings of one pass", "[lint][metrics]") {
  std::string text;
  for (int f = 0; f < 40; ++f) {
    std::string name = "fam" + std::to_string(f) + (f % 3 ? "_total" : "_ms");
    text += "# HELP " + name + " h\n# TYPE " + name + (f % 2 ? " counter\n" : " gauge\n");
    for (int i = 0; i < 300; ++i)
      text += name + "{cam=\"c" + std::to_string(i) + "\",camelCase=\"x\"} " + std::to_string(i) + "\n";
  }
  text += "fam1_total{cam=\"c1\",camelCase=\"x\"} 4\n"; // a family reopened in the second half
  text.insert(text.size() / 4, "broken{ 1\n");          // a parse error in the first half
  text += "also_broken 1 2 3\n";                        // and one in the second
  lint::MetricsOptions o;
  o.parallel_above = static_cast<std::size_t>(-1);
  auto whole = lint::check_metrics(text, expfmt::Format::text, "f", o);
  o.parallel_above = 1;
  auto halves = lint::check_metrics(text, expfmt::Format::text, "f", o);
  auto list = [](const std::vector<core::Diagnostic>& v) {
    std::string out;
    for (const auto& d : v)
      out += std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + std::string(d.check.id()) + " " +
             d.message + "\n";
    return out;
  };
  INFO("whole:\n" << list(whole) << "halves:\n" << list(halves));
  REQUIRE(whole.size() == halves.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    INFO(whole[i].message << " | " << halves[i].message);
    CHECK(whole[i].check == halves[i].check);
    CHECK(whole[i].span.line == halves[i].span.line);
    CHECK(whole[i].span.col == halves[i].span.col);
  }
  CHECK(has(halves, "metrics/syntax", "already appeared"));
}

TEST_CASE("hostile input never crashes lint-metrics", "[lint][metrics]") {
  std::mt19937 rng(7);
  const std::string alphabet = "ab_{}=\",# \n\\\t0123456789.eE+-InfNaHELPTYPEUNIT\xff\xc3";
  lint::MetricsOptions o;
  o.catalog = &catalog::embedded();
  for (int round = 0; round < 300; ++round) {
    std::string s;
    std::size_t n = rng() % 2000;
    for (std::size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    for (auto f : {expfmt::Format::text, expfmt::Format::openmetrics}) {
      lint::MetricsSummary sum;
      CHECK_NOTHROW(lint::check_metrics(s, f, "fuzz", o, &sum));
    }
  }
  CHECK(lint::sniff_format("a 1\n# EOF\n") == expfmt::Format::openmetrics);
  CHECK(lint::sniff_format("a 1\n") == expfmt::Format::text);
}

TEST_CASE("a name the catalog declares is not a naming finding of the scrape", "[lint][metrics]") {
  // graph_nodes_count is the catalog's gauge: the catalog says it once (catalog/reserved-suffix).
  const std::string declared = "# HELP graph_nodes_count Number of nodes in knowledge graph\n"
                               "# TYPE graph_nodes_count gauge\ngraph_nodes_count{image_id=\"1\"} 29\n";
  CHECK(!has(check(declared), "metrics/reserved-suffix"));
  CHECK(has(check(declared, false), "metrics/reserved-suffix", "graph_nodes_count: ")); // no catalog: promtool's
  // Not the catalog's type: the exposition is not the declaration, and promtool's rule stands.
  CHECK(has(check("# HELP graph_nodes_count Number of nodes in knowledge graph\n"
                  "# TYPE graph_nodes_count summary\ngraph_nodes_count{image_id=\"1\"} 29\n"),
            "metrics/type"));
  // Undeclared: the finding stays.
  auto foo = check("# HELP foo_count Things\n# TYPE foo_count gauge\nfoo_count 3\n");
  CHECK(has(foo, "metrics/reserved-suffix", "foo_count: non-histogram and non-summary metrics"));
}
