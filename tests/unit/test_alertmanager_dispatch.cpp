#include <catch2/catch.hpp>
#include <filesystem>

#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/lint/alertmanager_checks.hpp"
#include "nsmon/text/time.hpp"
#include "nsmon/util/files.hpp"

using namespace nsmon;

namespace {

alertmanager::Config load(const std::string& text) {
  core::SourceFile src("am.yml", text);
  std::vector<core::Diagnostic> diags;
  auto cfg = alertmanager::load_config(src, diags);
  lint::check_alertmanager(cfg, diags);
  for (const auto& d : diags) INFO(d.message);
  REQUIRE(cfg.route);
  return cfg;
}

std::int64_t at(const char* rfc3339) { return *text::parse_rfc3339_ms(rfc3339); }

alertmanager::Alert alert(labels::Labels ls, labels::Labels annotations = {}) {
  std::sort(ls.begin(), ls.end());
  std::sort(annotations.begin(), annotations.end());
  return {std::move(ls), std::move(annotations), at("2024-05-01T12:00:00Z"), std::nullopt, ""};
}

const alertmanager::Field* field(const alertmanager::Notification& n, const std::string& name) {
  for (const auto& f : n.fields)
    if (f.name == name) return &f;
  return nullptr;
}

// Alertmanager's default templates as Debian installs them; the rendering tests need them.
std::optional<std::string> default_tmpl() {
  std::string path = alertmanager::default_templates_dir() + "/default.tmpl";
  if (!std::filesystem::exists(path)) return std::nullopt;
  return util::read_file(path);
}

const char* const kConfig = R"(
route:
  receiver: hook
  group_by: [alertname]
  routes:
    - matchers: [severity="critical"]
      receiver: pager
      group_by: [alertname, cluster]
      continue: true
    - matchers: [team=~"db|storage"]
      receiver: db
      group_by: ['...']
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [instance]
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:1/hook
  - name: pager
    slack_configs:
      - api_url: http://127.0.0.1:1/slack
        channel: '#pager'
        text: '{{ range .Alerts }}{{ .Labels.instance }} {{ end }}'
  - name: db
    webhook_configs:
      - url: http://127.0.0.1:1/db
        max_alerts: 1
)";

} // namespace

TEST_CASE("dispatch: groups by group_by, groupKey as Alertmanager builds it", "[alertmanager][dispatch]") {
  auto cfg = load(kConfig);
  auto t = alertmanager::templates_from_text("");
  std::vector<alertmanager::Alert> alerts = {
      alert({{"alertname", "DiskFull"}, {"severity", "critical"}, {"cluster", "eu"}, {"instance", "b"}}),
      alert({{"alertname", "DiskFull"}, {"severity", "critical"}, {"cluster", "eu"}, {"instance", "a"}}),
      alert({{"alertname", "DiskFull"}, {"severity", "critical"}, {"cluster", "us"}, {"instance", "a"}}),
      alert({{"alertname", "Slow"}, {"team", "db"}, {"instance", "x"}}),
      alert({{"alertname", "Other"}, {"instance", "y"}}),
  };
  auto out = alertmanager::dispatch(cfg, t, alerts, at("2024-05-01T12:01:00Z"));
  REQUIRE(out.groups.size() == 4);
  // Tree order (the root first, as Route.Walk), then by group key. An alert no child takes stays
  // at the root, which groups by alertname only.
  CHECK(out.groups[0].group_key == R"({}:{alertname="Other"})");
  CHECK(out.groups[0].route.receiver == "hook");
  CHECK(out.groups[1].group_key == R"({}/{severity="critical"}:{alertname="DiskFull", cluster="eu"})");
  CHECK(out.groups[1].alerts == std::vector<std::size_t>{1, 0}); // by instance
  CHECK(out.groups[2].group_key == R"({}/{severity="critical"}:{alertname="DiskFull", cluster="us"})");
  // group_by ['...']: every label; regex matchers printed as written.
  CHECK(out.groups[3].group_key == R"({}/{team=~"db|storage"}:{alertname="Slow", instance="x", team="db"})");
  // continue: true tries the next sibling, which the critical alerts do not match.
  CHECK(out.alerts[0].routes.size() == 1);
  CHECK(out.alerts[0].fingerprint.size() == 16);
}

TEST_CASE("dispatch: a match_re route's groupKey has the regex anchored, as NewRoute keeps it",
          "[alertmanager][dispatch]") {
  // Alertmanager 0.25 (dispatch/route.go) makes a match_re entry the matcher
  // labels.NewMatcher(MatchRegexp, name, re.String()), whose value is the anchored source
  // "^(?:re)$", and sorts the route's matchers by name, value and type after that; matchers:
  // keep the regex as written. Checked against the real one by routes_alertmanager_shapes.sh.
  auto cfg = load(R"(
route:
  receiver: root
  group_by: [alertname]
  routes:
    - match_re: {service: 'foo|bar'}
      receiver: svc
      routes:
        - match: {team: db}
          match_re: {env: 'prod.*', x: 'b|a'}
          matchers: [x="a", y=~"b|c"]
          receiver: db
receivers: [{name: root}, {name: svc}, {name: db}]
)");
  auto t = alertmanager::templates_from_text("");
  std::vector<alertmanager::Alert> alerts = {
      alert({{"alertname", "A"}, {"service", "foo"}}),
      alert({{"alertname", "B"}, {"service", "bar"}, {"team", "db"}, {"env", "prod1"}, {"x", "a"}, {"y", "c"}}),
  };
  auto out = alertmanager::dispatch(cfg, t, alerts, at("2024-05-01T12:01:00Z"));
  REQUIRE(out.groups.size() == 2);
  CHECK(out.groups[0].group_key == R"({}/{service=~"^(?:foo|bar)$"}:{alertname="A"})");
  // x=~"^(?:b|a)$" sorts before x="a" ('^' < 'a'), as written it would sort after.
  CHECK(out.groups[1].group_key == R"({}/{service=~"^(?:foo|bar)$"}/{env=~"^(?:prod.*)$",team="db",)"
                                   R"(x=~"^(?:b|a)$",x="a",y=~"b|c"}:{alertname="B"})");
  // What nsmon prints of the route itself stays as written.
  CHECK(out.groups[0].route.route->match_all[0].value == "foo|bar");
}

TEST_CASE("dispatch: inhibition names the rule and its source alerts", "[alertmanager][dispatch]") {
  auto cfg = load(kConfig);
  auto t = alertmanager::templates_from_text("");
  std::vector<alertmanager::Alert> alerts = {
      alert({{"alertname", "Slow"}, {"severity", "warning"}, {"instance", "a"}, {"team", "db"}}),
      alert({{"alertname", "Down"}, {"severity", "critical"}, {"instance", "a"}}),
      alert({{"alertname", "Down2"}, {"severity", "critical"}, {"instance", "a"}}),
      alert({{"alertname", "Down3"}, {"severity", "critical"}, {"instance", "b"}}),
      alert({{"alertname", "Slow"}, {"severity", "warning"}, {"instance", "c"}, {"team", "db"}}),
  };
  // A resolved source inhibits nothing.
  alerts[2].ends_at_ms = at("2024-05-01T12:00:30Z");
  auto out = alertmanager::dispatch(cfg, t, alerts, at("2024-05-01T12:01:00Z"));
  REQUIRE(out.alerts[0].inhibited.size() == 1);
  CHECK(out.alerts[0].inhibited[0].rule == 0);
  CHECK(out.alerts[0].inhibited[0].sources == std::vector<std::size_t>{1});
  CHECK(out.alerts[0].inhibited[0].span.line == 14);
  CHECK(out.alerts[4].inhibited.empty());
  CHECK(out.alerts[1].inhibited.empty());
  // The db group holds both Slow alerts; the notification carries only the one not inhibited.
  for (const auto& g : out.groups)
    if (g.route.receiver == "db" && g.alerts.size() == 1 && g.alerts[0] == 0) CHECK(g.notifications.empty());
}

TEST_CASE("dispatch: time intervals mute a route at an instant", "[alertmanager][dispatch]") {
  auto cfg = load(R"(
route:
  receiver: hook
  routes:
    - matchers: [a="1"]
      receiver: hook
      mute_time_intervals: [weekends]
    - matchers: [a="2"]
      receiver: hook
      active_time_intervals: [office]
    - matchers: [a="3"]
      receiver: hook
      mute_time_intervals: [month-end]
time_intervals:
  - name: weekends
    time_intervals:
      - weekdays: ['saturday', 'sunday']
  - name: office
    time_intervals:
      - times: [{start_time: '09:00', end_time: '17:00'}]
        weekdays: ['monday:friday']
        location: Europe/Berlin
  - name: month-end
    time_intervals:
      - days_of_month: ['-3:-1']
        months: ['february']
receivers:
  - name: hook
    webhook_configs: [{url: 'http://127.0.0.1:1/'}]
)");
  auto t = alertmanager::templates_from_text("");
  std::vector<alertmanager::Alert> alerts = {alert({{"a", "1"}}), alert({{"a", "2"}}), alert({{"a", "3"}})};
  auto muted = [&](const char* when, std::size_t i) {
    auto out = alertmanager::dispatch(cfg, t, alerts, at(when));
    return out.alerts[i].routes[0].muted ? out.alerts[i].routes[0].muted->interval : std::string("-");
  };
  // 2024-05-04 is a Saturday.
  CHECK(muted("2024-05-04T10:00:00Z", 0) == "weekends");
  CHECK(muted("2024-05-03T23:59:59Z", 0) == "-");
  // Office hours in Berlin (UTC+2 in May): 07:00Z is 09:00 there.
  bool zoneinfo = std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin");
  if (zoneinfo) {
    CHECK(muted("2024-05-03T07:00:00Z", 1) == "-");
    CHECK(muted("2024-05-03T06:59:00Z", 1) == "office");
    CHECK(muted("2024-05-03T15:00:00Z", 1) == "office"); // 17:00 in Berlin: the end is excluded
    CHECK(muted("2024-01-05T08:30:00Z", 1) == "-");      // 09:30 in winter (UTC+1)
  }
  // The last three days of February, a leap year's and another's.
  CHECK(muted("2024-02-27T12:00:00Z", 2) == "month-end");
  CHECK(muted("2024-02-26T12:00:00Z", 2) == "-");
  CHECK(muted("2023-02-26T12:00:00Z", 2) == "month-end");
  CHECK(muted("2024-03-30T12:00:00Z", 2) == "-");
  auto out = alertmanager::dispatch(cfg, t, alerts, at("2024-05-04T10:00:00Z"));
  for (const auto& g : out.groups)
    if (g.alerts == std::vector<std::size_t>{0}) CHECK(g.notifications.empty());
}

TEST_CASE("dispatch: the webhook body as Alertmanager 0.25 posts it", "[alertmanager][dispatch]") {
  auto cfg = load(kConfig);
  auto t = alertmanager::templates_from_text("");
  std::vector<alertmanager::Alert> alerts = {
      alert({{"alertname", "Slow"}, {"team", "db"}, {"instance", "x<y"}}, {{"summary", "a & b"}}),
      alert({{"alertname", "Slow"}, {"team", "db"}, {"instance", "z"}}),
  };
  alerts[0].generator_url = "http://prom/graph";
  alerts[1].ends_at_ms = at("2024-05-01T12:00:30.5Z");
  auto out = alertmanager::dispatch(cfg, t, alerts, at("2024-05-01T12:01:00Z"), {.external_url = "http://am:9093"});
  const alertmanager::Group* db = nullptr;
  for (const auto& g : out.groups)
    if (g.route.receiver == "db" && g.alerts == std::vector<std::size_t>{0}) db = &g;
  REQUIRE(db);
  REQUIRE(db->notifications.size() == 1);
  const auto* body = field(db->notifications[0], "body");
  REQUIRE(body);
  CHECK(body->text == std::string(R"({"receiver":"db","status":"firing","alerts":[{"status":"firing",)") +
                          R"("labels":{"alertname":"Slow","instance":"x\u003cy","team":"db"},)" +
                          R"("annotations":{"summary":"a \u0026 b"},"startsAt":"2024-05-01T12:00:00Z",)" +
                          R"("endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph","fingerprint":")" +
                          out.alerts[0].fingerprint +
                          R"("}],"groupLabels":{"alertname":"Slow","instance":"x\u003cy",)" +
                          R"("team":"db"},"commonLabels":{"alertname":"Slow","instance":"x\u003cy","team":"db"},)" +
                          R"("commonAnnotations":{"summary":"a \u0026 b"},"externalURL":"http://am:9093",)" +
                          R"("version":"4","groupKey":"{}/{team=~\"db|storage\"}:{alertname=\"Slow\", )" +
                          R"(instance=\"x\u003cy\", team=\"db\"}","truncatedAlerts":0})" + "\n");
  // A resolved alert alone: a group that has never notified sends nothing.
  for (const auto& g : out.groups)
    if (g.alerts == std::vector<std::size_t>{1}) CHECK(g.notifications.empty());
}

TEST_CASE("dispatch: rendering with Alertmanager's default templates", "[alertmanager][dispatch]") {
  auto defaults = default_tmpl();
  if (!defaults) {
    WARN("no default.tmpl in " + alertmanager::default_templates_dir() + ": not tested");
    return;
  }
  auto cfg = load(kConfig);
  auto t = alertmanager::templates_from_text(*defaults);
  std::vector<alertmanager::Alert> alerts = {
      alert({{"alertname", "DiskFull"}, {"severity", "critical"}, {"cluster", "eu"}, {"instance", "b"}}),
      alert({{"alertname", "DiskFull"}, {"severity", "critical"}, {"cluster", "eu"}, {"instance", "a"}}),
  };
  auto out = alertmanager::dispatch(cfg, t, alerts, at("2024-05-01T12:01:00Z"), {.external_url = "http://am:9093"});
  REQUIRE(out.groups[0].notifications.size() == 1);
  const auto& slack = out.groups[0].notifications[0];
  CHECK(slack.integration == "slack");
  CHECK(field(slack, "title")->text == "[FIRING:2] DiskFull eu (critical)");
  CHECK(field(slack, "title_link")->text == "http://am:9093/#/alerts?receiver=pager");
  CHECK(field(slack, "fallback")->text == "[FIRING:2] DiskFull eu (critical) | http://am:9093/#/alerts?receiver=pager");
  CHECK(field(slack, "color")->text == "danger");
  CHECK(field(slack, "channel")->text == "#pager");
  CHECK(field(slack, "text")->text == "a b "); // the group's order: by instance
  CHECK(field(slack, "text")->span.line == 25);
}

TEST_CASE("notification templates: Alertmanager 0.25's data, methods and functions", "[alertmanager][template]") {
  gotemplate::NotificationTemplates t;
  REQUIRE_FALSE(t.add("x.tmpl", R"({{ define "who" }}{{ .Receiver }}{{ end }})"));
  gotemplate::NotificationData d;
  d.receiver = "team-a";
  d.status = "firing";
  d.group_labels = {{"alertname", "X"}};
  d.common_labels = {{"alertname", "X"}, {"b", "2"}, {"a", "1"}};
  std::sort(d.common_labels.begin(), d.common_labels.end());
  d.alerts.push_back({"firing", d.common_labels, {}, at("2024-05-01T12:00:00Z"), gotemplate::kGoZeroTimeMs, "", "f1"});
  d.alerts.push_back({"resolved", d.common_labels, {}, 0, at("2024-05-01T12:00:01.5Z"), "", "f2"});
  auto render = [&](const char* text, bool html = false) {
    auto e = t.render(text, d, html);
    return e.error ? "error: " + *e.error : e.text;
  };
  CHECK(render(R"({{ template "who" . }})") == "team-a");
  CHECK(render("{{ .CommonLabels.SortedPairs.Names | join \",\" }}") == "alertname,a,b");
  CHECK(render("{{ (.CommonLabels.Remove .GroupLabels.Names).Values | join \" \" }}") == "1 2");
  CHECK(render("{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}") == "alertname=X;a=1;b=2;");
  CHECK(render("{{ len .Alerts.Firing }}/{{ len .Alerts.Resolved }}/{{ len .Alerts }}") == "1/1/2");
  CHECK(render("{{ (index .Alerts 1).EndsAt }}") == "2024-05-01 12:00:01.5 +0000 UTC");
  CHECK(render("{{ (index .Alerts 0).EndsAt }}") == "0001-01-01 00:00:00 +0000 UTC");
  CHECK(render("{{ (index .Alerts 0).StartsAt.Unix }}") == "1714564800");
  // cases.Title lower-cases the rest of each word; strings.Title (Prometheus's) does not.
  CHECK(render(R"({{ title "hELLO wORLD" }})") == "Hello World");
  CHECK(render(R"({{ stringSlice "a" "b" | join "-" }})") == "a-b");
  CHECK(render(R"x({{ reReplaceAll "(a+)" "<$1>" "baab" }})x") == "b<aa>b");
  CHECK(render(R"({{ toUpper .Status }} {{ match "^fir" .Status }})") == "FIRING true");
  // Functions newer than 0.25 do not parse; Go's errors.
  CHECK(render(R"({{ trimSpace " x " }})") == R"(error: template: :1: function "trimSpace" not defined)");
  CHECK(render("{{ .Nope }}") ==
        "error: template: :1:3: executing \"\" at <.Nope>: can't evaluate field Nope in type *template.Data");
  CHECK(render("{{ .CommonLabels.Remove }}").find("wrong number of args for Remove: want 1 got 0") !=
        std::string::npos);
  // html/template: text and attributes escaped, safeHtml kept, URLs normalized.
  d.common_labels = {{"x", "<b>&+"}};
  CHECK(render("<p>{{ .CommonLabels.x }}</p>", true) == "<p>&lt;b&gt;&amp;&#43;</p>");
  CHECK(render(R"(<p>{{ safeHtml "<i>" }}</p>)", true) == "<p><i></p>");
  CHECK(render(R"(<a href="{{ "http://x/a b" }}">)", true) == R"(<a href="http://x/a%20b">)");
  CHECK(render(R"x(<a href="{{ "javascript:alert(1)" }}">)x", true) == R"(<a href="#ZgotmplZ">)");
  CHECK(render("") == "");
}

TEST_CASE("dispatch: alerts in the API's JSON", "[alertmanager][dispatch]") {
  auto now = at("2024-05-01T12:00:00Z");
  auto alerts = alertmanager::parse_alerts(
      R"([{"labels": {"b": "2", "a": "1"}, "annotations": {"s": "x"}, "startsAt": "2024-05-01T10:00:00+02:00",
           "endsAt": "2024-05-01T09:00:00.250Z", "generatorURL": "http://g"},
          {"labels": {"a": "1"}}])",
      "alerts.json", now);
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].labels == labels::Labels{{"a", "1"}, {"b", "2"}});
  CHECK(alerts[0].starts_at_ms == at("2024-05-01T08:00:00Z"));
  CHECK(*alerts[0].ends_at_ms == at("2024-05-01T09:00:00.25Z"));
  CHECK(alerts[0].generator_url == "http://g");
  CHECK(alerts[1].starts_at_ms == now);
  CHECK_FALSE(alerts[1].ends_at_ms);
  CHECK_FALSE(alerts[1].firing_at(now) == false);
  auto error = [&](const char* text) {
    try {
      alertmanager::parse_alerts(text, "f.json", now);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error("[{\"labels\": {}}]") == "f.json: alert 0: at least one label pair required");
  CHECK(error("[{\"labels\": {\"a-b\": \"1\"}}]") == "f.json: alert 0: invalid label name \"a-b\" in labels");
  CHECK(error("[{\"labels\": {\"a\": \"1\"}, \"startsAt\": \"yesterday\"}]") ==
        "f.json: alert 0: startsAt is not an RFC 3339 time: \"yesterday\"");
  CHECK(error(R"([{"labels": {"a": "1"}, "startsAt": "2024-05-01T12:00:00Z", "endsAt": "2024-05-01T11:00:00Z"}])") ==
        "f.json: alert 0: start time must be before end time");
  CHECK(error("[\n  {\"labels\": }]").rfind("f.json:2:", 0) == 0);
  CHECK(error("{}") == "f.json: expected a JSON array of alerts, as POST /api/v2/alerts takes");
  // A number out of range is a positioned error like a syntax error, not nlohmann's out_of_range
  // escaping as an abort (issue 48); bytes of the input are quoted, never echoed raw.
  CHECK(error("[{\"labels\": {\"a\": \"1\"},\n  \"x\": 1E999}]") ==
        "f.json:2:8: not JSON: number overflow parsing 1E999");
  CHECK(error("[{\"labels\": {\"a\": \"1\"}, \"x\": -1e400}]") ==
        "f.json:1:30: not JSON: number overflow parsing -1e400");
  CHECK(
      error("[\"\xff\xfe\"]") ==
      R"(f.json:1:3: not JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte at "\"\xff")");
}

TEST_CASE("dispatch: the API drops labels whose value is empty, as removeEmptyLabels does",
          "[alertmanager][dispatch]") {
  // api/v2/api.go drops them before Validate: an invalid name with an empty value is no error,
  // null is Go's "", annotations keep theirs.
  auto now = at("2024-05-01T12:00:00Z");
  auto alerts = alertmanager::parse_alerts(
      R"([{"labels": {"alertname": "B", "job": ""}, "annotations": {"s": "", "n": null}},
          {"labels": {"alertname": "C", "job": null}},
          {"labels": {"alertname": "G", "0bad": ""}},
          {"labels": {"alertname": "J", "job": "j1"}}])",
      "alerts.json", now);
  REQUIRE(alerts.size() == 4);
  CHECK(alerts[0].labels == labels::Labels{{"alertname", "B"}});
  CHECK(alerts[0].annotations == labels::Labels{{"n", ""}, {"s", ""}});
  CHECK(alerts[1].labels == labels::Labels{{"alertname", "C"}});
  CHECK(alerts[2].labels == labels::Labels{{"alertname", "G"}});
  try {
    alertmanager::parse_alerts(R"([{"labels": {"job": ""}}])", "f.json", now);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "f.json: alert 0: at least one label pair required");
  }
  // Grouped by job, B and C have none: one group, as Alertmanager makes it.
  auto cfg = load("route: {receiver: r, group_by: [job]}\nreceivers: [{name: r}]\n");
  auto out = alertmanager::dispatch(cfg, alertmanager::templates_from_text(""), alerts, now);
  REQUIRE(out.groups.size() == 2);
  CHECK(out.groups[0].group_key == R"({}:{job="j1"})");
  CHECK(out.groups[1].group_key == "{}:{}");
  CHECK(out.groups[1].alerts == std::vector<std::size_t>{0, 1, 2});
  // The fingerprint of {alertname="B"}, as Alertmanager prints it.
  CHECK(out.alerts[0].fingerprint == "d2c2efc389db2050");
}

TEST_CASE("dispatch: times keep the offset and nanoseconds they were written with", "[alertmanager][dispatch]") {
  // Go's time.Parse keeps both, and the webhook's JSON (RFC3339Nano) prints them; "-00:00" and
  // "+00:00" are UTC, written "Z".
  auto now = at("2024-05-01T12:01:00Z");
  auto alerts = alertmanager::parse_alerts(
      R"([{"labels": {"a": "1"}, "startsAt": "2024-05-01T13:00:00.123456789+01:00"},
          {"labels": {"a": "2"}, "startsAt": "2024-05-01T12:00:00-00:00",
           "endsAt": "2024-05-01T14:00:30.5+02:00"},
          {"labels": {"a": "3"}, "startsAt": "2024-05-01T06:30:00.0000002-05:30"},
          {"labels": {"a": "4"}, "startsAt": "2024-05-02T02:00:00.1000+14:00",
           "endsAt": "2024-05-01T14:00:00+01:00"},
          {"labels": {"a": "5"}, "startsAt": "0001-01-01T01:00:00+01:00"}])",
      "alerts.json", now);
  REQUIRE(alerts.size() == 5);
  CHECK(alerts[0].starts_at_ms == at("2024-05-01T12:00:00.123Z"));
  CHECK(alerts[0].starts_at_written.sub_ms_ns == 456789);
  CHECK(alerts[0].starts_at_written.offset_s == 3600);
  CHECK(alerts[1].starts_at_written.offset_s == 0);
  CHECK(alerts[1].ends_at_written.offset_s == 7200);
  CHECK(alerts[2].starts_at_written.offset_s == -19800);
  CHECK(alerts[2].starts_at_written.sub_ms_ns == 200);
  // The zero time at any offset is "not given": now.
  CHECK(alerts[4].starts_at_ms == now);
  try {
    alertmanager::parse_alerts(
        R"([{"labels": {"a": "1"}, "startsAt": "2024-05-01T12:00:00.0000005Z", "endsAt": "2024-05-01T12:00:00.0000001Z"}])",
        "f.json", now);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "f.json: alert 0: start time must be before end time");
  }
  // One group of every alert (no group_by): the resolved one rides with the firing ones.
  auto cfg = load("route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'http://127.0.0.1:1/'}]}]\n");
  auto out = alertmanager::dispatch(cfg, alertmanager::templates_from_text(""), alerts, now);
  REQUIRE(out.groups.size() == 1);
  REQUIRE(out.groups[0].notifications.size() == 1);
  std::string text = field(out.groups[0].notifications[0], "body")->text;
  CHECK_THAT(text, Catch::Contains(R"("startsAt":"2024-05-01T13:00:00.123456789+01:00")"));
  // A resolved alert's end as written; a firing one's end is not shown.
  CHECK_THAT(text, Catch::Contains(R"("startsAt":"2024-05-01T12:00:00Z","endsAt":"2024-05-01T14:00:30.5+02:00")"));
  CHECK_THAT(text, Catch::Contains(R"("startsAt":"2024-05-01T06:30:00.0000002-05:30")"));
  CHECK_THAT(text, Catch::Contains(R"("startsAt":"2024-05-02T02:00:00.1+14:00","endsAt":"0001-01-01T00:00:00Z")"));

  // A template prints them with time.Time's String(). The API parses with
  // time.ParseInLocation(RFC3339, s, time.UTC): offset 0 is UTC ("+0000 UTC"), any other a zone
  // without a name, whose offset String() prints twice. The expected texts are Go 1.19's (fmt.Print
  // of the parsed time, its Unix and UnixMilli); the fifth alert's start, stamped by the API with
  // time.Now(), would print its monotonic reading too.
  auto times = [&](const std::vector<alertmanager::Alert>& as) {
    auto slack = load(R"(
route: {receiver: r}
receivers:
  - name: r
    slack_configs:
      - api_url: http://127.0.0.1:1/
        send_resolved: true
        text: '{{ range .Alerts }}{{ .StartsAt }}|{{ .EndsAt }}|{{ printf "%v" .StartsAt }}|{{ .StartsAt.Unix }} {{ .StartsAt.UnixMilli }};{{ end }}'
)");
    auto o = alertmanager::dispatch(slack, alertmanager::templates_from_text(""), as, now);
    REQUIRE(o.groups.size() == 1);
    REQUIRE(o.groups[0].notifications.size() == 1);
    std::string t = field(o.groups[0].notifications[0], "text")->text;
    std::vector<std::string> lines;
    for (std::size_t from = 0, to; (to = t.find(';', from)) != std::string::npos; from = to + 1)
      lines.push_back(t.substr(from, to - from));
    return lines;
  };
  std::string zero = "0001-01-01 00:00:00 +0000 UTC";
  auto lines = times(alerts);
  REQUIRE(lines.size() == 5);
  lines.pop_back();
  CHECK(lines ==
        std::vector<std::string>{
            "2024-05-01 13:00:00.123456789 +0100 +0100|" + zero +
                "|2024-05-01 13:00:00.123456789 +0100 +0100|1714564800 1714564800123",
            "2024-05-01 12:00:00 +0000 UTC|2024-05-01 14:00:30.5 +0200 +0200|2024-05-01 12:00:00 +0000 "
            "UTC|1714564800 1714564800000",
            "2024-05-01 06:30:00.0000002 -0530 -0530|" + zero +
                "|2024-05-01 06:30:00.0000002 -0530 -0530|1714564800 1714564800000",
            "2024-05-02 02:00:00.1 +1400 +1400|" + zero + "|2024-05-02 02:00:00.1 +1400 +1400|1714564800 1714564800100",
        });
  // Before the epoch in local time, after it in UTC.
  CHECK(times(alertmanager::parse_alerts(R"([{"labels": {"a": "1"}, "startsAt": "1969-12-31T23:59:59.9995-05:30"}])",
                                         "alerts.json", now)) ==
        std::vector<std::string>{"1969-12-31 23:59:59.9995 -0530 -0530|" + zero +
                                 "|1969-12-31 23:59:59.9995 -0530 -0530|19799 19799999"});
}

TEST_CASE("text/time: civil dates and RFC 3339 as Go's time package", "[alertmanager][dispatch]") {
  CHECK(text::format_rfc3339_ms(gotemplate::kGoZeroTimeMs) == "0001-01-01T00:00:00Z");
  CHECK(text::format_rfc3339_ms(at("2024-02-29T23:59:59.120Z")) == "2024-02-29T23:59:59.12Z");
  CHECK_FALSE(text::parse_rfc3339_ms("2023-02-29T00:00:00Z"));
  CHECK_FALSE(text::parse_rfc3339_ms("2024-05-01 12:00:00Z"));
  CHECK(text::civil(at("2024-05-04T10:00:00Z") / 1000).weekday == 6);
  CHECK(text::civil(gotemplate::kGoZeroTimeMs / 1000).year == 1);
}

TEST_CASE("dispatch: Telegram's HTML parse mode renders with html/template", "[alertmanager][dispatch]") {
  auto cfg = load(R"(
route:
  receiver: tg
receivers:
  - name: tg
    telegram_configs:
      - {bot_token: '1:x', chat_id: 1, message: '{{ .CommonLabels.x }}'}
      - {bot_token: '1:x', chat_id: 1, message: '{{ .CommonLabels.x }}', parse_mode: Markdown}
    pushover_configs:
      - {user_key: u, token: t, message: '{{ .CommonLabels.x }}', html: true}
      - {user_key: u, token: t, message: '{{ .CommonLabels.x }}'}
)");
  auto t = alertmanager::templates_from_text("");
  auto out = alertmanager::dispatch(cfg, t, {alert({{"x", "<b>&"}})}, at("2024-05-01T12:01:00Z"));
  REQUIRE(out.groups.size() == 1);
  const auto& notes = out.groups[0].notifications;
  REQUIRE(notes.size() == 4);
  CHECK(field(notes[0], "message")->text == "&lt;b&gt;&amp;"); // parse_mode defaults to HTML
  CHECK(field(notes[1], "message")->text == "<b>&");
  CHECK(field(notes[2], "message")->text == "&lt;b&gt;&amp;");
  CHECK(field(notes[3], "message")->text == "<b>&");
}
