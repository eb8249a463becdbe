// libFuzzer target: `routes test --alerts`' input, the alerts JSON of Alertmanager's API, then the
// whole dispatch of whatever parses through a fixed configuration (routes, group_by '...',
// inhibition, a time interval, a webhook and a Slack config with templates). Errors are
// core::Error; every input alert has its outcome, every group holds alerts, each webhook body is
// JSON, and the outcome renders as JSON and text.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/core/error.hpp"

namespace {

const char* const kConfig = R"(
route:
  receiver: hook
  group_by: [alertname]
  routes:
    - matchers: [severity=~"crit.*"]
      receiver: chat
      group_by: ['...']
      continue: true
    - matchers: [team!=""]
      receiver: hook
      mute_time_intervals: [nights]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [instance]
time_intervals:
  - name: nights
    time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}], location: Europe/Berlin}]
receivers:
  - name: hook
    webhook_configs: [{url: 'http://127.0.0.1:1/', max_alerts: 2}]
  - name: chat
    slack_configs:
      - api_url: 'http://127.0.0.1:1/'
        send_resolved: true
        text: '{{ range .Alerts }}{{ .Labels.SortedPairs }} {{ .StartsAt }} {{ .Annotations.summary | title }}{{ end }}'
)";

const char* const kDefaults =
    R"({{ define "slack.default.title" }}[{{ .Status | toUpper }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}{{ end }})";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nsmon;
  static const core::SourceFile src("am.yml", kConfig);
  static const alertmanager::Config cfg = [] {
    std::vector<core::Diagnostic> diags;
    return alertmanager::load_config(src, diags);
  }();
  static const alertmanager::Templates templates = alertmanager::templates_from_text(kDefaults);
  std::vector<alertmanager::Alert> alerts;
  const std::int64_t now = 1714564800000;
  try {
    alerts = alertmanager::parse_alerts(std::string_view(reinterpret_cast<const char*>(data), size), "f.json", now);
  } catch (const Error&) {
    return 0;
  }
  auto out = alertmanager::dispatch(cfg, templates, alerts, now);
  if (out.alerts.size() != alerts.size()) __builtin_trap();
  for (const auto& g : out.groups) {
    if (g.alerts.empty()) __builtin_trap();
    for (const auto& n : g.notifications)
      for (const auto& f : n.fields)
        if (f.name == "body" && !nlohmann::json::accept(f.text)) __builtin_trap();
  }
  (void)alertmanager::outcome_json(out, alerts).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  (void)alertmanager::outcome_text(out, alerts);
  return 0;
}
