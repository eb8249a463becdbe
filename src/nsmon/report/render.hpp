#pragma once
#include <ostream>
#include <string>
#include <string_view>

#include "nsmon/core/source.hpp"
#include "nsmon/report/report.hpp"

namespace nsmon::report {

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

/// SARIF 2.1.0. Its rules are the lint checks of core::kChecks, then every other check of the
/// table that a finding cites, so that each result's ruleId is declared. Columns are converted
/// from bytes to Unicode code points (columnKind unicodeCodePoints) using the sources.
std::string render_sarif(const Report& report, const core::SourceSet& sources);

/// GitHub's escaping of a workflow command's message and of its properties.
std::string github_escape_data(std::string_view s);
std::string github_escape_property(std::string_view s);

} // namespace nsmon::report
