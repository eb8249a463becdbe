// Byte-level helpers of lint-metrics over the whole input: newline counting, line starts, where
// to cut a large scrape in two, and which format a file is in.
#include <cstdint>
#include <cstring>

#include "nsmon/lint/metrics_checks.hpp"

namespace nsmon::lint {

// Newlines in [p, p + n): eight bytes at a time, counted in byte lanes (SWAR), several GB/s.
std::size_t count_newlines(const char* p, std::size_t n) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, low7 = 0x7F7F7F7F7F7F7F7FULL, nl = ones * '\n';
  std::size_t total = 0, i = 0;
  while (i + 8 <= n) {
    std::uint64_t lanes = 0; // one counter per byte lane, flushed before it can overflow
    for (int k = 0; k < 255 && i + 8 <= n; ++k, i += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      const std::uint64_t t = w ^ nl;                  // 0x00 where the byte is '\n'
      const std::uint64_t y = ((t & low7) + low7) | t; // high bit set where it is not
      lanes += (~y & ~low7) >> 7;
    }
    total += (lanes * ones) >> 56;
  }
  for (; i < n; ++i) total += p[i] == '\n';
  return total;
}

// Where a large text-format input can be cut in two for two parsers: the start of the first
// # HELP or # TYPE line after the middle that follows a sample line (so that no family is cut).
std::size_t split_point(std::string_view text) {
  std::size_t pos = text.size() / 2;
  while ((pos = text.find("\n# ", pos)) != std::string_view::npos) {
    std::size_t line = pos + 1;
    std::string_view rest = text.substr(line);
    bool meta = rest.substr(0, 7) == "# HELP " || rest.substr(0, 7) == "# TYPE ";
    std::size_t prev = text.rfind('\n', pos == 0 ? 0 : pos - 1);
    std::size_t prev_start = prev == std::string_view::npos ? 0 : prev + 1;
    if (meta && pos > prev_start && text[prev_start] != '#') return line;
    pos = line;
  }
  return std::string_view::npos;
}

std::vector<std::size_t> line_starts(std::string_view text, const std::vector<int>& lines) {
  std::vector<std::size_t> out;
  out.reserve(lines.size());
  int line = 1;
  std::size_t pos = 0;
  for (int want : lines) {
    while (pos != std::string_view::npos && line < want) {
      // Whole blocks before the wanted line: only count their newlines (a vectorised loop).
      constexpr std::size_t kBlock = 4096;
      if (text.size() - pos > kBlock) {
        const int n = static_cast<int>(count_newlines(text.data() + pos, kBlock));
        if (line + n < want) {
          line += n;
          pos += kBlock;
          continue;
        }
      }
      const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
      if (!nl) {
        pos = std::string_view::npos;
        break;
      }
      pos = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
      ++line;
    }
    out.push_back(line == want && pos != std::string_view::npos && pos <= text.size() ? pos : std::string_view::npos);
  }
  return out;
}

expfmt::Format sniff_format(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  std::size_t nl = text.rfind('\n');
  std::string_view last = nl == std::string_view::npos ? text : text.substr(nl + 1);
  return last == "# EOF" ? expfmt::Format::openmetrics : expfmt::Format::text;
}

} // namespace nsmon::lint
