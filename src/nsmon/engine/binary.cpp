// Binary operators: scalar/scalar, vector/scalar, vector/vector with on/ignoring,
// group_left/group_right, bool, filtering comparisons and the set operators, in Prometheus's
// words when matching fails.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "nsmon/engine/eval.hpp"

namespace nsmon::engine::detail {

using namespace promql;

namespace {

bool changes_schema(BinaryOp op) {
  switch (op) {
  case BinaryOp::add:
  case BinaryOp::sub:
  case BinaryOp::mul:
  case BinaryOp::div:
  case BinaryOp::mod:
  case BinaryOp::pow:
  case BinaryOp::atan2: return true;
  default: return false;
  }
}

// The value of `lhs op rhs`; for comparisons the lhs and whether the comparison holds.
struct Outcome {
  double v;
  bool keep;
};

Outcome apply(BinaryOp op, double l, double r) {
  switch (op) {
  case BinaryOp::add: return {l + r, true};
  case BinaryOp::sub: return {l - r, true};
  case BinaryOp::mul: return {l * r, true};
  case BinaryOp::div: return {l / r, true};
  case BinaryOp::mod: return {std::fmod(l, r), true};
  case BinaryOp::pow: return {std::pow(l, r), true};
  case BinaryOp::atan2: return {std::atan2(l, r), true};
  case BinaryOp::eql: return {l, l == r};
  case BinaryOp::neq: return {l, l != r};
  case BinaryOp::gtr: return {l, l > r};
  case BinaryOp::lss: return {l, l < r};
  case BinaryOp::gte: return {l, l >= r};
  case BinaryOp::lte: return {l, l <= r};
  default: return {0, false};
  }
}

bool is_trim(BinaryOp op) { return op == BinaryOp::trim_upper || op == BinaryOp::trim_lower; }

void incompatible(Context& ctx, const BinaryExpr& e, const char* l, const char* r) {
  std::string o = to_string(e.op);
  ctx.info("PromQL info: incompatible sample types encountered for binary operator \"" + o + "\": " + l + " " + o +
               " " + r,
           &e);
}

void trim_info(Context& ctx, const BinaryExpr& e) { incompatible(ctx, e, "float", "float"); }

// Prometheus's vectorElemBinop where a side is a histogram: histogram * float, float *
// histogram, histogram / float, histogram +/- histogram, histogram ==/!= histogram; every other
// pairing drops the sample with an info. `keep` false: dropped.
struct HistogramOutcome {
  HistogramPtr h;
  bool keep = false;
};
HistogramOutcome histogram_op(Context& ctx, const BinaryExpr& e, double l, const HistogramPtr& hl, double r,
                              const HistogramPtr& hr) {
  auto copy = [](const HistogramPtr& h) { return std::make_shared<Histogram>(*h); };
  if (hl && hr) {
    if (e.op == BinaryOp::add || e.op == BinaryOp::sub) {
      auto h = copy(hl);
      Combine c = add(*h, *hr, e.op == BinaryOp::sub);
      if (has(c, Combine::mixed_schemas)) {
        ctx.warn_mixed_schemas("", &e);
        return {};
      }
      if (has(c, Combine::custom_reconciled))
        ctx.info(std::string("PromQL info: mismatched custom buckets were reconciled during ") +
                     (e.op == BinaryOp::add ? "addition" : "subtraction"),
                 &e);
      if (has(c, Combine::counter_reset_collision))
        ctx.warn(std::string("PromQL warning: conflicting counter resets during histogram ") +
                     (e.op == BinaryOp::add ? "addition" : "subtraction"),
                 &e);
      if (e.op == BinaryOp::sub) h->hint = ResetHint::gauge;
      compact(*h);
      return {std::move(h), true};
    }
    if (e.op == BinaryOp::eql || e.op == BinaryOp::neq)
      return {hl, same_histogram(*hl, *hr) == (e.op == BinaryOp::eql)};
    incompatible(ctx, e, "histogram", "histogram");
    return {};
  }
  if (e.op == BinaryOp::mul || (e.op == BinaryOp::div && hl)) {
    auto h = copy(hl ? hl : hr);
    if (e.op == BinaryOp::mul) scale(*h, hl ? r : l);
    else divide(*h, r);
    compact(*h);
    return {std::move(h), true};
  }
  if (is_trim(e.op) && hl) {
    auto h = copy(hl);
    trim(*h, r, e.op == BinaryOp::trim_upper);
    return {std::move(h), true};
  }
  incompatible(ctx, e, hl ? "histogram" : "float", hl ? "float" : "histogram");
  return {};
}

bool contains(const std::vector<std::string>& names, const std::string& n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

// The match group of a series: its on(...) labels, or all but ignoring(...) and __name__.
Labels match_labels(const Labels& ls, const VectorMatching& m) {
  Labels out;
  for (const auto& l : ls) {
    bool listed = contains(m.labels, l.first);
    if (m.on ? listed : (!listed && l.first != "__name__")) out.push_back(l);
  }
  return out;
}

std::string signature(const Labels& ls, const VectorMatching& m) {
  std::string sig;
  for (const auto& l : ls) {
    bool listed = contains(m.labels, l.first);
    if (m.on ? listed : (!listed && l.first != "__name__")) {
      sig += l.first;
      sig += '\xff';
      sig += l.second;
      sig += '\xff';
    }
  }
  return sig;
}

Value scalar_scalar(const BinaryExpr& e, const Value& l, const Value& r) {
  Outcome o = apply(e.op, l.scalar, r.scalar);
  double v = is_comparison(e.op) ? (o.keep ? 1 : 0) : o.v;
  return make_scalar(v, l.scalar_t);
}

Value vector_scalar(Context& ctx, const BinaryExpr& e, std::vector<Sample> vec, double scalar, bool swap) {
  std::vector<Sample> out;
  out.reserve(vec.size());
  for (auto& s : vec) {
    if (s.h) {
      HistogramOutcome o =
          swap ? histogram_op(ctx, e, scalar, nullptr, 0, s.h) : histogram_op(ctx, e, 0, s.h, scalar, nullptr);
      if (!o.keep || e.return_bool) continue;
      s.h = std::move(o.h);
      if (changes_schema(e.op)) drop_name(ctx, s);
      out.push_back(std::move(s));
      continue;
    }
    if (is_trim(e.op)) {
      trim_info(ctx, e);
      continue;
    }
    double l = swap ? scalar : s.v;
    double r = swap ? s.v : scalar;
    Outcome o = apply(e.op, l, r);
    if (is_comparison(e.op) && swap) o.v = r; // the vector's value is kept, whichever side it is on
    if (e.return_bool) {
      o.v = o.keep ? 1 : 0;
      o.keep = true;
    }
    if (!o.keep) continue;
    s.v = o.v;
    if (changes_schema(e.op) || e.return_bool) drop_name(ctx, s);
    out.push_back(std::move(s));
  }
  check_unique(ctx, out);
  return make_vector(std::move(out));
}

Value set_operation(Context& ctx, const BinaryExpr& e, const VectorMatching& m, std::vector<Sample> lhs,
                    std::vector<Sample> rhs) {
  std::vector<Sample> out;
  if (e.op == BinaryOp::lor) {
    if (lhs.empty()) return make_vector(std::move(rhs));
    std::unordered_map<std::string, bool> left;
    for (const auto& s : lhs) left[signature(s.labels, m)] = true;
    out = std::move(lhs);
    for (auto& s : rhs)
      if (!left.contains(signature(s.labels, m))) out.push_back(std::move(s));
  } else {
    if (rhs.empty()) return make_vector(e.op == BinaryOp::land ? std::vector<Sample>{} : std::move(lhs));
    std::unordered_map<std::string, bool> right;
    for (const auto& s : rhs) right[signature(s.labels, m)] = true;
    bool want = e.op == BinaryOp::land;
    for (auto& s : lhs)
      if (right.contains(signature(s.labels, m)) == want) out.push_back(std::move(s));
  }
  check_unique(ctx, out);
  return make_vector(std::move(out));
}

Labels result_labels(const Context& ctx, const Labels& many, const Labels& one, const BinaryExpr& e,
                     const VectorMatching& m) {
  Labels ls = many;
  if ((e.return_bool && !ctx.delayed()) || changes_schema(e.op)) drop_name(ls);
  if (m.card == Cardinality::one_to_one) {
    std::erase_if(ls, [&](const auto& l) { return contains(m.labels, l.first) != m.on; });
  }
  for (const auto& name : m.include) set_label(ls, name, get(one, name));
  return ls;
}

Value vector_vector(Context& ctx, const BinaryExpr& e, const VectorMatching& m, std::vector<Sample> lhs,
                    std::vector<Sample> rhs) {
  bool no_fill = !m.fill_lhs && !m.fill_rhs;
  if ((lhs.empty() && rhs.empty()) || ((lhs.empty() || rhs.empty()) && no_fill)) return make_vector({});
  bool swapped = m.card == Cardinality::one_to_many;
  if (swapped) std::swap(lhs, rhs);

  // The "one" side by match group; a group twice there is many-to-many.
  std::unordered_map<std::string, std::size_t> one;
  std::vector<std::string> rhs_sigs(rhs.size());
  for (std::size_t i = 0; i < rhs.size(); ++i) {
    rhs_sigs[i] = signature(rhs[i].labels, m);
    auto [it, inserted] = one.try_emplace(rhs_sigs[i], i);
    if (!inserted) {
      std::string a = to_string(rhs[i].labels), b = to_string(rhs[it->second].labels);
      if (a > b) std::swap(a, b);
      fail("found duplicate series for the match group " + to_string(match_labels(rhs[i].labels, m)) + " on the " +
           (swapped ? "left" : "right") + " hand-side of the operation: [" + a + ", " + b +
           "];many-to-many matching not allowed: matching labels must be unique on one side");
    }
  }

  std::unordered_map<std::string, bool> matched_one_to_one;
  std::unordered_map<std::string, std::vector<Labels>> matched_many;
  std::vector<Sample> out;
  auto combine = [&](const Sample& ls, const Sample& rs, const std::string& sig) {
    double l = ls.v, r = rs.v;
    HistogramPtr hl = ls.h, hr = rs.h;
    if (swapped) std::swap(l, r), std::swap(hl, hr);
    if (is_trim(e.op) && !hl) {
      trim_info(ctx, e);
      return;
    }
    Outcome o{0, false};
    HistogramOutcome ho;
    if (hl || hr) {
      ho = histogram_op(ctx, e, l, hl, r, hr);
      // Only ==/!= of two histograms has a `bool` answer; other pairings are dropped.
      const bool equality = e.op == BinaryOp::eql || e.op == BinaryOp::neq;
      if (!ho.keep && !(e.return_bool && hl && hr && equality)) return;
      o.keep = ho.keep;
    } else {
      o = apply(e.op, l, r);
    }
    if (e.return_bool) o.v = o.keep ? 1 : 0, ho.h = nullptr;
    Labels metric = result_labels(ctx, ls.labels, rs.labels, e, m);
    if (m.card == Cardinality::one_to_one) {
      if (matched_one_to_one[sig])
        fail("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
      matched_one_to_one[sig] = true;
    } else {
      auto& seen = matched_many[sig];
      if (std::find(seen.begin(), seen.end(), metric) != seen.end())
        fail("multiple matches for labels: grouping labels must ensure unique matches");
      seen.push_back(metric);
    }
    if (!o.keep && !e.return_bool) return;
    out.push_back({std::move(metric), o.v, ls.t, e.return_bool, std::move(ho.h)});
  };
  auto fill_sample = [&](const Sample& s, double v) { return Sample{match_labels(s.labels, m), v, s.t}; };

  for (const auto& ls : lhs) {
    std::string sig = signature(ls.labels, m);
    auto it = one.find(sig);
    if (it != one.end()) combine(ls, rhs[it->second], sig);
    else if (m.fill_rhs) combine(ls, fill_sample(ls, *m.fill_rhs), sig);
  }
  if (m.fill_lhs) {
    for (std::size_t i = 0; i < rhs.size(); ++i) {
      const std::string& sig = rhs_sigs[i];
      bool done = m.card == Cardinality::one_to_one ? matched_one_to_one[sig] : !matched_many[sig].empty();
      if (!done) combine(fill_sample(rhs[i], *m.fill_lhs), rhs[i], sig);
    }
  }
  check_unique(ctx, out);
  return make_vector(std::move(out));
}

} // namespace

Value eval_binary(Context& ctx, const BinaryExpr& e, Value lhs, Value rhs) {
  bool ls = lhs.type == ValueType::scalar, rs = rhs.type == ValueType::scalar;
  if (ls && rs) return scalar_scalar(e, lhs, rhs);
  if (!ls && rs) return vector_scalar(ctx, e, std::move(lhs.vector), rhs.scalar, false);
  if (ls && !rs) return vector_scalar(ctx, e, std::move(rhs.vector), lhs.scalar, true);
  const VectorMatching* m = e.matching();
  VectorMatching fallback;
  if (!m) {
    fallback.card = is_set_operator(e.op) ? Cardinality::many_to_many : Cardinality::one_to_one;
    m = &fallback;
  }
  if (is_set_operator(e.op)) return set_operation(ctx, e, *m, std::move(lhs.vector), std::move(rhs.vector));
  return vector_vector(ctx, e, *m, std::move(lhs.vector), std::move(rhs.vector));
}

} // namespace nsmon::engine::detail
