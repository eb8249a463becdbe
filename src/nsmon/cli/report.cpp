#include "nsmon/cli/report.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "nsmon/cli/common.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

void add_report_options(CLI::App& cmd, std::string_view fail_on) {
  const config::Key& key = *config::find_key("format.lint");
  std::vector<std::string> formats(key.choices.begin(), key.choices.end());
  cmd.add_option("--format")
      ->description("Output format: " + util::join(formats, ", ") + " (default: the format.lint setting, text)")
      ->check(CLI::IsMember(formats))
      ->option_text("FORMAT");
  cmd.add_option("--fail-on")
      ->description("Exit 1 when a finding is at least this severe: " + util::join(report::fail_on_levels(), ", ") +
                    " (default " + std::string(fail_on) + ")")
      ->check(CLI::IsMember(report::fail_on_levels()))
      ->default_str(std::string(fail_on))
      ->option_text("SEVERITY");
}

ReportOptions report_options(const CLI::App& cmd, const config::Settings& settings, bool color) {
  ReportOptions o;
  o.color = color;
  const CLI::Option* format = cmd.get_option_no_throw("--format");
  const CLI::Option* fail_on = cmd.get_option_no_throw("--fail-on");
  if (!fail_on) return o; // not a command that reports findings
  o.format_given = format->count() > 0;
  o.format = o.format_given ? format->as<std::string>() : settings.get("format.lint").value;
  o.fail_on = fail_on->count() > 0 ? fail_on->as<std::string>() : fail_on->get_default_str();
  return o;
}

int list_checks(const ReportOptions& o, std::string_view prefix, const lint::Policy& policy) {
  const std::string format = o.format_given ? o.format : "text";
  if (format != "text" && format != "json") throw UsageError("--list-checks prints text or json, not " + format);
  std::cout << (format == "json" ? lint::render_checks_json(policy, prefix)
                                 : lint::render_checks_table(policy, prefix));
  return kOk;
}

int finish(const report::Report& report, const core::SourceSet& sources, const ReportOptions& o) {
  if (o.format == "json") report::write_json(std::cout, report);
  else if (o.format == "github") std::cout << report::render_github(report);
  else if (o.format == "sarif") std::cout << report::render_sarif(report, sources);
  else if (o.quiet_text) print_diagnostics(report.findings, sources);
  else report::write_text(std::cout, report, sources, o.color);
  std::cout.flush();
  return report::exit_code(report, o.fail_on);
}

void print_diagnostics(std::vector<core::Diagnostic> diags, const core::SourceSet& sources) {
  core::sort_diagnostics(diags);
  bool color = core::use_color(core::parse_color_mode(global_options().color), 2);
  for (const auto& d : diags) std::cerr << core::render_text(d, sources, color);
}

void check_loaded(std::vector<core::Diagnostic> diags, const core::SourceSet& sources, const std::string& what,
                  const std::string& path, core::Severity fatal) {
  bool failed = std::any_of(diags.begin(), diags.end(), [&](const auto& d) { return d.severity >= fatal; });
  print_diagnostics(diags, sources);
  if (!failed) return;
  // The files the findings quote, copied: the loader's sources end with the scope that throws.
  auto quoted = std::make_shared<core::SourceSet>();
  for (const auto& d : diags)
    if (const core::SourceFile* f = sources.find(d.span.file.str()); f && !quoted->find(f->path()))
      quoted->add(f->path(), std::string(f->text()));
  throw InvalidInput("the " + what + " " + path + " is invalid", std::move(diags), std::move(quoted));
}

void report_stopped(const std::string& why, int exit_code, const std::vector<core::Diagnostic>& findings,
                    const core::SourceSet& sources, const ReportOptions& o, const std::string& unreadable) {
  if (o.format != "sarif") return;
  report::Report report;
  report.findings = findings;
  core::sort_diagnostics(report.findings);
  report.stopped = why;
  report.stopped_exit_code = exit_code;
  report.stopped_file = unreadable;
  std::cout << report::render_sarif(report, sources);
  std::cout.flush();
}

void report_stopped(const Error& e, int exit_code, const ReportOptions& o) {
  static const core::SourceSet none;
  const auto* invalid = dynamic_cast<const InvalidInput*>(&e);
  const auto* unreadable = dynamic_cast<const util::UnreadableFile*>(&e);
  report_stopped(e.what(), exit_code, invalid ? invalid->findings : std::vector<core::Diagnostic>{},
                 invalid && invalid->sources ? *invalid->sources : none, o, unreadable ? unreadable->path : "");
}

} // namespace nsmon::cli
