#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

#include "nsmon/core/error.hpp"
#include "nsmon/util/subprocess.hpp"

using nsmon::util::Child;
using nsmon::util::exit_code;
using nsmon::util::SpawnOptions;

namespace {
SpawnOptions sh(const std::string& script) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", script};
  return o;
}
bool gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }
} // namespace

TEST_CASE("a child's exit status and death by signal", "[subprocess]") {
  Child ok(sh("exit 0"));
  CHECK(exit_code(ok.wait()) == 0);
  Child fail(sh("exit 7"));
  CHECK(exit_code(fail.wait()) == 7);
  Child killed(sh("kill -KILL $$"));
  CHECK(exit_code(killed.wait()) == 128 + SIGKILL);
}

TEST_CASE("a command that cannot be executed is an error, not a silent exit", "[subprocess]") {
  SpawnOptions o;
  o.argv = {"/nonexistent/nsmon-no-such-program"};
  CHECK_THROWS_AS(Child(o), nsmon::Error);
}

TEST_CASE("ignored signals and a blocked mask are reset before exec", "[subprocess]") {
  // The parent ignores SIGINT and blocks SIGTERM; the child must still die from both.
  struct sigaction old_int {};
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ign, &old_int);
  sigset_t block, old_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &old_mask);
  Child c(sh("sleep 30"));
  sigaction(SIGINT, &old_int, nullptr);
  sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  c.signal(SIGINT);
  CHECK(exit_code(c.wait()) == 128 + SIGINT);
}

TEST_CASE("terminate escalates to SIGKILL and the whole group goes", "[subprocess]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  auto o = sh("trap '' TERM; sleep 60 & echo $!; wait");
  o.stdout_fd = fds[1];
  auto start = std::chrono::steady_clock::now();
  pid_t grandchild = 0;
  {
    Child c(o);
    ::close(fds[1]);
    char buf[32] = {};
    REQUIRE(::read(fds[0], buf, sizeof buf - 1) > 0);
    grandchild = std::atoi(buf);
    REQUIRE(grandchild > 0);
    int st = c.terminate(300);
    CHECK(exit_code(st) == 128 + SIGKILL);
  }
  ::close(fds[0]);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  // The grandchild shared the group and was killed with it (it may take a moment to be reaped by init).
  for (int i = 0; i < 100 && !gone(grandchild); ++i) ::usleep(20000);
  CHECK(gone(grandchild));
}

TEST_CASE("the destructor never leaves a process behind", "[subprocess]") {
  pid_t pid = 0;
  {
    Child c(sh("sleep 60"));
    pid = c.pid();
    CHECK(c.running());
  }
  CHECK(gone(pid));
}
