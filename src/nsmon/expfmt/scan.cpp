#include "nsmon/expfmt/scan.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "nsmon/expfmt/parser.hpp"

namespace nsmon::expfmt {
namespace scan {

static bool is_name(std::string_view s, std::uint8_t first, std::uint8_t rest) {
  if (s.empty() || !is(static_cast<unsigned char>(s[0]), first)) return false;
  for (std::size_t i = 1; i < s.size(); ++i)
    if (!is(static_cast<unsigned char>(s[i]), rest)) return false;
  return true;
}

bool is_metric_name(std::string_view s) { return is_name(s, metric_first, metric_rest); }
bool is_label_name(std::string_view s) { return is_name(s, label_first, label_rest); }

std::size_t utf8_invalid_at(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    std::uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::size_t unescape(std::string_view s, Escapes kind, std::string& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t bs = s.find('\\', i);
    if (bs == std::string_view::npos) {
      out.append(s.substr(i));
      return std::string_view::npos;
    }
    out.append(s.substr(i, bs - i));
    if (bs + 1 >= s.size()) return bs;
    const char e = s[bs + 1];
    if (e == '\\') out.push_back('\\');
    else if (e == 'n') out.push_back('\n');
    else if (e == '"' && kind != Escapes::text_help) out.push_back('"');
    else return bs;
    i = bs + 2;
  }
  return std::string_view::npos;
}

int HashSet::insert(std::uint64_t h, int line) {
  if ((count_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.gen != gen_) {
      s.hash = h;
      s.gen = gen_;
      s.line = line;
      ++count_;
      return 0;
    }
    if (s.hash == h) return s.line;
  }
}

void HashSet::clear() {
  count_ = 0;
  if (++gen_ == 0) {
    // The counter wrapped: old slots could look current again, so wipe them once.
    for (auto& s : slots_) s = Slot{};
    gen_ = 1;
  }
}

void HashSet::grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.gen != gen_) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].gen == gen_) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

} // namespace scan

namespace {
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}
bool digit(char c) { return c >= '0' && c <= '9'; }
} // namespace

std::optional<double> parse_value(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return std::nullopt;
  if (!digit(s[i]) && s[i] != '.') {
    const std::string_view word = s.substr(i);
    if (iequals(word, "inf") || iequals(word, "infinity"))
      return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    if (i == 0 && iequals(word, "nan")) return std::numeric_limits<double>::quiet_NaN();
    return std::nullopt;
  }
  // Check the grammar ourselves: from_chars also takes "nan(...)", hex digits and the like.
  std::size_t j = i, mantissa_digits = 0, frac_digits = 0;
  std::uint64_t mantissa = 0;
  for (; j < s.size() && digit(s[j]); ++j, ++mantissa_digits)
    mantissa = mantissa * 10 + static_cast<unsigned>(s[j] - '0');
  if (j < s.size() && s[j] == '.') {
    ++j;
    for (; j < s.size() && digit(s[j]); ++j, ++mantissa_digits, ++frac_digits)
      mantissa = mantissa * 10 + static_cast<unsigned>(s[j] - '0');
  }
  if (mantissa_digits == 0) return std::nullopt;
  if (j == s.size() && mantissa_digits <= 15) {
    // Fast path (Clinger): an exact integer below 2^53 divided by an exact power of ten is
    // correctly rounded. Covers nearly every value a client library writes.
    static constexpr double pow10[] = {1,   1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const double v = static_cast<double>(mantissa) / pow10[frac_digits];
    return neg ? -v : v;
  }
  bool neg_exp = false;
  if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
    ++j;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) neg_exp = s[j++] == '-';
    const std::size_t exp_start = j;
    while (j < s.size() && digit(s[j])) ++j;
    if (j == exp_start) return std::nullopt;
  }
  if (j != s.size()) return std::nullopt;

  double v = 0;
  const char* first = s.data() + i;
  const char* last = s.data() + s.size();
  const auto r = std::from_chars(first, last, v, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    if (!neg_exp) return std::nullopt; // overflow, as Go's ParseFloat reports it
    // Underflow: strtod gives the subnormal or zero.
    std::string copy(first, last);
    v = std::strtod(copy.c_str(), nullptr);
  } else if (r.ec != std::errc() || r.ptr != last) {
    return std::nullopt;
  }
  return neg ? -v : v;
}

} // namespace nsmon::expfmt
