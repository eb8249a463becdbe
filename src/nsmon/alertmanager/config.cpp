#include "nsmon/alertmanager/config.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "nsmon/alertmanager/loader.hpp"
#include "nsmon/alertmanager/matchers.hpp"
#include "nsmon/alertmanager/notifiers.hpp"
#include "nsmon/alertmanager/templates.hpp"
#include "nsmon/alertmanager/values.hpp"
#include "nsmon/core/yaml.hpp"
#include "nsmon/core/yaml_v2.hpp"
#include "nsmon/httpconfig/http_client.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::alertmanager {

namespace {

using detail::Fields;

// clang-format off
// Field names as Alertmanager 0.25 and later spell them (config/config.go, config/notifiers.go);
// those newer than the target version are refused by Loader::newer (versions.cpp).
const Fields kTop = {"global", "route", "inhibit_rules", "receivers", "templates", "mute_time_intervals",
    "time_intervals", "tracing", "event_recorder"};
const Fields kGlobal = {"resolve_timeout", "http_config", "jira_api_url", "smtp_from", "smtp_hello", "smtp_smarthost",
    "smtp_auth_username", "smtp_auth_password", "smtp_auth_password_file", "smtp_auth_secret",
    "smtp_auth_secret_file", "smtp_auth_identity", "smtp_require_tls", "smtp_tls_config", "smtp_force_implicit_tls",
    "slack_api_url", "slack_api_url_file", "slack_app_token", "slack_app_token_file", "slack_app_url",
    "pagerduty_url", "opsgenie_api_url", "opsgenie_api_key", "opsgenie_api_key_file", "wechat_api_url",
    "wechat_api_secret", "wechat_api_secret_file", "wechat_api_corp_id", "victorops_api_url", "victorops_api_key",
    "victorops_api_key_file", "telegram_api_url", "telegram_bot_token", "telegram_bot_token_file", "webex_api_url",
    "rocketchat_api_url", "rocketchat_token", "rocketchat_token_file", "rocketchat_token_id",
    "rocketchat_token_id_file", "mattermost_webhook_url", "mattermost_webhook_url_file"};
const Fields kGlobalUrls = {"jira_api_url", "slack_api_url", "slack_app_url", "pagerduty_url", "opsgenie_api_url",
    "wechat_api_url", "victorops_api_url", "telegram_api_url", "webex_api_url", "rocketchat_api_url",
    "mattermost_webhook_url"};
// Secrets that also have a *_file field.
const Fields kGlobalSecrets = {"smtp_auth_password", "smtp_auth_secret", "slack_api_url", "slack_app_token",
    "opsgenie_api_key", "wechat_api_secret", "victorops_api_key", "telegram_bot_token", "rocketchat_token",
    "rocketchat_token_id", "mattermost_webhook_url"};
const Fields kRoute = {"receiver", "group_by", "match", "match_re", "matchers", "mute_time_intervals",
    "active_time_intervals", "continue", "routes", "group_wait", "group_interval", "repeat_interval", "labels"};
const Fields kInhibit = {"source_match", "source_match_re", "source_matchers", "target_match", "target_match_re",
    "target_matchers", "equal", "name"};
const Fields kTimeInterval = {"name", "time_intervals"};
const Fields kInterval = {"times", "weekdays", "days_of_month", "months", "years", "location"};

// clang-format on

// Fields with one scalar type wherever they appear in alertmanager.yml (Go's yaml.v2 decodes
// them into Alertmanager's structs: `continue: yes` loads, `send_resolved: "true"` does not).
// clang-format off
constexpr std::array kTypedFields = {
  core::yaml_v2::Field{"chat_id", core::yaml_v2::Type::int64},
  core::yaml_v2::Field{"continue", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"disable_notifications", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"enable_http2", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"follow_redirects", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"insecure_skip_verify", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"link_names", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"max_alerts", core::yaml_v2::Type::uint64},
  core::yaml_v2::Field{"message_thread_id", core::yaml_v2::Type::int_},
  core::yaml_v2::Field{"proxy_from_environment", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"require_tls", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"send_resolved", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"short", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"short_fields", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"smtp_require_tls", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"update_alerts", core::yaml_v2::Type::boolean},
};
// clang-format on
// Maps whose keys the user names (HTTP headers, PagerDuty details...): not typed fields.
constexpr std::array<std::string_view, 5> kFreeForm = {"headers", "details", "http_headers", "proxy_connect_header",
                                                       "custom_fields"};

const std::string kNone;

} // namespace

namespace detail {

// The key node of `key` in a mapping (where to point about the key itself), or the mapping.
yaml::Node key_node(const yaml::Node& map, const std::string& key) {
  for (const auto& e : map)
    if (e.first.is_scalar() && e.first.scalar() == key) return e.first;
  return map;
}

bool present(const yaml::Node& n) { return n && !n.is_null() && !(n.is_scalar() && n.scalar().empty()); }

Loader::Loader(const core::SourceFile& src, std::vector<core::Diagnostic>& diags, Config& cfg,
               const LoadOptions& options)
    : y_(src, diags), cfg_(cfg), diags_(diags), version_(options.version) {}

void Loader::run() {
  Config& cfg = cfg_;
  cfg.path = y_.source().path();
  cfg.route_key = {cfg.path, 1, 1, 0};
  auto root = y_.parse(yaml::Dialect::v2); // read with yaml.v2, as Alertmanager does
  if (!root) return;
  if (root->is_null()) {
    cfg.loaded = true;
    return;
  }
  newer(*root, "top");
  if (!y_.check_mapping(*root, kTop, "the configuration")) return;
  core::yaml_v2::check_scalars(y_, *root, kTypedFields, kFreeForm);
  if (auto g = (*root)["global"]; g && !g.is_null()) global(g, cfg);
  cfg.loaded = true;
  if (auto r = (*root)["route"]; r && !r.is_null()) {
    cfg.route_key = y_.key_span(*root, "route");
    cfg.route_given = true;
    if (auto rt = route(r)) {
      root_route(r, *rt);
      cfg.route = std::move(*rt);
    }
  }
  for (const auto& r : list((*root)["receivers"], "receivers")) receiver(r, cfg);
  for (const auto& i : list((*root)["inhibit_rules"], "inhibit_rules")) inhibit_rule(i, cfg);
  for (const char* key : {"time_intervals", "mute_time_intervals"})
    for (const auto& t : list((*root)[key], key)) time_interval(t, cfg);
  if (auto t = (*root)["templates"]; t && !t.is_null())
    if (auto names = y_.strings(t, "templates"))
      for (std::size_t i = 0; i < names->size(); ++i) cfg.templates.push_back({(*names)[i], y_.span(t.at(i))});
}

// The fields of a mapping that the target Alertmanager does not have yet: it refuses the file
// ("field X not found in type config.plain"), so nsmon does too, saying which version has them.
void Loader::newer(const yaml::Node& map, std::string_view where) {
  if (!map || !map.is_map()) return;
  for (const auto& e : map) {
    if (!e.first.is_scalar()) continue;
    Version since = field_since(where, e.first.scalar());
    if (since <= version_) continue;
    y_.report(e.first, "alertmanager/newer-field",
              "field " + std::string(e.first.scalar()) + " is new in Alertmanager " + since.str() + ": Alertmanager " +
                  version_.str() + " refuses this file",
              "check for the version that runs it with --alertmanager-version " + since.str() +
                  " (or later), or remove the field");
  }
}

bool Loader::has_field(std::string_view where, std::string_view field) const {
  return field_since(where, field) <= version_;
}

std::vector<yaml::Node> Loader::list(const yaml::Node& n, const std::string& what) {
  std::vector<yaml::Node> out;
  if (!n || n.is_null()) return out;
  if (!n.is_sequence()) {
    y_.report(n, "yaml/type", what + " must be a list");
    return out;
  }
  for (const auto& e : n) out.push_back(e);
  return out;
}

std::optional<core::Located> Loader::text(const yaml::Node& parent, const char* key, std::string_view what) {
  auto n = parent[key];
  if (!n || n.is_null()) return std::nullopt;
  auto s = y_.string(n, what);
  if (!s) return std::nullopt;
  return y_.located(n);
}

std::vector<core::Located> Loader::texts(const yaml::Node& parent, const char* key) {
  std::vector<core::Located> out;
  auto n = parent[key];
  if (!n || n.is_null()) return out;
  if (auto v = y_.strings(n, key))
    for (std::size_t i = 0; i < v->size(); ++i) out.push_back(y_.located(n.at(i)));
  return out;
}

std::optional<std::int64_t> Loader::duration(const yaml::Node& parent, const char* key) {
  auto n = parent[key];
  if (!n || n.is_null()) return std::nullopt;
  if (n.is_scalar())
    if (auto ms = text::parse_duration(n.scalar())) return ms;
  y_.report(n, "alertmanager/duration",
            std::string("not a valid duration for ") + key + ": \"" + (n.is_scalar() ? std::string(n.scalar()) : "?") +
                "\"",
            "a duration such as 30s, 5m, 4h or 1h30m");
  return std::nullopt;
}

// A URL Alertmanager parses with its parseURL: http or https, and a host. Messages show it
// through redact_url, since these URLs often carry a token.
// A URL that is itself a secret (a Slack or webhook URL holds its token in the path) is not shown.
void Loader::url(const yaml::Node& parent, const char* key, bool secret) {
  auto n = parent[key];
  if (!n || n.is_null() || !n.is_scalar() || n.scalar().empty() || n.scalar() == "<secret>") return;
  const std::string u(n.scalar());
  const std::string shown = std::string(key) + (secret ? "" : " \"" + util::redact_url(u) + "\"");
  std::size_t colon = u.find(':');
  std::string scheme;
  if (colon != std::string::npos && colon > 0 && u.find_first_of("/?#") > colon) scheme = u.substr(0, colon);
  std::string lower = util::ascii_lower(scheme);
  if (lower != "http" && lower != "https") {
    y_.report(n, "alertmanager/url",
              shown + ": unsupported scheme \"" + scheme + "\" for URL; Alertmanager refuses to load this",
              "an http:// or https:// URL");
    return;
  }
  auto [begin, end] = util::url_authority(u);
  std::string_view authority = std::string_view(u).substr(begin, end - begin);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.empty() || authority[0] == ':') y_.report(n, "alertmanager/url", shown + ": missing host for URL");
}

// A secret that also has a *_file field (in `context`, a section or notifier kind): both is an
// error (Alertmanager refuses most such pairs; where it does not, `refused` false, it silently
// ignores one of them). Inline, it is a warning only when the value carries a credential and the
// target version has something to move it to: the *_file field, or for a URL's userinfo
// http_config.basic_auth (userinfo()); a webhook URL of an in-cluster service, a placeholder or
// a token with nowhere else to go is nothing to act on. Values never appear in messages.
void Loader::secret(const yaml::Node& parent, const std::string& key, std::string_view where, std::string_view context,
                    bool is_url, bool refused) {
  auto inline_node = parent[key];
  auto file_node = parent[key + "_file"];
  if (!present(inline_node)) return;
  hide(inline_node);
  if (present(file_node)) {
    y_.report(inline_node, "alertmanager/secret-conflict",
              refused ? "at most one of " + key + " & " + key + "_file must be configured (" + std::string(where) + ")"
                      : key + " and " + key + "_file are both given (" + std::string(where) +
                            "): Alertmanager loads this but uses only one of them",
              "keep " + key + "_file and remove " + key);
    return;
  }
  if (!inline_node.is_scalar()) return;
  std::string_view v = inline_node.scalar();
  if (v == "<secret>" || v.find("{{") != std::string_view::npos || !placeholder(v).empty()) return;
  if (!has_field(context, key + "_file")) {
    if (is_url) userinfo(parent, key, where, context, secret_since(context, key) > version_, false);
    return;
  }
  if (is_url ? !detail::url_has_credential(v) : !detail::value_is_credential(key, v)) return;
  y_.report(inline_node, "alertmanager/inline-secret",
            key + " is written inline in " + std::string(where) + ": whoever reads this file has it",
            "put it in a file only Alertmanager can read and give " + key + "_file");
}

// A URL with a credential in its userinfo (user:password@host) that secret() does not judge (a
// URL field that is no secret, or a secret one without a *_file field in the target version):
// the URL goes to its *_file field where there is one; else, since Go's HTTP client sends
// userinfo as basic auth, to http_config.basic_auth with the password in a file (password_file,
// in every version). A URL field that is not a secret (`shown`: every URL field of type URL, and
// webhook urls before 0.26) is printed in full, password included, by amtool config show and
// /api/v2/status (config.go's URL.MarshalYAML); 0.25 also logs a webhook url with the body of an
// error response. The userinfo is masked wherever the line is quoted.
void Loader::userinfo(const yaml::Node& parent, const std::string& key, std::string_view where,
                      std::string_view context, bool shown, bool file_twin) {
  auto n = parent[key];
  if (!present(n) || !n.is_scalar()) return;
  std::string_view v = n.scalar();
  auto [begin, end] = util::url_authority(v);
  std::size_t at = v.substr(begin, end - begin).rfind('@');
  if (at == std::string_view::npos) return;
  auto offsets = y_.value_offsets(n);
  for (std::size_t i = begin; i < begin + at && i < offsets.size(); ++i)
    cfg_.secrets.emplace_back(offsets[i], offsets[i] + 1);
  if (v.find("{{") != std::string_view::npos || !placeholder(v).empty()) return;
  const bool global = context == "global";
  std::string message = key + " carries a credential in its userinfo (user:password@ before the host) in " +
                        std::string(where) + ": whoever reads this file has it";
  if (shown)
    message += ", and Alertmanager " + version_.str() + " prints this URL in full (amtool config show, /api/v2/status)";
  if (file_twin)
    y_.report(n, "alertmanager/inline-secret", message,
              "put the URL in a file only Alertmanager can read and give " + key + "_file");
  else
    y_.report(n, "alertmanager/inline-secret", message,
              "drop it from the URL and give " +
                  std::string(global ? "the receivers' http_config (or global.http_config)" : "http_config") +
                  " basic_auth: {username: ..., password_file: a file only Alertmanager can read}");
}

// The bytes of a secret's value, masked wherever the file's lines are quoted.
void Loader::hide(const yaml::Node& n) {
  if (!n.is_scalar()) return;
  for (std::size_t o : y_.value_offsets(n)) cfg_.secrets.emplace_back(o, o + 1);
}

void Loader::global(const yaml::Node& g, Config& cfg) {
  if (!y_.check_mapping(g, kGlobal, "global")) return;
  cfg.resolve_timeout_ms = duration(g, "resolve_timeout");
  for (const auto& k : kGlobalUrls) url(g, k.c_str(), k == "slack_api_url" || k == "mattermost_webhook_url");
  newer(g, "global");
  for (const auto& k : kGlobalSecrets)
    secret(g, k, "global", "global", k == "slack_api_url" || k == "mattermost_webhook_url");
  for (const auto& k : kGlobalUrls)
    if (std::find(kGlobalSecrets.begin(), kGlobalSecrets.end(), k) == kGlobalSecrets.end())
      userinfo(g, k, "global", "global", true, false);
  host_port(g, "smtp_smarthost", "global");
  for (const auto& e : g)
    if (e.first.is_scalar() && present(e.second)) {
      cfg.global_fields.insert(std::string(e.first.scalar()));
      if (e.second.is_scalar()) cfg.global_values[std::string(e.first.scalar())] = std::string(e.second.scalar());
    }
  newer(g["http_config"], "http_config");
  httpconfig::check_http_client(y_, g["http_config"]);
  httpconfig::check_tls_config(y_, g, "smtp_tls_config");
  // Global pairs Alertmanager refuses beyond *_file twins (config.go's Config.UnmarshalYAML).
  bool app_token = present(g["slack_app_token"]) || present(g["slack_app_token_file"]);
  bool api_url = present(g["slack_api_url"]) || present(g["slack_api_url_file"]);
  if (app_token && api_url)
    y_.report(key_node(g, present(g["slack_app_token"]) ? "slack_app_token" : "slack_app_token_file"),
              "alertmanager/secret-conflict",
              "at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be "
              "configured");
  placeholders(g);
}

// match:/match_re: (deprecated) and matchers: of a route or an inhibit rule's side; `match_re`
// receives the indices in `all` of match_re's entries.
void Loader::matchers(const yaml::Node& parent, const std::string& prefix, std::vector<core::Located>* out,
                      bool* has_match, std::vector<Matcher>& all, std::vector<std::size_t>* match_re) {
  for (const char* kind : {"match", "match_re"}) {
    std::string key = prefix + kind;
    auto m = parent[key];
    if (!m || m.is_null()) continue;
    if (!m.is_map()) {
      y_.report(m, "yaml/type", key + " must be a mapping of label names to values");
      continue;
    }
    if (has_match) *has_match = true;
    std::string replacement;
    for (const auto& e : m)
      if (e.first.is_scalar() && e.second.is_scalar())
        replacement += std::string(replacement.empty() ? "" : ", ") + "'" + std::string(e.first.scalar()) +
                       (std::string_view(kind) == "match" ? "=" : "=~") + "\"" + std::string(e.second.scalar()) + "\"'";
    y_.report(key_node(parent, key), "alertmanager/deprecated-match",
              key + " is deprecated (Alertmanager 0.22); " + prefix + "matchers replaces it",
              prefix + "matchers: [" + replacement + "]");
    for (const auto& e : m) {
      const yaml::Node& k = e.first;
      const yaml::Node& v = e.second;
      auto name = y_.string(k, key + " label names");
      auto value = y_.string(v, key + " values");
      if (!name || !value) continue;
      if (!is_label_name(*name))
        y_.report(k, "alertmanager/invalid-value", "invalid label name \"" + *name + "\" in " + key);
      if (std::string_view(kind) == "match_re")
        if (auto err = labels::regex_error(*value, labels::Dialect::alertmanager))
          y_.report(v, "alertmanager/matcher", "invalid regex \"" + *value + "\" in " + key + ": " + *err);
      if (match_re && std::string_view(kind) == "match_re") match_re->push_back(all.size());
      all.push_back({*name, std::string_view(kind) == "match" ? MatchOp::equal : MatchOp::regex, *value});
    }
  }
  std::string key = prefix + "matchers";
  auto ms = parent[key];
  if (!ms || ms.is_null()) return;
  auto lines = y_.strings(ms, key);
  if (!lines) return;
  for (std::size_t i = 0; i < lines->size(); ++i) {
    auto parsed = parse_matchers((*lines)[i]);
    if (!parsed.error.empty())
      y_.report(ms.at(i), "alertmanager/matcher", parsed.error,
                "name=\"value\", name=~\"regex\", name!=\"value\" or name!~\"regex\"");
    if (parsed.error.empty()) all.insert(all.end(), parsed.matchers.begin(), parsed.matchers.end());
    if (out) out->push_back({(*lines)[i], y_.span(ms.at(i))});
  }
}

// `parent`: the receiver the route inherits (nullptr for the root route).
std::optional<Route> Loader::route(const yaml::Node& n, const std::string* parent) {
  newer(n, "route");
  if (!y_.check_mapping(n, kRoute, "a route")) return std::nullopt;
  Route r;
  r.span = y_.span(n);
  r.receiver = text(n, "receiver", "receiver");
  if (auto rn = n["receiver"]; parent && rn && !present(rn))
    y_.report(key_node(n, "receiver"), "alertmanager/null-receiver",
              std::string(rn.is_null() ? "receiver: null is YAML's null, not a receiver named \"null\""
                                       : "an empty receiver") +
                  ": this route inherits its parent's receiver \"" + *parent + "\", and its alerts are sent there",
              "to drop alerts, define a receiver without integrations (- name: 'null') and write receiver: 'null'");
  r.group_by = texts(n, "group_by");
  bool all = false;
  for (std::size_t i = 0; i < r.group_by.size(); ++i) {
    const auto& l = r.group_by[i];
    if (l.value == "...") all = true;
    else if (!is_label_name(l.value))
      y_.report(n["group_by"].at(i), "alertmanager/invalid-value",
                "invalid label name \"" + l.value + "\" in group_by list");
    for (std::size_t j = 0; j < i; ++j)
      if (r.group_by[j].value == l.value)
        y_.report(n["group_by"].at(i), "alertmanager/invalid-value",
                  "duplicated label \"" + l.value + "\" in group_by");
  }
  if (all && r.group_by.size() > 1)
    y_.report(n["group_by"], "alertmanager/invalid-value",
              "cannot have wildcard group_by (`...`) and other labels at the same time");
  r.group_wait_ms = duration(n, "group_wait");
  r.group_interval_ms = duration(n, "group_interval");
  r.repeat_interval_ms = duration(n, "repeat_interval");
  if (r.group_interval_ms == 0)
    y_.report(n["group_interval"], "alertmanager/duration", "group_interval cannot be zero");
  if (r.repeat_interval_ms == 0)
    y_.report(n["repeat_interval"], "alertmanager/duration", "repeat_interval cannot be zero");
  std::size_t before = diags_.size();
  matchers(n, "", &r.matchers, &r.has_match, r.match_all, &r.match_re);
  for (std::size_t i = before; i < diags_.size(); ++i)
    r.matchers_ok = r.matchers_ok && diags_[i].severity != core::Severity::error;
  if (auto c = n["continue"]) r.continue_ = core::yaml_v2::to_bool(c).value_or(false); // typed by check_scalars
  r.mute_time_intervals = texts(n, "mute_time_intervals");
  r.active_time_intervals = texts(n, "active_time_intervals");
  for (const auto& child : list(n["routes"], "routes"))
    if (auto c = route(child, r.receiver && !r.receiver->value.empty() ? &r.receiver->value : parent ? parent : &kNone))
      r.routes.push_back(std::move(*c));
  return r;
}

// What Alertmanager refuses on the root route only.
void Loader::root_route(const yaml::Node& n, const Route& r) {
  if (!r.receiver || r.receiver->value.empty())
    y_.report(key_node(n, "receiver"), "alertmanager/missing-field", "root route must specify a default receiver");
  if (!r.matchers.empty() || r.has_match)
    y_.report(n["matchers"] ? n["matchers"]
              : n["match"]  ? n["match"]
                            : n["match_re"],
              "alertmanager/invalid-value", "root route must not have any matchers",
              "the root route catches every alert; match in a child route");
  if (r.continue_) y_.report(n["continue"], "alertmanager/invalid-value", "cannot have continue in root route");
  if (!r.mute_time_intervals.empty())
    y_.report(n["mute_time_intervals"], "alertmanager/invalid-value",
              "root route must not have any mute time intervals");
  if (!r.active_time_intervals.empty())
    y_.report(n["active_time_intervals"], "alertmanager/invalid-value",
              "root route must not have any active time intervals");
}

// Values that were never filled in: YOUR_..., example.com addresses, <placeholders>. The message
// shows enough to find the value: all of it, or for a secret the field and a URL's host.
void Loader::placeholders(const yaml::Node& n, std::string_view key) {
  if (n.is_scalar()) {
    auto what = placeholder(n.scalar());
    if (what.empty()) return;
    // A URL's userinfo and secret-looking query values are masked (util::redact_url).
    std::string_view v = n.scalar();
    std::string shown = "\"" + (v.find("://") != std::string_view::npos ? util::redact_url(v) : std::string(v)) + "\"";
    if (is_hidden(n)) {
      auto [begin, end] = util::url_authority(v);
      std::string_view host = v.substr(begin, end - begin);
      if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
      shown = !host.empty() && v.find("://") != std::string_view::npos
                  ? std::string(key) + " (a URL of " + std::string(host) + ")"
                  : std::string(key);
    }
    y_.report(n, "alertmanager/placeholder", shown + " looks like a placeholder (" + what + "), not a real value",
              "fill in the deployment's value (secrets through the *_file field)");
    return;
  }
  if (n.is_map()) {
    for (const auto& e : n) placeholders(e.second, e.first.is_scalar() ? e.first.scalar() : key);
  } else if (n.is_sequence())
    for (const auto& e : n) placeholders(e, key);
}

bool Loader::is_hidden(const yaml::Node& n) const {
  auto offsets = y_.value_offsets(n);
  for (const auto& [b, e] : cfg_.secrets)
    for (std::size_t o : offsets)
      if (o >= b && o < e) return true;
  return false;
}

void Loader::inhibit_rule(const yaml::Node& n, Config& cfg) {
  newer(n, "inhibit_rule");
  if (!y_.check_mapping(n, kInhibit, "an inhibit rule")) return;
  InhibitRule r;
  r.span = y_.span(n);
  matchers(n, "source_", nullptr, nullptr, r.source);
  matchers(n, "target_", nullptr, nullptr, r.target);
  r.equal = texts(n, "equal");
  for (std::size_t i = 0; i < r.equal.size(); ++i)
    if (!is_label_name(r.equal[i].value))
      y_.report(n["equal"].at(i), "alertmanager/invalid-value",
                "\"" + r.equal[i].value + "\" is not a valid label name (in equal)");
  cfg.inhibit_rules.push_back(std::move(r));
}

void Loader::time_interval(const yaml::Node& n, Config& cfg) {
  if (!y_.check_mapping(n, kTimeInterval, "a time interval")) return;
  auto name = text(n, "name", "a time interval's name");
  if (!name || name->value.empty()) {
    y_.report(n, "alertmanager/missing-field", "missing name in time interval");
    return;
  }
  TimeInterval def{*name, {}};
  for (const auto& i : list(n["time_intervals"], "time_intervals"))
    if (y_.check_mapping(i, kInterval, "a time interval")) def.intervals.push_back(interval(i));
  cfg.time_intervals.push_back(*name);
  cfg.interval_defs.push_back(std::move(def));
}

// One entry of a time interval, checked as timeinterval.go checks it when Alertmanager loads
// the file (detail::time_range_error, in its words). `location` is not checked: Go reads it
// from the zoneinfo database of the machine Alertmanager runs on.
TimeIntervalSpec Loader::interval(const yaml::Node& i) {
  TimeIntervalSpec spec;
  auto fields = {std::pair{"weekdays", &spec.weekdays}, std::pair{"days_of_month", &spec.days_of_month},
                 std::pair{"months", &spec.months}, std::pair{"years", &spec.years}};
  for (auto [key, out] : fields) {
    auto l = i[key];
    if (!l || l.is_null()) continue;
    auto items = y_.strings(l, key);
    if (!items) continue;
    out->emplace();
    for (std::size_t k = 0; k < items->size(); ++k)
      if (auto err = detail::time_range_error(key, (*items)[k]); !err.empty())
        y_.report(l.at(k), "alertmanager/invalid-value", err + " (" + key + ")");
      else if (auto r = detail::time_range(key, (*items)[k])) (*out)->push_back({r->first, r->second});
  }
  spec.location = text(i, "location", "location");
  if (auto t = i["times"]; t && !t.is_null()) spec.times.emplace();
  for (const auto& t : list(i["times"], "times")) {
    if (!y_.check_mapping(t, {"start_time", "end_time"}, "a time range")) continue;
    auto start = text(t, "start_time", "start_time"), end = text(t, "end_time", "end_time");
    if (!start || !end) {
      y_.report(t, "alertmanager/invalid-value", "both start and end times must be provided");
      continue;
    }
    auto minutes = [&](const core::Located& x, const char* key) {
      auto m = detail::clock_minutes(x.value);
      if (!m)
        y_.report(t[key], "alertmanager/invalid-value",
                  "couldn't parse timestamp " + x.value + ", invalid format (a time such as 09:00, or 24:00)");
      return m;
    };
    auto b = minutes(*start, "start_time"), e = minutes(*end, "end_time");
    if (b && e && *b >= *e)
      y_.report(t, "alertmanager/invalid-value", "start time cannot be equal or greater than end time");
    else if (b && e) spec.times->push_back({*b, *e});
  }
  return spec;
}

// smarthost: a "host:port" that Go's net.SplitHostPort splits, with a port (config.go's HostPort).
void Loader::host_port(const yaml::Node& parent, const char* key, std::string_view where) {
  auto n = parent[key];
  if (!n || !n.is_scalar() || n.scalar().empty()) return;
  if (auto err = detail::host_port_error(n.scalar()); !err.empty())
    y_.report(n, "alertmanager/invalid-value",
              "address " + std::string(n.scalar()) + ": " + err + " (" + key + " in " + std::string(where) +
                  "); Alertmanager refuses to load this",
              "host:port, e.g. smtp.example.org:587");
}

} // namespace detail

Config load_config(const core::SourceFile& src, std::vector<core::Diagnostic>& diags, const LoadOptions& options) {
  Config cfg;
  detail::Loader(src, diags, cfg, options).run();
  return cfg;
}

} // namespace nsmon::alertmanager
