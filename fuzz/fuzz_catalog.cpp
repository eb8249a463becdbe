// libFuzzer target: the metric catalog loader (YAML) must turn any input into diagnostics.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nsmon::core::SourceFile src("fuzz.yml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<nsmon::core::Diagnostic> diags;
  auto cat = nsmon::catalog::load(src, diags);
  for (const auto& m : cat.metrics) (void)nsmon::catalog::Catalog::wire_names(m);
  return 0;
}
