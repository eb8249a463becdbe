#include "nsmon/text/duration.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "nsmon/text/go.hpp"

namespace nsmon::text {

std::optional<std::int64_t> parse_duration(std::string_view s, std::string* error_out) {
  std::string ignored;
  std::string& error = error_out ? *error_out : ignored;
  if (s == "0") return 0;
  if (s.empty()) {
    error = "empty duration string";
    return std::nullopt;
  }
  struct Unit {
    std::string_view name;
    int pos;
    std::uint64_t ns;
  };
  static constexpr std::array<Unit, 7> units = {{{"y", 1, 365ULL * 24 * 3600 * 1000000000ULL},
                                                 {"w", 2, 7ULL * 24 * 3600 * 1000000000ULL},
                                                 {"d", 3, 24ULL * 3600 * 1000000000ULL},
                                                 {"h", 4, 3600ULL * 1000000000ULL},
                                                 {"m", 5, 60ULL * 1000000000ULL},
                                                 {"s", 6, 1000000000ULL},
                                                 {"ms", 7, 1000000ULL}}};
  const std::string orig(s);
  auto invalid = [&]() -> std::optional<std::int64_t> {
    error = "not a valid duration string: " + go::quote(orig);
    return std::nullopt;
  };
  std::uint64_t dur = 0;
  int last_pos = 0;
  constexpr std::uint64_t limit = 1ULL << 63;
  while (!s.empty()) {
    if (s[0] < '0' || s[0] > '9') return invalid();
    std::size_t i = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    auto v = go::parse_uint(s.substr(0, i));
    if (!v) return invalid();
    s.remove_prefix(i);
    i = 0;
    while (i < s.size() && (s[i] < '0' || s[i] > '9')) ++i;
    if (i == 0) return invalid();
    std::string_view u = s.substr(0, i);
    s.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const auto& cand : units)
      if (cand.name == u) unit = &cand;
    if (!unit) {
      error = "unknown unit " + go::quote(u) + " in duration " + go::quote(orig);
      return std::nullopt;
    }
    if (unit->pos <= last_pos) return invalid();
    last_pos = unit->pos;
    if (*v > limit / unit->ns) {
      error = "duration out of range";
      return std::nullopt;
    }
    dur += *v * unit->ns;
    if (dur > limit - 1) {
      error = "duration out of range";
      return std::nullopt;
    }
  }
  return static_cast<std::int64_t>(dur / 1000000ULL);
}

std::string format_duration(std::int64_t ms) {
  if (ms == 0) return "0s";
  std::string sign;
  std::uint64_t v = static_cast<std::uint64_t>(ms);
  if (ms < 0) {
    sign = "-";
    v = ~v + 1;
  }
  std::string r;
  auto unit = [&](const char* name, std::uint64_t mult, bool exact) {
    if (exact && v % mult != 0) return;
    if (std::uint64_t n = v / mult; n > 0) {
      r += std::to_string(n) + name;
      v -= n * mult;
    }
  };
  unit("y", 1000ULL * 60 * 60 * 24 * 365, true);
  unit("w", 1000ULL * 60 * 60 * 24 * 7, true);
  unit("d", 1000ULL * 60 * 60 * 24, false);
  unit("h", 1000ULL * 60 * 60, false);
  unit("m", 1000ULL * 60, false);
  unit("s", 1000ULL, false);
  unit("ms", 1, false);
  return sign + r;
}

std::optional<double> parse_seconds(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  s = first == std::string_view::npos ? std::string_view() : s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
  if (auto ms = parse_duration(s)) return static_cast<double>(*ms) / 1000.0;
  double v = 0;
  if (s.empty() || s.front() == '+') return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

} // namespace nsmon::text
