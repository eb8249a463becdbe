#pragma once
// Shared by test_rules_other_rulers.cpp and test_rules_vmalert.cpp: a rule file's findings, the
// loader's and lint-rules' checks', as read under a --rule-schema with --catalog none.
#include <string>
#include <vector>

#include "nsmon/lint/lint.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/rules/rulers.hpp"

namespace rules_schema_test {

using namespace nsmon;
using V = std::vector<std::string>;

/// Every finding of `text` read as `schema`: the loader's, then the checks'.
inline std::vector<core::Diagnostic> findings(const std::string& text, rules::Schema schema) {
  core::SourceFile src("r.yml", text);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(src, diags, {.schema = schema}));
  lint::Options opt;
  opt.catalog = &catalog::none();
  auto found = lint::run(in, opt);
  diags.insert(diags.end(), found.begin(), found.end());
  return diags;
}

/// Every finding as "line:col severity check"; the policy's and the catalog's left out (the rules
/// have no severity label and use other exporters' metrics), sorted by place.
inline V lint_as(const std::string& text, rules::Schema schema = rules::Schema::automatic) {
  auto diags = findings(text, schema);
  core::sort_diagnostics(diags);
  V out;
  for (const auto& d : diags) {
    std::string id(d.check.id());
    if (id.rfind("policy/", 0) == 0 || id.rfind("catalog/", 0) == 0) continue;
    out.push_back(std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + core::to_string(d.severity) +
                  " " + id);
  }
  return out;
}

} // namespace rules_schema_test
