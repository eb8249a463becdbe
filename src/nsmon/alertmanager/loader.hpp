#pragma once
// The loader of alertmanager.yml (load_config), shared by config.cpp (the file, global:, routes,
// inhibit rules, time intervals, and the checks of single fields: durations, URLs, secrets,
// placeholders) and receivers.cpp (receivers and each entry of their *_configs lists). Not part of
// the public API.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/alertmanager/notifiers.hpp"
#include "nsmon/core/yaml.hpp"

namespace nsmon::alertmanager::detail {

using Fields = std::vector<std::string>;

/// Whether a field has a value (not missing, null or empty).
bool present(const yaml::Node& n);
/// The key node of `key` in a mapping (where to point about the key itself), or the mapping.
yaml::Node key_node(const yaml::Node& map, const std::string& key);

class Loader {
public:
  Loader(const core::SourceFile& src, std::vector<core::Diagnostic>& diags, Config& cfg, const LoadOptions& options);
  void run();

private:
  // Single fields (config.cpp).
  void newer(const yaml::Node& map, std::string_view where);
  bool has_field(std::string_view where, std::string_view field) const;
  std::vector<yaml::Node> list(const yaml::Node& n, const std::string& what);
  std::optional<core::Located> text(const yaml::Node& parent, const char* key, std::string_view what);
  std::vector<core::Located> texts(const yaml::Node& parent, const char* key);
  std::optional<std::int64_t> duration(const yaml::Node& parent, const char* key);
  void url(const yaml::Node& parent, const char* key, bool secret);
  void secret(const yaml::Node& parent, const std::string& key, std::string_view where, std::string_view context,
              bool is_url, bool refused = true);
  void userinfo(const yaml::Node& parent, const std::string& key, std::string_view where, std::string_view context,
                bool shown, bool file_twin);
  void hide(const yaml::Node& n);
  void placeholders(const yaml::Node& n, std::string_view key = {});
  bool is_hidden(const yaml::Node& n) const;
  void host_port(const yaml::Node& parent, const char* key, std::string_view where);

  // Sections (config.cpp).
  void global(const yaml::Node& g, Config& cfg);
  void matchers(const yaml::Node& parent, const std::string& prefix, std::vector<core::Located>* out, bool* has_match,
                std::vector<Matcher>& all, std::vector<std::size_t>* match_re = nullptr);
  std::optional<Route> route(const yaml::Node& n, const std::string* parent = nullptr);
  void root_route(const yaml::Node& n, const Route& r);
  void inhibit_rule(const yaml::Node& n, Config& cfg);
  void time_interval(const yaml::Node& n, Config& cfg);
  TimeIntervalSpec interval(const yaml::Node& i);

  // Receivers (receivers.cpp).
  void receiver(const yaml::Node& n, Config& cfg);
  Notifier values(const NotifierKind& kind, const yaml::Node& c);
  void flatten(const std::string& path, const yaml::Node& n, Notifier& out);
  void notifier(const NotifierKind& kind, const yaml::Node& c, const Config& cfg, Receiver& r);
  std::string required_message(const NotifierKind& kind, const Required& r) const;
  void required(const NotifierKind& kind, const yaml::Node& c, const yaml::Node& at, const Config& cfg,
                const std::string& where);
  void check_templates(const yaml::Node& n, const std::string& where, Receiver& r);
  void references(const yaml::Node& n, Receiver& r);

  core::YamlReader y_;
  Config& cfg_;
  const std::vector<core::Diagnostic>& diags_;
  Version version_;
};

} // namespace nsmon::alertmanager::detail
