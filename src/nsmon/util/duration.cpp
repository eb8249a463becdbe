#include "nsmon/util/duration.hpp"

#include <charconv>
#include <cmath>

#include "nsmon/text/duration.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::util {

std::optional<double> parse_seconds(std::string_view s) {
  s = trim(s);
  if (auto ms = text::parse_duration(s)) return static_cast<double>(*ms) / 1000.0;
  double v = 0;
  if (s.empty() || s.front() == '+') return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

} // namespace nsmon::util
