// libFuzzer target: promtool's rule unit-test files through nsmon's loader, and every input
// series and expected label set through the series notation, as `test-rules` prepares them
// and nsmon's alertmanager_tests expectations (rule_files and the alertmanager.yml are not opened:
// the fuzzer must not read the file system).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nsmon/engine/notation.hpp"
#include "nsmon/ruletest/test_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nsmon::core::SourceFile src("fuzz_test.yml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<nsmon::core::Diagnostic> diags;
  nsmon::ruletest::TestFile f = nsmon::ruletest::load_test_file(src, diags);
  auto inside = [&](const nsmon::core::Located& t) {
    for (std::size_t i = 0; i < t.value.size(); ++i)
      if (t.file_offset(i) >= size) __builtin_trap();
  };
  for (const auto& t : f.tests) {
    for (const auto& s : t.input_series) {
      inside(s.series);
      inside(s.values);
      auto sr = nsmon::engine::parse_series(s.series.value);
      if (sr.error && sr.error->offset > s.series.value.size()) __builtin_trap();
      auto vr = nsmon::engine::parse_values(s.values.value);
      if (vr.error && vr.error->offset > s.values.value.size()) __builtin_trap();
    }
    // panel_tests: the unit, each expected series' legend, colour and points inside the input.
    for (const auto& p : t.panel_tests) {
      inside(p.unit);
      for (const auto& e : p.exp_series) {
        inside(e.legend);
        inside(e.color);
        for (const auto& pt : e.points) inside(pt.at);
      }
    }
    for (const auto& x : t.expr_tests) {
      inside(x.expr);
      for (const auto& e : x.exp_samples) inside(e.labels);
    }
    // nsmon.alertmanager_tests: every expected text and field name inside the input.
    for (const auto& at : t.nsmon.alertmanager_tests)
      for (const auto& n : at.notifications.value_or(std::vector<nsmon::ruletest::ExpNotification>{})) {
        inside(n.receiver);
        for (const auto& in : n.integrations)
          for (const auto& [name, exp] : in.fields) {
            inside(name);
            inside(exp.text);
          }
      }
  }
  for (const auto& d : diags)
    if (d.span.line < 0 || d.span.line > src.line_count() + 1) __builtin_trap();
  return 0;
}
