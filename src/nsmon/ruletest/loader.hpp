#pragma once
// The one way rule files are loaded for evaluation (test-rules, backtest, watch --rules): each
// file read once per SourceSet and loaded as Prometheus loads it, only what Prometheus refuses kept
// as a finding (lint's milder findings are lint-rules' business), the groups compiled for
// GroupEvaluator, and watch's --assert expressions parsed beside them.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/ruletest/evaluator.hpp"

namespace nsmon::ruletest {

/// The rule file at `path`, read into `sources` (a path read before is not read again) and loaded;
/// its errors go to `diags`, its milder findings are dropped, and so is yaml/unknown-field with
/// `ignore_unknown_fields`; `load` says which ruler's format it is. Throws nsmon::Error when the
/// file cannot be read.
rules::RuleFile load_for_evaluation(const std::string& path, core::SourceSet& sources,
                                    std::vector<core::Diagnostic>& diags, bool ignore_unknown_fields = false,
                                    const rules::LoadOptions& load = {});

/// Rule files and assertions loaded before a command starts; `diags` holds positioned errors.
struct LoadedRules {
  core::SourceSet sources;
  std::vector<rules::RuleFile> files;
  std::vector<EvalGroup> groups;
  std::vector<std::shared_ptr<const promql::ParseResult>> asserts;
  std::vector<std::string> assert_texts;
  std::vector<core::Diagnostic> diags;
};

/// Reads and loads the rule files, compiles their groups (`default_interval_ms` for a group
/// without `interval`) and parses the assertions (a core::Span in "--assert" for those). Throws
/// nsmon::Error when a file cannot be read. `load` says which ruler's format the files are.
std::unique_ptr<LoadedRules> load_rules(const std::vector<std::string>& paths, const std::vector<std::string>& asserts,
                                        std::int64_t default_interval_ms, const rules::LoadOptions& load = {});

} // namespace nsmon::ruletest
