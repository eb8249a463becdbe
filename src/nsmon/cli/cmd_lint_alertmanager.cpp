#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <iostream>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/alertmanager/templates.hpp"
#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/defaults.hpp"
#include "nsmon/cli/rule_inputs.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/lint/alertmanager_checks.hpp"
#include "nsmon/report/render.hpp"
#include "nsmon/util/files.hpp"

namespace nsmon::cli {

namespace {

struct LintAlertmanagerOptions {
  std::string file;
  bool list_checks = false;
  std::vector<std::string> rules; ///< --rules: rule files or directories
  std::string config;             ///< --config: prometheus.yml (its rule_files)
};

/// What lint-alertmanager lints when given no file (relative to the current directory).
constexpr const char* kDefaultFile = "rules/alertmanager.yml";

int count_routes(const alertmanager::Route& r) {
  int n = 1;
  for (const auto& c : r.routes) n += count_routes(c);
  return n;
}

// The files of `templates:` (globs relative to the configuration's folder, as Alertmanager resolves
// them); each must parse. A glob that matches nothing is not an error (Alertmanager allows it), but
// then the names the receivers use cannot be checked against the definitions: only when every
// glob found its files.
void check_templates(const alertmanager::Config& cfg, const std::string& path, core::SourceSet& sources,
                     std::vector<core::Diagnostic>& findings) {
  std::vector<std::string> defined;
  bool complete = true;
  const std::filesystem::path dir =
      path == "-" ? std::filesystem::path(".") : std::filesystem::path(path).parent_path();
  for (const auto& t : cfg.templates) {
    std::filesystem::path pattern = t.value;
    if (pattern.is_relative()) pattern = dir / pattern;
    const auto files = util::glob(pattern.string());
    complete = complete && !files.empty();
    for (const std::string& file : files) {
      std::error_code ec;
      if (std::filesystem::is_directory(file, ec)) continue;
      try {
        const core::SourceFile src(file, util::read_file(file));
        alertmanager::check_template_file(src, findings);
        for (auto& name : alertmanager::defined_templates(src.text())) defined.push_back(std::move(name));
        sources.add(file, std::string(src.text()));
      } catch (const Error& e) {
        complete = false;
        findings.push_back(core::make_diagnostic("alertmanager/template", t.span, e.what()));
      }
    }
  }
  if (complete) alertmanager::check_template_names(cfg, defined, findings);
}

int run_lint_alertmanager(const LintAlertmanagerOptions& o, const Context& ctx) {
  if (o.list_checks) return list_checks(ctx.report, "alertmanager/");
  std::string path = o.file;
  if (path.empty()) path = require_default(kDefaultFile, "nothing to lint: give an alertmanager.yml");
  std::string text = util::read_file(path);
  const core::SourceFile src(path == "-" ? "<stdin>" : path, text);
  report::Report report;
  const alertmanager::Config cfg =
      alertmanager::load_config(src, report.findings, {.version = alertmanager_version(ctx.settings)});
  lint::check_alertmanager(cfg, report.findings);
  // The rules' alerts, when given: routes they cannot reach, inhibit rules that mute none of them.
  // Their findings are lint-rules' business, but a file Prometheus would refuse (not YAML, not
  // rule groups, an expression that does not parse) says nothing sure about the alerts: it is
  // refused, as every file an option names is (exit 2), with its errors.
  long long alerting_rules = -1;
  if (!o.rules.empty() || !o.config.empty()) {
    Loaded rules;
    InputReader reader(rules, {.schema = rule_schema(ctx.settings)});
    for (const auto& r : o.rules) reader.rule_path(r);
    if (!o.config.empty()) reader.config(o.config);
    std::erase_if(rules.diags, [](const core::Diagnostic& d) { return d.severity < core::Severity::error; });
    if (!rules.diags.empty()) {
      const std::string bad = rules.diags.front().span.file.str();
      check_loaded(std::move(rules.diags), rules.sources, "input of --rules/--config", bad, core::Severity::error);
    }
    lint::Options options;
    options.catalog = &ctx.catalog();
    auto alerts = lint::alert_labels(rules.input, options, lint::label_names(cfg));
    alerting_rules = static_cast<long long>(alerts.size());
    lint::check_routing(cfg, alerts, report.findings);
  } else lint::check_routes(cfg, report.findings);
  // Lines are quoted from a copy in which the inline secrets are masked.
  core::SourceSet sources;
  check_templates(cfg, path, sources, report.findings);
  sources.add(src.path(), config::mask(std::move(text), cfg.secrets));
  core::sort_diagnostics(report.findings);
  const long long receivers = static_cast<long long>(cfg.receivers.size());
  const long long routes = cfg.route ? count_routes(*cfg.route) : 0;
  // The version checked for, in the summary: a field is refused or advised by it.
  const std::string version = alertmanager_version(ctx.settings).str();
  report.scope = src.path() + " (" + report::plural(receivers, "receiver", "receivers") + ", " +
                 report::plural(routes, "route", "routes") + ") for Alertmanager " + version;
  report.facts = {
      {"input", src.path()}, {"receivers", receivers}, {"routes", routes}, {"alertmanager_version", version}};
  if (alerting_rules >= 0) report.facts.push_back({"alerting_rules", alerting_rules});
  return finish(report, sources, ctx.report);
}

constexpr const char* kLintAlertmanagerHelp = R"(Input:
  FILE is an Alertmanager configuration (alertmanager.yml); '-' reads standard input. Without
  FILE, lints rules/alertmanager.yml if the current directory has one.

Alertmanager version:
  The file is checked for the Alertmanager that will load it, Debian 12's 0.25 unless
  --alertmanager-version (or NSMON_ALERTMANAGER_VERSION, or alertmanager.version in nsmon's config
  file) says another: 0.25 to 0.34, or latest. A field that version does not have yet is an error
  (alertmanager/newer-field: tracing is new in 0.30, webhook url_file in 0.26), as that
  Alertmanager refuses the file; advice names only fields it has (a webhook url with
  user:password@ is moved to http_config.basic_auth for 0.25, which has no url_file).

What it checks (--list-checks lists the alertmanager/* ids; YAML problems are yaml/*):
  the file as that Alertmanager loads it: unknown fields (with the nearest known one), the route
  tree (receivers defined, the root route's receiver, durations, group_by, matchers and their
  regexes, mute/active time intervals defined; weekdays, days_of_month, months, years and times
  of time_intervals as Alertmanager reads them), every receiver kind (unique names; each kind's
  fields and required fields, with the global fields that stand in for them), http_config as
  Prometheus's HTTP client (config/* findings: auth conflicts, *_file pairs, oauth2, tls_config),
  URLs that are not http(s), an SMTP smarthost without a port, secrets given both inline and in
  *_file (error), a credential written inline where a *_file field exists (warning: a password or
  key field, a URL with userinfo or a token-shaped path or query; not an in-cluster webhook URL)
  or, for a URL's userinfo, where http_config.basic_auth with password_file can take it,
  templates that do not parse (the templates: files, and {{ }} in receivers' fields, with
  Alertmanager's functions), placeholders (YOUR_..., example.com, xxx@xxx.com, <channel-name>),
  a child route whose receiver is null or empty (it inherits its parent's: null-receiver), inhibit
  rules that mute the more severe alert (inhibit-inverted), .GroupLabels.x in a receiver's template
  where a route sending to it does not group by x (group-label-absent), {{ template "name" }} of
  a name no templates: file nor Alertmanager's defaults define (undefined-template), the
  deprecated match/match_re/source_match/target_match (info), receivers no route uses,
  repeat_interval shorter than group_interval, continue on the last route of its level, routes
  an earlier sibling without continue always takes first, inhibit rules that inhibit themselves.
  With --rules or --config, against the alerts the rules can fire (their alertname and static
  labels, the config's external labels, the labels their expressions always carry and those they
  are proved not to carry): routes no alert can reach (alertmanager/unmatched-route:
  severity="page" when the rules say critical and warning), routes
  whose every alert an earlier sibling takes (shadowed-route), severities only the root route's
  receiver gets (root-only-severity), group_by labels no alert reaching the route has
  (group-by-absent) and inhibit rules that can mute none of them (alertmanager/inhibit-never:
  equal labels source and target alerts never share, such as one every source alert carries and
  no target alert does). Only what is proved is reported.
  URLs in messages have their credentials masked; secret values are never printed.

Formats (--format): text, json, github, sarif, as lint-rules.

Examples:
  nsmon lint-alertmanager rules/alertmanager.yml
  nsmon lint-alertmanager --config rules/prometheus.yml rules/alertmanager.yml
  nsmon lint-alertmanager --format github --fail-on error alertmanager.yml
  nsmon lint-alertmanager --alertmanager-version 0.28 alertmanager.yml
  nsmon lint-alertmanager --list-checks

A file that is not valid YAML is a finding, not an error.)";

} // namespace

Run define_lint_alertmanager(CLI::App& cmd) {
  auto o = std::make_shared<LintAlertmanagerOptions>();
  cmd.add_option("FILE", o->file, "The Alertmanager configuration (alertmanager.yml; '-': standard input)");
  cmd.add_option("--rules", o->rules,
                 "Rule files or directories whose alerts the routing is checked against (repeatable)")
      ->allow_extra_args(false)
      ->option_text("PATH");
  cmd.add_option("--config", o->config, "prometheus.yml: check the routing against the alerts of its rule_files")
      ->option_text("FILE");
  add_alertmanager_version_option(cmd);
  add_rule_schema_option(cmd);
  add_report_options(cmd);
  cmd.add_flag("--list-checks", o->list_checks, "List the alertmanager/* checks with their severity, then exit");
  cmd.footer(std::string(kLintAlertmanagerHelp) + "\n\n" + exit_codes_help({kOk, kFindings, kUsage}));
  return [o](const Context& ctx) { return run_lint_alertmanager(*o, ctx); };
}

} // namespace nsmon::cli
