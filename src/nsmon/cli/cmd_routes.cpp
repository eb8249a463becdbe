// nsmon routes test / routes show: where alerts go in an alertmanager.yml (alertmanager/routing).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "nsmon/alertmanager/cases.hpp"
#include "nsmon/alertmanager/config.hpp"
#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/alertmanager/routing.hpp"
#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/defaults.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/promapi/time.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

namespace {

struct RoutesOptions {
  std::string config;
  std::vector<std::string> labels;                    ///< name=value
  std::string verify;                                 ///< --verify-receivers (comma-separated)
  std::string cases;                                  ///< --cases FILE
  std::string alerts;                                 ///< --alerts FILE (the API's JSON)
  std::string time;                                   ///< --time (default now)
  std::string external_url = "http://localhost:9093"; ///< --external-url
  std::string templates_dir;                          ///< --default-templates DIR
  alertmanager::Version version;                      ///< --alertmanager-version, through the settings
  std::string show_format = "text";                   ///< routes show --format
};

constexpr const char* kDefaultAlertmanagerConfig = "rules/alertmanager.yml";

LoadedAlertmanager load(const std::string& given, alertmanager::Version version) {
  std::string path = given;
  if (path.empty())
    path = require_default(kDefaultAlertmanagerConfig, "no configuration: give --alertmanager alertmanager.yml");
  return load_alertmanager(path, version);
}

// name=value (the value may be quoted), as amtool's label arguments.
labels::Labels parse_labels(const std::vector<std::string>& args) {
  labels::Labels out;
  for (const auto& a : args) {
    auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("'" + a + "' is not name=value");
    std::string name = a.substr(0, eq), value = a.substr(eq + 1);
    // An alert has label values, not matchers: severity=~critical or severity!=x is a typo that
    // would route the literal value (amtool refuses them too).
    if (!value.empty() && value[0] == '~')
      throw UsageError("'" + a + "' is a matcher, not a label: an alert's labels are name=value (" + name + "=" +
                       value.substr(1) + ")");
    if (!name.empty() && name.back() == '!')
      throw UsageError("'" + a + "' is a matcher, not a label: an alert's labels are name=value");
    if (!alertmanager::is_label_name(name)) throw UsageError("'" + name + "' is not a valid label name");
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    labels::set(out, name, value);
  }
  return out;
}

std::vector<std::string> receivers_of(const alertmanager::Config& cfg, const labels::Labels& labels) {
  std::vector<std::string> out;
  for (const auto& m : alertmanager::route_alert(*cfg.route, labels)) out.push_back(m.receiver);
  return out;
}

// --cases: each failed case is a routes/case-failed finding of the one report; the verdicts of
// all cases are the JSON report's "cases", the passed ones listed before a text report.
int run_cases(const RoutesOptions& o, const LoadedAlertmanager& l, const ReportOptions& ro) {
  std::string text = util::read_file(o.cases);
  core::SourceFile src(o.cases, text);
  std::vector<core::Diagnostic> diags;
  auto cases = alertmanager::load_cases(src, diags);
  core::SourceSet sources;
  sources.add(src.path(), text);
  check_loaded(std::move(diags), sources, "cases file", src.path(), core::Severity::error);
  report::Report report;
  long long failed = 0;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const auto& c : cases) {
    auto r = alertmanager::run_case(l.cfg, c);
    nlohmann::ordered_json inhibited = nlohmann::ordered_json::array();
    for (auto i : r.inhibited_by) inhibited.push_back(l.cfg.inhibit_rules[i].span.line);
    results.push_back({{"name", c.name},
                       {"file", src.path()},
                       {"line", c.span.line},
                       {"passed", r.failures.empty()},
                       {"receivers", r.receivers},
                       {"inhibited_by_rule_at_line", inhibited},
                       {"failures", r.failures}});
    if (r.failures.empty()) {
      if (ro.format == "text") std::cout << "PASS  " << c.name << "\n";
      continue;
    }
    ++failed;
    report.findings.push_back(core::make_diagnostic(
        "routes/case-failed", c.span, "case '" + c.name + "' fails:\n  " + util::join(r.failures, "\n  ")));
  }
  const auto total = static_cast<long long>(cases.size());
  report.gate_failed = failed > 0;
  report.scope = src.path() + " (" + report::plural(total, "case", "cases") + ": " + std::to_string(total - failed) +
                 " passed, " + std::to_string(failed) + " failed)";
  report.facts = {{"cases", total}, {"passed", total - failed}, {"failed", failed}};
  report.details.emplace_back("cases", std::move(results));
  return finish(report, sources, ro);
}

// --alerts: what Alertmanager does with these alerts at --time: routes, inhibition, mutes,
// groups and the notifications rendered with the default templates and the config's own.
int run_alerts(const RoutesOptions& o, const LoadedAlertmanager& l, const ReportOptions& ro) {
  const std::string format = ro.format_given ? ro.format : "text";
  if (format != "text" && format != "json") throw UsageError("routes test --alerts prints text or json, not " + format);
  const double now_s = promapi::now_seconds();
  const double at = time_flag(o.time, "--time", now_s).value_or(now_s);
  const auto now_ms = static_cast<std::int64_t>(at * 1000);
  std::string text = util::read_file(o.alerts);
  auto alerts = alertmanager::parse_alerts(text, o.alerts == "-" ? "<stdin>" : o.alerts, now_ms);
  std::vector<core::Diagnostic> diags;
  auto templates = alertmanager::load_templates(l.cfg, diags, {.defaults_dir = o.templates_dir});
  core::SourceSet sources;
  check_loaded(std::move(diags), sources, "templates", l.src.path(), core::Severity::error);
  if (!templates.defaults_found)
    std::cerr << "nsmon: warning: no " << templates.defaults_dir
              << "/default.tmpl (Alertmanager's default templates): the fields that use them fail to render; give "
                 "--default-templates DIR or NSMON_ALERTMANAGER_TEMPLATES\n";
  auto outcome = alertmanager::dispatch(l.cfg, templates, alerts, now_ms, {.external_url = o.external_url});
  if (format == "json")
    std::cout
        << alertmanager::outcome_json(outcome, alerts).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
  else
    for (const auto& line : alertmanager::outcome_text(outcome, alerts)) std::cout << line << "\n";
  return kOk;
}

int run_test(const RoutesOptions& o, const ReportOptions& ro) {
  LoadedAlertmanager l = load(o.config, o.version);
  if (!o.alerts.empty()) {
    if (!o.labels.empty() || !o.cases.empty()) throw UsageError("give --alerts FILE alone, without labels or --cases");
    return run_alerts(o, l, ro);
  }
  if (!o.time.empty()) throw UsageError("--time goes with --alerts FILE");
  if (!o.cases.empty()) {
    if (!o.labels.empty()) throw UsageError("give either --cases FILE or labels, not both");
    return run_cases(o, l, ro);
  }
  // Labels: amtool's answer, the receivers (text) or the routes that take the alert (json).
  const std::string format = ro.format_given ? ro.format : "text";
  if (format != "text" && format != "json")
    throw UsageError("routes test LABELS prints text or json, not " + format + " (--cases reports in every format)");
  auto labels = parse_labels(o.labels);
  auto receivers = receivers_of(l.cfg, labels);
  if (format == "json") {
    nlohmann::json routes = nlohmann::json::array();
    for (const auto& m : alertmanager::route_alert(*l.cfg.route, labels)) {
      nlohmann::json matchers = nlohmann::json::array();
      for (const auto& x : m.route->match_all) matchers.push_back(alertmanager::to_string(x));
      routes.push_back({{"receiver", m.receiver}, {"line", m.route->span.line}, {"matchers", matchers}});
    }
    std::cout << nlohmann::json{{"labels", labels}, {"receivers", receivers}, {"routes", routes}}.dump(
                     2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cout << util::join(receivers, ",") << "\n";
  }
  if (!o.verify.empty()) {
    auto expected = util::split_lists({o.verify});
    if (expected != receivers) {
      std::cerr << "nsmon: receivers differ: expected " << util::join(expected, ",") << ", got "
                << util::join(receivers, ",") << "\n";
      return kFindings;
    }
  }
  return kOk;
}

void print_tree(const alertmanager::Route& r, const std::string& receiver, const std::string& indent, bool last,
                bool root) {
  const std::string& mine = r.receiver && !r.receiver->value.empty() ? r.receiver->value : receiver;
  std::string line = root ? "default-route" : "{";
  if (!root) {
    for (std::size_t i = 0; i < r.match_all.size(); ++i)
      line += (i ? ", " : "") + alertmanager::to_string(r.match_all[i]);
    line += "}";
  }
  if (r.continue_) line += "  continue: true";
  line += "  receiver: " + mine;
  std::cout << indent << (root ? "" : (last ? "└── " : "├── ")) << line << "\n";
  std::string next = root ? "" : indent + (last ? "    " : "│   ");
  for (std::size_t i = 0; i < r.routes.size(); ++i)
    print_tree(r.routes[i], mine, next, i + 1 == r.routes.size(), false);
}

// A route and its children, each with what it has in effect (alertmanager::inherit).
nlohmann::json route_json(const alertmanager::Route& r, const alertmanager::RouteOptions& parent) {
  const alertmanager::RouteOptions e = alertmanager::inherit(parent, r);
  nlohmann::json matchers = nlohmann::json::array(), children = nlohmann::json::array();
  for (const auto& m : r.match_all) matchers.push_back(alertmanager::to_string(m));
  for (const auto& c : r.routes) children.push_back(route_json(c, e));
  auto names = [](const std::vector<core::Located>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : v) a.push_back(x.value);
    return a;
  };
  return {{"line", r.span.line},
          {"matchers", matchers},
          {"receiver", e.receiver},
          {"receiver_inherited", !(r.receiver && !r.receiver->value.empty())},
          {"continue", r.continue_},
          {"group_by", e.group_by_all ? std::vector<std::string>{"..."} : e.group_by},
          {"group_wait", text::format_duration(e.group_wait_ms)},
          {"group_interval", text::format_duration(e.group_interval_ms)},
          {"repeat_interval", text::format_duration(e.repeat_interval_ms)},
          {"mute_time_intervals", names(r.mute_time_intervals)},
          {"active_time_intervals", names(r.active_time_intervals)},
          {"routes", children}};
}

int run_show(const RoutesOptions& o) {
  LoadedAlertmanager l = load(o.config, o.version);
  if (o.show_format == "json")
    std::cout << route_json(*l.cfg.route, {}).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else print_tree(*l.cfg.route, "", "", true, true);
  return kOk;
}

// --alertmanager names the file as everywhere else (test-rules' --alertmanager); --config, which
// means prometheus.yml in lint-rules and lint-alertmanager, is still read here, with a warning.
void add_config_options(CLI::App& cmd, RoutesOptions& o) {
  cmd.add_option("--alertmanager", o.config, "alertmanager.yml (default: rules/alertmanager.yml)")->option_text("FILE");
  cmd.add_option("--config", o.config)->group("")->each([](const std::string&) {
    std::cerr << "nsmon: warning: routes --config is deprecated: --config means prometheus.yml in the other "
                 "subcommands; give the alertmanager.yml with --alertmanager\n";
  });
}

constexpr const char* kTestHelp = R"(Routing:
  As Alertmanager routes: the root route takes every alert; each route's children are tried in
  order, the first that matches ends the search unless it has continue: true, and a route none of
  whose children match is where the alert goes. A route without a receiver uses its parent's.
  Matchers of matchers:, match: and match_re: all apply; regexes are anchored; a label the alert
  lacks matches as the empty value. The output is amtool's: the receivers, comma-separated, in
  tree order.

Cases (--cases FILE):
  cases:
    - name: a critical ML alert pages the team
      labels: {alertname: TrainingDiverged, severity: critical, team: ml}
      receivers: [pager, ml-team]
    - labels: {alertname: HighLatency, severity: warning, instance: a}
      firing: [{alertname: HighLatency, severity: critical, instance: a}]
      inhibited: true
  'firing' lists the alerts firing at the same time, for the inhibit rules.
  The file may instead be in the batch format proposed for amtool (prometheus/alertmanager PR
  #5175, `amtool config routes test --test-file`), so that such a file runs today:
  tests:
    - name: critical suppresses warning
      alerts:                          # fired together
        - labels: {alertname: A, severity: critical}
          expected_receivers: [pager]
        - labels: {alertname: A, severity: warning}
          expected_inhibited: true
  Each alert is a case, checked as the PR checks it: expected_inhibited: true asserts only that
  it is muted; otherwise its receivers must be expected_receivers (absent: none, so it fails).

Alerts (--alerts FILE):
  The alerts as Alertmanager's API takes them (POST /api/v2/alerts; '-' reads stdin):
    [{"labels": {"alertname": "DiskFull", "severity": "critical", "instance": "db1"},
      "annotations": {"summary": "disk full on db1"},
      "startsAt": "2024-05-01T12:00:00Z", "endsAt": null, "generatorURL": ""}]
  prints what Alertmanager 0.25 does with them at --time (default now): each alert's routes,
  whether an inhibit rule mutes it and which firing alerts are its sources, the routes that
  mute_time_intervals or active_time_intervals mute, the aggregation groups (group_by, groupKey,
  the alerts in Alertmanager's order) and each integration's notification: its templated fields
  rendered with Alertmanager's default templates (--default-templates DIR, else
  $NSMON_ALERTMANAGER_TEMPLATES, else /usr/share/prometheus/alertmanager) and the config's
  templates:, or the template's error; a webhook's JSON body as Alertmanager posts it. It is the
  first notification of each group: inhibited alerts are left out, a group with nothing firing
  sends nothing, resolved alerts go only to integrations with send_resolved. --format json for
  scripts.

Examples:
  nsmon routes test --alertmanager alertmanager.yml severity=critical team=ml
  nsmon routes test --alertmanager alertmanager.yml --alerts alerts.json --time 2024-05-01T12:00:00Z
  nsmon routes test --alertmanager alertmanager.yml --verify-receivers pager,ml-team severity=critical team=ml
  nsmon routes test --alertmanager alertmanager.yml --cases routing_cases.yml
  nsmon routes show --alertmanager alertmanager.yml
  nsmon routes show --alertmanager alertmanager.yml --format json | jq '.routes[].receiver'

Receivers (or a case) other than expected fail the test; a configuration or cases file that does
not load is shown with its errors' positions.)";

} // namespace

Run define_routes(CLI::App& cmd) {
  cmd.require_subcommand(1);
  cmd.footer("\n" + exit_codes_help({kOk, kFindings, kUsage}));
  auto o = std::make_shared<RoutesOptions>();
  auto* test =
      cmd.add_subcommand("test", "The receivers an alert with these labels reaches (as amtool config routes test)");
  test->add_option("LABELS", o->labels, "The alert's labels, name=value ...");
  add_config_options(*test, *o);
  add_alertmanager_version_option(*test);
  test->add_option("--verify-receivers", o->verify,
                   "Exit 1 unless these are the receivers (comma-separated, in order)");
  test->add_option(
          "--cases", o->cases,
          "Run a YAML file of cases: labels, expected receivers, inhibition (or amtool's proposed tests: format)")
      ->option_text("FILE");
  test->add_option("--alerts", o->alerts,
                   "What Alertmanager sends for these alerts (a JSON file as its API takes them): routes, "
                   "inhibition, mutes, groups, rendered notifications")
      ->option_text("FILE");
  test->add_option("--time", o->time, "The time of --alerts (RFC 3339, Unix seconds, now-1h; default now)")
      ->option_text("TIME");
  test->add_option("--external-url", o->external_url,
                   "Alertmanager's --web.external-url, as templates see it (default http://localhost:9093)")
      ->option_text("URL");
  test->add_option("--default-templates", o->templates_dir,
                   "The folder of Alertmanager's default.tmpl (default $NSMON_ALERTMANAGER_TEMPLATES or "
                   "/usr/share/prometheus/alertmanager)")
      ->option_text("DIR");
  add_report_options(*test);
  test->footer(std::string(kTestHelp) + "\n\n" + exit_codes_help({kOk, kFindings, kUsage}));
  auto* show = cmd.add_subcommand("show", "The routing tree, each route with its matchers and receiver");
  show->footer("\n" + exit_codes_help({kOk, kUsage}));
  add_config_options(*show, *o);
  add_alertmanager_version_option(*show);
  show->add_option("--format", o->show_format,
                   "text (default): the tree; json: each route with its matchers and what it has in effect "
                   "(receiver, group_by, timings, inherited where it sets none), its children under routes")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("FORMAT");
  return [o, test](const Context& ctx) {
    o->version = alertmanager_version(ctx.settings);
    return test->parsed() ? run_test(*o, ctx.report) : run_show(*o);
  };
}

} // namespace nsmon::cli
