#pragma once
#include <string>
#include <sys/types.h>
#include <vector>

namespace nsmon::util {

struct SpawnOptions {
  std::vector<std::string> argv;      ///< argv[0] is looked up in PATH; no shell
  int stdin_fd = -1;                  ///< -1: /dev/null
  int stdout_fd = -1;                 ///< -1: inherit
  int stderr_fd = -1;                 ///< -1: inherit
  bool new_process_group = true;      ///< the child leads its own group, so the group can be signalled
  bool die_with_parent = false;       ///< Linux: SIGKILL the child if this process dies (test helpers)
  std::vector<std::string> extra_env; ///< "K=V" entries added to the environment
  bool capture_stdout = false;        ///< stdout goes to a pipe: read it from Child::stdout_pipe()
  bool capture_stderr = false;        ///< stderr goes to a pipe: read it from Child::stderr_pipe()
};

/// A child process started with fork/exec. Signal mask and dispositions are reset before exec.
/// The destructor terminates (SIGTERM, then SIGKILL) and reaps a child still running, so that
/// no process is ever left behind.
class Child {
public:
  /// Starts the process; throws nsmon::Error if it cannot be executed (e.g. not found).
  explicit Child(const SpawnOptions& opts);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  /// Non-blocking: true while the child has not been reaped.
  bool running();
  /// Blocks until the child ends; returns its wait status (see exit_code()).
  int wait();
  /// Sends a signal to the child (its whole group when it leads one).
  void signal(int sig);
  /// SIGTERM, wait up to grace_ms, then SIGKILL; always reaps. Returns the wait status.
  int terminate(int grace_ms = 3000);
  /// The raw wait status once reaped (undefined before).
  int status() const { return status_; }
  /// Read ends of the captured stdout / stderr (close-on-exec, blocking), or -1. The Child owns
  /// them and closes them on destruction; reading until EOF sees everything the child wrote.
  int stdout_pipe() const { return out_pipe_; }
  int stderr_pipe() const { return err_pipe_; }
  /// Closes the read ends early (the child then gets SIGPIPE if it writes on).
  void close_pipes();

private:
  void start(const SpawnOptions& opts);
  int out_pipe_ = -1;
  int err_pipe_ = -1;
  pid_t pid_ = -1;
  bool group_ = false;
  bool reaped_ = false;
  int status_ = 0;
};

/// Shell-style exit code of a wait status: the exit code, or 128 + signal number.
int exit_code(int wait_status);

} // namespace nsmon::util
