// Evaluation of a parsed expression at one instant: literals, selectors (lookback, staleness,
// offset, @), matrix selectors, subqueries; instant() and range(). Operators, aggregations and
// functions live in their own files.
#include "nsmon/engine/eval.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <span>

#include "nsmon/engine/engine.hpp"
#include "nsmon/promql/functions.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::engine {

namespace detail {

using namespace promql;

void fail(std::string message) { throw EvalError{std::move(message)}; }

void Context::charge(std::size_t n) {
  budget_used += n;
  if (options.max_samples != 0 && budget_used > options.max_samples)
    fail("query processing would load too many samples into memory in query execution");
}

namespace {
std::string with_position(const Context& ctx, std::string message, const Expr* at) {
  if (at && !ctx.options.query.empty() && at->range.start <= ctx.options.query.size())
    message += " (" + position_string(ctx.options.query, at->range.start) + ")";
  return message;
}
} // namespace

void Context::warn(std::string message, const Expr* at) {
  message = with_position(*this, std::move(message), at);
  if (std::find(warnings.begin(), warnings.end(), message) == warnings.end()) warnings.push_back(std::move(message));
}

void Context::warn_mixed_schemas(std::string_view metric, const Expr* at) {
  warn("PromQL warning: vector contains a mix of histograms with exponential and custom buckets schemas for metric "
       "name " +
           text::go::quote(metric),
       at);
}

void Context::info(std::string message, const Expr* at) {
  message = with_position(*this, std::move(message), at);
  if (std::find(infos.begin(), infos.end(), message) == infos.end()) infos.push_back(std::move(message));
}

// The metric name and the metadata labels that go with it (schema.IsMetadataLabel).
void drop_name(Labels& ls) {
  std::erase_if(ls,
                [](const auto& l) { return l.first == "__name__" || l.first == "__type__" || l.first == "__unit__"; });
}

// An empty value removes the label, as Prometheus's label sets hold no empty values.
void set_label(Labels& ls, const std::string& name, const std::string& value) {
  if (!value.empty()) return labels::set(ls, name, value);
  std::erase_if(ls, [&](const auto& l) { return l.first == name; });
}

void drop_name(const Context& ctx, Sample& s) {
  if (ctx.delayed()) s.drop_name = true;
  else drop_name(s.labels);
}

void check_unique(const Context& ctx, const std::vector<Sample>& v) {
  if (!ctx.delayed()) check_unique(v);
}

void finish_names(std::vector<Sample>& v) {
  for (auto& s : v) {
    if (s.drop_name) drop_name(s.labels);
    s.drop_name = false;
  }
  check_unique(v);
}

void check_unique(const std::vector<Sample>& v) {
  if (v.size() < 2) return;
  std::vector<const Labels*> ls;
  ls.reserve(v.size());
  for (const auto& s : v) ls.push_back(&s.labels);
  std::sort(ls.begin(), ls.end(), [](const Labels* a, const Labels* b) { return *a < *b; });
  for (std::size_t i = 1; i < ls.size(); ++i)
    if (*ls[i] == *ls[i - 1]) fail("vector cannot contain metrics with the same labelset");
}

Value make_vector(std::vector<Sample> v) {
  Value out;
  out.type = ValueType::vector;
  out.vector = std::move(v);
  return out;
}

Value make_scalar(double v, std::int64_t t) {
  Value out;
  out.type = ValueType::scalar;
  out.scalar = v;
  out.scalar_t = t;
  return out;
}

double kahan_inc(double inc, double sum, double& c) {
  double t = sum + inc;
  if (std::isinf(t)) c = 0;
  else if (std::abs(sum) >= std::abs(inc)) c += (sum - t) + inc;
  else c += (inc - t) + sum;
  return t;
}

double quantile(double q, std::vector<double>& values) {
  if (values.empty() || std::isnan(q)) return std::nan("");
  if (q < 0) return -HUGE_VAL;
  if (q > 1) return HUGE_VAL;
  // Go's sort puts NaN first (Less: a < b || isNaN(a) && !isNaN(b)).
  std::sort(values.begin(), values.end(),
            [](double a, double b) { return a < b || (std::isnan(a) && !std::isnan(b)); });
  double n = static_cast<double>(values.size());
  double rank = q * (n - 1);
  double lower = std::max(0.0, std::floor(rank));
  double upper = std::min(n - 1, lower + 1);
  double weight = rank - std::floor(rank);
  return values[static_cast<std::size_t>(lower)] * (1 - weight) + values[static_cast<std::size_t>(upper)] * weight;
}

namespace {

std::int64_t ns_to_ms(std::int64_t ns) { return ns / 1'000'000; }

constexpr std::int64_t kMaxSubquerySteps = 31'536'000'000;

// Times and lengths are kept within ±2^62 ms (146 million years) and ranges within 2^61, so the
// arithmetic on them cannot overflow whatever @, offset and ranges a query writes.
constexpr std::int64_t kMaxTime = std::int64_t{1} << 62;
constexpr std::int64_t kMaxRange = std::int64_t{1} << 61;

// a - b, clamped to ±kMaxTime.
std::int64_t time_minus(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) r = b > 0 ? INT64_MIN : INT64_MAX;
  return std::clamp(r, -kMaxTime, kMaxTime);
}
std::int64_t clamp_range(std::int64_t r) { return std::clamp<std::int64_t>(r, 0, kMaxRange); }

std::int64_t seconds_to_ms(double s) {
  double ms = std::round(s * 1000);
  if (!(ms > -9.2e18 && ms < 9.2e18)) fail("duration out of range");
  return static_cast<std::int64_t>(ms);
}

std::int64_t offset_ms(const Context& ctx, const TimeModifiers& m) {
  if (m.offset_expr) return seconds_to_ms(duration_seconds(ctx, *m.offset_expr));
  return ns_to_ms(m.offset_ns);
}

// The time a selector or subquery reads at: its @ time (or t), minus its offset.
std::int64_t reference_time(const Context& ctx, const TimeModifiers& m, std::int64_t t) {
  std::int64_t base = t;
  switch (m.at) {
  case AtKind::none: break;
  case AtKind::timestamp: base = m.at_ms; break;
  case AtKind::start: base = ctx.start; break;
  case AtKind::end: base = ctx.end; break;
  }
  return time_minus(base, offset_ms(ctx, m));
}

// A histogram as a selector reads it: a reset hint is unknown unless `vs` decodes statistics.
HistogramPtr as_read(const Context& ctx, const VectorSelector& vs, const HistogramPtr& h) {
  if (!h || h->hint != ResetHint::reset || ctx.stats_selectors.count(&vs)) return h;
  auto copy = std::make_shared<Histogram>(*h);
  copy->hint = ResetHint::unknown;
  return copy;
}

std::vector<Matcher> all_matchers(const VectorSelector& vs) {
  std::vector<Matcher> ms;
  ms.reserve(vs.matchers.size() + 1);
  if (!vs.name.empty()) ms.push_back({{"__name__", MatchOp::equal, vs.name}, {}});
  ms.insert(ms.end(), vs.matchers.begin(), vs.matchers.end());
  return ms;
}

const std::vector<const Series*>& select(Context& ctx, const VectorSelector& vs) {
  auto it = ctx.selected.find(&vs);
  if (it == ctx.selected.end()) it = ctx.selected.emplace(&vs, ctx.storage.select(all_matchers(vs))).first;
  return it->second;
}

Window select_range(Context& ctx, const MatrixSelector& ms, std::int64_t t) {
  const auto& vs = ms.selector->as<VectorSelector>();
  Window w;
  w.end = reference_time(ctx, vs.modifiers, t);
  w.range = clamp_range(ms.range_expr ? seconds_to_ms(duration_seconds(ctx, *ms.range_expr)) : ns_to_ms(ms.range_ns));
  w.anchored = vs.anchored;
  w.smoothed = vs.smoothed;
  std::int64_t from = w.end - w.range;    // left-open: (from, to]
  if (ctx.options.closed_windows) --from; // 2.x: [from, to]
  std::int64_t to = w.end;
  if (vs.anchored || vs.smoothed) from -= ctx.options.lookback_ms;
  if (vs.smoothed) to += ctx.options.lookback_ms;
  for (const Series* s : select(ctx, vs)) {
    auto lo = std::upper_bound(s->points.begin(), s->points.end(), from,
                               [](std::int64_t x, const Point& p) { return x < p.t; });
    auto hi = std::upper_bound(lo, s->points.end(), to, [](std::int64_t x, const Point& p) { return x < p.t; });
    Series out;
    out.points.reserve(static_cast<std::size_t>(hi - lo));
    for (auto it = lo; it != hi; ++it) {
      if (is_stale_nan(it->v)) continue;
      if (it->h) {
        w.histograms = true;
        out.points.push_back({it->t, 0, as_read(ctx, vs, it->h)});
      } else {
        out.points.push_back({it->t, it->v, nullptr});
      }
    }
    if (out.points.empty()) continue;
    // Prometheus holds one series of a range at a time while a function reads it (evalSeries:
    // the points are counted, then released before the next series): the peak is the largest
    // series, not the sum, so a 3d rate over two series is not "too many samples".
    ctx.charge(out.points.size());
    ctx.budget_used -= out.points.size();
    out.labels = s->labels;
    w.series.push_back(std::move(out));
  }
  return w;
}

Window eval_subquery(Context& ctx, const SubqueryExpr& sq, std::int64_t t) {
  Window w;
  w.end = reference_time(ctx, sq.modifiers, t);
  w.range = clamp_range(sq.range_expr ? seconds_to_ms(duration_seconds(ctx, *sq.range_expr)) : ns_to_ms(sq.range_ns));
  std::int64_t step = ctx.options.default_step_ms;
  if (sq.step_expr) step = seconds_to_ms(duration_seconds(ctx, *sq.step_expr));
  else if (sq.step_ns != 0) step = ns_to_ms(sq.step_ns);
  if (step <= 0) fail("zero or negative subquery step");
  // The first step after (end - range) that is a multiple of the step (Go's truncating division).
  std::int64_t from = w.end - w.range;
  std::int64_t first = step * (from / step);
  if (first < from || (first == from && !ctx.options.closed_windows)) first += step; // 2.x: a step on from is in
  if (first > w.end) return w;
  std::int64_t steps = (w.end - first) / step + 1;
  // Refused before any work, whatever the budget: more steps than a year at one per millisecond.
  if (steps > kMaxSubquerySteps) fail("subquery would evaluate " + std::to_string(steps) + " steps, too many");
  ctx.charge(static_cast<std::size_t>(steps));
  SubqueryMemo::Entry* memo = memo_entry(ctx, sq);
  if (memo) memo->steps.erase(memo->steps.begin(), memo->steps.lower_bound(first)); // out of every later window
  SubqueryMemo::Entry local;
  SubqueryMemo::Entry& e = memo ? *memo : local;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> slot; // a series' index in e -> its index in w.series
  for (std::int64_t ts = first; ts <= w.end; ts += step) {
    SubqueryMemo::Step fresh;
    if (!memo) fresh.samples = step_samples(ctx, e, sq, ts);
    const SubqueryMemo::Step& st = memo ? memo_step(ctx, *memo, sq, ts) : fresh;
    ctx.charge(st.samples.size());
    slot.resize(e.labels.size(), kNone);
    for (const auto& s : st.samples) {
      if (slot[s.series] == kNone) {
        slot[s.series] = w.series.size();
        w.series.push_back({memo ? e.labels[s.series] : std::move(e.labels[s.series]), {}});
        w.drop_name.push_back(false);
      }
      const std::size_t i = slot[s.series];
      if (s.h) w.histograms = true;
      w.series[i].points.push_back({ts, s.v, s.h});
      if (s.drop_name) w.drop_name[i] = true;
    }
  }
  return w;
}

const Expr& unwrap_parens(const Expr& e) {
  const Expr* p = &e;
  while (p->kind == NodeKind::paren) p = p->as<ParenExpr>().expr;
  return *p;
}

} // namespace

double duration_seconds(const Context& ctx, const Expr& e, int depth) {
  if (depth > 1000) fail("duration expression nested deeper than 1000 levels");
  if (e.kind == NodeKind::number_literal) return e.as<NumberLiteral>().value;
  if (e.kind == NodeKind::paren) return duration_seconds(ctx, *e.as<ParenExpr>().expr, depth + 1);
  if (e.kind != NodeKind::duration) fail("unexpected node in a duration expression");
  const auto& d = e.as<DurationExpr>();
  auto arg = [&](const Expr* x) { return x ? duration_seconds(ctx, *x, depth + 1) : 0.0; };
  switch (d.op) {
  case DurationOp::step: return static_cast<double>(ctx.step) / 1000;
  case DurationOp::range: return (static_cast<double>(ctx.end) - static_cast<double>(ctx.start)) / 1000;
  case DurationOp::add: return d.lhs ? arg(d.lhs) + arg(d.rhs) : arg(d.rhs);
  case DurationOp::sub: return d.lhs ? arg(d.lhs) - arg(d.rhs) : -arg(d.rhs);
  case DurationOp::mul: return arg(d.lhs) * arg(d.rhs);
  case DurationOp::div: return arg(d.lhs) / arg(d.rhs);
  case DurationOp::mod: return std::fmod(arg(d.lhs), arg(d.rhs));
  case DurationOp::pow: return std::pow(arg(d.lhs), arg(d.rhs));
  case DurationOp::min_of: return std::min(arg(d.lhs), arg(d.rhs));
  case DurationOp::max_of: return std::max(arg(d.lhs), arg(d.rhs));
  }
  return 0;
}

namespace {

// A smoothed selector: the value at ref interpolated between the samples around it (within the
// lookback either side), or the last one when none follows.
std::vector<Sample> select_smoothed(Context& ctx, const VectorSelector& vs, std::int64_t ref) {
  std::int64_t lb = ctx.options.lookback_ms;
  std::vector<Sample> out;
  for (const Series* s : select(ctx, vs)) {
    std::vector<Point> p;
    auto lo = std::upper_bound(s->points.begin(), s->points.end(), ref - lb,
                               [](std::int64_t x, const Point& q) { return x < q.t; });
    for (auto it = lo; it != s->points.end() && it->t <= ref + lb; ++it)
      if (!is_stale_nan(it->v)) p.push_back({it->t, it->v, as_read(ctx, vs, it->h)});
    std::size_t i = search(p.size(), [&](std::size_t k) { return p[k].t >= ref; });
    const bool hists = std::any_of(p.begin(), p.end(), [](const Point& x) { return x.h != nullptr; });
    const std::string& metric = get(s->labels, "__name__");
    if (hists && std::any_of(p.begin(), p.end(), [](const Point& x) { return x.h == nullptr; })) {
      ctx.warn("PromQL warning: encountered a mix of histograms and floats for metric name " + text::go::quote(metric),
               &vs);
      continue;
    }
    if (hists) {
      // As floats, but a histogram carried forward forgets its hint, and two samples around ref
      // interpolate as a counter unless both are gauges.
      HistogramPtr h;
      if (i < p.size() && p[i].t == ref) h = p[i].h;
      else if (i > 0 && i < p.size()) {
        if (p[i - 1].h->custom() != p[i].h->custom()) {
          ctx.warn_mixed_schemas(metric, &vs);
          continue;
        }
        const bool counter = p[i - 1].h->hint != ResetHint::gauge || p[i].h->hint != ResetHint::gauge;
        h = interpolate_histogram(p[i - 1], p[i], ref, counter);
      } else if (i > 0) {
        auto carried = std::make_shared<Histogram>(*p[i - 1].h);
        carried->hint = ResetHint::unknown;
        h = std::move(carried);
      }
      if (h) out.push_back({s->labels, 0, ref, false, std::move(h)});
      continue;
    }
    if (i < p.size() && p[i].t == ref) out.push_back({s->labels, p[i].v, ref});
    else if (i > 0 && i < p.size()) out.push_back({s->labels, interpolate(p[i - 1], p[i], ref, false), ref});
    else if (i > 0) out.push_back({s->labels, p[i - 1].v, ref});
  }
  ctx.charge(out.size());
  return out;
}

// A matrix selector with anchored/smoothed, evaluated as a range vector: the window's points
// with the edges picked or interpolated at its start and end (Prometheus's extendFloats).
void extend_window(Window& w) {
  std::int64_t start = w.end - w.range;
  std::vector<Series> out;
  for (auto& s : w.series) {
    const auto& f = s.points;
    // Range vectors of histograms with anchored/smoothed edges are not implemented: left out
    // rather than read as floats.
    if (std::any_of(f.begin(), f.end(), [](const Point& p) { return p.h != nullptr; })) continue;
    std::size_t last = f.size() - 1;
    std::size_t first = search(last, [&](std::size_t i) { return f[i].t > start; });
    first = first > 0 ? first - 1 : 0;
    if (w.smoothed) last = search(last, [&](std::size_t i) { return f[i].t >= w.end; });
    if (f[last].t <= start) continue;
    double left = pick_left(f, first, start, w.smoothed, false);
    double right = pick_right(f, last, w.end, w.smoothed, false);
    if (f[first].t <= start) ++first;
    std::vector<Point> points{{start, left}};
    if (f[last].t >= w.end) {
      if (last == 0) last = SIZE_MAX;
      else --last;
    }
    for (std::size_t i = first; last != SIZE_MAX && i <= last; ++i) points.push_back(f[i]);
    points.push_back({w.end, right});
    out.push_back({std::move(s.labels), std::move(points)});
  }
  w.series = std::move(out);
}

} // namespace

std::shared_ptr<Histogram> interpolate_histogram(const Point& a, const Point& b, std::int64_t t, bool counter) {
  if (t == a.t) return std::make_shared<Histogram>(*a.h);
  if (t == b.t) return std::make_shared<Histogram>(*b.h);
  const double fraction = static_cast<double>(t - a.t) / static_cast<double>(b.t - a.t);
  auto out = std::make_shared<Histogram>(*b.h);
  if (counter && detect_reset(*b.h, *a.h)) {
    scale(*out, fraction);
    return out;
  }
  if (has(add(*out, *a.h, true), Combine::mixed_schemas)) return nullptr;
  scale(*out, fraction);
  if (has(add(*out, *a.h), Combine::mixed_schemas)) return nullptr;
  return out;
}

double interpolate(const Point& a, const Point& b, std::int64_t t, bool counter) {
  double y1 = a.v, y2 = b.v;
  if (counter && y2 < y1) y1 = 0;
  return y1 + (y2 - y1) * static_cast<double>(t - a.t) / static_cast<double>(b.t - a.t);
}

double pick_left(std::span<const Point> p, std::size_t first, std::int64_t start, bool smoothed, bool counter) {
  if (smoothed && p[first].t < start && first + 1 < p.size())
    return interpolate(p[first], p[first + 1], start, counter);
  return p[first].v;
}

double pick_right(std::span<const Point> p, std::size_t last, std::int64_t end, bool smoothed, bool counter) {
  if (smoothed && last > 0 && p[last].t > end) return interpolate(p[last - 1], p[last], end, counter);
  return p[last].v;
}

std::vector<Sample> select_instant(Context& ctx, const VectorSelector& vs, std::int64_t t) {
  std::int64_t ref = reference_time(ctx, vs.modifiers, t);
  if (vs.smoothed) return select_smoothed(ctx, vs, ref);
  std::int64_t from = ref - ctx.options.lookback_ms; // left-open: (from, ref]
  if (ctx.options.closed_windows) --from;            // 2.x: [from, ref]
  std::vector<Sample> out;
  for (const Series* s : select(ctx, vs)) {
    auto it = std::upper_bound(s->points.begin(), s->points.end(), ref,
                               [](std::int64_t x, const Point& p) { return x < p.t; });
    if (it == s->points.begin()) continue;
    --it;
    if (it->t <= from || is_stale_nan(it->v)) continue;
    out.push_back({s->labels, it->v, it->t, false, as_read(ctx, vs, it->h)});
  }
  ctx.charge(out.size());
  return out;
}

Window evaluate_window(Context& ctx, const Expr& e, std::int64_t t) {
  const Expr& x = unwrap_parens(e);
  if (x.kind == NodeKind::matrix_selector) return select_range(ctx, x.as<MatrixSelector>(), t);
  if (x.kind == NodeKind::subquery) return eval_subquery(ctx, x.as<SubqueryExpr>(), t);
  fail("expected a range vector");
}

Value evaluate(Context& ctx, const Expr& e, std::int64_t t) {
  switch (e.kind) {
  case NodeKind::number_literal: return make_scalar(e.as<NumberLiteral>().value, t);
  case NodeKind::duration: return make_scalar(duration_seconds(ctx, e), t);
  case NodeKind::string_literal: {
    Value v;
    v.type = ValueType::string;
    v.string = e.as<StringLiteral>().value;
    v.scalar_t = t;
    return v;
  }
  case NodeKind::paren: return evaluate(ctx, *e.as<ParenExpr>().expr, t);
  case NodeKind::unary: {
    const auto& u = e.as<UnaryExpr>();
    Value v = evaluate(ctx, *u.expr, t);
    if (u.op == UnaryOp::plus) return v;
    if (v.type == ValueType::scalar) {
      v.scalar = -v.scalar;
      return v;
    }
    for (auto& s : v.vector) {
      s.v = -s.v;
      if (s.h) {
        auto h = std::make_shared<Histogram>(*s.h);
        scale(*h, -1);
        s.h = std::move(h);
      }
      drop_name(ctx, s);
    }
    check_unique(ctx, v.vector);
    return v;
  }
  case NodeKind::vector_selector: {
    auto v = select_instant(ctx, e.as<VectorSelector>(), t);
    for (auto& s : v) s.t = t;
    return make_vector(std::move(v));
  }
  case NodeKind::matrix_selector:
  case NodeKind::subquery: {
    Value v;
    v.type = ValueType::matrix;
    Window w = evaluate_window(ctx, e, t);
    if (w.anchored || w.smoothed) extend_window(w);
    v.matrix = std::move(w.series);
    return v;
  }
  case NodeKind::binary: {
    const auto& b = e.as<BinaryExpr>();
    Value lhs = evaluate(ctx, *b.lhs, t);
    Value rhs = evaluate(ctx, *b.rhs, t);
    return eval_binary(ctx, b, std::move(lhs), std::move(rhs));
  }
  case NodeKind::aggregate: return eval_aggregate(ctx, e.as<AggregateExpr>(), t);
  case NodeKind::call: return eval_call(ctx, e.as<Call>(), t);
  }
  fail("unexpected expression");
}

// Prometheus's detectHistogramStatsDecoding: the selectors whose nearest enclosing
// histogram_count/sum/avg has no subquery, bucket function or trim between.
void find_stats_selectors(Context& ctx, const Expr& root) {
  walk(root, [&](const Expr& n, std::span<const Expr* const> path) {
    if (n.kind != NodeKind::vector_selector) return true;
    bool stats = false;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      const Expr& p = **it;
      if (p.kind == NodeKind::subquery) {
        stats = false;
        break;
      }
      if (p.kind == NodeKind::call) {
        const auto& name = p.as<Call>().name;
        if (name == "histogram_count" || name == "histogram_sum" || name == "histogram_avg") stats = true;
        if (name == "histogram_quantile" || name == "histogram_quantiles" || name == "histogram_fraction") {
          stats = false;
          break;
        }
      }
      if (p.kind == NodeKind::binary) {
        auto op = p.as<BinaryExpr>().op;
        if (op == BinaryOp::trim_upper || op == BinaryOp::trim_lower) {
          stats = false;
          break;
        }
      }
    }
    if (stats) ctx.stats_selectors.insert(&n.as<VectorSelector>());
    return true;
  });
}

// Deeper trees are refused before evaluation (the evaluator recurses once per level).
constexpr std::size_t kMaxDepth = 1000;

std::optional<std::string> too_deep(const Expr& root) {
  std::size_t deepest = 0;
  walk(root, [&](const Expr&, std::span<const Expr* const> path) {
    deepest = std::max(deepest, path.size());
    return deepest <= kMaxDepth;
  });
  if (deepest > kMaxDepth) return "expression nested deeper than " + std::to_string(kMaxDepth) + " levels";
  return std::nullopt;
}

// Vectors keep the order of sort(), sort_desc(), sort_by_label*() and topk/bottomk; the rest
// are returned sorted by labels, as Prometheus's storage order makes them in practice.
bool keeps_order(const Expr& e) {
  const Expr& x = unwrap_parens(e);
  if (x.kind == NodeKind::call) {
    const auto& name = x.as<Call>().name;
    return name == "sort" || name == "sort_desc" || name == "sort_by_label" || name == "sort_by_label_desc";
  }
  if (x.kind == NodeKind::aggregate) {
    auto op = x.as<AggregateExpr>().op;
    return op == AggregateOp::topk || op == AggregateOp::bottomk;
  }
  return false;
}

void sort_by_labels(std::vector<Series>& m) {
  std::sort(m.begin(), m.end(), [](const Series& a, const Series& b) { return a.labels < b.labels; });
}

// Evaluates `body` under the engine's guards: a tree too deep and an evaluation error become the
// result's error (and no value); the warnings and infos are the result's either way.
template <class Body>
Result guarded(const promql::Expr& expr, const Storage& storage, const Options& options, std::int64_t start,
               std::int64_t end, std::int64_t step, Body body) {
  Result r;
  if (auto deep = too_deep(expr)) {
    r.error = *deep;
    return r;
  }
  Context ctx{storage, options, start, end, step};
  ctx.options.lookback_ms = clamp_range(options.lookback_ms);
  find_stats_selectors(ctx, expr);
  try {
    r.value = body(ctx);
  } catch (const EvalError& e) {
    r.value = {};
    r.error = e.message;
  }
  r.warnings = std::move(ctx.warnings);
  r.infos = std::move(ctx.infos);
  return r;
}

} // namespace detail

Result instant(const promql::Expr& expr, const Storage& storage, std::int64_t t, const Options& options) {
  return detail::guarded(expr, storage, options, t, t, 0, [&](detail::Context& ctx) {
    Value v = detail::evaluate(ctx, expr, t);
    if (options.delayed_name_removal) detail::finish_names(v.vector);
    if (v.type == promql::ValueType::vector && !detail::keeps_order(expr))
      std::sort(v.vector.begin(), v.vector.end(), [](const Sample& a, const Sample& b) { return a.labels < b.labels; });
    if (v.type == promql::ValueType::matrix) detail::sort_by_labels(v.matrix);
    return v;
  });
}

Result range(const promql::Expr& expr, const Storage& storage, std::int64_t start, std::int64_t end, std::int64_t step,
             const Options& options) {
  Result r;
  if (expr.type != promql::ValueType::scalar && expr.type != promql::ValueType::vector) {
    r.error = std::string("invalid expression type \"") + promql::documented_name(expr.type) +
              "\" for range query, must be Scalar or instant Vector";
    return r;
  }
  if (step <= 0) {
    r.error = "zero or negative query resolution step widths are not accepted";
    return r;
  }
  if (end < start) {
    r.error = "end timestamp must not be before start time";
    return r;
  }
  return detail::guarded(expr, storage, options, start, end, step, [&](detail::Context& ctx) {
    detail::LabelsMap<std::size_t> index;
    std::vector<Series> out;
    for (std::int64_t t = start; t <= end; t += step) {
      ctx.charge(1);
      ctx.budget_used = 0; // the budget is per step, as Prometheus's peak of samples in memory
      Value v = detail::evaluate(ctx, expr, t);
      if (options.delayed_name_removal) detail::finish_names(v.vector);
      if (v.type == promql::ValueType::scalar) v.vector.push_back({{}, v.scalar, t});
      for (auto& s : v.vector) {
        auto [it, inserted] = index.try_emplace(s.labels, out.size());
        if (inserted) out.push_back({std::move(s.labels), {}});
        out[it->second].points.push_back({t, s.v, std::move(s.h)});
      }
      if (static_cast<std::uint64_t>(end) - static_cast<std::uint64_t>(t) < static_cast<std::uint64_t>(step)) break;
    }
    detail::sort_by_labels(out);
    Value v;
    v.type = promql::ValueType::matrix;
    v.matrix = std::move(out);
    return v;
  });
}

} // namespace nsmon::engine
