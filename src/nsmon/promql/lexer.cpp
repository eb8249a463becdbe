#include "nsmon/promql/lexer.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <utility>

#include "nsmon/text/ascii.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::promql {

namespace {

constexpr long kEof = text::go::kEof;

bool is_space(long r) { return r == ' ' || r == '\t' || r == '\n' || r == '\r'; }
using text::is_alnum;
using text::is_alpha;
using text::is_digit;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

struct Keyword {
  std::string_view word;
  TokenKind kind;
};

// Keywords are matched case-insensitively; "inf" and "nan" are numbers.
constexpr Keyword kKeywords[] = {
    {"and", TokenKind::land},
    {"or", TokenKind::lor},
    {"unless", TokenKind::lunless},
    {"atan2", TokenKind::atan2},
    {"sum", TokenKind::sum},
    {"avg", TokenKind::avg},
    {"count", TokenKind::count},
    {"min", TokenKind::min},
    {"max", TokenKind::max},
    {"group", TokenKind::group},
    {"stddev", TokenKind::stddev},
    {"stdvar", TokenKind::stdvar},
    {"topk", TokenKind::topk},
    {"bottomk", TokenKind::bottomk},
    {"count_values", TokenKind::count_values},
    {"quantile", TokenKind::quantile},
    {"limitk", TokenKind::limitk},
    {"limit_ratio", TokenKind::limit_ratio},
    {"offset", TokenKind::offset},
    {"smoothed", TokenKind::smoothed},
    {"anchored", TokenKind::anchored},
    {"by", TokenKind::by},
    {"without", TokenKind::without},
    {"on", TokenKind::on},
    {"ignoring", TokenKind::ignoring},
    {"group_left", TokenKind::group_left},
    {"group_right", TokenKind::group_right},
    {"fill", TokenKind::fill},
    {"fill_left", TokenKind::fill_left},
    {"fill_right", TokenKind::fill_right},
    {"bool", TokenKind::bool_},
    {"start", TokenKind::start},
    {"end", TokenKind::end},
    {"step", TokenKind::step},
    {"range", TokenKind::range},
    {"max_of", TokenKind::max_of},
    {"min_of", TokenKind::min_of},
    {"inf", TokenKind::number},
    {"nan", TokenKind::number},
};

// Words that may follow '[' or an operator inside a duration expression.
constexpr std::array<Keyword, 4> kDurationKeywords = {{
    {"step", TokenKind::step},
    {"range", TokenKind::range},
    {"max_of", TokenKind::max_of},
    {"min_of", TokenKind::min_of},
}};

constexpr std::size_t kLongestKeyword = [] {
  std::size_t n = 0;
  for (const auto& kw : kKeywords) n = std::max(n, kw.word.size());
  return n;
}();

// The keywords by length: those of n letters are kByLength[kLengthStart[n] .. kLengthStart[n + 1]).
constexpr auto kByLength = [] {
  std::array<Keyword, std::size(kKeywords)> out{};
  std::copy(std::begin(kKeywords), std::end(kKeywords), out.begin());
  std::sort(out.begin(), out.end(), [](const Keyword& a, const Keyword& b) { return a.word.size() < b.word.size(); });
  return out;
}();
constexpr auto kLengthStart = [] {
  std::array<std::size_t, kLongestKeyword + 2> out{};
  for (std::size_t n = 0; n < out.size(); ++n)
    out[n] = static_cast<std::size_t>(
        std::find_if(kByLength.begin(), kByLength.end(), [&](const Keyword& k) { return k.word.size() >= n; }) -
        kByLength.begin());
  return out;
}();

// The keywords as long as `word` (none for a longer word than any).
std::span<const Keyword> keywords_of_length(std::size_t n) {
  if (n > kLongestKeyword) return {};
  return std::span(kByLength).subspan(kLengthStart[n], kLengthStart[n + 1] - kLengthStart[n]);
}

bool keyword_equal(std::string_view word, std::string_view kw) {
  if (word.size() != kw.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (lower(word[i]) != kw[i]) return false;
  return true;
}

// The operators of one character, lexed alike in statements and in duration expressions.
std::optional<TokenKind> one_char_operator(long r) {
  switch (r) {
  case ',': return TokenKind::comma;
  case '*': return TokenKind::mul;
  case '/': return TokenKind::div;
  case '%': return TokenKind::mod;
  case '+': return TokenKind::add;
  case '-': return TokenKind::sub;
  case '^': return TokenKind::pow;
  default: return std::nullopt;
  }
}

bool duration_keyword_start(long r) {
  if (r >= 'A' && r <= 'Z') r += 'a' - 'A';
  return r == 's' || r == 'r' || r == 'm';
}

} // namespace

long Lexer::next_rune() {
  if (pos_ >= in_.size()) {
    width_ = 0;
    return kEof;
  }
  auto c = static_cast<unsigned char>(in_[pos_]);
  if (c < 0x80) {
    width_ = 1;
    ++pos_;
    return c;
  }
  text::go::Rune r = text::go::decode_rune(in_.substr(pos_));
  width_ = static_cast<std::size_t>(r.width);
  pos_ += width_;
  return static_cast<long>(r.value);
}

long Lexer::peek_rune() {
  long r = next_rune();
  backup();
  return r;
}

bool Lexer::accept(std::string_view valid) {
  long r = next_rune();
  if (r >= 0 && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) return true;
  backup();
  return false;
}

bool Lexer::is(std::string_view valid) {
  long r = peek_rune();
  return r >= 0 && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos;
}

void Lexer::accept_run(std::string_view valid) {
  while (accept(valid)) {
  }
}

void Lexer::skip_spaces() {
  while (is_space(peek_rune())) next_rune();
  start_ = pos_;
}

Token Lexer::emit(TokenKind k) {
  Token t{k, start_, pos_ - start_};
  start_ = pos_;
  return t;
}

Token Lexer::fail(std::string message) {
  error_ = std::move(message);
  state_ = State::done;
  return Token{TokenKind::error, start_, pos_ > start_ ? pos_ - start_ : 0};
}

Token Lexer::next() {
  Token t;
  for (;;) {
    switch (state_) {
    case State::done: return Token{TokenKind::eof, in_.size(), 0};
    case State::statements:
      if (brace_open_) {
        state_ = State::inside_braces;
        continue;
      }
      if (lex_statements(t)) return t;
      break;
    case State::inside_braces:
      if (!brace_open_) {
        state_ = State::statements;
        continue;
      }
      if (lex_inside_braces(t)) return t;
      break;
    case State::duration_expr:
      if (lex_duration_expr(t)) return t;
      break;
    }
  }
}

bool Lexer::lex_statements(Token& out) {
  if (in_.substr(pos_).starts_with('#')) {
    out = lex_comment();
    return true;
  }
  long r = next_rune();
  if (auto k = one_char_operator(r)) {
    out = emit(*k);
    return true;
  }
  switch (r) {
  case kEof:
    if (paren_depth_ != 0) {
      out = fail("unclosed left parenthesis");
    } else if (bracket_open_) {
      out = fail("unclosed left bracket");
    } else {
      out = emit(TokenKind::eof);
      state_ = State::done;
    }
    return true;
  case '@': out = emit(TokenKind::at); return true;
  case '=': {
    long t = peek_rune();
    if (t == '=') {
      next_rune();
      out = emit(TokenKind::eqlc);
    } else if (t == '~') {
      out = fail("unexpected character after '=': " + text::go::quote_rune(t));
    } else {
      out = emit(TokenKind::eql);
    }
    return true;
  }
  case '!': {
    long t = next_rune();
    out = t == '=' ? emit(TokenKind::neq) : fail("unexpected character after '!': " + text::go::quote_rune(t));
    return true;
  }
  case '<':
  case '>': {
    bool less = r == '<';
    if (peek_rune() == '=') {
      next_rune();
      out = emit(less ? TokenKind::lte : TokenKind::gte);
    } else if (peek_rune() == '/') {
      next_rune();
      out = emit(less ? TokenKind::trim_upper : TokenKind::trim_lower);
    } else {
      out = emit(less ? TokenKind::lss : TokenKind::gtr);
    }
    return true;
  }
  case '"':
  case '\'': out = lex_string(static_cast<char>(r)); return true;
  case '`': out = lex_raw_string(); return true;
  case '(':
    out = emit(TokenKind::left_paren);
    ++paren_depth_;
    return true;
  case ')':
    out = emit(TokenKind::right_paren);
    if (--paren_depth_ < 0) out = fail("unexpected right parenthesis " + text::go::quote_rune(r));
    return true;
  case '{':
    out = emit(TokenKind::left_brace);
    brace_open_ = true;
    state_ = State::inside_braces;
    return true;
  case '[':
    if (bracket_open_) {
      out = fail("unexpected left bracket " + text::go::quote_rune(r));
      return true;
    }
    got_colon_ = false;
    out = emit(TokenKind::left_bracket);
    if (is_space(peek_rune())) skip_spaces();
    bracket_open_ = true;
    state_ = State::duration_expr;
    return true;
  case ']':
    if (!bracket_open_) {
      out = fail("unexpected right bracket " + text::go::quote_rune(r));
      return true;
    }
    out = emit(TokenKind::right_bracket);
    bracket_open_ = false;
    return true;
  default: break;
  }
  if (is_space(r)) {
    skip_spaces();
    return false;
  }
  if (is_digit(r) || (r == '.' && is_digit(peek_rune()))) {
    backup();
    out = lex_number_or_duration();
    return true;
  }
  if (is_alpha(r) || r == ':') {
    if (!bracket_open_) {
      backup();
      out = lex_keyword_or_identifier();
      return true;
    }
    if (r == ':') {
      if (got_colon_) {
        out = fail("unexpected colon " + text::go::quote_rune(r));
        return true;
      }
      out = emit(TokenKind::colon);
      got_colon_ = true;
      return true;
    }
    if (duration_keyword_start(r) && scan_duration_keyword(out)) return true;
    out = fail("unexpected character: " + text::go::quote_rune(r) + ", expected " + text::go::quote_rune(':'));
    return true;
  }
  out = fail("unexpected character: " + text::go::quote_rune(r));
  return true;
}

bool Lexer::lex_inside_braces(Token& out) {
  if (in_.substr(pos_).starts_with('#')) {
    out = lex_comment();
    return true;
  }
  long r = next_rune();
  if (r == kEof) {
    out = fail("unexpected end of input inside braces");
    return true;
  }
  if (is_space(r)) {
    skip_spaces();
    return false;
  }
  if (is_alpha(r)) {
    backup();
    out = lex_identifier();
    return true;
  }
  switch (r) {
  case ',': out = emit(TokenKind::comma); return true;
  case '"':
  case '\'': out = lex_string(static_cast<char>(r)); return true;
  case '`': out = lex_raw_string(); return true;
  case '=':
    if (next_rune() == '~') {
      out = emit(TokenKind::eql_regex);
    } else {
      backup();
      out = emit(TokenKind::eql);
    }
    return true;
  case '!': {
    long nr = next_rune();
    if (nr == '~') {
      out = emit(TokenKind::neq_regex);
    } else if (nr == '=') {
      out = emit(TokenKind::neq);
    } else {
      out = fail("unexpected character after '!' inside braces: " + text::go::quote_rune(nr));
    }
    return true;
  }
  case '{': out = fail("unexpected left brace " + text::go::quote_rune(r)); return true;
  case '}':
    out = emit(TokenKind::right_brace);
    brace_open_ = false;
    state_ = State::statements;
    return true;
  default: out = fail("unexpected character inside braces: " + text::go::quote_rune(r)); return true;
  }
}

bool Lexer::lex_duration_expr(Token& out) {
  long r = next_rune();
  if (auto k = one_char_operator(r)) {
    out = emit(*k);
    return true;
  }
  switch (r) {
  case kEof: out = fail("unexpected end of input in duration expression"); return true;
  case ']':
    out = emit(TokenKind::right_bracket);
    bracket_open_ = false;
    got_colon_ = false;
    state_ = State::statements;
    return true;
  case ':':
    out = emit(TokenKind::colon);
    if (!got_duration_) {
      out = fail("unexpected colon before duration in duration expression");
    } else if (got_colon_) {
      out = fail("unexpected repeated colon in duration expression");
    }
    got_colon_ = true;
    return true;
  case '(':
    out = emit(TokenKind::left_paren);
    ++paren_depth_;
    return true;
  case ')':
    out = emit(TokenKind::right_paren);
    if (--paren_depth_ < 0) out = fail("unexpected right parenthesis " + text::go::quote_rune(r));
    return true;
  default: break;
  }
  if (is_space(r)) {
    skip_spaces();
    return false;
  }
  if (duration_keyword_start(r)) {
    if (!scan_duration_keyword(out))
      out = fail("unexpected character in duration expression: " + text::go::quote_rune(r));
    return true;
  }
  if (is_digit(r) || (r == '.' && is_digit(peek_rune()))) {
    backup();
    got_duration_ = true;
    state_ = State::statements;
    out = lex_number_or_duration();
    return true;
  }
  out = fail("unexpected character in duration expression: " + text::go::quote_rune(r));
  return true;
}

bool Lexer::scan_duration_keyword(Token& out) {
  while (is_alpha(next_rune())) {
  }
  backup();
  std::string_view word = in_.substr(start_, pos_ - start_);
  for (const auto& kw : kDurationKeywords) {
    if (keyword_equal(word, kw.word)) {
      out = emit(kw.kind);
      return true;
    }
  }
  return false;
}

Token Lexer::lex_string(char quote) {
  for (;;) {
    long r = next_rune();
    if (r == '\\') {
      // An escape sequence: validate it as Go's scanner does.
      long ch = next_rune();
      int n = 0;
      unsigned long base = 0, max = 0;
      switch (ch) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\': continue;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': n = 3, base = 8, max = 255; break;
      case 'x': ch = next_rune(), n = 2, base = 16, max = 255; break;
      case 'u': ch = next_rune(), n = 4, base = 16, max = 0x10FFFF; break;
      case 'U': ch = next_rune(), n = 8, base = 16, max = 0x10FFFF; break;
      case kEof: return fail("escape sequence not terminated");
      default:
        if (ch == quote) continue;
        return fail("unknown escape sequence " + text::go::format_unicode(ch));
      }
      unsigned long x = 0;
      while (n > 0) {
        unsigned long d = 16;
        if (ch >= '0' && ch <= '9') d = static_cast<unsigned long>(ch - '0');
        else if (ch >= 'a' && ch <= 'f') d = static_cast<unsigned long>(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F') d = static_cast<unsigned long>(ch - 'A' + 10);
        if (d >= base) {
          if (ch == kEof) return fail("escape sequence not terminated");
          return fail("illegal character " + text::go::format_unicode(ch) + " in escape sequence");
        }
        x = x * base + d;
        if (--n > 0) ch = next_rune();
      }
      if (x > max || (x >= 0xD800 && x < 0xE000)) return fail("escape sequence is an invalid Unicode code point");
      continue;
    }
    // Go's lexer also rejects a correctly encoded U+FFFD here: it cannot tell it from an error.
    if (r == static_cast<long>(text::go::kRuneError)) return fail("invalid UTF-8 rune");
    if (r == kEof || r == '\n') return fail("unterminated quoted string");
    if (r == quote) break;
  }
  return emit(TokenKind::string);
}

Token Lexer::lex_raw_string() {
  for (;;) {
    long r = next_rune();
    if (r == static_cast<long>(text::go::kRuneError)) return fail("invalid UTF-8 rune");
    if (r == kEof) return fail("unterminated raw string");
    if (r == '`') break;
  }
  return emit(TokenKind::string);
}

Token Lexer::lex_comment() {
  pos_ += 1;
  long r = next_rune();
  while (r != '\r' && r != '\n' && r != kEof) r = next_rune();
  backup();
  return emit(TokenKind::comment);
}

Token Lexer::lex_number_or_duration() {
  if (scan_number()) return emit(TokenKind::number);
  if (accept_remaining_duration()) {
    backup();
    return emit(TokenKind::duration);
  }
  return fail("bad number or duration syntax: " + text::go::quote(in_.substr(start_, pos_ - start_)));
}

bool Lexer::accept_remaining_duration() {
  // A unit, then optionally more number+unit pairs; bad units ("hs") are caught by the parser.
  if (!accept("smhdwy")) return false;
  accept("s");
  while (accept("0123456789")) {
    while (accept("0123456789")) {
    }
    if (!accept("smhdw")) return false;
    accept("s");
  }
  return !is_alnum(next_rune());
}

bool Lexer::scan_number() {
  const std::size_t initial = pos_;
  std::string_view digits = "0123456789";
  bool hex = false;
  if (accept("0") && accept("xX")) {
    accept("_");
    digits = "0123456789abcdefABCDEF";
    hex = true;
  }
  accept(".");
  accept(digits);
  bool dot = false, exponent = false;
  for (;;) {
    long r = peek_rune();
    bool in_digits = r >= 0 && r < 0x80 && digits.find(static_cast<char>(r)) != std::string_view::npos;
    if (!(in_digits || r == '.' || r == '_' || r == 'e' || r == 'E')) break;
    if (r == '.' && dot) {
      accept(".");
      return false;
    }
    if ((r == 'e' || r == 'E') && exponent) {
      accept("eE");
      return false;
    }
    if (accept(".")) {
      dot = true;
      if (accept("_.")) return false;
      if (hex) return false; // no fractional hexadecimal literals
      continue;
    }
    if (accept("eE")) {
      exponent = true;
      accept("+-");
      if (accept("._eE") || peek_rune() == kEof) return false;
      continue;
    }
    if (accept("_")) {
      if (accept("._eE") || peek_rune() == kEof) return false;
      continue;
    }
    accept_run(digits);
  }
  if (pos_ == initial) return false;
  return !is_alnum(peek_rune());
}

bool Lexer::followed_by_left_paren() const {
  for (std::size_t p = pos_; p < in_.size(); ++p) {
    char c = in_[p];
    if (!is_space(static_cast<unsigned char>(c))) return c == '(';
  }
  return false;
}

Token Lexer::lex_keyword_or_identifier() {
  // Scanned as bytes: is_alnum is ASCII only, so a byte past 0x7F ends the word, as the rune
  // loop did.
  while (pos_ < in_.size() && (is_alnum(static_cast<unsigned char>(in_[pos_])) || in_[pos_] == ':')) ++pos_;
  std::string_view word = in_.substr(start_, pos_ - start_);
  for (const auto& kw : keywords_of_length(word.size())) {
    if (!keyword_equal(word, kw.word)) continue;
    // fill, fill_left and fill_right are keywords only before '(' so that they stay usable as names.
    bool fill = kw.kind == TokenKind::fill || kw.kind == TokenKind::fill_left || kw.kind == TokenKind::fill_right;
    if (fill && !followed_by_left_paren()) return emit(TokenKind::identifier);
    return emit(kw.kind);
  }
  return emit(word.find(':') != std::string_view::npos ? TokenKind::metric_identifier : TokenKind::identifier);
}

Token Lexer::lex_identifier() {
  while (is_alnum(next_rune())) {
  }
  backup();
  return emit(TokenKind::identifier);
}

} // namespace nsmon::promql
