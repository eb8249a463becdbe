#include "nsmon/report/junit.hpp"

#include <string_view>

namespace nsmon::report {

namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

} // namespace

std::string render_junit(const std::vector<JUnitSuite>& suites) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  for (const auto& suite : suites) {
    std::string cases;
    int failures = 0, skipped = 0;
    double time = 0;
    for (const auto& c : suite.cases) {
      time += c.seconds;
      cases += "    <testcase name=\"" + xml_escape(c.name) + "\" time=\"" + std::to_string(c.seconds) + "\"";
      if (c.skipped) {
        ++skipped;
        cases += "><skipped/></testcase>\n";
      } else if (!c.failures.empty()) {
        ++failures;
        cases += ">\n";
        for (const auto& d : c.failures)
          cases += "      <failure message=\"" + xml_escape(d.message.substr(0, d.message.find('\n'))) + "\">" +
                   xml_escape(d.span.file.str() + ":" + std::to_string(d.span.line) + ": " + d.message) +
                   "</failure>\n";
        cases += "    </testcase>\n";
      } else {
        cases += "/>\n";
      }
    }
    out += "  <testsuite name=\"" + xml_escape(suite.name) + "\" tests=\"" + std::to_string(suite.cases.size()) +
           "\" failures=\"" + std::to_string(failures) + "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
           std::to_string(time) + "\">\n" + cases + "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

} // namespace nsmon::report
