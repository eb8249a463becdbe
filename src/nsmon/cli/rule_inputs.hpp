#pragma once
// Rule files and prometheus.yml read from disk for the commands that take them (lint-rules,
// lint-alertmanager --rules/--config; backtest and test-rules through expand_paths): directories
// stand for their YAML files, a file named twice is read once, a config brings its rule_files.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/report/report.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::cli {

// Everything read from disk: the sources (for quoting lines), the typed model and the loaders'
// findings. Reading fails only for the environment (unreadable file: nsmon::Error, exit 2).
struct Loaded {
  core::SourceSet sources;
  lint::Input input;
  std::vector<core::Diagnostic> diags;
  int files = 0;
  int rules = 0;
};

class InputReader {
public:
  explicit InputReader(Loaded& out, rules::LoadOptions options = {}) : out_(out), options_(options) {}

  /// A rule file, or a directory: its *.yml and *.yaml files, recursively (hidden ones left out),
  /// in name order. A directory's file that its content shows to be another kind (prometheus.yml,
  /// alertmanager.yml, a policy, a catalog, a unit-test file, an SLO spec) is skipped with an
  /// info finding that says how to lint it; `config` (--config, read by config()) silently.
  void rule_path(const std::string& path, const std::string& config = {});
  void rule_file(const std::string& path);
  /// prometheus.yml and the rule files its rule_files name.
  void config(const std::string& path);
  /// A rule file's text, read or made elsewhere (slo generate's rules), under the name `path`.
  void rule_file(const std::string& path, std::string text);

private:
  static std::string identity(const std::string& path);

  Loaded& out_;
  rules::LoadOptions options_; ///< how every rule file is read (--rule-schema)
  std::set<std::string> seen_;
};

enum class FileKind { rules, rule_tests };

/// backtest's and test-rules' arguments: each path itself, or for a directory its *.yml and *.yaml
/// files (recursively, hidden ones left out, in name order) whose content is of kind `want`, as
/// rule_path tells them apart; UsageError for a directory that holds none.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths, FileKind want);

/// lint-rules' checks of what was read: the checks' findings and the loaders', each under the same
/// `# nsmon disable` comments and policy, sorted, with the summary's counts (what lint-rules
/// reports offline).
std::unique_ptr<report::Report> lint_loaded(Loaded& loaded, const lint::Options& options,
                                            std::vector<lint::RuleCost>& costs);

} // namespace nsmon::cli
