#pragma once
#include <csignal>
#include <vector>

namespace nsmon::watch {

/// Turns signals into bytes on a self-pipe, so that an event loop can poll for them: the
/// handler only writes the signal number. Installing it saves the old dispositions; the
/// destructor restores them. One SignalPipe at a time.
class SignalPipe {
public:
  explicit SignalPipe(const std::vector<int>& signals);
  ~SignalPipe();
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  /// Readable while signals wait.
  int fd() const { return fds_[0]; }
  /// The signals received since the last call, in order of arrival.
  std::vector<int> take();

private:
  int fds_[2] = {-1, -1};
  std::vector<int> signals_;
  std::vector<struct sigaction> old_;
};

} // namespace nsmon::watch
