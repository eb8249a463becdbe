#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <set>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/defaults.hpp"
#include "nsmon/cli/rule_inputs.hpp"
#include "nsmon/cli/server.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/lint/cost.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/policy.hpp"
#include "nsmon/online/checks.hpp"
#include "nsmon/promapi/time.hpp"
#include "nsmon/report/render.hpp"
#include "nsmon/util/fast_path.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::cli {

namespace {

namespace fs = std::filesystem;

struct LintOptions {
  std::vector<std::string> files;
  std::string config;
  std::string policy;
  bool list_checks = false;
  std::vector<std::string> features;
  std::vector<std::string> disable; ///< --disable, as lint-metrics' (comma-separated, repeatable)
  ServerOptions conn;               ///< --prometheus: the server the online checks ask
  std::string lookback = "7d";
  bool no_cost = false; ///< --no-cost: no stats=all query per rule
  bool cost = false;    ///< --cost: every rule's cost, heaviest first
};

/// What lint-rules lints when given neither files nor --config (cli/defaults: here, or installed).
constexpr const char* kDefaultPrometheusConfig = "rules/prometheus.yml";

// lint-rules is a pipeline: the options, then read, check, report, one function each. The speed
// tricks a bench still justifies are util/fast_path.hpp's, where each is explained.

/// The checks' options: PromQL features, the policy, and --disable on top of the policy's list.
lint::Options lint_options(const LintOptions& o) {
  lint::Options options;
  options.parse = parse_features(o.features);
  options.policy = read_policy(o.policy);
  for (const auto& name : util::split_lists(o.disable)) {
    if (!lint::find_check(name)) {
      std::vector<std::string> ids;
      for (const auto& c : lint::checks()) ids.emplace_back(c.id);
      std::string hint = util::did_you_mean(name, ids);
      throw UsageError("unknown check '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                       "; nsmon lint-rules --list-checks lists them");
    }
    options.policy.disabled.insert(name);
  }
  return options;
}

// The size of the regular files named on the command line and of --config (not of directories'
// files, nor of the rule files a config names): what the heap is sized for.
std::uintmax_t input_bytes(const LintOptions& o) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (const auto& f : o.files)
    if (auto n = fs::file_size(f, ec); !ec) total += n;
  if (auto n = fs::file_size(o.config, ec); !o.config.empty() && !ec) total += n;
  return total;
}

/// Every rule file (a directory's, a config's) read and loaded into the typed model, with the
/// loaders' findings; with neither files nor --config, the repository's default config.
std::unique_ptr<Loaded> read_inputs(const LintOptions& o, rules::Schema schema) {
  auto loaded = std::make_unique<Loaded>();
  InputReader reader(*loaded, {.schema = schema});
  std::string config = o.config;
  if (config.empty() && o.files.empty())
    config = require_default(kDefaultPrometheusConfig, "nothing to lint: give rule files or --config prometheus.yml");
  for (const auto& f : o.files) reader.rule_path(f, config);
  if (!config.empty()) reader.config(config);
  return loaded;
}

/// What a file that gave no rule holds instead: "is empty", "holds Kubernetes objects but no rule
/// manifest (Deployment, Service)".
std::string held_instead(const rules::RuleFile& file) {
  if (!file.groups.empty())
    return "has " + report::plural(static_cast<long long>(file.groups.size()), "group", "groups") + " but no rule";
  if (!file.other_objects.empty()) {
    std::string kinds;
    std::set<std::string_view> seen;
    for (const auto& k : file.other_objects)
      if (seen.insert(k).second) kinds += (kinds.empty() ? "" : ", ") + k;
    return "holds Kubernetes objects but no rule manifest (" + kinds + ")";
  }
  const std::string_view text = file.source ? file.source->text() : std::string_view();
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = util::trim(text.substr(at, end - at));
    if (!line.empty() && line[0] != '#' && line != "---" && line != "...") return "has no rule groups";
    at = end + 1;
  }
  return "is empty";
}

/// A gate that read no rule checked nothing, so it must not pass: one error that says what each
/// input held instead. Not with --config (a Prometheus without rules is linted for its config),
/// nor after a loader's error (the file was meant to hold rules, and that error says why not).
std::optional<core::Diagnostic> no_rules(const Loaded& loaded) {
  if (loaded.rules > 0 || loaded.input.config || loaded.input.rule_files.empty()) return std::nullopt;
  for (const auto& d : loaded.diags)
    if (d.severity == core::Severity::error) return std::nullopt;
  std::string what;
  const auto& files = loaded.input.rule_files;
  for (std::size_t i = 0; i < files.size() && i < 3; ++i)
    what += (i ? "; " : "") + files[i].path + " " + held_instead(files[i]);
  if (files.size() > 3)
    what += "; and " + report::plural(static_cast<long long>(files.size() - 3), "file", "files") + " more";
  return core::make_diagnostic(
      "rules/no-rules", {files.front().path, 1, 1, 0},
      "no rule in " + report::plural(static_cast<long long>(files.size()), "file", "files") +
          ", so nothing was checked: " + what,
      "name the rule files: plain ones (groups:), PrometheusRule, VMRule, OpenShift AlertingRule or Google Managed "
      "Prometheus manifests, "
      "ConfigMaps with one in data as a literal block (alerts.yml: |), Helm values with rule groups; a wrong path "
      "or glob is the usual cause");
}

/// --prometheus: the server's findings on the same rules, under the same comments and policy,
/// without those that repeat an offline finding; what was asked goes to the summary's facts. The
/// server's count of each rule's samples joins `costs`, and judges them in place of the estimate.
void check_online(LintOptions& o, const Context& ctx, Loaded& loaded, const lint::Options& options,
                  report::Report& report, std::vector<lint::RuleCost>& costs) {
  take_server_settings(ctx.settings, o.conn);
  if (o.conn.url.empty()) o.conn.url = ctx.settings.get("lint.prometheus").value;
  if (o.conn.url.empty()) return;
  auto lookback = config::duration_ms(o.lookback);
  if (!lookback || *lookback < 60000)
    throw UsageError("--lookback wants a duration of a minute or more such as 1d or 7d, not '" + o.lookback + "'");
  Session session = connect(o.conn, "--prometheus");
  promapi::Batch batch(
      [&](const promapi::Call& c, const promapi::ReaderOptions& ro) { return call_server(session, c, ro); });
  online::Options oo;
  oo.server = util::redact_url(session.server);
  oo.now = promapi::now_seconds();
  oo.lookback_s = static_cast<std::int64_t>(*lookback / 1000);
  oo.parse = options.parse;
  oo.cost = !o.no_cost;
  online::Summary summary;
  auto found = online::check(loaded.input.rule_files, batch, oo, summary);
  online::drop_repeated(found, report.findings);
  for (auto& c : costs)
    if (auto it = summary.samples.find(c.rule); it != summary.samples.end()) c.server_samples = it->second;
  if (summary.exact_cost) {
    std::erase_if(report.findings, [](const core::Diagnostic& d) { return d.check == "rules/cost"; });
    const rules::Config* cfg = loaded.input.config ? &*loaded.input.config : nullptr;
    auto heavy = lint::cost_outliers(costs, options.policy, true, cfg);
    std::move(heavy.begin(), heavy.end(), std::back_inserter(found));
  }
  lint::apply_policy(found, loaded.input, options.policy);
  report.findings.insert(report.findings.end(), std::make_move_iterator(found.begin()),
                         std::make_move_iterator(found.end()));
  core::sort_diagnostics(report.findings);
  report.facts.push_back({"server", oo.server});
  report.facts.push_back({"server_selectors", static_cast<long long>(summary.selectors)});
  report.facts.push_back({"server_requests", static_cast<long long>(summary.requests)});
  report.facts.push_back({"server_cost", summary.exact_cost ? "exact" : "not reported by the server"});
  report.facts.push_back({"server_cost_queries", static_cast<long long>(summary.cost_queries)});
}

/// --cost: every rule's cost, heaviest first: a table before the findings, or the JSON's "costs".
void show_costs(const std::vector<lint::RuleCost>& costs, const ReportOptions& ro, report::Report& report) {
  if (ro.format == "text") std::cout << lint::render_cost_table(costs) << "\n";
  report.details.emplace_back("costs", lint::cost_json(costs));
}

int run_lint(LintOptions& o, const Context& ctx) {
  if (o.cost && ctx.report.format != "text" && ctx.report.format != "json")
    throw UsageError("--cost shows a table in text or JSON (\"costs\"); --format " + ctx.report.format +
                     " has no place for it");
  lint::Options options = lint_options(o);
  // --disable is in the policy by now, so the list shows those checks off too.
  if (o.list_checks) return list_checks(ctx.report, "", options.policy);
  // The catalog before the inputs: a broken catalog file is the first error reported.
  options.catalog = &ctx.catalog();
  catalog::Catalog extended;
  if (!options.policy.external_prefixes.empty()) {
    extended = with_externals(*options.catalog, options.policy);
    options.catalog = &extended;
  }
  // The model of the inputs takes about 15 bytes of heap per byte of YAML (bench/README): huge
  // pages for all of it.
  util::heap_on_huge_pages(std::max<std::uintmax_t>(std::uintmax_t{64} << 20, 24 * input_bytes(o)));
  // Read everything first: an unreadable file ends the command (exit 2) before any check runs.
  auto loaded = read_inputs(o, rule_schema(ctx.settings));
  if (auto d = no_rules(*loaded)) loaded->diags.push_back(std::move(*d));
  // Check the whole input at once: rules are judged against each other and the config.
  std::vector<lint::RuleCost> costs;
  auto report = lint_loaded(*loaded, options, costs);
  // With --prometheus, what the server knows of the same selectors (one error if it is down).
  check_online(o, ctx, *loaded, options, *report, costs);
  if (o.cost) show_costs(costs, ctx.report, *report);
  // Report in --format; the exit code follows --fail-on.
  int rc = finish(*report, loaded->sources, ctx.report);
  // The process ends next: it frees the model and the report.
  util::keep_until_exit(std::move(report));
  util::keep_until_exit(std::move(loaded));
  return rc;
}

constexpr const char* kLintRulesHelp = R"(Inputs:
  FILES are Prometheus rule files, or manifests with rule groups in spec.groups: PrometheusRule
  (monitoring.coreos.com/v1, or the Observability Operator's monitoring.rhobs/v1), VMRule,
  OpenShift's AlertingRule (monitoring.openshift.io/v1, alerting rules only), and Google Managed
  Prometheus' Rules, ClusterRules and GlobalRules; ConfigMaps that hold a rule file
  in data as a literal block (alerts.yml: |), read as the file a Prometheus mounts from it; Helm
  values (a values file or a Flux HelmRelease's spec.values) with kube-prometheus-stack's
  additionalPrometheusRulesMap, victoria-metrics-k8s-stack's additionalVictoriaMetricsMap (read as
  VMRules), the prometheus chart's serverFiles or openstack-helm's conf.prometheus.rules, and a
  prometheus-blackbox-exporter HelmRelease's prometheusRule.rules (a file may hold several YAML
  documents, and a List of objects, as kubectl get -o yaml writes; other Kubernetes objects are
  skipped), or directories (their *.yml and *.yaml files,
  recursively); '-' reads standard input. Inputs that hold no rule at all are an error
  (rules/no-rules): a gate that read nothing does not pass. With --config, prometheus.yml is
  checked too and the rule files its rule_files name (globs, relative to the config) are linted;
  a file named both ways is linted once. With neither, lints rules/prometheus.yml and its rule
  files, if the current directory has one. The global options --catalog FILE (the metric catalog
  to check against instead of the built-in one) and --color WHEN apply.

Formats (--format):
  text    file:line:col: error|warning|info: message [check], the source line and a caret, then a
          summary line (colour on a terminal only; NO_COLOR and --color are honoured)
  json    {"findings": [...], "summary": {...}}; each finding has file, line, column, severity,
          check, message, rule, group and suggestion (null when absent)
  github  GitHub Actions annotations: ::error file=F,line=L,col=C,title=CHECK::MESSAGE
  sarif   SARIF 2.1.0 for code scanning; every check is listed as a rule

Silencing checks:
  # nsmon disable CHECK[,CHECK...]   in a rule file or prometheus.yml: before any content, for the
                                     whole file; on or just above a rule, for that rule; in
                                     prometheus.yml, on a line for that line, just above an entry
                                     (a scrape config, a key) for its lines. A check lint-rules
                                     does not report, and rules/unknown-disable, silence nothing:
                                     a rules/unknown-disable finding says so
  --policy FILE   a YAML file; every key is optional (these are the defaults, except the last two):
                    severity_label: severity
                    severity_values: [critical, warning, info]
                    required_annotations: [summary, description]
                    disable: [promql/regex-anchors]
                    severity: {rules/record-naming: off, units/out-of-range: error}
                    external: [kube_, apiserver_, node_]   # other exporters' metrics, unchecked
                    cost: {ratio: 10, min_samples: 1000000} # rules/cost and server/cost (below)

Rules about other exporters:
  A rules repository that also has kube-state-metrics or node rules: name their prefixes in the
  policy's `external:` list (their metrics are then used unchecked, as the catalog's own external
  namespaces), or give --catalog none to lint structure and PromQL semantics with no catalog at
  all (Prometheus's own series such as up and ALERTS are still known; counters are recognised by
  their _total, _count, _sum and _bucket names).

Cost (--cost shows every rule's, heaviest first; JSON: "costs"):
  what one evaluation of a rule reads, estimated offline. The catalog has no series counts, so a
  selector counts, for each label it leaves open, the values the label can take (its fixed values
  that the matchers accept, 1 for an open label, 100 for a high-cardinality one), a _bucket its
  buckets, times the static targets of its job in the config; a range reads one sample per scrape
  interval of its job (the config's; 1m without one), or per evaluation of the recording rule it
  reads; a subquery its inside once per step. A rule reading at least min_samples in one
  evaluation and ratio times the median rule's samples per second (its samples over its group's
  interval: a heavy read in a slow group is the cheap form) is rules/cost, info. A metric the
  catalog does not know (another exporter's) gets no estimate. With --prometheus, the server's
  count (stats=all) replaces the estimate: server/cost. It counts the data the server holds now:
  a range longer than its history, or series that stopped, count less than they will.

Against a server (--prometheus URL, or the setting lint.prometheus, $NSMON_LINT_PROMETHEUS_URL):
  every selector of every rule is also checked on Prometheus, VictoriaMetrics, Thanos or Mimir
  (a path prefix, --tenant and the other Connection options apply). Its findings are server/*
  checks, positioned on the selector, under the same comments, policy and formats; JSON's
  summary names the server and counts the requests. What is asked, 8 requests at a time, each
  distinct question once per run (4 + selectors/40 requests when every selector is fine, and one
  a rule for the cost unless --no-cost):
    label/__name__/values over --lookback   the metric names the server has had
    targets, metadata, rules?type=record    scrape intervals, metric types, recording rules
                                            (optional: a backend that serves none is not asked again)
    query group() of 40 selectors at once   which selectors match series now
    for a selector that matches nothing     series over --lookback; then when it was last seen
                                            (max_over_time(timestamp(...)[lookback:step])), or
                                            the metric's labels and each matcher's label values
    query with stats=all, once per rule     the samples one evaluation reads (Prometheus
                                            reports them; see Cost above)
  A server that cannot be reached, refuses or answers garbage is one error (exit 3), never a
  finding per rule. Findings the catalog already gives at the same place are not repeated;
  selectors under absent() and of ALERTS, empty by design, are not asked about.

Examples:
  nsmon lint-rules rules/alert_rules.yml
  nsmon lint-rules --prometheus http://localhost:9090 rules/alert_rules.yml
  nsmon lint-rules --cost --config rules/prometheus.yml
  nsmon lint-rules --config rules/prometheus.yml --format sarif > nsmon.sarif
  nsmon lint-rules --fail-on error --format github alerts/*.yml
  nsmon lint-rules --list-checks

A rule file that is not valid YAML is a finding, not an error.)";

} // namespace

Run define_lint_rules(CLI::App& cmd) {
  auto o = std::make_shared<LintOptions>();
  cmd.add_option("FILES", o->files, "Prometheus rule files, PrometheusRule manifests or directories of them");
  cmd.add_option("--config", o->config, "A prometheus.yml to lint, with the rule files it names")->option_text("FILE");
  cmd.add_option("--policy", o->policy,
                 "Team policy: severity label and values, required annotations, "
                 "disabled checks, severity overrides (YAML)")
      ->option_text("FILE");
  cmd.add_option("--disable", o->disable, "Checks to skip (comma-separated, repeatable), as a policy's disable list")
      ->option_text("CHECK")
      ->allow_extra_args(false); // --disable x rules.yml: the file stays a file
  add_server_options(&cmd, o->conn, "--prometheus",
                     "Also ask this Prometheus-compatible server about every selector (default: "
                     "$NSMON_LINT_PROMETHEUS_URL; off when unset)");
  cmd.add_option("--lookback", o->lookback,
                 "With --prometheus: the window a selector's series are looked for in (default 7d)")
      ->option_text("DURATION");
  cmd.add_flag("--cost", o->cost,
               "Show every rule's cost, heaviest first: the series and samples one evaluation reads, "
               "estimated from the catalog (and counted by the server with --prometheus)");
  cmd.add_flag("--no-cost", o->no_cost,
               "With --prometheus: do not ask what each rule's evaluation reads (a query a rule)");
  add_report_options(cmd);
  cmd.add_flag("--list-checks", o->list_checks, "List every check with its severity and summary, then exit");
  add_feature_option(cmd, o->features);
  add_rule_schema_option(cmd);
  cmd.footer(std::string(kLintRulesHelp) + "\n\n" + exit_codes_help({kOk, kFindings, kUsage, kUnreachable}));
  return [o](const Context& ctx) { return run_lint(*o, ctx); };
}

} // namespace nsmon::cli
