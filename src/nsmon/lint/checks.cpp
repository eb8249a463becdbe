#include <algorithm>
#include <nlohmann/json.hpp>

#include "nsmon/lint/lint.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::lint {

namespace {

std::string effective_severity(const CheckInfo& c, const Policy& policy) {
  std::string id(c.id);
  if (policy.disabled.count(id)) return "off";
  auto it = policy.severity_override.find(id);
  return core::to_string(it != policy.severity_override.end() ? it->second : c.severity);
}

} // namespace

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

std::string render_checks_table(const Policy& policy, std::string_view prefix) {
  std::vector<std::vector<std::string>> rows = {{"CHECK", "SEVERITY", "SUMMARY"}};
  for (const auto& c : checks())
    if (c.id.substr(0, prefix.size()) == prefix)
      rows.push_back({std::string(c.id), effective_severity(c, policy), std::string(c.summary)});
  return util::render_table(rows);
}

std::string render_checks_json(const Policy& policy, std::string_view prefix) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& c : checks())
    if (c.id.substr(0, prefix.size()) == prefix)
      arr.push_back({{"id", c.id}, {"severity", effective_severity(c, policy)}, {"summary", c.summary}});
  return arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace nsmon::lint
