#include "nsmon/watch/signals.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "nsmon/core/error.hpp"

namespace nsmon::watch {

namespace {

volatile sig_atomic_t g_write_fd = -1;

extern "C" void on_signal(int sig) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(sig);
  if (g_write_fd >= 0) {
    ssize_t ignored = ::write(g_write_fd, &byte, 1);
    (void)ignored;
  }
  errno = saved;
}

} // namespace

SignalPipe::SignalPipe(const std::vector<int>& signals) : signals_(signals) {
  if (g_write_fd >= 0) throw Error("only one SignalPipe at a time");
  if (::pipe2(fds_, O_CLOEXEC | O_NONBLOCK) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  g_write_fd = fds_[1];
  old_.resize(signals_.size());
  for (std::size_t i = 0; i < signals_.size(); ++i) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(signals_[i], &sa, &old_[i]);
  }
}

SignalPipe::~SignalPipe() {
  for (std::size_t i = 0; i < signals_.size(); ++i) sigaction(signals_[i], &old_[i], nullptr);
  g_write_fd = -1;
  ::close(fds_[0]);
  ::close(fds_[1]);
}

std::vector<int> SignalPipe::take() {
  std::vector<int> out;
  unsigned char buf[64];
  ssize_t n;
  while ((n = ::read(fds_[0], buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; ++i) out.push_back(buf[i]);
  return out;
}

} // namespace nsmon::watch
