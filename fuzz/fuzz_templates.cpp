// libFuzzer target: dashboard templates through the loader, every check (Grafana variables,
// PromQL, lint's expression checks, units, legends, what panels show against the rules' alerts
// and SLOs) and the renderer; shared panels too.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/dashboards/checks.hpp"
#include "nsmon/dashboards/loader.hpp"
#include "nsmon/dashboards/render.hpp"
#include "nsmon/dashboards/variables.hpp"

using namespace nsmon;

namespace {
void positions_inside(const std::vector<core::Diagnostic>& diags, const core::SourceFile& src) {
  for (const auto& d : diags)
    if (d.span.file == src.path() && (d.span.line < 0 || d.span.line > src.line_count() + 1)) __builtin_trap();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // The input as a query: every mapped range lies inside it.
  dashboards::Substituted sub = dashboards::substitute_variables(text);
  for (std::size_t i = 0; i < sub.text.size(); ++i) {
    auto o = sub.original({i, i + 1});
    if (o.start >= size || o.end > size || o.start >= o.end) __builtin_trap();
  }
  // The input as a shared panel, then as a dashboard that uses it.
  core::SourceFile panel_src("panels/p.yml", text);
  std::vector<core::Diagnostic> diags;
  dashboards::Library lib;
  if (auto p = dashboards::load_panel_file(panel_src, diags)) lib["p"] = *p;
  core::SourceFile src("t.yml", text);
  dashboards::Template t = dashboards::load_template(src, lib, diags);
  // With rules' facts, so that {alert:NAME}, {slo:NAME} and slo: reach the threshold checks.
  static const dashboards::RuleFacts facts = [] {
    dashboards::RuleFacts f;
    f.alerts["HighCPUUsage"] = {"cpu_usage_percent > 90", "5m", "warning"};
    f.slos["inference-success"] = {0.99, 30LL * 24 * 3600 * 1000, std::nullopt};
    f.slos["inference-latency"] = {0.95, 30LL * 24 * 3600 * 1000, 1.0};
    return f;
  }();
  static const std::map<std::string, lint::RecordedMetric> recorded;
  dashboards::check(t, catalog::embedded(), recorded, facts, diags);
  positions_inside(diags, src);
  positions_inside(diags, panel_src);
  std::string json = dashboards::render(t);
  if (json.empty() || json.back() != '\n') __builtin_trap();
  return 0;
}
