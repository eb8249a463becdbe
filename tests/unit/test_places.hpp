// Findings as short strings, for compact assertions: the helper the unit test files share.
#pragma once
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"

namespace nsmon::testing {

/// "line:col check" of each finding, in the order given.
inline std::vector<std::string> places(const std::vector<core::Diagnostic>& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags)
    out.push_back(std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + std::string(d.check.id()));
  return out;
}

/// "line:col severity check" of each finding, in the order given.
inline std::vector<std::string> places_with_severity(const std::vector<core::Diagnostic>& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags)
    out.push_back(std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + core::to_string(d.severity) +
                  " " + std::string(d.check.id()));
  return out;
}

} // namespace nsmon::testing
