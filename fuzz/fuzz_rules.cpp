// libFuzzer target: Prometheus rule files through the loader and every lint check
// (YAML, positions inside scalars, disable comments, PromQL, label inference, other rulers' fields
// LogQL and MetricsQL under each --rule-schema).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nsmon/lint/lint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nsmon::core::SourceFile src("fuzz.yml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<nsmon::core::Diagnostic> diags;
  nsmon::lint::Input in;
  // Every --rule-schema, by the input's length: the same text read as each ruler reads it.
  const auto schema = static_cast<nsmon::rules::Schema>(size % 6);
  in.rule_files.push_back(nsmon::rules::load_rule_file(src, diags, {.schema = schema}));
  // Every mapped position must lie inside the file.
  for (const auto& g : in.rule_files[0].groups)
    for (const auto& r : g.rules)
      for (std::size_t i = 0; i < r.expr.value.size(); ++i)
        if (r.expr.file_offset(i) >= size) __builtin_trap();
  nsmon::lint::Options opt;
  opt.catalog = &nsmon::catalog::embedded();
  for (const auto& d : nsmon::lint::run(in, opt))
    if (d.span.line < 0 || d.span.line > src.line_count() + 1) __builtin_trap();
  return 0;
}
