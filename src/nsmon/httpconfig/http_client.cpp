#include "nsmon/httpconfig/http_client.hpp"

#include "nsmon/httpconfig/rows.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::httpconfig {

namespace {

// clang-format off
const std::vector<Rule> kHttpClientRules = {
  {Kind::at_most_one, {"bearer_token", "bearer_token_file"}, {}, "at most one of bearer_token & bearer_token_file must be configured"},
  {Kind::conflict, {"basic_auth", "oauth2"}, {"bearer_token", "bearer_token_file"}, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"},
  {Kind::at_most_one, {"basic_auth.username", "basic_auth.username_file", "basic_auth.username_ref"}, {}, "at most one of basic_auth username, username_file & username_ref must be configured"},
  {Kind::at_most_one, {"basic_auth.password", "basic_auth.password_file", "basic_auth.password_ref"}, {}, "at most one of basic_auth password, password_file & password_ref must be configured"},
  {Kind::conflict, {"authorization"}, {"bearer_token", "bearer_token_file"}, "authorization is not compatible with bearer_token & bearer_token_file"},
  {Kind::at_most_one, {"authorization.credentials", "authorization.credentials_file", "authorization.credentials_ref"}, {}, "at most one of authorization credentials & credentials_file must be configured"},
  {Kind::conflict, {"basic_auth", "oauth2"}, {"authorization"}, "at most one of basic_auth, oauth2 & authorization must be configured"},
  {Kind::at_most_one, {"basic_auth", "oauth2"}, {}, "at most one of basic_auth, oauth2 & authorization must be configured"},
  {Kind::required, {"oauth2.client_id"}, {}, "oauth2 client_id must be configured", "oauth2"},
  {Kind::required, {"oauth2.token_url"}, {}, "oauth2 token_url must be configured", "oauth2"},
  {Kind::conflict, {"proxy_from_environment"}, {"proxy_url"}, "if proxy_from_environment is configured, proxy_url must not be configured"},
  {Kind::required, {"proxy_url"}, {}, "if no_proxy is configured, proxy_url must also be configured", "no_proxy"},
  {Kind::required, {"proxy_url", "proxy_from_environment"}, {}, "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured", "proxy_connect_header"},
};
// clang-format on

const Names kBasicAuth = {"username", "username_file", "username_ref", "password", "password_file", "password_ref"};
const Names kAuthorization = {"type", "credentials", "credentials_file", "credentials_ref"};
const Names kOAuth2 = {"client_id",
                       "client_secret",
                       "client_secret_file",
                       "client_secret_ref",
                       "client_certificate_key_id",
                       "client_certificate_key",
                       "client_certificate_key_file",
                       "client_certificate_key_ref",
                       "grant_type",
                       "signature_algorithm",
                       "iss",
                       "audience",
                       "claims",
                       "scopes",
                       "token_url",
                       "endpoint_params",
                       "tls_config",
                       "proxy_url",
                       "no_proxy",
                       "proxy_from_environment",
                       "proxy_connect_header"};
const Names kTls = {"ca",
                    "cert",
                    "key",
                    "ca_file",
                    "cert_file",
                    "key_file",
                    "ca_ref",
                    "cert_ref",
                    "key_ref",
                    "server_name",
                    "insecure_skip_verify",
                    "min_version",
                    "max_version"};

} // namespace

// The fields of the HTTP client that are not its defaults (Kubernetes SD compares with them).
const std::vector<std::string_view> kCustomHttpClient = {
    "basic_auth",  "authorization", "oauth2",   "bearer_token",           "bearer_token_file",
    "tls_config",  "proxy_url",     "no_proxy", "proxy_from_environment", "proxy_connect_header",
    "http_headers"};

using Names = std::vector<std::string>;
const std::vector<std::string> kHttpClientFields = {
    "basic_auth",       "authorization", "oauth2",    "bearer_token", "bearer_token_file",      "tls_config",
    "follow_redirects", "enable_http2",  "proxy_url", "no_proxy",     "proxy_from_environment", "proxy_connect_header",
    "http_headers"};

// clang-format off
// Headers remote write/read and tracing set themselves (config.go's reservedHeaders).
const std::vector<std::string_view> kReservedHeaders = {"authorization",
                                                        "host",
                                                        "content-encoding",
                                                        "content-length",
                                                        "content-type",
                                                        "user-agent",
                                                        "connection",
                                                        "keep-alive",
                                                        "proxy-authenticate",
                                                        "proxy-authorization",
                                                        "www-authenticate",
                                                        "accept-encoding",
                                                        "x-prometheus-remote-write-version",
                                                        "x-prometheus-remote-read-version",
                                                        "x-prometheus-scrape-timeout-seconds",
                                                        "x-amz-date",
                                                        "x-amz-security-token",
                                                        "x-amz-content-sha256"};
// clang-format on

void check_tls(core::YamlReader& y, const yaml::Node& m, std::string_view path) {
  fields(y, m, path, kTls);
  // clang-format off
  static const std::vector<Rule> rules = {
    {Kind::one_of, {"min_version"}, {"TLS10", "TLS11", "TLS12", "TLS13"}, "unknown TLS version:"},
    {Kind::one_of, {"max_version"}, {"TLS10", "TLS11", "TLS12", "TLS13"}, "unknown TLS version:"},
    {Kind::at_most_one, {"ca", "ca_file", "ca_ref"}, {}, "at most one of ca, ca_file & ca_ref must be configured"},
    {Kind::at_most_one, {"cert", "cert_file", "cert_ref"}, {}, "at most one of cert, cert_file & cert_ref must be configured"},
    {Kind::at_most_one, {"key", "key_file", "key_ref"}, {}, "at most one of key and key_file must be configured"},
  };
  // clang-format on
  auto n = get(m, path);
  if (!n || !n.is_map()) return;
  apply(y, n, rules);
  // A client certificate and its key come together (common/config's usingClientCert/Key).
  auto any = [&](std::initializer_list<std::string_view> fs) {
    yaml::Node at;
    for (auto f : fs)
      if (set(n, f) && !at) at = get(n, f);
    return at;
  };
  auto cert = any({"cert", "cert_file", "cert_ref"}), key = any({"key", "key_file", "key_ref"});
  if (cert && !key)
    report(y, cert, "config/missing-field",
           "exactly one of key or key_file must be configured when a client certificate is configured");
  else if (key && !cert)
    report(y, key, "config/missing-field",
           "exactly one of cert or cert_file must be configured when a client key is configured");
}

void check_inline_http_client(core::YamlReader& y, const yaml::Node& m) {
  if (!m || !m.is_map()) return;
  apply(y, m, kHttpClientRules);
  fields(y, m, "basic_auth", kBasicAuth);
  fields(y, m, "authorization", kAuthorization);
  fields(y, m, "oauth2", kOAuth2);
  check_tls(y, m, "tls_config");
  check_tls(y, m, "oauth2.tls_config");
  // OAuth2's credentials depend on the grant type: a client certificate key for JWT bearer, a
  // client secret otherwise.
  if (auto o = get(m, "oauth2"); o && o.is_map()) {
    bool jwt = value(o, "grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer";
    // clang-format off
    static const std::vector<Rule> jwt_rules = {
      {Kind::at_most_one, {"client_certificate_key", "client_certificate_key_file", "client_certificate_key_ref"}, {}, "at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=urn:ietf:params:oauth:grant-type:jwt-bearer"},
      {Kind::one_of, {"signature_algorithm"}, {"RS256", "RS384", "RS512"}, "valid signature algorithms are RS256, RS384 and RS512, got {}"},
    };
    static const std::vector<Rule> secret_rules = {
      {Kind::at_most_one, {"client_secret", "client_secret_file", "client_secret_ref"}, {}, "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials"},
    };
    // clang-format on
    apply(y, o, jwt ? jwt_rules : secret_rules);
  }
  // http_headers: name -> {values, secrets, files}; the headers the client sets itself are refused
  // (common/config's ReservedHeaders, compared in canonical form, i.e. any case).
  if (auto h = get(m, "http_headers"); h && h.is_map())
    for (auto it = h.begin(); it != h.end(); ++it) {
      if (!it->first.is_scalar()) continue;
      if (contains(kReservedHeaders, lower(std::string(it->first.scalar()))))
        report(y, it->first, "config/invalid-value",
               "setting header \"" + text::go::canonical_header_key(std::string(it->first.scalar())) +
                   "\" is not allowed");
      if (it->second.is_map()) y.check_mapping(it->second, {"values", "secrets", "files"}, "an HTTP header");
    }
  if (auto t = get(m, "authorization.type"); t && t.is_scalar() && lower(std::string(t.scalar())) == "basic")
    report(y, t, "config/invalid-value", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
}

void check_http_client(core::YamlReader& y, const yaml::Node& m) {
  if (!m || m.is_null()) return;
  if (!y.check_mapping(m, kHttpClientFields, "http_config")) return;
  check_inline_http_client(y, m);
}

void check_tls_config(core::YamlReader& y, const yaml::Node& parent, std::string_view key) {
  check_tls(y, parent, key);
}

} // namespace nsmon::httpconfig
