#include "nsmon/ruletest/loader.hpp"

#include <algorithm>

#include "nsmon/core/checks.hpp"
#include "nsmon/util/files.hpp"

namespace nsmon::ruletest {

rules::RuleFile load_for_evaluation(const std::string& path, core::SourceSet& sources,
                                    std::vector<core::Diagnostic>& diags, bool ignore_unknown_fields,
                                    const rules::LoadOptions& load) {
  const core::SourceFile* src = sources.find(path);
  if (!src) src = &sources.add(path, util::read_file(path));
  std::vector<core::Diagnostic> found;
  rules::RuleFile file = rules::load_rule_file(*src, found, load);
  // Only what Prometheus refuses stops the evaluation.
  for (auto& d : found)
    if (d.severity == core::Severity::error && !(ignore_unknown_fields && d.check == "yaml/unknown-field"))
      diags.push_back(std::move(d));
  return file;
}

std::unique_ptr<LoadedRules> load_rules(const std::vector<std::string>& paths, const std::vector<std::string>& asserts,
                                        std::int64_t default_interval_ms, const rules::LoadOptions& load) {
  auto out = std::make_unique<LoadedRules>();
  for (const auto& path : paths) out->files.push_back(load_for_evaluation(path, out->sources, out->diags, false, load));
  out->groups = compile_groups(out->files, default_interval_ms, {}, out->diags);
  for (std::size_t i = 0; i < asserts.size(); ++i) {
    const std::string name = asserts.size() == 1 ? "--assert" : "--assert " + std::to_string(i + 1);
    const core::SourceFile& src = out->sources.add(name, asserts[i]);
    auto parsed = std::make_shared<promql::ParseResult>(promql::parse(asserts[i]));
    for (const auto& e : parsed->errors()) {
      auto lc = src.line_col(e.range.start);
      int len = static_cast<int>(std::max<std::size_t>(1, e.range.end - e.range.start));
      out->diags.push_back(core::make_diagnostic("promql/syntax", {name, lc.line, lc.col, len}, e.message));
    }
    if (parsed->ok() && parsed->expr()->type != promql::ValueType::vector &&
        parsed->expr()->type != promql::ValueType::scalar)
      out->diags.push_back(core::make_diagnostic("promql/syntax", {name, 1, 1, static_cast<int>(asserts[i].size())},
                                                 "an assertion must be an instant vector or a scalar"));
    out->asserts.push_back(std::move(parsed));
    out->assert_texts.push_back(asserts[i]);
  }
  return out;
}

} // namespace nsmon::ruletest
