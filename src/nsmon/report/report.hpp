#pragma once
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
