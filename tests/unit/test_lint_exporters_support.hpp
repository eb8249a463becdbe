// The exporters' lint tests' helpers: lint-rules' findings on one rule file, or on one alert,
// under --catalog none, without the policy's, as "check line:col" with message and suggestion.
#pragma once
#include <string>
#include <vector>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/lint/lint.hpp"

namespace nsmon::testing::exporters {

struct Found {
  std::string where; ///< "check line:col"
  std::string message, suggestion;
};

// lint-rules' findings on the rule file `text`, without the policy's, with the catalog `cat`.
inline std::vector<Found> lint_text(const std::string& text, const catalog::Catalog& cat = catalog::none()) {
  core::SourceFile src("r.yml", text);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(src, diags));
  lint::Options opt;
  opt.catalog = &cat;
  auto found = lint::run(in, opt);
  diags.insert(diags.end(), found.begin(), found.end());
  core::sort_diagnostics(diags);
  std::vector<Found> out;
  for (const auto& d : diags)
    if (!d.check.id().starts_with("policy/"))
      out.push_back({std::string(d.check.id()) + " " + std::to_string(d.span.line) + ":" + std::to_string(d.span.col),
                     d.message, d.suggestion});
  return out;
}

// The same of one alert whose expression is `expr` (line 5, column 12).
inline std::vector<Found> lint_one(const std::string& expr, const catalog::Catalog& cat = catalog::none()) {
  return lint_text("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n", cat);
}

inline std::vector<std::string> where(const std::vector<Found>& found) {
  std::vector<std::string> out;
  for (const auto& f : found) out.push_back(f.where);
  return out;
}

using V = std::vector<std::string>;

} // namespace nsmon::testing::exporters
