#include "nsmon/util/subprocess.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <tuple>
#include <unistd.h>
#include <utility>

#include "nsmon/core/error.hpp"

namespace nsmon::util {

namespace {

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const SpawnOptions& o, char* const* argv, char* const* envp, pid_t parent, int err_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    ::signal(sig, SIG_DFL);
  }
  if (o.new_process_group) setpgid(0, 0);
  if (o.die_with_parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
  }
  int in = o.stdin_fd >= 0 ? o.stdin_fd : ::open("/dev/null", O_RDONLY);
  if (in >= 0 && in != 0) dup2(in, 0);
  if (o.stdout_fd >= 0 && o.stdout_fd != 1) dup2(o.stdout_fd, 1);
  if (o.stderr_fd >= 0 && o.stderr_fd != 2) dup2(o.stderr_fd, 2);
  execvpe(argv[0], argv, envp);
  int e = errno;
  ssize_t ignored = ::write(err_fd, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

} // namespace

namespace {
// A close-on-exec pipe; the child gets the write end through dup2, which clears the flag there.
std::pair<int, int> output_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  return {fds[0], fds[1]};
}
void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}
} // namespace

Child::Child(const SpawnOptions& spawn) : group_(spawn.new_process_group) {
  if (spawn.argv.empty()) throw Error("cannot start a process without a command");
  SpawnOptions opts = spawn;
  int out_write = -1, err_write = -1;
  struct Closer {
    int& a;
    int& b;
    ~Closer() {
      close_fd(a);
      close_fd(b);
    }
  } close_writes{out_write, err_write};
  try {
    if (opts.capture_stdout) std::tie(out_pipe_, out_write) = output_pipe();
    if (opts.capture_stderr) std::tie(err_pipe_, err_write) = output_pipe();
    if (out_write >= 0) opts.stdout_fd = out_write;
    if (err_write >= 0) opts.stderr_fd = err_write;
    start(opts);
  } catch (...) {
    close_pipes();
    throw;
  }
}

void Child::close_pipes() {
  close_fd(out_pipe_);
  close_fd(err_pipe_);
}

void Child::start(const SpawnOptions& opts) {
  // Everything the child needs is prepared before fork: no allocation happens in the child.
  std::vector<char*> argv;
  for (const auto& a : opts.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e) envp.push_back(*e);
  for (const auto& kv : opts.extra_env) envp.push_back(const_cast<char*>(kv.c_str()));
  envp.push_back(nullptr);

  // exec failures come back over a close-on-exec pipe: EOF means exec succeeded.
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    int e = errno;
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    throw Error(std::string("cannot fork: ") + std::strerror(e));
  }
  if (pid_ == 0) exec_child(opts, argv.data(), envp.data(), parent, err_pipe[1]);
  ::close(err_pipe[1]);
  if (group_) setpgid(pid_, pid_); // also in the parent, so signal() cannot race the child
  int child_errno = 0;
  ssize_t n;
  do n = ::read(err_pipe[0], &child_errno, sizeof child_errno);
  while (n < 0 && errno == EINTR);
  ::close(err_pipe[0]);
  if (n == sizeof child_errno) {
    wait();
    throw Error("cannot run " + opts.argv[0] + ": " + std::strerror(child_errno));
  }
}

Child::~Child() {
  if (pid_ > 0 && !reaped_) terminate(2000);
  close_pipes();
}

bool Child::running() {
  if (reaped_) return false;
  int st = 0;
  pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    status_ = st;
  }
  return !reaped_;
}

int Child::wait() {
  while (!reaped_) {
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, 0);
    if (r == pid_) {
      reaped_ = true;
      status_ = st;
    } else if (r < 0 && errno != EINTR) {
      reaped_ = true; // not our child any more (ECHILD): nothing left to reap
    }
  }
  return status_;
}

void Child::signal(int sig) {
  if (reaped_) return;
  if (group_) ::kill(-pid_, sig);
  else ::kill(pid_, sig);
}

int Child::terminate(int grace_ms) {
  if (!running()) {
    if (group_) ::kill(-pid_, SIGKILL); // grandchildren left in the group
    return status_;
  }
  signal(SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  while (running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  signal(SIGKILL);
  if (group_) ::kill(-pid_, SIGKILL);
  return wait();
}

int exit_code(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 1;
}

} // namespace nsmon::util
