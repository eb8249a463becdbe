#include "nsmon/promapi/json_stream.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "nsmon/text/ascii.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::promapi {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
using text::is_digit;

std::string describe(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7F) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", u);
  return buf;
}
} // namespace

void JsonTokenizer::fail(const std::string& what, std::size_t at) const {
  throw DecodeError("invalid JSON at byte " + std::to_string(at) + ": " + what, at);
}

void JsonTokenizer::capture_next_value(std::function<void(std::string_view)> sink) {
  sink_ = std::move(sink);
  capture_pending_ = true;
}

void JsonTokenizer::grow(std::size_t n, std::size_t at) {
  if (buf_.size() + n > limits_.max_string)
    fail("a string or number longer than " + std::to_string(limits_.max_string) + " bytes", at);
}

void JsonTokenizer::feed(std::string_view s) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    switch (state_) {
    case State::string: i = scan_string(s, i); continue;
    case State::escape:
      escape_char(s[i], offset_ + i);
      ++i;
      continue;
    case State::unicode:
      unicode_digit(s[i], offset_ + i);
      ++i;
      continue;
    case State::number:
      i = scan_number(s, i);
      if (state_ == State::number) continue;
      // The byte that ended the number is looked at again below.
      value_done(s, i);
      continue;
    case State::literal:
      if (s[i] != word_[word_pos_]) fail("expected '" + std::string(word_) + "'", offset_ + i);
      ++i;
      if (++word_pos_ == word_.size()) {
        h_.literal(word_);
        value_done(s, i);
      }
      continue;
    default: break;
    }
    while (i < n && is_space(s[i])) ++i;
    if (i == n) break;
    const char c = s[i];
    const std::size_t at = offset_ + i;
    switch (state_) {
    case State::value_or_close:
      if (c == ']') {
        close(']', at);
        value_done(s, i + 1);
        ++i;
        break;
      }
      [[fallthrough]];
    case State::value: i = start_value(s, i); break;
    case State::key_or_close:
      if (c == '}') {
        close('}', at);
        value_done(s, i + 1);
        ++i;
        break;
      }
      [[fallthrough]];
    case State::key:
      if (c != '"') fail("expected a string key, found " + describe(c), at);
      is_key_ = true;
      buf_.clear();
      fresh_ = true;
      state_ = State::string;
      ++i;
      break;
    case State::colon:
      if (c != ':') fail("expected ':', found " + describe(c), at);
      state_ = State::value;
      ++i;
      break;
    case State::after_value:
      if (c == ',') state_ = stack_.back() == '{' ? State::key : State::value;
      else if (c == '}' || c == ']') {
        close(c, at);
        value_done(s, i + 1);
      } else
        fail(std::string("expected ',' or '") + (stack_.back() == '{' ? '}' : ']') + "', found " + describe(c), at);
      ++i;
      break;
    case State::done: fail("unexpected " + describe(c) + " after the end of the JSON value", at);
    default: break;
    }
  }
  if (capturing_ && capture_from_ < n) sink_(s.substr(capture_from_));
  capture_from_ = 0;
  offset_ += n;
}

void JsonTokenizer::finish() {
  if (state_ == State::number) {
    end_number(buf_, offset_);
    value_done({}, 0);
  }
  if (state_ == State::done) return;
  if (offset_ == 0) fail("the input is empty", 0);
  fail("the input ends in the middle of " +
           std::string(state_ == State::string || state_ == State::escape || state_ == State::unicode ? "a string"
                       : stack_.empty()                                                               ? "a value"
                       : stack_.back() == '{'                                                         ? "an object"
                                                                                                      : "an array"),
       offset_);
}

std::size_t JsonTokenizer::start_value(std::string_view s, std::size_t i) {
  const char c = s[i];
  const std::size_t at = offset_ + i;
  if (capture_pending_) {
    capture_pending_ = false;
    capturing_ = true;
    capture_depth_ = stack_.size();
    capture_from_ = i;
  }
  if (c == '[' && stack_.size() < limits_.max_depth) {
    std::size_t end = scan_pair(s, i);
    if (end != 0) return end;
  }
  switch (c) {
  case '{':
  case '[':
    if (stack_.size() >= limits_.max_depth)
      fail("arrays and objects nested deeper than " + std::to_string(limits_.max_depth) + " levels", at);
    stack_.push_back(c);
    if (c == '{') {
      h_.begin_object();
      state_ = State::key_or_close;
    } else {
      h_.begin_array();
      state_ = State::value_or_close;
    }
    return i + 1;
  case '"':
    is_key_ = false;
    buf_.clear();
    fresh_ = true;
    state_ = State::string;
    return i + 1;
  case 't': word_ = "true"; break;
  case 'f': word_ = "false"; break;
  case 'n': word_ = "null"; break;
  default:
    if (c == '-' || is_digit(c)) {
      buf_.clear();
      fresh_ = true;
      num_state_ = 0;
      state_ = State::number;
      return i;
    }
    fail("expected a value, found " + describe(c), at);
  }
  word_pos_ = 1;
  state_ = State::literal;
  return i + 1;
}

// The fast path for a sample: [number,"string"] written compactly, the number without an exponent
// and the string plain printable ASCII, all in this chunk. Returns the offset after the ']', or 0
// when it is anything else (the general path then reads it, errors included).
std::size_t JsonTokenizer::scan_pair(std::string_view s, std::size_t i) {
  const char* const begin = s.data();
  const char* const end = begin + s.size();
  const char* p = begin + i + 1;
  const char* num = p;
  if (p < end && *p == '-') ++p;
  if (p == end) return 0;
  if (*p == '0') ++p;
  else if (is_digit(*p)) {
    while (p < end && is_digit(*p)) ++p;
  } else return 0;
  if (p < end && *p == '.') {
    const char* frac = ++p;
    while (p < end && is_digit(*p)) ++p;
    if (p == frac) return 0;
  }
  const std::size_t num_len = static_cast<std::size_t>(p - num);
  if (end - p < 4 || p[0] != ',' || p[1] != '"' || num_len > 300) return 0;
  p += 2;
  const char* str = p;
  for (; p < end; ++p) {
    auto a = static_cast<unsigned char>(*p);
    if (a < 0x20 || a >= 0x80 || a == '"' || a == '\\') break;
  }
  const std::size_t str_len = static_cast<std::size_t>(p - str);
  if (end - p < 2 || p[0] != '"' || p[1] != ']' || num_len > limits_.max_string || str_len > limits_.max_string)
    return 0;
  h_.pair({num, num_len}, {str, str_len});
  const auto after = static_cast<std::size_t>(p + 2 - begin);
  value_done(s, after);
  return after;
}

std::size_t JsonTokenizer::scan_string(std::string_view s, std::size_t i) {
  const std::size_t n = s.size();
  std::size_t from = i;
  // A token that starts and ends in this chunk is handed over in place; otherwise it is
  // gathered in buf_.
  auto flush = [&](std::size_t to) {
    grow(to - from, offset_ + to);
    buf_.append(s.data() + from, to - from);
    fresh_ = false;
  };
  if (want_low_ && i < n && s[i] != '\\')
    fail("a high surrogate \\u escape must be followed by a low one", offset_ + i);
  for (; i < n; ++i) {
    // Fast path: plain ASCII characters.
    while (i < n && !utf8_need_) {
      auto a = static_cast<unsigned char>(s[i]);
      if (a < 0x20 || a >= 0x80 || a == '"' || a == '\\') break;
      ++i;
    }
    if (i == n) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (utf8_need_) {
      if (c < utf8_lo_ || c > utf8_hi_) fail("invalid UTF-8 in a string", offset_ + i);
      --utf8_need_;
      utf8_lo_ = 0x80;
      utf8_hi_ = 0xBF;
      continue;
    }
    if (c == '"') {
      if (fresh_) {
        if (i - from > limits_.max_string) grow(i - from, offset_ + i);
        end_string(s.substr(from, i - from), offset_ + i);
      } else {
        flush(i);
        end_string(buf_, offset_ + i);
      }
      if (!is_key_) value_done(s, i + 1);
      return i + 1;
    }
    if (c == '\\') {
      flush(i);
      state_ = State::escape;
      return i + 1;
    }
    if (c < 0x20) fail("a control character (" + describe(s[i]) + ") in a string", offset_ + i);
    if (c < 0x80) continue;
    if (c >= 0xC2 && c <= 0xDF) utf8_need_ = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      utf8_need_ = 2;
      if (c == 0xE0) utf8_lo_ = 0xA0; // no overlong forms
      if (c == 0xED) utf8_hi_ = 0x9F; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      utf8_need_ = 3;
      if (c == 0xF0) utf8_lo_ = 0x90;
      if (c == 0xF4) utf8_hi_ = 0x8F; // nothing above U+10FFFF
    } else fail("invalid UTF-8 in a string", offset_ + i);
  }
  flush(n);
  return n;
}

void JsonTokenizer::escape_char(char c, std::size_t at) {
  if (want_low_ && c != 'u') fail("a high surrogate \\u escape must be followed by a low one", at);
  char out = 0;
  switch (c) {
  case '"': out = '"'; break;
  case '\\': out = '\\'; break;
  case '/': out = '/'; break;
  case 'b': out = '\b'; break;
  case 'f': out = '\f'; break;
  case 'n': out = '\n'; break;
  case 'r': out = '\r'; break;
  case 't': out = '\t'; break;
  case 'u':
    hex_count_ = 0;
    hex_ = 0;
    state_ = State::unicode;
    return;
  default: fail("invalid escape \\" + std::string(1, c) + " in a string", at);
  }
  grow(1, at);
  buf_ += out;
  state_ = State::string;
}

void JsonTokenizer::unicode_digit(char c, std::size_t at) {
  std::uint32_t d = 0;
  if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
  else if (c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
  else if (c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
  else fail("invalid \\u escape: " + describe(c) + " is not a hex digit", at);
  hex_ = hex_ * 16 + d;
  if (++hex_count_ < 4) return;
  state_ = State::string;
  if (want_low_) {
    if (hex_ < 0xDC00 || hex_ > 0xDFFF) fail("a high surrogate \\u escape must be followed by a low one", at);
    want_low_ = false;
    text::go::append_utf8(buf_, 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (hex_ - 0xDC00));
  } else if (hex_ >= 0xD800 && hex_ <= 0xDBFF) {
    high_surrogate_ = hex_;
    want_low_ = true;
  } else if (hex_ >= 0xDC00 && hex_ <= 0xDFFF) {
    fail("a low surrogate \\u escape without a high one", at);
  } else {
    text::go::append_utf8(buf_, hex_);
  }
  grow(0, at);
}

void JsonTokenizer::end_string(std::string_view token, std::size_t at) {
  if (want_low_) fail("a high surrogate \\u escape must be followed by a low one", at);
  if (is_key_) {
    state_ = State::colon;
    h_.key(token);
  } else {
    h_.string(token);
  }
}

// The JSON number grammar: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
// num_state_: 0 start, 1 after '-', 2 after a leading 0, 3 integer digits, 4 after '.',
// 5 fraction digits, 6 after 'e', 7 after the exponent's sign, 8 exponent digits.
std::size_t JsonTokenizer::scan_number(std::string_view s, std::size_t i) {
  const std::size_t n = s.size();
  std::size_t from = i;
  for (; i < n; ++i) {
    if (num_state_ == 3 || num_state_ == 5 || num_state_ == 8) { // fast path: a run of digits
      while (i < n && is_digit(s[i])) ++i;
      if (i == n) break;
    }
    char c = s[i];
    int next = -1;
    switch (num_state_) {
    case 0: next = c == '-' ? 1 : c == '0' ? 2 : is_digit(c) ? 3 : -1; break;
    case 1: next = c == '0' ? 2 : is_digit(c) ? 3 : -1; break;
    case 2: next = c == '.' ? 4 : (c == 'e' || c == 'E') ? 6 : -2; break;
    case 3:
    case 5:
      next = is_digit(c) ? num_state_ : (c == '.' && num_state_ == 3) ? 4 : (c == 'e' || c == 'E') ? 6 : -2;
      break;
    case 4: next = is_digit(c) ? 5 : -1; break;
    case 6: next = (c == '+' || c == '-') ? 7 : is_digit(c) ? 8 : -1; break;
    case 7: next = is_digit(c) ? 8 : -1; break;
    case 8: next = is_digit(c) ? 8 : -2; break;
    default: break;
    }
    if (next == -1) fail("invalid number: unexpected " + describe(c), offset_ + i);
    if (next == -2) { // the number ended before c
      grow(i - from, offset_ + i);
      if (fresh_) {
        end_number(s.substr(from, i - from), offset_ + i);
      } else {
        buf_.append(s.data() + from, i - from);
        end_number(buf_, offset_ + i);
      }
      return i;
    }
    num_state_ = next;
  }
  grow(n - from, offset_ + n);
  buf_.append(s.data() + from, n - from);
  fresh_ = false;
  return n;
}

void JsonTokenizer::end_number(std::string_view token, std::size_t at) {
  if (num_state_ != 2 && num_state_ != 3 && num_state_ != 5 && num_state_ != 8)
    fail("the number '" + std::string(token) + "' is incomplete", at);
  // As nlohmann::json: a number beyond the range of a double is an error (only an exponent or
  // hundreds of digits get there).
  if ((token.size() > 300 || num_state_ == 8) && // 8: it has an exponent
      !std::isfinite(std::strtod(std::string(token).c_str(), nullptr)))
    fail("the number " + std::string(token.substr(0, 40)) + " is out of range", at);
  h_.number(token);
  state_ = State::after_value; // value_done settles the state
}

void JsonTokenizer::close(char bracket, std::size_t at) {
  char open = bracket == '}' ? '{' : '[';
  if (stack_.empty() || stack_.back() != open) fail("unexpected " + describe(bracket), at);
  stack_.pop_back();
  if (open == '{') h_.end_object();
  else h_.end_array();
}

void JsonTokenizer::value_done(std::string_view s, std::size_t end) {
  state_ = stack_.empty() ? State::done : State::after_value;
  if (capturing_ && stack_.size() == capture_depth_) {
    capturing_ = false;
    if (end > capture_from_) sink_(s.substr(capture_from_, end - capture_from_));
    capture_from_ = 0;
  }
}

} // namespace nsmon::promapi
