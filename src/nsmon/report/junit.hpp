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
};

/// A suite: the tests of one file.
struct JUnitSuite {
  std::string name;
  std::vector<JUnitCase> cases;
};

/// JUnit XML as promtool --junit writes it: a testsuite per suite, a testcase per case.
std::string render_junit(const std::vector<JUnitSuite>& suites);

} // namespace nsmon::report
