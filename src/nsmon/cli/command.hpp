#pragma once
// The subcommand table (app.cpp) and what each subcommand's run receives. ARCHITECTURE.md's
// "Adding a subcommand" says how a row is added.
#include <functional>
#include <string>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/cli/report.hpp"
#include "nsmon/config/settings.hpp"

namespace CLI {
class App;
}

namespace nsmon::cli {

/// What a subcommand's run needs besides its own options: the effective settings (config file,
/// NSMON_*, the flags it was given), the catalog and the report options.
struct Context {
  const CLI::App& cmd;       ///< the subcommand as parsed (the innermost one: `promql check`)
  config::Settings settings; ///< settings_for(cmd)
  ReportOptions report;      ///< --format/--fail-on for commands that report findings; colour

  /// The catalog of --catalog (or the built-in one), loaded on first use; a broken catalog file is
  /// reported with positions and throws UsageError (exit 2).
  const catalog::Catalog& catalog() const;
  /// Whether to colour output on `fd` (--color, NO_COLOR, CLICOLOR_FORCE, a terminal).
  bool color(int fd) const;
};

/// A subcommand's run: returns the exit code (core/exit_codes.hpp). Exceptions are for the
/// environment only (nsmon::Error: exit 2, or what cli::main maps them to).
using Run = std::function<int(const Context&)>;

/// One row of the subcommand table, ninja-style.
struct Command {
  const char* name;
  const char* help; ///< one line, shown in 'nsmon --help'
  /// Adds the subcommand's options, footer and nested subcommands to `cmd`; returns its run.
  Run (*define)(CLI::App& cmd);
  /// Whether it reads the settings: false for those that must work with a broken config file.
  bool reads_settings = true;
};

} // namespace nsmon::cli
