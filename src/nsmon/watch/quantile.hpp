#pragma once
#include <vector>

// Quantiles from classic histogram buckets, computed exactly as Prometheus 2.42's
// histogram_quantile (promql/quantile.go, bucketQuantile) does.

namespace nsmon::watch {

struct Bucket {
  double upper_bound = 0; ///< le
  double count = 0;       ///< cumulative
};

/// Prometheus's bucketQuantile: buckets are sorted by bound and those with the same bound merged;
/// counts are made monotonic (the envelope); then the rank q * total is located and interpolated
/// linearly inside its bucket. Special cases, as in Prometheus:
///  - q < 0 gives -Inf, q > 1 +Inf, q NaN gives NaN;
///  - no +Inf bucket, fewer than 2 buckets, or no observations: NaN;
///  - a rank in the +Inf bucket gives the highest finite bound (the answer is capped there);
///  - the lowest bucket interpolates from 0 when its bound is > 0, and returns its bound when it is
///    <= 0.
double bucket_quantile(double q, std::vector<Bucket> buckets);

/// Whether bucket_quantile(q, buckets) was capped: the rank fell into the +Inf bucket, so the true
/// value is above the highest finite bound (shown as ">10 s").
bool quantile_capped(double q, std::vector<Bucket> buckets);

} // namespace nsmon::watch
