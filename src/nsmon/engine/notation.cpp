#include "nsmon/engine/notation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "nsmon/promql/lexer.hpp"
#include "nsmon/text/ascii.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::engine {

namespace {

bool is_space(char32_t r) { return r == ' ' || r == '\t' || r == '\n' || r == '\r'; }
using text::is_alnum;
using text::is_alpha;
using text::is_digit;

// The tokens of a value sequence (Prometheus's lexValueSequence): `other` is a token that only
// appears as the thing an error complains about (a `{` after a word).
enum class Kind { space, number, word, blank, times, add, sub, open_hist, other, eof, error };

struct Tok {
  Kind kind = Kind::eof;
  std::size_t pos = 0;
  std::size_t len = 0;
  std::string message; // Kind::error
};

class ValueLexer {
public:
  ValueLexer(std::string_view in, std::size_t pos) : in_(in), pos_(pos) {}

  Tok next() {
    Tok t;
    t.pos = pos_;
    if (pos_ >= in_.size()) return t;
    char c = in_[pos_];
    // A word followed by `{` sends Prometheus's lexer back to its statement state: the brace is
    // a token of its own, which the parser then rejects.
    if (c == '{' && after_word_) return take(t, Kind::other, 1);
    after_word_ = false;
    if (c == '{' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '{') return take(t, Kind::open_hist, 2);
    text::go::Rune r = text::go::decode_rune(in_.substr(pos_));
    if (is_space(r.value)) {
      std::size_t end = pos_ + 1;
      while (end < in_.size() && is_space(static_cast<unsigned char>(in_[end]))) ++end;
      return take(t, Kind::space, end - pos_);
    }
    if (c == '+') return take(t, Kind::add, 1);
    if (c == '-') return take(t, Kind::sub, 1);
    if (c == 'x') return take(t, Kind::times, 1);
    if (c == '_') return take(t, Kind::blank, 1);
    if (is_digit(c) || (c == '.' && pos_ + 1 < in_.size() && is_digit(in_[pos_ + 1]))) return number(t);
    if (is_alpha(c)) {
      std::size_t end = pos_;
      while (end < in_.size() && (is_alnum(in_[end]) || in_[end] == ':')) ++end;
      after_word_ = true;
      return take(t, Kind::word, end - pos_);
    }
    t.kind = Kind::error;
    t.message = "unexpected character in series sequence: " + text::go::quote_rune(r.value);
    pos_ = in_.size();
    return t;
  }

  /// Continues at `pos` (after a histogram, which the lexer does not read).
  void seek(std::size_t pos) {
    pos_ = pos;
    after_word_ = false;
  }

private:
  Tok take(Tok& t, Kind k, std::size_t len) {
    t.kind = k;
    t.len = len;
    pos_ += len;
    return t;
  }
  bool at(std::string_view set) const { return pos_ < in_.size() && set.find(in_[pos_]) != std::string_view::npos; }
  bool accept(std::string_view set) {
    if (!at(set)) return false;
    ++pos_;
    return true;
  }
  bool at_end() const { return pos_ >= in_.size(); }

  // Prometheus's scanNumber in a series description: decimal only (no hex: `0x3` is `0`, `x`,
  // `3`), `.`/`e`/`_` where a number allows them, and nothing alphanumeric after it but `x`.
  bool scan_number() {
    constexpr std::string_view digits = "0123456789";
    std::size_t start = pos_;
    accept(".");
    accept(digits);
    bool dot = false;
    bool exponent = false;
    while (at("0123456789._eE")) {
      if (at(".") && dot) return accept("."), false;
      if (at("eE") && exponent) return accept("eE"), false;
      if (accept(".")) {
        dot = true;
        if (accept("_.")) return false;
        continue;
      }
      if (accept("eE")) {
        exponent = true;
        accept("+-");
        if (accept("._eE") || at_end()) return false;
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || at_end()) return false;
        continue;
      }
      while (accept(digits)) {
      }
    }
    if (pos_ == start) return false;
    return at_end() || in_[pos_] == 'x' || !is_alnum(in_[pos_]);
  }

  Tok number(Tok& t) {
    if (scan_number()) {
      t.kind = Kind::number;
      t.len = pos_ - t.pos;
      return t;
    }
    t.kind = Kind::error;
    t.message = "bad number syntax: " + text::go::quote(in_.substr(t.pos, pos_ - t.pos));
    pos_ = in_.size();
    return t;
  }

  std::string_view in_;
  std::size_t pos_;
  bool after_word_ = false;
};

// Prometheus's Item.desc() for the tokens of a value sequence.
std::string describe(const Tok& t, std::string_view in) {
  std::string_view text = in.substr(t.pos, t.len);
  switch (t.kind) {
  case Kind::eof: return "end of input";
  case Kind::number: return "number " + text::go::quote(text);
  case Kind::word: {
    // Words are keywords, identifiers or numbers (Inf, NaN) as PromQL's lexer reads them.
    promql::Lexer lx(text);
    promql::Token tok = lx.next();
    tok.len = text.size();
    return promql::describe(tok, text);
  }
  case Kind::add: return "<op:+>";
  case Kind::sub: return "<op:->";
  default: return text::go::quote(text);
  }
}

class ValuesParser {
public:
  ValuesParser(std::string_view in, std::size_t pos, std::size_t max_values, std::size_t keep = SIZE_MAX)
      : in_(in), lex_(in, pos), max_(max_values), keep_(keep) {}

  // series_values: (SPACE series_item?)*, the first SPACE right after the description.
  bool parse(bool implicit_space) {
    bool first = !implicit_space;
    bool item_start = implicit_space;
    for (;;) {
      Tok t = next();
      if (t.kind == Kind::eof) return true;
      if (t.kind == Kind::error) return fail(t.pos, t.message);
      if (t.kind == Kind::space) {
        first = false;
        item_start = true;
        continue;
      }
      // A token that can follow nothing here: right after the description the parser is still
      // in its series values ("in series values"); after an item it has already reduced the
      // whole description and only its outermost rule complains.
      if (first) return unexpected(t, "in series values");
      if (!item_start) return unexpected(t, "");
      item_start = false;
      if (!item(t)) return false;
    }
  }

  std::vector<std::optional<double>> values;
  std::vector<HistogramValue> histograms;
  std::optional<NotationError> error;

private:
  Tok next() {
    if (pushed_) {
      pushed_ = false;
      return std::move(back_);
    }
    return lex_.next();
  }
  void push(Tok t) {
    back_ = std::move(t);
    pushed_ = true;
  }
  bool fail(std::size_t pos, std::string message) {
    error = NotationError{pos, std::move(message)};
    return false;
  }
  bool unexpected(const Tok& t, std::string_view context, std::string_view expected = "") {
    if (t.kind == Kind::error) return fail(t.pos, t.message);
    std::string msg = "unexpected " + describe(t, in_);
    if (!context.empty()) msg += " " + std::string(context);
    if (!expected.empty()) msg += ", expected " + std::string(expected);
    return fail(t.pos, std::move(msg));
  }
  bool room(std::uint64_t count, std::size_t pos) {
    if (count <= max_ - std::min(max_, values.size())) return true;
    return fail(pos, "too many values in series description (more than " + std::to_string(max_) + ")");
  }
  // Values past keep_ are read (the syntax checked) but not stored: no loop, no memory.
  std::uint64_t kept(std::uint64_t count) const {
    return std::min<std::uint64_t>(count, keep_ - std::min(keep_, values.size()));
  }
  bool add(std::optional<double> v, std::uint64_t count, std::size_t pos) {
    count = kept(count);
    if (!room(count, pos)) return false;
    values.insert(values.end(), count, v);
    if (!histograms.empty()) histograms.resize(values.size());
    return true;
  }
  void add_histogram(HistogramValue h) {
    histograms.resize(values.size());
    values.emplace_back(0.0);
    histograms.push_back(std::move(h));
  }

  // `{{...}}`, `{{...}}xn` (n+1 copies), `{{a}}+{{b}}xn` / `{{a}}-{{b}}xn` (a, then b added or
  // subtracted n times, as Prometheus's histogramsIncreaseSeries).
  bool histogram_item(const Tok& t) {
    auto a = parse_histogram(in_, t.pos);
    if (a.error) return fail(a.error->offset, a.error->message);
    std::size_t end = a.end;
    const char next = end < in_.size() ? in_[end] : '\0';
    if (next != 'x' && next != '+' && next != '-') {
      lex_.seek(end);
      if (!room(kept(1), t.pos)) return false;
      if (kept(1)) add_histogram({a.h, a.hint_set});
      return true;
    }
    HistogramNotation b;
    if (next != 'x') {
      if (in_.compare(end + 1, 2, "{{") != 0)
        return fail(end + 1, "unexpected " + describe_at(end + 1) + " in series values, expected \"{{\"");
      b = parse_histogram(in_, end + 1);
      if (b.error) return fail(b.error->offset, b.error->message);
      end = b.end;
      if (end >= in_.size() || in_[end] != 'x')
        return fail(end, "unexpected " + describe_at(end) + " in series values, expected \"x\"");
    }
    lex_.seek(end + 1);
    auto count = repetitions();
    if (!count) return false;
    std::uint64_t total = kept(*count == UINT64_MAX ? UINT64_MAX : *count + 1);
    if (!room(total, t.pos)) return false;
    if (!b.h) {
      for (std::uint64_t i = 0; i < total; ++i) add_histogram({a.h, a.hint_set});
      return true;
    }
    if (*count > 0 && a.h->schema > b.h->schema)
      return fail(t.pos, "error combining histograms: cannot merge from schema " + std::to_string(b.h->schema) +
                             " to " + std::to_string(a.h->schema));
    if (*count > 0 && a.h->custom() != b.h->custom())
      return fail(t.pos, "cannot apply this operation on histograms with a mix of exponential and custom bucket "
                         "schemas");
    // Each step is a histogram of its own: bound the buckets stored, as the values are.
    std::uint64_t width = 1 + a.h->positive.size() + a.h->negative.size() + b.h->positive.size() + b.h->negative.size();
    if (total > max_ / width) return fail(t.pos, "too many histogram buckets in series description");
    HistogramPtr cur = a.h;
    for (std::uint64_t i = 0; i < total; ++i) {
      if (i > 0) {
        auto next_h = std::make_shared<Histogram>(*cur);
        engine::add(*next_h, *b.h, in_[a.end] == '-');
        cur = std::move(next_h);
      }
      add_histogram({cur, b.hint_set});
    }
    return true;
  }
  std::string describe_at(std::size_t pos) const {
    return pos < in_.size() ? text::go::quote(in_.substr(pos, 1)) : "end of input";
  }

  // uint: the repetition count after `x`.
  std::optional<std::uint64_t> repetitions() {
    Tok t = next();
    const bool inf_nan = t.kind == Kind::word && word_kind(t) == promql::TokenKind::number;
    if (t.kind != Kind::number && !inf_nan) {
      unexpected(t, "in series values");
      return std::nullopt;
    }
    std::string_view text = in_.substr(t.pos, t.len);
    std::uint64_t n = 0;
    const char* why = text.empty() ? "invalid syntax" : nullptr;
    for (char c : text) {
      if (!is_digit(c)) {
        why = "invalid syntax";
        break;
      }
      auto d = static_cast<std::uint64_t>(c - '0');
      if (n > (UINT64_MAX - d) / 10) why = why ? why : "value out of range";
      n = n * 10 + d;
    }
    if (why) {
      fail(t.pos,
           "invalid repetition in series values: strconv.ParseUint: parsing " + text::go::quote(text) + ": " + why);
      return std::nullopt;
    }
    return n;
  }

  // What PromQL's lexer makes of a word: an identifier, a keyword, or a number (Inf, NaN).
  promql::TokenKind word_kind(const Tok& t) const {
    promql::Lexer lx(in_.substr(t.pos, t.len));
    return lx.next().kind;
  }

  // number: a NUMBER token (including Inf and NaN, which PromQL's lexer reads as numbers).
  std::optional<double> number(const Tok& t) {
    std::string_view text = in_.substr(t.pos, t.len);
    if (t.kind == Kind::word) {
      if (word_kind(t) != promql::TokenKind::number) return std::nullopt;
    } else if (t.kind != Kind::number) {
      return std::nullopt;
    }
    std::string why;
    auto v = text::go::parse_number(text, why);
    if (!v) fail(t.pos, "error parsing number: " + why);
    return v;
  }

  // signed_number: ADD number | SUB number.
  std::optional<double> signed_number(const Tok& sign) {
    Tok t = next();
    auto v = number(t);
    if (!v) {
      if (!error) unexpected(t, "in series values");
      return std::nullopt;
    }
    return sign.kind == Kind::sub ? -*v : *v;
  }

  bool item(const Tok& t) {
    if (t.kind == Kind::blank) {
      Tok n = next();
      if (n.kind != Kind::times) {
        push(std::move(n));
        return add(std::nullopt, 1, t.pos);
      }
      auto count = repetitions(); // `_xn` is n blanks
      return count && add(std::nullopt, *count, n.pos);
    }
    if (t.kind == Kind::open_hist) return histogram_item(t);
    // series_value: a number, a signed number, or the identifier `stale`.
    std::optional<double> value;
    if (t.kind == Kind::add || t.kind == Kind::sub) {
      value = signed_number(t);
    } else if (t.kind == Kind::number) {
      value = number(t);
    } else if (t.kind == Kind::word && word_kind(t) == promql::TokenKind::number) {
      value = number(t); // Inf, NaN
    } else if (t.kind == Kind::word && word_kind(t) == promql::TokenKind::identifier) {
      if (in_.substr(t.pos, t.len) != "stale") return unexpected(t, "in series values", "number or \"stale\"");
      value = stale_nan();
    } else {
      return unexpected(t, "");
    }
    if (!value) return false;
    Tok n = next();
    if (n.kind != Kind::times && n.kind != Kind::add && n.kind != Kind::sub) {
      push(std::move(n));
      return add(value, 1, t.pos);
    }
    // `axn` and `a+bxn`: n+1 values, the increment added n times.
    std::optional<double> delta = 0.0;
    Tok times = std::move(n);
    const bool plain = times.kind == Kind::times;
    if (!plain) {
      delta = signed_number(times);
      if (!delta) return false;
      times = next();
      if (times.kind != Kind::times) return unexpected(times, "in series values");
    }
    auto count = repetitions();
    if (!count) return false;
    std::uint64_t total = *count == UINT64_MAX ? UINT64_MAX : *count + 1;
    if (plain) return add(value, total, times.pos); // keeps a stale marker's bits
    total = kept(total);
    if (!room(total, times.pos)) return false;
    double v = *value;
    for (std::uint64_t i = 0; i < total; ++i) {
      values.emplace_back(v);
      v += *delta;
    }
    // One histogram entry per value once there are histograms, as add() keeps them.
    if (!histograms.empty()) histograms.resize(values.size());
    return true;
  }

  std::string_view in_;
  ValueLexer lex_;
  std::size_t max_;
  std::size_t keep_;
  Tok back_;
  bool pushed_ = false;
};

bool is_metric_identifier(promql::TokenKind k) {
  using K = promql::TokenKind;
  switch (k) {
  case K::identifier:
  case K::metric_identifier:
  case K::land:
  case K::lor:
  case K::lunless:
  case K::offset:
  case K::by:
  case K::without:
  case K::fill:
  case K::fill_left:
  case K::fill_right:
  case K::anchored:
  case K::smoothed:
  case K::start:
  case K::end:
  case K::step:
  case K::range:
  case K::max_of:
  case K::min_of: return true;
  default: return promql::is_aggregator(k);
  }
}

// The description part: `name`, `name{...}` or `{...}`. Returns the offset where the values
// begin (right after the name or the closing brace).
class MetricParser {
public:
  explicit MetricParser(std::string_view in) : in_(in), lex_(in) {}

  std::optional<std::size_t> parse() {
    using K = promql::TokenKind;
    promql::Token t = next();
    if (t.kind == K::eof) return t.pos;
    if (t.kind == K::error) return fail(t.pos, lex_.error_message());
    std::optional<std::string> name;
    std::size_t end = t.pos + t.len;
    if (t.kind != K::left_brace) {
      if (!is_metric_identifier(t.kind)) return unexpected(t, "in series values");
      name = std::string(t.text(in_));
      if (end >= in_.size() || in_[end] != '{') return finish(name, end);
      t = next();
    }
    auto close = label_set();
    if (!close) return std::nullopt;
    return finish(name, *close);
  }

  Labels labels;
  std::optional<NotationError> error;

private:
  promql::Token next() {
    promql::Token t;
    do t = lex_.next();
    while (t.kind == promql::TokenKind::comment);
    return t;
  }
  std::nullopt_t fail(std::size_t pos, std::string message) {
    error = NotationError{pos, std::move(message)};
    return std::nullopt;
  }
  std::nullopt_t unexpected(const promql::Token& t, std::string_view context, std::string_view expected = "") {
    if (t.kind == promql::TokenKind::error) return fail(t.pos, lex_.error_message());
    std::string msg = "unexpected " + promql::describe(t, in_) + " " + std::string(context);
    if (!expected.empty()) msg += ", expected " + std::string(expected);
    return fail(t.pos, std::move(msg));
  }
  std::optional<std::string> unquote(const promql::Token& t) {
    auto s = text::go::unquote(t.text(in_));
    if (!s) fail(t.pos, "error unquoting string " + text::go::quote(t.text(in_)) + ": invalid syntax");
    return s;
  }
  bool set(std::string name, std::string value, std::size_t pos) {
    for (const auto& [n, v] : labels)
      if (n == name) return fail(pos, "duplicate label name " + text::go::quote(name)), false;
    labels.emplace_back(std::move(name), std::move(value));
    return true;
  }

  // label_set after `{`: items `name="v"`, `"name"="v"` or `"name"` (the metric name), separated
  // by commas, a trailing comma allowed. Returns the offset after `}`.
  std::optional<std::size_t> label_set() {
    using K = promql::TokenKind;
    for (;;) {
      promql::Token t = next();
      if (t.kind == K::right_brace) return t.pos + t.len;
      if (t.kind != K::identifier && t.kind != K::string) return unexpected(t, "in label set", "identifier or \"}\"");
      promql::Token op = next();
      if (t.kind == K::string && (op.kind == K::comma || op.kind == K::right_brace)) {
        auto metric = unquote(t);
        if (!metric || !set("__name__", *metric, t.pos)) return std::nullopt;
        if (op.kind == K::right_brace) return op.pos + op.len;
        continue;
      }
      if (op.kind != K::eql) {
        if (t.kind == K::identifier) return unexpected(op, "in label set", "\"=\"");
        return unexpected(op, "in label set", "\",\" or \"}\"");
      }
      promql::Token value = next();
      if (value.kind != K::string) return unexpected(value, "in label set", "string");
      auto name = t.kind == K::string ? unquote(t) : std::optional<std::string>(std::string(t.text(in_)));
      auto v = name ? unquote(value) : std::nullopt;
      if (!v || !set(*name, *v, t.pos)) return std::nullopt;
      promql::Token sep = next();
      if (sep.kind == K::right_brace) return sep.pos + sep.len;
      if (sep.kind != K::comma) return unexpected(sep, "in label set", "\",\" or \"}\"");
    }
  }

  // The written metric name wins over a `__name__` in the braces; empty values mean no label.
  std::size_t finish(const std::optional<std::string>& name, std::size_t end) {
    if (name) {
      std::erase_if(labels, [](const auto& l) { return l.first == "__name__"; });
      labels.emplace_back("__name__", *name);
    }
    std::erase_if(labels, [](const auto& l) { return l.second.empty(); });
    std::sort(labels.begin(), labels.end());
    return end;
  }

  std::string_view in_;
  promql::Lexer lex_;
};

} // namespace

ValuesResult parse_values(std::string_view text, std::size_t max_values, std::size_t keep) {
  ValuesParser p(text, 0, max_values, keep);
  p.parse(true);
  ValuesResult r;
  r.error = std::move(p.error);
  if (!r.error) {
    r.values = std::move(p.values);
    r.histograms = std::move(p.histograms);
  }
  return r;
}

SeriesResult parse_series(std::string_view text) {
  MetricParser m(text);
  auto end = m.parse();
  SeriesResult r;
  if (!end) {
    r.error = std::move(m.error);
    return r;
  }
  std::size_t i = *end;
  while (i < text.size() && is_space(static_cast<unsigned char>(text[i]))) ++i;
  if (i < text.size()) {
    r.error = NotationError{i, "unexpected " + text::go::quote(text.substr(i, 1)) + " after the series description"};
    return r;
  }
  r.labels = std::move(m.labels);
  return r;
}

SeriesDescResult parse_series_desc(std::string_view line, std::size_t max_values) {
  SeriesDescResult r;
  MetricParser m(line);
  auto end = m.parse();
  if (!end) {
    r.error = std::move(m.error);
    return r;
  }
  ValuesParser p(line, *end, max_values);
  if (!p.parse(false)) {
    r.error = std::move(p.error);
    return r;
  }
  r.labels = std::move(m.labels);
  r.values = std::move(p.values);
  r.histograms = std::move(p.histograms);
  return r;
}

std::string format_series(const Labels& labels) {
  std::string out = get(labels, "__name__");
  out += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (k == "__name__") continue;
    out += (first ? "" : ",") + k + "=\"";
    first = false;
    for (char c : v) {
      if (c == '\\' || c == '"') out += {'\\', c};
      else if (c == '\n') out += "\\n";
      else out += c;
    }
    out += '"';
  }
  return out + '}';
}

std::string format_values(const std::vector<std::optional<double>>& vs) {
  auto word = [](double v) { return is_stale_nan(v) ? std::string("stale") : format_value(v); };
  std::string out;
  for (std::size_t i = 0; i < vs.size();) {
    if (!out.empty()) out += ' ';
    std::size_t j = i + 1;
    if (!vs[i]) {
      while (j < vs.size() && !vs[j]) ++j;
      out += j - i >= 3 ? "_x" + std::to_string(j - i) : std::string(j - i == 2 ? "_ _" : "_");
      i = j;
      continue;
    }
    // A run `a+bxN`: the reader adds b N times, so a value joins the run only when that
    // accumulation gives it exactly (counters with fractional steps stay as they are).
    const double a = *vs[i];
    double b = 0, acc = a;
    if (std::isfinite(a) && j < vs.size() && vs[j] && std::isfinite(*vs[j])) b = *vs[j] - a;
    while (std::isfinite(a) && std::isfinite(b) && j < vs.size() && vs[j] && *vs[j] == acc + b &&
           !is_stale_nan(*vs[j])) {
      acc += b;
      ++j;
    }
    const std::size_t n = j - i;
    if (n >= 3) {
      out += word(a) + (b < 0 ? "-" : "+") + format_value(std::fabs(b)) + "x" + std::to_string(n - 1);
      i = j;
    } else {
      out += word(a);
      ++i;
    }
  }
  return out;
}

} // namespace nsmon::engine
