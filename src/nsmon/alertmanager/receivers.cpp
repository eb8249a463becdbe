// alertmanager.yml's receivers, each entry of their *_configs lists read by its kind's row
// (notifiers.hpp): the part of the loader (loader.hpp) that knows the integrations.
#include <algorithm>
#include <array>
#include <re2/re2.h>
#include <string_view>

#include "nsmon/alertmanager/loader.hpp"
#include "nsmon/alertmanager/templates.hpp"
#include "nsmon/core/yaml_v2.hpp"
#include "nsmon/httpconfig/http_client.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::alertmanager::detail {

namespace {

// Pushover's html and monospace are booleans; email's html is a template (a string).
// clang-format off
constexpr std::array kPushoverBools = {
  core::yaml_v2::Field{"html", core::yaml_v2::Type::boolean},
  core::yaml_v2::Field{"monospace", core::yaml_v2::Type::boolean},
};
// clang-format on

} // namespace

void Loader::receiver(const yaml::Node& n, Config& cfg) {
  Fields allowed = {"name", "labels"};
  for (const auto& k : detail::notifier_kinds()) allowed.emplace_back(k.key);
  newer(n, "receiver");
  if (!y_.check_mapping(n, allowed, "a receiver")) return;
  Receiver r;
  if (auto name = text(n, "name", "a receiver's name"); name && !name->value.empty()) r.name = *name;
  else {
    y_.report(n, "alertmanager/missing-field", "missing name in receiver");
    return;
  }
  for (const auto& kind : detail::notifier_kinds())
    for (const auto& c : list(n[std::string(kind.key)], std::string(kind.key))) {
      r.kinds.emplace_back(kind.key);
      r.notifiers.push_back(values(kind, c));
      notifier(kind, c, cfg, r);
    }
  cfg.receivers.push_back(std::move(r));
}

// What dispatch renders of a notifier config: its string values, those of maps and lists named
// by their path ("details.x", "fields[0].title").
Notifier Loader::values(const detail::NotifierKind& kind, const yaml::Node& c) {
  Notifier out{std::string(kind.key), std::nullopt, {}};
  if (!c || !c.is_map()) return out;
  for (const auto& e : c) {
    if (!e.first.is_scalar()) continue;
    std::string key(e.first.scalar());
    if (key == "send_resolved") out.send_resolved = core::yaml_v2::to_bool(e.second);
    else if (key != "http_config" && key != "tls_config" && key != "sigv4") flatten(key, e.second, out);
  }
  return out;
}

void Loader::flatten(const std::string& path, const yaml::Node& n, Notifier& out) {
  if (n.is_scalar() && !n.is_null()) out.fields.emplace_back(path, y_.located(n));
  else if (n.is_map()) {
    for (const auto& f : n)
      if (f.first.is_scalar()) flatten(path + "." + std::string(f.first.scalar()), f.second, out);
  } else if (n.is_sequence()) {
    std::size_t i = 0;
    for (const auto& item : n) flatten(path + "[" + std::to_string(i++) + "]", item, out);
  }
}

// One entry of a receiver's *_configs list, by its kind's row.
void Loader::notifier(const detail::NotifierKind& kind, const yaml::Node& c, const Config& cfg, Receiver& r) {
  const std::string& receiver = r.name.value;
  const std::string key(kind.key);
  const std::string where = key + " of receiver \"" + receiver + "\"";
  const std::string name = key.substr(0, key.size() - std::string_view("_configs").size());
  if (!c || c.is_null()) {
    // Alertmanager refuses a null entry of most kinds; the others are read as an empty config.
    if (kind.null_refused) y_.report(c, "alertmanager/missing-field", "missing " + name + " config (" + where + ")");
    else required(kind, yaml::Node(), c, cfg, where);
    return;
  }
  Fields allowed = kind.fields;
  allowed.emplace_back("send_resolved");
  if (kind.http) allowed.emplace_back("http_config");
  if (!y_.check_mapping(c, allowed, "an entry of " + key)) return;
  newer(c, key);
  if (kind.http) {
    newer(c["http_config"], "http_config");
    httpconfig::check_http_client(y_, c["http_config"]);
  }
  if (key == "email_configs") host_port(c, "smarthost", where);
  if (auto t = c["tls_config"]; t && !t.is_null()) httpconfig::check_tls_config(y_, c, "tls_config");
  required(kind, c, c, cfg, where);
  for (auto u : kind.urls) url(c, std::string(u).c_str(), false);
  for (auto u : kind.secret_urls) url(c, std::string(u).c_str(), true);
  // URL fields that are not secrets: a credential in one is printed with it.
  for (auto u : kind.urls) {
    const std::string file = std::string(u) + "_file";
    userinfo(c, std::string(u), where, key, true,
             std::find(kind.fields.begin(), kind.fields.end(), file) != kind.fields.end() && has_field(key, file));
  }
  // Email's auth secrets: Alertmanager loads both given and uses one of them.
  for (auto s : kind.secrets)
    secret(c, std::string(s), where, key,
           std::find(kind.secret_urls.begin(), kind.secret_urls.end(), s) != kind.secret_urls.end(),
           key != "email_configs");
  for (const auto& o : kind.one_of)
    if (auto v = c[std::string(o.field)];
        v && v.is_scalar() && v.scalar().find("{{") == std::string::npos &&
        std::find(o.values.begin(), o.values.end(), std::string_view(v.scalar())) == o.values.end())
      y_.report(v, "alertmanager/invalid-value", std::string(o.message) + " (" + where + ")");
  for (auto d : kind.durations) duration(c, std::string(d).c_str());
  if (key == "slack_configs" && (present(c["app_token"]) || present(c["app_token_file"])) &&
      present(c["http_config"]) && c["http_config"].is_map() && present(c["http_config"]["authorization"]))
    y_.report(c["http_config"]["authorization"], "alertmanager/secret-conflict",
              "http authorization can't be set when using Slack App tokens (" + where + ")");
  if (key == "slack_configs") {
    bool api = present(c["api_url"]) || present(c["api_url_file"]);
    bool token = present(c["app_token"]) || present(c["app_token_file"]);
    if (api && token)
      y_.report(key_node(c, "app_token" + std::string(present(c["app_token"]) ? "" : "_file")),
                "alertmanager/secret-conflict",
                "at most one of api_url/api_url_file & app_token/app_token_file must be configured (" + where + ")");
    // Updating a message needs the chat.postMessage API (a bot token), not a webhook URL.
    auto api_url = c["api_url"];
    if (auto u = c["update_message"];
        u && core::yaml_v2::to_bool(u).value_or(false) &&
        !(api_url && api_url.is_scalar() && api_url.scalar() == "https://slack.com/api/chat.postMessage"))
      y_.report(u, "alertmanager/invalid-value",
                "update_message can only be used with bot tokens. api_url must be set to "
                "https://slack.com/api/chat.postMessage (" +
                    where + ")");
  }
  if (key == "pushover_configs") core::yaml_v2::check_scalars(y_, c, kPushoverBools, {});
  if (key == "pushover_configs" && c["html"] && c["monospace"] && core::yaml_v2::to_bool(c["html"]).value_or(false) &&
      core::yaml_v2::to_bool(c["monospace"]).value_or(false))
    y_.report(c["monospace"], "alertmanager/invalid-value",
              "at most one of monospace & html must be configured (" + where + ")");
  placeholders(c);
  check_templates(c, where, r);
}

// Alertmanager's message names the fields of its newest version ("one of url or url_file"); a
// field the target version does not have (url_file before 0.26) is left out of the advice.
std::string Loader::required_message(const detail::NotifierKind& kind, const detail::Required& r) const {
  std::vector<std::string> known;
  for (auto f : r.any)
    if (f.find('.') != std::string_view::npos || has_field(kind.key, f)) known.emplace_back(f);
  if (known.size() == r.any.size()) return std::string(r.message);
  std::string message = known.size() == 1 ? known[0] : "one of " + util::join(known, " or ");
  message += " must be configured";
  std::vector<std::string> global;
  for (auto g : r.global)
    if (has_field("global", g)) global.emplace_back(g);
  if (!global.empty()) message += ", or " + util::join(global, " or ") + " under global:";
  return message;
}

// The fields a kind needs, in the config or (for some) under global:.
void Loader::required(const detail::NotifierKind& kind, const yaml::Node& c, const yaml::Node& at, const Config& cfg,
                      const std::string& where) {
  for (const auto& r : kind.required) {
    bool ok = false;
    for (auto f : r.any) {
      auto dot = f.find('.');
      yaml::Node n = c ? c[std::string(f.substr(0, dot))] : yaml::Node();
      if (dot != std::string_view::npos && n && n.is_map()) n = n[std::string(f.substr(dot + 1))];
      else if (dot != std::string_view::npos) n = yaml::Node();
      ok = ok || present(n);
    }
    for (auto g : r.global) ok = ok || cfg.global_fields.count(std::string(g));
    if (!ok) y_.report(at, "alertmanager/missing-field", required_message(kind, r) + " (" + where + ")");
  }
}

// Every scalar of a receiver's config that holds a template ({{ ... }}) must parse as one.
void Loader::check_templates(const yaml::Node& n, const std::string& where, Receiver& r) {
  if (n.is_scalar()) {
    if (n.scalar().find("{{") == std::string::npos) return;
    if (auto err = template_error(n.scalar(), "inline"); !err.empty())
      y_.report(n, "alertmanager/template", err + " (" + where + ")",
                "Alertmanager reports this when it sends the notification, not when it loads the file");
    else references(n, r); // a template that does not parse has one finding, not more
    return;
  }
  if (n.is_map()) {
    for (const auto& e : n)
      if (!(e.first.is_scalar() && (e.first.scalar() == "http_config" || e.first.scalar() == "tls_config")))
        check_templates(e.second, where, r);
  } else if (n.is_sequence())
    for (const auto& e : n) check_templates(e, where, r);
}

// The group labels and the named templates a field's template reads (checks.cpp and the CLI,
// which reads the templates: files, check them against the routes and the definitions).
void Loader::references(const yaml::Node& n, Receiver& r) {
  static const RE2 group_label(R"(\.GroupLabels\.([A-Za-z_][A-Za-z0-9_]*))");
  static const RE2 named(R"re(\{\{-?\s*template\s+"([^"]+)")re");
  re2::StringPiece in(n.scalar().data(), n.scalar().size());
  std::string name;
  // template.KV's methods (.GroupLabels.Names, .SortedPairs, ...) are not labels.
  static constexpr std::string_view kMethods[] = {"SortedPairs", "Names", "Values", "Remove"};
  while (RE2::FindAndConsume(&in, group_label, &name))
    if (std::find(std::begin(kMethods), std::end(kMethods), name) == std::end(kMethods))
      r.group_labels.push_back({name, y_.span(n)});
  in = re2::StringPiece(n.scalar().data(), n.scalar().size());
  while (RE2::FindAndConsume(&in, named, &name)) r.templates.push_back({name, y_.span(n)});
}

} // namespace nsmon::alertmanager::detail
