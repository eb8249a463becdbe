// alertmanager.yml: every receiver kind's required fields and global stand-ins, http_config as
// Prometheus's HTTP client, templates, placeholders, intervals; and the routing checks that need
// no rules (shadowed routes, self-inhibiting rules) or the rules (root-only severities, group_by).
#include <catch2/catch.hpp>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/alertmanager/templates.hpp"
#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/alertmanager_checks.hpp"
#include "nsmon/rules/rule_file.hpp"

using namespace nsmon;

namespace {

std::vector<core::Diagnostic> run(const std::string& text, const std::string& rules = "") {
  core::SourceFile src("am.yml", text), rules_src("rules.yml", rules);
  std::vector<core::Diagnostic> diags, ignored;
  auto cfg = alertmanager::load_config(src, diags, {.version = alertmanager::kNewestVersion});
  lint::check_alertmanager(cfg, diags);
  if (rules.empty()) lint::check_routes(cfg, diags);
  else {
    lint::Input input;
    input.rule_files.push_back(rules::load_rule_file(rules_src, ignored));
    lint::Options options;
    options.catalog = &catalog::embedded();
    lint::check_routing(cfg, lint::alert_labels(input, options, lint::label_names(cfg)), diags);
  }
  core::sort_diagnostics(diags);
  return diags;
}

// "line check: message" of each finding.
std::vector<std::string> found(const std::vector<core::Diagnostic>& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags)
    out.push_back(std::to_string(d.span.line) + " " + std::string(d.check.id()) + ": " + d.message);
  return out;
}
using V = std::vector<std::string>;

// One receiver `r` with the given configs (indented under the receiver), routed from the root.
std::string receiver(const std::string& configs, const std::string& global = "") {
  return (global.empty() ? "" : "global:\n" + global) + "route:\n  receiver: r\nreceivers:\n  - name: r\n" + configs;
}

} // namespace

TEST_CASE("alertmanager receivers: each kind's required fields, with global stand-ins", "[alertmanager]") {
  struct Case {
    std::string configs, global;
    V expected;
  };
  const std::vector<Case> cases = {
      {"    opsgenie_configs: [{message: m}]\n",
       "",
       {"5 alertmanager/missing-field: no global OpsGenie API Key set either inline or in a file (opsgenie_configs of "
        "receiver \"r\")"}},
      {"    opsgenie_configs: [{message: m}]\n", "  opsgenie_api_key_file: /k\n", {}},
      {"    victorops_configs: [{api_key_file: /k}]\n",
       "",
       {"5 alertmanager/missing-field: missing Routing key in VictorOps config (victorops_configs of receiver \"r\")"}},
      {"    pushover_configs: [{user_key_file: /u}]\n",
       "",
       {"5 alertmanager/missing-field: one of token or token_file must be configured (pushover_configs of receiver "
        "\"r\")"}},
      {"    sns_configs: [{subject: s}]\n",
       "",
       {"5 alertmanager/missing-field: must provide either a Target ARN, Topic ARN, or Phone Number for SNS config "
        "(sns_configs of receiver \"r\")"}},
      {"    telegram_configs: [{chat_id: 1, parse_mode: Plain}]\n",
       "  telegram_bot_token_file: /t\n",
       {"7 alertmanager/invalid-value: unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or "
        "empty string (telegram_configs of receiver \"r\")"}},
      {"    discord_configs: [{title: t}]\n",
       "",
       {"5 alertmanager/missing-field: one of webhook_url or webhook_url_file must be configured (discord_configs of "
        "receiver \"r\")"}},
      {"    webex_configs: [{room_id: x}]\n",
       "",
       {"5 alertmanager/missing-field: missing webex_configs.http_config.authorization (webex_configs of receiver "
        "\"r\")"}},
      {"    webex_configs: [{room_id: x, http_config: {authorization: {credentials_file: /c}}}]\n", "", {}},
      {"    wechat_configs: [{api_secret_file: /s}]\n",
       "",
       {"5 alertmanager/missing-field: no global Wechat CorpID set (wechat_configs of receiver \"r\")"}},
      {"    msteams_configs: [{webhook_url_file: /w}]\n", "", {}},
      {"    jira_configs: [{project: P, api_url: 'https://jira.internal'}]\n",
       "",
       {"5 alertmanager/missing-field: missing issue_type in jira_config (jira_configs of receiver \"r\")"}},
      // A null entry: refused for most kinds, an empty config (global fields then apply) for some.
      {"    webhook_configs: [~]\n",
       "",
       {"5 alertmanager/missing-field: missing webhook config (webhook_configs of receiver \"r\")"}},
      {"    slack_configs: [~]\n", "  slack_api_url_file: /s\n", {}},
      // URLs: a host and http(s); secret URLs are not shown.
      {"    opsgenie_configs: [{api_key_file: /k, api_url: 'ftp://opsgenie.internal/'}]\n",
       "",
       {"5 alertmanager/url: api_url \"ftp://opsgenie.internal/\": unsupported scheme \"ftp\" for URL; Alertmanager "
        "refuses to load this"}},
      {"    discord_configs: [{webhook_url: 'https://'}]\n",
       "",
       {"5 alertmanager/url: webhook_url: missing host for URL"}},
      // A secret and its *_file twin.
      {"    pushover_configs: [{user_key_file: /u, token_file: /t, token: abc}]\n",
       "",
       {"5 alertmanager/secret-conflict: at most one of token & token_file must be configured (pushover_configs of "
        "receiver \"r\")"}},
      // email's html is a template; pushover's html a boolean.
      {"    email_configs: [{to: a@corp.internal, html: '{{ template \"email.default.html\" . }}'}]\n",
       "  smtp_smarthost: 'smtp.corp.internal:25'\n  smtp_from: am@corp.internal\n",
       {}},
      {"    pushover_configs: [{user_key_file: /u, token_file: /t, html: 'yes'}]\n", "", {"5 yaml/type"}},
      // Unknown fields of a kind are refused, with the nearest known one.
      {"    victorops_configs: [{api_key_file: /k, routing_key: r, routing: x}]\n", "", {"5 yaml/unknown-field"}},
  };
  for (const auto& c : cases) {
    auto d = found(run(receiver(c.configs, c.global)));
    INFO(c.global + c.configs);
    if (c.expected.size() == 1 && c.expected[0].find(':') == std::string::npos) {
      REQUIRE(d.size() == 1);
      CHECK(d[0].rfind(c.expected[0], 0) == 0);
    } else CHECK(d == c.expected);
  }
}

TEST_CASE("alertmanager http_config: Prometheus's HTTP client rules", "[alertmanager]") {
  auto d = found(run(receiver("    webhook_configs:\n      - url_file: /u\n        http_config:\n"
                              "          basic_auth: {username: u, password_file: /p}\n"
                              "          authorization: {credentials_file: /c}\n"
                              "          tls_config: {cert_file: /c.pem}\n")));
  CHECK(d == V{"9 config/conflict: at most one of basic_auth, oauth2 & authorization must be configured",
               "10 config/missing-field: exactly one of key or key_file must be configured when a client certificate "
               "is configured"});
  d = found(
      run(receiver("    webhook_configs:\n      - url_file: /u\n        http_config: {oauth2: {client_id: x}}\n")));
  REQUIRE(d.size() == 1);
  CHECK(d[0] == "7 config/missing-field: oauth2 token_url must be configured");
  // global http_config too, and an unknown field of it.
  d = found(run("global:\n  http_config: {follow_redirect: true}\n" + receiver("")));
  REQUIRE(d.size() == 1);
  CHECK(d[0].rfind("2 yaml/unknown-field", 0) == 0);
}

TEST_CASE("alertmanager templates: inline ones and files parse with Alertmanager's functions", "[alertmanager]") {
  CHECK(alertmanager::template_error("{{ .GroupLabels.alertname | toUpper }} {{ range .Alerts }}x{{ end }}", "t")
            .empty());
  // humanize is Prometheus's, not Alertmanager's.
  CHECK(alertmanager::template_error("{{ .Value | humanize }}", "t") ==
        "template: t:1: function \"humanize\" not defined");
  auto d = found(run(receiver("    slack_configs:\n      - api_url_file: /s\n"
                              "        title: '{{ .GroupLabels.alertname }'\n")));
  REQUIRE(d.size() == 1);
  CHECK(d[0].rfind("7 alertmanager/template: template: inline:1: ", 0) == 0);

  std::vector<core::Diagnostic> diags;
  alertmanager::check_template_file(
      core::SourceFile("t.tmpl", "{{ define \"a\" }}ok{{ end }}\n{{ define \"b\" }}\n{{ if }}{{ end }}{{ end }}\n"),
      diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].span.line == 3);
  CHECK(diags[0].check == "alertmanager/template");
}

TEST_CASE("alertmanager placeholders", "[alertmanager]") {
  CHECK(alertmanager::placeholder("YOUR_SLACK_WEBHOOK_URL") == "it says \"your ...\"");
  CHECK(alertmanager::placeholder("ops@example.com") == "example.com, .org and .net are reserved for documentation");
  CHECK(alertmanager::placeholder("https://hooks.example.org/x") ==
        "example.com, .org and .net are reserved for documentation");
  CHECK(alertmanager::placeholder("changeme") == "a value to be replaced");
  CHECK(alertmanager::placeholder("ml-oncall@neurosymbolic.internal").empty());
  CHECK(alertmanager::placeholder("example.community.org").empty());
  CHECK(alertmanager::placeholder("#yourteam").empty());
}

TEST_CASE("alertmanager intervals and continue", "[alertmanager]") {
  auto d = found(run("route:\n  receiver: r\n  group_interval: 10m\n  repeat_interval: 5m\n  routes:\n"
                     "    - {receiver: r, matchers: ['a=\"1\"'], continue: true}\n"
                     "    - {receiver: r, matchers: ['a=\"2\"'], repeat_interval: 1h, continue: true}\n"
                     "receivers: [{name: r}]\n"));
  CHECK(d == V{"2 alertmanager/repeat-interval: repeat_interval 5m is shorter than group_interval 10m: Alertmanager "
               "repeats a notification only on a group_interval tick, so it repeats every 10m",
               "7 alertmanager/continue-last-route: continue: true on the last route of its level does nothing: "
               "there is no later sibling to continue to"});
  // The defaults (group_interval 5m) apply to what is not set.
  d = found(run("route: {receiver: r, repeat_interval: 1m}\nreceivers: [{name: r}]\n"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].find("repeat_interval 1m is shorter than group_interval 5m") != std::string::npos);
}

TEST_CASE("routing without rules: shadowed routes, self-inhibiting rules", "[alertmanager][routing]") {
  auto d = found(run("route:\n  receiver: r\n  routes:\n"
                     "    - {receiver: r, matchers: ['severity=~\"critical|warning\"']}\n"
                     "    - {receiver: r, matchers: ['severity=\"critical\"', 'team=\"ml\"']}\n"
                     "    - {receiver: r, matchers: ['severity=\"info\"']}\n"
                     "    - {receiver: r}\n"
                     "    - {receiver: r, matchers: ['team=\"ml\"']}\n"
                     "receivers: [{name: r}]\n"
                     "inhibit_rules:\n"
                     "  - {source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"critical\"'], "
                     "equal: [instance]}\n"
                     "  - {source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"warning\"']}\n"));
  CHECK(d ==
        V{"5 alertmanager/shadowed-route: this route is never reached: every alert that matches it matches the "
          "earlier route at line 4 first, which has no continue: true",
          "8 alertmanager/shadowed-route: this route is never reached: every alert that matches it matches the "
          "earlier route at line 7 first, which has no continue: true",
          "11 alertmanager/inhibit-never: this inhibit rule can mute nothing: its source and target matchers select "
          "the same alerts, and Alertmanager never lets alerts that match both sides mute each other (it inhibits "
          "itself)"});
}

TEST_CASE("routing against the rules: root-only severities, group_by labels", "[alertmanager][routing]") {
  const std::string rules = R"(groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        labels: {severity: critical}
      - alert: Slow
        expr: sum(rate(errors_total[5m])) > 1
        labels: {severity: info}
      - alert: Slower
        expr: sum(rate(errors_total[5m])) > 2
        labels: {severity: info}
)";
  auto d = found(run("route:\n  receiver: mail\n  routes:\n"
                     "    - receiver: pager\n      matchers: ['severity=\"critical\"']\n"
                     "      group_by: [instance, model]\n"
                     "receivers: [{name: mail}, {name: pager}]\n",
                     rules));
  CHECK(d == V{"2 alertmanager/root-only-severity: alerts with severity=\"info\" (Slow, Slower) reach only the root "
               "route's receiver \"mail\", which has no integrations: they are dropped",
               "6 alertmanager/group-by-absent: group_by label \"model\" is on none of the alerts that can reach this "
               "route (Down): it groups nothing"});
  // A catch-all root receiver that delivers is the common, correct design: nothing to say; one
  // that pages for info alerts is a finding.
  const std::string tail = "    - receiver: pager\n      matchers: ['severity=\"critical\"']\n";
  CHECK(found(run("route:\n  receiver: mail\n  routes:\n" + tail +
                      "receivers:\n  - {name: mail, email_configs: [{to: a@corp.internal, from: b@corp.internal, "
                      "smarthost: 'mail:25'}]}\n  - {name: pager}\n",
                  rules))
            .empty());
  CHECK(
      found(run("route:\n  receiver: oncall\n  routes:\n" + tail +
                    "receivers:\n  - {name: oncall, pagerduty_configs: [{routing_key_file: /k}]}\n  - {name: pager}\n",
                rules)) ==
      V{"2 alertmanager/root-only-severity: alerts with severity=\"info\" (Slow, Slower) reach only the root "
        "route's receiver \"oncall\", which pages (pagerduty_configs) for them"});
  // Alerts with both sides' labels inhibit nothing (the rules' view of a self-inhibiting rule).
  d = found(
      run("route: {receiver: r}\nreceivers: [{name: r}]\ninhibit_rules:\n"
          "  - {source_matchers: ['severity=~\"critical|info\"'], target_matchers: ['severity=~\"info|critical\"'], "
          "equal: [alertname]}\n",
          rules));
  REQUIRE(d.size() == 1);
  CHECK(d[0].find("alertmanager/inhibit-never") != std::string::npos);
  CHECK(d[0].find("(it inhibits itself)") != std::string::npos);
}
