#pragma once
// httpconfig/: Prometheus's common/config: the HTTP client configuration (`http_client.*`:
// http_config, tls_config, oauth2, proxy, headers) that prometheus.yml and alertmanager.yml share,
// and the rows its checks and prometheus.yml's are written in (`rows.*`).

#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/yaml.hpp"

// Prometheus's HTTP client configuration (common/config's HTTPClientConfig) given as a mapping of
// its own, as Alertmanager's http_config is: the same checks prometheus.yml's scrape jobs get.

namespace nsmon::httpconfig {

/// The fields of `m` (unknown ones refused), then common/config's rules: at most one of
/// basic_auth, authorization, oauth2 and bearer_token; each secret inline or in its *_file, not
/// both; oauth2's client_id and token_url; tls_config's versions and certificate/key pairs; proxy
/// settings. Findings are config/* as in prometheus.yml. A null `m` is not checked.
void check_http_client(core::YamlReader& y, const yaml::Node& m);

/// The tls_config at `key` of `parent`, when set: its fields, TLS versions, certificate and key.
void check_tls_config(core::YamlReader& y, const yaml::Node& parent, std::string_view key);

/// The HTTP client fields inlined in `m` (a scrape job, an SD config, a remote endpoint...): the
/// rules of check_http_client, the other fields of `m` left to its caller.
void check_inline_http_client(core::YamlReader& y, const yaml::Node& m);

/// A tls_config at `path` of `m`: its fields and TLS versions.
void check_tls(core::YamlReader& y, const yaml::Node& m, std::string_view path);

/// The HTTP client's fields (common/config's yaml tags), inlined where a section embeds it.
extern const std::vector<std::string> kHttpClientFields;
/// The fields of the HTTP client that are not its defaults (Kubernetes SD compares with them).
extern const std::vector<std::string_view> kCustomHttpClient;
/// Headers the clients set themselves, lower case (config.go's reservedHeaders).
extern const std::vector<std::string_view> kReservedHeaders;

} // namespace nsmon::httpconfig
