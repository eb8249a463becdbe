#pragma once
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/lint/lint.hpp"

namespace nsmon::lint {

/// One figure of a report's JSON summary, after errors, warnings and info: "files": 2.
struct Fact {
  std::string key;
  std::variant<long long, std::string> value;
};

/// What every command that reports findings hands back (lint-rules, lint-metrics, gen-dashboards,
/// promql check, test-rules, ...): the sorted findings and what was looked at. cli::finish renders
/// it in text, json, github or sarif and picks the exit code.
struct Report {
  std::vector<core::Diagnostic> findings;
  std::string scope;       ///< after "in" in the summary line: "2 files (9 rules)"; "" for none
  std::vector<Fact> facts; ///< the JSON summary's keys after the counts, in order
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

/// Compiler-style findings (core::render_text) followed by the summary line; write_text writes
/// them to `out` one by one (no string of the whole report).
std::string render_text(const Report& report, const core::SourceSet& sources, bool color);
void write_text(std::ostream& out, const Report& report, const core::SourceSet& sources, bool color);

/// {"findings": [...], "summary": {...}}: each finding has exactly the keys file, line, column,
/// severity, check, message, rule, group, suggestion, in that order (null when absent); the
/// summary has errors, warnings, info, then the report's facts.
std::string render_json(const Report& report);
/// render_json's text, written to `out` as it goes (no JSON tree of every finding).
void write_json(std::ostream& out, const Report& report);

/// GitHub Actions workflow commands (::error file=F,line=L,col=C,title=CHECK::MESSAGE), one per
/// finding, with GitHub's escaping; info findings become notices. Ends with the summary line.
std::string render_github(const Report& report);

/// SARIF 2.1.0 with every check of checks() as a rule. Columns are converted from bytes to Unicode
/// code points (columnKind unicodeCodePoints) using the sources.
std::string render_sarif(const Report& report, const core::SourceSet& sources);

/// --list-checks: every check whose id starts with `prefix` ("metrics/"; "" for all), with its
/// severity under `policy` ("off" when disabled) and summary.
std::string render_checks_table(const Policy& policy, std::string_view prefix = {});
std::string render_checks_json(const Policy& policy, std::string_view prefix = {});

/// GitHub's escaping of a workflow command's message and of its properties.
std::string github_escape_data(std::string_view s);
std::string github_escape_property(std::string_view s);

} // namespace nsmon::lint
