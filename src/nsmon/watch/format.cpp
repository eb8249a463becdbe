#include "nsmon/watch/format.hpp"

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

} // namespace nsmon::watch::fmt
