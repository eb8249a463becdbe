#include "nsmon/core/yaml_split.hpp"

#include <algorithm>
#include <cstring>

namespace nsmon::yaml::detail {

namespace {

constexpr unsigned kMaxParts = 8;
constexpr std::size_t kWindow = 64 << 10; // how far past the ideal cut an entry is looked for

// A line "- ..." (an entry of a block sequence), with the column of its "-".
struct Entry {
  std::size_t begin = 0;
  std::size_t column = SIZE_MAX;
};

// The leftmost entry of the lines that begin in [from, to), the first of equals; from is a line
// start.
Entry leftmost_entry(std::string_view text, std::size_t from, std::size_t to) {
  Entry best;
  for (std::size_t at = from; at < to && at < text.size();) {
    std::size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(at, eol - at);
    std::size_t i = line.find_first_not_of(' ');
    if (i != std::string_view::npos && i < best.column && line[i] == '-' &&
        (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t' || line[i + 1] == '\r'))
      best = {at, i};
    at = eol + 1;
  }
  return best;
}

} // namespace

SplitPlan plan_split(std::string_view text, unsigned parts) {
  SplitPlan plan;
  parts = std::min(parts, kMaxParts);
  if (parts < 2) return plan;
  std::vector<std::size_t> cuts;
  for (unsigned i = 1; i < parts; ++i) {
    std::size_t target = text.size() / parts * i;
    std::size_t nl = text.find('\n', target);
    if (nl == std::string_view::npos) break;
    Entry e = leftmost_entry(text, nl + 1, nl + 1 + kWindow);
    if (e.column == SIZE_MAX) return {};
    if (plan.column >= 0 && e.column != static_cast<std::size_t>(plan.column)) return {}; // not one sequence
    plan.column = static_cast<int>(e.column);
    if (cuts.empty() || e.begin > cuts.back()) cuts.push_back(e.begin);
  }
  if (cuts.empty()) return {};
  // The line of each cut.
  plan.parts = {Part{0, 0}};
  int line = 0;
  std::size_t pos = 0;
  for (std::size_t cut : cuts) {
    for (const char* nl; (nl = static_cast<const char*>(std::memchr(text.data() + pos, '\n', cut - pos)));) {
      ++line;
      pos = static_cast<std::size_t>(nl - text.data()) + 1;
    }
    plan.parts.push_back(Part{cut, line});
  }
  return plan;
}

} // namespace nsmon::yaml::detail
