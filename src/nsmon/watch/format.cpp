#include "nsmon/watch/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nsmon::watch::fmt {

std::string latency(const Quantile& q) {
  if (!q.value) return "-";
  if (q.capped) {
    // The top finite bucket bounds the answer: the truth is above it.
    double v = *q.value;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v >= 1 ? v : v * 1e3);
    return std::string(">") + buf + (v >= 1 ? " s" : " ms");
  }
  return latency(*q.value);
}

std::string elapsed(double s) {
  std::string d = duration(s);
  if (s >= 10) d = std::to_string(std::llround(s)) + "s";
  return "[" + std::string(d.size() < 6 ? 6 - d.size() : 0, ' ') + d + "]";
}

namespace {

bool fits(const std::string& line, std::string_view sep, const std::string& piece, std::size_t max_width) {
  return width(line) + width(sep) + width(piece) <= max_width;
}

// The bytes of `s` that make its first `cells` display cells (colour sequences count none).
std::size_t prefix_bytes(std::string_view s, std::size_t cells) {
  std::size_t i = 0, w = 0;
  while (i < s.size()) {
    if (s[i] == '\033') {
      std::size_t end = s.find('m', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
      continue;
    }
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (w == cells) break;
      ++w;
    }
    ++i;
  }
  return i;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

} // namespace

std::string wrap(std::string_view head, const std::vector<std::string>& pieces, std::string_view sep,
                 std::size_t max_width, std::size_t indent) {
  std::string line(head), out;
  bool empty = true; // no piece on the line yet
  for (const auto& p : pieces) {
    if (p.empty()) continue;
    if (max_width == 0 || fits(line, empty ? "" : sep, p, max_width)) {
      line += (empty ? "" : std::string(sep)) + p;
      empty = false;
      continue;
    }
    // Too narrow for the hanging indent: the figures get the room.
    const std::size_t in = max_width >= indent + 32 ? indent : std::min<std::size_t>({indent, 4, max_width / 4});
    const std::string pad(in, ' ');
    if (!empty) {
      out += line + "\n";
      line = pad;
      empty = true;
    }
    if (fits(line, "", p, max_width)) {
      line += p;
      empty = false;
      continue;
    }
    // A piece wider than a line: its words, the line broken between them.
    for (std::string_view w : words(p)) {
      if (!empty && fmt::width(line) + 1 + fmt::width(w) > max_width) {
        out += line + "\n";
        line = pad;
        empty = true;
      }
      line += empty ? "" : " ";
      while (fmt::width(line) + fmt::width(w) > max_width) { // a word no line can hold (a URL)
        std::size_t used = fmt::width(line);
        if (used >= max_width) {
          out += line + "\n";
          line = pad;
          continue;
        }
        std::size_t n = prefix_bytes(w, max_width - used);
        out += line + std::string(w.substr(0, n)) + "\n";
        w.remove_prefix(n);
        line = pad;
      }
      line += w;
      empty = false;
    }
  }
  return out + line + "\n";
}

} // namespace nsmon::watch::fmt
