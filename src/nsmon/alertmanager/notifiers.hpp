#pragma once
// Every receiver kind of Alertmanager 0.25 and later (config/notifiers.go, notify/*/config.go),
// one row each: its fields, URLs, secrets with a *_file twin, and what it requires (with the
// global fields that can stand in). Internal to alertmanager/: config.cpp reads the rows.
#include <string>
#include <string_view>
#include <vector>

namespace nsmon::alertmanager::detail {

/// One of `any` must be set in the config, or one of `global` under global:, else `message`.
struct Required {
  std::vector<std::string_view> any;
  std::vector<std::string_view> global;
  std::string_view message;
};

/// A field whose value must be one of `values` (a templated value is not checked).
struct OneOf {
  std::string_view field;
  std::vector<std::string_view> values;
  std::string_view message;
};

struct NotifierKind {
  std::string_view key;                      ///< "webhook_configs"
  std::vector<std::string> fields;           ///< every field but send_resolved and http_config
  bool http = true;                          ///< has an http_config
  bool null_refused = true;                  ///< `- ` (a null entry): "missing ... config"; else read as empty
  std::vector<std::string_view> urls;        ///< URL fields (http or https with a host)
  std::vector<std::string_view> secret_urls; ///< URL fields that are secrets (never shown)
  std::vector<std::string_view> secrets;     ///< secrets that have a *_file twin
  std::vector<Required> required;
  std::vector<OneOf> one_of;
  std::vector<std::string_view> durations;
};

const std::vector<NotifierKind>& notifier_kinds();

/// The functions Alertmanager's templates may call (template/template.go's DefaultFuncs, and
/// Go's builtins).
bool known_template_function(std::string_view name);

} // namespace nsmon::alertmanager::detail
