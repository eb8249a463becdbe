// libFuzzer target: Prometheus rule files (YAML, positions inside scalars, disable comments).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nsmon/rules/rule_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nsmon::core::SourceFile src("fuzz.yml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<nsmon::core::Diagnostic> diags;
  auto file = nsmon::rules::load_rule_file(src, diags);
  // Every mapped position must lie inside the file.
  for (const auto& g : file.groups)
    for (const auto& r : g.rules)
      for (std::size_t off : r.expr.offsets)
        if (off > size) __builtin_trap();
  return 0;
}
