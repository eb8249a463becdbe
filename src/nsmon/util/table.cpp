#include "nsmon/util/table.hpp"

#include <algorithm>

#include "nsmon/util/humanize.hpp"

namespace nsmon::util {

std::string render_table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
  std::vector<std::size_t> widths;
  for (const auto& r : rows) {
    if (widths.size() < r.size()) widths.resize(r.size(), 0);
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], fmt::width(r[i]));
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const std::string pad(widths[i] - fmt::width(r[i]), ' ');
      const bool to_right = i < right.size() && right[i];
      line += to_right ? pad + r[i] : r[i];
      if (i + 1 < r.size()) line += (to_right ? "" : pad) + "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

} // namespace nsmon::util
