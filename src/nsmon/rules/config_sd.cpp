// prometheus.yml's service discovery sections (discovery/*: each kind's fields and the checks of
// its UnmarshalYAML), and the alerting.alertmanagers entries that embed them.

#include <algorithm>
#include <string_view>

#include "nsmon/httpconfig/http_client.hpp"
#include "nsmon/httpconfig/rows.hpp"
#include "nsmon/rules/config_validate.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules::detail {

using namespace httpconfig;

namespace {

// clang-format off
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

} // namespace nsmon::rules::detail
