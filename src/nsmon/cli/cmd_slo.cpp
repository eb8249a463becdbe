// nsmon slo generate: SLO specs to multi-window, multi-burn-rate rules and the tests that prove them.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/spec.hpp"
#include "nsmon/util/files.hpp"

namespace nsmon::cli {

namespace {

namespace fs = std::filesystem;

struct SloOptions {
  std::string spec = "rules/slos.yml";
  std::string out = "rules/slo_rules.yml";
  std::string tests;     ///< --tests FILE
  std::string dashboard; ///< --dashboard FILE
  bool check = false;
};

// What the tests file names the rule file by: its path relative to the tests file's folder.
std::string relative_to(const std::string& file, const std::string& from_file) {
  fs::path base = fs::absolute(from_file).parent_path();
  return fs::absolute(file).lexically_normal().lexically_relative(base.lexically_normal()).string();
}

int run_generate(const SloOptions& o, const Context& ctx) {
  std::string text = util::read_file(o.spec);
  core::SourceSet sources;
  const auto& src = sources.add(o.spec, text);
  std::vector<core::Diagnostic> diags;
  slo::Spec spec = slo::load_spec(src, ctx.catalog(), diags);
  check_loaded(std::move(diags), sources, "SLO spec", o.spec, core::Severity::error);
  if (spec.slos.empty()) throw UsageError(o.spec + ": no SLO to generate");

  std::vector<std::pair<std::string, std::string>> files{{o.out, slo::rules_yaml(spec)}};
  std::vector<std::string> skipped;
  if (!o.tests.empty())
    files.emplace_back(o.tests, slo::tests_yaml(spec, ctx.catalog(), relative_to(o.out, o.tests), skipped));
  if (!o.dashboard.empty()) files.emplace_back(o.dashboard, slo::dashboard_yaml(spec, relative_to(o.out, o.dashboard)));
  for (const auto& s : skipped) std::cerr << "nsmon: no tests for " << s << "\n";

  if (o.check) {
    int stale = 0;
    for (const auto& [path, content] : files) {
      std::error_code ec;
      bool same = fs::exists(path, ec) && util::read_file(path) == content;
      if (!same) {
        std::cout << path << " differs from what " << o.spec << " gives (run nsmon slo generate)\n";
        ++stale;
      }
    }
    if (stale == 0) std::cout << "up to date: " << files.size() << " files from " << o.spec << "\n";
    return stale ? kFindings : kOk;
  }
  util::write_files_atomic(files);
  for (const auto& [path, content] : files) std::cout << "wrote " << path << "\n";
  return kOk;
}

constexpr const char* kHelp = R"(Spec (rules/slos.yml; Sloth's prometheus/v1 files are read too):
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

Checked with positions: objective in (0, 1), window between 1d and 1y, metrics, labels and values
in the catalog, the latency threshold one of the histogram's bucket bounds, errors a subset of
the total's events.

Rules (per SLO): slo:sli_error:ratio_rate<w> for 5m, 30m, 1h, 2h, 6h, 1d, 3d and the SLO window;
slo:sli_total:rate<w> for the guard; slo:objective:ratio; slo:error_budget:remaining; four alerts: 2% of the budget in
1h (and 5m) and 5% in 6h (and 30m) page (severity critical), 10% in 1d (and 2h) and 10% in 3d (and
6h) open a ticket (severity warning); the factors (14.4, 6, 3, 1 for 30d) scale with the window.

Tests (--tests FILE): each alert firing at 1.05x its threshold and silent at 0.95x, and silent
below the traffic guard; for nsmon test-rules or promtool test rules. up SLIs are tested with a
target up 1 - r of the time, Sloth queries of the form sum(rate(selector[{{.window}}])) with
their selectors' counters; other SLIs are named on stderr.

Dashboard (--dashboard FILE): a gen-dashboards template (templates/slo.yml) on the generated
rules: per SLO its objective, the SLI over the window, the error budget remaining, the burn rate
over each window (coloured at the alerts' thresholds) and the alerts firing. Run
nsmon gen-dashboards to render it into dashboards/.

Examples:
  nsmon slo generate
  nsmon slo generate rules/slos.yml --out rules/slo_rules.yml --tests rules/slo_rules_test.yml \
      --dashboard templates/slo.yml && nsmon gen-dashboards
  nsmon slo generate --check --tests rules/slo_rules_test.yml --dashboard templates/slo.yml   # CI

Exit codes: 0 written (or up to date), 1 --check found a stale file, 2 a spec that does not load
(positioned errors) or unwritable output.)";

} // namespace

Run define_slo(CLI::App& cmd) {
  cmd.require_subcommand(1);
  auto o = std::make_shared<SloOptions>();
  auto* gen = cmd.add_subcommand("generate", "Recording rules, burn-rate alerts and their unit tests from an SLO spec");
  gen->add_option("SPEC", o->spec, "The SLO spec (default: rules/slos.yml)");
  gen->add_option("--out", o->out, "The rule file to write (default: rules/slo_rules.yml)");
  gen->add_option("--tests", o->tests, "Also write unit tests for the rules (promtool's format)");
  gen->add_option("--dashboard", o->dashboard,
                  "Also write an error-budget dashboard template for gen-dashboards (templates/slo.yml)");
  gen->add_flag("--check", o->check, "Write nothing; exit 1 if a file differs from what the spec gives");
  gen->footer(kHelp);
  return [o](const Context& ctx) { return run_generate(*o, ctx); };
}

} // namespace nsmon::cli
