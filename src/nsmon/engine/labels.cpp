// Label sets and sample values: the small pieces every part of the engine shares.
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#include "nsmon/engine/engine.hpp"

namespace nsmon::engine {

const std::string& get(const Labels& ls, std::string_view name) {
  static const std::string empty;
  for (const auto& [k, v] : ls)
    if (k == name) return v;
  return empty;
}

namespace {
void quote(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
}
} // namespace

std::string to_string(const Labels& ls) {
  std::string out = get(ls, "__name__");
  out += '{';
  bool first = true;
  for (const auto& [k, v] : ls) {
    if (k == "__name__") continue;
    if (!first) out += ", ";
    first = false;
    out += k;
    out += '=';
    quote(out, v);
  }
  out += '}';
  return out;
}

// Prometheus's value.StaleNaN: 0x7ff0000000000002.
constexpr std::uint64_t kStaleBits = 0x7ff0000000000002ULL;
double stale_nan() { return std::bit_cast<double>(kStaleBits); }
bool is_stale_nan(double v) { return std::bit_cast<std::uint64_t>(v) == kStaleBits; }

} // namespace nsmon::engine
