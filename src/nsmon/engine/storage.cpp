// The in-memory series store, label helpers and the float format of Prometheus's output.
#include <algorithm>
#include <bit>
#include <cmath>

#include "nsmon/engine/engine.hpp"
#include "nsmon/engine/eval.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::engine {

namespace {

constexpr std::uint64_t kStaleNaNBits = 0x7ff0000000000002ULL; // Prometheus's value.StaleNaN

bool legacy_label_name(std::string_view n) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool matches_all(const Labels& ls, const std::vector<promql::Matcher>& ms) {
  for (const auto& m : ms)
    if (!labels::matches(m, get(ls, m.name), labels::Dialect::prometheus)) return false;
  return true;
}

} // namespace

Storage::Storage() = default;
Storage::~Storage() = default;
Storage::Storage(Storage&&) noexcept = default;
Storage& Storage::operator=(Storage&&) noexcept = default;

detail::SubqueryMemo& Storage::subquery_memo() const {
  if (!memo_) memo_ = std::make_unique<detail::SubqueryMemo>();
  return *memo_;
}

void Storage::changed_at(std::int64_t t) {
  if (memo_) memo_->forget_from(t);
}

std::string to_string(const Labels& ls) {
  std::string out = "{";
  bool first = true;
  for (const auto& [n, v] : ls) {
    if (!first) out += ", ";
    first = false;
    out += legacy_label_name(n) ? n : text::go::quote(n);
    out += '=';
    out += text::go::quote(v);
  }
  out += '}';
  return out;
}

double stale_nan() { return std::bit_cast<double>(kStaleNaNBits); }
bool is_stale_nan(double v) { return std::bit_cast<std::uint64_t>(v) == kStaleNaNBits; }

bool Storage::add(const Labels& given, std::int64_t t, double v) { return add_sample(given, t, v, nullptr); }

bool Storage::add(const Labels& given, std::int64_t t, HistogramPtr h) { return add_sample(given, t, 0, std::move(h)); }

bool Storage::add_sample(const Labels& given, std::int64_t t, double v, HistogramPtr h) {
  // A label with an empty value is no label (Prometheus drops it); names sort.
  Labels sorted;
  bool has_empty = std::any_of(given.begin(), given.end(), [](const auto& l) { return l.second.empty(); });
  if (has_empty || !std::is_sorted(given.begin(), given.end())) {
    sorted = given;
    std::erase_if(sorted, [](const auto& l) { return l.second.empty(); });
    std::sort(sorted.begin(), sorted.end());
  }
  const Labels& labels = has_empty || !sorted.empty() ? sorted : given;
  return append(series_for(labels), t, v, std::move(h));
}

Series& Storage::series_for(const Labels& labels) {
  auto [it, inserted] = series_.try_emplace(labels);
  Series& s = it->second;
  if (inserted) {
    s.labels = labels;
    auto& list = by_name_[get(labels, "__name__")];
    auto pos = std::lower_bound(list.begin(), list.end(), &s,
                                [](const Series* a, const Series* b) { return a->labels < b->labels; });
    list.insert(pos, &s);
  }
  return s;
}

bool Storage::append(Series& s, std::int64_t t, double v, HistogramPtr h) {
  if (!s.points.empty() && s.points.back().t >= t) return false;
  // Prometheus's TSDB gives a counter histogram the hint of its place in a chunk: not_reset after
  // another histogram of the chunk, unknown first, reset where a reset starts a chunk (which
  // selectors read back as unknown but under histogram_count/sum/avg: see eval.cpp).
  if (h && h->hint != ResetHint::gauge) {
    const Point* prev = s.points.empty() ? nullptr : &s.points.back();
    ResetHint hint = ResetHint::unknown;
    if (prev && prev->h) hint = detect_reset(*h, *prev->h) ? ResetHint::reset : ResetHint::not_reset;
    if (hint != h->hint) {
      auto copy = std::make_shared<Histogram>(*h);
      copy->hint = hint;
      h = std::move(copy);
    }
  }
  s.points.push_back({t, v, std::move(h)});
  ++points_;
  changed_at(t);
  return true;
}

void Storage::clear() {
  series_.clear();
  by_name_.clear();
  points_ = 0;
  memo_.reset();
}

std::size_t Storage::drop_before(std::int64_t t) {
  std::size_t dropped = 0;
  for (auto it = series_.begin(); it != series_.end();) {
    Series& s = it->second;
    auto end =
        std::lower_bound(s.points.begin(), s.points.end(), t, [](const Point& p, std::int64_t x) { return p.t < x; });
    dropped += static_cast<std::size_t>(end - s.points.begin());
    s.points.erase(s.points.begin(), end);
    if (!s.points.empty()) {
      ++it;
      continue;
    }
    // A series with nothing left goes (a label that changes every scrape must not grow the store).
    auto name = by_name_.find(get(s.labels, "__name__"));
    if (name != by_name_.end()) {
      std::erase(name->second, &s);
      if (name->second.empty()) by_name_.erase(name);
    }
    it = series_.erase(it);
  }
  points_ -= dropped;
  if (dropped != 0) memo_.reset();
  return dropped;
}

std::vector<const Series*> Storage::select(const std::vector<promql::Matcher>& matchers) const {
  std::vector<const Series*> out;
  for (const auto& m : matchers) {
    if (m.name == "__name__" && m.op == promql::MatchOp::equal) {
      auto it = by_name_.find(m.value);
      if (it == by_name_.end()) return out;
      for (const Series* s : it->second)
        if (matches_all(s->labels, matchers)) out.push_back(s);
      return out;
    }
  }
  for (const auto& [ls, s] : series_)
    if (matches_all(ls, matchers)) out.push_back(&s);
  return out;
}

std::string format_value(double v) { return text::go::format_float_v(v); }

} // namespace nsmon::engine
