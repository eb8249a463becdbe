#include "nsmon/util/duration.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "nsmon/util/strings.hpp"

namespace nsmon::util {

namespace {
struct Unit {
  std::string_view name;
  std::int64_t ms;
};
constexpr std::array<Unit, 7> kUnits = {{{"y", 365LL * 24 * 3600 * 1000},
                                         {"w", 7LL * 24 * 3600 * 1000},
                                         {"d", 24LL * 3600 * 1000},
                                         {"h", 3600LL * 1000},
                                         {"m", 60LL * 1000},
                                         {"s", 1000},
                                         {"ms", 1}}};
} // namespace

std::optional<double> parse_seconds(std::string_view s) {
  s = trim(s);
  if (auto ms = parse_duration(s)) return static_cast<double>(*ms) / 1000.0;
  double v = 0;
  if (s.empty() || s.front() == '+') return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_duration(std::string_view s) {
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t next_unit = 0, i = 0;
  while (i < s.size()) {
    std::int64_t n = 0;
    std::size_t start = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (n > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return std::nullopt;
      n = n * 10 + (s[i] - '0');
    }
    if (i == start) return std::nullopt;
    // "ms" must be tried before "m".
    std::size_t u = next_unit;
    for (; u < kUnits.size(); ++u) {
      auto name = kUnits[u].name;
      bool match = s.substr(i, name.size()) == name && !(name == "m" && s.substr(i, 2) == "ms");
      if (match) break;
    }
    if (u == kUnits.size()) return std::nullopt;
    if (n > std::numeric_limits<std::int64_t>::max() / kUnits[u].ms) return std::nullopt;
    std::int64_t add = n * kUnits[u].ms;
    if (total > std::numeric_limits<std::int64_t>::max() - add) return std::nullopt;
    total += add;
    i += kUnits[u].name.size();
    next_unit = u + 1;
  }
  return total;
}

std::string format_duration(std::int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (const auto& u : kUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + std::string(u.name);
      ms %= u.ms;
    }
  }
  return out;
}

} // namespace nsmon::util
