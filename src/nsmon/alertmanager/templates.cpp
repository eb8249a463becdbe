#include "nsmon/alertmanager/templates.hpp"

#include <algorithm>
#include <cstdlib>
#include <re2/re2.h>
#include <set>

#include "nsmon/alertmanager/notifiers.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/gotemplate/parse.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::alertmanager {

namespace {
// Go's parser has no nesting limit; nsmon stops at a depth no real template reaches.
constexpr std::size_t kMaxNesting = 1000;
} // namespace

std::string template_error(std::string_view text, std::string_view name) {
  auto parsed = gotemplate::detail::parse(name, text, kMaxNesting, detail::known_template_function);
  return parsed.error.value_or("");
}

void check_template_file(const core::SourceFile& file, std::vector<core::Diagnostic>& diags) {
  std::string name = file.path();
  if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
  std::string err = template_error(file.text(), name);
  if (!err.empty()) diags.push_back(template_file_error(file.path(), err));
}

core::Diagnostic template_file_error(const std::string& path, const std::string& err) {
  std::string name = path;
  if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
  // "template: NAME:LINE: message": point at LINE of the file.
  int line = 1;
  std::string prefix = "template: " + name + ":";
  if (err.rfind(prefix, 0) == 0) line = std::atoi(err.c_str() + prefix.size());
  return core::make_diagnostic("alertmanager/template", core::Span{path, line == 0 ? 1 : line, 1, 0}, err,
                               "Alertmanager refuses to load a configuration whose templates do not parse");
}

std::vector<std::string> defined_templates(std::string_view text) {
  static const RE2 define(R"re(\{\{-?\s*define\s+"([^"]+)")re");
  std::vector<std::string> out;
  re2::StringPiece in(text.data(), text.size());
  std::string name;
  while (RE2::FindAndConsume(&in, define, &name)) out.push_back(name);
  return out;
}

void check_template_names(const Config& cfg, const std::vector<std::string>& defined,
                          std::vector<core::Diagnostic>& diags) {
  // template/default.tmpl's names (v0.34.0, a superset of 0.25's).
  static const std::set<std::string_view> defaults = {"__alertmanager",
                                                      "__alertmanagerURL",
                                                      "__subject",
                                                      "__description",
                                                      "__text_alert_list",
                                                      "__text_alert_list_markdown",
                                                      "slack.default.title",
                                                      "slack.default.username",
                                                      "slack.default.fallback",
                                                      "slack.default.callbackid",
                                                      "slack.default.pretext",
                                                      "slack.default.titlelink",
                                                      "slack.default.iconemoji",
                                                      "slack.default.iconurl",
                                                      "slack.default.text",
                                                      "slack.default.footer",
                                                      "slack.default.color",
                                                      "pagerduty.default.description",
                                                      "pagerduty.default.client",
                                                      "pagerduty.default.clientURL",
                                                      "pagerduty.default.instances",
                                                      "opsgenie.default.message",
                                                      "opsgenie.default.description",
                                                      "opsgenie.default.source",
                                                      "wechat.default.message",
                                                      "wechat.default.to_user",
                                                      "wechat.default.to_party",
                                                      "wechat.default.to_tag",
                                                      "wechat.default.agent_id",
                                                      "victorops.default.state_message",
                                                      "victorops.default.entity_display_name",
                                                      "victorops.default.monitoring_tool",
                                                      "pushover.default.title",
                                                      "pushover.default.message",
                                                      "pushover.default.url",
                                                      "sns.default.subject",
                                                      "sns.default.message",
                                                      "telegram.default.message",
                                                      "discord.default.content",
                                                      "discord.default.title",
                                                      "discord.default.message",
                                                      "webex.default.message",
                                                      "msteams.default.summary",
                                                      "msteams.default.title",
                                                      "msteams.default.text",
                                                      "msteamsv2.default.title",
                                                      "msteamsv2.default.text",
                                                      "jira.default.summary",
                                                      "jira.default.description",
                                                      "jira.default.priority",
                                                      "rocketchat.default.title",
                                                      "rocketchat.default.alias",
                                                      "rocketchat.default.titlelink",
                                                      "rocketchat.default.emoji",
                                                      "rocketchat.default.iconurl",
                                                      "rocketchat.default.text",
                                                      "mattermost.default.color",
                                                      "mattermost.default.username",
                                                      "mattermost.default.title",
                                                      "mattermost.default.titlelink",
                                                      "mattermost.default.fallback",
                                                      "mattermost.default.text",
                                                      "email.default.subject",
                                                      "email.default.html"};
  std::vector<std::string> known(defined);
  known.insert(known.end(), defaults.begin(), defaults.end());
  for (const auto& r : cfg.receivers)
    for (const auto& ref : r.templates) {
      if (defaults.count(ref.value) || std::find(defined.begin(), defined.end(), ref.value) != defined.end()) continue;
      std::string hint = util::did_you_mean(ref.value, known);
      diags.push_back(core::make_diagnostic(
          "alertmanager/undefined-template", ref.span,
          "receiver \"" + r.name.value + "\" uses template \"" + ref.value +
              "\", which no templates: file defines: the notification fails to render when it is sent",
          hint.empty() ? "define it in a file that templates: names" : "did you mean \"" + hint + "\"?"));
    }
}

std::string placeholder(std::string_view value) {
  static const RE2 your(R"((?i)(^|[^a-z0-9])your[_-][a-z0-9_-]+)");
  static const RE2 example(R"((?i)(^|[@./])example\.(com|org|net)($|[:/>?#]))");
  static const RE2 change(R"((?i)^(changeme|change[_-]me|replace[_-]?me|password|todo|xxx+)$)");
  // xxx@xxx.com, .../XXXXXXXX: a run of x as a whole word.
  static const RE2 xs(R"((^|[^A-Za-z0-9])[xX]{3,}([^A-Za-z0-9]|$))");
  // '#<channel-name>', .../services/<webhook-id>, <team-X-key>: a name in angle brackets with a
  // - or _ (not Slack's <!here> or <@U123>, nor an HTML tag).
  static const RE2 angle(R"(<[A-Za-z][A-Za-z0-9]*[-_][A-Za-z0-9_-]*>)");
  // https://hooks.slack.com/services/API/KEY: the words where a URL's token goes.
  static const RE2 token_words(R"(^https?://[^/]+/.*/(API|KEY|TOKEN|SECRET)(/|$))");
  // api_key: opsgenie-key: the field's name where its value goes.
  static const RE2 named(R"((?i)^[a-z]+[-_](key|token|secret|password)$)");
  static const RE2 slack_bare(R"(^https?://hooks\.slack\.com/services/?$)");
  re2::StringPiece v(value.data(), value.size());
  if (RE2::PartialMatch(v, your)) return "it says \"your ...\"";
  if (RE2::PartialMatch(v, example)) return "example.com, .org and .net are reserved for documentation";
  if (RE2::FullMatch(v, change) || RE2::PartialMatch(v, xs)) return "a value to be replaced";
  if (value.find("{{") == std::string_view::npos && RE2::PartialMatch(v, angle)) return "a <name> to be filled in";
  if (RE2::PartialMatch(v, token_words)) return "words where the URL's token goes";
  if (RE2::PartialMatch(v, slack_bare)) return "a Slack webhook URL without its token";
  if (RE2::FullMatch(v, named)) return "a name where the value goes";
  return {};
}

} // namespace nsmon::alertmanager
