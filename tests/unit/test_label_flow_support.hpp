// The table-driven harness of the label-flow tests (test_lint_label_flow*.cpp,
// test_lint_strangers.cpp): a rule file (and a prometheus.yml) in, the findings of the checks
// under test out, as "check line:col".
#pragma once
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "nsmon/lint/lint.hpp"

namespace nsmon::testing::label_flow {

struct Case {
  const char* name;
  std::string rules;                 ///< a whole rule file
  std::vector<std::string> expected; ///< "check line:col", in report order
  const char* config = nullptr;      ///< prometheus.yml, when the case needs one
  bool no_catalog = false;           ///< --catalog none
  bool severity = false;             ///< "check line:col severity"
};

// Global 15s; the application's job every minute; node every 15s.
inline const char* kConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 15s}
alerting:
  alertmanagers: [{static_configs: [{targets: ['localhost:9093']}]}]
scrape_configs:
  - job_name: neurosymbolic-app
    scrape_interval: 1m
    static_configs: [{targets: ['localhost:8000']}]
  - job_name: node
    static_configs: [{targets: ['localhost:9100']}]
)";

// One alert A with `expr` (single-quoted YAML) and an annotation `summary`; the expression starts
// at line 5, column 11; the summary's text at line 6, column 30.
inline std::string alert(const std::string& expr, const std::string& summary = "s") {
  return "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n    annotations: {summary: '" +
         summary + "'}\n";
}

// The findings of the checks under test: the catalog's and the policy's are left out (the cases
// use other exporters' names, and no severity label).
inline std::vector<std::string> lint(const Case& c) {
  core::SourceFile rules_src("r.yml", c.rules);
  core::SourceFile cfg_src("p.yml", c.config ? c.config : "");
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(rules_src, diags));
  if (c.config) in.config = rules::load_config(cfg_src, diags);
  lint::Options opt;
  opt.catalog = c.no_catalog ? &catalog::none() : &catalog::embedded();
  lint::drop_disjoint_duplicates(diags, in, opt); // as lint-rules does with the loader's findings
  auto found = lint::run(in, opt);
  diags.insert(diags.end(), found.begin(), found.end());
  core::sort_diagnostics(diags);
  std::vector<std::string> out;
  for (const auto& d : diags) {
    std::string id(d.check.id());
    if (id.rfind("policy/", 0) == 0 || id.rfind("catalog/", 0) == 0) continue;
    out.push_back(id + " " + std::to_string(d.span.line) + ":" + std::to_string(d.span.col) +
                  (c.severity ? std::string(" ") + core::to_string(d.severity) : ""));
  }
  return out;
}

inline void run_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO(c.name << "\n" << c.rules);
    CHECK(lint(c) == c.expected);
  }
}

using V = std::vector<std::string>;

} // namespace nsmon::testing::label_flow
