#include "nsmon/alertmanager/versions.hpp"

#include <array>
#include <charconv>

namespace nsmon::alertmanager {

namespace {

struct Added {
  std::string_view where, field;
  int minor;
};

// Fields added after 0.25, read off the yaml tags of config/config.go and config/notifiers.go at
// each release tag of prometheus/alertmanager (v0.25.0 to v0.34.0), and http_config's from the
// prometheus/common version each release's go.mod names (proxy_from_environment: common 0.44 in
// 0.26; http_headers: common 0.61 in 0.28). A notifier kind added later is a receiver field.
// clang-format off
constexpr auto kAdded = std::to_array<Added>({
  {"top", "tracing", 30}, {"top", "event_recorder", 33},
  {"global", "jira_api_url", 28}, {"global", "rocketchat_api_url", 28}, {"global", "rocketchat_token", 28},
  {"global", "rocketchat_token_file", 28}, {"global", "rocketchat_token_id", 28},
  {"global", "rocketchat_token_id_file", 28}, {"global", "smtp_tls_config", 28},
  {"global", "slack_app_token", 30}, {"global", "slack_app_token_file", 30}, {"global", "slack_app_url", 30},
  {"global", "smtp_auth_secret_file", 31}, {"global", "smtp_force_implicit_tls", 31},
  {"global", "telegram_bot_token", 31}, {"global", "telegram_bot_token_file", 31},
  {"global", "wechat_api_secret_file", 31}, {"global", "mattermost_webhook_url", 32},
  {"global", "mattermost_webhook_url_file", 32},
  {"route", "labels", 34},
  {"inhibit_rule", "name", 30},
  {"receiver", "msteams_configs", 26}, {"receiver", "jira_configs", 28}, {"receiver", "msteamsv2_configs", 28},
  {"receiver", "rocketchat_configs", 28}, {"receiver", "incidentio_configs", 29},
  {"receiver", "mattermost_configs", 30}, {"receiver", "labels", 33},
  {"http_config", "proxy_from_environment", 26}, {"http_config", "http_headers", 28},
  {"discord_configs", "webhook_url_file", 27}, {"discord_configs", "avatar_url", 28},
  {"discord_configs", "content", 28}, {"discord_configs", "username", 28},
  {"email_configs", "threading", 30}, {"email_configs", "auth_secret_file", 31},
  {"email_configs", "force_implicit_tls", 31},
  {"jira_configs", "api_type", 29},
  {"mattermost_configs", "author_icon", 32}, {"mattermost_configs", "author_link", 32},
  {"mattermost_configs", "author_name", 32}, {"mattermost_configs", "color", 32},
  {"mattermost_configs", "fallback", 32}, {"mattermost_configs", "fields", 32},
  {"mattermost_configs", "footer", 32}, {"mattermost_configs", "footer_icon", 32},
  {"mattermost_configs", "image_url", 32}, {"mattermost_configs", "pretext", 32},
  {"mattermost_configs", "thumb_url", 32}, {"mattermost_configs", "title", 32},
  {"mattermost_configs", "title_link", 32},
  {"msteams_configs", "summary", 27}, {"msteams_configs", "webhook_url_file", 27},
  {"pagerduty_configs", "timeout", 30},
  {"pushover_configs", "device", 26}, {"pushover_configs", "token_file", 26},
  {"pushover_configs", "user_key_file", 26}, {"pushover_configs", "ttl", 27}, {"pushover_configs", "monospace", 29},
  {"slack_configs", "app_token", 30}, {"slack_configs", "app_token_file", 30}, {"slack_configs", "app_url", 30},
  {"slack_configs", "timeout", 30}, {"slack_configs", "message_text", 31}, {"slack_configs", "update_message", 32},
  {"sns_configs", "use_aws_http_client", 33},
  {"telegram_configs", "bot_token_file", 26}, {"telegram_configs", "message_thread_id", 28},
  {"telegram_configs", "chat_id_file", 31},
  {"webhook_configs", "url_file", 26}, {"webhook_configs", "timeout", 28}, {"webhook_configs", "payload", 32},
  {"wechat_configs", "api_secret_file", 31},
});
// clang-format on

// URL fields that became SecretURL after 0.25 (config/notifiers.go at each release tag).
constexpr auto kSecretSince = std::to_array<Added>({{"webhook_configs", "url", 26}});

} // namespace

std::optional<Version> parse_version(std::string_view s) {
  if (s == "latest") return kNewestVersion;
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  if (!s.starts_with("0.")) return std::nullopt;
  s.remove_prefix(2);
  int minor = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), minor);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  std::string_view rest(end, static_cast<std::size_t>(s.data() + s.size() - end));
  if (!rest.empty()) { // a patch release: ".N"
    int patch = 0;
    auto [pend, pec] = std::from_chars(rest.data() + 1, rest.data() + rest.size(), patch);
    if (rest[0] != '.' || pec != std::errc() || pend != rest.data() + rest.size()) return std::nullopt;
  }
  Version v{minor};
  if (v < kOldestVersion || v > kNewestVersion) return std::nullopt;
  return v;
}

Version field_since(std::string_view where, std::string_view field) {
  for (const auto& a : kAdded)
    if (a.where == where && a.field == field) return Version{a.minor};
  return kOldestVersion;
}

Version secret_since(std::string_view where, std::string_view field) {
  for (const auto& a : kSecretSince)
    if (a.where == where && a.field == field) return Version{a.minor};
  return kOldestVersion;
}

} // namespace nsmon::alertmanager
