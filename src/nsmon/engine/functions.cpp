// Functions over instant vectors and scalars: math, clamp/round, time and date, vector/scalar,
// absent, sorting, label_replace/label_join and histogram_quantile/histogram_fraction on classic
// buckets. Range-vector functions are in over_time.cpp. Native histograms are not stored, so the
// native-only functions (histogram_count, histogram_sum, ...) return nothing.
#include "nsmon/promql/functions.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numbers>
#include <re2/re2.h>

#include "nsmon/engine/eval.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::engine::detail {

using namespace promql;

namespace {

// A bucket's bound: strconv.ParseFloat of its le, a bound beyond the doubles taken as ±Inf.
std::optional<double> parse_le(std::string_view le) {
  return text::go::parse_float(le, nullptr, text::go::Overflow::infinity);
}

// Go's math.Min and math.Max: NaN wins, and -0 is below +0.
double go_min(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::nan("");
  if (a == 0 && b == 0) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
double go_max(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::nan("");
  if (a == 0 && b == 0) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

const Expr& unwrap(const Expr* e) {
  while (e->kind == NodeKind::paren) e = e->as<ParenExpr>().expr;
  return *e;
}

const std::string& string_arg(const Call& e, std::size_t i) { return unwrap(e.args[i]).as<StringLiteral>().value; }

std::vector<Sample> map_values(const Context& ctx, std::vector<Sample> v, const std::function<double(double)>& f) {
  std::erase_if(v, [](const Sample& s) { return s.h != nullptr; }); // float functions skip histograms
  for (auto& s : v) {
    s.v = f(s.v);
    drop_name(ctx, s);
  }
  check_unique(ctx, v);
  return v;
}

// ---- dates (UTC, proleptic Gregorian, as Go's time package) ----
struct Civil {
  std::int64_t year;
  int month, day, hour, minute, weekday, yday;
};

Civil civil_from_seconds(std::int64_t secs) {
  std::int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Civil c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.weekday = static_cast<int>(((days % 7) + 7 + 4) % 7); // 1970-01-01 was a Thursday
  // Howard Hinnant's civil_from_days.
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = c.month <= 2 ? y + 1 : y;
  bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
  static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  c.yday = before[c.month - 1] + c.day + (leap && c.month > 2 ? 1 : 0);
  return c;
}

double days_in_month(const Civil& c) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
  return c.month == 2 && leap ? 29 : days[c.month - 1];
}

// Go's int64(f) on amd64: out of range and NaN give INT64_MIN.
std::int64_t go_int64(double f) {
  if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) return INT64_MIN;
  return static_cast<std::int64_t>(f);
}

std::optional<std::function<double(const Civil&)>> date_function(std::string_view name) {
  if (name == "day_of_month") return [](const Civil& c) { return double(c.day); };
  if (name == "day_of_week") return [](const Civil& c) { return double(c.weekday); };
  if (name == "day_of_year") return [](const Civil& c) { return double(c.yday); };
  if (name == "days_in_month") return [](const Civil& c) { return days_in_month(c); };
  if (name == "hour") return [](const Civil& c) { return double(c.hour); };
  if (name == "minute") return [](const Civil& c) { return double(c.minute); };
  if (name == "month") return [](const Civil& c) { return double(c.month); };
  if (name == "year") return [](const Civil& c) { return double(c.year); };
  return std::nullopt;
}

std::optional<double (*)(double)> math_function(std::string_view n) {
  static const std::map<std::string_view, double (*)(double)> table = {
      {"abs", [](double v) { return std::abs(v); }},
      {"ceil", [](double v) { return std::ceil(v); }},
      {"floor", [](double v) { return std::floor(v); }},
      {"exp", [](double v) { return std::exp(v); }},
      {"sqrt", [](double v) { return std::sqrt(v); }},
      {"ln", [](double v) { return std::log(v); }},
      {"log2", [](double v) { return std::log2(v); }},
      {"log10", [](double v) { return std::log10(v); }},
      {"sin", [](double v) { return std::sin(v); }},
      {"cos", [](double v) { return std::cos(v); }},
      {"tan", [](double v) { return std::tan(v); }},
      {"asin", [](double v) { return std::asin(v); }},
      {"acos", [](double v) { return std::acos(v); }},
      {"atan", [](double v) { return std::atan(v); }},
      {"sinh", [](double v) { return std::sinh(v); }},
      {"cosh", [](double v) { return std::cosh(v); }},
      {"tanh", [](double v) { return std::tanh(v); }},
      {"asinh", [](double v) { return std::asinh(v); }},
      {"acosh", [](double v) { return std::acosh(v); }},
      {"atanh", [](double v) { return std::atanh(v); }},
      {"rad", [](double v) { return v * std::numbers::pi / 180; }},
      {"deg", [](double v) { return v * 180 / std::numbers::pi; }},
      {"sgn", [](double v) { return v < 0   ? -1.0
                                    : v > 0 ? 1.0
                                            : v; }},
  };
  auto it = table.find(n);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

// ---- label_replace / label_join ----
bool valid_label_name(const std::string& n) { return !n.empty() && text::go::valid_utf8(n); }

Value label_replace(Context& ctx, const Call& e, std::int64_t t) {
  const auto& dst = string_arg(e, 1);
  const auto& repl = string_arg(e, 2);
  const auto& src = string_arg(e, 3);
  const auto& pattern = string_arg(e, 4);
  // Prometheus anchors it as a label matcher's: ^(?s:regex)$.
  const RE2& re = labels::regex(pattern, labels::Dialect::prometheus);
  if (!re.ok()) fail("invalid regular expression in label_replace(): " + pattern);
  if (!valid_label_name(dst)) fail("invalid destination label name in label_replace(): " + dst);
  std::vector<Sample> v = evaluate(ctx, *e.args[0], t).vector;
  for (auto& s : v) {
    const std::optional<std::string> value = labels::replaced(re, get(s.labels, src), repl);
    if (!value) continue;
    set_label(s.labels, dst, *value);
    if (dst == "__name__") s.drop_name = false;
  }
  check_unique(v);
  return make_vector(std::move(v));
}

Value label_join(Context& ctx, const Call& e, std::int64_t t) {
  const auto& dst = string_arg(e, 1);
  const auto& sep = string_arg(e, 2);
  std::vector<std::string> srcs;
  for (std::size_t i = 3; i < e.args.size(); ++i) {
    const auto& src = string_arg(e, i);
    if (!valid_label_name(src)) fail("invalid source label name in label_join(): " + src);
    srcs.push_back(src);
  }
  if (!valid_label_name(dst)) fail("invalid destination label name in label_join(): " + dst);
  std::vector<Sample> v = evaluate(ctx, *e.args[0], t).vector;
  for (auto& s : v) {
    std::string joined;
    for (std::size_t i = 0; i < srcs.size(); ++i) {
      if (i > 0) joined += sep;
      joined += get(s.labels, srcs[i]);
    }
    set_label(s.labels, dst, joined);
    if (dst == "__name__") s.drop_name = false;
  }
  check_unique(v);
  return make_vector(std::move(v));
}

// ---- absent ----
Labels absent_labels(const Expr& arg) {
  const Expr* x = &arg;
  if (x->kind == NodeKind::matrix_selector) x = x->as<MatrixSelector>().selector;
  if (x->kind != NodeKind::vector_selector) return {};
  return selector_absent_labels(x->as<VectorSelector>());
}

// ---- sorting ----
// Prometheus's natsort.Compare: digit runs compare as numbers, the rest byte by byte.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t si = i, sj = j;
      while (si < a.size() && a[si] == '0') ++si;
      while (sj < b.size() && b[sj] == '0') ++sj;
      std::size_t ei = si, ej = sj;
      while (ei < a.size() && digit(a[ei])) ++ei;
      while (ej < b.size() && digit(b[ej])) ++ej;
      if (ei - si != ej - sj) return ei - si < ej - sj;
      int c = a.compare(si, ei - si, b, sj, ej - sj);
      if (c != 0) return c < 0;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

std::vector<Sample> sort_by_label(std::vector<Sample> v, const Call& e, bool desc) {
  std::vector<std::string> names;
  for (std::size_t i = 1; i < e.args.size(); ++i) names.push_back(string_arg(e, i));
  std::stable_sort(v.begin(), v.end(), [&](const Sample& a, const Sample& b) {
    for (const auto& n : names) {
      const auto& x = get(a.labels, n);
      const auto& y = get(b.labels, n);
      if (x == y) continue;
      return desc ? natural_less(y, x) : natural_less(x, y);
    }
    return desc ? b.labels < a.labels : a.labels < b.labels;
  });
  return v;
}

// ---- classic histograms ----
struct Bucket {
  double upper;
  double count;
};

bool almost_equal(double a, double b, double epsilon) {
  constexpr double min_normal = 2.2250738585072014e-308;
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  double abs_sum = std::abs(a) + std::abs(b);
  double diff = std::abs(a - b);
  if (a == 0 || b == 0 || abs_sum < min_normal) return diff < epsilon * min_normal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < epsilon;
}

// Sorts, merges equal bounds; false when the highest bound is not +Inf.
bool prepare(std::vector<Bucket>& b) {
  std::stable_sort(b.begin(), b.end(), [](const Bucket& x, const Bucket& y) { return x.upper < y.upper; });
  if (!(std::isinf(b.back().upper) && b.back().upper > 0)) return false;
  std::vector<Bucket> merged{b.front()};
  for (std::size_t i = 1; i < b.size(); ++i) {
    if (b[i].upper == merged.back().upper) merged.back().count += b[i].count;
    else merged.push_back(b[i]);
  }
  b = std::move(merged);
  return true;
}

double bucket_quantile(double q, std::vector<Bucket> b, bool& forced) {
  if (std::isnan(q)) return std::nan("");
  if (q < 0) return -HUGE_VAL;
  if (q > 1) return HUGE_VAL;
  if (!prepare(b)) return std::nan("");
  double prev = b[0].count;
  for (std::size_t i = 1; i < b.size(); ++i) {
    double cur = b[i].count;
    if (cur == prev) continue;
    if (almost_equal(prev, cur, 1e-12)) {
      b[i].count = prev;
      continue;
    }
    if (cur < prev) {
      b[i].count = prev;
      forced = true;
      continue;
    }
    prev = cur;
  }
  if (b.size() < 2) return std::nan("");
  double observations = b.back().count;
  if (observations == 0) return std::nan("");
  double rank = q * observations;
  std::size_t n = b.size() - 1, idx = n;
  for (std::size_t i = 0; i < n; ++i)
    if (b[i].count >= rank) {
      idx = i;
      break;
    }
  if (idx == n) return b[n - 1].upper;
  if (idx == 0 && b[0].upper <= 0) return b[0].upper;
  double start = 0, end = b[idx].upper, count = b[idx].count;
  if (idx > 0) {
    start = b[idx - 1].upper;
    count -= b[idx - 1].count;
    rank -= b[idx - 1].count;
  }
  return start + (end - start) * (rank / count);
}

double bucket_fraction(double lower, double upper, std::vector<Bucket> b) {
  if (!prepare(b)) return std::nan("");
  double count = b.back().count;
  if (count == 0 || std::isnan(lower) || std::isnan(upper)) return std::nan("");
  if (lower >= upper) return 0;
  double rank = 0, lower_rank = 0, upper_rank = 0;
  bool lower_set = false, upper_set = false;
  double lower_bound = b[0].upper <= 0 ? -HUGE_VAL : 0.0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i > 0) lower_bound = b[i - 1].upper;
    double upper_bound = b[i].upper;
    auto interpolate = [&](double v) {
      if (std::isinf(lower_bound) && lower_bound < 0) return b[i].count;
      return rank + (b[i].count - rank) * (v - lower_bound) / (upper_bound - lower_bound);
    };
    if (!lower_set && lower_bound >= lower) {
      lower_rank = rank;
      lower_set = true;
    }
    if (!upper_set && lower_bound >= upper) {
      upper_rank = rank;
      upper_set = true;
    }
    if (lower_set && upper_set) break;
    if (!lower_set && lower_bound < lower && upper_bound > lower) {
      lower_rank = interpolate(lower);
      lower_set = true;
    }
    if (!upper_set && lower_bound < upper && upper_bound > upper) {
      upper_rank = interpolate(upper);
      upper_set = true;
    }
    if (lower_set && upper_set) break;
    rank = b[i].count;
  }
  if (!lower_set || lower_rank > count) lower_rank = count;
  if (!upper_set || upper_rank > count) upper_rank = count;
  return (upper_rank - lower_rank) / count;
}

// Buckets grouped by their labels without `le`; output labels also without __name__.
std::vector<std::pair<Labels, std::vector<Bucket>>> bucket_groups(Context& ctx, const std::vector<Sample>& in,
                                                                  const Expr* arg) {
  LabelsMap<std::size_t> index;
  std::vector<std::pair<Labels, std::vector<Bucket>>> groups;
  for (const auto& s : in) {
    if (s.h) continue; // native histograms are not buckets
    auto upper = parse_le(get(s.labels, "le"));
    if (!upper) {
      const std::string metric = ctx.delayed() ? get(s.labels, "__name__") : std::string();
      ctx.warn("PromQL warning: bucket label \"le\" is missing or has a malformed value of " +
                   text::go::quote(get(s.labels, "le")) +
                   (metric.empty() ? "" : " for metric name " + text::go::quote(metric)),
               arg);
      continue;
    }
    Labels key = s.labels;
    set_label(key, "le", "");
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) {
      if (!ctx.delayed()) drop_name(key);
      groups.emplace_back(std::move(key), std::vector<Bucket>{});
    }
    groups[it->second].second.push_back({*upper, s.v});
  }
  return groups;
}

// Takes the native histograms out of `in`, leaving classic buckets. A native histogram with the
// labels of a classic histogram (its buckets' labels without `le`) is a conflict: neither is
// used, with a warning (Prometheus's resetHistograms).
std::vector<Sample> split_native(Context& ctx, std::vector<Sample>& in, const Expr* arg) {
  auto classic_end = std::stable_partition(in.begin(), in.end(), [](const Sample& s) { return s.h == nullptr; });
  std::vector<Sample> native(std::make_move_iterator(classic_end), std::make_move_iterator(in.end()));
  in.erase(classic_end, in.end());
  if (native.empty() || in.empty()) return native;
  LabelsMap<bool> classic;
  for (const auto& s : in) {
    if (!parse_le(get(s.labels, "le"))) continue;
    Labels key = s.labels;
    set_label(key, "le", "");
    classic[key] = true;
  }
  LabelsMap<bool> conflicts;
  std::erase_if(native, [&](const Sample& s) {
    if (!classic.count(s.labels)) return false;
    ctx.warn("PromQL warning: vector contains a mix of classic and native histograms for metric name " +
                 text::go::quote(ctx.delayed() ? get(s.labels, "__name__") : ""),
             arg);
    conflicts[s.labels] = true;
    return true;
  });
  std::erase_if(in, [&](const Sample& s) {
    Labels key = s.labels;
    set_label(key, "le", "");
    return conflicts.count(key) > 0;
  });
  return native;
}

// Prometheus's infos for NaN observations in a native histogram.
void nan_info(Context& ctx, NaNNote note, const Sample& s, const Expr* arg) {
  static const char* const text[] = {
      "", "input to histogram_quantile has NaN observations, result is NaN",
      "input to histogram_quantile has NaN observations, result is skewed higher",
      "input to histogram_fraction has NaN observations, which are excluded from all fractions"};
  if (note == NaNNote::none) return;
  const std::string metric = ctx.delayed() ? get(s.labels, "__name__") : std::string();
  ctx.info(std::string("PromQL info: ") + text[static_cast<int>(note)] +
               (metric.empty() ? "" : " for metric name " + text::go::quote(metric)),
           arg);
}

// A function of each native histogram sample (histogram_count, ...): floats give nothing.
Value per_histogram(Context& ctx, std::vector<Sample> in, std::int64_t t,
                    const std::function<double(const Histogram&)>& f) {
  std::vector<Sample> out;
  for (auto& s : in) {
    if (!s.h) continue;
    Sample r{std::move(s.labels), f(*s.h), t, s.drop_name};
    drop_name(ctx, r);
    out.push_back(std::move(r));
  }
  check_unique(ctx, out);
  return make_vector(std::move(out));
}

Value histogram_quantile(Context& ctx, const Call& e, double q, std::vector<Sample> in, std::int64_t t) {
  if (std::isnan(q) || q < 0 || q > 1)
    ctx.warn("PromQL warning: quantile value should be between 0 and 1, got " + text::go::format_float_v(q), e.args[0]);
  std::vector<Sample> out;
  for (auto& s : split_native(ctx, in, e.args[1])) {
    NaNNote note = NaNNote::none;
    double v = engine::histogram_quantile(q, *s.h, &note);
    nan_info(ctx, note, s, e.args[1]);
    Sample r{std::move(s.labels), v, t, s.drop_name};
    drop_name(ctx, r);
    out.push_back(std::move(r));
  }
  for (auto& [labels, buckets] : bucket_groups(ctx, in, e.args[1])) {
    bool forced = false;
    double v = bucket_quantile(q, std::move(buckets), forced);
    if (forced)
      ctx.info("PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see "
               "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)",
               e.args[1]);
    out.push_back({std::move(labels), v, t, true});
  }
  check_unique(ctx, out);
  return make_vector(std::move(out));
}

// labels.FormatOpenMetricsFloat: %g, with ".0" on integers.
std::string openmetrics_float(double q) {
  std::string text = text::go::format_float_v(q);
  if (text.find_first_of(".eIN") == std::string::npos) text += ".0";
  return text;
}

// histogram_quantiles(v, "label", q...): one series per quantile, the label naming it.
Value histogram_quantiles(Context& ctx, const Call& e, std::int64_t t) {
  std::vector<Sample> in = evaluate(ctx, *e.args[0], t).vector;
  const std::string& label = string_arg(e, 1);
  std::vector<double> qs;
  for (std::size_t i = 2; i < e.args.size(); ++i) {
    double q = evaluate(ctx, *e.args[i], t).scalar;
    if (std::isnan(q) || q < 0 || q > 1)
      ctx.warn("PromQL warning: quantile value should be between 0 and 1, got " + text::go::format_float_v(q),
               e.args[i]);
    qs.push_back(q);
  }
  std::vector<Sample> native = split_native(ctx, in, e.args[0]);
  auto groups = bucket_groups(ctx, in, e.args[0]);
  std::vector<Sample> out;
  for (double q : qs) {
    for (const auto& s : native) {
      NaNNote note = NaNNote::none;
      double v = engine::histogram_quantile(q, *s.h, &note);
      nan_info(ctx, note, s, e.args[0]);
      Sample r{s.labels, v, t, s.drop_name};
      set_label(r.labels, label, openmetrics_float(q));
      drop_name(ctx, r);
      out.push_back(std::move(r));
    }
    for (const auto& [labels, buckets] : groups) {
      bool forced = false;
      double v = bucket_quantile(q, buckets, forced);
      if (forced)
        ctx.info("PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see "
                 "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)",
                 e.args[0]);
      Labels ls = labels;
      set_label(ls, label, openmetrics_float(q));
      out.push_back({std::move(ls), v, t, true});
    }
  }
  check_unique(ctx, out);
  return make_vector(std::move(out));
}

Value histogram_fraction(Context& ctx, const Call& e, double lower, double upper, std::vector<Sample> in,
                         std::int64_t t) {
  std::vector<Sample> out;
  for (auto& s : split_native(ctx, in, e.args[2])) {
    NaNNote note = NaNNote::none;
    double v = engine::histogram_fraction(lower, upper, *s.h, &note);
    nan_info(ctx, note, s, e.args[2]);
    Sample r{std::move(s.labels), v, t, s.drop_name};
    drop_name(ctx, r);
    out.push_back(std::move(r));
  }
  for (auto& [labels, buckets] : bucket_groups(ctx, in, e.args[2]))
    out.push_back({std::move(labels), bucket_fraction(lower, upper, std::move(buckets)), t, true});
  check_unique(ctx, out);
  return make_vector(std::move(out));
}

bool has_range_argument(const Call& e) {
  for (const Expr* a : e.args)
    if (a->type == ValueType::matrix) return true;
  return false;
}

double scalar_arg(Context& ctx, const Call& e, std::size_t i, std::int64_t t) {
  return evaluate(ctx, *e.args[i], t).scalar;
}

} // namespace

Value eval_call(Context& ctx, const Call& e, std::int64_t t) {
  const std::string& name = e.name;
  if (has_range_argument(e)) return eval_range_call(ctx, e, t);
  if (name == "label_replace") return label_replace(ctx, e, t);
  if (name == "label_join") return label_join(ctx, e, t);
  if (name == "timestamp") {
    std::vector<Sample> v;
    if (const Expr& arg = unwrap(e.args[0]); arg.kind == NodeKind::vector_selector) {
      v = select_instant(ctx, arg.as<VectorSelector>(), t); // the samples' own times
    } else {
      v = evaluate(ctx, *e.args[0], t).vector;
    }
    for (auto& s : v) {
      s.v = static_cast<double>(s.t) / 1000;
      s.h = nullptr;
      s.t = t;
      drop_name(ctx, s);
    }
    check_unique(ctx, v);
    return make_vector(std::move(v));
  }
  if (name == "time") return make_scalar(static_cast<double>(t) / 1000, t);
  if (name == "pi") return make_scalar(std::numbers::pi, t);
  if (name == "start") return make_scalar(static_cast<double>(ctx.start) / 1000, t);
  if (name == "end") return make_scalar(static_cast<double>(ctx.end) / 1000, t);
  if (name == "step") return make_scalar(static_cast<double>(ctx.step) / 1000, t);
  if (name == "range") return make_scalar((static_cast<double>(ctx.end) - static_cast<double>(ctx.start)) / 1000, t);
  if (name == "min_of" || name == "max_of") {
    double a = scalar_arg(ctx, e, 0, t), b = scalar_arg(ctx, e, 1, t);
    return make_scalar(name == "min_of" ? go_min(a, b) : go_max(a, b), t);
  }
  if (name == "vector") return make_vector({{{}, scalar_arg(ctx, e, 0, t), t}});
  if (name == "scalar") {
    auto v = evaluate(ctx, *e.args[0], t).vector;
    std::erase_if(v, [](const Sample& s) { return s.h != nullptr; }); // the one float, histograms aside
    return make_scalar(v.size() == 1 ? v[0].v : std::nan(""), t);
  }
  if (auto date = date_function(name)) {
    std::vector<Sample> v;
    if (e.args.empty()) v.push_back({{}, std::floor(static_cast<double>(t / 1000)), t});
    else v = evaluate(ctx, *e.args[0], t).vector;
    return make_vector(
        map_values(ctx, std::move(v), [&](double f) { return (*date)(civil_from_seconds(go_int64(f))); }));
  }
  if (auto f = math_function(name)) return make_vector(map_values(ctx, evaluate(ctx, *e.args[0], t).vector, *f));
  if (name == "round") {
    double to = e.args.size() > 1 ? scalar_arg(ctx, e, 1, t) : 1;
    double inverse = 1.0 / to;
    return make_vector(map_values(ctx, evaluate(ctx, *e.args[0], t).vector,
                                  [&](double v) { return std::floor(v * inverse + 0.5) / inverse; }));
  }
  if (name == "clamp" || name == "clamp_min" || name == "clamp_max") {
    auto v = evaluate(ctx, *e.args[0], t).vector;
    double lo = -HUGE_VAL, hi = HUGE_VAL;
    if (name == "clamp") {
      lo = scalar_arg(ctx, e, 1, t);
      hi = scalar_arg(ctx, e, 2, t);
    } else if (name == "clamp_min") {
      lo = scalar_arg(ctx, e, 1, t);
    } else {
      hi = scalar_arg(ctx, e, 1, t);
    }
    if (hi < lo) return make_vector({});
    return make_vector(map_values(ctx, std::move(v), [&](double x) { return go_max(lo, go_min(hi, x)); }));
  }
  if (name == "absent") {
    auto v = evaluate(ctx, *e.args[0], t).vector;
    if (!v.empty()) return make_vector({});
    return make_vector({{absent_labels(*e.args[0]), 1, t}});
  }
  bool sorts = name == "sort" || name == "sort_desc" || name == "sort_by_label" || name == "sort_by_label_desc";
  if (sorts && ctx.start != ctx.end)
    ctx.warn("PromQL warning: sort is ineffective for range queries since results are always ordered by labels", &e);
  if (name == "sort" || name == "sort_desc") {
    auto v = evaluate(ctx, *e.args[0], t).vector;
    std::erase_if(v, [](const Sample& s) { return s.h != nullptr; }); // sort() orders floats only
    bool desc = name == "sort_desc";
    // NaN last either way.
    std::stable_sort(v.begin(), v.end(), [&](const Sample& a, const Sample& b) {
      if (std::isnan(a.v) || std::isnan(b.v)) return !std::isnan(a.v) && std::isnan(b.v);
      return desc ? a.v > b.v : a.v < b.v;
    });
    return make_vector(std::move(v));
  }
  if (name == "sort_by_label" || name == "sort_by_label_desc")
    return make_vector(sort_by_label(evaluate(ctx, *e.args[0], t).vector, e, name == "sort_by_label_desc"));
  if (name == "histogram_quantile") {
    double q = scalar_arg(ctx, e, 0, t);
    return histogram_quantile(ctx, e, q, evaluate(ctx, *e.args[1], t).vector, t);
  }
  if (name == "histogram_quantiles") return histogram_quantiles(ctx, e, t);
  if (name == "histogram_fraction") {
    double lo = scalar_arg(ctx, e, 0, t), hi = scalar_arg(ctx, e, 1, t);
    return histogram_fraction(ctx, e, lo, hi, evaluate(ctx, *e.args[2], t).vector, t);
  }
  if (name == "histogram_count")
    return per_histogram(ctx, evaluate(ctx, *e.args[0], t).vector, t, [](const Histogram& h) { return h.count; });
  if (name == "histogram_sum")
    return per_histogram(ctx, evaluate(ctx, *e.args[0], t).vector, t, [](const Histogram& h) { return h.sum; });
  if (name == "histogram_avg")
    return per_histogram(ctx, evaluate(ctx, *e.args[0], t).vector, t,
                         [](const Histogram& h) { return h.sum / h.count; });
  if (name == "histogram_stdvar") return per_histogram(ctx, evaluate(ctx, *e.args[0], t).vector, t, histogram_stdvar);
  if (name == "histogram_stddev")
    return per_histogram(ctx, evaluate(ctx, *e.args[0], t).vector, t,
                         [](const Histogram& h) { return std::sqrt(histogram_stdvar(h)); });
  if (name == "start_timestamp") {
    evaluate(ctx, *e.args[0], t); // start timestamps are not modelled: nothing
    return make_vector({});
  }
  fail("function \"" + name + "\" is not supported by nsmon's engine");
}

Labels selector_absent_labels(const VectorSelector& vs) {
  // As Prometheus's createLabelsForAbsentFunction: an equality matcher sets its label unless an
  // equality matcher of that name already did; any other matcher of that name removes it (so a
  // label given twice is gone). The order is the matchers'.
  Labels out;
  std::vector<std::string_view> set;
  for (const auto& m : vs.matchers) {
    if (m.name == "__name__") continue;
    bool first = m.op == MatchOp::equal && std::find(set.begin(), set.end(), m.name) == set.end();
    if (first) set.push_back(m.name);
    set_label(out, m.name, first ? m.value : "");
  }
  return out;
}

} // namespace nsmon::engine::detail
