#include "nsmon/util/humanize.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "nsmon/text/go.hpp"

namespace nsmon::util::fmt {

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string count(double v) {
  // Beyond long long (an estimate of 100^10 series), llround's result is unspecified.
  if (!std::isfinite(v) || std::abs(v) >= 9e18) return fixed(v, 0);
  long long n = std::llround(v);
  bool neg = n < 0;
  std::string digits = std::to_string(neg ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return neg ? "-" + out : out;
}

std::string duration(double s) {
  if (!std::isfinite(s) || s < 0) return "-";
  if (s < 10) return fixed(s, s < 1 ? 2 : 1) + "s";
  long long t = std::llround(s);
  long long d = t / 86400, h = t % 86400 / 3600, m = t % 3600 / 60, sec = t % 60;
  if (d > 0) return std::to_string(d) + "d " + std::to_string(h) + "h";
  if (h > 0) return std::to_string(h) + "h " + std::to_string(m) + "m";
  if (m > 0) return std::to_string(m) + "m " + std::to_string(sec) + "s";
  return std::to_string(sec) + "s";
}

std::string latency(double s) {
  if (!std::isfinite(s)) return "-";
  double a = std::fabs(s);
  if (a >= 1 || a == 0) return fixed(s, a >= 100 ? 0 : 2) + " s";
  if (a >= 1e-3) return fixed(s * 1e3, a >= 0.1 ? 0 : 1) + " ms";
  return fixed(s * 1e6, 0) + " µs";
}

std::string bytes(double b) {
  if (!std::isfinite(b)) return "-";
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (std::fabs(b) >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  return fixed(b, u == 0 ? 0 : 1) + " " + units[u];
}

std::string percent(double ratio, int decimals) {
  if (!std::isfinite(ratio)) return "-";
  return fixed(ratio * 100, decimals) + "%";
}

std::string bar(double fraction, int w) {
  if (w <= 0) return "";
  if (!std::isfinite(fraction)) fraction = 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  int full = static_cast<int>(std::lround(fraction * w));
  std::string out;
  for (int i = 0; i < w; ++i) out += i < full ? "█" : "░";
  return out;
}

std::string sparkline(const std::vector<double>& values, std::size_t w) {
  static const char* ticks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty() || w == 0) return "";
  std::size_t from = values.size() > w ? values.size() - w : 0;
  double lo = INFINITY, hi = -INFINITY;
  for (std::size_t i = from; i < values.size(); ++i)
    if (std::isfinite(values[i])) {
      lo = std::min(lo, values[i]);
      hi = std::max(hi, values[i]);
    }
  std::string out;
  for (std::size_t i = from; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      out += " ";
      continue;
    }
    int k = hi > lo ? static_cast<int>(std::lround((values[i] - lo) / (hi - lo) * 7)) : 3;
    out += ticks[std::clamp(k, 0, 7)];
  }
  return out;
}

std::string arrow(int trend) { return trend < 0 ? "▼" : trend > 0 ? "▲" : ""; }

namespace {
// Length of an escape sequence starting at s[i] == ESC (CSI: ESC [ ... final byte 0x40-0x7e;
// OSC: ESC ] ... BEL or ESC \; else ESC + one byte).
std::size_t escape_length(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) return 1;
  if (s[i + 1] == '[') {
    std::size_t j = i + 2;
    while (j < s.size() && !(s[j] >= 0x40 && s[j] <= 0x7e)) ++j;
    return std::min(j + 1, s.size()) - i;
  }
  if (s[i + 1] == ']') {
    std::size_t j = i + 2;
    while (j < s.size() && s[j] != '\a' && !(s[j] == '\033' && j + 1 < s.size() && s[j + 1] == '\\')) ++j;
    if (j < s.size()) j += s[j] == '\a' ? 1 : 2;
    return j - i;
  }
  return 2;
}
bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The cells a terminal draws a code point in: none for the combining marks U+0300..U+036F, two
// for the East Asian Wide and Fullwidth blocks (Hangul, CJK, kana, fullwidth forms, emoji), one
// otherwise. glibc's wcwidth() knows the same, but only under a UTF-8 locale, which a CI runner's
// C locale is not.
std::size_t cells(char32_t r) {
  if (r >= 0x300 && r <= 0x36F) return 0;
  static constexpr std::pair<char32_t, char32_t> kWide[] = {
      {0x1100, 0x115F}, {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},  {0x4E00, 0x9FFF},
      {0xA000, 0xA4CF}, {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},  {0xFF00, 0xFF60},
      {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD}};
  for (const auto& [lo, hi] : kWide)
    if (r >= lo && r <= hi) return 2;
  return 1;
}

// The code point at s[i] and its length in bytes; a byte that starts no valid sequence is one
// cell (as a '?' that stands for it), a stray continuation byte none.
std::pair<std::size_t, std::size_t> cells_at(std::string_view s, std::size_t i) {
  const text::go::Rune r = text::go::decode_rune(s.substr(i));
  if (r.value == text::go::kRuneError && r.width <= 1) return {continuation(s[i]) ? 0 : 1, 1};
  return {cells(r.value), static_cast<std::size_t>(r.width)};
}
} // namespace

std::size_t width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\033') {
      i += escape_length(s, i);
      continue;
    }
    const auto [c, n] = cells_at(s, i);
    w += c;
    i += n;
  }
  return w;
}

std::string fit(std::string_view s, std::size_t max) {
  if (width(s) <= max) return std::string(s);
  if (max == 0) return "";
  std::string out;
  std::size_t w = 0;
  bool sgr = false;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\033') {
      std::size_t n = escape_length(s, i);
      out.append(s.substr(i, n));
      sgr = true;
      i += n;
      continue;
    }
    const auto [c, n] = cells_at(s, i);
    if (c > 0 && w + c + 1 > max) break; // a cell is left for the "…"
    w += c;
    out.append(s.substr(i, n));
    i += n;
  }
  out += "…";
  if (sgr) out += "\033[0m";
  return out;
}

std::string sanitize(std::string_view line, bool keep_color) {
  if (auto cr = line.rfind('\r'); cr != std::string_view::npos) line = line.substr(cr + 1);
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == '\033') {
      std::size_t n = escape_length(line, i);
      std::string_view seq = line.substr(i, n);
      if (keep_color && seq.size() >= 3 && seq[1] == '[' && seq.back() == 'm') out.append(seq);
      i += n;
      continue;
    }
    if (c == '\t') out += "    ";
    else if (c < 0x20 || c == 0x7f) out += '?';
    else out += static_cast<char>(c);
    ++i;
  }
  if (keep_color && out.find('\033') != std::string::npos) out += "\033[0m";
  return out;
}

} // namespace nsmon::util::fmt
