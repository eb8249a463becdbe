// STAND-IN for the engine (see CMakeLists.txt): just enough of engine.hpp and notation.hpp for
// test-rules to be built and tested before the real engine is merged. Removed at that merge.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "nsmon/engine/engine.hpp"
#include "nsmon/engine/notation.hpp"

namespace nsmon::engine {

const std::string& get(const Labels& ls, std::string_view name) {
  static const std::string empty;
  for (const auto& [k, v] : ls)
    if (k == name) return v;
  return empty;
}

std::string to_string(const Labels& ls) {
  std::string out = get(ls, "__name__"), inner;
  for (const auto& [k, v] : ls) {
    if (k == "__name__") continue;
    if (!inner.empty()) inner += ", ";
    inner += k + "=\"" + v + "\"";
  }
  if (out.empty() || !inner.empty()) out += "{" + inner + "}";
  return out;
}

double stale_nan() {
  std::uint64_t bits = 0x7ff0000000000002ULL;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}
bool is_stale_nan(double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof v);
  return bits == 0x7ff0000000000002ULL;
}

bool Storage::add(const Labels& labels, std::int64_t t, double v) {
  auto& s = series_[labels];
  if (s.labels.empty()) s.labels = labels;
  if (!s.points.empty() && s.points.back().t >= t) return false;
  s.points.push_back({t, v});
  ++points_;
  return true;
}
void Storage::clear() {
  series_.clear();
  points_ = 0;
}
std::size_t Storage::drop_before(std::int64_t t) {
  std::size_t n = 0;
  for (auto& [k, s] : series_) {
    auto it = std::find_if(s.points.begin(), s.points.end(), [&](const Point& p) { return p.t >= t; });
    n += static_cast<std::size_t>(it - s.points.begin());
    s.points.erase(s.points.begin(), it);
  }
  points_ -= n;
  return n;
}
std::vector<const Series*> Storage::select(const std::vector<promql::Matcher>& matchers) const {
  std::vector<const Series*> out;
  for (const auto& [k, s] : series_) {
    bool ok = true;
    for (const auto& m : matchers) {
      const std::string& v = get(s.labels, m.name);
      if (m.op == promql::MatchOp::equal) ok = ok && v == m.value;
      else if (m.op == promql::MatchOp::not_equal) ok = ok && v != m.value;
      else ok = false; // regexes: not in the stand-in
    }
    if (ok) out.push_back(&s);
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // Go's strconv 'g' with the shortest digits: exponent form below 1e-4 and from 1e+06.
  char buf[64];
  int p = 1;
  for (; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  int exp = std::atoi(std::strchr(buf, 'e') + 1);
  if (exp < -4 || exp >= 6) {
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.*f", std::max(p - 1 - exp, 0), v);
  return buf;
}

namespace {

Result fail(std::string msg) {
  Result r;
  r.error = std::move(msg);
  return r;
}

Result eval(const promql::Expr& e, const Storage& st, std::int64_t t, const Options& o) {
  using K = promql::NodeKind;
  Result r;
  switch (e.kind) {
  case K::number_literal:
    r.value.type = promql::ValueType::scalar;
    r.value.scalar = e.as<promql::NumberLiteral>().value;
    r.value.scalar_t = t;
    return r;
  case K::paren: return eval(*e.as<promql::ParenExpr>().expr, st, t, o);
  case K::unary: {
    r = eval(*e.as<promql::UnaryExpr>().expr, st, t, o);
    if (e.as<promql::UnaryExpr>().op == promql::UnaryOp::minus) {
      r.value.scalar = -r.value.scalar;
      for (auto& s : r.value.vector) {
        s.v = -s.v;
        s.labels.erase(std::remove_if(s.labels.begin(), s.labels.end(), [](auto& l) { return l.first == "__name__"; }),
                       s.labels.end());
      }
    }
    return r;
  }
  case K::vector_selector: {
    const auto& vs = e.as<promql::VectorSelector>();
    auto ms = vs.matchers;
    if (!vs.name.empty()) ms.push_back({"__name__", promql::MatchOp::equal, vs.name, {}});
    r.value.type = promql::ValueType::vector;
    for (const Series* s : st.select(ms)) {
      const Point* last = nullptr;
      for (const auto& p : s->points)
        if (p.t <= t && p.t > t - o.lookback_ms) last = &p;
      if (last && !is_stale_nan(last->v)) r.value.vector.push_back({s->labels, last->v, t});
    }
    return r;
  }
  case K::binary: {
    const auto& b = e.as<promql::BinaryExpr>();
    Result l = eval(*b.lhs, st, t, o), rr = eval(*b.rhs, st, t, o);
    if (l.error) return l;
    if (rr.error) return rr;
    bool lv = l.value.type == promql::ValueType::vector, rv = rr.value.type == promql::ValueType::vector;
    if (lv && rv) return fail("stand-in engine: vector-vector operations are not supported");
    auto apply = [&](double a, double c, bool& keep) {
      keep = true;
      switch (b.op) {
      case promql::BinaryOp::add: return a + c;
      case promql::BinaryOp::sub: return a - c;
      case promql::BinaryOp::mul: return a * c;
      case promql::BinaryOp::div: return a / c;
      case promql::BinaryOp::gtr: keep = a > c; break;
      case promql::BinaryOp::lss: keep = a < c; break;
      case promql::BinaryOp::gte: keep = a >= c; break;
      case promql::BinaryOp::lte: keep = a <= c; break;
      case promql::BinaryOp::eql: keep = a == c; break;
      case promql::BinaryOp::neq: keep = a != c; break;
      default: keep = false;
      }
      if (b.return_bool) {
        double res = keep ? 1 : 0;
        keep = true;
        return res;
      }
      return a;
    };
    if (!lv && !rv) {
      bool keep;
      l.value.scalar = apply(l.value.scalar, rr.value.scalar, keep);
      return l;
    }
    Result& vec = lv ? l : rr;
    double sc = lv ? rr.value.scalar : l.value.scalar;
    std::vector<Sample> out;
    for (auto& s : vec.value.vector) {
      bool keep;
      double v = lv ? apply(s.v, sc, keep) : apply(sc, s.v, keep);
      if (!keep) continue;
      if (!promql::is_comparison(b.op) || b.return_bool)
        s.labels.erase(std::remove_if(s.labels.begin(), s.labels.end(), [](auto& x) { return x.first == "__name__"; }),
                       s.labels.end());
      s.v = promql::is_comparison(b.op) && !b.return_bool ? (lv ? s.v : sc) : v;
      out.push_back(s);
    }
    vec.value.vector = std::move(out);
    return vec;
  }
  default: return fail("stand-in engine: expression not supported");
  }
}

} // namespace

Result instant(const promql::Expr& expr, const Storage& storage, std::int64_t t, const Options& options) {
  return eval(expr, storage, t, options);
}

Result range(const promql::Expr&, const Storage&, std::int64_t, std::int64_t, std::int64_t, const Options&) {
  return fail("stand-in engine: range queries are not supported");
}

ValuesResult parse_values(std::string_view text) {
  ValuesResult r;
  std::size_t i = 0;
  auto num = [&](std::size_t& p, double& out) {
    const char* b = text.data() + p;
    std::string tmp(text.substr(p));
    char* end = nullptr;
    std::size_t n = 0;
    while (n < tmp.size() && (std::isdigit(static_cast<unsigned char>(tmp[n])) || tmp[n] == '.' || tmp[n] == 'e' ||
                              ((tmp[n] == '-' || tmp[n] == '+') && (n == 0 || tmp[n - 1] == 'e'))))
      ++n;
    tmp.resize(n); // no hex floats: "0x5" is 0 repeated
    out = std::strtod(tmp.c_str(), &end);
    if (end == tmp.c_str()) return false;
    p += static_cast<std::size_t>(end - tmp.c_str());
    (void)b;
    return true;
  };
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
      ++i;
      continue;
    }
    std::size_t start = i;
    if (text.substr(i, 5) == "stale") {
      r.values.emplace_back(stale_nan());
      i += 5;
      continue;
    }
    if (text[i] == '_') {
      ++i;
      long n = 0;
      if (i < text.size() && text[i] == 'x') n = std::strtol(std::string(text.substr(i + 1)).c_str(), nullptr, 10);
      while (i < text.size() && text[i] != ' ') ++i;
      if (n < 0 || n > 1'000'000) {
        r.error = NotationError{start, "too many values"};
        return r;
      }
      for (long k = 0; k < std::max(1L, n); ++k) r.values.emplace_back(std::nullopt);
      continue;
    }
    double a = 0;
    if (!num(i, a)) {
      r.error = NotationError{start, "invalid value"};
      return r;
    }
    if (i < text.size() && (text[i] == '+' || text[i] == '-' || text[i] == 'x')) {
      double b = 0;
      if (text[i] != 'x') {
        bool neg = text[i] == '-';
        ++i;
        if (!num(i, b)) {
          r.error = NotationError{start, "invalid value"};
          return r;
        }
        if (neg) b = -b;
      }
      if (i >= text.size() || text[i] != 'x') {
        r.error = NotationError{start, "invalid value"};
        return r;
      }
      ++i;
      double n = 0;
      if (!num(i, n)) {
        r.error = NotationError{start, "invalid repetition"};
        return r;
      }
      if (!(n >= 0 && n + static_cast<double>(r.values.size()) < 1e6)) {
        r.error = NotationError{start, "too many values"};
        return r;
      }
      for (long k = 0; k <= static_cast<long>(n); ++k) r.values.emplace_back(a + b * static_cast<double>(k));
      continue;
    }
    r.values.emplace_back(a);
  }
  return r;
}

SeriesResult parse_series(std::string_view text) {
  SeriesResult r;
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  std::size_t b = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == ':'))
    ++i;
  if (i > b) r.labels.emplace_back("__name__", std::string(text.substr(b, i - b)));
  if (i < text.size() && text[i] == '{') {
    ++i;
    while (true) {
      while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
      if (i < text.size() && text[i] == '}') {
        ++i;
        break;
      }
      std::size_t nb = i;
      while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
      std::string name(text.substr(nb, i - nb));
      if (name.empty() || i + 1 >= text.size() || text[i] != '=' || text[i + 1] != '"') {
        r.error = NotationError{i, "unexpected character in label set"};
        return r;
      }
      i += 2;
      std::size_t vb = i;
      while (i < text.size() && text[i] != '"') ++i;
      if (i >= text.size()) {
        r.error = NotationError{vb, "unterminated quoted string"};
        return r;
      }
      r.labels.emplace_back(name, std::string(text.substr(vb, i - vb)));
      ++i;
    }
  }
  while (i < text.size() && text[i] == ' ') ++i;
  if (i != text.size()) r.error = NotationError{i, "unexpected character after the series"};
  std::sort(r.labels.begin(), r.labels.end());
  return r;
}

} // namespace nsmon::engine
