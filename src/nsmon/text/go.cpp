#include "nsmon/text/go.hpp"

#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace nsmon::text::go {

Rune decode_rune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  auto cont = [&](std::size_t i) { return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80; };
  auto at = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[i]) & 0x3F); };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(1)) return {kRuneError, 1};
    return {(static_cast<char32_t>(b0 & 0x1F) << 6) | at(1), 2};
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return {kRuneError, 1};
    char32_t r = (static_cast<char32_t>(b0 & 0x0F) << 12) | (at(1) << 6) | at(2);
    if (r < 0x800 || (r >= 0xD800 && r <= 0xDFFF)) return {kRuneError, 1};
    return {r, 3};
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return {kRuneError, 1};
    char32_t r = (static_cast<char32_t>(b0 & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3);
    if (r < 0x10000 || r > 0x10FFFF) return {kRuneError, 1};
    return {r, 4};
  }
  return {kRuneError, 1};
}

bool valid_utf8(std::string_view s) {
  while (!s.empty()) {
    // Label values and YAML keys are mostly ASCII: eight bytes at a time.
    if (std::uint64_t w = 0; s.size() >= 8 && (std::memcpy(&w, s.data(), 8), (w & 0x8080808080808080ULL) == 0)) {
      s.remove_prefix(8);
      continue;
    }
    Rune r = decode_rune(s);
    if (r.value == kRuneError && r.width == 1) return false;
    s.remove_prefix(static_cast<std::size_t>(r.width));
  }
  return true;
}

void append_utf8(std::string& out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

bool is_print(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r < 0xA0 || r == 0xAD) return false; // C1 controls, soft hyphen
  // Space separators other than ' ', format characters and other code points Go does not consider
  // printable.
  static constexpr std::array<std::pair<char32_t, char32_t>, 22> not_printable = {{
      {0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200A},   {0x202F, 0x202F},    {0x205F, 0x205F}, {0x3000, 0x3000},
      {0x0378, 0x0379}, {0x0600, 0x0605}, {0x061C, 0x061C},   {0x06DD, 0x06DD},    {0x180E, 0x180E}, {0x200B, 0x200F},
      {0x2028, 0x202E}, {0x2060, 0x206F}, {0xD800, 0xDFFF},   {0xE000, 0xF8FF},    {0xFDD0, 0xFDEF}, {0xFEFF, 0xFEFF},
      {0xFFF0, 0xFFFB}, {0xFFFE, 0xFFFF}, {0xE0000, 0xE0FFF}, {0xF0000, 0x10FFFF},
  }};
  for (auto [lo, hi] : not_printable)
    if (r >= lo && r <= hi) return false;
  return r <= 0x10FFFF;
}

namespace {

const char* kHex = "0123456789abcdef";

void append_escaped_rune(std::string& out, char32_t r, char quote_char) {
  if (r == static_cast<char32_t>(quote_char) || r == '\\') {
    out += '\\';
    out += static_cast<char>(r);
    return;
  }
  if (is_print(r)) {
    append_utf8(out, r);
    return;
  }
  switch (r) {
  case '\a': out += "\\a"; return;
  case '\b': out += "\\b"; return;
  case '\f': out += "\\f"; return;
  case '\n': out += "\\n"; return;
  case '\r': out += "\\r"; return;
  case '\t': out += "\\t"; return;
  case '\v': out += "\\v"; return;
  default: break;
  }
  if (r < 0x20 || r == 0x7F) {
    out += "\\x";
    out += kHex[(r >> 4) & 0xF];
    out += kHex[r & 0xF];
  } else if (r < 0x10000) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(r >> shift) & 0xF];
  } else {
    out += "\\U";
    for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(r >> shift) & 0xF];
  }
}

std::string quote_n(std::string_view s, std::size_t max_runes) {
  std::string out = "\"";
  std::size_t n = 0;
  while (!s.empty() && n < max_runes) {
    Rune r = decode_rune(s);
    if (r.value == kRuneError && r.width == 1) {
      out += "\\x";
      auto b = static_cast<unsigned char>(s[0]);
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    } else {
      append_escaped_rune(out, r.value, '"');
    }
    s.remove_prefix(static_cast<std::size_t>(r.width));
    ++n;
  }
  out += '"';
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// strconv's underscoreOK: underscores only between digits or after a base prefix.
bool underscore_ok(std::string_view s) {
  char saw = '^';
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    if (p == 'b' || p == 'o' || p == 'x') {
      i = 2;
      saw = '0';
      hex = p == 'x';
    }
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    char lc = static_cast<char>(c | 0x20);
    if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

// strconv.ParseInt(s, 0, 64) for unsigned token text.
std::optional<std::int64_t> parse_int_base0(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view orig = s;
  int base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && (s[1] | 0x20) == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && (s[1] | 0x20) == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && (s[1] | 0x20) == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  std::uint64_t n = 0;
  bool underscores = false;
  for (char c : s) {
    if (c == '_') {
      underscores = true;
      continue;
    }
    int d = hex_value(c);
    if (d < 0 || d >= base) return std::nullopt;
    if (n > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(d)) / static_cast<unsigned>(base))
      return std::nullopt;
    n = n * static_cast<unsigned>(base) + static_cast<unsigned>(d);
  }
  if (underscores && !underscore_ok(orig)) return std::nullopt;
  if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  return static_cast<std::int64_t>(n);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

} // namespace

std::string quote(std::string_view s) { return quote_n(s, std::string_view::npos); }

std::string quote_prefix(std::string_view s, std::size_t n_runes) { return quote_n(s, n_runes); }

std::string quote_rune(long r) {
  std::string out = "'";
  if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  append_escaped_rune(out, static_cast<char32_t>(r), '\'');
  out += '\'';
  return out;
}

std::string format_unicode(long r) {
  char buf[32];
  if (r < 0) return "U+FFFFFFFFFFFFFFFF";
  std::snprintf(buf, sizeof buf, "U+%04lX", static_cast<unsigned long>(r));
  std::string out = buf;
  if (is_print(static_cast<char32_t>(r))) {
    out += " '";
    append_utf8(out, static_cast<char32_t>(r));
    out += "'";
  }
  return out;
}

std::optional<std::string> unquote(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  char q = s.front();
  if (q != s.back()) return std::nullopt;
  s = s.substr(1, s.size() - 2);
  if (q == '`') {
    if (s.find('`') != std::string_view::npos) return std::nullopt;
    return std::string(s);
  }
  if (q != '"' && q != '\'') return std::nullopt;
  if (s.find('\n') != std::string_view::npos) return std::nullopt;
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    char c = s[0];
    if (c == q) return std::nullopt;
    if (c != '\\') {
      out += c;
      s.remove_prefix(1);
      continue;
    }
    if (s.size() < 2) return std::nullopt;
    char e = s[1];
    s.remove_prefix(2);
    switch (e) {
    case 'a': out += '\a'; break;
    case 'b': out += '\b'; break;
    case 'f': out += '\f'; break;
    case 'n': out += '\n'; break;
    case 'r': out += '\r'; break;
    case 't': out += '\t'; break;
    case 'v': out += '\v'; break;
    case 'x':
    case 'u':
    case 'U': {
      std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < n) return std::nullopt;
      std::uint32_t v = 0;
      for (std::size_t j = 0; j < n; ++j) {
        int d = hex_value(s[j]);
        if (d < 0) return std::nullopt;
        v = (v << 4) | static_cast<std::uint32_t>(d);
      }
      s.remove_prefix(n);
      if (e == 'x') {
        out += static_cast<char>(v);
      } else {
        // Go's utf8.ValidRune: no surrogate halves, nothing past U+10FFFF.
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return std::nullopt;
        append_utf8(out, v);
      }
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      if (s.size() < 2) return std::nullopt;
      std::uint32_t v = static_cast<std::uint32_t>(e - '0');
      for (int j = 0; j < 2; ++j) {
        if (s[static_cast<std::size_t>(j)] < '0' || s[static_cast<std::size_t>(j)] > '7') return std::nullopt;
        v = (v << 3) | static_cast<std::uint32_t>(s[static_cast<std::size_t>(j)] - '0');
      }
      s.remove_prefix(2);
      if (v > 255) return std::nullopt;
      out += static_cast<char>(v);
      break;
    }
    case '\\': out += '\\'; break;
    case '\'':
    case '"':
      if (e != q) return std::nullopt;
      out += e;
      break;
    default: return std::nullopt;
    }
  }
  return out;
}

std::optional<double> parse_float(std::string_view s, std::string* error, Overflow overflow) {
  auto fail = [&](const char* why) -> std::optional<double> {
    if (error) *error = "strconv.ParseFloat: parsing " + quote(s) + ": " + why;
    return std::nullopt;
  };
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (iequals(body, "inf") || iequals(body, "infinity"))
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (iequals(body, "nan")) return std::numeric_limits<double>::quiet_NaN();
  bool hex = body.size() >= 2 && body[0] == '0' && (body[1] | 0x20) == 'x';
  std::string clean;
  clean.reserve(s.size());
  bool underscores = false;
  bool digits = false;
  bool exponent = false;
  for (std::size_t i = hex ? 2 : 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c >= '0' && c <= '9') digits = digits || !exponent;
    clean += c;
    if (!hex && (c == 'e' || c == 'E')) exponent = true;
  }
  if (underscores && !underscore_ok(s)) return fail("invalid syntax");
  // A hexadecimal mantissa needs a 'p' exponent, which PromQL's lexer never produces.
  if (hex) {
    bool has_p = false;
    for (char c : clean) has_p = has_p || (c | 0x20) == 'p';
    if (!has_p) return fail("invalid syntax");
    clean = "0x" + clean;
  }
  if (!hex) {
    // Validate the decimal shape: digits [. digits] [e [+-] digits], at least one mantissa digit.
    std::size_t i = 0;
    bool mant = false;
    while (i < clean.size() && clean[i] >= '0' && clean[i] <= '9') ++i, mant = true;
    if (i < clean.size() && clean[i] == '.') {
      ++i;
      while (i < clean.size() && clean[i] >= '0' && clean[i] <= '9') ++i, mant = true;
    }
    if (!mant) return fail("invalid syntax");
    if (i < clean.size() && (clean[i] == 'e' || clean[i] == 'E')) {
      ++i;
      if (i < clean.size() && (clean[i] == '+' || clean[i] == '-')) ++i;
      bool exp_digits = false;
      while (i < clean.size() && clean[i] >= '0' && clean[i] <= '9') ++i, exp_digits = true;
      if (!exp_digits) return fail("invalid syntax");
    }
    if (i != clean.size()) return fail("invalid syntax");
  }
  (void)digits;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return fail("invalid syntax");
  if (std::isinf(v) && overflow == Overflow::error) return fail("value out of range");
  return neg ? -v : v;
}

std::optional<double> parse_number(std::string_view s, std::string& error) {
  if (auto i = parse_int_base0(s)) return static_cast<double>(*i);
  return parse_float(s, &error);
}

std::optional<std::uint64_t> parse_uint(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string format_float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, p);
}

std::string format_float_g(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, end);
  const std::size_t e = sci.find('e');
  const int exp = std::atoi(sci.c_str() + e + 1);
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (sci[i] != '.' && sci[i] != '-') digits += sci[i];
  const std::string sign = v < 0 ? "-" : "";
  if (exp < -4 || exp >= 6) { // shortest digits: strconv decides with precision 6
    std::string out = sign + digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "") + "e";
    out += exp < 0 ? "-" : "+";
    std::string x = std::to_string(std::abs(exp));
    return out + (x.size() < 2 ? "0" + x : x);
  }
  if (exp < 0) return sign + "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
  const auto int_digits = static_cast<std::size_t>(exp) + 1;
  if (digits.size() <= int_digits) return sign + digits + std::string(int_digits - digits.size(), '0');
  return sign + digits.substr(0, int_digits) + "." + digits.substr(int_digits);
}

std::string format_float3(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string format_float6(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  std::snprintf(buf, sizeof buf, "%f", v);
  return buf;
}

std::string format_float_v(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  // Shortest round-trip digits, then Go's %g rule (exponent form below 1e-4 and from 1e6 on).
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, p);
  auto epos = sci.find('e');
  int exp = std::atoi(sci.c_str() + epos + 1);
  if (exp < -4 || exp >= 6) {
    std::string mant = sci.substr(0, epos);
    char sign = exp < 0 ? '-' : '+';
    int aexp = exp < 0 ? -exp : exp;
    std::string e = std::to_string(aexp);
    if (e.size() < 2) e = "0" + e;
    return mant + "e" + sign + e;
  }
  return format_float(v);
}

std::int64_t seconds_to_ns(double seconds) {
  double ns = std::round(seconds * 1e9);
  if (!(ns >= -9223372036854775808.0 && ns < 9223372036854775808.0)) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(ns);
}

std::string canonical_header_key(std::string s) {
  bool upper = true;
  for (char& c : s) {
    c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                : std::tolower(static_cast<unsigned char>(c)));
    upper = c == '-';
  }
  return s;
}

} // namespace nsmon::text::go
