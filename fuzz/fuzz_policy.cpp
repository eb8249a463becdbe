// libFuzzer target: lint-rules' --policy file (severity label and values, annotations, disabled
// checks, severities, external prefixes, cost thresholds): never a crash, findings inside the file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nsmon/lint/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nsmon::core::SourceFile src("policy.yml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<nsmon::core::Diagnostic> diags;
  nsmon::lint::Policy p = nsmon::lint::load_policy(src, diags);
  for (const auto& d : diags)
    if (d.span.line < 0 || d.span.line > src.line_count() + 1) __builtin_trap();
  if (p.cost_ratio < 1 || p.cost_min_samples < 0) __builtin_trap(); // the loader refuses those
  return 0;
}
