// libFuzzer target: the alertmanager.yml loader and its whole-file checks, routing, and the
// `routes test --cases` loader. Any input must give positioned diagnostics inside the text, secret
// ranges inside the text, no secret value in any message (the fuzz input's inline secrets are
// whatever the loader hid); routing a few label sets through whatever loaded must not crash, and
// the same bytes read as a cases file are run against the routing tree.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nsmon/alertmanager/cases.hpp"
#include "nsmon/alertmanager/config.hpp"
#include "nsmon/alertmanager/routing.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/lint/alertmanager_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nsmon;
  std::string text(reinterpret_cast<const char*>(data), size);
  core::SourceFile src("/etc/alertmanager/alertmanager.yml", text);
  std::vector<core::Diagnostic> diags;
  alertmanager::Config cfg = alertmanager::load_config(src, diags);
  lint::check_alertmanager(cfg, diags);
  for (const auto& [begin, end] : cfg.secrets)
    if (begin > end || end > text.size()) __builtin_trap();
  std::string masked = config::mask(text, cfg.secrets);
  if (masked.size() != text.size()) __builtin_trap();
  core::SourceSet sources;
  sources.add(src.path(), masked);
  for (const auto& d : diags) {
    if (d.span.line < 0 || d.span.line > src.line_count() + 1) __builtin_trap();
    (void)core::render_text(d, sources, true);
    // A hidden value of 8 bytes or more never appears in a message.
    for (const auto& [begin, end] : cfg.secrets)
      if (end - begin >= 8 && d.message.find(text.substr(begin, end - begin)) != std::string::npos) __builtin_trap();
  }
  if (cfg.route)
    for (const labels::Labels& ls : {labels::Labels{}, labels::Labels{{"severity", "critical"}},
                                     labels::Labels{{"alertname", "A"}, {"team", "ml"}}}) {
      auto routes = alertmanager::route_alert(*cfg.route, ls);
      if (routes.empty()) __builtin_trap(); // the root route takes every alert
      (void)alertmanager::inhibited_by(cfg, ls, {ls});
    }
  std::vector<core::Diagnostic> case_diags;
  for (const auto& c : alertmanager::load_cases(src, case_diags)) (void)alertmanager::run_case(cfg, c);
  for (const auto& d : case_diags)
    if (d.span.line < 0 || d.span.line > src.line_count() + 1) __builtin_trap();
  return 0;
}
