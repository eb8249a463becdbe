#include "nsmon/alertmanager/integrations.hpp"

#include <array>

namespace nsmon::alertmanager::detail {

namespace {

// clang-format off
const std::array kIntegrations = {
  Integration{"discord_configs", true, {{"title", R"({{ template "discord.default.title" . }})"},
                                        {"message", R"({{ template "discord.default.message" . }})"}}, {}, {}},
  Integration{"email_configs", false, {{"to", ""}, {"from", ""},
                                       {"html", R"({{ template "email.default.html" . }})"}, {"text", ""}},
              {"headers"}, {{"subject", R"({{ template "email.default.subject" . }})"}}},
  Integration{"opsgenie_configs", true, {{"message", R"({{ template "opsgenie.default.message" . }})"},
                                         {"description", R"({{ template "opsgenie.default.description" . }})"},
                                         {"source", R"({{ template "opsgenie.default.source" . }})"},
                                         {"entity", ""}, {"actions", ""}, {"tags", ""}, {"note", ""}, {"priority", ""}},
              {"details"}, {}, "details"},
  Integration{"pagerduty_configs", true, {{"description", R"({{ template "pagerduty.default.description" .}})"},
                                          {"client", R"({{ template "pagerduty.default.client" . }})"},
                                          {"client_url", R"({{ template "pagerduty.default.clientURL" . }})"},
                                          {"severity", "error"}, {"class", ""}, {"component", ""}, {"group", ""},
                                          {"source", ""}},
              {"details"}, {{"details.firing", R"({{ template "pagerduty.default.instances" .Alerts.Firing }})"},
                            {"details.resolved", R"({{ template "pagerduty.default.instances" .Alerts.Resolved }})"},
                            {"details.num_firing", R"({{ .Alerts.Firing | len }})"},
                            {"details.num_resolved", R"({{ .Alerts.Resolved | len }})"}}},
  Integration{"pushover_configs", true, {{"title", R"({{ template "pushover.default.title" . }})"},
                                         {"message", R"({{ template "pushover.default.message" . }})"},
                                         {"url", R"({{ template "pushover.default.url" . }})"}, {"url_title", ""},
                                         {"priority", R"({{ if eq .Status "firing" }}2{{ else }}0{{ end }})"},
                                         {"sound", ""}}, {}, {}},
  Integration{"slack_configs", false, {{"channel", ""},
                                       {"username", R"({{ template "slack.default.username" . }})"},
                                       {"color", R"({{ if eq .Status "firing" }}danger{{ else }}good{{ end }})"},
                                       {"title", R"({{ template "slack.default.title" . }})"},
                                       {"title_link", R"({{ template "slack.default.titlelink" . }})"},
                                       {"pretext", R"({{ template "slack.default.pretext" . }})"},
                                       {"text", R"({{ template "slack.default.text" . }})"},
                                       {"fallback", R"({{ template "slack.default.fallback" . }})"},
                                       {"callback_id", R"({{ template "slack.default.callbackid" . }})"},
                                       {"footer", R"({{ template "slack.default.footer" . }})"},
                                       {"icon_emoji", R"({{ template "slack.default.iconemoji" . }})"},
                                       {"icon_url", R"({{ template "slack.default.iconurl" . }})"},
                                       {"image_url", ""}, {"thumb_url", ""}}, {}, {}},
  Integration{"sns_configs", true, {{"subject", R"({{ template "sns.default.subject" . }})"},
                                    {"message", R"({{ template "sns.default.message" . }})"},
                                    {"topic_arn", ""}, {"phone_number", ""}, {"target_arn", ""}},
              {"attributes"}, {}},
  Integration{"telegram_configs", true, {{"message", R"({{ template "telegram.default.message" . }})"}}, {}, {}},
  Integration{"victorops_configs", true, {{"message_type", "CRITICAL"},
                                          {"state_message", R"({{ template "victorops.default.state_message" . }})"},
                                          {"entity_display_name", R"({{ template "victorops.default.entity_display_name" . }})"},
                                          {"monitoring_tool", R"({{ template "victorops.default.monitoring_tool" . }})"},
                                          {"routing_key", ""}},
              {"custom_fields"}, {}},
  Integration{"webex_configs", true, {{"message", R"({{ template "webex.default.message" . }})"}}, {}, {}},
  Integration{"webhook_configs", true, {}, {}, {}},
  Integration{"wechat_configs", false, {{"message", R"({{ template "wechat.default.message" . }})"},
                                        {"to_user", R"({{ template "wechat.default.to_user" . }})"},
                                        {"to_party", R"({{ template "wechat.default.to_party" . }})"},
                                        {"to_tag", R"({{ template "wechat.default.to_tag" . }})"},
                                        {"agent_id", R"({{ template "wechat.default.agent_id" . }})"}}, {}, {}},
};
// clang-format on

} // namespace

const Integration* integration(std::string_view key) {
  for (const Integration& i : kIntegrations)
    if (i.key == key) return &i;
  return nullptr;
}

} // namespace nsmon::alertmanager::detail
