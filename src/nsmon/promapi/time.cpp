#include "nsmon/promapi/time.hpp"

#include <charconv>
#include <chrono>
#include <cmath>

#include "nsmon/text/duration.hpp"
#include "nsmon/text/time.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::promapi {

namespace {

std::optional<double> parse_number(std::string_view s) {
  double v = 0;
  if (s.empty() || s.front() == '+') return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// RFC 3339 as Go's time.Parse reads it (text/time.hpp), to the millisecond: the API's resolution.
std::optional<double> parse_rfc3339(std::string_view s) {
  auto ms = text::parse_rfc3339_ms(s);
  if (!ms) return std::nullopt;
  return static_cast<double>(*ms) / 1000.0;
}

} // namespace

std::optional<double> parse_time(std::string_view s, double now) {
  s = util::trim(s);
  if (s == "now") return now;
  std::string_view rel;
  int sign = -1;
  if (util::starts_with(s, "now-") || util::starts_with(s, "now+")) {
    sign = s[3] == '-' ? -1 : 1;
    rel = s.substr(4);
  } else if (s.size() > 1 && s[0] == '-' && !(s.back() >= '0' && s.back() <= '9')) {
    rel = s.substr(1); // "-15m"; "-15" stays a (negative) Unix time
  }
  if (!rel.empty()) {
    auto ms = text::parse_duration(rel);
    if (!ms) return std::nullopt;
    return now + sign * static_cast<double>(*ms) / 1000.0;
  }
  if (s.size() >= 10 && s[4] == '-') return parse_rfc3339(s);
  return parse_number(s);
}

std::optional<double> parse_step(std::string_view s) {
  std::optional<double> v = text::parse_seconds(s);
  if (!v || *v <= 0) return std::nullopt;
  return v;
}

double default_step(double start, double end) { return std::max(std::floor((end - start) / 250.0), 1.0); }

std::string format_time(double t) {
  // Milliseconds are what Prometheus keeps; print without trailing zeros.
  double ms = std::round(t * 1000.0);
  std::string out = util::format_number(ms / 1000.0);
  return out;
}

double now_seconds() {
  using namespace std::chrono;
  return static_cast<double>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()) / 1000.0;
}

} // namespace nsmon::promapi
