#pragma once
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"

namespace nsmon::report {

/// One test of a JUnit report: its failures are findings (file:line and message).
struct JUnitCase {
  std::string name;
  double seconds = 0;
  bool skipped = false;
  std::vector<core::Diagnostic> failures;
  /// Why it could not run (an invalid input), its first line the summary: an <error> element,
  /// counted in the suite's errors.
  std::string error;
};

/// A suite: the tests of one file.
struct JUnitSuite {
  std::string name;
  std::vector<JUnitCase> cases;
};

/// JUnit XML as promtool --junit writes it: a testsuite per suite, a testcase per case.
std::string render_junit(const std::vector<JUnitSuite>& suites);

} // namespace nsmon::report
