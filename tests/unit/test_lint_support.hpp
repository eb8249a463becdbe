// Lint one rule file as `nsmon lint-rules` would with the embedded catalog, and keep one check's
// findings: the helper the lint test files share.
#pragma once
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::testing {

inline std::vector<core::Diagnostic> lint_findings(const std::string& file, const std::string& text,
                                                   const std::string& check) {
  core::SourceFile src(file, text);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(src, diags));
  lint::Options opt;
  opt.catalog = &catalog::embedded();
  std::vector<core::Diagnostic> found;
  for (auto& d : lint::run(in, opt))
    if (d.check.id() == check) found.push_back(std::move(d));
  return found;
}

} // namespace nsmon::testing
