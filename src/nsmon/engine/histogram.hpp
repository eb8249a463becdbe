#pragma once
// Native histograms as PromQL sees them (Prometheus's FloatHistogram): a schema, a zero bucket,
// count, sum and sparse positive/negative buckets, or custom bucket bounds (schema -53, NHCB).
// Buckets are kept as (index, count) sorted by index; a bucket that is not listed holds 0, which
// is what Prometheus's comparisons and TestExpression() see after compacting.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nsmon::engine {

enum class ResetHint : std::uint8_t { unknown, reset, not_reset, gauge };

struct Bucket {
  std::int32_t index = 0;
  double count = 0;
};

/// Bucket bounds of one bucket for iteration: (lower, upper] for positive buckets.
struct BucketRange {
  double lower = 0, upper = 0, count = 0;
};

inline constexpr std::int32_t kCustomBucketsSchema = -53;

struct Histogram {
  ResetHint hint = ResetHint::unknown;
  std::int32_t schema = 0;
  double zero_threshold = 0;
  double zero_count = 0;
  double count = 0;
  double sum = 0;
  std::vector<Bucket> positive; ///< sorted by index; custom buckets: index i is custom_values[i]
  std::vector<Bucket> negative;
  std::vector<double> custom_values; ///< schema -53: the upper bounds, +Inf implied after them

  bool custom() const { return schema == kCustomBucketsSchema; }
};
using HistogramPtr = std::shared_ptr<const Histogram>;

/// The upper bound of exponential bucket `index` at `schema` (Prometheus's getBound).
double bucket_bound(std::int32_t index, std::int32_t schema);
/// The upper bound of custom bucket `index`: -Inf below the first, +Inf after the last bound.
double custom_bound(const Histogram& h, std::int64_t index);
/// Every bucket, lowest first: negative buckets, the zero bucket (if any count or threshold),
/// positive ones; custom buckets with their bounds (-Inf below the first when it is negative).
std::vector<BucketRange> all_buckets(const Histogram& h);

/// What combining two histograms met, as flags: mixed_schemas (nothing done), conflicting reset
/// hints, custom bounds reduced to those both have.
enum class Combine : unsigned { ok = 0, mixed_schemas = 1, counter_reset_collision = 2, custom_reconciled = 4 };
inline bool has(Combine c, Combine flag) { return (static_cast<unsigned>(c) & static_cast<unsigned>(flag)) != 0; }
inline Combine operator|(Combine a, Combine b) {
  return static_cast<Combine>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
/// h += o (sub: h -= o), reconciling schema and zero threshold as Prometheus's Add/Sub do;
/// custom bounds that differ are reduced to the bounds both have. mixed_schemas: h unchanged.
Combine add(Histogram& h, const Histogram& o, bool sub = false);
/// h += o with Kahan-Neumaier compensation kept in `c` (Prometheus's KahanAdd): sums of many
/// histograms keep the precision of float sums. finish_sum() folds `c` into `h`.
Combine kahan_add(Histogram& h, Histogram& c, const Histogram& o);
void finish_sum(Histogram& h, const Histogram& c);
/// A running sum of histograms with Kahan compensation, or (`mean`) their average: the sum
/// divided at the end, switching to an incremental mean once the sum would overflow, as
/// Prometheus's avg and avg_over_time do.
class HistogramSum {
public:
  explicit HistogramSum(bool mean) : mean_(mean) {}
  Combine add(const Histogram& h);
  bool empty() const { return n_ == 0; }
  /// The sum or mean, compacted; empty() must be false.
  std::shared_ptr<Histogram> result() const;

private:
  bool mean_;
  double n_ = 0;
  Histogram value_; ///< the sum, or the mean once incremental_
  Histogram c_;     ///< Kahan's compensation of value_
  bool incremental_ = false;
};
void scale(Histogram& h, double factor); ///< Mul
/// The trim operators (Prometheus's TrimBuckets): `upper` keeps the observations below `rhs`
/// (h </ rhs), else those above it (h >/ rhs), interpolating in the bucket that holds it; count
/// and sum are then estimated from the buckets' midpoints.
void trim(Histogram& h, double rhs, bool upper);
void divide(Histogram& h, double d); ///< Div (by 0: no buckets left)
/// Merges buckets down to a lower `schema` (exponential only).
void reduce_resolution(Histogram& h, std::int32_t schema);
/// Drops buckets whose count is 0 (the compact form comparisons and printing use).
void compact(Histogram& h);
/// Prometheus's DetectReset: a lower count, a lower bucket, a changed schema or zero bucket.
bool detect_reset(const Histogram& cur, const Histogram& prev);
/// Prometheus's TestExpression(): the `{{schema:1 count:3 ...}}` notation, compacted.
std::string test_expression(const Histogram& h);
/// Prometheus's FloatHistogram.String(): `{count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (0.5,1]:1}`
/// (count_values' label values).
std::string to_string(const Histogram& h);
/// Prometheus's Equals: the same layout, counts and sum (NaN equal to NaN), whatever the hints.
bool same_histogram(const Histogram& a, const Histogram& b);
/// promqltest's compareNativeHistogram: schema, bounds and threshold exactly, counts within a
/// relative 1e-6; the hint only when `compare_hint`.
bool approx_equal(const Histogram& want, const Histogram& got, bool compare_hint);

/// What NaN observations (a NaN sum) did to a quantile or a fraction, for Prometheus's infos.
enum class NaNNote { none, nan_result, skewed, excluded };
double histogram_quantile(double q, const Histogram& h, NaNNote* note = nullptr);
double histogram_fraction(double lower, double upper, const Histogram& h, NaNNote* note = nullptr);
/// histogram_stdvar over the buckets' mean values (the geometric mean for exponential ones).
double histogram_stdvar(const Histogram& h);

} // namespace nsmon::engine
