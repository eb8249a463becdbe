// Aggregations: sum avg count min max group stddev stdvar quantile (one sample per group),
// topk bottomk limitk limit_ratio (a selection of the input) and count_values, with by/without
// and Prometheus's summation (Kahan-Neumaier, mean switching to incremental on overflow).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

#include "nsmon/engine/eval.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::engine::detail {

using namespace promql;

namespace {

// The output labels of a group: by(...) keeps the listed labels, without(...) drops them and
// __name__.
Labels group_labels(const Labels& ls, const AggregateExpr& e, const std::vector<std::string>& grouping) {
  Labels out;
  for (const auto& l : ls) {
    bool listed = std::find(grouping.begin(), grouping.end(), l.first) != grouping.end();
    if (e.without ? (!listed && l.first != "__name__") : listed) out.push_back(l);
  }
  return out;
}

struct Group {
  Labels labels;
  double value = 0;
  double mean = 0;
  double kahan = 0;
  double count = 0;
  bool incremental = false;
  bool drop_name = false;          // delayed name removal: any input marked
  std::vector<double> values;      // quantile
  std::vector<const Sample*> heap; // topk, bottomk, limitk, limit_ratio
  // sum, avg of native histograms: their sum; a group with floats too, or with exponential and
  // custom buckets, has no value.
  std::optional<HistogramSum> h;
  bool floats = false;
  bool mixed_schemas = false;
  bool reset_seen = false, not_reset_seen = false; ///< the inputs' hints: both is a conflict
};

// Adds a sample's histogram to the group's sum (sum, avg).
void add_histogram(Context& ctx, const AggregateExpr& e, Group& g, const Sample& s) {
  if (!s.h) {
    g.floats = true;
    return;
  }
  if (s.h->hint == ResetHint::reset) g.reset_seen = true;
  if (s.h->hint == ResetHint::not_reset) g.not_reset_seen = true;
  if (g.mixed_schemas) return;
  if (!g.h) g.h.emplace(e.op == AggregateOp::avg);
  Combine c = g.h->add(*s.h);
  if (has(c, Combine::mixed_schemas)) g.mixed_schemas = true;
  if (has(c, Combine::custom_reconciled))
    ctx.info("PromQL info: mismatched custom buckets were reconciled during aggregation", e.expr);
}

bool takes_histograms(AggregateOp op) {
  return op == AggregateOp::sum || op == AggregateOp::avg || op == AggregateOp::count || op == AggregateOp::group ||
         op == AggregateOp::count_values || op == AggregateOp::limitk || op == AggregateOp::limit_ratio;
}

// XXH64 (seed 0), as Prometheus's labels.Hash() uses through cespare/xxhash.
std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
constexpr std::uint64_t P1 = 11400714785074694791ULL, P2 = 14029467366897019727ULL, P3 = 1609587929392839161ULL,
                        P4 = 9650029242287828579ULL, P5 = 2870177450012600261ULL;
std::uint64_t read64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
std::uint32_t read32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint64_t round64(std::uint64_t acc, std::uint64_t in) { return rotl(acc + in * P2, 31) * P1; }
std::uint64_t merge64(std::uint64_t acc, std::uint64_t v) { return (acc ^ round64(0, v)) * P1 + P4; }

std::uint64_t xxh64(std::string_view s) {
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  std::uint64_t h;
  if (s.size() >= 32) {
    std::uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = 0 - P1;
    for (; p + 32 <= end; p += 32) {
      v1 = round64(v1, read64(p));
      v2 = round64(v2, read64(p + 8));
      v3 = round64(v3, read64(p + 16));
      v4 = round64(v4, read64(p + 24));
    }
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
    h = merge64(h, v1);
    h = merge64(h, v2);
    h = merge64(h, v3);
    h = merge64(h, v4);
  } else {
    h = P5;
  }
  h += s.size();
  for (; p + 8 <= end; p += 8) h = rotl(h ^ round64(0, read64(p)), 27) * P1 + P4;
  if (p + 4 <= end) {
    h = rotl(h ^ (std::uint64_t(read32(p)) * P1), 23) * P2 + P3;
    p += 4;
  }
  for (; p < end; ++p) h = rotl(h ^ (*p * P5), 11) * P1;
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

double ratio_offset(const Labels& ls) {
  std::string b;
  for (const auto& [n, v] : ls) {
    b += n;
    b += '\xff';
    b += v;
    b += '\xff';
  }
  return static_cast<double>(xxh64(b)) / static_cast<double>(UINT64_MAX);
}

// Go's container/heap over samples, with Prometheus's orders (NaN always "less").
struct Heap {
  std::vector<const Sample*>& h;
  bool reverse; // bottomk: the largest on top
  bool less(std::size_t i, std::size_t j) const {
    double a = h[i]->v, b = h[j]->v;
    if (std::isnan(a)) return true;
    return reverse ? a > b : a < b;
  }
  void up(std::size_t j) {
    while (j > 0) {
      std::size_t i = (j - 1) / 2;
      if (!less(j, i)) break;
      std::swap(h[i], h[j]);
      j = i;
    }
  }
  bool down(std::size_t i0) {
    std::size_t i = i0, n = h.size();
    for (;;) {
      std::size_t j = 2 * i + 1;
      if (j >= n) break;
      if (j + 1 < n && less(j + 1, j)) ++j;
      if (!less(j, i)) break;
      std::swap(h[i], h[j]);
      i = j;
    }
    return i > i0;
  }
  void push(const Sample* s) {
    h.push_back(s);
    up(h.size() - 1);
  }
  void fix0() {
    if (!down(0)) up(0);
  }
};

std::string param_text(double v) { return text::go::format_float_v(v); }

Value count_values(Context& ctx, const AggregateExpr& e, const std::string& label, std::vector<Sample> in) {
  if (label.empty() || !text::go::valid_utf8(label)) fail("invalid label name " + text::go::quote(label));
  std::vector<std::string> grouping = e.grouping;
  if (!e.without) grouping.push_back(label);
  LabelsMap<std::size_t> index;
  std::vector<Sample> out;
  for (auto& s : in) {
    set_label(s.labels, label, s.h ? to_string(*s.h) : text::go::format_float(s.v));
    Labels g = group_labels(s.labels, e, grouping);
    auto [it, inserted] = index.try_emplace(g, out.size());
    if (inserted) out.push_back({std::move(g), 0, s.t});
    out[it->second].v += 1;
  }
  (void)ctx;
  return make_vector(std::move(out));
}

Value select_k(Context& ctx, const AggregateExpr& e, double param, const std::vector<Sample>& in, std::int64_t t) {
  AggregateOp op = e.op;
  double ratio = 0;
  std::int64_t k = 0;
  if (op == AggregateOp::limit_ratio) {
    if (param == 0) return make_vector({});
    if (std::isnan(param)) fail("Ratio value is NaN");
    if (param > 1)
      ctx.warn("PromQL warning: ratio value should be between -1 and 1, got " + param_text(param) + ", capping to 1",
               e.param);
    if (param < -1)
      ctx.warn("PromQL warning: ratio value should be between -1 and 1, got " + param_text(param) + ", capping to -1",
               e.param);
    ratio = std::clamp(param, -1.0, 1.0);
  } else {
    if (!(param >= 1)) {
      if (std::isnan(param)) fail("Parameter value is NaN");
      return make_vector({});
    }
    if (param >= 9223372036854775807.0) fail("Scalar value " + param_text(param) + " overflows int64");
    k = std::min<std::int64_t>(static_cast<std::int64_t>(param), static_cast<std::int64_t>(in.size()));
  }
  LabelsMap<std::size_t> index;
  std::vector<Group> groups;
  for (const auto& s : in) {
    auto [it, inserted] = index.try_emplace(group_labels(s.labels, e, e.grouping), groups.size());
    if (inserted) groups.emplace_back();
    Group& g = groups[it->second];
    Heap heap{g.heap, op == AggregateOp::bottomk};
    switch (op) {
    case AggregateOp::topk:
    case AggregateOp::bottomk: {
      if (static_cast<std::int64_t>(g.heap.size()) < k) {
        heap.push(&s);
        break;
      }
      double top = g.heap[0]->v;
      bool better = op == AggregateOp::topk ? top < s.v : top > s.v;
      if (better || (std::isnan(top) && !std::isnan(s.v))) {
        g.heap[0] = &s;
        if (k > 1) heap.fix0();
      }
      break;
    }
    case AggregateOp::limitk:
      if (static_cast<std::int64_t>(g.heap.size()) < k) g.heap.push_back(&s);
      break;
    default: {
      double off = ratio_offset(s.labels);
      if ((ratio >= 0 && off < ratio) || (ratio < 0 && off >= 1 + ratio)) g.heap.push_back(&s);
    }
    }
  }
  std::vector<Sample> out;
  for (auto& g : groups) {
    if (op == AggregateOp::topk || op == AggregateOp::bottomk) {
      bool top = op == AggregateOp::topk;
      // Descending for topk, ascending for bottomk; NaN last.
      std::stable_sort(g.heap.begin(), g.heap.end(), [&](const Sample* a, const Sample* b) {
        if (std::isnan(a->v) || std::isnan(b->v)) return !std::isnan(a->v) && std::isnan(b->v);
        return top ? a->v > b->v : a->v < b->v;
      });
    }
    for (const Sample* s : g.heap) out.push_back({s->labels, s->v, t, s->drop_name, s->h});
  }
  return make_vector(std::move(out));
}

} // namespace

Value eval_aggregate(Context& ctx, const AggregateExpr& e, std::int64_t t) {
  double param = 0;
  std::string label;
  if (e.param) {
    Value p = evaluate(ctx, *e.param, t);
    if (p.type == ValueType::string) label = p.string;
    else param = p.scalar;
  }
  std::vector<Sample> in = evaluate(ctx, *e.expr, t).vector;
  if (!takes_histograms(e.op)) {
    // Prometheus ignores histograms in the other aggregations, with an info.
    auto h = std::find_if(in.begin(), in.end(), [](const Sample& s) { return s.h != nullptr; });
    if (h != in.end()) {
      // Prometheus positions topk/bottomk's info at the aggregation, the others' at its operand.
      const bool k = e.op == AggregateOp::topk || e.op == AggregateOp::bottomk;
      ctx.info("PromQL info: ignored histogram in " + std::string(to_string(e.op)) + " aggregation", k ? &e : e.expr);
      std::erase_if(in, [](const Sample& s) { return s.h != nullptr; });
    }
  }
  switch (e.op) {
  case AggregateOp::count_values: return count_values(ctx, e, label, std::move(in));
  case AggregateOp::topk:
  case AggregateOp::bottomk:
  case AggregateOp::limitk:
  case AggregateOp::limit_ratio: return select_k(ctx, e, param, in, t);
  case AggregateOp::quantile:
    if (std::isnan(param) || param < 0 || param > 1)
      ctx.warn("PromQL warning: quantile value should be between 0 and 1, got " + param_text(param), e.param);
    break;
  default: break;
  }

  const bool sums = e.op == AggregateOp::sum || e.op == AggregateOp::avg;
  LabelsMap<std::size_t> index;
  std::vector<Group> groups;
  for (auto& s : in) {
    double f = s.h ? 0 : s.v;
    auto [it, inserted] = index.try_emplace(group_labels(s.labels, e, e.grouping), groups.size());
    if (inserted) {
      Group g;
      g.labels = it->first;
      g.value = f;
      g.mean = f;
      g.count = 1;
      if (e.op == AggregateOp::stddev || e.op == AggregateOp::stdvar) g.value = std::isfinite(f) ? 0 : std::nan("");
      if (e.op == AggregateOp::group) g.value = 1;
      if (e.op == AggregateOp::quantile) g.values.push_back(f);
      g.drop_name = s.drop_name;
      if (sums) add_histogram(ctx, e, g, s);
      groups.push_back(std::move(g));
      continue;
    }
    Group& g = groups[it->second];
    if (s.drop_name) g.drop_name = true;
    if (sums) add_histogram(ctx, e, g, s);
    switch (e.op) {
    case AggregateOp::sum: g.value = kahan_inc(f, g.value, g.kahan); break;
    case AggregateOp::avg: {
      g.count += 1;
      if (!g.incremental) {
        double c = g.kahan;
        double sum = kahan_inc(f, g.value, c);
        if (!std::isinf(sum)) {
          g.value = sum;
          g.kahan = c;
          break;
        }
        g.incremental = true;
        g.mean = g.value / (g.count - 1);
        g.kahan /= g.count - 1;
      }
      double q = (g.count - 1) / g.count;
      double c = q * g.kahan;
      g.mean = kahan_inc(f / g.count, q * g.mean, c);
      g.kahan = c;
      break;
    }
    case AggregateOp::max:
      if (g.value < f || std::isnan(g.value)) g.value = f;
      break;
    case AggregateOp::min:
      if (g.value > f || std::isnan(g.value)) g.value = f;
      break;
    case AggregateOp::count: g.count += 1; break;
    case AggregateOp::stddev:
    case AggregateOp::stdvar: {
      g.count += 1;
      double delta = f - g.mean;
      g.mean += delta / g.count;
      g.value += delta * (f - g.mean);
      break;
    }
    case AggregateOp::quantile: g.values.push_back(f); break;
    default: break;
    }
  }
  std::vector<Sample> out;
  out.reserve(groups.size());
  for (auto& g : groups) {
    if (sums && g.h) {
      if (g.floats) {
        ctx.warn("PromQL warning: encountered a mix of histograms and floats for aggregation", &e);
        continue;
      }
      if (g.mixed_schemas) {
        ctx.warn_mixed_schemas("", &e);
        continue;
      }
      if (g.reset_seen && g.not_reset_seen)
        ctx.warn("PromQL warning: conflicting counter resets during histogram aggregation", e.expr);
      out.push_back({std::move(g.labels), 0, t, g.drop_name, g.h->result()});
      continue;
    }
    double v = g.value;
    switch (e.op) {
    case AggregateOp::sum: v = g.value + g.kahan; break;
    case AggregateOp::avg: v = g.incremental ? g.mean + g.kahan : g.value / g.count + g.kahan / g.count; break;
    case AggregateOp::count: v = g.count; break;
    case AggregateOp::stdvar: v = g.value / g.count; break;
    case AggregateOp::stddev: v = std::sqrt(g.value / g.count); break;
    case AggregateOp::quantile: v = quantile(param, g.values); break;
    default: break;
    }
    out.push_back({std::move(g.labels), v, t, g.drop_name});
  }
  return make_vector(std::move(out));
}

} // namespace nsmon::engine::detail
