#include "nsmon/lint/infer.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory_resource>

#include "nsmon/promql/functions.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

const Expr* unparen(const Expr* e) {
  while (e && e->kind == NodeKind::paren) e = e->as<ParenExpr>().expr;
  return e;
}

bool is_rate_function(std::string_view n) { return n == "rate" || n == "irate" || n == "increase"; }

namespace {
// Functions whose result keeps the input's labels (minus the metric name) and unit, and stays
// within the input's range (so a ratio stays between 0 and 1): not sum_over_time, whose sum of
// ratios can pass 1, nor count_over_time, a number of samples.
bool keeps_unit(std::string_view n) {
  static const std::set<std::string_view> s = {"abs",
                                               "ceil",
                                               "floor",
                                               "round",
                                               "clamp",
                                               "clamp_min",
                                               "clamp_max",
                                               "avg_over_time",
                                               "min_over_time",
                                               "max_over_time",
                                               "last_over_time",
                                               "first_over_time",
                                               "quantile_over_time",
                                               "stddev_over_time",
                                               "mad_over_time",
                                               "sort",
                                               "sort_desc",
                                               "sort_by_label",
                                               "sort_by_label_desc"};
  return s.count(n) > 0;
}

// Whether another exporter's metric is a counter by its name: _total and _bucket always; _count
// and _sum only as a histogram's or summary's series, whose base name ends in its unit
// (request_duration_seconds_count). Exporters name gauges that count things _count
// (pg_stat_activity_count, memberlist_client_cluster_members_count) and CloudWatch's Sum
// statistic _sum (aws_lambda_invocations_sum): those are not assumed counters.
bool external_counter_name(std::string_view name) {
  if (util::ends_with(name, "_total") || util::ends_with(name, "_bucket")) return true;
  if (!util::ends_with(name, "_count") && !util::ends_with(name, "_sum")) return false;
  std::string_view base = name.substr(0, name.rfind('_'));
  for (std::string_view unit :
       {"_seconds", "_bytes", "_meters", "_grams", "_joules", "_volts", "_amperes", "_celsius", "_ratio"})
    if (util::ends_with(base, unit)) return true;
  return false;
}
} // namespace

SeriesInfo Inference::series(const VectorSelector& vs) const {
  SeriesInfo s;
  s.name = promql::metric_name(vs);
  if (s.name.empty()) {
    s.origin = SeriesInfo::Origin::none;
    return s;
  }
  if (auto it = recorded_.find(s.name); it != recorded_.end()) {
    s.origin = SeriesInfo::Origin::recording;
    s.recorded = &it->second;
    return s;
  }
  if (auto ref = cat_.resolve(s.name)) {
    s.origin = SeriesInfo::Origin::catalog;
    s.metric = ref->metric;
    s.suffix = ref->suffix;
    s.exists = ref->exists;
    return s;
  }
  s.origin = cat_.is_external(s.name) ? SeriesInfo::Origin::external : SeriesInfo::Origin::unknown;
  return s;
}

LabelSet Inference::scraped_labels(const catalog::Metric& m, const std::string& suffix) const {
  LabelSet out;
  for (const auto& l : m.labels) out.insert(l.name);
  if (suffix == "_bucket") out.insert("le");
  if (!m.prometheus || m.name != "ALERTS") out.insert(cat_.target_labels.begin(), cat_.target_labels.end());
  if (m.prometheus && m.name.rfind("ALERTS", 0) == 0) out.erase("instance"), out.erase("job");
  return out;
}

Shape Inference::leaf(const VectorSelector& vs) const {
  Shape s;
  SeriesInfo info = series(vs);
  if (info.origin == SeriesInfo::Origin::recording) {
    s = info.recorded->shape;
    s.filters = false;
    return s;
  }
  if (info.origin == SeriesInfo::Origin::external) {
    // Another exporter's metric: its labels are unknown, its counters known by their names
    // (Prometheus's naming rules); nothing is assumed a gauge.
    if (external_counter_name(info.name)) s.kind = ValueKind::counter;
    return s;
  }
  if (info.origin != SeriesInfo::Origin::catalog) return s; // unknown: nothing known
  const auto& m = *info.metric;
  if (m.prometheus && m.name.rfind("ALERTS", 0) == 0) {
    s.labels = scraped_labels(m, info.suffix); // the rules' labels, no target labels
    s.labels.insert("__name__");
    s.labels_known = !m.open_labels;
  } else {
    // The series of every job that may have scraped it: a label on all of them is certain, on
    // some a maybe, on none absent (dropped, when a relabel rule removed it).
    const auto& sel = targets_->selected(m, info.suffix == "_bucket", targets_->jobs_for(vs));
    s.labels = sel.labels;
    s.maybe = sel.maybe;
    s.dropped = sel.dropped;
    s.labels_known = !sel.open && !m.open_labels;
    s.targets_open = sel.open && !m.open_labels;
  }
  bool counter_series = m.type == catalog::MetricType::counter ? info.suffix != "_created"
                        : (m.type == catalog::MetricType::histogram || m.type == catalog::MetricType::summary)
                            ? (info.suffix == "_bucket" || info.suffix == "_count" || info.suffix == "_sum")
                            : false;
  s.kind = counter_series ? ValueKind::counter : ValueKind::gauge;
  if (m.type == catalog::MetricType::gauge) s.unit = m.unit, s.unit_of = m.name;
  if (m.type == catalog::MetricType::histogram && info.suffix == "_bucket") s.bucket_unit = m.unit, s.unit_of = m.name;
  return s;
}

Shape Inference::call(const Call& c) const {
  Shape s;
  std::string_view n = c.name;
  const Shape* arg0 = nullptr;
  for (const Expr* a : c.args)
    if (a->type == ValueType::vector || a->type == ValueType::matrix) {
      arg0 = &at(a);
      break;
    }
  for (const Expr* a : c.args) s.filters = s.filters || at(a).filters;
  if (n == "absent" || n == "absent_over_time") {
    // The result carries the labels of the selector's equality matchers.
    s.labels_known = true;
    s.filters = true;
    const Expr* arg = c.args.empty() ? nullptr : unparen(c.args[0]);
    if (arg && arg->kind == NodeKind::matrix_selector) arg = arg->as<MatrixSelector>().selector;
    if (arg && arg->kind == NodeKind::vector_selector)
      for (const auto& m : arg->as<VectorSelector>().matchers)
        if (m.op == MatchOp::equal && m.name != "__name__") s.labels.insert(m.name);
    return s;
  }
  if (n == "vector" || n == "time" || n == "pi") {
    s.labels_known = true;
    return s;
  }
  if (!arg0) return s;
  s.labels = arg0->labels;
  s.labels_known = arg0->labels_known;
  s.maybe = arg0->maybe;
  s.targets_open = arg0->targets_open;
  s.dropped = arg0->dropped;
  s.labels.erase("__name__");
  s.aggregated = arg0->aggregated;
  if (n == "label_replace" || n == "label_join") {
    const Expr* dst = c.args.size() > 1 ? unparen(c.args[1]) : nullptr;
    if (dst && dst->kind == NodeKind::string_literal) {
      s.labels.insert(dst->as<StringLiteral>().value);
      s.dropped.erase(dst->as<StringLiteral>().value);
    } else s.labels_known = s.targets_open = false, s.dropped.clear();
  } else if (n == "histogram_quantile" || n == "histogram_fraction") {
    s.labels.erase("le");
  } else if (n == "info") {
    s.labels_known = s.targets_open = false; // adds the info metric's labels
    s.dropped.clear();
  } else if (n == "sort" || n == "sort_desc" || n == "sort_by_label" || n == "sort_by_label_desc" ||
             n == "last_over_time" || n == "timestamp") {
    s.labels.insert("__name__");
  }
  if (is_rate_function(n) || n == "deriv" || n == "delta" || n == "idelta") s.kind = ValueKind::gauge;
  else if (keeps_unit(n)) {
    s.kind = arg0->kind;
    s.unit = arg0->unit;
  } else s.kind = ValueKind::gauge;
  // The le bounds survive what changes the bucket counts (rate, over-time functions); a quantile
  // of the buckets is in the bounds' unit, a fraction of them a ratio.
  if (is_rate_function(n) || keeps_unit(n)) s.bucket_unit = arg0->bucket_unit;
  if (!s.unit.empty() || !s.bucket_unit.empty()) s.unit_of = arg0->unit_of;
  if (n == "histogram_quantile" && !arg0->bucket_unit.empty())
    s.unit = arg0->bucket_unit, s.unit_of = "the quantile of " + arg0->unit_of;
  else if (n == "histogram_fraction" && !arg0->bucket_unit.empty())
    s.unit = "ratio", s.unit_of = "histogram_fraction of " + arg0->unit_of;
  return s;
}

Shape Inference::binary(const BinaryExpr& b) const {
  const Shape& l = at(b.lhs);
  const Shape& r = at(b.rhs);
  Shape s;
  bool lv = b.lhs->type == ValueType::vector, rv = b.rhs->type == ValueType::vector;
  bool comparison = is_comparison(b.op) && !b.return_bool;
  if (lv && !rv) s = l;
  else if (!lv && rv) s = r;
  else if (lv && rv) {
    const VectorMatching* vm = b.matching();
    if (b.op == BinaryOp::lor) {
      // Series of either side: certain on both is certain, on one a maybe.
      s.labels = l.labels;
      s.labels.insert(r.labels.begin(), r.labels.end());
      for (const auto& x : s.labels)
        if (!l.labels.count(x) || !r.labels.count(x) || l.maybe.count(x) || r.maybe.count(x)) s.maybe.insert(x);
      s.labels_known = l.labels_known && r.labels_known;
      s.targets_open = !s.labels_known && (l.labels_known || l.targets_open) && (r.labels_known || r.targets_open);
      for (const auto& [x, why] : l.dropped)
        if (r.dropped.count(x)) s.dropped.emplace(x, why);
      s.filters = l.filters && r.filters;
      return s;
    }
    if (vm && vm->card == Cardinality::one_to_many) s = r;
    else s = l;
    s.filters = l.filters || r.filters || b.op == BinaryOp::land || b.op == BinaryOp::lunless;
    if (vm && (vm->card == Cardinality::many_to_one || vm->card == Cardinality::one_to_many)) {
      const Shape& other = vm->card == Cardinality::many_to_one ? r : l;
      // group_left(x) copies x from the other side, or removes it when that side has none.
      for (const auto& inc : vm->include) {
        s.labels.insert(inc);
        s.dropped.erase(inc);
        if (!other.labels.count(inc) || other.maybe.count(inc)) s.maybe.insert(inc);
        else s.maybe.erase(inc);
      }
      s.labels_known = s.labels_known && (vm->include.empty() || other.labels_known);
    } else if (vm && vm->card == Cardinality::one_to_one && !is_set_operator(b.op) && !comparison) {
      // Arithmetic one-to-one: on(...) keeps only those labels, ignoring(...) drops them.
      if (vm->on) {
        LabelSet keep(vm->labels.begin(), vm->labels.end());
        LabelSet kept;
        for (const auto& x : s.labels)
          if (keep.count(x)) kept.insert(x);
        s.labels = kept;
      } else {
        for (const auto& x : vm->labels) s.labels.erase(x), s.maybe.erase(x);
      }
    }
  } else {
    s.labels_known = true; // scalar op scalar
  }
  if (comparison) s.filters = true;
  bool arithmetic = !is_comparison(b.op) && !is_set_operator(b.op);
  if (arithmetic || b.return_bool) {
    s.labels.erase("__name__");
    s.kind = ValueKind::gauge;
    s.unit.clear();
    // Scaling by a number keeps counter-ness out of the picture but a unit is no longer reliable.
  }
  for (auto it = s.maybe.begin(); it != s.maybe.end();) it = s.labels.count(*it) ? std::next(it) : s.maybe.erase(it);
  return s;
}

Shape Inference::aggregate(const AggregateExpr& a) const {
  const Shape& in = at(a.expr);
  Shape s;
  s.filters = in.filters;
  s.aggregated = true;
  if (a.op == AggregateOp::topk || a.op == AggregateOp::bottomk || a.op == AggregateOp::limitk ||
      a.op == AggregateOp::limit_ratio) {
    s = in;
    s.filters = true;
    return s;
  }
  if (a.without) {
    s.labels = in.labels;
    s.labels_known = in.labels_known;
    for (const auto& g : a.grouping) s.labels.erase(g);
    s.labels.erase("__name__");
  } else {
    s.labels_known = true;
    for (const auto& g : a.grouping) {
      if (absent(in, g)) continue;
      s.labels.insert(g);
      if (!in.labels.count(g) || in.maybe.count(g)) s.maybe.insert(g); // by (x) of series without x: no x
    }
  }
  // The input's series had no such label: neither has the result (the config's doing).
  s.maybe.insert(in.maybe.begin(), in.maybe.end());
  for (auto it = s.maybe.begin(); it != s.maybe.end();) it = s.labels.count(*it) ? std::next(it) : s.maybe.erase(it);
  s.dropped = in.dropped;
  if (a.without) s.targets_open = in.targets_open;
  if (a.op == AggregateOp::count_values) {
    const Expr* label = unparen(a.param);
    if (label && label->kind == NodeKind::string_literal) {
      s.labels.insert(label->as<StringLiteral>().value);
      s.maybe.erase(label->as<StringLiteral>().value);
      s.dropped.erase(label->as<StringLiteral>().value);
    } else s.labels_known = s.targets_open = false;
  }
  // sum of counters is still a counter (the classic sum-then-rate trap); min/max/avg keep units.
  if (a.op == AggregateOp::sum) s.kind = in.kind;
  else if (a.op == AggregateOp::min || a.op == AggregateOp::max || a.op == AggregateOp::avg ||
           a.op == AggregateOp::quantile) {
    s.kind = in.kind;
    s.unit = in.unit;
  } else s.kind = ValueKind::gauge;
  // sum by (le) of buckets is still a histogram with the same bounds.
  if (a.op == AggregateOp::sum || a.op == AggregateOp::min || a.op == AggregateOp::max || a.op == AggregateOp::avg)
    s.bucket_unit = in.bucket_unit;
  if (!s.unit.empty() || !s.bucket_unit.empty()) s.unit_of = in.unit_of;
  return s;
}

Shape Inference::node(const Expr& e) const {
  switch (e.kind) {
  case NodeKind::vector_selector: return leaf(e.as<VectorSelector>());
  case NodeKind::matrix_selector: return at(e.as<MatrixSelector>().selector);
  case NodeKind::subquery: return at(e.as<SubqueryExpr>().expr);
  case NodeKind::paren: return at(e.as<ParenExpr>().expr);
  case NodeKind::unary: {
    Shape s = at(e.as<UnaryExpr>().expr);
    s.labels.erase("__name__");
    s.kind = ValueKind::gauge;
    if (e.as<UnaryExpr>().op == UnaryOp::minus) s.unit.clear(); // -ratio is between -1 and 0
    return s;
  }
  case NodeKind::binary: return binary(e.as<BinaryExpr>());
  case NodeKind::aggregate: return aggregate(e.as<AggregateExpr>());
  case NodeKind::call: return call(e.as<Call>());
  default: {
    Shape s;
    s.labels_known = true;
    return s;
  }
  }
}

Shape Inference::run(const Expr& root) {
  // Pre-order, then reversed: every node comes after its children, with no recursion. A rule's
  // tree has a handful of nodes (~6): in a buffer of the call.
  std::array<std::byte, 64 * sizeof(const Expr*)> buffer;
  std::pmr::monotonic_buffer_resource memory(buffer.data(), buffer.size());
  std::pmr::vector<const Expr*> order(&memory);
  order.reserve(buffer.size() / sizeof(const Expr*));
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    order.push_back(&n);
    return true;
  });
  // The nodes into the index first (sorted by address, merged with earlier runs'), so that a
  // node's shape finds its children's.
  const std::size_t base = shapes_.size(), indexed = index_.size();
  shapes_.resize(base + order.size());
  if (index_.capacity() < indexed + order.size())
    index_.reserve(std::max(2 * index_.capacity(), indexed + order.size()));
  for (std::size_t i = 0; i < order.size(); ++i) index_.emplace_back(order[i], base + i);
  std::sort(index_.begin() + static_cast<std::ptrdiff_t>(indexed), index_.end());
  std::inplace_merge(index_.begin(), index_.begin() + static_cast<std::ptrdiff_t>(indexed), index_.end());
  for (std::size_t i = order.size(); i-- > 0;) shapes_[base + i] = node(*order[i]);
  return at(&root);
}

bool Inference::absent(const Shape& s, const std::string& label) const {
  if (s.labels.count(label)) return false;
  return s.labels_known || s.dropped.count(label) || (s.targets_open && targets_->in_vocabulary(label));
}

const Shape& Inference::at(const Expr* e) const {
  static const Shape unknown;
  // The latest run's shape of a node seen twice.
  auto it = std::upper_bound(index_.begin(), index_.end(), e,
                             [](const promql::Expr* x, const auto& entry) { return x < entry.first; });
  return it == index_.begin() || std::prev(it)->first != e ? unknown : shapes_[std::prev(it)->second];
}

} // namespace nsmon::lint
