#include "nsmon/lint/infer.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory_resource>
#include <optional>
#include <re2/re2.h>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/functions.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

std::string RangeReason::text() const {
  if (!comparison || !text_.empty()) return text_;
  return util::concat(
      {"the comparison ", to_string(op_), " ", util::format_number(bound_), " keeps only the values it accepts"});
}

const Expr* unparen(const Expr* e) {
  while (e && e->kind == NodeKind::paren) e = e->as<ParenExpr>().expr;
  return e;
}

bool kube_state_series(const VectorSelector& vs) {
  const std::string& name = metric_name(vs);
  if (!name.starts_with("kube_") || name.find("_status_") == std::string::npos) return false;
  return std::any_of(vs.matchers.begin(), vs.matchers.end(),
                     [](const Matcher& m) { return m.name == "phase" || m.name == "condition" || m.name == "status"; });
}

bool is_rate_function(std::string_view n) { return n == "rate" || n == "irate" || n == "increase"; }

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

bool keeps_values(std::string_view n) { return keeps_unit(n) || n == "label_replace" || n == "label_join"; }

const catalog::ExporterWhole* rate_whole(const Call& c, bool whole_only) {
  const Expr* m = c.args.size() == 1 ? unparen(c.args[0]) : nullptr;
  if (!m || m->kind != NodeKind::matrix_selector) return nullptr;
  const auto& vs = m->as<MatrixSelector>().selector->as<VectorSelector>();
  const catalog::ExporterWhole* w = catalog::exporters().adds_up(metric_name(vs));
  return w && !(whole_only && narrows(vs, w->label)) ? w : nullptr;
}

namespace {

// The shape of a node nothing is known about; a place of shapes_ is made one by assignment.
const Shape& nothing_known() {
  static const Shape none;
  return none;
}

// The value of f(series) for a series that holds the value v all the time, where f keeps it or
// makes it one number: a series that never changes has a rate and a delta of 0, and
// clamp_min(vector(0), 0) is 0 (a fallback's value through the functions that map one number to
// one number, with the bounds written as numbers).
std::optional<double> value_of_constant(const Call& c, double v) {
  std::string_view f = c.name;
  if (is_rate_function(f) || f == "delta" || f == "idelta" || f == "deriv" || f == "changes" || f == "resets")
    return 0.0;
  static const std::set<std::string_view> kSame = {"avg_over_time",  "min_over_time",      "max_over_time",
                                                   "last_over_time", "quantile_over_time", "sort",
                                                   "sort_desc",      "label_replace",      "label_join"};
  if (kSame.count(f)) return v;
  auto a = number_arg(c, 1), b = number_arg(c, 2); // clamp's bounds, written as numbers
  if (c.args.size() == 1) {
    if (f == "abs") return std::fabs(v);
    if (f == "ceil") return std::ceil(v);
    if (f == "floor") return std::floor(v);
    if (f == "round") return std::floor(v + 0.5); // as Prometheus rounds
    if (f == "sgn") return v > 0 ? 1.0 : v < 0 ? -1.0 : v;
  }
  if (f == "clamp_min" && a) return std::max(v, *a);
  if (f == "clamp_max" && a) return std::min(v, *a);
  if (f == "clamp" && a && b && *a <= *b) return std::min(std::max(v, *a), *b);
  return std::nullopt;
}

// label_replace and label_join copy their sources' values into dst: where a source tells the
// series apart, dst does too. A rule's name replaces __name__ (a record's) and alertname (an
// alert's), not the copy, so the copy keeps those series apart after the rule names them (gitpod
// 8b0f245's fix: label_join(count by (__name__) (...), "metric", "", "__name__")). A source that
// a group_left copied is used here: the join lives on in dst, and dropping the source later
// undoes nothing (review63: group_left (nodename), then label_replace node from it, then on
// (node), proofs/review63-2.test.yml).
void copy_sources(const Call& c, const std::string& dst, Shape& s) {
  std::vector<std::string> sources;
  for (std::size_t i = 3; i < c.args.size() && (c.name == "label_join" || i == 3); ++i)
    if (const Expr* e = unparen(c.args[i]); e->kind == NodeKind::string_literal)
      sources.push_back(e->as<StringLiteral>().value);
  if (c.name == "label_replace") {
    const Expr* repl = c.args.size() == 5 ? unparen(c.args[2]) : nullptr;
    if (!repl || repl->kind != NodeKind::string_literal ||
        repl->as<StringLiteral>().value.find('$') == std::string::npos)
      return;
  }
  for (const auto& src : sources)
    if (auto it = s.several.find(src); it != s.several.end()) {
      std::string why = util::concat({c.name, "() copies ", src, " (", it->second, ")"});
      s.several.emplace(dst, std::move(why)); // may move the entries: `it` is not used after
      if (src == "__name__" || src == "alertname") s.several.erase(src);
    }
  for (const auto& src : sources)
    if (auto it = s.joined.find(src); it != s.joined.end()) {
      std::string how = util::concat({c.name, "() from the ", src, " that ", it->second});
      s.joined.erase(it);
      s.joined[dst] = std::move(how);
    }
}

// The value label_replace(v, dst, replacement, src, regex) gives dst on every series, or "": a
// replacement with no $ reference under a regex that matches any value of src (".*", or src "",
// the empty value, and a regex that accepts it). label_join's is the sources' values.
std::string replaced_with(const Call& c) {
  if (c.name != "label_replace" || c.args.size() != 5) return {};
  std::array<const StringLiteral*, 3> lit{};
  for (std::size_t i = 2; i < 5; ++i) {
    const Expr* e = unparen(c.args[i]);
    if (e->kind != NodeKind::string_literal) return {};
    lit[i - 2] = &e->as<StringLiteral>();
  }
  const std::string &repl = lit[0]->value, &src = lit[1]->value, &re = lit[2]->value;
  if (repl.empty() || repl.find('$') != std::string::npos) return {};
  const bool any = re == ".*" || re == "(.*)" || re == "^.*$" || re == "^(.*)$";
  const bool empty_src = src.empty() && labels::regex(re, labels::Dialect::prometheus).ok() &&
                         RE2::FullMatch("", labels::regex(re, labels::Dialect::prometheus));
  return any || empty_src ? repl : std::string();
}

} // namespace

void Inference::call(const Call& c, Shape& s) const {
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
    s.set_range(1, 1, c.name + "() is 1 when it returns anything");
    s.count_like = true;
    const Expr* arg = c.args.empty() ? nullptr : unparen(c.args[0]);
    if (arg && arg->kind == NodeKind::matrix_selector) arg = arg->as<MatrixSelector>().selector;
    if (arg && arg->kind == NodeKind::vector_selector) {
      for (const auto& m : arg->as<VectorSelector>().matchers)
        if (m.op == MatchOp::equal && m.name != "__name__" && !m.value.empty()) {
          s.labels.insert(m.name);
          s.values[m.name] = {m.value};
        }
      // The ruler's scope matchers too (GMP's namespace: proofs/review12.test.yml, GMPScopeAbsent).
      if (scope_) s.labels.insert(scope_->begin(), scope_->end());
    }
    return;
  }
  if (n == "vector" || n == "time" || n == "pi") {
    s.labels_known = true;
    if (n == "vector" && !c.args.empty()) {
      const Shape& v = at(c.args[0]);
      s.lo = v.lo, s.hi = v.hi, s.lo_open = v.lo_open, s.hi_open = v.hi_open, s.range_of = v.range_of;
      s.nan = v.nan;
      s.nan_inf = v.nan_inf;
    }
    if (n == "time") s.set_range(0, s.hi);
    return;
  }
  if (n == "scalar" && arg0) {
    s.labels_known = true;
    s.lo = arg0->lo, s.hi = arg0->hi, s.lo_open = arg0->lo_open, s.hi_open = arg0->hi_open;
    s.range_of = arg0->range_of;
    s.nan = "scalar() is NaN unless its argument has exactly one series";
    return;
  }
  if (!arg0) return;
  s.labels = arg0->labels;
  s.labels_known = arg0->labels_known;
  s.maybe = arg0->maybe;
  s.targets_open = arg0->targets_open;
  s.dropped = arg0->dropped;
  s.unwritten = arg0->unwritten;
  s.removed = arg0->removed;
  s.lacking = arg0->lacking;
  for (auto& [x, k] : s.lacking) k.value = k.value ? value_of_constant(c, *k.value) : std::nullopt;
  s.closed_by = arg0->closed_by;
  s.values = arg0->values;
  s.several = arg0->several;
  s.joined = arg0->joined;
  // Functions drop the metric name, but for those below that keep their argument's, if it has one
  // (promtool 2.42: sort(sum by (a) (foo)) and timestamp(foo) have no __name__ in $labels,
  // review10a).
  const bool named = arg0->labels.count("__name__") > 0;
  s.labels.erase("__name__");
  s.aggregated = arg0->aggregated;
  s.empty = arg0->empty;
  s.nan = arg0->nan;
  s.nan_at = arg0->nan_at;
  s.nan_aggregated = arg0->nan_aggregated;
  s.nan_inf = arg0->nan_inf;
  if (n == "label_replace" || n == "label_join") {
    // They keep the metric name (review10a: count by (__name__) (...), then label_replace, prints
    // LABELS = map[__name__:foo name:foo], proofs/review10a-cardinality.test.yml).
    if (named) s.labels.insert("__name__");
    const Expr* dst = c.args.size() > 1 ? unparen(c.args[1]) : nullptr;
    if (dst && dst->kind == NodeKind::string_literal) {
      s.set_label(dst->as<StringLiteral>().value);
      if (std::string v = replaced_with(c); !v.empty()) s.values[dst->as<StringLiteral>().value] = {v};
      copy_sources(c, dst->as<StringLiteral>().value, s);
    } else s.labels_known = s.targets_open = false, s.dropped.clear(), s.unwritten.clear(), s.removed.clear();
  } else if (n == "histogram_quantile" || n == "histogram_fraction") {
    s.labels.erase("le");
    s.values.erase("le");
    s.removed["le"] = c.name + "()";
    s.several.erase("le");
    if (s.nan.empty()) {
      s.nan = c.name + "() of buckets with no observations in the window is NaN";
      s.nan_at = c.range;
      s.nan_aggregated = false;
      s.nan_inf = false;
    }
  } else if (n == "info") {
    s.labels_known = s.targets_open = false; // adds the info metric's labels
    s.dropped.clear();
    s.unwritten.clear();
  } else if (named && (n == "sort" || n == "sort_desc" || n == "sort_by_label" || n == "sort_by_label_desc" ||
                       n == "last_over_time")) {
    s.labels.insert("__name__");
  }
  if (is_rate_function(n)) s.adds_up = rate_whole(c, true);
  if (is_rate_function(n) || n == "deriv" || n == "delta" || n == "idelta") s.kind = ValueKind::gauge;
  else if (keeps_values(n)) {
    s.kind = arg0->kind;
    s.unit = arg0->unit;
  } else s.kind = ValueKind::gauge;
  // The le bounds survive what changes the bucket counts (rate, over-time functions); a quantile
  // of the buckets is in the bounds' unit, a fraction of them a ratio.
  if (is_rate_function(n) || keeps_values(n)) s.bucket_unit = arg0->bucket_unit;
  if (!s.unit.empty() || !s.bucket_unit.empty()) s.unit_of = arg0->unit_of;
  if (n == "histogram_quantile" && !arg0->bucket_unit.empty())
    s.unit = arg0->bucket_unit, s.unit_of = "the quantile of " + arg0->unit_of;
  else if (n == "histogram_fraction" && !arg0->bucket_unit.empty())
    s.unit = "ratio", s.unit_of = "histogram_fraction of " + arg0->unit_of;
  call_range(c, *arg0, s);
}

// The series of `l or r`, into `s` (a new Shape): certain on both is certain, on one a maybe.
void Inference::either(const Shape& l, const Shape& r, Shape& s, bool right_if_left_empty) const {
  // Series of either side: certain on both is certain, on one a maybe.
  s.labels = l.labels;
  s.labels.insert(r.labels.begin(), r.labels.end());
  for (const auto& x : s.labels)
    if (!l.labels.count(x) || !r.labels.count(x) || l.maybe.count(x) || r.maybe.count(x)) s.maybe.insert(x);
  s.labels_known = l.labels_known && r.labels_known;
  s.targets_open = !s.labels_known && (l.labels_known || l.targets_open) && (r.labels_known || r.targets_open);
  for (const auto& [x, why] : l.dropped)
    if (r.dropped.count(x)) s.dropped.emplace(x, why);
  for (const auto& x : l.unwritten)
    if (r.unwritten.count(x)) s.unwritten.insert(x);
  for (const auto& [x, why] : l.removed)
    if (absent(r, x)) s.removed.emplace(x, why);
  // A label one side never has: the series of that side lack it.
  const unsigned left = ++sides_, right = ++sides_;
  for (const auto& x : s.labels) {
    if (s.removed.count(x)) continue;
    if (absent(l, x))
      s.lacking.emplace(x, Lacking{"the left side of 'or' has no " + x, only_value(l), present(r, x), left});
    else if (absent(r, x))
      s.lacking.emplace(
          x, Lacking{"the right side of 'or' has no " + x, only_value(r), present(l, x) || right_if_left_empty, right});
  }
  for (const auto* side : {&l, &r})
    for (const auto& [x, k] : side->lacking)
      if (auto [it, added] = s.lacking.emplace(x, k); !added && it->second.from != k.from) it->second.from = 0;
  for (const auto& [x, vl] : l.values)
    if (auto it = r.values.find(x); it != r.values.end()) {
      std::vector<std::string> both = vl;
      both.insert(both.end(), it->second.begin(), it->second.end());
      std::sort(both.begin(), both.end());
      both.erase(std::unique(both.begin(), both.end()), both.end());
      s.values[x] = std::move(both);
    }
  s.several = l.several;
  s.several.insert(r.several.begin(), r.several.end());
  s.joined = l.joined;
  s.joined.insert(r.joined.begin(), r.joined.end());
  s.filters = l.filters && r.filters;
  s.set_range(std::min(l.lo, r.lo), std::max(l.hi, r.hi),
              l.range_of.comparison && r.range_of.comparison
                  ? RangeReason("the comparisons on both sides of 'or' keep only the values they accept", true)
                  : RangeReason());
  s.count_like = l.count_like && r.count_like;
  s.nan = l.nan.empty() ? r.nan : l.nan;
  s.nan_at = l.nan.empty() ? r.nan_at : l.nan_at;
  s.nan_aggregated = l.nan_aggregated || r.nan_aggregated;
  s.nan_inf = l.nan.empty() ? r.nan_inf : l.nan_inf;
  if (!l.empty.empty() && !r.empty.empty()) s.empty = l.empty;
}

// The series of `e` that a comparison `OP v` may let through. Of an `or`, a side whose values can
// never pass contributes no series, and no labels: (x or vector(0)) > 0 returns x's series alone.
void Inference::passing(const Expr* e, BinaryOp op, double v, Shape& s) const {
  const Expr* u = unparen(e);
  if (u->kind != NodeKind::binary || u->as<BinaryExpr>().op != BinaryOp::lor) {
    s = at(e);
    return;
  }
  // The sides of a chain of `or`, left to right, without recursion (a chain may be long).
  std::vector<const Expr*> sides, todo{u};
  while (!todo.empty()) {
    const Expr* x = unparen(todo.back());
    todo.pop_back();
    if (x->kind == NodeKind::binary && x->as<BinaryExpr>().op == BinaryOp::lor) {
      todo.push_back(x->as<BinaryExpr>().rhs);
      todo.push_back(x->as<BinaryExpr>().lhs);
    } else if (compare(at(x), op, v) != Verdict::never && at(x).empty.empty()) {
      sides.push_back(x);
    } else {
      sides.push_back(nullptr);
    }
  }
  const std::size_t n = sides.size();
  std::erase(sides, nullptr);
  // All pass, or none (the comparison then says it never holds): the `or` as it is.
  if (sides.empty() || sides.size() == n) {
    s = at(e);
    return;
  }
  s = at(sides[0]);
  for (std::size_t i = 1; i < sides.size(); ++i) {
    Shape both;
    either(s, at(sides[i]), both);
    s = std::move(both);
  }
}

// Of `l op r` (arithmetic or comparison, vectors on both sides), what becomes of the result's
// series that lack a label: where matching reads the label, they meet only series of the other
// side that lack it too, none where the other side's all carry it (nor do the other labels those
// series lack, then), and their value is then the
// two lacking values combined (0/0 of two defaults is NaN).
void Inference::match_lacking(const BinaryExpr& b, const Shape& l, const Shape& r, Shape& s) const {
  const VectorMatching* vm = b.matching();
  const bool left = !(vm && vm->card == Cardinality::one_to_many); // whose series the result's are
  const Shape& other = left ? r : l;
  const bool arithmetic = !is_comparison(b.op);
  std::set<unsigned> unmatched; // sides of `or` whose series meet none of the other side's
  for (auto it = s.lacking.begin(); it != s.lacking.end();) {
    Lacking& k = it->second;
    const bool matched = !vm || compares(*vm, it->first);
    if (matched && present(other, it->first)) {
      if (k.from) unmatched.insert(k.from);
      it = s.lacking.erase(it);
      continue;
    }
    auto o = other.lacking.find(it->first);
    if (matched && o != other.lacking.end() && k.value && o->second.value && arithmetic) {
      k.value = left ? combine(b.op, *k.value, *o->second.value) : combine(b.op, *o->second.value, *k.value);
      k.alone = k.alone && o->second.alone;
    } else if (arithmetic || b.return_bool) k.value.reset();
    ++it;
  }
  // Those series are not in the result, whatever other label they lack: `(x or on() vector(0)) /
  // sum by (instance, site) (y)` returns no series without site, as vector(0)'s has no instance.
  erase_if(s.lacking, [&](const auto& kv) { return unmatched.count(kv.second.from) > 0; });
}

void Inference::node(const Expr& e, Shape& s) const {
  // `s` holds an earlier rule's shape: each kind starts from a copy of its child's, or from
  // nothing known (binary() knows which it does).
  if (e.kind != NodeKind::unary && e.kind != NodeKind::binary) s.reset();
  switch (e.kind) {
  case NodeKind::unary:
    s = at(e.as<UnaryExpr>().expr);
    s.adds_up = nullptr;
    s.labels.erase("__name__");
    s.kind = ValueKind::gauge;
    s.count_like = false;
    if (e.as<UnaryExpr>().op == UnaryOp::minus) {
      s.unit.clear(); // -ratio is between -1 and 0
      std::swap(s.lo, s.hi);
      std::swap(s.lo_open, s.hi_open);
      s.lo = -s.lo, s.hi = -s.hi;
      s.range_of.clear();
    }
    return;
  // Their results are no rates of a counter's series (Shape::adds_up), whatever they copied.
  case NodeKind::binary:
    binary(e.as<BinaryExpr>(), s);
    s.adds_up = nullptr;
    return;
  case NodeKind::aggregate:
    aggregate(e.as<AggregateExpr>(), s);
    s.adds_up = nullptr;
    return;
  case NodeKind::call: call(e.as<Call>(), s); return;
  case NodeKind::number_literal: {
    s.labels_known = true;
    double v = e.as<NumberLiteral>().value;
    if (!std::isnan(v)) s.set_range(v, v);
    return;
  }
  default: s.labels_known = true; return;
  }
}

namespace {
// A node whose result is its child's, unchanged: parentheses, a range selector's selector, a
// subquery's expression.
bool passes_through(const Expr& e) {
  return e.kind == NodeKind::paren || e.kind == NodeKind::matrix_selector || e.kind == NodeKind::subquery;
}

} // namespace

const Shape& Inference::run(const Expr& root) {
  series_.clear(); // a tree and its checks at a time: the memo stays a few names long
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
  // Each node's place in shapes_, into the index first (sorted by address, merged with earlier
  // runs'), so that a node's shape finds its children's. A node that passes its child's result
  // on shares the child's shape rather than a copy of it; in pre-order that child is the next node.
  // A selector has two shapes: its metric's series (leaf_labels), kept for the checks of its
  // matchers, then what the matchers make of them, a copy narrowed.
  const std::size_t indexed = index_.size(), leaves = leaves_.size();
  if (index_.capacity() < indexed + order.size())
    index_.reserve(std::max(2 * index_.capacity(), indexed + order.size()));
  index_.resize(indexed + order.size());
  std::size_t next = made_;
  for (std::size_t i = order.size(); i-- > 0;) {
    std::size_t slot = passes_through(*order[i]) ? index_[indexed + i + 1].second : next++;
    if (order[i]->kind == NodeKind::vector_selector) leaves_.emplace_back(order[i], slot), slot = next++;
    index_[indexed + i] = {order[i], slot};
  }
  for (auto [index, from] : {std::pair{&index_, indexed}, std::pair{&leaves_, leaves}}) {
    std::sort(index->begin() + static_cast<std::ptrdiff_t>(from), index->end());
    std::inplace_merge(index->begin(), index->begin() + static_cast<std::ptrdiff_t>(from), index->end());
  }
  // The shapes, children first, each made in its place. A place that an earlier rule's shape had
  // is emptied in place (Shape::reset, or the copy of a child's shape a node starts from), which
  // keeps the memory of its strings and lists for this one.
  if (shapes_.size() < next) shapes_.resize(std::max(2 * shapes_.size(), next));
  auto place = [&](const Shape& from) -> Shape& { return shapes_[made_++] = from; };
  for (std::size_t i = order.size(); i-- > 0;) {
    if (passes_through(*order[i])) continue;
    Shape* made = nullptr;
    if (order[i]->kind == NodeKind::vector_selector) {
      const auto& vs = order[i]->as<VectorSelector>();
      Shape& before = shapes_[made_++];
      before.reset();
      const RecordedMetric* recorded = leaf_labels(vs, before);
      made = &place(before);
      leaf(vs, recorded, *made);
    } else {
      made = &shapes_[made_++];
      node(*order[i], *made);
    }
    Shape& s = *made;
    // A ratio or a percentage, while its unit survives, is bounded by it.
    if (!s.bounded() && (s.unit == "ratio" || s.unit == "percent"))
      s.set_range(0, s.unit == "ratio" ? 1 : 100, s.unit_of + " is a " + (s.unit == "ratio" ? "ratio" : "percentage"));
  }
  return at(&root);
}

std::string removed_by(const Shape& s, const std::string& label) {
  if (auto it = s.removed.find(label); it != s.removed.end()) return it->second + " removes it";
  if (!s.closed_by.empty() && !s.labels.count(label)) return s.closed_by;
  return {};
}

std::vector<std::string> Inference::apart(const Shape& a, const Shape& other, const VectorMatching& vm) const {
  std::vector<std::string> out;
  for (const auto& x : a.labels) {
    if (x != "__name__" && compares(vm, x) && present(a, x) && absent(other, x)) out.push_back(x);
  }
  return out;
}

std::vector<std::string> Inference::values_apart(const Shape& a, const Shape& b, const VectorMatching& vm) const {
  std::vector<std::string> out;
  for (const auto& [x, va] : a.values) {
    auto it = b.values.find(x);
    if (x == "__name__" || !compares(vm, x) || it == b.values.end()) continue;
    const auto& vb = it->second;
    // "" is no value but the label's absence, which apart() judges.
    auto unset = [](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), "") != v.end(); };
    if (unset(va) || unset(vb)) continue;
    if (std::none_of(va.begin(), va.end(),
                     [&](const std::string& v) { return std::find(vb.begin(), vb.end(), v) != vb.end(); }))
      out.push_back(x);
  }
  return out;
}

bool Inference::absent(const Shape& s, const std::string& label) const {
  if (s.removed.count(label)) return true;
  if (s.labels.count(label)) return false;
  return s.labels_known || s.dropped.count(label) || s.unwritten.count(label) ||
         (s.targets_open && targets_->in_vocabulary(label));
}

const Shape& Inference::at(const Expr* e) const { return find(index_, e); }

const Shape& Inference::find(const Index& index, const Expr* e) const {
  // The latest run's shape of a node seen twice.
  auto it = std::upper_bound(index.begin(), index.end(), e,
                             [](const promql::Expr* x, const auto& entry) { return x < entry.first; });
  return it == index.begin() || std::prev(it)->first != e ? nothing_known() : shapes_[std::prev(it)->second];
}

} // namespace nsmon::lint
