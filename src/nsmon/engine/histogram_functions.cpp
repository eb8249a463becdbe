// What PromQL reads out of a native histogram's buckets: histogram_quantile, histogram_fraction,
// histogram_stdvar, and the trim operators, as Prometheus's quantile.go, functions.go and
// TrimBuckets compute them.
#include <algorithm>
#include <cmath>

#include "nsmon/engine/histogram.hpp"

namespace nsmon::engine {

namespace {

double midpoint(double lower, double upper, bool positive, bool linear) {
  if (std::isinf(lower)) {
    if (std::isinf(upper)) return 0;
    return upper > 0 ? upper / 2 : upper;
  }
  if (std::isinf(upper)) return lower;
  if (linear) return (lower + upper) / 2;
  double geo = std::sqrt(std::fabs(lower * upper));
  return positive ? geo : -geo;
}

// The part of a bucket with an infinite bound that a trim keeps, and its midpoint.
std::pair<double, double> trim_infinite(const BucketRange& b, double rhs, bool upper) {
  auto finite = [](double x) { return std::isinf(x) ? 0.0 : x; };
  if (b.lower == -HUGE_VAL) {
    if (upper) {
      if (rhs >= b.upper) return {b.count, 0};
      if (rhs > 0 && b.upper > 0 && !std::isinf(b.upper)) return {b.count * rhs / b.upper, rhs / 2};
      if (b.upper <= 0) return {b.count, rhs};
      return {0, finite(b.upper)};
    }
    if (rhs >= 0 && b.upper > rhs && !std::isinf(b.upper)) return {b.count * (1 - rhs / b.upper), (rhs + b.upper) / 2};
    return {0, finite(b.upper)};
  }
  if (upper) return {0, finite(b.lower)};
  if (rhs >= b.lower) return {b.count, rhs};
  return {0, finite(b.lower)};
}

// The part of a bucket that holds `rhs` that a trim keeps, and its midpoint.
std::pair<double, double> trim_bucket(const BucketRange& b, double rhs, bool upper, bool positive, bool linear) {
  if (std::isinf(b.lower) || std::isinf(b.upper)) return trim_infinite(b, rhs, upper);
  double under = 0;
  if (rhs >= b.upper) under = b.count;
  else if (rhs > b.lower) {
    double f = 0;
    if (linear) f = (rhs - b.lower) / (b.upper - b.lower);
    else {
      double ll = std::log2(std::fabs(b.lower)), lu = std::log2(std::fabs(b.upper)), lv = std::log2(std::fabs(rhs));
      f = rhs > 0 ? (lv - ll) / (lu - ll) : 1 - (lv - lu) / (ll - lu);
    }
    under = b.count * f;
  }
  if (upper) return {under, midpoint(b.lower, rhs, positive, linear)};
  return {b.count - under, midpoint(rhs, b.upper, positive, linear)};
}

} // namespace

void trim(Histogram& h, double rhs, bool upper) {
  double count = 0, sum = 0;
  bool trimmed = false, has_positive = false, has_negative = false;
  const bool linear = h.custom();
  auto side = [&](std::vector<Bucket>& bs, bool positive) {
    for (auto& b : bs) {
      if (b.count == 0) continue;
      BucketRange r;
      if (h.custom()) r = {custom_bound(h, b.index - 1), custom_bound(h, b.index), b.count};
      else if (positive) r = {bucket_bound(b.index - 1, h.schema), bucket_bound(b.index, h.schema), b.count};
      else r = {-bucket_bound(b.index, h.schema), -bucket_bound(b.index - 1, h.schema), b.count};
      (positive ? has_positive : has_negative) = true;
      const bool whole = upper ? r.upper <= rhs : r.lower >= rhs;
      const bool part = upper ? r.lower < rhs : r.upper > rhs;
      if (whole) {
        count += r.count;
        sum += midpoint(r.lower, r.upper, positive, linear) * r.count;
      } else if (part) {
        auto [keep, mid] = trim_bucket(r, rhs, upper, positive, linear);
        count += keep;
        sum += mid * keep;
        if (b.count != keep) b.count = keep, trimmed = true;
      } else {
        b.count = 0;
        trimmed = true;
      }
    }
  };
  side(h.positive, true);
  side(h.negative, false);
  if (h.zero_count > 0) {
    double lower = -h.zero_threshold, upper_bound = h.zero_threshold;
    if (has_negative && !has_positive) upper_bound = 0;
    if (has_positive && !has_negative) lower = 0;
    double keep = 0, mid = 0;
    if (upper) {
      if (rhs >= upper_bound) keep = h.zero_count, mid = (lower + upper_bound) / 2;
      else if (rhs > lower) keep = h.zero_count * (rhs - lower) / (upper_bound - lower), mid = (lower + rhs) / 2;
    } else {
      if (rhs <= lower) keep = h.zero_count, mid = (lower + upper_bound) / 2;
      else if (rhs < upper_bound)
        keep = h.zero_count * (upper_bound - rhs) / (upper_bound - lower), mid = (rhs + upper_bound) / 2;
    }
    if (h.zero_count != keep) h.zero_count = keep, trimmed = true;
    sum += mid * keep;
    count += keep;
  }
  if (!trimmed) return;
  h.count = count;
  h.sum = sum;
  compact(h);
}

double histogram_quantile(double q, const Histogram& h, NaNNote* note) {
  if (q < 0) return -HUGE_VAL;
  if (q > 1) return HUGE_VAL;
  if (h.count == 0 || std::isnan(q)) return std::nan("");
  std::vector<BucketRange> bs = all_buckets(h);
  const bool forward = std::isnan(h.sum) || q < 0.5;
  if (!forward) std::reverse(bs.begin(), bs.end());
  double rank = forward ? q * h.count : (1 - q) * h.count;
  double count = 0;
  BucketRange bucket;
  std::size_t at = 0;
  for (; at < bs.size(); ++at) {
    bucket = bs[at];
    if (bucket.count == 0) continue;
    count += bucket.count;
    if (count >= rank) break;
  }
  const bool has_negative = std::any_of(h.negative.begin(), h.negative.end(), [](auto& b) { return b.count != 0; });
  const bool has_positive = std::any_of(h.positive.begin(), h.positive.end(), [](auto& b) { return b.count != 0; });
  if (!h.custom() && bucket.lower < 0 && bucket.upper > 0) {
    if (!has_negative && has_positive) bucket.lower = 0;
    else if (!has_positive && has_negative) bucket.upper = 0;
  } else if (h.custom()) {
    if (bucket.lower == -HUGE_VAL) {
      if (bucket.upper <= 0) return bucket.upper;
      bucket.lower = 0;
    } else if (bucket.upper == HUGE_VAL) {
      return bucket.lower;
    }
  }
  count = std::min(count, h.count);
  if (count < rank) {
    if (!std::isnan(h.sum)) return bucket.upper;
    if (note) *note = NaNNote::nan_result;
    return std::nan("");
  }
  if (forward) rank -= count - bucket.count;
  else rank = count - rank;
  if (std::isnan(h.sum)) {
    // NaN observations count in h.count but in no bucket: the result leans high.
    double all = count;
    for (std::size_t i = at + 1; i < bs.size(); ++i) all += bs[i].count;
    if (all < h.count && note) *note = NaNNote::skewed;
  }
  double fraction = rank / bucket.count;
  if (h.custom() || (bucket.lower <= 0 && bucket.upper >= 0))
    return bucket.lower + (bucket.upper - bucket.lower) * fraction;
  double log_lower = std::log2(std::fabs(bucket.lower)), log_upper = std::log2(std::fabs(bucket.upper));
  if (bucket.lower > 0) return std::exp2(log_lower + (log_upper - log_lower) * fraction);
  return -std::exp2(log_upper + (log_lower - log_upper) * (1 - fraction));
}

double histogram_fraction(double lower, double upper, const Histogram& h, NaNNote* note) {
  if (h.count == 0 || std::isnan(lower) || std::isnan(upper)) return std::nan("");
  if (lower >= upper) return 0;
  const bool has_negative = !h.negative.empty(), has_positive = !h.positive.empty();
  double rank = 0, lower_rank = 0, upper_rank = 0, count = 0;
  bool lower_set = false, upper_set = false;
  for (BucketRange b : all_buckets(h)) {
    count += b.count;
    bool zero_bucket = false;
    if (b.lower <= 0 && b.upper >= 0) {
      zero_bucket = true;
      if (!has_negative && has_positive) b.lower = 0;
      else if (!has_positive && has_negative) b.upper = 0;
    }
    const bool linear = h.custom() || zero_bucket;
    auto below = [&](double v) {
      if (linear) {
        if (b.lower == -HUGE_VAL) return b.count;
        return rank + b.count * (v - b.lower) / (b.upper - b.lower);
      }
      double ll = std::log2(std::fabs(b.lower)), lu = std::log2(std::fabs(b.upper)), lv = std::log2(std::fabs(v));
      double f = v > 0 ? (lv - ll) / (lu - ll) : 1 - (lv - lu) / (ll - lu);
      return rank + b.count * f;
    };
    if (!lower_set && b.lower >= lower) lower_rank = rank, lower_set = true;
    if (!upper_set && b.lower >= upper) upper_rank = rank, upper_set = true;
    if (lower_set && upper_set) break;
    if (!lower_set && b.lower < lower && b.upper > lower) lower_rank = below(lower), lower_set = true;
    if (!upper_set && b.lower < upper && b.upper > upper) upper_rank = below(upper), upper_set = true;
    if (lower_set && upper_set) break;
    rank += b.count;
  }
  if (std::isnan(h.sum)) {
    count = 0;
    for (const auto& b : all_buckets(h)) count += b.count;
    if (count < h.count && note) *note = NaNNote::excluded;
  } else {
    count = h.count;
  }
  if (!lower_set || lower_rank > count) lower_rank = count;
  if (!upper_set || upper_rank > count) upper_rank = count;
  return (upper_rank - lower_rank) / h.count;
}

double histogram_stdvar(const Histogram& h) {
  double mean = h.sum / h.count;
  double variance = 0, c = 0;
  for (const auto& b : all_buckets(h)) {
    if (b.count == 0) continue;
    double val = 0;
    if (h.custom()) val = (b.upper + b.lower) / 2;
    else if (b.lower <= 0 && b.upper >= 0) val = 0;
    else val = std::copysign(std::sqrt(b.upper * b.lower), b.upper);
    double delta = val - mean;
    double inc = b.count * delta * delta;
    double t = variance + inc;
    if (std::isinf(t)) c = 0;
    else if (std::fabs(variance) >= std::fabs(inc)) c += (variance - t) + inc;
    else c += (inc - t) + variance;
    variance = t;
  }
  return (variance + c) / h.count;
}

} // namespace nsmon::engine
