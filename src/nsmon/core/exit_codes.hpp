#pragma once

namespace nsmon {

/// Process exit codes shared by every subcommand (documented in --help and README). cli/ picks
/// them; watch/ also reports a run's result with them.
enum ExitCode : int {
  kOk = 0,           ///< success, nothing to report
  kFindings = 1,     ///< findings at or above --fail-on, a failed --check, a server-side error
  kUsage = 2,        ///< bad usage or unreadable input
  kUnreachable = 3,  ///< could not reach or understand a server (query, attached watch)
  kAlertFired = 4,   ///< watch --rules: an alert at --fail-on-alert fired, or an --assert failed
  kCannotRun = 127,  ///< watch: the command cannot be started (a shell's "command not found")
  kSignalBase = 128, ///< watch: 128 + the signal that ended the command or nsmon
  kInterrupted = 130 ///< interrupted by SIGINT
};

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 ok, 1 findings or failed check, 2 usage or unreadable input,\n"
    "            3 server unreachable (query), 4 an alert fired or an assertion failed (watch --rules),\n"
    "            130 interrupted; watch passes on the child's status.";

} // namespace nsmon
