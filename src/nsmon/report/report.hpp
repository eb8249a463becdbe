#pragma once
// report/: what every command that reports findings hands back (`report.*`: `Report`, its sorted
// findings, scope and facts; the summary line; `--fail-on` and the report's exit code, `exit_code`)
// and its renderers (`render.*`: text, json, github, sarif, the one JSON writer being nlohmann's
// dump; SARIF declares every check a result cites); no I/O.
//
// Reports and exit codes. Everything that reports findings (lint-rules, lint-metrics,
// lint-alertmanager, test-rules, gen-dashboards and its `--check`, `slo generate --check`, `routes
// test --cases`, `promql check`, and the subcommands to come) builds a `report::Report`
// (`report/report.hpp`): the sorted findings, a `scope` for the summary line ("2 files (9 rules)"),
// `facts` for the JSON summary (`files`, `rules`, `input`, ...), `gate_failed` for a failed test or
// `--check` (exit 1 whatever `--fail-on` says) and `details`, a command's own JSON after the
// summary (`routes test --cases`' verdicts). It ends with `cli::finish(report, sources,
// ctx.report)`, which renders text, json, github or sarif on stdout (`report/render.hpp`; SARIF
// declares the lint checks and every other check a result cites) and returns `report::exit_code`: 1
// when a gate failed or a finding is at or above `--fail-on`. test-rules' coverage and JUnit suites
// are computed in `ruletest/summary.*` (JUnit written by `report/junit.*`); cli only wires.
//
// Inputs a command needs before it can run (the catalog, the config file, a policy) go through
// `cli::check_loaded`: findings on stderr, then `cli::InvalidInput` (a `UsageError` that carries
// them). A command asked for SARIF that stops on an error still writes a SARIF log
// (`cli::report_stopped`): the run's invocation unsuccessful, with the error and its exit code,
// and the findings that stopped it as results; test-rules writes its --junit file likewise. Failures are exceptions,
// caught once in `cli::main`, printed by `print_error` ("nsmon: error: ...") and given their code by `exit_code_for`
// (`core/exit_codes.hpp`): the fault decides, never the subcommand — `Error` and `UsageError` (usage, an unreadable or
// invalid input) 2, `ServerError` (`http::TransportError`, `promapi::BadAnswer`, a scrape answered with another status
// than 200: `promapi::ScrapeStatusError`) 3. The codes and their meanings are `kExitCodeMeanings`; README's table and
// every `--help` list them (`exit_codes_help({kOk, kFindings, kUsage})` in a subcommand's footer), and
// `e2e.exit_codes_documented` compares them.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "nsmon/core/diagnostic.hpp"

namespace nsmon::report {

/// One figure of a report's JSON summary, after errors, warnings and info: "files": 2.
struct Fact {
  std::string key;
  std::variant<long long, std::string> value;
};

/// What every command that reports findings hands back (lint-rules, lint-metrics, gen-dashboards,
/// promql check, test-rules, ...): the sorted findings and what was looked at. cli::finish renders
/// it in text, json, github or sarif and exit_code() maps it to the exit code.
struct Report {
  std::vector<core::Diagnostic> findings;
  std::string scope;       ///< after "in" in the summary line: "2 files (9 rules)"; "" for none
  std::vector<Fact> facts; ///< the JSON summary's keys after the counts, in order
  /// A gate failed (a test, a coverage minimum, a --check): exit 1 whatever --fail-on says,
  /// which governs the findings alone.
  bool gate_failed = false;
  /// A command's own results, written by json after the summary under their key ("cases": the
  /// verdicts of routes test --cases); the other formats leave them out.
  std::vector<std::pair<std::string, nlohmann::ordered_json>> details;
  /// Why the command stopped before it could report (an input it could not read or use), with its
  /// exit code; empty for a run that finished. SARIF says so in its invocation, the findings that
  /// stopped it being the results, so that a runner asked for SARIF still gets a document.
  std::string stopped;
  int stopped_exit_code = 0;
  std::string stopped_file; ///< the file it could not read, if that stopped it
};

/// "1 file", "2 files".
std::string plural(long long n, const char* one, const char* many);

/// lint-rules' scope: "2 files (9 rules)", facts files and rules.
void describe_files(Report& report, int files, int rules);

struct Counts {
  int errors = 0;
  int warnings = 0;
  int infos = 0;
};
Counts count(const std::vector<core::Diagnostic>& findings);

/// "1 error, 2 warnings, 0 info in 2 files (9 rules)", or "no problems found in 2 files (9 rules)";
/// without " in ..." when the report has no scope.
std::string summary_line(const Report& report);

/// The words --fail-on takes: error, warning, info, never.
const std::vector<std::string>& fail_on_levels();

/// Whether a finding is at least as severe as `fail_on` (error, warning, info; never: none).
bool fails(const std::vector<core::Diagnostic>& findings, const std::string& fail_on);

/// The report's exit code: kFindings when a gate failed or a finding is at or above `fail_on`,
/// kOk otherwise.
int exit_code(const Report& report, const std::string& fail_on);

} // namespace nsmon::report
