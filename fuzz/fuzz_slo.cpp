// libFuzzer target: SLO specs (nsmon/v1 and Sloth's prometheus/v1) and what is generated from them.
// Any input must give findings inside the text; a spec without errors must name each rule group
// once and generate rules and tests without crashing.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nsmon;
  std::string text(reinterpret_cast<const char*>(data), size);
  core::SourceFile src("slos.yml", text);
  std::vector<core::Diagnostic> diags;
  std::vector<slo::Spec> spec = slo::load_specs(src, catalog::embedded(), diags);
  bool errors = false;
  for (const auto& d : diags) {
    if (d.span.line < 0 || d.span.line > src.line_count() + 1) __builtin_trap();
    errors = errors || d.severity == core::Severity::error;
  }
  if (errors || spec.empty()) return 0;
  // A spec without errors names each rule group once (Prometheus refuses a repeated one); a
  // PrometheusServiceLevel is its own PrometheusRule.
  std::set<std::pair<std::size_t, std::string>> groups;
  for (std::size_t doc = 0; doc < spec.size(); ++doc)
    for (const auto& s : spec[doc].slos)
      for (const auto& g : slo::rule_groups(spec[doc], s))
        if (!groups.emplace(spec[doc].form == slo::Form::sloth_k8s ? doc : 0, g).second) __builtin_trap();
  (void)slo::rules_yaml(spec);
  std::vector<std::string> skipped;
  (void)slo::tests_yaml(spec, catalog::embedded(), "rules.yml", skipped);
  (void)slo::dashboard_yaml(spec, "rules.yml");
  return 0;
}
