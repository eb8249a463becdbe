#include "nsmon/report/report.hpp"

#include <algorithm>

#include "nsmon/core/exit_codes.hpp"

namespace nsmon::report {

std::string plural(long long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void describe_files(Report& report, int files, int rules) {
  report.scope = plural(files, "file", "files") + " (" + plural(rules, "rule", "rules") + ")";
  report.facts = {{"files", files}, {"rules", rules}};
}

Counts count(const std::vector<core::Diagnostic>& findings) {
  Counts c;
  for (const auto& d : findings) {
    if (d.severity == core::Severity::error) ++c.errors;
    else if (d.severity == core::Severity::warning) ++c.warnings;
    else ++c.infos;
  }
  return c;
}

std::string summary_line(const Report& report) {
  std::string where = report.scope.empty() ? "" : " in " + report.scope;
  if (report.findings.empty()) return "no problems found" + where;
  Counts c = count(report.findings);
  return plural(c.errors, "error", "errors") + ", " + plural(c.warnings, "warning", "warnings") + ", " +
         std::to_string(c.infos) + " info" + where;
}

const std::vector<std::string>& fail_on_levels() {
  static const std::vector<std::string> levels = {"error", "warning", "info", "never"};
  return levels;
}

bool fails(const std::vector<core::Diagnostic>& findings, const std::string& fail_on) {
  if (fail_on == "never") return false;
  core::Severity threshold = fail_on == "error"     ? core::Severity::error
                             : fail_on == "warning" ? core::Severity::warning
                                                    : core::Severity::info;
  return std::any_of(findings.begin(), findings.end(), [&](const auto& d) { return d.severity >= threshold; });
}

int exit_code(const Report& report, const std::string& fail_on) {
  return report.gate_failed || fails(report.findings, fail_on) ? kFindings : kOk;
}

} // namespace nsmon::report
