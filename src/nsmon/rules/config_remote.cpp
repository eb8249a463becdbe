// prometheus.yml's remote_write and remote_read sections (config.go's RemoteWriteConfig and
// RemoteReadConfig, storage/remote/azuread), and the headers they and tracing may not set.

#include <algorithm>
#include <map>
#include <string_view>

#include "nsmon/httpconfig/http_client.hpp"
#include "nsmon/httpconfig/rows.hpp"
#include "nsmon/rules/config_validate.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules::detail {

using namespace httpconfig;

namespace {

// clang-format off
const Names kRemoteWrite = {"url", "remote_timeout", "headers", "write_relabel_configs", "name", "send_exemplars",
                            "send_native_histograms", "round_robin_dns", "protobuf_message", "failed_request_logging",
                            "queue_config", "metadata_config", "sigv4", "azuread", "google_iam"};
const Names kRemoteRead = {"url",  "remote_timeout", "chunked_read_limit", "headers", "read_recent",
                           "name", "required_matchers", "filter_external_labels"};
const Names kQueue = {"capacity", "max_shards", "min_shards", "max_samples_per_send", "batch_send_deadline",
                      "min_backoff", "max_backoff", "retry_on_http_429", "sample_age_limit"};
const Names kMetadata = {"send", "send_interval", "max_samples_per_send"};
// clang-format on

} // namespace

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
        return word_char(c) || std::string_view(" \t\n\f\r:/.-").find(c) != std::string_view::npos;
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

} // namespace nsmon::rules::detail
