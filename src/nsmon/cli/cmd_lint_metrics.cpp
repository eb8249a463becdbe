#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <set>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/http/client.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/metrics_checks.hpp"
#include "nsmon/promapi/scrape.hpp"
#include "nsmon/report/render.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::cli {

namespace {

struct LintMetricsOptions {
  std::string input = "http://127.0.0.1:8000/metrics";
  std::string input_format = "auto";
  std::vector<std::string> disable;
  bool no_catalog = false;
  bool no_naming = false;
  bool list_checks = false;
  double timeout = 10;
};

/// The largest scrape read from a URL (a detector's is ~30 KB; 22 MB is a very big node).
constexpr std::size_t kMaxBytes = 512u << 20;

bool is_url(const std::string& s) { return util::starts_with(s, "http://") || util::starts_with(s, "https://"); }

struct Input {
  std::string name; ///< what findings are attributed to
  std::unique_ptr<util::InputText> text;
  expfmt::Format format = expfmt::Format::text;
};

Input read_input(const LintMetricsOptions& o) {
  Input in;
  if (is_url(o.input)) {
    in.name = util::redact_url(o.input);
    promapi::ScrapeRequest req{o.input, o.timeout, kMaxBytes};
    req.accept = o.input_format == "text"          ? promapi::ScrapeAccept::text
                 : o.input_format == "openmetrics" ? promapi::ScrapeAccept::openmetrics
                                                   : promapi::ScrapeAccept::any;
    // A server that cannot be reached, or answers anything but the scrape, is a ServerError.
    http::Response resp = promapi::scrape(*http::make_curl_client(), req);
    in.text = util::InputText::of(std::move(resp.body));
    // The server's answer decides (a text-only exporter answers text to an OpenMetrics request).
    in.format = expfmt::format_from_content_type(resp.content_type);
    return in;
  }
  in.name = o.input == "-" ? "<stdin>" : o.input;
  in.text = std::make_unique<util::InputText>(o.input);
  in.format = o.input_format == "auto"          ? lint::sniff_format(in.text->view())
              : o.input_format == "openmetrics" ? expfmt::Format::openmetrics
                                                : expfmt::Format::text;
  return in;
}

// What was checked, for the summary: "scrape.txt (3 families, 10 series)" and the JSON facts.
void describe_input(report::Report& report, const Input& in, const lint::MetricsSummary& sum) {
  report.scope = in.name + " (" + report::plural(static_cast<long long>(sum.families), "family", "families") + ", " +
                 report::plural(static_cast<long long>(sum.series), "series", "series") + ")";
  report.facts = {{"input", in.name},
                  {"format", expfmt::to_string(in.format)},
                  {"families", static_cast<long long>(sum.families)},
                  {"series", static_cast<long long>(sum.series)}};
}

int run_lint_metrics(const LintMetricsOptions& o, const Context& ctx) {
  if (o.list_checks) return list_checks(ctx.report, "metrics/");
  std::set<std::string> disabled;
  for (const auto& name : util::split_lists(o.disable)) {
    if (!util::starts_with(name, "metrics/") || !lint::find_check(name))
      throw UsageError("unknown check '" + name + "' (nsmon lint-metrics --list-checks lists them)");
    disabled.insert(name);
  }
  if (o.no_catalog && o.no_naming) throw UsageError("--no-catalog and --no-naming leave nothing to check but syntax");

  lint::MetricsOptions options;
  options.catalog = o.no_catalog ? nullptr : &ctx.catalog();
  options.naming = !o.no_naming;
  Input in = read_input(o);

  lint::MetricsSummary sum;
  report::Report report;
  report.findings = lint::check_metrics(in.text->view(), in.format, in.name, options, &sum);
  std::erase_if(report.findings, [&](const auto& d) { return disabled.count(std::string(d.check.id())) > 0; });
  describe_input(report, in, sum);

  core::SourceSet sources;
  sources.add(in.name, std::move(sum.quoted_lines));
  return finish(report, sources, ctx.report);
}

constexpr const char* kLintMetricsHelp = R"(Input:
  FILE, '-' (standard input) or an http(s) URL to scrape (default: the detector's
  http://127.0.0.1:8000/metrics). The format is the text format 0.0.4 or OpenMetrics 1.0: from a
  URL by its Content-Type (OpenMetrics is asked for first, like Prometheus does; --input-format
  asks for one format only), from a file OpenMetrics when it ends with '# EOF' (--input-format
  forces one). The global --catalog FILE
  checks against another catalog.

Checks (--list-checks shows ids and severities):
  catalog   every catalog metric is there, nothing else is (external namespaces such as
            process_ and node_ excepted), with the catalog's TYPE, series, labels, label values
            and histogram buckets (le="1" and le="1.0" are the same bound), HELP and UNIT
  naming    the rules of 'promtool check metrics' with promtool's own wording: HELP, base
            units, _total, reserved suffixes and labels, types in names, ':', camelCase and
            abbreviated units (reported once per family, where promtool repeats them per sample)

Formats (--format): text, json, github, sarif, as for lint-rules.

Examples:
  nsmon lint-metrics                                   # the detector on localhost:8000
  nsmon lint-metrics http://127.0.0.1:9100/metrics --no-catalog
  curl -s localhost:8000/metrics | nsmon lint-metrics - --format github
  nsmon lint-metrics scrape.txt --fail-on error --disable metrics/no-help

A scrape that does not parse is a finding, not an error.)";

} // namespace

Run define_lint_metrics(CLI::App& cmd) {
  auto o = std::make_shared<LintMetricsOptions>();
  cmd.add_option("INPUT", o->input, "Exposition to check: FILE, URL or - (default: http://127.0.0.1:8000/metrics)");
  add_report_options(cmd);
  cmd.add_option("--input-format", o->input_format, "Exposition format: auto, text, openmetrics")
      ->check(CLI::IsMember({"auto", "text", "openmetrics"}))
      ->default_str("auto");
  cmd.add_option("--disable", o->disable, "Checks to skip (comma-separated, repeatable)")
      ->option_text("CHECK")
      ->allow_extra_args(false);
  cmd.add_flag("--no-catalog", o->no_catalog, "Only syntax and promtool's naming rules (for other exporters)");
  cmd.add_flag("--no-naming", o->no_naming, "Only syntax and the catalog checks");
  add_duration_option(cmd, "--timeout", o->timeout, "Time a URL may take to answer (default 10s)")
      ->check(CLI::PositiveNumber);
  cmd.add_flag("--list-checks", o->list_checks, "List the metrics/* checks with their severity, then exit");
  cmd.footer(std::string(kLintMetricsHelp) + "\n\n" + exit_codes_help({kOk, kFindings, kUsage, kUnreachable}));
  return [o](const Context& ctx) { return run_lint_metrics(*o, ctx); };
}

} // namespace nsmon::cli
