#include "nsmon/rules/config_validate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <re2/re2.h>
#include <set>
#include <string_view>

#include "nsmon/httpconfig/http_client.hpp"
#include "nsmon/httpconfig/rows.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules::detail {

namespace {

using namespace httpconfig;

// Every service discovery kind of Prometheus 3 (discovery/*: the key is <name>_sd_configs), with
// the rules of its UnmarshalYAML. Kinds without rows are only checked for their HTTP client.
struct SdKind {
  std::string_view name;
  std::vector<Rule> rules;
};
const std::vector<SdKind> kSdKinds = {
  {"ecs", {}}, {"elasticache", {}}, {"lightsail", {}}, {"linode", {}}, {"msk", {}}, {"rds", {}}, {"vultr", {}},
  {"kubernetes", {}}, {"ec2", {}},
  {"aws", {
    {Kind::required, {"role"}, {}, "unknown AWS SD role \"\" (one of: ec2, ecs, elasticache, lightsail, msk, rds)"},
    {Kind::one_of, {"role"}, {"ec2", "ecs", "elasticache", "lightsail", "msk", "rds"}, "unknown AWS SD role {}"},
  }},
  {"azure", {
    {Kind::one_of, {"authentication_method"}, {"OAuth", "ManagedIdentity", "SDK", "WorkloadIdentity"}, "unknown authentication_type {}. Supported types are \"OAuth\", \"ManagedIdentity\", \"SDK\" or \"WorkloadIdentity\""},
    {Kind::required, {"subscription_id"}, {}, "azure SD configuration requires a subscription_id"},
  }},
  {"consul", {
    {Kind::not_empty, {"server"}, {}, "consul SD configuration requires a server address"},
    {Kind::conflict, {"username", "password"}, {"basic_auth"}, "at most one of consul SD configuration username and password and basic auth can be configured"},
    {Kind::conflict, {"token"}, {"authorization", "oauth2"}, "at most one of consul SD token, authorization, or oauth2 can be configured"},
  }},
  {"digitalocean", {
    {Kind::not_empty, {"role"}, {}, "role missing (one of: droplets, databases)"},
    {Kind::one_of, {"role"}, {"droplets", "databases"}, "unknown DigitalOcean SD role {}"},
  }},
  {"dns", {{Kind::required, {"names"}, {}, "DNS-SD config must contain at least one SRV record name"}}},
  {"docker", {{Kind::required, {"host"}, {}, "host missing"}}},
  {"dockerswarm", {
    {Kind::required, {"host"}, {}, "host missing"},
    {Kind::required, {"role"}, {}, "role missing (one of: tasks, services, nodes)"},
    {Kind::one_of, {"role"}, {"tasks", "services", "nodes"}, "invalid role {}, expected tasks, services, or nodes"},
  }},
  {"eureka", {
    {Kind::required, {"server"}, {}, "eureka_sd: empty or null eureka server"},
    {Kind::http_url, {"server"}, {}, "eureka_sd: invalid eureka server URL"},
  }},
  {"file", {
    {Kind::required, {"files"}, {}, "file service discovery config must contain at least one path name"},
    {Kind::each_match, {"files"}, {R"(^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$)"}, "path name {} is not valid for file discovery (*.json, *.yml or *.yaml, a * only in the file name)"},
  }},
  {"gce", {
    {Kind::required, {"project"}, {}, "GCE SD configuration requires a project"},
    {Kind::required, {"zone"}, {}, "GCE SD configuration requires a zone"},
  }},
  {"hetzner", {{Kind::one_of, {"role"}, {"robot", "hcloud"}, "unknown role"}, {Kind::required, {"role"}, {}, "role missing (one of: robot, hcloud)"}}},
  {"http", {{Kind::required, {"url"}, {}, "URL is missing"}, {Kind::http_url, {"url"}, {}, "invalid URL"}}},
  {"ionos", {{Kind::required, {"datacenter_id"}, {}, "datacenter id can't be empty"}}},
  {"kuma", {{Kind::required, {"server"}, {}, "kuma SD server must not be empty"}}},
  {"marathon", {
    {Kind::required, {"servers"}, {}, "marathon_sd: must contain at least one Marathon server"},
    {Kind::at_most_one, {"auth_token", "auth_token_file"}, {}, "marathon_sd: at most one of auth_token & auth_token_file must be configured"},
    {Kind::conflict, {"basic_auth"}, {"auth_token", "auth_token_file"}, "marathon_sd: at most one of basic_auth, auth_token & auth_token_file must be configured"},
    {Kind::conflict, {"bearer_token", "bearer_token_file"}, {"auth_token", "auth_token_file"}, "marathon_sd: at most one of bearer_token, bearer_token_file, auth_token & auth_token_file must be configured"},
    {Kind::conflict, {"authorization"}, {"auth_token", "auth_token_file"}, "marathon_sd: at most one of auth_token, auth_token_file & authorization must be configured"},
  }},
  {"nerve", {
    {Kind::required, {"servers"}, {}, "nerve SD config must contain at least one Zookeeper server"},
    {Kind::required, {"paths"}, {}, "nerve SD config must contain at least one path"},
    {Kind::each_match, {"paths"}, {"^/"}, "nerve SD config paths must begin with '/': {}"},
  }},
  {"nomad", {{Kind::not_empty, {"server"}, {}, "nomad SD configuration requires a server address"}}},
  {"oci", {{Kind::one_of, {"auth"}, {"api_key", "instance_principal"}, "oci_sd: unknown auth method {}, expected \"api_key\" or \"instance_principal\""}}},
  {"openstack", {
    {Kind::one_of, {"role"}, {"hypervisor", "instance", "loadbalancer"}, "unknown OpenStack SD role"},
    {Kind::one_of, {"availability"}, {"public", "admin", "internal"}, "unknown availability {}, must be one of admin, internal or public"},
    {Kind::required, {"role"}, {}, "role missing (one of: instance, hypervisor, loadbalancer)"},
    {Kind::required, {"region"}, {}, "openstack SD configuration requires a region"},
  }},
  {"outscale", {
    {Kind::required, {"region"}, {}, "outscale SD configuration requires a region"},
    {Kind::exactly_one, {"secret_key", "secret_key_file"}, {}, "secret_key & secret_key_file must be configured"},
  }},
  {"ovhcloud", {
    {Kind::not_empty, {"endpoint"}, {}, "endpoint can not be empty"},
    {Kind::required, {"application_key"}, {}, "application key can not be empty"},
    {Kind::required, {"application_secret"}, {}, "application secret can not be empty"},
    {Kind::required, {"consumer_key"}, {}, "consumer key can not be empty"},
    {Kind::one_of, {"service"}, {"vps", "dedicated_server"}, "unknown service:"},
  }},
  {"puppetdb", {
    {Kind::required, {"url"}, {}, "URL is missing"},
    {Kind::http_url, {"url"}, {}, "invalid URL"},
    {Kind::required, {"query"}, {}, "query missing"},
  }},
  {"scaleway", {
    {Kind::one_of, {"role"}, {"instance", "baremetal"}, "unknown role"},
    {Kind::required, {"role"}, {}, "role missing (one of: instance, baremetal)"},
    {Kind::required, {"project_id"}, {}, "project_id is mandatory"},
    {Kind::required, {"access_key"}, {}, "access_key is mandatory"},
    {Kind::exactly_one, {"secret_key", "secret_key_file"}, {}, "secret_key & secret_key_file must be configured"},
  }},
  {"serverset", {
    {Kind::required, {"servers"}, {}, "serverset SD config must contain at least one Zookeeper server"},
    {Kind::required, {"paths"}, {}, "serverset SD config must contain at least one path"},
    {Kind::each_match, {"paths"}, {"^/"}, "serverset SD config paths must begin with '/': {}"},
  }},
  {"stackit", {}},
  {"triton", {
    {Kind::not_empty, {"role"}, {}, "triton SD configuration requires role to be 'container' or 'cn'"},
    {Kind::one_of, {"role"}, {"container", "cn"}, "triton SD configuration requires role to be 'container' or 'cn', got {}"},
    {Kind::required, {"account"}, {}, "triton SD configuration requires an account"},
    {Kind::required, {"dns_suffix"}, {}, "triton SD configuration requires a dns_suffix"},
    {Kind::required, {"endpoint"}, {}, "triton SD configuration requires an endpoint"},
  }},
  {"uyuni", {
    {Kind::required, {"server"}, {}, "Uyuni SD configuration requires server host"},
    {Kind::required, {"username"}, {}, "Uyuni SD configuration requires a username"},
    {Kind::required, {"password"}, {}, "Uyuni SD configuration requires a password"},
  }},
};
const Names kRemoteWrite = {"url", "remote_timeout", "headers", "write_relabel_configs", "name", "send_exemplars",
                            "send_native_histograms", "round_robin_dns", "protobuf_message", "failed_request_logging",
                            "queue_config", "metadata_config", "sigv4", "azuread", "google_iam"};
const Names kRemoteRead = {"url",  "remote_timeout", "chunked_read_limit", "headers", "read_recent",
                           "name", "required_matchers", "filter_external_labels"};
const Names kQueue = {"capacity", "max_shards", "min_shards", "max_samples_per_send", "batch_send_deadline",
                      "min_backoff", "max_backoff", "retry_on_http_429", "sample_age_limit"};
const Names kMetadata = {"send", "send_interval", "max_samples_per_send"};
const Names kTracing = {"client_type", "endpoint", "sampling_fraction", "insecure", "tls_config", "headers",
                        "compression", "timeout"};
const Names kStorage = {"tsdb", "exemplars"};
const Names kTsdb = {"out_of_order_time_window", "stale_series_compaction_threshold", "chunk_encoding", "retention"};
const Names kOtlp = {"promote_all_resource_attributes", "promote_resource_attributes", "ignore_resource_attributes",
                     "translation_strategy", "keep_identifying_resource_attributes", "convert_histograms_to_nhcb",
                     "promote_scope_metadata", "label_name_underscore_sanitization",
                     "label_name_preserve_multiple_underscores"};
// The fields of each service discovery kind (discovery/*'s SDConfig yaml tags); `http`: the HTTP
// client's fields are inlined too.
struct SdFields {
  std::string_view name;
  bool http;
  Names fields;
};
// clang-format off
const std::vector<SdFields> kSdFields = {
    {"aws", true, {"role", "region", "endpoint", "access_key", "secret_key", "profile", "role_arn", "external_id", "refresh_interval", "port", "filters", "clusters"}},
    {"ec2", true, {"endpoint", "region", "access_key", "secret_key", "profile", "role_arn", "external_id", "refresh_interval", "port", "filters"}},
    {"ecs", true, {"region", "endpoint", "access_key", "secret_key", "profile", "role_arn", "external_id", "clusters", "port", "refresh_interval", "request_concurrency"}},
    {"elasticache", true, {"region", "endpoint", "access_key", "secret_key", "profile", "role_arn", "external_id", "clusters", "port", "refresh_interval", "request_concurrency"}},
    {"lightsail", true, {"endpoint", "region", "access_key", "secret_key", "profile", "role_arn", "external_id", "refresh_interval", "port"}},
    {"msk", true, {"region", "endpoint", "access_key", "secret_key", "profile", "role_arn", "external_id", "clusters", "port", "refresh_interval", "request_concurrency"}},
    {"rds", true, {"region", "endpoint", "access_key", "secret_key", "profile", "role_arn", "external_id", "clusters", "port", "refresh_interval", "filters", "request_concurrency"}},
    {"azure", true, {"environment", "port", "subscription_id", "tenant_id", "client_id", "client_secret", "refresh_interval", "authentication_method", "resource_group"}},
    {"consul", true, {"server", "path_prefix", "token", "datacenter", "namespace", "partition", "tag_separator", "scheme", "username", "password", "allow_stale", "refresh_interval", "services", "tags", "node_meta", "filter", "health_filter"}},
    {"digitalocean", true, {"refresh_interval", "port", "role"}},
    {"dns", false, {"names", "refresh_interval", "type", "port"}},
    {"eureka", true, {"server", "refresh_interval"}},
    {"file", false, {"files", "refresh_interval"}},
    {"gce", false, {"project", "zone", "filter", "refresh_interval", "port", "tag_separator"}},
    {"hetzner", true, {"refresh_interval", "port", "role", "label_selector"}},
    {"http", true, {"refresh_interval", "url"}},
    {"ionos", true, {"datacenter_id", "refresh_interval", "port"}},
    {"kubernetes", true, {"api_server", "role", "kubeconfig_file", "namespaces", "selectors", "attach_metadata"}},
    {"kuma", true, {"refresh_interval", "fetch_timeout", "server", "client_id"}},
    {"linode", true, {"refresh_interval", "port", "tag_separator", "region"}},
    {"marathon", true, {"servers", "refresh_interval", "auth_token", "auth_token_file"}},
    {"docker", true, {"host", "port", "filters", "host_networking_host", "refresh_interval", "match_first_network"}},
    {"dockerswarm", true, {"host", "role", "port", "filters", "refresh_interval"}},
    {"nomad", true, {"allow_stale", "namespace", "refresh_interval", "region", "server", "tag_separator"}},
    {"oci", true, {"auth", "tenancy", "user", "fingerprint", "key_file", "key_passphrase", "key_passphrase_file", "region", "compartments", "port", "refresh_interval"}},
    {"openstack", false, {"identity_endpoint", "username", "userid", "password", "project_name", "project_id", "domain_name", "domain_id", "application_credential_name", "application_credential_id", "application_credential_secret", "role", "region", "refresh_interval", "port", "all_tenants", "tls_config", "availability"}},
    {"outscale", true, {"endpoint", "region", "access_key", "secret_key", "secret_key_file", "refresh_interval", "port"}},
    {"ovhcloud", false, {"endpoint", "application_key", "application_secret", "consumer_key", "refresh_interval", "service"}},
    {"puppetdb", true, {"refresh_interval", "url", "query", "include_parameters", "port"}},
    {"scaleway", true, {"project_id", "api_url", "zone", "access_key", "secret_key", "secret_key_file", "name_filter", "tags_filter", "refresh_interval", "port", "role"}},
    {"stackit", true, {"project", "refresh_interval", "port", "region", "endpoint", "service_account_key", "private_key", "service_account_key_path", "private_key_path", "credentials_file_path"}},
    {"triton", false, {"account", "role", "dns_suffix", "endpoint", "groups", "port", "refresh_interval", "tls_config", "version"}},
    {"uyuni", true, {"server", "username", "password", "entitlement", "separator", "refresh_interval"}},
    {"vultr", true, {"refresh_interval", "port"}},
    {"serverset", false, {"servers", "paths", "timeout"}},
    {"nerve", false, {"servers", "paths", "timeout"}},
};
// clang-format on

const std::vector<std::string_view> kRelabelActions = {"replace",   "keep",      "drop",     "keepequal",
                                                       "dropequal", "hashmod",   "labelmap", "labeldrop",
                                                       "labelkeep", "lowercase", "uppercase"};
const std::vector<std::string_view> kScrapeProtocols = {
    "OpenMetricsText0.0.1", "OpenMetricsText1.0.0", "PrometheusProto", "PrometheusText0.0.4", "PrometheusText1.0.0"};
// Units of Prometheus's byte sizes (alecthomas/units Base2Bytes): 512MB, 1GiB, 1GB512MB.
// Hand-written: std::regex recurses per character, and a hostile value must not exhaust the stack.
bool is_byte_size(const std::string& s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t from = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i > from;
  };
  if (s.empty()) return false;
  while (i < s.size()) {
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
    if (i < s.size() && std::string_view("KMGTPE").find(s[i]) != std::string_view::npos) {
      ++i;
      if (i < s.size() && s[i] == 'i') ++i;
    }
    if (i >= s.size() || s[i] != 'B') return false;
    ++i;
  }
  return true;
}

// A glob only in the last path element (config.go's patRulePath).
bool is_file_pattern(const std::string& s) {
  auto star = s.find('*');
  return star == std::string::npos || s.find('/', star) == std::string::npos;
}

} // namespace
bool ConfigValidator::known_sd_key(const std::string& key) {
  if (!util::ends_with(key, "_sd_configs")) return false;
  std::string_view name(key.data(), key.size() - std::string_view("_sd_configs").size());
  return std::any_of(kSdKinds.begin(), kSdKinds.end(), [&](const SdKind& k) { return k.name == name; });
}
namespace {

using namespace httpconfig;

// Kubernetes SD: role, the api_server/kubeconfig_file/own_namespace conflicts, selectors per role.
void kubernetes(core::YamlReader& y, const yaml::Node& m) {
  static const std::vector<std::string_view> roles = {"endpoints", "endpointslice", "service",
                                                      "pod",       "node",          "ingress"};
  static const std::map<std::string, std::vector<std::string_view>> selector_roles = {
      {"endpoints", {"pod", "service", "endpoints"}},
      {"endpointslice", {"pod", "service", "endpointslice"}},
      {"ingress", {"ingress"}},
      {"node", {"node"}},
      {"pod", {"pod", "node"}},
      {"service", {"service"}}};
  auto role = get(m, "role");
  if (!set(role))
    report(y, role ? role : m, "config/missing-field",
           "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
  else if (!role.is_scalar() || !contains(roles, role.scalar()))
    report(y, role, "config/invalid-value",
           "unknown Kubernetes SD role \"" + (role.is_scalar() ? std::string(role.scalar()) : "") + "\"");
  bool custom_http = std::any_of(kCustomHttpClient.begin(), kCustomHttpClient.end(), [&](auto f) { return set(m, f); });
  yaml::Node http_at;
  for (auto f : kCustomHttpClient)
    if (set(m, f) && !http_at) http_at = get(m, f);
  if (set(m, "api_server") && set(m, "kubeconfig_file"))
    report(y, get(m, "kubeconfig_file"), "config/conflict",
           "cannot use 'kubeconfig_file' and 'api_server' simultaneously");
  else if (set(m, "kubeconfig_file") && custom_http)
    report(y, http_at, "config/conflict",
           "cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
  else if (!set(m, "api_server") && !set(m, "kubeconfig_file") && custom_http)
    report(y, http_at, "config/missing-field",
           "to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
  if (auto ns = get(m, "namespaces"); set(ns)) {
    y.check_mapping(ns, {"own_namespace", "names"}, "namespaces");
    if (set(ns, "own_namespace")) {
      if (set(m, "kubeconfig_file"))
        report(y, get(ns, "own_namespace"), "config/conflict",
               "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
      else if (set(m, "api_server"))
        report(y, get(ns, "own_namespace"), "config/conflict",
               "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
    }
  }
  auto sels = get(m, "selectors");
  if (!set(sels) || !sels.is_sequence() || !role.is_scalar()) return;
  std::set<std::string> seen;
  auto allowed = selector_roles.find(std::string(role.scalar()));
  for (const auto& s : sels) {
    if (!y.check_mapping(s, {"role", "label", "field"}, "a selector")) continue;
    auto r = get(s, "role");
    if (!r || !r.is_scalar()) continue;
    if (!seen.insert(std::string(r.scalar())).second)
      report(y, r, "config/invalid-value", "duplicated selector role: " + std::string(r.scalar()));
    else if (allowed != selector_roles.end() && !contains(allowed->second, std::string(r.scalar()))) {
      std::string list;
      for (auto a : allowed->second) list += (list.empty() ? "" : ", ") + std::string(a);
      report(y, r, "config/invalid-value", std::string(role.scalar()) + " role supports only " + list + " selectors");
    }
    // A field selector is terms key=value, key==value or key!=value separated by commas.
    if (auto f = get(s, "field"); set(f) && f.is_scalar())
      for (std::string_view rest = f.scalar(); !rest.empty();) {
        auto comma = rest.find(',');
        std::string term(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (term.find('=') == std::string::npos) {
          report(y, f, "config/invalid-value",
                 "invalid selector: '" + std::string(f.scalar()) + "'; can't understand '" + term + "'");
          break;
        }
      }
  }
}

void ec2(core::YamlReader& y, const yaml::Node& m) {
  auto filters = get(m, "filters");
  if (!filters || !filters.is_sequence()) return;
  for (const yaml::Node& f : filters)
    if (f.is_map() && !set(f, "values"))
      report(y, get(f, "values") ? get(f, "values") : f, "config/missing-field",
             "EC2 SD configuration filter values cannot be empty");
}

void azure(core::YamlReader& y, const yaml::Node& m) {
  std::string method = value(m, "authentication_method");
  if (!method.empty() && method != "OAuth") return;
  for (const char* f : {"tenant_id", "client_id", "client_secret"})
    if (!set(m, f))
      report(y, get(m, f) ? get(m, f) : m, "config/missing-field",
             std::string("azure SD configuration requires a ") + f);
}

// An integer field's value as Go holds it after yaml.v2 decoded it is 0 (unset, 0, 0x0, 0_0...).
bool zero_int(std::string v) {
  v.erase(std::remove(v.begin(), v.end(), '_'), v.end());
  if (v.size() > 2 && v[0] == '0' && v[1] == 'b') return std::strtoll(v.c_str() + 2, nullptr, 2) == 0;
  return v.empty() || (std::strtod(v.c_str(), nullptr) == 0 && std::strtoll(v.c_str(), nullptr, 0) == 0);
}

// DNS SD: the record type (any case) and the port that all but SRV need.
void dns(core::YamlReader& y, const yaml::Node& m) {
  auto t = get(m, "type");
  std::string type = set(t) && t.is_scalar() ? std::string(t.scalar()) : "SRV";
  for (char& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!contains({"SRV", "A", "AAAA", "MX", "NS"}, type))
    report(y, t, "config/invalid-value", "invalid DNS-SD records type " + std::string(t.scalar()));
  else if (type != "SRV" && zero_int(value(m, "port")))
    report(y, get(m, "port") ? get(m, "port") : t, "config/missing-field",
           "a port is required in DNS-SD configs for all record types except SRV");
}

// Kuma SD: the server is a URL with a scheme and a host.
void kuma(core::YamlReader& y, const yaml::Node& m) {
  auto s = get(m, "server");
  if (!set(s) || !s.is_scalar()) return;
  auto sep = s.scalar().find("://");
  if (sep == std::string::npos || sep == 0 || sep + 3 >= s.scalar().size() || s.scalar()[sep + 3] == '/')
    report(y, s, "config/invalid-value",
           "kuma SD server must not be empty and have a scheme: " + std::string(s.scalar()));
}

// STACKIT SD: an endpoint or a region (eu01 unless given empty).
void stackit(core::YamlReader& y, const yaml::Node& m) {
  if (auto r = get(m, "region"); r && !set(r) && !set(m, "endpoint"))
    report(y, r, "config/missing-field", "stackit_sd: endpoint and region missing");
  auto e = get(m, "endpoint");
  if (set(e) && e.is_scalar() && e.scalar().front() == ':')
    report(y, e, "config/invalid-value",
           "stackit_sd: invalid endpoint \"" + std::string(e.scalar()) + "\": missing protocol scheme");
}

} // namespace
void ConfigValidator::fields(const yaml::Node& m, std::string_view path, const std::vector<std::string>& allowed) {
  httpconfig::fields(y_, m, path, allowed);
}

void ConfigValidator::tls(const yaml::Node& m, std::string_view path) { httpconfig::check_tls(y_, m, path); }

void ConfigValidator::alertmanager(const yaml::Node& am) {
  static const std::vector<Rule> rules = {
      {Kind::one_of, {"api_version"}, {"v2"}, "expected Alertmanager api version to be one of [v2] but got {}"},
      {Kind::one_of, {"scheme"}, {"http", "https"}, "unknown Alertmanager scheme {} (http or https)"},
  };
  if (am && am.is_map()) apply(y_, am, rules);
  http_client(am);
  if (am && am.is_map() && present(am, "sigv4") &&
      (present(am, "basic_auth") || present(am, "authorization") || present(am, "oauth2")))
    report(y_, get(am, "sigv4"), "config/conflict",
           "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured");
  service_discovery(am);
}

void ConfigValidator::http_client(const yaml::Node& m) { httpconfig::check_inline_http_client(y_, m); }

void ConfigValidator::service_discovery(const yaml::Node& m) {
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!it->first.is_scalar() || !known_sd_key(std::string(it->first.scalar()))) continue;
    const std::string key(it->first.scalar());
    std::string name = key.substr(0, key.size() - std::string_view("_sd_configs").size());
    const yaml::Node& list = it->second;
    if (!list || list.is_null()) continue;
    if (!list.is_sequence()) {
      report(y_, list, "yaml/type", key + " must be a list");
      continue;
    }
    auto kind = std::find_if(kSdKinds.begin(), kSdKinds.end(), [&](const SdKind& k) { return k.name == name; });
    for (const auto& sd : list) {
      if (!sd.is_map()) {
        if (!sd.is_null()) report(y_, sd, "yaml/type", "a " + name + " SD config must be a mapping");
        continue;
      }
      auto f = std::find_if(kSdFields.begin(), kSdFields.end(), [&](const SdFields& k) { return k.name == name; });
      if (f != kSdFields.end())
        y_.check_mapping(sd, f->http ? plus(f->fields, kHttpClientFields) : f->fields, "a " + name + " SD config");
      http_client(sd);
      apply(y_, sd, kind->rules);
      if (name == "kubernetes") kubernetes(y_, sd);
      else if (name == "ec2") ec2(y_, sd);
      else if (name == "azure") azure(y_, sd);
      else if (name == "stackit") stackit(y_, sd);
      else if (name == "dns") dns(y_, sd);
      else if (name == "kuma") kuma(y_, sd);
    }
  }
}

namespace {
bool word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A label name, or a template of one ($1, ${name}) where the action allows it, under the
// validation scheme: legacy ([a-zA-Z_][a-zA-Z0-9_]*, relabel.go's relabelTarget for templates) or
// UTF-8 (any non-empty UTF-8 string).
bool valid_target(const std::string& s, bool legacy, bool templated) {
  if (!legacy) return !s.empty() && text::go::valid_utf8(s);
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '$') {
      if (!word(s[i])) return false;
      ++i;
      continue;
    }
    if (!templated) return false;
    std::size_t j = i + 1;
    bool braced = j < s.size() && s[j] == '{';
    if (braced) ++j;
    std::size_t from = j;
    while (j < s.size() && word(s[j])) ++j;
    if (j == from || (braced && (j >= s.size() || s[j++] != '}'))) return false;
    i = j;
  }
  return true;
}
} // namespace

bool valid_label_name(std::string_view s, bool legacy) { return valid_target(std::string(s), legacy, false); }

void ConfigValidator::relabels(const yaml::Node& list, const std::string& empty_message, bool legacy) {
  if (!list || list.is_null() || !list.is_sequence()) return;
  for (const yaml::Node& r : list) {
    if (r.is_null()) {
      report(y_, r, "config/empty-section", empty_message);
      continue;
    }
    if (!r.is_map()) continue;
    // source_labels are read as label names (common/model: UTF-8 in Prometheus 3), whatever the action.
    if (auto sl = get(r, "source_labels"); sl && sl.is_sequence())
      for (const auto& l : sl)
        if (l.is_scalar() && !valid_label_name(l.scalar(), false))
          report(y_, l, "config/label-name", text::go::quote(l.scalar()) + " is not a valid label name");
    auto action_node = get(r, "action");
    std::string action = action_node ? lower(value(r, "action")) : "replace";
    if (action.empty()) {
      report(y_, action_node, "config/relabel", "relabel action cannot be empty");
      continue;
    }
    if (!contains(kRelabelActions, action)) {
      report(y_, action_node, "config/relabel", "unknown relabel action \"" + value(r, "action") + "\"");
      continue;
    }
    if (auto re = get(r, "regex"); set(re) && re.is_scalar()) {
      RE2::Options opts;
      opts.set_log_errors(false);
      RE2 compiled("^(?:" + std::string(re.scalar()) + ")$", opts);
      if (!compiled.ok()) report(y_, re, "config/relabel", "error parsing regexp: " + compiled.error());
    }
    auto at = [&](const char* field) { return get(r, field) ? get(r, field) : (action_node ? action_node : r); };
    std::string modulus = value(r, "modulus");
    if (action == "hashmod" && (modulus.empty() || modulus == "0")) {
      report(y_, at("modulus"), "config/relabel", "relabel configuration for hashmod requires non-zero modulus");
      continue;
    }
    bool needs_target = contains({"replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"}, action);
    if (needs_target && !set(r, "target_label")) {
      report(y_, at("action"), "config/relabel",
             "relabel configuration for " + action + " action requires 'target_label' value");
      continue;
    }
    if (auto t = get(r, "target_label");
        needs_target && t.is_scalar() && !valid_target(std::string(t.scalar()), legacy, action == "replace")) {
      report(y_, t, "config/relabel",
             "\"" + std::string(t.scalar()) + "\" is invalid 'target_label' for " + action + " action");
      continue;
    }
    if (auto t = get(r, "replacement");
        action == "labelmap" && t && t.is_scalar() && !valid_target(std::string(t.scalar()), legacy, true)) {
      report(y_, t, "config/relabel",
             "\"" + std::string(t.scalar()) + "\" is invalid 'replacement' for labelmap action");
      continue;
    }
    bool replacement = get(r, "replacement") && value(r, "replacement") != "$1";
    if (contains({"lowercase", "uppercase", "keepequal", "dropequal"}, action) && replacement &&
        (action == "lowercase" || action == "uppercase")) {
      report(y_, get(r, "replacement"), "config/relabel", "'replacement' can not be set for " + action + " action");
      continue;
    }
    bool separator = get(r, "separator") && value(r, "separator") != ";";
    bool mod = !modulus.empty() && modulus != "0";
    if ((action == "keepequal" || action == "dropequal") &&
        ((get(r, "regex") && value(r, "regex") != "(.*)") || mod || separator || replacement)) {
      report(y_, at("action"), "config/relabel",
             action + " action requires only 'source_labels' and `target_label`, and no other fields");
      continue;
    }
    if ((action == "labeldrop" || action == "labelkeep") &&
        (get(r, "source_labels") || set(r, "target_label") || mod || separator || replacement))
      report(y_, at("action"), "config/relabel", action + " action requires only 'regex', and no other fields");
  }
}

bool ConfigValidator::legacy_names(const yaml::Node& job, const yaml::Node& global) {
  std::string scheme = value(job, "metric_name_validation_scheme");
  return (scheme.empty() ? value(global, "metric_name_validation_scheme") : scheme) == "legacy";
}

void ConfigValidator::global(const yaml::Node& g) { scrape_fields(g, {}, true); }

void ConfigValidator::scrape_fields(const yaml::Node& job, const yaml::Node& global, bool is_global) {
  // The validation scheme is read by common/model (same words everywhere); the escaping scheme is
  // checked by config.go, which says where.
  const std::string escaping_message =
      std::string("unknown ") + (is_global ? "global" : "scrape config") +
      " name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got {}";
  const std::vector<Rule> rules = {
      {Kind::one_of, {"metric_name_validation_scheme"}, {"utf8", "legacy"}, "unrecognized ValidationScheme: {}"},
      {Kind::one_of,
       {"metric_name_escaping_scheme"},
       {"allow-utf-8", "underscores", "dots", "values"},
       escaping_message},
  };
  apply(y_, job, rules);
  // `scrape_protocols: []` is not the default (null) but an empty list, which Prometheus refuses.
  if (auto p = get(job, "scrape_protocols"); p && p.is_sequence() && p.size() == 0)
    report(y_, p, "config/invalid-value", "scrape_protocols cannot be empty");
  const std::string protocols =
      "[OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]";
  if (auto p = get(job, "scrape_protocols"); set(p) && p.is_sequence()) {
    std::set<std::string> seen;
    for (const auto& v : p) {
      if (!v.is_scalar()) continue;
      if (!contains(kScrapeProtocols, v.scalar()))
        report(y_, v, "config/invalid-value",
               "unknown scrape protocol " + std::string(v.scalar()) + ", supported: " + protocols);
      else if (!seen.insert(std::string(v.scalar())).second)
        report(y_, v, "config/invalid-value", "duplicated protocol in scrape_protocols: " + std::string(v.scalar()));
    }
  }
  if (auto f = get(job, "fallback_scrape_protocol"); set(f)) {
    if (!f.is_scalar()) report(y_, f, "yaml/type", "fallback_scrape_protocol must be a string");
    else if (!contains(kScrapeProtocols, f.scalar()))
      report(y_, f, "config/invalid-value",
             "invalid fallback_scrape_protocol: unknown scrape protocol " + std::string(f.scalar()) +
                 ", supported: " + protocols);
  }
  if (auto b = get(job, "body_size_limit"); set(b) && b.is_scalar() && !is_byte_size(std::string(b.scalar())))
    report(y_, b, "config/invalid-value",
           "units: unknown unit in " + std::string(b.scalar()) + " (write it as 100MB, 1GiB...)");
  // An escaping scheme that keeps UTF-8 names needs UTF-8 validation (the job's, else the global one).
  auto scheme = get(job, "metric_name_validation_scheme");
  if (!set(scheme)) scheme = get(global, "metric_name_validation_scheme");
  auto escaping = get(job, "metric_name_escaping_scheme");
  if (set(scheme) && scheme.is_scalar() && scheme.scalar() == "legacy" && set(escaping) && escaping.is_scalar() &&
      escaping.scalar() == "allow-utf-8")
    report(y_, escaping, "config/conflict", "utf8 metric names requested but validation scheme is not set to UTF8");
}

namespace {
void check_headers(core::YamlReader& y, const yaml::Node& h, bool tracing) {
  if (!h || !h.is_map()) return;
  for (auto it = h.begin(); it != h.end(); ++it) {
    if (!it->first.is_scalar()) continue;
    std::string name = lower(std::string(it->first.scalar()));
    if (name == "authorization")
      report(y, it->first, "config/invalid-value",
             tracing ? "custom authorization header configuration is not yet supported"
                     : "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, "
                       "azuread or google_iam parameter");
    else if (contains(kReservedHeaders, name))
      report(y, it->first, "config/invalid-value", name + " is a reserved header. It must not be changed");
  }
}
} // namespace

void ConfigValidator::remote_write(const yaml::Node& list) {
  if (!list || !list.is_sequence()) return;
  std::map<std::string, int> names;
  for (const yaml::Node& rw : list) {
    if (!rw.is_map()) {
      if (rw.is_null()) report(y_, rw, "config/empty-section", "empty or null remote write config section");
      continue;
    }
    y_.check_mapping(rw, plus(kRemoteWrite, kHttpClientFields), "a remote write config");
    fields(rw, "queue_config", kQueue);
    fields(rw, "metadata_config", kMetadata);
    if (!set(rw, "url"))
      report(y_, get(rw, "url") ? get(rw, "url") : rw, "config/missing-field", "url for remote_write is empty");
    if (auto n = get(rw, "name"); set(n) && n.is_scalar() && !names.emplace(n.scalar(), n.mark().line + 1).second)
      report(y_, n, "config/duplicate-name",
             "found multiple remote write configs with job name \"" + std::string(n.scalar()) + "\" (first at line " +
                 std::to_string(names[std::string(n.scalar())]) + ")");
    check_headers(y_, get(rw, "headers"), false);
    static const std::vector<Rule> rules = {
        {Kind::one_of,
         {"protobuf_message"},
         {"prometheus.WriteRequest", "io.prometheus.write.v2.Request"},
         "invalid protobuf_message value: unknown type for remote write protobuf message {}, supported: "
         "prometheus.WriteRequest, io.prometheus.write.v2.Request"},
    };
    apply(y_, rw, rules);
    if (auto q = get(rw, "queue_config"); q && q.is_map()) {
      for (const char* f : {"capacity", "max_shards", "min_shards", "max_samples_per_send"})
        if (auto n = get(q, f); n && n.is_scalar() && (n.scalar() == "0" || util::starts_with(n.scalar(), "-")))
          report(y_, n, "config/invalid-value", std::string("remote write queue ") + f + " must be positive");
      auto num = [&](const char* f, long long dflt) {
        auto n = get(q, f);
        if (!n || !n.is_scalar()) return dflt;
        try {
          return std::stoll(std::string(n.scalar()));
        } catch (...) {
          return dflt;
        }
      };
      if (num("min_shards", 1) > num("max_shards", 50) && num("max_shards", 50) > 0)
        report(y_, get(q, "min_shards") ? get(q, "min_shards") : q, "config/invalid-value",
               "remote write queue min_shards must not be greater than max_shards");
      auto dur = [&](const char* f, std::int64_t dflt) {
        auto n = get(q, f);
        if (!n || !n.is_scalar()) return dflt;
        return text::parse_duration(n.scalar()).value_or(dflt);
      };
      if (dur("max_backoff", 5000) < dur("min_backoff", 30))
        report(y_, get(q, "max_backoff") ? get(q, "max_backoff") : q, "config/invalid-value",
               "remote write queue max_backoff must not be less than min_backoff");
    }
    relabels(get(rw, "write_relabel_configs"), "empty or null relabeling rule in remote write config");
    http_client(rw);
    // One way to authenticate (config.go's validateAuthConfigs); the HTTP client's own pairs are
    // reported above, so only a conflict that involves sigv4, azuread or google_iam is new here.
    std::string configured;
    yaml::Node last;
    bool cloud = false;
    for (std::string_view f : {"basic_auth", "authorization", "oauth2", "sigv4", "azuread", "google_iam"})
      if (present(rw, f)) {
        configured += (configured.empty() ? "" : " ") + std::string(f);
        if (auto n = get(rw, f); !last || n.mark().line >= last.mark().line) last = n;
        cloud = cloud || f == "sigv4" || f == "azuread" || f == "google_iam";
      }
    if (cloud && configured.find(' ') != std::string::npos)
      report(y_, last, "config/conflict",
             "at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. "
             "Currently configured: [" +
                 configured + "]");
    fields(rw, "google_iam", {"credentials_file"});
    azuread(get(rw, "azuread"));
  }
}

namespace {
// google/uuid's Parse: 36 characters with dashes, optionally in {} or after urn:uuid:, or 32 hex digits.
bool is_uuid(std::string_view s) {
  if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
  else if (s.size() == 45 && util::starts_with(s, "urn:uuid:")) s.remove_prefix(9);
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  if (s.size() == 32) return std::all_of(s.begin(), s.end(), hex);
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !hex(s[i])) return false;
  return true;
}

// The ways azuread authenticates: each one's fields, those it requires and those that are UUIDs.
struct AzureMethod {
  std::string_view key;
  std::string_view label; ///< as Prometheus's messages name it
  Names fields;
  Fields required;
  Fields uuids;
};
// clang-format off
const std::vector<AzureMethod> kAzureMethods = {
  {"managed_identity", "Managed Identity", {"client_id"}, {}, {"client_id"}},
  {"workload_identity", "Workload Identity", {"client_id", "tenant_id", "token_file_path"}, {"client_id", "tenant_id"}, {"client_id", "tenant_id"}},
  {"oauth", "OAuth", {"client_id", "client_secret", "tenant_id"}, {"client_id", "client_secret", "tenant_id"}, {"client_id"}},
  {"sdk", "SDK", {"tenant_id"}, {}, {}},
  {"certificate", "Certificate", {"client_id", "tenant_id", "certificate_path", "certificate_key_path", "certificate_password", "send_certificate_chain"}, {"client_id", "tenant_id", "certificate_path"}, {"client_id"}},
};
// clang-format on
} // namespace

void ConfigValidator::azuread(const yaml::Node& a) {
  if (!a || !a.is_map()) return;
  Names keys = {"cloud", "scope"};
  for (const auto& m : kAzureMethods) keys.emplace_back(m.key);
  if (!y_.check_mapping(a, keys, "azuread")) return;
  static const std::vector<Rule> rules = {
      {Kind::one_of,
       {"cloud"},
       {"AzurePublic", "AzureChina", "AzureGovernment"},
       "must provide a cloud in the Azure AD config (AzurePublic, AzureChina or AzureGovernment), got {}"},
  };
  apply(y_, a, rules);
  const AzureMethod* method = nullptr;
  int methods = 0;
  for (const auto& m : kAzureMethods)
    if (present(a, m.key) && ++methods > 1)
      report(y_, get(a, m.key), "config/conflict",
             "cannot provide multiple authentication methods in the Azure AD config");
    else if (present(a, m.key)) method = &m;
  if (methods == 0)
    report(y_, a, "config/missing-field",
           "must provide an Azure Managed Identity, Azure Workload Identity, Azure OAuth, Azure Certificate or Azure "
           "SDK in the Azure AD config");
  if (method && methods == 1) {
    auto m = get(a, method->key);
    fields(a, method->key, method->fields);
    std::string name = "Azure " + std::string(method->label) + " ";
    for (auto f : method->required)
      if (!set(m, f))
        report(y_, get(m, f) ? get(m, f) : m, "config/missing-field",
               "must provide an " + name + std::string(f) + " in the Azure AD config");
    for (auto f : method->uuids)
      if (auto n = get(m, f); set(n) && n.is_scalar() && !is_uuid(n.scalar()))
        report(y_, n, "config/invalid-value", "the provided " + name + std::string(f) + " is invalid");
  }
  // The scope: word characters, spaces, ':', '/', '.', '-'.
  if (auto s = get(a, "scope");
      set(s) && s.is_scalar() && !std::all_of(s.scalar().begin(), s.scalar().end(), [](char c) {
        return word(c) || std::string_view(" \t\n\f\r:/.-").find(c) != std::string_view::npos;
      }))
    report(y_, s, "config/invalid-value", "the provided scope contains invalid characters");
}

void ConfigValidator::remote_read(const yaml::Node& list) {
  if (!list || !list.is_sequence()) return;
  std::map<std::string, int> names;
  for (const yaml::Node& rr : list) {
    if (!rr.is_map()) {
      if (rr.is_null()) report(y_, rr, "config/empty-section", "empty or null remote read config section");
      continue;
    }
    y_.check_mapping(rr, plus(kRemoteRead, kHttpClientFields), "a remote read config");
    if (!set(rr, "url"))
      report(y_, get(rr, "url") ? get(rr, "url") : rr, "config/missing-field", "url for remote_read is empty");
    if (auto n = get(rr, "name"); set(n) && n.is_scalar() && !names.emplace(n.scalar(), n.mark().line + 1).second)
      report(y_, n, "config/duplicate-name",
             "found multiple remote read configs with job name \"" + std::string(n.scalar()) + "\" (first at line " +
                 std::to_string(names[std::string(n.scalar())]) + ")");
    check_headers(y_, get(rr, "headers"), false);
    http_client(rr);
  }
}

void ConfigValidator::storage(const yaml::Node& s) {
  if (!s || !s.is_map()) return;
  y_.check_mapping(s, kStorage, "storage");
  fields(s, "exemplars", {"max_exemplars"});
  fields(s, "tsdb", kTsdb);
  fields(s, "tsdb.retention", {"time", "size", "percentage"});
  fields(s, "tsdb.chunk_encoding", {"floats"});
  auto tsdb = get(s, "tsdb");
  if (!tsdb || !tsdb.is_map()) return;
  for (const char* f : {"retention.time", "out_of_order_time_window"})
    if (auto n = get(tsdb, f); set(n) && n.is_scalar() && !text::parse_duration(n.scalar()))
      report(y_, n, "config/duration", "not a valid duration string: \"" + std::string(n.scalar()) + "\"");
  if (auto n = get(tsdb, "retention.size"); set(n) && n.is_scalar() && !is_byte_size(std::string(n.scalar())))
    report(y_, n, "config/invalid-value",
           "'storage.tsdb.retention.size' must be a size greater than or equal to 0 "
           "(100MB, 1GiB...), got \"" +
               std::string(n.scalar()) + "\"");
  if (auto n = get(tsdb, "retention.percentage"); set(n) && n.is_scalar()) {
    const std::string text(n.scalar());
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || v < 0 || v > 100)
      report(y_, n, "config/invalid-value", "'storage.tsdb.retention.percentage' must be in the range [0, 100]");
  }
  if (auto n = get(tsdb, "chunk_encoding.floats"); n && n.is_scalar() && n.scalar() != "xor" && n.scalar() != "xor2")
    report(y_, n, "config/invalid-value",
           "'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2', or the field must be omitted entirely, "
           "got \"" +
               std::string(n.scalar()) + "\"");
}

void ConfigValidator::tracing(const yaml::Node& t) {
  if (!t || !t.is_map()) return;
  y_.check_mapping(t, kTracing, "tracing");
  tls(t, "tls_config");
  if (auto c = get(t, "client_type"); set(c) && c.is_scalar() && c.scalar() != "grpc" && c.scalar() != "http")
    report(y_, c, "config/invalid-value",
           "expected tracing client type to be http or grpc, but got \"" + std::string(c.scalar()) + "\"");
  if (!set(t, "endpoint")) report(y_, t, "config/missing-field", "tracing endpoint must be set");
  if (auto c = get(t, "compression"); set(c) && c.is_scalar() && c.scalar() != "gzip")
    report(y_, c, "config/invalid-value",
           "invalid compression type " + std::string(c.scalar()) + " provided, valid options: gzip");
  check_headers(y_, get(t, "headers"), true);
}

void ConfigValidator::otlp(const yaml::Node& o, const yaml::Node& global) {
  if (!o || !o.is_map()) return;
  y_.check_mapping(o, kOtlp, "otlp");
  // Strategies that keep UTF-8 names need UTF-8 validation (config.go's Load).
  if (auto t = get(o, "translation_strategy");
      t && t.is_scalar() && (t.scalar() == "NoUTF8EscapingWithSuffixes" || t.scalar() == "NoTranslation") &&
      value(global, "metric_name_validation_scheme") == "legacy")
    report(y_, t, "config/conflict",
           "OTLP translation strategy \"" + std::string(t.scalar()) + "\" is not allowed when UTF8 is disabled");
  static const std::vector<Rule> rules = {
      {Kind::one_of,
       {"translation_strategy"},
       {"UnderscoreEscapingWithSuffixes", "UnderscoreEscapingWithoutSuffixes", "NoUTF8EscapingWithSuffixes",
        "NoTranslation"},
       "unsupported OTLP translation strategy"},
      {Kind::conflict,
       {"promote_all_resource_attributes"},
       {"promote_resource_attributes"},
       "'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously"},
  };
  apply(y_, o, rules);
  if (set(o, "ignore_resource_attributes") && !set(o, "promote_all_resource_attributes"))
    report(y_, get(o, "ignore_resource_attributes"), "config/conflict",
           "'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true");
  for (const char* f : {"promote_resource_attributes", "ignore_resource_attributes"}) {
    auto list = get(o, f);
    if (!list || !list.is_sequence()) continue;
    std::set<std::string> seen;
    for (const auto& a : list) {
      if (!a.is_scalar()) continue;
      std::string v(util::trim(a.scalar()));
      std::string kind = f[0] == 'p' ? "promoted" : "ignored";
      if (v.empty())
        report(y_, a, "config/invalid-value",
               std::string("invalid '") + f + "': empty " + kind + " OTel resource attribute");
      else if (!seen.insert(v).second)
        report(y_, a, "config/invalid-value",
               std::string("invalid '") + f + "': duplicated " + kind + " OTel resource attribute \"" + v + "\"");
    }
  }
}

void ConfigValidator::runtime(const yaml::Node& r) {
  if (r && r.is_map()) y_.check_mapping(r, {"gogc"}, "runtime");
}

void ConfigValidator::file_patterns(const yaml::Node& list, const std::string& what) {
  if (!list || !list.is_sequence()) return;
  for (const auto& f : list)
    if (f.is_scalar() && !is_file_pattern(std::string(f.scalar())))
      report(y_, f, "config/invalid-value",
             "invalid " + what + " path \"" + std::string(f.scalar()) + "\" (a glob is allowed only in the file name)");
}

} // namespace nsmon::rules::detail
