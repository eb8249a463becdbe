#include "nsmon/watch/supervisor.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace nsmon::watch {

namespace {

constexpr std::size_t kMaxLine = 64 * 1024;

std::string signal_name(int sig) {
  switch (sig) {
  case SIGINT: return "SIGINT";
  case SIGTERM: return "SIGTERM";
  case SIGHUP: return "SIGHUP";
  case SIGKILL: return "SIGKILL";
  default: return "signal " + std::to_string(sig);
  }
}

std::string seconds_text(std::chrono::milliseconds ms) {
  double s = static_cast<double>(ms.count()) / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", s);
  return buf;
}

} // namespace

Supervisor::Supervisor(const SupervisorOptions& options) : opt_(options) {
  util::SpawnOptions spawn;
  spawn.argv = opt_.argv;
  spawn.capture_stdout = true;
  spawn.capture_stderr = true;
  spawn.new_process_group = true; // the terminal's Ctrl-C reaches nsmon only; nsmon forwards it
  spawn.die_with_parent = true;   // nsmon killed outright: the command goes too
  child_ = std::make_unique<util::Child>(spawn);
  out_.fd = child_->stdout_pipe();
  err_.fd = child_->stderr_pipe();
  for (int fd : {out_.fd, err_.fd}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

Supervisor::~Supervisor() {
  // util::Child's destructor terminates (SIGTERM, SIGKILL) and reaps; the group goes with it.
  child_.reset();
}

void Supervisor::read(Stream s, const LineFn& line) {
  Pipe& p = s == Stream::out ? out_ : err_;
  if (p.fd < 0) return;
  char buf[16384];
  // At most 1 MiB per call: a command that writes without pause must not starve the loop (signals,
  // scrapes, redraws); what is left is read on the next turn.
  for (int reads = 0; reads < 64; ++reads) {
    ssize_t n = ::read(p.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return; // EAGAIN: nothing more for now
    if (n == 0) {      // EOF: the command closed it (usually by exiting)
      if (!p.partial.empty()) line(s, p.partial);
      p.partial.clear();
      p.fd = -1; // util::Child owns and closes the descriptor
      return;
    }
    p.partial.append(buf, static_cast<std::size_t>(n));
    std::size_t from = 0;
    for (;;) {
      std::size_t nl = p.partial.find('\n', from);
      if (nl == std::string::npos) break;
      std::size_t end = nl > from && p.partial[nl - 1] == '\r' ? nl - 1 : nl;
      // A long line ends in the same read that made it long: it comes in kMaxLine pieces too.
      for (; end - from > kMaxLine; from += kMaxLine) line(s, std::string_view(p.partial).substr(from, kMaxLine));
      line(s, std::string_view(p.partial).substr(from, end - from));
      from = nl + 1;
    }
    p.partial.erase(0, from);
    while (p.partial.size() >= kMaxLine) {
      line(s, std::string_view(p.partial).substr(0, kMaxLine));
      p.partial.erase(0, kMaxLine);
    }
  }
}

void Supervisor::escalate(int sig, Clock::time_point now, std::string& msg) {
  child_->signal(sig);
  if (sig == SIGTERM) {
    stage_ = 1;
    grace_deadline_.reset();
    kill_deadline_ = now + opt_.kill_after;
    msg = "sent SIGTERM to the command's process group; SIGKILL in " + seconds_text(opt_.kill_after) +
          " (Ctrl-C again: now)";
  } else {
    stage_ = 2;
    grace_deadline_.reset();
    kill_deadline_.reset();
    msg = "sent SIGKILL to the command's process group";
  }
}

std::string Supervisor::on_signal(int sig, Clock::time_point now) {
  std::string msg;
  if (!child_->running() || stage_ == 2) return msg;
  if (forwarded_ > 0 && sig == SIGINT) {
    // A second Ctrl-C: the user wants it gone.
    escalate(stage_ == 0 ? SIGTERM : SIGKILL, now, msg);
    return msg;
  }
  ++forwarded_;
  child_->signal(sig);
  if (stage_ == 0 && !grace_deadline_) grace_deadline_ = now + opt_.grace;
  // After the grace its process group gets SIGTERM (then SIGKILL); only a Ctrl-C is told how to
  // hurry that, and a forwarded SIGTERM is not said to be followed by "SIGTERM".
  msg = "forwarded " + signal_name(sig) + " to the command; it has " + seconds_text(opt_.grace) + " to stop before " +
        (sig == SIGTERM ? "its process group gets SIGTERM, then SIGKILL" : "SIGTERM (Ctrl-C again: SIGTERM now)");
  return msg;
}

std::string Supervisor::tick(Clock::time_point now) {
  std::string msg;
  if (!child_->running()) return msg;
  if (grace_deadline_ && now >= *grace_deadline_) escalate(SIGTERM, now, msg);
  else if (kill_deadline_ && now >= *kill_deadline_) escalate(SIGKILL, now, msg);
  return msg;
}

std::optional<Clock::time_point> Supervisor::next_deadline() const {
  return grace_deadline_ ? grace_deadline_ : kill_deadline_;
}

bool Supervisor::exited() { return !child_->running(); }

int Supervisor::exit_code() const { return util::exit_code(child_->status()); }

int Supervisor::killed_by() const { return WIFSIGNALED(child_->status()) ? WTERMSIG(child_->status()) : 0; }

void Supervisor::finish() {
  child_->terminate(0); // already reaped: SIGKILLs what is left of the group
  child_->close_pipes();
  out_.fd = err_.fd = -1;
}

} // namespace nsmon::watch
