// lint::check_expression: lint-rules' checks on one PromQL expression (query's pre-flight).
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"

using namespace nsmon;

namespace {

std::vector<core::Diagnostic> check(const std::string& expr) {
  core::SourceFile src("<query>", expr);
  return lint::check_expression(src, catalog::embedded(), {});
}

} // namespace

TEST_CASE("check_expression: rate over a gauge", "[lint][expression]") {
  auto d = check("rate(training_loss[5m]) > 1");
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "promql/rate-on-gauge");
  CHECK(d[0].severity == core::Severity::warning);
  CHECK(d[0].span.file == "<query>");
  CHECK(d[0].span.line == 1);
  CHECK(d[0].span.col == 1);
  CHECK(d[0].span.len == 23); // rate(training_loss[5m])
  CHECK(d[0].suggestion == "use deriv() for a gauge's slope");
  CHECK(d[0].rule.empty());
  CHECK(d[0].group.empty());
}

TEST_CASE("check_expression: an unknown metric is a warning, with did-you-mean", "[lint][expression]") {
  auto d = check("sum(trainig_loss) > 1");
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "catalog/unknown-metric");
  CHECK(d[0].severity == core::Severity::warning); // an error in lint-rules: the catalog may lag the server
  CHECK(d[0].span.col == 5);
  CHECK(d[0].span.len == 12);
  CHECK(d[0].suggestion == "did you mean training_loss?");
}

TEST_CASE("check_expression: clean expressions have nothing to say", "[lint][expression]") {
  CHECK(check("sum by (model) (rate(predictions_total[5m]))").empty());
  CHECK(check("histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket[5m])))").empty());
  CHECK(check("up").empty()); // Prometheus's own series
  // A recording rule may be defined on the server; topk is only a problem in an alert.
  CHECK(check("job:foo:rate5m > 1").empty());
  CHECK(check("topk(3, training_loss)").empty());
}

TEST_CASE("check_expression: positions on later lines, sorted", "[lint][expression]") {
  auto d = check("histogram_quantile(95,\n  inference_time_seconds_bucket)");
  REQUIRE(d.size() == 2);
  CHECK(d[0].check == "promql/histogram-quantile-rate");
  CHECK(d[0].span.line == 1);
  CHECK(d[0].span.col == 1);
  CHECK(d[0].span.len == 1); // the call runs over two lines
  CHECK(d[1].check == "promql/quantile-range");
  CHECK(d[1].span.line == 1);
  CHECK(d[1].span.col == 20);
  CHECK(d[1].span.len == 2);
  d = check("sum(\n  rate(training_loss[5m]))");
  REQUIRE(d.size() == 1);
  CHECK(d[0].span.line == 2);
  CHECK(d[0].span.col == 3);
  CHECK(d[0].span.len == 23);
}

TEST_CASE("check_expression: labels/impossible-match and units/* are kept", "[lint][expression]") {
  auto d = check("sum by (model) (training_loss) / on(stage) sum by (stage) (predictions_total)");
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "labels/impossible-match");
  d = check("gpu_memory_allocated_bytes > 1000");
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "units/bytes-vs-megabytes");
}

TEST_CASE("check_expression: a syntax error stays an error", "[lint][expression]") {
  auto d = check("rate(");
  REQUIRE(!d.empty());
  CHECK(d[0].check == "promql/syntax");
  CHECK(d[0].severity == core::Severity::error);
  CHECK(d[0].span.line == 1);
}

TEST_CASE("check_expression: quantiles outside 0..1, both functions, both sides", "[lint][expression]") {
  auto only = [](const std::vector<core::Diagnostic>& d) {
    REQUIRE(d.size() == 1);
    CHECK(d[0].check == "promql/quantile-range");
    return d[0];
  };
  auto d = only(check("histogram_quantile(-0.5, sum by (le) (rate(inference_time_seconds_bucket[5m])))"));
  CHECK(d.message == "histogram_quantile takes a quantile between 0 and 1; -0.5 gives -Inf for every series");
  CHECK(d.suggestion.empty());
  CHECK(d.span.col == 20);
  CHECK(d.span.len == 4);
  d = only(check("quantile_over_time(95, training_loss[1h])"));
  CHECK(d.message == "quantile_over_time takes a quantile between 0 and 1; 95 gives +Inf for every series");
  CHECK(d.suggestion == "write 0.95");
  d = only(check("quantile_over_time(-1, training_loss[1h])"));
  CHECK(d.message == "quantile_over_time takes a quantile between 0 and 1; -1 gives -Inf for every series");
  d = only(check("quantile_over_time(150, training_loss[1h])"));
  CHECK(d.suggestion.empty()); // not a percentage
  // The bounds themselves are quantiles.
  CHECK(check("quantile_over_time(0, training_loss[1h])").empty());
  CHECK(check("quantile_over_time(1, training_loss[1h])").empty());
  CHECK(check("histogram_quantile(1, sum by (le) (rate(inference_time_seconds_bucket[5m])))").empty());
}
