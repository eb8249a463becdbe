#include "nsmon/watch/format.hpp"

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

} // namespace nsmon::watch::fmt
