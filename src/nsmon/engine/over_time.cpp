// Functions over a range vector (a matrix selector or a subquery): rate, increase and delta
// with Prometheus's extrapolation, irate/idelta, changes, resets, deriv, predict_linear,
// double_exponential_smoothing and the *_over_time family; absent_over_time.
#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <utility>

#include "nsmon/engine/eval.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::engine::detail {

using namespace promql;

namespace {

using Points = std::span<const Point>;

// The factor by which rate/increase/delta scale the change between a window's first and last
// samples: extrapolated towards the window's edges, by at most half a sampling interval where the
// samples stop short of an edge by more than 1.1 intervals. A counter's `zero` (its first value,
// the change) stops the extrapolation where it would reach zero, as a counter never goes below it.
double extrapolation(Points p, const Window& w, std::optional<std::pair<double, double>> zero, bool per_second) {
  double range_start = static_cast<double>(w.end - w.range), range_end = static_cast<double>(w.end);
  double to_start = (static_cast<double>(p.front().t) - range_start) / 1000;
  double to_end = (range_end - static_cast<double>(p.back().t)) / 1000;
  double sampled = static_cast<double>(p.back().t - p.front().t) / 1000;
  double average = sampled / static_cast<double>(p.size() - 1);
  double threshold = average * 1.1;
  if (to_start >= threshold) to_start = average / 2;
  if (zero) {
    auto [first, change] = *zero;
    double to_zero = to_start;
    if (change > 0 && first >= 0) to_zero = sampled * (first / change);
    if (to_zero < to_start) to_start = to_zero;
  }
  if (to_end >= threshold) to_end = average / 2;
  double factor = sampled != 0 ? (sampled + to_start + to_end) / sampled : 1.0;
  if (per_second) factor /= static_cast<double>(w.range) / 1000;
  return factor;
}

// rate() (counter, per second), increase() (counter) and delta() (gauge).
std::optional<double> extrapolated_rate(Points p, const Window& w, bool counter, bool per_second) {
  if (p.size() < 2) return std::nullopt;
  double result = p.back().v - p.front().v;
  if (counter)
    for (std::size_t i = 1; i < p.size(); ++i)
      if (p[i].v < p[i - 1].v) result += p[i - 1].v;
  return result *
         extrapolation(p, w, counter ? std::optional(std::pair(p.front().v, result)) : std::nullopt, per_second);
}

// rate/increase/delta over an anchored or smoothed window: from the value at the window's start
// (the sample at or before it, or interpolated) to the value at its end, no extrapolation.
std::optional<double> extended_rate(Points f, const Window& w, bool counter, bool per_second) {
  if (f.empty()) return std::nullopt;
  std::int64_t start = w.end - w.range;
  std::size_t last = f.size() - 1;
  std::size_t first = search(last, [&](std::size_t i) { return f[i].t > start; });
  first = first > 0 ? first - 1 : 0;
  if (w.smoothed) last = search(last, [&](std::size_t i) { return f[i].t >= w.end; });
  if (f[last].t <= start) return std::nullopt;
  if (w.smoothed && f[first].t > w.end) return std::nullopt;
  double left = pick_left(f, first, start, w.smoothed, counter);
  double right = pick_right(f, last, w.end, w.smoothed, counter);
  double result = right - left;
  if (counter) {
    std::size_t lo = first, hi = last + 1; // the samples strictly inside the window
    if (f[first].t <= start) ++lo;
    if (f[last].t >= w.end) --hi;
    double prev = left, correction = 0;
    for (std::size_t i = lo; i < hi; ++i) {
      if (f[i].v < prev) correction += prev;
      prev = f[i].v;
    }
    if (right < prev) correction += prev;
    result += correction;
  }
  if (per_second) result /= static_cast<double>(w.range) / 1000;
  return result;
}

std::optional<double> instant_value(Points p, bool per_second) {
  if (p.size() < 2) return std::nullopt;
  const Point& a = p[p.size() - 2];
  const Point& b = p.back();
  std::int64_t interval = b.t - a.t;
  if (interval == 0) return std::nullopt;
  double v = b.v;
  if (!per_second || !(b.v < a.v)) v = b.v - a.v;
  if (per_second) v /= static_cast<double>(interval) / 1000;
  return v;
}

std::pair<double, double> linear_regression(Points p, std::int64_t intercept_time) {
  double n = 0, sx = 0, cx = 0, sy = 0, cy = 0, sxy = 0, cxy = 0, sx2 = 0, cx2 = 0;
  double init = p[0].v;
  bool constant = true;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (constant && i > 0 && p[i].v != init) constant = false;
    n += 1;
    double x = static_cast<double>(p[i].t - intercept_time) / 1e3;
    sx = kahan_inc(x, sx, cx);
    sy = kahan_inc(p[i].v, sy, cy);
    sxy = kahan_inc(x * p[i].v, sxy, cxy);
    sx2 = kahan_inc(x * x, sx2, cx2);
  }
  if (constant) {
    if (std::isinf(init)) return {std::nan(""), std::nan("")};
    return {0, init};
  }
  sx += cx;
  sy += cy;
  sxy += cxy;
  sx2 += cx2;
  double cov = sxy - sx * sy / n;
  double var = sx2 - sx * sx / n;
  double slope = cov / var;
  return {slope, sy / n - slope * sx / n};
}

double smoothing(Points p, double sf, double tf) {
  double s0 = 0, s1 = p[0].v, b = p[1].v - p[0].v;
  for (std::size_t i = 1; i < p.size(); ++i) {
    double x = sf * p[i].v;
    if (i - 1 != 0) b = tf * (s1 - s0) + (1 - tf) * b; // the trend at i-1 (the raw trend at 0)
    double y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

double avg(Points p) {
  double sum = p[0].v, count = 1, mean = 0, c = 0;
  bool incremental = false;
  for (std::size_t i = 1; i < p.size(); ++i) {
    count = static_cast<double>(i + 1);
    if (!incremental) {
      double nc = c;
      double ns = kahan_inc(p[i].v, sum, nc);
      if (!std::isinf(ns)) {
        sum = ns;
        c = nc;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    double q = (count - 1) / count;
    double qc = q * c;
    mean = kahan_inc(p[i].v / count, q * mean, qc);
    c = qc;
  }
  return incremental ? mean + c : sum / count + c / count;
}

double sum(Points p) {
  double s = 0, c = 0;
  for (const auto& x : p) s = kahan_inc(x.v, s, c);
  return std::isinf(s) ? s : s + c;
}

double variance(Points p) {
  double count = 0, mean = 0, cmean = 0, aux = 0, caux = 0;
  for (const auto& x : p) {
    count += 1;
    double delta = x.v - (mean + cmean);
    mean = kahan_inc(delta / count, mean, cmean);
    aux = kahan_inc(delta * (x.v - (mean + cmean)), aux, caux);
  }
  return (aux + caux) / count;
}

// max_over_time/min_over_time and their ts_of_ twins: the first extreme wins; NaN loses.
Point extreme(Points p, bool max) {
  Point best = p[0];
  for (const auto& x : p) {
    bool better = max ? x.v > best.v : x.v < best.v;
    if (better || std::isnan(best.v)) best = x;
  }
  return best;
}

std::vector<double> values_of(Points p) {
  std::vector<double> v;
  v.reserve(p.size());
  for (const auto& x : p) v.push_back(x.v);
  return v;
}

bool ends_like_counter(const std::string& n) {
  auto ends = [&](std::string_view s) {
    return n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0;
  };
  return ends("_total") || ends("_sum") || ends("_count") || ends("_bucket");
}

// ---- native histograms ----

HistogramPtr finish(std::shared_ptr<Histogram> h) {
  compact(*h);
  return h;
}

// Prometheus's histogramRate: last - first at the lowest schema of the window, plus (counters)
// the histogram before each reset; nullptr when the window mixes exponential and custom buckets.
std::shared_ptr<Histogram> histogram_increase(Context& ctx, Points p, bool counter, const std::string& metric,
                                              const Expr* at) {
  Histogram empty;
  const Histogram* prev = p.front().h.get();
  const Histogram& last = *p.back().h;
  if (counter && (prev->hint == ResetHint::gauge || last.hint == ResetHint::gauge))
    ctx.warn("PromQL warning: this native histogram metric is not a counter: " + text::go::quote(metric), at);
  // A reset between the first two samples: the first one's layout does not matter.
  if (counter && p.size() > 1 && detect_reset(*p[1].h, *prev)) {
    empty.schema = p[1].h->schema;
    empty.custom_values = p[1].h->custom_values;
    prev = &empty;
  }
  auto mixed = [&] {
    ctx.warn_mixed_schemas(metric, at);
    return nullptr;
  };
  if (last.custom() != prev->custom()) return mixed();
  std::int32_t min_schema = std::min(prev->schema, last.schema);
  for (std::size_t i = 1; i + 1 < p.size(); ++i) {
    const Histogram& cur = *p[i].h;
    if (!counter) continue;
    if (cur.hint == ResetHint::gauge)
      ctx.warn("PromQL warning: this native histogram metric is not a counter: " + text::go::quote(metric), at);
    min_schema = std::min(min_schema, cur.schema);
    if (cur.custom() != prev->custom()) return mixed();
  }
  auto h = std::make_shared<Histogram>(last);
  reduce_resolution(*h, min_schema);
  Combine c = add(*h, *prev, true);
  if (has(c, Combine::mixed_schemas)) return mixed();
  if (has(c, Combine::custom_reconciled))
    ctx.info("PromQL info: mismatched custom buckets were reconciled during subtraction", at);
  if (counter) {
    for (std::size_t i = 1; i < p.size(); ++i) {
      if (detect_reset(*p[i].h, *prev)) add(*h, *prev);
      prev = p[i].h.get();
    }
  } else if (p.front().h->hint != ResetHint::gauge || last.hint != ResetHint::gauge) {
    ctx.warn("PromQL warning: this native histogram metric is not a gauge: " + text::go::quote(metric), at);
  }
  h->hint = ResetHint::gauge;
  return h;
}

// rate/increase/delta of histograms, extrapolated as floats are (the zero point from counts).
HistogramPtr histogram_rate(Context& ctx, Points p, const Window& w, bool counter, bool per_second,
                            const std::string& metric, const Expr* at) {
  if (p.size() < 2) return nullptr;
  auto h = histogram_increase(ctx, p, counter, metric, at);
  if (!h) return nullptr;
  scale(*h, extrapolation(p, w, counter ? std::optional(std::pair(p.front().h->count, h->count)) : std::nullopt,
                          per_second));
  return finish(std::move(h));
}

// irate/idelta of the last two histograms.
HistogramPtr histogram_instant(Context& ctx, const Point& a, const Point& b, bool per_second, const std::string& metric,
                               const Expr* at) {
  std::int64_t interval = b.t - a.t;
  if (interval == 0) return nullptr;
  auto h = std::make_shared<Histogram>(*b.h);
  if (per_second && (a.h->hint == ResetHint::gauge || b.h->hint == ResetHint::gauge))
    ctx.warn("PromQL warning: this native histogram metric is not a counter: " + text::go::quote(metric), at);
  if (!per_second && (a.h->hint != ResetHint::gauge || b.h->hint != ResetHint::gauge))
    ctx.warn("PromQL warning: this native histogram metric is not a gauge: " + text::go::quote(metric), at);
  if (!per_second || !detect_reset(*b.h, *a.h)) {
    Combine c = add(*h, *a.h, true);
    if (has(c, Combine::custom_reconciled))
      ctx.info("PromQL info: mismatched custom buckets were reconciled during subtraction", at);
    if (has(c, Combine::mixed_schemas)) {
      ctx.warn_mixed_schemas(metric, at);
      return nullptr;
    }
  }
  h->hint = ResetHint::gauge;
  if (per_second) divide(*h, static_cast<double>(interval) / 1000);
  return finish(std::move(h));
}

// rate/increase/delta of histograms over an anchored or smoothed window (Prometheus's
// extendedHistogramRate): from the histogram at the window's start to the one at its end, no
// extrapolation, counter resets corrected.
HistogramPtr extended_histogram_rate(Context& ctx, Points h, const Window& w, bool counter, bool per_second,
                                     const std::string& metric, const Expr* at) {
  const std::int64_t start = w.end - w.range;
  std::size_t last = h.size() - 1;
  std::size_t first = search(last, [&](std::size_t i) { return h[i].t > start; });
  first = first > 0 ? first - 1 : 0;
  if (w.smoothed) last = search(last, [&](std::size_t i) { return h[i].t >= w.end; });
  if (h[last].t <= start || (w.smoothed && h[first].t > w.end)) return nullptr;
  auto mixed = [&] {
    ctx.warn_mixed_schemas(metric, at);
    return nullptr;
  };
  for (std::size_t i = first; i <= last; ++i) {
    if (h[i].h->custom() != h[first].h->custom()) return mixed();
    if (counter && h[i].h->hint == ResetHint::gauge)
      ctx.warn("PromQL warning: this native histogram metric is not a counter: " + text::go::quote(metric), at);
  }
  std::shared_ptr<Histogram> left = w.smoothed && h[first].t < start && first + 1 < h.size()
                                        ? interpolate_histogram(h[first], h[first + 1], start, counter)
                                        : std::make_shared<Histogram>(*h[first].h);
  std::shared_ptr<Histogram> right = w.smoothed && last > 0 && h[last].t > w.end
                                         ? interpolate_histogram(h[last - 1], h[last], w.end, counter)
                                         : std::make_shared<Histogram>(*h[last].h);
  if (!left || !right) return mixed();
  if (!counter && (left->hint != ResetHint::gauge || right->hint != ResetHint::gauge))
    ctx.warn("PromQL warning: this native histogram metric is not a gauge: " + text::go::quote(metric), at);
  auto result = std::make_shared<Histogram>(*right);
  Combine c = add(*result, *left, true);
  if (has(c, Combine::mixed_schemas)) return mixed();
  if (has(c, Combine::custom_reconciled))
    ctx.info("PromQL info: mismatched custom buckets were reconciled during subtraction", at);
  if (counter) {
    // The histogram before each reset strictly inside the window, and before the right edge.
    std::size_t from = first + 1;
    const Histogram* prev = left.get();
    if (w.smoothed && h[first].t < start && first + 1 < h.size() && detect_reset(*h[first + 1].h, *h[first].h)) {
      prev = h[first + 1].h.get(); // the left interpolation already spans that reset
      ++from;
    }
    if (from <= last) {
      for (std::size_t i = from; i < last; ++i) {
        if (detect_reset(*h[i].h, *prev) && has(add(*result, *prev), Combine::mixed_schemas)) return mixed();
        prev = h[i].h.get();
      }
      if (detect_reset(*right, *prev) && has(add(*result, *prev), Combine::mixed_schemas)) return mixed();
    }
  }
  if (per_second) divide(*result, static_cast<double>(w.range) / 1000);
  result->hint = ResetHint::gauge;
  return finish(std::move(result));
}

// sum_over_time/avg_over_time of histograms (avg: the sum over the count).
HistogramPtr histogram_sum(Context& ctx, Points p, bool average, const std::string& metric, const Expr* at) {
  HistogramSum h(average);
  // Inputs hinted both reset and not_reset conflict (Prometheus looks at the hints, not the sums).
  bool reset = false, not_reset = false;
  for (const auto& x : p) {
    reset = reset || x.h->hint == ResetHint::reset;
    not_reset = not_reset || x.h->hint == ResetHint::not_reset;
  }
  if (reset && not_reset) ctx.warn("PromQL warning: conflicting counter resets during histogram aggregation", at);
  for (const auto& x : p) {
    Combine c = h.add(*x.h);
    if (has(c, Combine::mixed_schemas)) {
      ctx.warn_mixed_schemas(metric, at);
      return nullptr;
    }
    if (has(c, Combine::custom_reconciled))
      ctx.info("PromQL info: mismatched custom buckets were reconciled during aggregation", at);
  }
  return h.result();
}

// The functions that read histograms; the others see only a window's floats.
bool reads_histograms(const std::string& n) {
  return n == "rate" || n == "increase" || n == "delta" || n == "irate" || n == "idelta" || n == "sum_over_time" ||
         n == "avg_over_time" || n == "count_over_time" || n == "present_over_time" || n == "last_over_time" ||
         n == "first_over_time" || n == "ts_of_last_over_time" || n == "ts_of_first_over_time" || n == "changes" ||
         n == "resets";
}

// changes(): histograms compare without their reset hints (which the store sets).
bool same_value(const Point& a, const Point& b) {
  if (a.h && b.h) return same_histogram(*a.h, *b.h);
  if (a.h || b.h) return false;
  return a.v == b.v || (std::isnan(a.v) && std::isnan(b.v));
}

Labels absent_over_time_labels(const Expr& arg) {
  const Expr* x = &arg;
  while (x->kind == NodeKind::paren) x = x->as<ParenExpr>().expr;
  if (x->kind != NodeKind::matrix_selector) return {};
  return selector_absent_labels(x->as<MatrixSelector>().selector->as<VectorSelector>());
}

} // namespace

Value eval_range_call(Context& ctx, const Call& e, std::int64_t t) {
  const std::string& name = e.name;
  std::size_t matrix_index = 0;
  for (std::size_t i = 0; i < e.args.size(); ++i)
    if (e.args[i]->type == ValueType::matrix) matrix_index = i;
  std::vector<double> scalars;
  for (std::size_t i = 0; i < e.args.size(); ++i)
    if (i != matrix_index) scalars.push_back(evaluate(ctx, *e.args[i], t).scalar);
  Window w = evaluate_window(ctx, *e.args[matrix_index], t);

  if (name == "absent_over_time") {
    if (!w.series.empty()) return make_vector({});
    return make_vector({{absent_over_time_labels(*e.args[matrix_index]), 1, t}});
  }
  if (name == "quantile_over_time" && (std::isnan(scalars[0]) || scalars[0] < 0 || scalars[0] > 1) && !w.series.empty())
    ctx.warn("PromQL warning: quantile value should be between 0 and 1, got " + text::go::format_float_v(scalars[0]),
             e.args[0]);
  if (name == "double_exponential_smoothing" && !w.series.empty()) {
    double sf = scalars[0], tf = scalars[1];
    if (sf <= 0 || sf >= 1) fail("invalid smoothing factor. Expected: 0 < sf < 1, got: " + text::go::format_float6(sf));
    if (tf <= 0 || tf >= 1) fail("invalid trend factor. Expected: 0 < tf < 1, got: " + text::go::format_float6(tf));
  }

  if (w.anchored && name != "rate" && name != "increase" && name != "delta" && name != "resets" && name != "changes")
    fail("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with " + name);
  if (w.smoothed && name != "rate" && name != "increase" && name != "delta")
    fail("smoothed modifier can only be used with: delta, increase, rate - not with " + name);

  bool keep_name = name == "last_over_time" || name == "first_over_time";
  // Decided once per call, not per series: the loop below is the hot path of range queries.
  const bool rates = name == "rate" || name == "increase" || name == "delta";
  const bool extended = (w.anchored || w.smoothed) && rates;
  const bool sums = rates || name == "irate" || name == "idelta" || name == "sum_over_time" || name == "avg_over_time";
  const bool float_only_function = !reads_histograms(name);
  const Expr* at = e.args[matrix_index];
  static const std::string no_name;
  std::vector<Sample> out;
  for (std::size_t si = 0; si < w.series.size(); ++si) {
    Series& s = w.series[si];
    bool input_drops = si < w.drop_name.size() && w.drop_name[si];
    Points p = s.points;
    std::optional<double> v;
    HistogramPtr hv;
    const bool has_h = w.histograms && std::any_of(p.begin(), p.end(), [](const Point& x) { return x.h != nullptr; });
    std::vector<Point> floats_only;
    if (has_h && float_only_function) {
      // Prometheus's float functions see the floats of a window and ignore its histograms.
      for (const auto& x : p)
        if (!x.h) floats_only.push_back(x);
      if (floats_only.empty()) continue;
      ctx.info("PromQL info: ignored histograms in a range containing both floats and histograms for metric name " +
                   text::go::quote(get(s.labels, "__name__")),
               e.args[matrix_index]);
      p = floats_only;
    }
    const bool has_f = !has_h || std::any_of(p.begin(), p.end(), [](const Point& x) { return x.h == nullptr; });
    // The name, for annotations: only histogram windows and rates have any.
    const std::string& metric = has_h || rates ? get(s.labels, "__name__") : no_name;
    if (w.anchored) {
      // Changes and resets count from the last sample at or before the start (the anchor).
      std::int64_t start = w.end - w.range;
      std::size_t after = search(p.size(), [&](std::size_t i) { return p[i].t > start; });
      if (after >= p.size()) continue;
      if (name == "changes" || name == "resets") p = p.subspan(after > 0 ? after - 1 : 0);
    }
    if (has_h && has_f && sums) {
      if (name == "irate" || name == "idelta") {
        // Only the last two samples matter: a float and a histogram among them is a mix.
        if (p.size() >= 2 && (p[p.size() - 2].h != nullptr) != (p.back().h != nullptr))
          ctx.warn("PromQL warning: encountered a mix of histograms and floats for metric name " +
                       text::go::quote(metric),
                   at);
        if (p.size() >= 2 && (p[p.size() - 2].h != nullptr) != (p.back().h != nullptr)) continue;
      } else {
        ctx.warn("PromQL warning: encountered a mix of histograms and floats for metric name " +
                     text::go::quote(metric),
                 at);
        continue;
      }
    }
    if (has_h && sums && p.back().h) {
      if (extended) hv = extended_histogram_rate(ctx, p, w, name != "delta", name == "rate", metric, at);
      else if (name == "rate" || name == "increase" || name == "delta")
        hv = histogram_rate(ctx, p, w, name != "delta", name == "rate", metric, at);
      else if (name == "irate" || name == "idelta") {
        if (p.size() >= 2) hv = histogram_instant(ctx, p[p.size() - 2], p.back(), name == "irate", metric, at);
      } else hv = histogram_sum(ctx, p, name == "avg_over_time", metric, at);
      if (!hv) continue;
      v = 0;
    } else if (extended) v = extended_rate(p, w, name != "delta", name == "rate");
    else if (name == "rate") v = extrapolated_rate(p, w, true, true);
    else if (name == "increase") v = extrapolated_rate(p, w, true, false);
    else if (name == "delta") v = extrapolated_rate(p, w, false, false);
    else if (name == "irate") v = instant_value(p, true);
    else if (name == "idelta") v = instant_value(p, false);
    else if (name == "changes" || name == "resets") {
      double n = 0;
      for (std::size_t i = 1; i < p.size(); ++i) {
        if (p[i - 1].h || p[i].h) {
          // A float after a histogram, or the reverse, is a change and a reset.
          bool both = p[i - 1].h && p[i].h;
          if (name == "changes" ? !same_value(p[i - 1], p[i]) : !both || detect_reset(*p[i].h, *p[i - 1].h)) n += 1;
          continue;
        }
        double a = p[i - 1].v, b = p[i].v;
        if (name == "resets" ? b < a : (b != a && !(std::isnan(a) && std::isnan(b)))) n += 1;
      }
      v = n;
    } else if (name == "deriv") {
      if (p.size() >= 2) v = linear_regression(p, p[0].t).first;
    } else if (name == "predict_linear") {
      if (p.size() >= 2) {
        auto [slope, intercept] = linear_regression(p, t);
        v = slope * scalars[0] + intercept;
      }
    } else if (name == "double_exponential_smoothing") {
      if (p.size() >= 2) v = smoothing(p, scalars[0], scalars[1]);
    } else if (name == "avg_over_time") v = avg(p);
    else if (name == "sum_over_time") v = sum(p);
    else if (name == "count_over_time") v = static_cast<double>(p.size());
    else if (name == "present_over_time") v = 1;
    else if (name == "last_over_time") v = p.back().v, hv = p.back().h;
    else if (name == "first_over_time") v = p.front().v, hv = p.front().h;
    else if (name == "ts_of_last_over_time") v = static_cast<double>(p.back().t) / 1000;
    else if (name == "ts_of_first_over_time") v = static_cast<double>(p.front().t) / 1000;
    else if (name == "max_over_time") v = extreme(p, true).v;
    else if (name == "min_over_time") v = extreme(p, false).v;
    else if (name == "ts_of_max_over_time") v = static_cast<double>(extreme(p, true).t) / 1000;
    else if (name == "ts_of_min_over_time") v = static_cast<double>(extreme(p, false).t) / 1000;
    else if (name == "stdvar_over_time") v = variance(p);
    else if (name == "stddev_over_time") v = std::sqrt(variance(p));
    else if (name == "quantile_over_time") {
      auto values = values_of(p);
      v = quantile(scalars[0], values);
    } else if (name == "mad_over_time") {
      auto values = values_of(p);
      if (std::any_of(values.begin(), values.end(), [](double x) { return std::isnan(x); })) {
        v = std::nan("");
      } else {
        double median = quantile(0.5, values);
        for (auto& x : values) x = std::abs(x - median);
        v = quantile(0.5, values);
      }
    } else {
      fail("function \"" + name + "\" is not supported by nsmon's engine");
    }
    if (!v) continue;
    if ((name == "rate" || name == "increase") && has_f) {
      if (!metric.empty() && !ends_like_counter(metric))
        ctx.info("PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: " +
                     text::go::quote(metric),
                 e.args[matrix_index]);
    }
    Sample sample{std::move(s.labels), *v, t, false, std::move(hv)};
    if (!keep_name || input_drops) drop_name(ctx, sample);
    out.push_back(std::move(sample));
  }
  check_unique(ctx, out);
  return make_vector(std::move(out));
}

} // namespace nsmon::engine::detail
