#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/yaml.hpp"

// The semantic checks of Prometheus's config loader (config/config.go, model/relabel, discovery/*),
// apart from the typed model that config.cpp builds; common/config's HTTP client is httpconfig/.
// One file per section, as Prometheus's config package splits them: config_validate.cpp (global,
// scrape fields, alerting, storage, tracing, otlp, runtime), config_sd.cpp, config_relabel.cpp,
// config_remote.cpp, config_types.cpp. Internal to rules/: config.cpp calls these on the sections
// it reads.

namespace nsmon::rules::detail {

/// A label name under a validation scheme: legacy ([a-zA-Z_][a-zA-Z0-9_]*) or UTF-8 (any non-empty
/// valid UTF-8, Prometheus 3's default).
bool valid_label_name(std::string_view s, bool legacy);

/// A word character of Go's regexp (\w): ASCII letter, digit or underscore.
bool word_char(char c);

/// The headers of remote write/read (`tracing`: of tracing) may not set what the client sets itself.
void check_headers(core::YamlReader& y, const yaml::Node& h, bool tracing);

/// Checks of prometheus.yml's sections, reporting through the loader's YamlReader.
class ConfigValidator {
public:
  explicit ConfigValidator(core::YamlReader& y) : y_(y) {}

  /// relabel_configs, metric_relabel_configs, alert_relabel_configs, write_relabel_configs: a list
  /// of relabel rules; `empty_message` is Prometheus's words for a null entry; `legacy`: label
  /// names under the legacy validation scheme (else UTF-8, Prometheus 3's default).
  void relabels(const yaml::Node& list, const std::string& empty_message, bool legacy = false);
  /// True when a scrape job's label names are validated the legacy way (its scheme, else global's).
  static bool legacy_names(const yaml::Node& job, const yaml::Node& global);
  /// The HTTP client fields inlined in `m` (a scrape job, an SD config, a remote endpoint...).
  void http_client(const yaml::Node& m);
  /// An entry of alerting.alertmanagers: API version, scheme, HTTP client, service discovery.
  void alertmanager(const yaml::Node& am);
  /// Every `*_sd_configs` key of `m`: known kinds only, each entry's required fields and conflicts.
  void service_discovery(const yaml::Node& m);
  /// The fields of a scrape config that the typed model does not read (`is_global`: the same
  /// fields in global, where some words differ).
  void scrape_fields(const yaml::Node& job, const yaml::Node& global, bool is_global = false);
  void global(const yaml::Node& g);
  void remote_write(const yaml::Node& list);
  void remote_read(const yaml::Node& list);
  void storage(const yaml::Node& s);
  void tracing(const yaml::Node& t);
  /// otlp; `global`: its translation strategy must keep UTF-8 names only under UTF-8 validation.
  void otlp(const yaml::Node& o, const yaml::Node& global);
  void runtime(const yaml::Node& r);
  /// rule_files or scrape_config_files: globs only in the last path element.
  void file_patterns(const yaml::Node& list, const std::string& what);

  /// A remote write endpoint's azuread section (storage/remote/azuread's Validate).
  void azuread(const yaml::Node& a);

  /// Every typed scalar field under `root` (config_types.cpp): bools and integers as yaml.v2
  /// decodes them into Prometheus's structs; `"true"` or `maybe` for a bool does not load.
  void scalar_types(const yaml::Node& root);

  /// True for the `*_sd_configs` keys Prometheus knows.
  static bool known_sd_key(const std::string& key);

  /// A tls_config at `path` of `m`: its fields and TLS versions.
  void tls(const yaml::Node& m, std::string_view path);

private:
  /// The mapping at `path` of `m`, when set, has only `allowed` fields.
  void fields(const yaml::Node& m, std::string_view path, const std::vector<std::string>& allowed);

  core::YamlReader& y_;
};

} // namespace nsmon::rules::detail
