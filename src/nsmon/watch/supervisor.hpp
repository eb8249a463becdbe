#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/util/subprocess.hpp"
#include "nsmon/watch/snapshot.hpp"

// The supervised command: started directly (no shell) in its own process group on top of
// util::Child, its stdout and stderr read line by line, signals forwarded, escalation to SIGTERM
// and SIGKILL of the group, always reaped.

namespace nsmon::watch {

enum class Stream { out, err };

struct SupervisorOptions {
  std::vector<std::string> argv;
  std::chrono::milliseconds grace{10000};     ///< after a forwarded signal, before SIGTERM
  std::chrono::milliseconds kill_after{3000}; ///< after SIGTERM, before SIGKILL
};

class Supervisor {
public:
  using LineFn = std::function<void(Stream, std::string_view)>;

  /// Starts the command; throws nsmon::Error when it cannot be executed.
  explicit Supervisor(const SupervisorOptions& options);
  ~Supervisor(); ///< never leaves the process group behind

  pid_t pid() const { return child_->pid(); }
  /// Descriptors to poll for output; -1 once the stream reached EOF.
  int fd(Stream s) const { return s == Stream::out ? out_.fd : err_.fd; }
  /// Reads what is there on `s` (non-blocking) and hands out each complete line without its
  /// newline; at EOF the last partial line too. Very long lines are cut into 64 KiB pieces.
  void read(Stream s, const LineFn& line);
  bool output_open() const { return out_.fd >= 0 || err_.fd >= 0; }

  /// nsmon received `sig` (SIGINT, SIGTERM, SIGHUP): the first is forwarded to the command's
  /// group; a second SIGINT escalates at once (SIGTERM, then SIGKILL on a third). Returns what
  /// was done, for the user.
  std::string on_signal(int sig, Clock::time_point now);
  /// Acts on expired deadlines (grace -> SIGTERM, kill_after -> SIGKILL); returns what was done.
  std::string tick(Clock::time_point now);
  /// The next deadline tick() waits for.
  std::optional<Clock::time_point> next_deadline() const;
  /// Whether the command has ended (reaps it; non-blocking).
  bool exited();
  /// Shell-style status once exited: the exit code, or 128 + signal.
  int exit_code() const;
  /// The signal that killed the command, or 0 when it exited by itself.
  int killed_by() const;
  /// After the command ended: SIGKILL to what is left of its group (background children), and
  /// the pipes closed.
  void finish();

private:
  struct Pipe {
    int fd = -1;
    std::string partial;
  };
  void escalate(int sig, Clock::time_point now, std::string& msg);

  SupervisorOptions opt_;
  std::unique_ptr<util::Child> child_;
  Pipe out_, err_;
  int forwarded_ = 0; // signals forwarded
  int stage_ = 0;     // 0 none, 1 SIGTERM sent, 2 SIGKILL sent
  std::optional<Clock::time_point> grace_deadline_, kill_deadline_;
};

} // namespace nsmon::watch
