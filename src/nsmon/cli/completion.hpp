#pragma once
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace nsmon::cli {

/// What a value (of an option or a positional argument) can be, for shell completion.
struct ValueSpec {
  std::string kind;               ///< "" or "none": nothing known; "words", "file", "dir", "metric", "check", "command"
  std::vector<std::string> words; ///< kind "words": the allowed values
};

struct OptionSpec {
  std::vector<std::string> names; ///< "--format", "-h"
  std::string help;
  bool takes_value = false;
  ValueSpec value;
};

/// One command path of the CLI ("" is nsmon itself, "catalog show" a nested subcommand).
struct CommandSpec {
  std::string path;
  std::string help;
  std::vector<std::pair<std::string, std::string>> subcommands; ///< name, help
  std::vector<OptionSpec> options;                              ///< its own options, not its parents'
  bool positional = false;                                      ///< whether it takes arguments
  ValueSpec positional_value;
};

/// Every command path of `app`, parents before children, in definition order. Values come from
/// CLI11's IsMember/CheckedTransformer sets, option texts (FILE, DIR, CHECK, METRIC) and a small
/// table of arguments CLI11 cannot describe (metric names for `catalog show`, `query`, ...).
std::vector<CommandSpec> describe(const CLI::App& app);

/// The completion script for "bash", "zsh" or "fish"; throws UsageError for another shell.
/// `metrics` and `checks` are the words offered for metric names and check ids.
std::string completion_script(const std::vector<CommandSpec>& commands, const std::string& shell,
                              const std::vector<std::string>& metrics, const std::vector<std::string>& checks);

} // namespace nsmon::cli
