#include <catch2/catch.hpp>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/alertmanager/matchers.hpp"
#include "nsmon/alertmanager/routing.hpp"
#include "nsmon/alertmanager/templates.hpp"
#include "nsmon/lint/alertmanager_checks.hpp"
#include "nsmon/util/files.hpp"
#include "test_places.hpp"

using namespace nsmon;

namespace {
struct Loaded {
  alertmanager::Config cfg;
  std::vector<core::Diagnostic> diags;
};

// Read for the newest version nsmon knows (the field set); the versions have their own test.
Loaded load(const std::string& text, const std::string& path = "alertmanager.yml",
            alertmanager::Version version = alertmanager::kNewestVersion) {
  core::SourceFile src(path, text);
  Loaded l;
  l.cfg = alertmanager::load_config(src, l.diags, {.version = version});
  lint::check_alertmanager(l.cfg, l.diags);
  core::sort_diagnostics(l.diags);
  return l;
}

std::vector<std::string> where(const std::vector<core::Diagnostic>& diags) {
  return testing::places_with_severity(diags);
}
using V = std::vector<std::string>;

// A valid head every case builds on: the root route and its receiver.
const std::string kHead = "route:\n  receiver: r\nreceivers:\n  - name: r\n";
} // namespace

TEST_CASE("alertmanager matchers: Alertmanager's classic syntax", "[alertmanager]") {
  struct Case {
    const char* line;
    std::size_t count; // matchers parsed; 0: an error
    const char* value; // value of the first, when parsed
  };
  const Case cases[] = {
      {"severity=\"critical\"", 1, "critical"},
      {"severity = critical", 1, "critical"},
      {"{a=\"1\", b=~\"x|y\"}", 2, "1"},
      {"team!~\"ops.*\"", 1, "ops.*"},
      {"a!=\"x,y\"", 1, "x,y"}, // comma inside quotes
      {"a=\"say \\\"hi\\\"\"", 1, "say \"hi\""},
      {"a=\"\"", 1, ""},
      {"a:b=c", 1, "c"},   // the classic parser allows colons
      {"1a=b", 0, ""},     // a name starts with a letter or _
      {"severity", 0, ""}, // no operator
      {"a==b", 0, ""},     // the value may not start with an unescaped quote... but = is a value
      {"a=\"unterminated", 0, ""},
      {"a=x\"y", 0, ""},           // an unescaped quote inside
      {"a=~\"(unclosed\"", 0, ""}, // RE2 cannot compile it
      {"a=~\"x{2,1}\"", 0, ""},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    auto p = alertmanager::parse_matchers(c.line);
    if (c.count == 0) {
      // "a==b" is a matcher a = "=b" for Alertmanager: it parses.
      if (std::string(c.line) == "a==b") {
        CHECK(p.error.empty());
        continue;
      }
      CHECK(!p.error.empty());
    } else {
      CHECK(p.error.empty());
      REQUIRE(p.matchers.size() == c.count);
      CHECK(p.matchers[0].value == c.value);
    }
  }
}

TEST_CASE("alertmanager.yml: structure and checks, positioned", "[alertmanager]") {
  struct Case {
    const char* name;
    std::string text;
    V expected;
  };
  // clang-format off
  const Case cases[] = {
    {"clean minimal", kHead, {}},
    {"empty file: no route", "", {"1:1 error alertmanager/missing-field"}},
    {"no route", "receivers:\n  - name: r\n", {"1:1 error alertmanager/missing-field"}},
    {"unknown top-level field, did you mean", kHead + "inhibit_rule: []\n", {"5:1 error yaml/unknown-field"}},
    {"root route without receiver", "route:\n  group_by: [a]\nreceivers: []\n", {"2:3 error alertmanager/missing-field"}},
    {"a receiver no route uses", kHead + "  - name: s\n", {"5:11 warning alertmanager/unused-receiver"}},
    {"undefined receiver", "route:\n  receiver: r\n  routes:\n    - receiver: nope\nreceivers:\n  - name: r\n", {"4:17 error alertmanager/undefined-receiver"}},
    {"duplicate receiver names", kHead + "  - name: r\n", {"5:11 error alertmanager/duplicate-name"}},
    {"bad durations and zero intervals", "route:\n  receiver: r\n  group_wait: 10 s\n  group_interval: 0s\n  repeat_interval: 0\nreceivers:\n  - name: r\n",
     {"3:15 error alertmanager/duration", "4:19 error alertmanager/duration", "5:20 error alertmanager/duration"}},
    {"resolve_timeout", "global:\n  resolve_timeout: 5 minutes\n" + kHead, {"2:20 error alertmanager/duration"}},
    {"route twice", kHead + "route:\n", {"5:1 error yaml/duplicate-key"}},
    {"child matchers", "route:\n  receiver: r\n  routes:\n    - receiver: r\n      matchers: ['severity=\"critical\"', 'team=~\"(ops\"', 'bad']\n      continue: true\nreceivers:\n  - name: r\n",
     // continue on the last route of its level does nothing.
     {"4:7 warning alertmanager/continue-last-route", "5:41 error alertmanager/matcher",
      "5:57 error alertmanager/matcher"}},
    {"root route must not have matchers or continue", "route:\n  receiver: r\n  matchers: [a=b]\n  continue: true\nreceivers:\n  - name: r\n",
     {"3:13 error alertmanager/invalid-value", "4:13 error alertmanager/invalid-value"}},
    {"deprecated match and match_re, with a bad regex", "route:\n  receiver: r\n  routes:\n    - receiver: r\n      match: {severity: critical}\n      match_re: {team: '(x'}\nreceivers:\n  - name: r\n",
     {"5:7 info alertmanager/deprecated-match", "6:7 info alertmanager/deprecated-match", "6:24 error alertmanager/matcher"}},
    {"group_by: duplicate, invalid, wildcard with others", "route:\n  receiver: r\n  group_by: [a, a, 'b-c', '...']\nreceivers:\n  - name: r\n",
     {"3:13 error alertmanager/invalid-value", "3:17 error alertmanager/invalid-value", "3:20 error alertmanager/invalid-value"}},
    {"time intervals defined and not", "route:\n  receiver: r\n  routes:\n    - receiver: r\n      mute_time_intervals: [nights, weekend]\nreceivers:\n  - name: r\ntime_intervals:\n  - name: nights\n    time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}]}]\n",
     {"5:37 error alertmanager/undefined-time-interval"}},
    {"active time intervals defined and not", "route:\n  receiver: r\n  routes:\n    - receiver: r\n      active_time_intervals: [nights, weekend]\nreceivers:\n  - name: r\ntime_intervals:\n  - name: nights\n    time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}]}]\n",
     {"5:39 error alertmanager/undefined-time-interval"}},
    {"the root route's receiver is checked too, with child routes", "route:\n  receiver: nobody\n  routes:\n    - receiver: r\nreceivers:\n  - name: r\n",
     {"2:13 error alertmanager/undefined-receiver"}},
    {"duplicate time interval across both lists", kHead + "time_intervals:\n  - name: t\nmute_time_intervals:\n  - name: t\n", {"8:11 error alertmanager/duplicate-name"}},
    {"global URL without a scheme (the OctoLLM seed)", "global:\n  slack_api_url: 'YOUR_SLACK_WEBHOOK_URL'\n" + kHead,
     {"2:18 warning alertmanager/placeholder",
      "2:18 error alertmanager/url"}},
    {"global slack URL in a file", "global:\n  slack_api_url_file: /etc/am/slack\n" + kHead, {}},
    {"both inline and in a file", "global:\n  smtp_auth_password: x\n  smtp_auth_password_file: /f\n" + kHead, {"2:23 error alertmanager/secret-conflict"}},
    {"webhook: url missing, ftp scheme, no host", kHead + "    webhook_configs:\n      - send_resolved: true\n      - url: ftp://x/y\n      - url_file: /f\n      - url: 'http:///x'\n",
     {"6:9 error alertmanager/missing-field", "7:14 error alertmanager/url", "9:14 error alertmanager/url"}},
    {"slack: no URL anywhere", kHead + "    slack_configs:\n      - channel: '#a'\n", {"6:9 error alertmanager/missing-field"}},
    {"slack: api_url_file is fine", kHead + "    slack_configs:\n      - {channel: '#a', api_url_file: /f}\n", {}},
    {"email: to missing, smarthost and from from global", "global:\n  smtp_smarthost: 'mail:25'\n  smtp_from: am@x\n" + kHead + "    email_configs:\n      - {auth_password: pw, auth_username: u}\n",
     {"9:9 error alertmanager/missing-field", "9:25 warning alertmanager/inline-secret"}},
    {"email: no smarthost, no from", kHead + "    email_configs:\n      - to: a@x\n", {"6:9 error alertmanager/missing-field", "6:9 error alertmanager/missing-field"}},
    {"pagerduty: keys", kHead + "    pagerduty_configs:\n      - {}\n      - {routing_key: k, routing_key_file: /f}\n      - service_key_file: /f\n",
     {"6:9 error alertmanager/missing-field", "7:23 error alertmanager/secret-conflict"}},
    {"unknown field in a notifier, did you mean", kHead + "    webhook_configs:\n      - {url_file: /f, send_resolve: true}\n", {"6:24 error yaml/unknown-field"}},
    {"other notifier kinds are read as mappings", kHead + "    opsgenie_configs:\n      - api_key_file: /f\n", {}},
    {"receiver without a name", kHead + "  - webhook_configs: [{url_file: /f}]\n", {"5:5 error alertmanager/missing-field"}},
    {"inhibit rules: deprecated and matchers", kHead + "inhibit_rules:\n  - source_match: {severity: critical}\n    target_matchers: ['severity=\"warning\"', 'x=~\"[\"']\n    equal: [alertname]\n",
     {"6:5 info alertmanager/deprecated-match", "7:45 error alertmanager/matcher"}},
    {"inhibit rules: equal takes label names", kHead + "inhibit_rules:\n  - source_matchers: [a=b]\n    target_matchers: [a=c]\n    equal: [instance, 'a-b']\n",
     {"8:23 error alertmanager/invalid-value"}},
  };
  // clang-format on
  for (const auto& c : cases) {
    INFO(c.name << "\n" << c.text);
    auto l = load(c.text);
    CHECK(where(l.diags) == c.expected);
  }
}

TEST_CASE("alertmanager.yml: secrets never appear in messages", "[alertmanager]") {
  auto l = load("global:\n  slack_api_url: 'hooks.slack.com/services/T0/B0/s3cr3t'\n  smtp_auth_password: hunter2\n" +
                kHead + "    webhook_configs:\n      - url: 'https://user:pa55@hook.example/x?token=t0k3n'\n");
  REQUIRE(!l.diags.empty());
  for (const auto& d : l.diags) {
    INFO(d.message);
    CHECK(d.message.find("hunter2") == std::string::npos);
    CHECK(d.message.find("pa55") == std::string::npos);
    CHECK(d.message.find("t0k3n") == std::string::npos);
  }
}

TEST_CASE("alertmanager.yml: the seeds' two configs", "[alertmanager]") {
  auto path = std::string(NSMON_SOURCE_DIR) + "/tests/data/seed/alertmanager.yml";
  auto integration = load(util::read_file(path), path);
  CHECK(where(integration.diags) ==
        V{"12:7 info alertmanager/deprecated-match", "17:7 info alertmanager/deprecated-match",
          // alerts@example.com, prometheus@example.com, smtp.example.com:587, the username
          "24:13 warning alertmanager/placeholder", "25:15 warning alertmanager/placeholder",
          "26:20 warning alertmanager/placeholder", "27:24 warning alertmanager/placeholder",
          // auth_password: 'password'
          "28:24 warning alertmanager/placeholder",
          // service_key: 'YOUR_PAGERDUTY_KEY'
          "32:22 warning alertmanager/placeholder"});
  REQUIRE(integration.cfg.route);
  CHECK(integration.cfg.route->routes.size() == 2);
  CHECK(integration.cfg.receivers.size() == 2);

  path = std::string(NSMON_SOURCE_DIR) + "/tests/data/seed/alertmanager-octollm.yml";
  auto octollm = load(util::read_file(path), path);
  CHECK(where(octollm.diags) == V{"4:18 warning alertmanager/placeholder", "4:18 error alertmanager/url",
                                  "16:7 info alertmanager/deprecated-match", "22:7 info alertmanager/deprecated-match",
                                  "29:13 warning alertmanager/placeholder", "30:15 warning alertmanager/placeholder",
                                  "32:24 warning alertmanager/placeholder", "33:24 warning alertmanager/placeholder",
                                  "44:22 warning alertmanager/placeholder", "48:5 info alertmanager/deprecated-match",
                                  "50:5 info alertmanager/deprecated-match"});
}

TEST_CASE("alertmanager.yml: typed fields as yaml.v2 decodes them", "[alertmanager]") {
  auto diags_of = [](const std::string& text) {
    core::SourceFile src("alertmanager.yml", text);
    std::vector<core::Diagnostic> diags;
    auto cfg = alertmanager::load_config(src, diags, {.version = alertmanager::kNewestVersion});
    lint::check_alertmanager(cfg, diags);
    return std::pair{cfg, diags};
  };
  // continue: yes is a YAML 1.1 boolean: Alertmanager loads it, and the route continues.
  auto [cfg, diags] = diags_of("route:\n  receiver: a\n  routes:\n    - receiver: a\n      continue: yes\n"
                               "    - receiver: a\nreceivers:\n  - name: a\n");
  CHECK(diags.empty());
  REQUIRE(cfg.route);
  REQUIRE(cfg.route->routes.size() == 2);
  CHECK(cfg.route->routes[0].continue_);
  // A quoted "true" is a string.
  auto quoted = diags_of("route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n"
                         "      - url_file: /run/secrets/hook\n        send_resolved: \"true\"\n")
                    .second;
  REQUIRE(quoted.size() == 1);
  CHECK(quoted[0].check == "yaml/type");
  CHECK(quoted[0].message == "cannot unmarshal !!str `true` into bool (send_resolved)");
  CHECK(quoted[0].span.line == 7);
}

TEST_CASE("routing: Alertmanager's tree walk and inhibition", "[alertmanager][routing]") {
  core::SourceFile src("am.yml", R"(route:
  receiver: root
  routes:
    - receiver: a
      matchers: ['x="1"']
      continue: true
    - matchers: ['y=~"b|c"']
      routes:
        - receiver: deep
          match: {z: "1"}
    - receiver: last
      matchers: ['w!~".+"', 'x!="2"']
inhibit_rules:
  - source_matchers: ['s="crit"']
    target_matchers: ['s="warn"']
    equal: [i]
  - source_matchers: ['k="v"']
    target_matchers: ['k="v"']
receivers: [{name: root}, {name: a}, {name: deep}, {name: last}]
)");
  std::vector<core::Diagnostic> diags;
  auto cfg = alertmanager::load_config(src, diags, {.version = alertmanager::kNewestVersion});
  REQUIRE(cfg.route);
  auto receivers = [&](labels::Labels ls) {
    std::vector<std::string> out;
    for (const auto& m : alertmanager::route_alert(*cfg.route, ls)) out.push_back(m.receiver);
    return out;
  };
  CHECK(receivers({{"w", "q"}, {"x", "1"}}) == V{"a"});    // continue, then nothing else matches
  CHECK(receivers({{"x", "1"}}) == V{"a", "last"});        // absent w matches !~".+"
  CHECK(receivers({{"y", "b"}, {"z", "1"}}) == V{"deep"}); // nested; the first match without continue stops
  CHECK(receivers({{"y", "bc"}}) == V{"last"});            // anchored: "bc" is neither b nor c
  CHECK(receivers({{"w", "x"}, {"y", "c"}}) == V{"root"}); // y matched, no child did: the route inherits root
  CHECK(receivers({{"w", "x"}}) == V{"root"});             // nothing matched: the root route
  auto m = alertmanager::route_alert(*cfg.route, {{"w", "1"}, {"y", "b"}, {"z", "1"}});
  REQUIRE(m.size() == 1);
  CHECK(m[0].path == std::vector<std::size_t>{1, 0});
  // Inhibition: equal labels, absent ones equal too; an alert matching both sides never mutes itself.
  labels::Labels warn{{"i", "a"}, {"s", "warn"}};
  CHECK(alertmanager::inhibited_by(cfg, warn, {{{"i", "a"}, {"s", "crit"}}}) == std::vector<std::size_t>{0});
  CHECK(alertmanager::inhibited_by(cfg, warn, {{{"i", "b"}, {"s", "crit"}}}).empty());
  CHECK(alertmanager::inhibited_by(cfg, {{"s", "warn"}}, {{{"s", "crit"}}}) == std::vector<std::size_t>{0});
  CHECK(alertmanager::inhibited_by(cfg, {{"k", "v"}}, {{{"k", "v"}}}).empty());
}

TEST_CASE("alertmanager versions: a field newer than the target is refused, advice fits it", "[alertmanager]") {
  using alertmanager::parse_version;
  CHECK(parse_version("0.25") == alertmanager::Version{25});
  CHECK(parse_version("v0.28.1") == alertmanager::Version{28});
  CHECK(parse_version("latest") == alertmanager::kNewestVersion);
  for (const char* bad : {"0.24", "0.99", "1.0", "0.25.", "0.25x", "", "v", "0.", "0.28.1.2"})
    CHECK_FALSE(parse_version(bad).has_value());
  const alertmanager::Version v25{25}, v30{30};
  // tracing (0.30) and webhook url_file (0.26): refused for 0.25, where amtool 0.25 refuses them.
  const std::string newer =
      "tracing: {endpoint: 'otel:4317'}\n" + kHead + "    webhook_configs: [{url_file: /run/hook}]\n";
  auto old = load(newer, "alertmanager.yml", v25);
  CHECK(where(old.diags) == V{"1:1 error alertmanager/newer-field", "6:24 error alertmanager/newer-field"});
  CHECK(old.diags[0].message == "field tracing is new in Alertmanager 0.30: Alertmanager 0.25 refuses this file");
  CHECK(where(load(newer, "alertmanager.yml", v30).diags).empty());
  // An inline credential is a warning only where the target version has somewhere to move it: a
  // query token of a webhook url has nowhere in 0.25 (no url_file), and only a URL that carries a
  // credential is one.
  const std::string hook = kHead + "    webhook_configs: [{url: 'https://hooks.corp/x?token=s3cr3t'}]\n";
  CHECK(where(load(hook, "alertmanager.yml", v25).diags).empty());
  CHECK(where(load(hook, "alertmanager.yml", v30).diags) == V{"5:29 warning alertmanager/inline-secret"});
  CHECK(where(load(kHead + "    webhook_configs: [{url: 'http://127.0.0.1:5001/'}]\n").diags).empty());
  CHECK(where(load(kHead + "    webhook_configs: [{url: 'https://u:p@hooks.corp/'}]\n").diags) ==
        V{"5:29 warning alertmanager/inline-secret"});
  // Slack's webhook token in the path; a key that looks typed is a test value.
  CHECK(where(load(kHead + "    slack_configs: [{api_url: 'https://hooks.slack.com/services/T024B/B0C9D/"
                           "a1B2c3D4e5F6g7H8i9J0k1L2'}]\n")
                  .diags) == V{"5:31 warning alertmanager/inline-secret"});
  CHECK(where(load(kHead + "    opsgenie_configs: [{api_key: opsgenie-key}]\n").diags) ==
        V{"5:34 warning alertmanager/placeholder"});
}

TEST_CASE("alertmanager: a credential in a URL's userinfo, with advice the target version has", "[alertmanager]") {
  const alertmanager::Version v25{25}, v26{26};
  // The quoted lines as lint-alertmanager quotes them: the hidden bytes masked.
  auto masked = [](std::string text, const alertmanager::Config& cfg) {
    for (const auto& [b, e] : cfg.secrets)
      for (std::size_t i = b; i < e && i < text.size(); ++i) text[i] = '*';
    return text;
  };
  auto leaks = [](const core::Diagnostic& d) {
    return (d.message + d.suggestion).find("hunter2") != std::string::npos;
  };
  // 0.25's webhook url is a plain URL (amtool config show prints it, password included) and 0.25
  // has no url_file: Go's client sends the userinfo as basic auth, which http_config.basic_auth
  // does with password_file.
  const std::string hook = kHead + "    webhook_configs: [{url: 'http://user:hunter2@hooks.corp/hook'}]\n";
  auto l = load(hook, "alertmanager.yml", v25);
  REQUIRE(where(l.diags) == V{"5:29 warning alertmanager/inline-secret"});
  CHECK(l.diags[0].message ==
        "url carries a credential in its userinfo (user:password@ before the host) in webhook_configs of receiver "
        "\"r\": whoever reads this file has it, and Alertmanager 0.25 prints this URL in full (amtool config show, "
        "/api/v2/status)");
  CHECK(l.diags[0].suggestion ==
        "drop it from the URL and give http_config basic_auth: {username: ..., password_file: a file only "
        "Alertmanager can read}");
  CHECK_FALSE(leaks(l.diags[0]));
  CHECK(masked(hook, l.cfg).find("hunter2") == std::string::npos);
  // From 0.26 the url is a secret and url_file exists: that is the advice.
  auto l26 = load(hook, "alertmanager.yml", v26);
  REQUIRE(where(l26.diags) == V{"5:29 warning alertmanager/inline-secret"});
  CHECK(l26.diags[0].suggestion == "put it in a file only Alertmanager can read and give url_file");
  // The correct twin: the URL without userinfo, the password in a file.
  CHECK(where(load(kHead + "    webhook_configs:\n      - url: 'http://hooks.corp/hook'\n        http_config:\n"
                           "          basic_auth: {username: user, password_file: /etc/alertmanager/hook.pw}\n",
                   "alertmanager.yml", v25)
                  .diags)
            .empty());
  // A URL field that is no secret (config.go's URL, printed in full by every version): a
  // notifier's api_url and a global one; their userinfo is masked in the quoted line.
  const std::string tg = kHead + "    telegram_configs: [{api_url: 'https://bot:hunter2@tg.corp', bot_token: "
                                 "'12345:abcdef', chat_id: 1}]\n";
  l = load(tg, "alertmanager.yml", v25);
  REQUIRE(where(l.diags) == V{"5:34 warning alertmanager/inline-secret"});
  CHECK(l.diags[0].message.rfind("api_url carries a credential in its userinfo", 0) == 0);
  CHECK(masked(tg, l.cfg).find("'https://***********@tg.corp'") != std::string::npos);
  CHECK_FALSE(leaks(l.diags[0]));
  const std::string global = "global:\n  victorops_api_url: 'https://u:hunter2@vo.corp/api/'\n" + kHead;
  l = load(global, "alertmanager.yml", v25);
  REQUIRE(where(l.diags) == V{"2:22 warning alertmanager/inline-secret"});
  CHECK(l.diags[0].suggestion == "drop it from the URL and give the receivers' http_config (or global.http_config) "
                                 "basic_auth: {username: ..., password_file: a file only Alertmanager can read}");
  CHECK(masked(global, l.cfg).find("hunter2") == std::string::npos);
  // A placeholder URL with userinfo: the placeholder finding, the password masked in it too.
  l = load("global:\n  victorops_api_url: 'https://u:hunter2@vo.example.com/'\n" + kHead, "alertmanager.yml", v25);
  REQUIRE(where(l.diags) == V{"2:22 warning alertmanager/placeholder"});
  CHECK(l.diags[0].message.find("victorops_api_url (a URL of vo.example.com)") == 0);
}

TEST_CASE("alertmanager: smarthost ports, null receivers, placeholders shown", "[alertmanager]") {
  // Alertmanager refuses a smarthost without a port (config.go's HostPort), global or per receiver.
  auto l = load("global:\n  smtp_smarthost: localhost\n  smtp_from: a@corp.internal\n" + kHead +
                "    email_configs: [{to: b@corp.internal, smarthost: '$SMTP_SMART_HOST'}, {to: c@corp.internal, "
                "smarthost: 'mail:'}, {to: d@corp.internal, smarthost: '[::1]:25'}]\n");
  REQUIRE(where(l.diags) == V{"2:19 error alertmanager/invalid-value", "8:54 error alertmanager/invalid-value",
                              "8:108 error alertmanager/invalid-value"});
  CHECK(l.diags[0].message ==
        "address localhost: missing port in address (smtp_smarthost in global); Alertmanager refuses to load this");
  CHECK(l.diags[2].message.rfind("address mail:: port cannot be empty", 0) == 0);
  // receiver: null is YAML null: the route inherits its parent's receiver (amtool routes test agrees).
  auto n = load("route:\n  receiver: email\n  routes:\n    - matchers: [severity=info]\n      receiver: null\n"
                "    - matchers: [severity=debug]\n      receiver: 'null'\n"
                "receivers: [{name: email, webhook_configs: [{url: 'http://m:1/'}]}, {name: 'null'}]\n");
  REQUIRE(where(n.diags) == V{"5:7 warning alertmanager/null-receiver"});
  CHECK(n.diags[0].message.find("inherits its parent's receiver \"email\"") != std::string::npos);
  // A placeholder's message shows the value, or for a secret the field and the URL's host.
  auto p =
      load(kHead + "    email_configs: [{to: 'xxx@xxx.com', from: a@corp.internal, smarthost: 'm:25'}]\n"
                   "    slack_configs: [{channel: '#<channel-name>', api_url: 'https://hooks.slack.com/services/'}]\n");
  REQUIRE(p.diags.size() == 3);
  CHECK(p.diags[0].message == "\"xxx@xxx.com\" looks like a placeholder (a value to be replaced), not a real value");
  CHECK(p.diags[1].message ==
        "\"#<channel-name>\" looks like a placeholder (a <name> to be filled in), not a real value");
  CHECK(p.diags[2].message ==
        "api_url (a URL of hooks.slack.com) looks like a placeholder (a Slack webhook URL without "
        "its token), not a real value");
}

TEST_CASE("alertmanager: group labels, inverted inhibitions, undefined templates", "[alertmanager]") {
  const std::string cfg =
      "route:\n  receiver: slack\n  group_by: [alertname]\n  routes:\n"
      "    - {matchers: [severity=critical], receiver: pager, group_by: [alertname, cluster]}\n"
      "    - {matchers: [severity=info], receiver: pager}\n"
      "receivers:\n"
      "  - name: slack\n"
      "    webhook_configs: [{url: 'http://h:1/', max_alerts: 0}]\n"
      "  - name: pager\n"
      "    slack_configs: [{api_url_file: /s, title: '{{ template \"t.title\" . }} "
      "{{ .GroupLabels.cluster }}', text: '{{ template \"slack.default.text\" . }}'}]\n"
      "inhibit_rules:\n"
      "  - {source_matchers: [severity=warning], target_matchers: [severity=critical], equal: [a]}\n"
      "  - {source_matchers: [severity=critical], target_matchers: [severity=warning], equal: [a]}\n";
  auto l = load(cfg);
  // The info route inherits group_by [alertname]: .GroupLabels.cluster is empty in its
  // notifications (once per receiver and label); the critical route groups by cluster.
  REQUIRE(where(l.diags) ==
          V{"11:47 warning alertmanager/group-label-absent", "13:5 warning alertmanager/inhibit-inverted"});
  CHECK(l.diags[0].message.find("the route at line 6 sends to it grouped by (alertname)") != std::string::npos);
  CHECK(l.diags[1].message == "this inhibit rule mutes severity=\"critical\" alerts while a severity=\"warning\" alert "
                              "fires: the more severe alert is the one silenced");
  // Template names: defined by a templates: file, or one of Alertmanager's defaults.
  std::vector<core::Diagnostic> names;
  alertmanager::check_template_names(l.cfg, {"t.title"}, names);
  CHECK(names.empty());
  alertmanager::check_template_names(l.cfg, {"t.titles"}, names);
  REQUIRE(names.size() == 1);
  CHECK(names[0].check == "alertmanager/undefined-template");
  CHECK(names[0].suggestion == "did you mean \"t.titles\"?");
  CHECK(alertmanager::defined_templates("{{ define \"a\" }}x{{ end }}{{- define \"b.c\" -}}{{ end }}") ==
        V{"a", "b.c"});
}
