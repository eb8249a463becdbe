#pragma once
#include <string_view>

#include "nsmon/core/yaml.hpp"

// Prometheus's HTTP client configuration (common/config's HTTPClientConfig) given as a mapping of
// its own, as Alertmanager's http_config is: the same checks prometheus.yml's scrape jobs get.

namespace nsmon::rules {

/// The fields of `m` (unknown ones refused), then common/config's rules: at most one of
/// basic_auth, authorization, oauth2 and bearer_token; each secret inline or in its *_file, not
/// both; oauth2's client_id and token_url; tls_config's versions and certificate/key pairs; proxy
/// settings. Findings are config/* as in prometheus.yml. A null `m` is not checked.
void check_http_client(core::YamlReader& y, const yaml::Node& m);

/// The tls_config at `key` of `parent`, when set: its fields, TLS versions, certificate and key.
void check_tls_config(core::YamlReader& y, const yaml::Node& parent, std::string_view key);

} // namespace nsmon::rules
