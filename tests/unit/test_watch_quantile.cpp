// bucket_quantile against Prometheus's own expectations (promql/testdata/histograms.test in
// Prometheus 2.42: the cases below are its evaluations at 50m, i.e. ten steps of each series).
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "nsmon/watch/quantile.hpp"

using nsmon::watch::Bucket;
using nsmon::watch::bucket_quantile;
using nsmon::watch::quantile_capped;

namespace {
const double kInf = std::numeric_limits<double>::infinity();
// testhistogram_bucket{start="positive"}: 0+5x10, 0+7x10, 0+11x10, 0+12x10 for le 0.1, .2, 1e0, +Inf.
const std::vector<Bucket> positive = {{0.1, 50}, {0.2, 70}, {1, 110}, {kInf, 120}};
// testhistogram_bucket{start="negative"}: le -.2, -0.1, 0.3, +Inf: 1, 2, 2, 3 per step.
const std::vector<Bucket> negative = {{-0.2, 10}, {-0.1, 20}, {0.3, 20}, {kInf, 30}};
} // namespace

TEST_CASE("histogram_quantile: Prometheus's test cases", "[watch][quantile]") {
  CHECK(bucket_quantile(-0.1, positive) == -kInf);
  CHECK(bucket_quantile(1.01, positive) == kInf);
  CHECK(std::isnan(bucket_quantile(std::nan(""), positive)));
  // The lowest bucket interpolates from 0 when its bound is positive...
  CHECK(bucket_quantile(0, positive) == 0);
  // ...and answers its bound when it is negative.
  CHECK(bucket_quantile(0, negative) == -0.2);
  // A rank in the +Inf bucket answers the highest finite bound.
  CHECK(bucket_quantile(1, positive) == 1);
  CHECK(bucket_quantile(1, negative) == 0.3);
  CHECK(bucket_quantile(0.2, positive) == Approx(0.048).epsilon(1e-12));
  CHECK(bucket_quantile(0.2, negative) == -0.2);
  CHECK(bucket_quantile(0.5, positive) == Approx(0.15).epsilon(1e-12));
  CHECK(bucket_quantile(0.5, negative) == Approx(-0.15).epsilon(1e-12));
  CHECK(bucket_quantile(0.8, positive) == Approx(0.72).epsilon(1e-12));
  CHECK(bucket_quantile(0.8, negative) == 0.3);
}

TEST_CASE("histogram_quantile: aggregated request durations", "[watch][quantile]") {
  // sum by (le) (rate(request_duration_seconds_bucket[5m])) of the four job/instance series.
  const std::vector<Bucket> sum = {{0.1, 10.0 / 300}, {0.2, 19.0 / 300}, {kInf, 25.0 / 300}};
  CHECK(bucket_quantile(0.3, sum) == Approx(0.075).epsilon(1e-12));
  CHECK(bucket_quantile(0.5, sum) == Approx(0.1277777777777778).epsilon(1e-12));
}

TEST_CASE("histogram_quantile: non-monotonic buckets are made monotonic", "[watch][quantile]") {
  const std::vector<Bucket> b = {{0.1, 20}, {1, 10}, {10, 50}, {100, 40}, {1000, 90}, {kInf, 80}};
  CHECK(bucket_quantile(0.01, b) == Approx(0.0045).epsilon(1e-12));
  CHECK(bucket_quantile(0.5, b) == Approx(8.5).epsilon(1e-12));
  CHECK(bucket_quantile(0.99, b) == Approx(979.75).epsilon(1e-12));
}

TEST_CASE("histogram_quantile: equal bounds are merged (le=\"0.2\" and le=\"2e-1\")", "[watch][quantile]") {
  // mixed_bucket{instance="ins1"}: 0.1 -> 1, 0.2 -> 1, 2e-1 -> 1, 2.0e-1 -> 1, +Inf -> 4 per step.
  const std::vector<Bucket> ins1 = {{0.1, 10}, {0.2, 10}, {0.2, 10}, {0.2, 10}, {kInf, 40}};
  CHECK(bucket_quantile(0.5, ins1) == Approx(0.15).epsilon(1e-12));
  CHECK(bucket_quantile(0.75, ins1) == Approx(0.2).epsilon(1e-12));
  CHECK(bucket_quantile(1, ins1) == Approx(0.2).epsilon(1e-12));
  // ins2: two +Inf buckets and no observations.
  const std::vector<Bucket> ins2 = {{kInf, 0}, {kInf, 0}};
  CHECK(std::isnan(bucket_quantile(0.5, ins2)));
}

TEST_CASE("histogram_quantile: NaN without +Inf, without observations, with one bucket", "[watch][quantile]") {
  CHECK(std::isnan(bucket_quantile(0.5, {{0.1, 1}, {1, 2}})));
  CHECK(std::isnan(bucket_quantile(0.5, {{0.1, 0}, {kInf, 0}})));
  CHECK(std::isnan(bucket_quantile(0.5, {{kInf, 5}})));
  CHECK(std::isnan(bucket_quantile(0.5, {})));
  // Unsorted input is sorted first.
  CHECK(bucket_quantile(0.5, {{kInf, 120}, {1, 110}, {0.1, 50}, {0.2, 70}}) == Approx(0.15).epsilon(1e-12));
}

TEST_CASE("the top bucket caps a quantile: shown as >10 s", "[watch][quantile]") {
  // The detector's inference_time_seconds buckets; 3 of 10 observations above 10 s.
  const std::vector<Bucket> b = {{0.01, 0}, {0.05, 0}, {0.1, 1}, {0.5, 5}, {1, 6}, {2, 7}, {5, 7}, {10, 7}, {kInf, 10}};
  CHECK(bucket_quantile(0.95, b) == 10);
  CHECK(quantile_capped(0.95, b));
  CHECK_FALSE(quantile_capped(0.5, b));
  CHECK_FALSE(quantile_capped(0.95, {{1, 0}, {kInf, 0}}));
}

TEST_CASE("histogram_quantile: a rank equal to a bucket's count stops at that bucket", "[watch][quantile]") {
  // sort.Search for count >= rank: with rank 5 the first bucket (count 5) is the answer, 1, even
  // though the next bucket has no observation of its own (count 5 again) and would answer 2.
  const std::vector<Bucket> b = {{1, 5}, {2, 5}, {3, 10}, {kInf, 10}};
  CHECK(bucket_quantile(0.5, b) == 1);
  CHECK(bucket_quantile(0.25, b) == Approx(0.5).epsilon(1e-12));
}

TEST_CASE("histogram_quantile: a first bucket bounded at 0 answers 0", "[watch][quantile]") {
  // q = 0 with an empty le="0" bucket: its bound, not an interpolation over no observation (0/0).
  const std::vector<Bucket> b = {{0, 0}, {1, 4}, {kInf, 4}};
  CHECK(bucket_quantile(0, b) == 0);
  CHECK(bucket_quantile(0.5, b) == Approx(0.5).epsilon(1e-12));
}
