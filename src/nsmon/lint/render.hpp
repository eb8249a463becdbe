#pragma once
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/lint/lint.hpp"

namespace nsmon::lint {

/// The outcome of one lint-rules run: its sorted findings and what was looked at.
struct Report {
  std::vector<core::Diagnostic> findings;
  int files = 0; ///< rule files plus the config, each counted once
  int rules = 0; ///< rules in those files
};

struct Counts {
  int errors = 0;
  int warnings = 0;
  int infos = 0;
};
Counts count(const std::vector<core::Diagnostic>& findings);

/// "1 error, 2 warnings, 0 info in 2 files (9 rules)", or "no problems found in 2 files (9 rules)".
std::string summary_line(const Report& report);

/// Compiler-style findings (core::render_text) followed by the summary line.
std::string render_text(const Report& report, const core::SourceSet& sources, bool color);

/// {"findings": [...], "summary": {...}}: each finding has exactly the keys file, line, column,
/// severity, check, message, rule, group, suggestion, in that order (null when absent).
std::string render_json(const Report& report);

/// GitHub Actions workflow commands (::error file=F,line=L,col=C,title=CHECK::MESSAGE), one per
/// finding, with GitHub's escaping; info findings become notices. Ends with the summary line.
std::string render_github(const Report& report);

/// SARIF 2.1.0 with every check of checks() as a rule. Columns are converted from bytes to Unicode
/// code points (columnKind unicodeCodePoints) using the sources.
std::string render_sarif(const Report& report, const core::SourceSet& sources);

/// --list-checks: every check with its severity under `policy` ("off" when disabled) and summary.
std::string render_checks_table(const Policy& policy);
std::string render_checks_json(const Policy& policy);

/// GitHub's escaping of a workflow command's message and of its properties.
std::string github_escape_data(std::string_view s);
std::string github_escape_property(std::string_view s);

} // namespace nsmon::lint
