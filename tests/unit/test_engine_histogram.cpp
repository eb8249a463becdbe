// Native histograms in the engine: the arithmetic of engine/histogram.hpp and what queries make
// of histogram series (selectors and reset hints, operators, aggregations, rate, functions).
// Expected values are Prometheus's (the same cases as its promqltest scripts where they exist).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "nsmon/engine/engine.hpp"
#include "nsmon/engine/histogram.hpp"
#include "nsmon/engine/notation.hpp"
#include "nsmon/promql/parser.hpp"

using namespace nsmon;
using engine::Histogram;
using engine::Labels;

namespace {

Histogram hist(const std::string& text) {
  auto r = engine::parse_values(text);
  REQUIRE_FALSE(r.error);
  REQUIRE(r.histograms.size() == 1);
  return *r.histograms[0].h;
}

struct Fixture {
  engine::Storage storage;

  // One sample a minute from t=0, in the series notation.
  void load(const Labels& ls, const std::string& values) {
    auto r = engine::parse_values(values);
    REQUIRE_FALSE(r.error);
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      const std::int64_t t = static_cast<std::int64_t>(i) * 60'000;
      if (i < r.histograms.size() && r.histograms[i].h) storage.add(ls, t, r.histograms[i].h);
      else if (r.values[i]) storage.add(ls, t, *r.values[i]);
    }
  }

  engine::Result at(const std::string& expr, std::int64_t t) {
    auto parsed = promql::parse(expr);
    REQUIRE(parsed.ok());
    return engine::instant(*parsed.expr(), storage, t);
  }

  // "labels value" lines, a histogram as its TestExpression().
  std::string vec(const std::string& expr, std::int64_t t) {
    auto r = at(expr, t);
    if (r.error) return "error: " + *r.error;
    std::string out;
    for (const auto& x : r.value.vector)
      out +=
          engine::to_string(x.labels) + " " + (x.h ? engine::test_expression(*x.h) : engine::format_value(x.v)) + "\n";
    return out;
  }
};

} // namespace

TEST_CASE("histogram arithmetic: add reduces to the lower schema, sub marks a gauge, scale", "[engine]") {
  Histogram a = hist("{{schema:1 count:10 sum:10 buckets:[1 2 3 4]}}");
  Histogram b = hist("{{schema:0 count:1 sum:2 buckets:[1]}}");
  CHECK(engine::add(a, b) == engine::Combine::ok);
  // Schema 1 buckets 0..3 fall into schema 0 buckets 0, 1, 1, 2.
  CHECK(engine::test_expression(a) == "{{count:11 sum:12 buckets:[2 5 4]}}");
  Histogram c = hist("{{schema:0 count:11 sum:12 buckets:[2 5 4]}}");
  engine::add(c, b, true);
  CHECK(engine::test_expression(c) == "{{count:10 sum:10 buckets:[1 5 4]}}");
  engine::scale(c, -0.5);
  CHECK(c.hint == engine::ResetHint::gauge); // a negative factor makes a gauge, as Mul does
  CHECK(engine::test_expression(c) == "{{count:-5 sum:-5 counter_reset_hint:gauge buckets:[-0.5 -2.5 -2]}}");
  Histogram custom = hist("{{schema:-53 count:1 custom_values:[1] buckets:[1]}}");
  CHECK(engine::add(custom, b) == engine::Combine::mixed_schemas);
}

TEST_CASE("histogram_quantile and histogram_fraction interpolate as Prometheus does", "[engine]") {
  Histogram h = hist("{{schema:0 count:12 sum:100 z_bucket:2 z_bucket_w:0.001 buckets:[2 3 0 1 4]}}");
  CHECK(engine::histogram_quantile(1, h) == 16);
  CHECK(engine::histogram_quantile(0.99, h) == Approx(15.67072476139083));
  CHECK(engine::histogram_quantile(0.5, h) == Approx(1.5874010519681994));
  CHECK(engine::histogram_quantile(0.1, h) == Approx(0.0006)); // linear in the zero bucket
  CHECK(std::isinf(engine::histogram_quantile(1.1, h)));
  CHECK(engine::histogram_fraction(0, 1, h) == Approx(4.0 / 12)); // the zero bucket and (0.5, 1]
  Histogram nan = hist("{{schema:0 count:10 sum:NaN buckets:[4]}}");
  engine::NaNNote note = engine::NaNNote::none;
  CHECK(std::isnan(engine::histogram_quantile(0.9, nan, &note)));
  CHECK(note == engine::NaNNote::nan_result);
}

TEST_CASE("trim keeps one side of a value and re-estimates count and sum", "[engine]") {
  Histogram h = hist("{{schema:0 sum:123.75 count:34 z_bucket:1 z_bucket_w:0.001 buckets:[2 4 8 16] n_buckets:[1 2]}}");
  Histogram above = h;
  engine::trim(above, 0, false);
  CHECK(engine::test_expression(above) ==
        "{{count:30.5 sum:120.20840280171308 z_bucket:0.5 z_bucket_w:0.001 buckets:[2 4 8 16]}}");
  Histogram all = h;
  engine::trim(all, HUGE_VAL, true); // nothing trimmed: count and sum stay as they were
  CHECK(engine::test_expression(all) == engine::test_expression(h));
}

TEST_CASE("histogram series: selectors, reset hints as Prometheus reads them, rate over a reset", "[engine]") {
  Fixture f;
  f.load({{"__name__", "h"}},
         "{{count:4 sum:4 buckets:[4]}} {{count:6 sum:6 buckets:[6]}} {{count:2 sum:2 buckets:[2]}}");
  CHECK(f.vec("h", 0) == "{__name__=\"h\"} {{count:4 sum:4 buckets:[4]}}\n");
  CHECK(f.vec("h", 60'000) == "{__name__=\"h\"} {{count:6 sum:6 counter_reset_hint:not_reset buckets:[6]}}\n");
  // The reset starts a chunk: read back as unknown (prometheus/prometheus#15346).
  CHECK(f.vec("h", 120'000) == "{__name__=\"h\"} {{count:2 sum:2 buckets:[2]}}\n");
  // 2 - 4 + 6 (the value before the reset), extrapolated by 1.5 to the window's start.
  CHECK(f.vec("increase(h[3m])", 120'000) == "{} {{count:6 sum:6 counter_reset_hint:gauge buckets:[6]}}\n");
  CHECK(f.vec("resets(h[3m])", 120'000) == "{} 1\n");
  CHECK(f.vec("histogram_count(h) * 2", 60'000) == "{} 12\n");
  CHECK(f.vec("h * 2", 0) == "{} {{count:8 sum:8 buckets:[8]}}\n");
  CHECK(f.vec("h + 1", 0).empty()); // histogram + float: dropped, with an info
  CHECK(f.at("h + 1", 0).infos.size() == 1);
  CHECK(f.vec("abs(h)", 0).empty()); // float functions skip histograms
}

TEST_CASE("aggregations: sum and avg of histograms, others ignore them with an info", "[engine]") {
  Fixture f;
  f.load({{"__name__", "x"}, {"i", "1"}}, "{{count:2 sum:3 buckets:[2]}}");
  f.load({{"__name__", "x"}, {"i", "2"}}, "{{count:4 sum:5 buckets:[1 3]}}");
  CHECK(f.vec("sum(x)", 0) == "{} {{count:6 sum:8 buckets:[3 3]}}\n");
  CHECK(f.vec("avg(x)", 0) == "{} {{count:3 sum:4 buckets:[1.5 1.5]}}\n");
  CHECK(f.vec("count(x)", 0) == "{} 2\n");
  CHECK(f.vec("max(x)", 0).empty());
  CHECK(f.at("max(x)", 0).infos == std::vector<std::string>{"PromQL info: ignored histogram in max aggregation"});
  f.load({{"__name__", "x"}, {"i", "3"}}, "7");
  CHECK(f.vec("sum(x)", 0).empty()); // floats and histograms do not add up
  CHECK(f.at("sum(x)", 0).warnings.size() == 1);
}
