#include "nsmon/report/junit.hpp"

#include <string_view>

#include "nsmon/text/go.hpp"

namespace nsmon::report {

namespace {

// XML 1.0 text: the markup characters escaped; what XML cannot hold at all (control characters
// but tab and line breaks, bytes that are not UTF-8, which a quoted line of bad input may have)
// written as U+FFFD.
std::string xml_escape(std::string_view s) {
  std::string out;
  while (!s.empty()) {
    const text::go::Rune r = text::go::decode_rune(s);
    const char c = s[0];
    s.remove_prefix(static_cast<std::size_t>(r.width));
    switch (r.value) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default:
      if ((r.value < 0x20 && c != '\t' && c != '\n' && c != '\r') || (r.value == text::go::kRuneError && r.width == 1))
        text::go::append_utf8(out, text::go::kRuneError);
      else text::go::append_utf8(out, r.value);
    }
  }
  return out;
}

} // namespace

std::string render_junit(const std::vector<JUnitSuite>& suites) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  for (const auto& suite : suites) {
    std::string cases;
    int failures = 0, skipped = 0, errors = 0;
    double time = 0;
    for (const auto& c : suite.cases) {
      time += c.seconds;
      cases += "    <testcase name=\"" + xml_escape(c.name) + "\" time=\"" + std::to_string(c.seconds) + "\"";
      if (!c.error.empty()) {
        ++errors;
        cases += ">\n      <error message=\"" + xml_escape(c.error.substr(0, c.error.find('\n'))) + "\">" +
                 xml_escape(c.error) + "</error>\n    </testcase>\n";
      } else if (c.skipped) {
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
           "\" failures=\"" + std::to_string(failures) + (errors ? "\" errors=\"" + std::to_string(errors) : "") +
           "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" + std::to_string(time) + "\">\n" + cases +
           "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

} // namespace nsmon::report
