// One native histogram of the series notation, `{{schema:1 sum:-0.3 count:3.1 z_bucket:7.1
// z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 n_buckets:[4.1 5] n_offset:-5
// counter_reset_hint:gauge}}`, as Prometheus's lexer (lexHistogram, lexBuckets) and grammar
// (histogram_series_value, buildHistogramFromMap) read it: keys in any order, the last of a key
// wins, one space between items, numbers as in values (Inf, NaN, signs), schema and offsets
// integers, buckets one span from the offset.
#include <climits>
#include <cmath>
#include <map>
#include <set>

#include "nsmon/engine/notation.hpp"
#include "nsmon/text/ascii.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::engine {

namespace {

using text::is_alpha;
using text::is_digit;
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

class HistogramParser {
public:
  HistogramParser(std::string_view in, std::size_t pos) : in_(in), pos_(pos) {}

  HistogramNotation parse() {
    HistogramNotation r;
    pos_ += 2; // "{{"
    bool need_space = false;
    for (;;) {
      if (at_end()) return fail(r, pos_, "unexpected end of input inside histogram description");
      if (in_.compare(pos_, 2, "}}") == 0) break;
      if (in_[pos_] == ' ' || in_[pos_] == '\t') {
        while (!at_end() && (in_[pos_] == ' ' || in_[pos_] == '\t')) ++pos_;
        need_space = false;
        continue;
      }
      if (need_space)
        return fail(r, pos_, "unexpected character in histogram description: " + text::go::quote(in_.substr(pos_, 1)));
      if (!item(r)) return r;
      need_space = true;
    }
    pos_ += 2;
    r.end = pos_;
    if (!build(r)) return r;
    return r;
  }

private:
  bool at_end() const { return pos_ >= in_.size(); }
  HistogramNotation& fail(HistogramNotation& r, std::size_t pos, std::string message) {
    r.error = NotationError{pos, std::move(message)};
    return r;
  }

  // A number: an optional sign, then digits (decimal, `.`, exponent, `_`) or Inf/NaN.
  std::optional<double> number(HistogramNotation& r, bool allow_sign) {
    std::size_t start = pos_;
    if (allow_sign && !at_end() && (in_[pos_] == '-' || in_[pos_] == '+')) ++pos_;
    std::size_t body = pos_;
    if (!at_end() && is_alpha(in_[pos_])) {
      while (!at_end() && is_alpha(in_[pos_])) ++pos_;
    } else {
      while (!at_end()) {
        char c = in_[pos_];
        bool sign_after_e = (c == '+' || c == '-') && pos_ > body && (in_[pos_ - 1] == 'e' || in_[pos_ - 1] == 'E');
        if (!is_digit(c) && c != '.' && c != 'e' && c != 'E' && c != '_' && !sign_after_e) break;
        ++pos_;
      }
    }
    std::string_view text = in_.substr(start, pos_ - start);
    if (pos_ == body) {
      fail(r, start, "unexpected " + describe(start) + " in histogram description, expected number");
      return std::nullopt;
    }
    std::string why;
    std::string_view unsigned_text = text;
    if (unsigned_text.front() == '+' || unsigned_text.front() == '-') unsigned_text.remove_prefix(1);
    std::string word;
    for (char c : unsigned_text) word += lower(c);
    std::optional<double> v;
    if (word == "inf") v = HUGE_VAL;
    else if (word == "nan") v = std::nan("");
    else if (!is_alpha(unsigned_text.front())) v = text::go::parse_number(unsigned_text, why);
    if (!v) {
      fail(r, start, "bad number in histogram description: " + text::go::quote(text));
      return std::nullopt;
    }
    return text.front() == '-' ? -*v : *v;
  }

  std::optional<std::int32_t> integer(HistogramNotation& r) {
    std::size_t start = pos_;
    bool negative = !at_end() && in_[pos_] == '-';
    if (negative) ++pos_;
    std::int64_t n = 0;
    std::size_t digits = pos_;
    while (!at_end() && is_digit(in_[pos_])) {
      n = n * 10 + (in_[pos_++] - '0');
      if (n > INT32_MAX) {
        fail(r, start, "integer out of range in histogram description");
        return std::nullopt;
      }
    }
    if (pos_ == digits || (!at_end() && (is_alpha(in_[pos_]) || in_[pos_] == '.'))) {
      fail(r, start, "unexpected " + describe(start) + " in histogram description, expected integer");
      return std::nullopt;
    }
    return static_cast<std::int32_t>(negative ? -n : n);
  }

  std::optional<std::vector<double>> bucket_list(HistogramNotation& r) {
    if (at_end() || in_[pos_] != '[') {
      fail(r, pos_, "unexpected " + describe(pos_) + " in histogram description, expected \"[\"");
      return std::nullopt;
    }
    ++pos_;
    std::vector<double> out;
    for (;;) {
      while (!at_end() && (in_[pos_] == ' ' || in_[pos_] == '\t')) ++pos_;
      if (at_end()) {
        fail(r, pos_, "unexpected end of input in buckets description");
        return std::nullopt;
      }
      if (in_[pos_] == ']') {
        if (out.empty()) {
          fail(r, pos_, "unexpected \"]\" in buckets description, expected number");
          return std::nullopt;
        }
        ++pos_;
        return out;
      }
      auto v = number(r, true);
      if (!v) return std::nullopt;
      out.push_back(*v);
      if (!at_end() && in_[pos_] != ' ' && in_[pos_] != '\t' && in_[pos_] != ']') {
        fail(r, pos_, "invalid character in buckets description: " + text::go::quote(in_.substr(pos_, 1)));
        return std::nullopt;
      }
    }
  }

  std::string describe(std::size_t pos) const {
    if (pos >= in_.size()) return "end of input";
    return text::go::quote(in_.substr(pos, 1));
  }

  bool item(HistogramNotation& r) {
    std::size_t start = pos_;
    while (!at_end() && is_alpha(in_[pos_])) ++pos_;
    std::string key;
    for (char c : in_.substr(start, pos_ - start)) key += lower(c);
    static const std::set<std::string, std::less<>> keys = {
        "sum",       "count",    "schema",     "offset",        "n_offset",          "buckets",
        "n_buckets", "z_bucket", "z_bucket_w", "custom_values", "counter_reset_hint"};
    if (pos_ == start)
      return fail(r, start, "histogram description incomplete unexpected: " + text::go::quote(in_.substr(start, 1))),
             false;
    if (!keys.count(key)) return fail(r, start, "bad histogram descriptor found: " + text::go::quote(key)), false;
    if (at_end() || in_[pos_] != ':') return fail(r, pos_, "missing `:` for histogram descriptor"), false;
    ++pos_;
    if (key == "schema" || key == "offset" || key == "n_offset") {
      auto v = integer(r);
      if (!v) return false;
      ints_[key] = *v;
    } else if (key == "buckets" || key == "n_buckets" || key == "custom_values") {
      auto v = bucket_list(r);
      if (!v) return false;
      lists_[key] = std::move(*v);
    } else if (key == "counter_reset_hint") {
      std::size_t w = pos_;
      while (!at_end() && is_alpha(in_[pos_])) ++pos_;
      std::string word;
      for (char c : in_.substr(w, pos_ - w)) word += lower(c);
      static const std::map<std::string, ResetHint, std::less<>> hints = {{"unknown", ResetHint::unknown},
                                                                          {"reset", ResetHint::reset},
                                                                          {"not_reset", ResetHint::not_reset},
                                                                          {"gauge", ResetHint::gauge}};
      auto it = hints.find(word);
      if (it == hints.end())
        return fail(r, w, "unexpected " + describe(w) + " in histogram description, expected counter reset hint"),
               false;
      hint_ = it->second;
    } else {
      auto v = number(r, key != "z_bucket_w");
      if (!v) return false;
      floats_[key] = *v;
    }
    return true;
  }

  bool build(HistogramNotation& r) {
    Histogram h;
    auto f = [&](const char* k) { return floats_.count(k) ? floats_[k] : 0.0; };
    h.schema = ints_.count("schema") ? ints_["schema"] : 0;
    if (h.schema != kCustomBucketsSchema && (h.schema < -4 || h.schema > 8))
      return fail(r, r.end, "invalid histogram schema " + std::to_string(h.schema) + " (valid: -4 to 8, -53)"), false;
    h.sum = f("sum");
    h.count = f("count");
    h.zero_count = f("z_bucket");
    h.zero_threshold = f("z_bucket_w");
    if (hint_) h.hint = *hint_;
    r.hint_set = hint_.has_value();
    if (lists_.count("custom_values")) h.custom_values = lists_["custom_values"];
    auto spread = [&](const char* key, const char* offset_key, std::vector<Bucket>& out) {
      std::int64_t index = ints_.count(offset_key) ? ints_[offset_key] : 0;
      for (double c : lists_[key]) {
        if (index > INT32_MAX) return false;
        out.push_back({static_cast<std::int32_t>(index++), c});
      }
      return true;
    };
    if (!spread("buckets", "offset", h.positive) || !spread("n_buckets", "n_offset", h.negative))
      return fail(r, r.end, "bucket index out of range in histogram description"), false;
    r.h = std::make_shared<const Histogram>(std::move(h));
    return true;
  }

  std::string_view in_;
  std::size_t pos_;
  std::map<std::string, double, std::less<>> floats_;
  std::map<std::string, std::int32_t, std::less<>> ints_;
  std::map<std::string, std::vector<double>, std::less<>> lists_;
  std::optional<ResetHint> hint_;
};

} // namespace

HistogramNotation parse_histogram(std::string_view text, std::size_t pos) { return HistogramParser(text, pos).parse(); }

} // namespace nsmon::engine
