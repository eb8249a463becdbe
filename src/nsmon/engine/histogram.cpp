// Native histogram arithmetic as Prometheus's model/histogram does it, on sparse buckets.
#include "nsmon/engine/histogram.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <map>

#include "nsmon/engine/engine.hpp"
#include "nsmon/engine/eval.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::engine {

namespace {

// util/almost.Equal with promqltest's epsilon.
bool almost(double a, double b) {
  constexpr double eps = 1e-6;
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  const double min_normal = std::numeric_limits<double>::min();
  double abs_sum = std::fabs(a) + std::fabs(b);
  double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || abs_sum < min_normal) return diff < eps * min_normal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < eps;
}

// Adds `o`'s buckets into `h`'s (both sorted), skipping o's buckets that lie in the zero bucket.
void merge_buckets(std::vector<Bucket>& h, const std::vector<Bucket>& o, double sign, std::int32_t schema,
                   double zero_threshold) {
  std::vector<Bucket> out;
  out.reserve(h.size() + o.size());
  std::size_t i = 0, j = 0;
  while (i < h.size() || j < o.size()) {
    if (j < o.size() && schema != kCustomBucketsSchema && zero_threshold > 0 &&
        bucket_bound(o[j].index, schema) <= zero_threshold) {
      ++j;
      continue;
    }
    if (j == o.size() || (i < h.size() && h[i].index < o[j].index)) out.push_back(h[i++]);
    else if (i == h.size() || o[j].index < h[i].index) out.push_back({o[j].index, sign * o[j++].count});
    else out.push_back({h[i].index, h[i++].count + sign * o[j++].count});
  }
  h = std::move(out);
}

// Prometheus's targetIdx: the bucket of a lower schema that holds bucket `idx`.
std::int32_t target_index(std::int32_t idx, std::int32_t from, std::int32_t to) {
  return ((idx - 1) >> (from - to)) + 1;
}

void reduce(std::vector<Bucket>& bs, std::int32_t from, std::int32_t to) {
  std::vector<Bucket> out;
  for (const auto& b : bs) {
    std::int32_t t = target_index(b.index, from, to);
    if (!out.empty() && out.back().index == t) out.back().count += b.count;
    else out.push_back({t, b.count});
  }
  bs = std::move(out);
}

// Prometheus's zeroCountForLargerThreshold: the zero count `h` would have with a zero bucket of
// at least `threshold`, and the threshold moved out of any populated bucket it falls into.
std::pair<double, double> zero_count_for(const Histogram& h, double threshold) {
  if (threshold == h.zero_threshold) return {h.zero_count, threshold};
  for (;;) {
    double zc = h.zero_count;
    for (const auto& b : h.positive) {
      double lower = bucket_bound(b.index - 1, h.schema), upper = bucket_bound(b.index, h.schema);
      if (lower >= threshold) break;
      zc += b.count;
      if (upper > threshold) {
        if (b.count != 0) threshold = upper;
        break;
      }
    }
    bool again = false;
    for (const auto& b : h.negative) {
      double upper = -bucket_bound(b.index - 1, h.schema), lower = -bucket_bound(b.index, h.schema);
      if (upper <= -threshold) break;
      zc += b.count;
      if (lower < -threshold) {
        if (b.count != 0) {
          threshold = -lower;
          again = true;
        }
        break;
      }
    }
    if (!again) return {zc, threshold};
  }
}

void widen_zero_bucket(Histogram& h, double threshold) {
  const auto widened = zero_count_for(h, threshold);
  const double t = widened.second;
  h.zero_count = widened.first;
  h.zero_threshold = t;
  std::erase_if(h.positive, [&](const Bucket& b) { return bucket_bound(b.index - 1, h.schema) < t; });
  std::erase_if(h.negative, [&](const Bucket& b) { return -bucket_bound(b.index - 1, h.schema) > -t; });
}

// The zero count `o` has once h's and o's zero buckets agree (h widened if need be).
double reconcile_zero(Histogram& h, const Histogram& o) {
  double ozc = o.zero_count, ot = o.zero_threshold;
  for (int guard = 0; ot != h.zero_threshold && guard < 64; ++guard) {
    if (h.zero_threshold > ot) std::tie(ozc, ot) = zero_count_for(o, h.zero_threshold);
    if (ot > h.zero_threshold) widen_zero_bucket(h, ot);
  }
  return ozc;
}

bool adjust_hint(Histogram& h, const Histogram& o) {
  using R = ResetHint;
  if (o.hint == h.hint || h.hint == R::gauge) return false;
  if (o.hint == R::gauge) h.hint = R::gauge;
  else if (h.hint == R::unknown) return false;
  else if (o.hint == R::unknown) h.hint = R::unknown;
  else {
    h.hint = R::unknown;
    return true;
  }
  return false;
}

// Custom buckets mapped onto `bounds` (a subset of theirs): each bucket goes to the first bound
// at or above its own upper bound.
std::vector<Bucket> map_custom(const Histogram& h, const std::vector<double>& bounds) {
  std::vector<Bucket> out;
  for (const auto& b : h.positive) {
    double upper = custom_bound(h, b.index);
    auto k = static_cast<std::int32_t>(std::lower_bound(bounds.begin(), bounds.end(), upper) - bounds.begin());
    if (!out.empty() && out.back().index == k) out.back().count += b.count;
    else out.push_back({k, b.count});
  }
  return out;
}

} // namespace

double custom_bound(const Histogram& h, std::int64_t index) {
  if (index < 0) return -HUGE_VAL;
  if (index >= static_cast<std::int64_t>(h.custom_values.size())) return HUGE_VAL;
  return h.custom_values[static_cast<std::size_t>(index)];
}

double bucket_bound(std::int32_t index, std::int32_t schema) {
  if (schema < 0) {
    std::int64_t exp = static_cast<std::int64_t>(index) * (std::int64_t{1} << std::min(-schema, 62));
    if (exp == 1024) return DBL_MAX;
    if (exp > 2000) return HUGE_VAL;
    if (exp < -2000) return 0;
    return std::ldexp(1.0, static_cast<int>(exp));
  }
  std::int32_t s = std::min(schema, 30);
  std::int64_t frac_idx = index & ((std::int64_t{1} << s) - 1);
  double frac = std::exp2(static_cast<double>(frac_idx) / static_cast<double>(std::int64_t{1} << s)) / 2;
  std::int64_t exp = (static_cast<std::int64_t>(index) >> s) + 1;
  if (frac == 0.5 && exp == 1025) return DBL_MAX;
  if (exp > 2000) return HUGE_VAL;
  if (exp < -2000) return 0;
  return std::ldexp(frac, static_cast<int>(exp));
}

std::vector<BucketRange> all_buckets(const Histogram& h) {
  std::vector<BucketRange> out;
  if (h.custom()) {
    for (const auto& b : h.positive) out.push_back({custom_bound(h, b.index - 1), custom_bound(h, b.index), b.count});
    return out;
  }
  for (auto it = h.negative.rbegin(); it != h.negative.rend(); ++it)
    out.push_back({-bucket_bound(it->index, h.schema), -bucket_bound(it->index - 1, h.schema), it->count});
  if (h.zero_threshold != 0 || h.zero_count != 0) out.push_back({-h.zero_threshold, h.zero_threshold, h.zero_count});
  for (const auto& b : h.positive)
    out.push_back({bucket_bound(b.index - 1, h.schema), bucket_bound(b.index, h.schema), b.count});
  return out;
}

Combine add(Histogram& h, const Histogram& o, bool sub) {
  if (h.custom() != o.custom()) return Combine::mixed_schemas;
  bool collision = adjust_hint(h, o);
  const double sign = sub ? -1 : 1;
  h.count += sign * o.count;
  h.sum += sign * o.sum;
  if (h.custom()) {
    if (h.custom_values == o.custom_values) {
      merge_buckets(h.positive, o.positive, sign, h.schema, 0);
    } else {
      std::vector<double> both;
      std::set_intersection(h.custom_values.begin(), h.custom_values.end(), o.custom_values.begin(),
                            o.custom_values.end(), std::back_inserter(both));
      h.positive = map_custom(h, both);
      merge_buckets(h.positive, map_custom(o, both), sign, h.schema, 0);
      h.custom_values = std::move(both);
      return (collision ? Combine::counter_reset_collision : Combine::ok) | Combine::custom_reconciled;
    }
    return collision ? Combine::counter_reset_collision : Combine::ok;
  }
  h.zero_count += sign * reconcile_zero(h, o);
  const Histogram* other = &o;
  Histogram reduced;
  if (o.schema < h.schema) {
    reduce_resolution(h, o.schema);
  } else if (o.schema > h.schema) {
    reduced = o;
    reduce_resolution(reduced, h.schema);
    other = &reduced;
  }
  merge_buckets(h.positive, other->positive, sign, h.schema, h.zero_threshold);
  merge_buckets(h.negative, other->negative, sign, h.schema, h.zero_threshold);
  return collision ? Combine::counter_reset_collision : Combine::ok;
}

namespace {

// Buckets of `h` plus `o`'s, the compensation of each in `c` (same indexes as h).
void kahan_merge(std::vector<Bucket>& h, std::vector<Bucket>& c, const std::vector<Bucket>& o, std::int32_t schema,
                 double zero_threshold) {
  std::map<std::int32_t, std::pair<double, double>> sum;
  for (const auto& b : h) sum[b.index].first = b.count;
  for (const auto& b : c) sum[b.index].second = b.count;
  for (const auto& b : o) {
    if (schema != kCustomBucketsSchema && zero_threshold > 0 && bucket_bound(b.index, schema) <= zero_threshold)
      continue;
    auto& [v, comp] = sum[b.index];
    v = detail::kahan_inc(b.count, v, comp);
  }
  h.clear();
  c.clear();
  for (const auto& [i, vc] : sum) {
    h.push_back({i, vc.first});
    c.push_back({i, vc.second});
  }
}

} // namespace

Combine kahan_add(Histogram& h, Histogram& c, const Histogram& o) {
  if (h.custom() != o.custom()) return Combine::mixed_schemas;
  if ((h.custom() && h.custom_values != o.custom_values) || h.zero_threshold != o.zero_threshold) {
    // Layouts that must be reconciled: a plain sum, the compensation folded in first.
    finish_sum(h, c);
    c = Histogram{};
    return add(h, o);
  }
  bool collision = adjust_hint(h, o);
  h.count = detail::kahan_inc(o.count, h.count, c.count);
  h.sum = detail::kahan_inc(o.sum, h.sum, c.sum);
  h.zero_count = detail::kahan_inc(o.zero_count, h.zero_count, c.zero_count);
  const Histogram* other = &o;
  Histogram reduced;
  if (!h.custom() && o.schema < h.schema) {
    reduce(c.positive, h.schema, o.schema); // the compensations of merged buckets add up too
    reduce(c.negative, h.schema, o.schema);
    reduce_resolution(h, o.schema);
  } else if (!h.custom() && o.schema > h.schema) {
    reduced = o;
    reduce_resolution(reduced, h.schema);
    other = &reduced;
  }
  kahan_merge(h.positive, c.positive, other->positive, h.schema, h.zero_threshold);
  kahan_merge(h.negative, c.negative, other->negative, h.schema, h.zero_threshold);
  return collision ? Combine::counter_reset_collision : Combine::ok;
}

void finish_sum(Histogram& h, const Histogram& c) {
  auto fold = [](double v, double comp) { return std::isinf(v) ? v : v + comp; };
  h.count = fold(h.count, c.count);
  h.sum = fold(h.sum, c.sum);
  h.zero_count = fold(h.zero_count, c.zero_count);
  auto buckets = [&](std::vector<Bucket>& hb, const std::vector<Bucket>& cb) {
    std::size_t j = 0;
    for (auto& b : hb) {
      while (j < cb.size() && cb[j].index < b.index) ++j;
      if (j < cb.size() && cb[j].index == b.index) b.count = fold(b.count, cb[j].count);
    }
  };
  buckets(h.positive, c.positive);
  buckets(h.negative, c.negative);
}

namespace {

bool overflows(const Histogram& h) {
  auto inf = [](double v) { return std::isinf(v); };
  if (inf(h.count) || inf(h.sum) || inf(h.zero_count)) return true;
  for (const auto* bs : {&h.positive, &h.negative})
    for (const auto& b : *bs)
      if (inf(b.count)) return true;
  return false;
}

} // namespace

Combine HistogramSum::add(const Histogram& h) {
  n_ += 1;
  if (n_ == 1) {
    value_ = h;
    return Combine::ok;
  }
  if (!incremental_) {
    Histogram v = value_, c = c_;
    Combine r = kahan_add(v, c, h);
    if (has(r, Combine::mixed_schemas) || !mean_ || !overflows(v)) {
      if (!has(r, Combine::mixed_schemas)) value_ = std::move(v), c_ = std::move(c);
      return r;
    }
    incremental_ = true;
    divide(value_, n_ - 1);
    divide(c_, n_ - 1);
  }
  const double q = (n_ - 1) / n_;
  scale(c_, q);
  scale(value_, q);
  Histogram part = h;
  divide(part, n_);
  return kahan_add(value_, c_, part);
}

std::shared_ptr<Histogram> HistogramSum::result() const {
  auto out = std::make_shared<Histogram>(value_);
  Histogram c = c_;
  if (mean_ && !incremental_) {
    divide(*out, n_);
    divide(c, n_);
  }
  finish_sum(*out, c);
  compact(*out);
  return out;
}

void scale(Histogram& h, double factor) {
  h.zero_count *= factor;
  h.count *= factor;
  h.sum *= factor;
  for (auto& b : h.positive) b.count *= factor;
  for (auto& b : h.negative) b.count *= factor;
  if (factor < 0) h.hint = ResetHint::gauge;
}

void divide(Histogram& h, double d) {
  h.zero_count /= d;
  h.count /= d;
  h.sum /= d;
  if (d == 0) {
    h.positive.clear();
    h.negative.clear();
    return;
  }
  for (auto& b : h.positive) b.count /= d;
  for (auto& b : h.negative) b.count /= d;
  if (d < 0) h.hint = ResetHint::gauge;
}

void reduce_resolution(Histogram& h, std::int32_t schema) {
  if (h.custom() || schema >= h.schema) return;
  reduce(h.positive, h.schema, schema);
  reduce(h.negative, h.schema, schema);
  h.schema = schema;
}

void compact(Histogram& h) {
  std::erase_if(h.positive, [](const Bucket& b) { return b.count == 0; });
  std::erase_if(h.negative, [](const Bucket& b) { return b.count == 0; });
}

bool detect_reset(const Histogram& cur, const Histogram& prev) {
  if (cur.hint == ResetHint::reset) return true;
  if (cur.hint == ResetHint::not_reset) return false;
  if (cur.count < prev.count) return true;
  if (cur.custom() != prev.custom()) return true;
  if (cur.custom() && cur.custom_values != prev.custom_values) {
    // The buckets both layouts have (their common bounds) must not decrease.
    std::vector<double> both;
    std::set_intersection(cur.custom_values.begin(), cur.custom_values.end(), prev.custom_values.begin(),
                          prev.custom_values.end(), std::back_inserter(both));
    Histogram c = cur, p = prev;
    c.positive = map_custom(cur, both);
    p.positive = map_custom(prev, both);
    c.custom_values = p.custom_values = both;
    return detect_reset(c, p);
  }
  if (cur.schema > prev.schema) return true;
  if (cur.zero_threshold < prev.zero_threshold) return true;
  auto [pzc, t] = zero_count_for(prev, cur.zero_threshold);
  if (t != cur.zero_threshold) return true;
  if (cur.zero_count < pzc) return true;
  // Compared bucket by bucket at cur's schema, outside cur's zero bucket.
  auto side = [&](std::vector<Bucket> c, std::vector<Bucket> p) {
    if (!cur.custom()) {
      reduce(p, prev.schema, cur.schema);
      auto inside = [&](const Bucket& b) { return bucket_bound(b.index, cur.schema) <= cur.zero_threshold; };
      std::erase_if(c, inside);
      std::erase_if(p, inside);
    }
    std::size_t i = 0;
    for (const auto& pb : p) {
      while (i < c.size() && c[i].index < pb.index) ++i;
      double now = i < c.size() && c[i].index == pb.index ? c[i].count : 0;
      if (now < pb.count) return true;
    }
    return false;
  };
  return side(cur.positive, prev.positive) || side(cur.negative, prev.negative);
}

std::string test_expression(const Histogram& given) {
  Histogram h = given;
  compact(h);
  auto g = [](double v) { return text::go::format_float_v(v); };
  std::vector<std::string> parts;
  if (h.schema != 0) parts.push_back("schema:" + std::to_string(h.schema));
  if (h.count != 0) parts.push_back("count:" + g(h.count));
  if (h.sum != 0) parts.push_back("sum:" + g(h.sum));
  if (h.zero_count != 0) parts.push_back("z_bucket:" + g(h.zero_count));
  if (h.zero_threshold != 0) parts.push_back("z_bucket_w:" + g(h.zero_threshold));
  if (h.custom()) {
    std::string cv = "custom_values:[";
    for (std::size_t i = 0; i < h.custom_values.size(); ++i) cv += (i ? " " : "") + g(h.custom_values[i]);
    parts.push_back(cv + "]");
  }
  switch (h.hint) {
  case ResetHint::unknown: break;
  case ResetHint::reset: parts.push_back("counter_reset_hint:reset"); break;
  case ResetHint::not_reset: parts.push_back("counter_reset_hint:not_reset"); break;
  case ResetHint::gauge: parts.push_back("counter_reset_hint:gauge"); break;
  }
  // One span from the first to the last populated bucket, empty ones between written as 0. A
  // histogram whose buckets lie further apart than any real one (only hostile input makes it)
  // lists `index:count` pairs instead of billions of zeros.
  auto buckets = [&](const std::vector<Bucket>& bs, const char* key, const char* offset_key) {
    if (bs.empty()) return;
    constexpr std::int64_t kMaxSpan = 1 << 20;
    if (static_cast<std::int64_t>(bs.back().index) - bs.front().index > kMaxSpan) {
      std::string s = std::string(key) + ":{";
      for (const auto& b : bs) s += (s.back() == '{' ? "" : " ") + std::to_string(b.index) + ":" + g(b.count);
      parts.push_back(s + "}");
      return;
    }
    if (bs.front().index != 0) parts.push_back(std::string(offset_key) + ":" + std::to_string(bs.front().index));
    std::string s = std::string(key) + ":[";
    std::int64_t next = bs.front().index;
    for (const auto& b : bs) {
      for (; next < b.index; ++next) s += (s.back() == '[' ? "0" : " 0");
      s += (s.back() == '[' ? "" : " ") + g(b.count);
      next = static_cast<std::int64_t>(b.index) + 1;
    }
    parts.push_back(s + "]");
  };
  buckets(h.positive, "buckets", "offset");
  buckets(h.negative, "n_buckets", "n_offset");
  std::string out = "{{";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
  return out + "}}";
}

std::string to_string(const Histogram& h) {
  auto g = [](double v) { return text::go::format_float_v(v); };
  std::string out = "{count:" + g(h.count) + ", sum:" + g(h.sum);
  for (const auto& b : all_buckets(h)) {
    if (b.count == 0) continue;
    const bool zero = !h.custom() && b.lower == -h.zero_threshold && b.upper == h.zero_threshold;
    const bool negative = !h.custom() && b.upper <= 0 && !zero;
    out += ", ";
    out += negative || zero || b.lower == -HUGE_VAL ? "[" : "(";
    out += g(b.lower) + "," + g(b.upper);
    out += negative ? ")" : "]";
    out += ":" + g(b.count);
  }
  return out + "}";
}

bool same_histogram(const Histogram& a, const Histogram& b) {
  Histogram x = a, y = b;
  x.hint = y.hint = ResetHint::unknown;
  return test_expression(x) == test_expression(y);
}

bool approx_equal(const Histogram& want, const Histogram& got, bool compare_hint) {
  if (want.schema != got.schema || !almost(want.count, got.count) || !almost(want.sum, got.sum)) return false;
  if (want.custom() && want.custom_values != got.custom_values) return false;
  if (want.zero_threshold != got.zero_threshold || !almost(want.zero_count, got.zero_count)) return false;
  auto same = [](std::vector<Bucket> a, std::vector<Bucket> b) {
    std::erase_if(a, [](const Bucket& x) { return x.count == 0; });
    std::erase_if(b, [](const Bucket& x) { return x.count == 0; });
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].index != b[i].index || !almost(a[i].count, b[i].count)) return false;
    return true;
  };
  if (!same(want.negative, got.negative) || !same(want.positive, got.positive)) return false;
  return !compare_hint || want.hint == got.hint;
}

} // namespace nsmon::engine
