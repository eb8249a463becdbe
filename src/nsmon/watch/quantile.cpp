#include "nsmon/watch/quantile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nsmon::watch {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The steps bucketQuantile takes before it searches: sort, merge equal bounds, enforce
// monotonic counts. Returns false when Prometheus would answer NaN for any q in 0..1.
bool prepare(std::vector<Bucket>& b) {
  if (b.empty()) return false;
  std::sort(b.begin(), b.end(), [](const Bucket& x, const Bucket& y) { return x.upper_bound < y.upper_bound; });
  if (!std::isinf(b.back().upper_bound) || b.back().upper_bound < 0) return false;
  // coalesceBuckets: buckets with the same upper bound (le="1" and le="1.0") are added up.
  std::size_t out = 0;
  for (std::size_t i = 1; i < b.size(); ++i) {
    if (b[i].upper_bound == b[out].upper_bound) b[out].count += b[i].count;
    else b[++out] = b[i];
  }
  b.resize(out + 1);
  // ensureMonotonic: the envelope of the counts.
  double max = -std::numeric_limits<double>::infinity();
  for (auto& x : b) {
    if (x.count > max) max = x.count;
    else if (x.count < max) x.count = max;
  }
  return b.size() >= 2 && b.back().count != 0;
}

// sort.Search(len(b)-1, count >= rank): the first bucket whose count reaches the rank.
std::size_t search(const std::vector<Bucket>& b, double rank) {
  std::size_t lo = 0, hi = b.size() - 1;
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (b[mid].count >= rank) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

} // namespace

double bucket_quantile(double q, std::vector<Bucket> buckets) {
  if (std::isnan(q)) return kNaN;
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  if (!prepare(buckets)) return kNaN;
  const std::size_t n = buckets.size();
  double rank = q * buckets.back().count;
  const std::size_t b = search(buckets, rank);
  if (b == n - 1) return buckets[n - 2].upper_bound;
  if (b == 0 && buckets[0].upper_bound <= 0) return buckets[0].upper_bound;
  double start = 0;
  double count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].upper_bound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return start + (buckets[b].upper_bound - start) * (rank / count);
}

bool quantile_capped(double q, std::vector<Bucket> buckets) {
  if (std::isnan(q) || q < 0 || q > 1 || !prepare(buckets)) return false;
  return search(buckets, q * buckets.back().count) == buckets.size() - 1;
}

} // namespace nsmon::watch
