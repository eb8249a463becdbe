#include <algorithm>

#include "nsmon/lint/lint.hpp"

namespace nsmon::lint {

const std::vector<CheckInfo>& checks() {
  static const std::vector<CheckInfo> all = core::checks_in(core::CheckSection::lint);
  return all;
}

const CheckInfo* find_check(std::string_view id) {
  const auto& all = checks();
  auto it =
      std::lower_bound(all.begin(), all.end(), id, [](const CheckInfo& c, std::string_view v) { return c.id < v; });
  return it != all.end() && it->id == id ? &*it : nullptr;
}

} // namespace nsmon::lint
