#pragma once
// What each integration of Alertmanager 0.25 renders (notify/*/, config/notifiers.go): its
// templated fields with their defaults, and whether it sends resolved alerts by default. Internal
// to alertmanager/: dispatch.cpp reads the rows.
#include <string_view>
#include <vector>

namespace nsmon::alertmanager::detail {

/// A templated field and the template it has when the config leaves it out ("" for none).
struct Rendered {
  std::string_view field;
  std::string_view default_template;
};

struct Integration {
  std::string_view key; ///< "slack_configs"
  bool send_resolved = false;
  std::vector<Rendered> fields;
  /// The maps whose values are templates (PagerDuty's details): "details" renders "details.NAME".
  std::vector<std::string_view> maps;
  /// Defaults of map entries ("details.firing") the config's own entries replace.
  std::vector<Rendered> map_defaults;
  /// The map that starts as the group's common labels, its own entries rendered over them
  /// (OpsGenie's details).
  std::string_view common_labels_map = {};
};

/// The row of `key`, or nullptr for a kind whose notifications nsmon does not render.
const Integration* integration(std::string_view key);

} // namespace nsmon::alertmanager::detail
