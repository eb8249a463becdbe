#pragma once
// The one report pipeline: every subcommand that reports findings builds a report::Report and ends
// with finish(), which renders it in the --format asked for and picks the exit code by --fail-on.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/report/render.hpp"

namespace CLI {
class App;
}

namespace nsmon::config {
class Settings;
}

namespace nsmon::cli {

/// How findings are reported: the same flags, words and exit codes in every subcommand.
struct ReportOptions {
  std::string format = "text";     ///< text, json, github, sarif
  bool format_given = false;       ///< --format on the command line (not from settings)
  std::string fail_on = "warning"; ///< error, warning, info, never (add_report_options sets each command's)
  bool color = false;              ///< text on stdout in colour
  bool quiet_text = false;         ///< text: the findings alone, on stderr, like a compiler (promql check)
};

/// Adds --format (text, json, github, sarif; default: the format.lint setting) and --fail-on
/// (error, warning, info, never) to a subcommand that reports findings. `fail_on` is the one place
/// its default is set: --help says it and report_options() returns it when --fail-on is not given.
void add_report_options(CLI::App& cmd, std::string_view fail_on = "warning");

/// The report options `cmd` was given, with the settings' format when --format was not.
ReportOptions report_options(const CLI::App& cmd, const config::Settings& settings, bool color);

/// What a command that reports findings writes when it stops instead of reporting (the reason,
/// already on stderr, and the findings that stopped it): in --format sarif, a SARIF document with
/// the reason in its invocation and the findings as results, on stdout; in the others nothing.
void report_stopped(const std::string& why, int exit_code, const std::vector<core::Diagnostic>& findings,
                    const core::SourceSet& sources, const ReportOptions& o, const std::string& unreadable = {});
/// The same for an error caught by cli::main (an InvalidInput brings its findings, an unreadable
/// file its path).
void report_stopped(const Error& e, int exit_code, const ReportOptions& o);

/// Renders the report on stdout in `o.format` (text with quiet_text: the findings on stderr, no
/// summary) and returns its exit code, report::exit_code: kFindings when a gate failed or a finding is
/// at or above --fail-on, kOk otherwise.
int finish(const report::Report& report, const core::SourceSet& sources, const ReportOptions& o);

/// --list-checks: the checks whose id starts with `prefix` ("" for all) with their severity under
/// `policy`, on stdout as a table or, with --format json, as JSON; any other --format is a
/// UsageError. Returns kOk.
int list_checks(const ReportOptions& o, std::string_view prefix, const lint::Policy& policy = {});

/// Findings about an input nsmon needs before it can start (the catalog, the config file, a
/// policy), or about a single expression: compiler-style on stderr, no summary line.
void print_diagnostics(std::vector<core::Diagnostic> diags, const core::SourceSet& sources);

/// An input found invalid by its loader (exit 2, a UsageError), with the findings that make it so
/// and the files they quote: cli::main still writes the SARIF document a runner asked for, and
/// test-rules its --junit file, with these findings in it.
struct InvalidInput : UsageError {
  InvalidInput(const std::string& message, std::vector<core::Diagnostic> found,
               std::shared_ptr<const core::SourceSet> quoted)
      : UsageError(message), findings(std::move(found)), sources(std::move(quoted)) {}
  std::vector<core::Diagnostic> findings;
  std::shared_ptr<const core::SourceSet> sources;
};

/// A loader's findings: printed like print_diagnostics; if one is at least `fatal`, throws
/// InvalidInput("the WHAT PATH is invalid") so that nothing runs on a half-understood input (exit 2).
void check_loaded(std::vector<core::Diagnostic> diags, const core::SourceSet& sources, const std::string& what,
                  const std::string& path, core::Severity fatal);

} // namespace nsmon::cli
