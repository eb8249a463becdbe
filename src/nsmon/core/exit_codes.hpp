#pragma once
#include <initializer_list>
#include <string>
#include <string_view>

#include "nsmon/core/error.hpp"

namespace nsmon {

/// Process exit codes: the one policy of every subcommand. The fault decides the code, never the
/// subcommand: cli::main maps exceptions with exit_code_for, report::exit_code maps findings.
enum ExitCode : int {
  kOk = 0,           ///< success, nothing to report
  kFindings = 1,     ///< findings at or above --fail-on, a failed test or check, a server-side error
  kUsage = 2,        ///< bad usage or unreadable or invalid input
  kUnreachable = 3,  ///< could not reach or understand a server (ServerError)
  kAlertFired = 4,   ///< watch --rules: an alert at --fail-on-alert fired, or an --assert failed
  kCannotRun = 127,  ///< watch: the command cannot be started (a shell's "command not found")
  kSignalBase = 128, ///< watch: 128 + the signal that ended the command or nsmon
  kInterrupted = 130 ///< interrupted by SIGINT
};

/// What each code means, in the words of docs/exit-codes.md and of every --help "Exit codes:" list
/// (tests/e2e/exit_codes_documented.sh compares them).
struct ExitCodeMeaning {
  ExitCode code;
  std::string_view meaning;
};
inline constexpr ExitCodeMeaning kExitCodeMeanings[] = {
    {kOk, "success"},
    {kFindings, "findings at or above --fail-on (in what lint-*, gen-dashboards and promql check check, a file that "
                "does not parse is one), a failed test or check, a server-side error, a name not found"},
    {kUsage, "usage error; a file that cannot be read (missing, a directory, no permission); any other invalid input "
             "(a catalog, policy, nsmon config, test, cases, alerts or SLO file, a file of --rules, an expression "
             "to run or format, a bad NSMON_* value)"},
    {kUnreachable, "a server could not be reached or understood (connection refused, timeout, not an answer)"},
    {kAlertFired, "watch --rules: an alert at --fail-on-alert fired, or an --assert failed"},
    {kCannotRun, "watch: the command cannot be started"},
    {kInterrupted, "interrupted"},
};

/// The exit code of a failure that ends a command: a server fault is kUnreachable, any other
/// (usage, an unreadable or invalid input) kUsage.
inline int exit_code_for(const Error& e) { return dynamic_cast<const ServerError*>(&e) ? kUnreachable : kUsage; }

/// "Exit codes:" and one line per code of `codes`, with its meaning from kExitCodeMeanings: the
/// --help footer of a subcommand that can end with these codes.
inline std::string exit_codes_help(std::initializer_list<ExitCode> codes) {
  std::string out = "Exit codes:";
  for (ExitCode c : codes)
    for (const auto& m : kExitCodeMeanings)
      if (m.code == c) {
        std::string n = std::to_string(static_cast<int>(c));
        out += "\n  " + n + std::string(5 - n.size(), ' ') + std::string(m.meaning);
      }
  return out;
}

} // namespace nsmon
