// nsmon watch's figures against real Prometheus on the same data: the latency quantiles equal what
// Prometheus's histogram_quantile answers, and reading the stats through Prometheus
// (--prometheus) gives the figures read from the detector itself.
#include <catch2/catch.hpp>
#include <cmath>

#include "../support/harness.hpp"
#include "nsmon/watch/quantile.hpp"
#include "nsmon/watch/source.hpp"
#include "nsmon/watch/stats.hpp"

using namespace nsmon;
using namespace nsmon::testing;

namespace {

std::optional<double> first_value(const nlohmann::json& resp) {
  if (resp.value("status", "") != "success") return std::nullopt;
  const auto& result = resp["data"]["result"];
  if (result.empty()) return std::nullopt;
  auto v = expfmt::parse_value(result[0]["value"][1].get<std::string>());
  return v;
}

watch::Figures figures_from(watch::Source& source) {
  watch::Model model;
  watch::ScrapeResult r = source.fetch();
  INFO(r.error);
  REQUIRE(r.ok);
  model.add(std::move(r.snapshot));
  return model.figures();
}

void same(const std::optional<double>& ours, double prometheus) {
  REQUIRE(ours);
  if (std::isnan(prometheus)) {
    CHECK(std::isnan(*ours));
    return;
  }
  CHECK(*ours == Approx(prometheus).epsilon(1e-12).margin(1e-15));
}

} // namespace

TEST_CASE("quantiles equal Prometheus's histogram_quantile on the same data", "[integration][watch]") {
  Detector det({"--epochs", "2", "--images", "80", "--speed", "300", "--seed", "11", "--linger", "120", "--quiet"},
               "/dev/null");
  REQUIRE(det.wait_ready());
  Prometheus prom({"127.0.0.1:" + std::to_string(det.port())});
  REQUIRE(prom.wait_ready());

  auto client = std::shared_ptr<http::Client>(http::make_curl_client());
  auto endpoint = watch::endpoint_source(client, det.metrics_url(), 5);
  // The run is over when all images are counted; then Prometheus must have scraped that state.
  REQUIRE(wait_until(
      [&] {
        auto f = figures_from(*endpoint).inference.images;
        return f && *f == 80;
      },
      std::chrono::seconds(60)));
  REQUIRE(wait_until([&] { return first_value(prom.query("sum(images_processed_total)")) == 80.0; },
                     std::chrono::seconds(30)));

  watch::Figures ours = figures_from(*endpoint);
  const auto& total = ours.inference.latency_total;
  REQUIRE(total.observations > 0);
  for (auto [q, mine] : {std::pair{0.5, &total.p50}, std::pair{0.95, &total.p95}, std::pair{0.99, &total.p99}}) {
    std::string expr = "histogram_quantile(" + std::to_string(q) + ", sum by (le) (inference_time_seconds_bucket))";
    INFO(expr);
    auto theirs = first_value(prom.query(expr));
    REQUIRE(theirs);
    same(mine->value, *theirs);
  }

  // Per series too (no aggregation), and for the other histograms the model reads.
  watch::ScrapeResult r = endpoint->fetch();
  REQUIRE(r.ok);
  for (const std::string sahi : {"true", "false"}) {
    std::vector<watch::Bucket> buckets;
    for (const auto& s : r.snapshot.find("inference_time_seconds_bucket"))
      if (*s.label("use_sahi") == sahi) buckets.push_back({*expfmt::parse_value(*s.label("le")), s.value});
    for (double q : {0.1, 0.5, 0.9, 0.99}) {
      std::string expr =
          "histogram_quantile(" + std::to_string(q) + ", inference_time_seconds_bucket{use_sahi=\"" + sahi + "\"})";
      INFO(expr);
      auto theirs = first_value(prom.query(expr));
      REQUIRE(theirs);
      same(watch::bucket_quantile(q, buckets), *theirs);
    }
  }

  // The same figures read through Prometheus.
  auto via_prometheus = watch::prometheus_source(client, prom.url(), "job=\"neurosymbolic-app\"", 5);
  watch::Figures theirs = figures_from(*via_prometheus);
  CHECK(theirs.inference.images == ours.inference.images);
  CHECK(theirs.inference.success == ours.inference.success);
  CHECK(theirs.inference.detections == ours.inference.detections);
  CHECK(theirs.training.loss_history == ours.training.loss_history);
  CHECK(theirs.training.best_loss == ours.training.best_loss);
  CHECK(theirs.training.epoch == ours.training.epoch);
  CHECK(theirs.errors.by_type == ours.errors.by_type);
  CHECK(theirs.inference.latency_total.p95.value == ours.inference.latency_total.p95.value);
  CHECK(theirs.inference.latency_total.p95.capped == ours.inference.latency_total.p95.capped);
}
