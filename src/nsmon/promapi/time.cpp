#include "nsmon/promapi/time.hpp"

#include <charconv>
#include <chrono>
#include <cmath>

#include "nsmon/text/duration.hpp"
#include "nsmon/util/duration.hpp"
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

// Reads exactly n digits at s[i..]; advances i.
bool digits(std::string_view s, std::size_t& i, int n, int& out) {
  out = 0;
  for (int k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool expect(std::string_view s, std::size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : d[m - 1];
}

// RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), as Go's time.RFC3339Nano reads it.
std::optional<double> parse_rfc3339(std::string_view s) {
  std::size_t i = 0;
  int y, mo, d, h, mi, sec;
  if (!digits(s, i, 4, y) || !expect(s, i, '-') || !digits(s, i, 2, mo) || !expect(s, i, '-') || !digits(s, i, 2, d))
    return std::nullopt;
  if (i >= s.size() || (s[i] != 'T' && s[i] != 't')) return std::nullopt;
  ++i;
  if (!digits(s, i, 2, h) || !expect(s, i, ':') || !digits(s, i, 2, mi) || !expect(s, i, ':') || !digits(s, i, 2, sec))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  double frac = 0;
  if (i < s.size() && s[i] == '.') {
    std::size_t from = i++;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == from + 1 || i - from > 10) return std::nullopt;
    frac = *parse_number(std::string("0") + std::string(s.substr(from, i - from)));
  }
  long long offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) ++i;
  else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int sign = s[i++] == '-' ? -1 : 1, oh, om;
    if (!digits(s, i, 2, oh) || !expect(s, i, ':') || !digits(s, i, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset = sign * (oh * 3600LL + om * 60LL);
  } else return std::nullopt;
  if (i != s.size()) return std::nullopt;
  long long secs = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400LL + h * 3600LL +
                   mi * 60LL + sec - offset;
  return static_cast<double>(secs) + frac;
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
  std::optional<double> v = util::parse_seconds(s);
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
