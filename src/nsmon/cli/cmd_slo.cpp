// nsmon slo generate: SLO specs to multi-window, multi-burn-rate rules and the tests that prove them.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/defaults.hpp"
#include "nsmon/cli/rule_inputs.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/lint/cost.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/report/report.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/spec.hpp"
#include "nsmon/util/files.hpp"

namespace nsmon::cli {

namespace {

namespace fs = std::filesystem;

struct SloOptions {
  std::string spec; ///< empty: rules/slos.yml here, or the installed one (cli/defaults)
  std::string out = "rules/slo_rules.yml";
  std::string tests;     ///< --tests FILE
  std::string dashboard; ///< --dashboard FILE
  std::string policy;    ///< --policy FILE: what the generated rules are linted with
  bool check = false;
};

// What the tests file names the rule file by: its path relative to the tests file's folder.
std::string relative_to(const std::string& file, const std::string& from_file) {
  fs::path base = fs::absolute(from_file).parent_path();
  return fs::absolute(file).lexically_normal().lexically_relative(base.lexically_normal()).string();
}

// The generated rule file must pass lint-rules, run as it runs on a file (the same checks, policy
// and catalog): its errors (a Sloth query naming a metric the catalog lacks, a template that does
// not parse, two SLOs writing one group) are the spec's, at the SLO whose group they are in.
//
// A matcher the catalog contradicts (a label the metric lacks, a value outside its fixed set) is
// slo/label, an error, in both kinds of spec: in an SLI it empties the errors or the total, and the
// burn-rate alerts never fire. lint-rules says it of any rule as a warning; nsmon's specs say it
// at the selector (slo/label), Sloth's, whose queries only their generated rules read, here.
void lint_generated(const std::vector<slo::Spec>& specs, const Context& ctx, const std::string& policy_path,
                    std::vector<core::Diagnostic>& diags) {
  lint::Options options;
  options.policy = read_policy(policy_path);
  const catalog::Catalog cat = with_externals(ctx.catalog(), options.policy);
  options.catalog = &cat;
  Loaded loaded;
  InputReader(loaded).rule_file("<generated>", slo::rules_yaml(specs));
  std::vector<lint::RuleCost> costs;
  const auto found = lint_loaded(loaded, options, costs)->findings;
  // The SLO and spec of each group, in the order the groups are written (a PrometheusRule's too).
  std::vector<std::pair<const slo::Spec*, const slo::Slo*>> owners;
  for (const auto& spec : specs)
    for (const auto& s : spec.slos)
      for (std::size_t i = 0; i < slo::rule_groups(spec, s).size(); ++i) owners.emplace_back(&spec, &s);
  const auto& groups = loaded.input.rule_files.front().groups;
  std::set<std::pair<const slo::Slo*, std::string>> seen; // one finding per message: the 8 windows repeat each
  for (const auto& d : found) {
    if (owners.empty()) break;
    std::size_t g = 0;
    while (g + 1 < groups.size() && groups[g + 1].span.line <= d.span.line) ++g;
    const auto [spec, slo] = owners[std::min(g, owners.size() - 1)];
    const bool matcher = d.check == "catalog/unknown-label" || d.check == "catalog/unknown-label-value";
    if (matcher ? spec->form == slo::Form::nsmon : d.severity < core::Severity::error) continue;
    if (!seen.insert({slo, std::string(d.check.id()) + d.message}).second) continue;
    if (matcher) {
      diags.push_back(
          core::make_diagnostic("slo/label", slo->span, "SLO " + slo->name + ": " + d.message, d.suggestion));
      continue;
    }
    const std::string rule = d.rule.empty() ? "" : " (" + d.rule + ")";
    diags.push_back({d.severity,
                     slo->span,
                     d.check,
                     "SLO " + slo->name + ": a generated rule" + rule + " would fail lint-rules: " + d.message,
                     d.suggestion,
                     {},
                     {}});
  }
}

int run_generate(const SloOptions& o, const Context& ctx) {
  std::string text = util::read_file(o.spec);
  core::SourceSet sources;
  const auto& src = sources.add(o.spec, text);
  std::vector<core::Diagnostic> diags;
  std::vector<slo::Spec> specs = slo::load_specs(src, ctx.catalog(), diags);
  bool loaded = true;
  for (const auto& d : diags) loaded = loaded && d.severity != core::Severity::error;
  if (loaded) lint_generated(specs, ctx, o.policy, diags);
  // An error stops everything (exit 2); a lesser finding at or above --fail-on stops the writing,
  // as in gen-dashboards (exit 1).
  const bool spec_fails = report::fails(diags, ctx.report.fail_on);
  const std::vector<core::Diagnostic> spec_findings = diags;
  check_loaded(std::move(diags), sources, "SLO spec", o.spec, core::Severity::error);
  if (specs.empty()) throw UsageError(o.spec + ": no SLO to generate");

  std::vector<std::pair<std::string, std::string>> files{{o.out, slo::rules_yaml(specs)}};
  std::vector<std::string> skipped;
  if (!o.tests.empty())
    files.emplace_back(o.tests, slo::tests_yaml(specs, ctx.catalog(), relative_to(o.out, o.tests), skipped));
  if (!o.dashboard.empty())
    files.emplace_back(o.dashboard, slo::dashboard_yaml(specs, relative_to(o.out, o.dashboard)));
  for (const auto& s : skipped) std::cerr << "nsmon: no tests for " << s << "\n";

  if (o.check) {
    // Each file that is missing or differs from what the spec gives is a finding of the one report,
    // whose help is the command that writes it.
    report::Report report;
    std::string regenerate = "run nsmon slo generate " + o.spec + " --out " + o.out;
    if (!o.tests.empty()) regenerate += " --tests " + o.tests;
    if (!o.dashboard.empty()) regenerate += " --dashboard " + o.dashboard;
    for (const auto& [path, content] : files) {
      std::error_code ec;
      const bool missing = !fs::exists(path, ec);
      if (!missing && util::read_file(path) == content) continue;
      report.findings.push_back(core::make_diagnostic(
          "generated/stale", {path, 0, 0, 0},
          missing ? "missing: " + o.spec + " makes it" : "differs from what " + o.spec + " gives", regenerate));
    }
    core::sort_diagnostics(report.findings);
    report.gate_failed = !report.findings.empty();
    report.scope = report::plural(static_cast<long long>(files.size()), "file", "files") + " from " + o.spec;
    report.facts = {{"files", static_cast<long long>(files.size())},
                    {"stale", static_cast<long long>(report.findings.size())}};
    const int rc = finish(report, sources, ctx.report);
    return spec_fails ? kFindings : rc;
  }
  if (spec_fails) {
    const std::string why =
        "findings at or above --fail-on " + ctx.report.fail_on + " in " + o.spec + ": nothing written";
    print_error(why);
    report_stopped(why, kFindings, spec_findings, sources, ctx.report);
    return kFindings;
  }
  util::write_files_atomic(files);
  for (const auto& [path, content] : files) std::cout << "wrote " << path << "\n";
  return kOk;
}

constexpr const char* kSloHelp = R"(Spec (rules/slos.yml), nsmon's own format:
  version: nsmon/v1
  service: neurosymbolic-app
  labels: {team: ml}
  slos:
    - name: inference-success
      objective: 0.99               # a ratio (Sloth: a percentage)
      window: 30d
      min_events_per_hour: 60       # the alerts stay silent below this traffic
      sli:
        errors: images_processed_total{status="failed"}
        total: images_processed_total
    - name: inference-latency
      objective: 0.95
      sli: {latency: {metric: inference_time_seconds, le: 1.0}}
    - name: availability
      objective: 0.999
      sli: {up: {job: neurosymbolic-app}}

Checked with positions: objective in (0, 1), window between 1d and 1y, min_events_per_hour a
count of 0 or more, each SLO named once in the file (its rule group is named from it), label
and annotation names Prometheus 2.x reads, metrics, labels and values in the catalog, the
latency threshold one of the histogram's bucket bounds, errors a subset of the total's events.
The generated rules must pass lint-rules with the same catalog, with no error (--policy for its
policy file, e.g. external: [unifipoller_] for another exporter's metrics); a matcher the
catalog contradicts is slo/label, an error, in Sloth's queries as in nsmon's selectors.

Rules (per SLO): slo:sli_error:ratio_rate<w> for 5m, 30m, 1h, 2h, 6h, 1d, 3d, and the SLO window's
averaged from the 5m one (never raw series over the whole window); slo:sli_total:rate<w> for the
guard; slo:objective:ratio; slo:error_budget:remaining; four alerts: 2% of the budget in 1h (and
5m) and 5% in 6h (and 30m) page (severity critical), 10% in 1d (and 2h) and 10% in 3d (and 6h)
open a ticket (severity warning); the factors (14.4, 6, 3, 1 for 30d) scale with the window.

Sloth's specs (version: prometheus/v1, or kind: PrometheusServiceLevel, apiVersion
sloth.slok.dev/v1) give the rules Sloth v0.16 generates, so that routes, dashboards and queries
written for Sloth's output work unchanged: groups sloth-slo-{sli,meta}-recordings-<id> and
sloth-slo-alerts-<id> (<id> = <service>-<slo>); slo:sli_error:ratio_rate<w> with sloth_id,
sloth_service, sloth_slo, sloth_window; the 30d ratio from the 5m recording; slo:objective:ratio,
slo:error_budget:ratio, slo:time_period:days, slo:current_burn_rate:ratio,
slo:period_burn_rate:ratio, slo:period_error_budget_remaining:ratio, sloth_slo_info; one page
and one ticket alert named alerting.name, told apart by sloth_severity, with alerting's and
page_alert's / ticket_alert's labels and annotations; disable honoured. Read as Sloth reads them:
{{.window}} in every query, SLO labels over the service's, several documents per file, the 30d
period. Different on purpose: a spec Sloth would silently misread is an error here (an unknown
key, page_alert in the Kubernetes form where Sloth reads pageAlert); several documents give one
rule file (Prometheus reads only the first document of a rule file); sloth_version says nsmon's;
a PrometheusRule is labelled app.kubernetes.io/managed-by: nsmon; SLO plugins are not run.

Tests (--tests FILE): nsmon's specs: each alert firing at 1.05x its threshold and silent at 0.95x,
and silent below the traffic guard. Sloth's: the page and the ticket alert at 1.05x and 0.95x
their slow condition. Events SLIs whose queries are sum(rate(selector[{{.window}}])) get
counters (regex matchers too), up SLIs a target up 1 - r of the time; other SLIs are named on
stderr. For nsmon test-rules or promtool test rules (promtool cannot read a PrometheusRule).

Dashboard (--dashboard FILE): a gen-dashboards template (templates/slo.yml) on the generated
rules: per SLO its objective, the SLI over the window, the error budget remaining, the burn rate
over each window (coloured at the alerts' thresholds) and the alerts firing. Run
nsmon gen-dashboards to render it into dashboards/.

Examples:
  nsmon slo generate
  nsmon slo generate rules/slos.yml --out rules/slo_rules.yml --tests rules/slo_rules_test.yml \
      --dashboard templates/slo.yml && nsmon gen-dashboards
  nsmon slo generate sloth-spec.yml --out rules.yml --tests tests.yml    # from Sloth
  nsmon slo generate --check --tests rules/slo_rules_test.yml --dashboard templates/slo.yml   # CI

--check fails on a stale file; a spec that does not load (positioned errors, a generated rule
lint-rules would refuse included) or an unwritable output is invalid input.)";

} // namespace

Run define_slo(CLI::App& cmd) {
  cmd.require_subcommand(1);
  cmd.footer("\n" + exit_codes_help({kOk, kFindings, kUsage}));
  auto o = std::make_shared<SloOptions>();
  auto* gen = cmd.add_subcommand("generate", "Recording rules, burn-rate alerts and their unit tests from an SLO spec");
  gen->add_option("SPEC", o->spec, "The SLO spec (default: rules/slos.yml)")->option_text("FILE");
  gen->add_option("--out", o->out, "The rule file to write (default: rules/slo_rules.yml)")->option_text("FILE");
  gen->add_option("--tests", o->tests, "Also write unit tests for the rules (promtool's format)")->option_text("FILE");
  gen->add_option("--dashboard", o->dashboard,
                  "Also write an error-budget dashboard template for gen-dashboards (templates/slo.yml)")
      ->option_text("FILE");
  gen->add_option("--policy", o->policy,
                  "lint-rules' policy file for the generated rules (external: other exporters' metric prefixes)")
      ->option_text("FILE");
  gen->add_flag("--check", o->check, "Write nothing; exit 1 if a file differs from what the spec gives");
  add_report_options(*gen);
  gen->footer(std::string(kSloHelp) + "\n\n" + exit_codes_help({kOk, kFindings, kUsage}));
  return [o](const Context& ctx) {
    SloOptions given = *o;
    if (given.spec.empty()) given.spec = require_default("rules/slos.yml", "nothing to generate: give an SLO spec");
    return run_generate(given, ctx);
  };
}

} // namespace nsmon::cli
