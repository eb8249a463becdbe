// The supervisor and the session loop with real children and real signals (ninja's
// subprocess_test.cc style); the metrics side is a fake Source.
#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <thread>
#include <unistd.h>

#include "nsmon/core/error.hpp"
#include "nsmon/watch/session.hpp"
#include "nsmon/watch/supervisor.hpp"

using namespace nsmon::watch;
using namespace std::chrono_literals;

namespace {

bool gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

struct Lines {
  std::vector<std::string> out, err;
};

// Reads the supervisor's output until the command ended and its pipes are at EOF.
Lines run_to_end(Supervisor& sup, std::chrono::milliseconds limit = 10s) {
  Lines l;
  auto line = [&](Stream s, std::string_view text) { (s == Stream::out ? l.out : l.err).emplace_back(text); };
  auto deadline = Clock::now() + limit;
  while ((sup.output_open() || !sup.exited()) && Clock::now() < deadline) {
    sup.read(Stream::out, line);
    sup.read(Stream::err, line);
    sup.tick(Clock::now());
    std::this_thread::sleep_for(10ms);
  }
  return l;
}

// Reads the command's output until it printed "ready" (its signal traps are set by then): a test
// that signals the command waits for this instead of sleeping.
bool wait_ready(Supervisor& sup, std::chrono::milliseconds limit = 10s) {
  bool ready = false;
  auto line = [&](Stream, std::string_view t) { ready = ready || t == "ready"; };
  for (auto deadline = Clock::now() + limit; !ready && Clock::now() < deadline;) {
    sup.read(Stream::out, line);
    if (!ready) std::this_thread::sleep_for(10ms);
  }
  return ready;
}

SupervisorOptions sh(const std::string& script, std::chrono::milliseconds grace = 10s,
                     std::chrono::milliseconds kill_after = 3s) {
  return SupervisorOptions{{"/bin/sh", "-c", script}, grace, kill_after};
}

class FakeSource final : public Source {
public:
  explicit FakeSource(bool up) : up_(up) {}
  ScrapeResult fetch() override {
    ScrapeResult r;
    if (!up_) {
      r.unreachable = true;
      r.error = "connection refused";
      return r;
    }
    r.ok = true;
    parse_snapshot("cpu_usage_percent 12\n", nsmon::expfmt::Format::text, {"cpu_usage_percent"}, r.snapshot);
    r.snapshot.at = Clock::now();
    return r;
  }
  std::string describe() const override { return "fake://metrics"; }

private:
  bool up_;
};

class RecordingSink final : public Sink {
public:
  void child_line(Stream s, std::string_view line) override {
    lines.push_back((s == Stream::err ? "E:" : "O:") + std::string(line));
  }
  void notice(std::string_view m) override { notices.emplace_back(m); }
  void scraped(const Figures& f, const ScrapeStatus& s) override {
    ++scrapes;
    last = f;
    status = s;
    seen.store(scrapes, std::memory_order_release);
  }
  void finish(const RunSummary& r) override { summary = r; }
  std::vector<std::string> lines, notices;
  int scrapes = 0;
  std::atomic<int> seen{0}; ///< scrapes, for another thread to wait on
  Figures last;
  ScrapeStatus status;
  RunSummary summary;
};

} // namespace

TEST_CASE("stdout and stderr arrive line by line, the last partial line too", "[watch][supervisor]") {
  Supervisor sup(sh("printf 'one\\ntwo\\r\\n'; printf 'oops\\n' >&2; printf 'no newline'"));
  Lines l = run_to_end(sup);
  CHECK(l.out == std::vector<std::string>{"one", "two", "no newline"});
  CHECK(l.err == std::vector<std::string>{"oops"});
  CHECK(sup.exit_code() == 0);
}

TEST_CASE("a very long line comes in 64 KiB pieces", "[watch][supervisor]") {
  Supervisor sup(sh("head -c 200000 /dev/zero | tr '\\0' x; echo"));
  Lines l = run_to_end(sup);
  std::size_t total = 0;
  for (const auto& s : l.out) {
    CHECK(s.size() <= 64 * 1024);
    total += s.size();
  }
  CHECK(total == 200000);
}

TEST_CASE("a line that grows past 64 KiB in the read that ends it is cut too", "[watch][supervisor]") {
  // 60,000 bytes are read first (a partial line under the limit); the newline comes with the next
  // 10,000, in one read.
  Supervisor sup(sh("head -c 60000 /dev/zero | tr '\\0' x; sleep 0.3; head -c 10000 /dev/zero | tr '\\0' y; echo"));
  Lines l = run_to_end(sup);
  std::size_t total = 0;
  for (const auto& s : l.out) {
    CHECK(s.size() <= 64 * 1024);
    total += s.size();
  }
  CHECK(total == 70000);
  CHECK(l.out.size() == 2);
}

TEST_CASE("a forwarded SIGINT reaches the command, whose status is passed on", "[watch][supervisor]") {
  Supervisor sup(sh("trap 'echo got INT; exit 5' INT; echo ready; while :; do sleep 0.05; done"));
  REQUIRE(wait_ready(sup));
  CHECK(sup.on_signal(SIGINT, Clock::now()).find("forwarded SIGINT") == 0);
  Lines l = run_to_end(sup);
  CHECK(l.out == std::vector<std::string>{"got INT"});
  CHECK(sup.exit_code() == 5);
}

TEST_CASE("the escalation says what comes next, and a Ctrl-C hint only after a Ctrl-C", "[watch][supervisor]") {
  Supervisor sup(sh("trap '' INT TERM; echo ready; while :; do sleep 0.05; done", 2s, 4s));
  REQUIRE(wait_ready(sup));
  CHECK(sup.on_signal(SIGTERM, Clock::now()) ==
        "forwarded SIGTERM to the command; it has 2 s to stop before its process group gets SIGTERM, then SIGKILL");
  CHECK(sup.on_signal(SIGINT, Clock::now()) ==
        "sent SIGTERM to the command's process group; SIGKILL in 4 s (Ctrl-C again: now)");
  CHECK(sup.on_signal(SIGINT, Clock::now()) == "sent SIGKILL to the command's process group");
  run_to_end(sup);
  CHECK(sup.exit_code() == 128 + SIGKILL);
}

TEST_CASE("a command ignoring signals is terminated after the grace period, then killed", "[watch][supervisor]") {
  auto start = Clock::now();
  Supervisor sup(sh("trap '' INT TERM; echo ready; while :; do sleep 0.05; done", 300ms, 300ms));
  REQUIRE(wait_ready(sup));
  sup.on_signal(SIGINT, Clock::now());
  run_to_end(sup);
  CHECK(sup.exit_code() == 128 + SIGKILL);
  CHECK(Clock::now() - start < 5s);
  CHECK(Clock::now() - start >= 600ms);
}

TEST_CASE("a second Ctrl-C escalates at once", "[watch][supervisor]") {
  Supervisor sup(sh("trap '' INT; echo ready; while :; do sleep 0.05; done", 60s, 60s));
  REQUIRE(wait_ready(sup));
  sup.on_signal(SIGINT, Clock::now());
  CHECK(sup.on_signal(SIGINT, Clock::now()).find("sent SIGTERM") == 0);
  run_to_end(sup);
  CHECK(sup.exit_code() == 128 + SIGTERM);
}

TEST_CASE("what the command leaves behind is killed with its group", "[watch][supervisor]") {
  Supervisor sup(sh("sleep 60 >/dev/null 2>&1 & echo $!"));
  Lines l = run_to_end(sup, 3s);
  REQUIRE(l.out.size() == 1);
  pid_t background = std::stoi(l.out[0]);
  CHECK_FALSE(gone(background));
  sup.finish();
  for (int i = 0; i < 100 && !gone(background); ++i) std::this_thread::sleep_for(20ms);
  CHECK(gone(background));
}

TEST_CASE("a command that cannot be run is an error", "[watch][supervisor]") {
  CHECK_THROWS_AS(Supervisor(SupervisorOptions{{"/nonexistent/nsmon-no-such-command"}}), nsmon::Error);
}

TEST_CASE("session: the command's status, its output, and a clear word when it served nothing", "[watch][session]") {
  RecordingSink sink;
  SessionOptions o;
  o.command = {"/bin/sh", "-c", "echo hello; echo warn >&2; sleep 0.3; exit 3"};
  o.interval = 100ms;
  int rc = run_session(o, std::make_unique<FakeSource>(false), sink);
  CHECK(rc == 3);
  CHECK(sink.lines == std::vector<std::string>{"O:hello", "E:warn"});
  CHECK(sink.summary.exit_code == 3);
  CHECK(sink.summary.never_served);
  CHECK(sink.status.state == ScrapeStatus::State::waiting);
  CHECK(sink.scrapes >= 1);
}

TEST_CASE("session: Ctrl-C to nsmon reaches the command", "[watch][session]") {
  RecordingSink sink;
  SessionOptions o;
  // The command marks a file once its trap is set, and the session has scraped once; Ctrl-C comes
  // after both, not after a guess (before the first scrape, there were no figures to check).
  std::string ready = "/tmp/nsmon-test-ready." + std::to_string(::getpid());
  std::remove(ready.c_str());
  o.command = {"/bin/sh", "-c",
               "trap 'echo interrupted; exit 130' INT; : >" + ready + "; while :; do sleep 0.05; done"};
  o.interval = 100ms;
  std::thread ctrl_c([&ready, &sink] {
    for (int i = 0; i < 1000 && (::access(ready.c_str(), F_OK) != 0 || sink.seen.load(std::memory_order_acquire) == 0);
         ++i)
      std::this_thread::sleep_for(10ms);
    ::kill(::getpid(), SIGINT); // the session's handler takes it; the test process lives on
  });
  int rc = run_session(o, std::make_unique<FakeSource>(true), sink);
  ctrl_c.join();
  std::remove(ready.c_str());
  CHECK(rc == 130);
  CHECK(sink.lines == std::vector<std::string>{"O:interrupted"});
  REQUIRE_FALSE(sink.notices.empty());
  CHECK(sink.notices[0].find("forwarded SIGINT") == 0);
  CHECK(*sink.last.system.cpu_percent == 12);
  CHECK_FALSE(sink.summary.never_served);
}

TEST_CASE("session attached: --duration ends it, 3 when the endpoint never answered", "[watch][session]") {
  SessionOptions o;
  o.interval = 50ms;
  o.duration = 0.3;
  RecordingSink up, down;
  CHECK(run_session(o, std::make_unique<FakeSource>(true), up) == 0);
  CHECK(up.summary.ended == "--duration is over");
  CHECK(run_session(o, std::make_unique<FakeSource>(false), down) == 3);
}

namespace {

// A source that sends `sig` to nsmon itself on its second scrape: the session's handlers are set by
// then (the loop is turning), so no sleep decides when the signal comes.
class SignallingSource final : public Source {
public:
  explicit SignallingSource(int sig) : sig_(sig) {}
  ScrapeResult fetch() override {
    if (++fetches_ == 2) ::kill(::getpid(), sig_);
    return up_.fetch();
  }
  std::string describe() const override { return up_.describe(); }

private:
  int sig_;
  int fetches_ = 0;
  FakeSource up_{true};
};

} // namespace

TEST_CASE("session attached: a signal to nsmon ends it with 128 + the signal", "[watch][session]") {
  SessionOptions o;
  o.interval = 50ms;
  o.duration = 30; // a fallback end; the signal comes long before
  for (int sig : {SIGINT, SIGTERM}) {
    RecordingSink sink;
    CHECK(run_session(o, std::make_unique<SignallingSource>(sig), sink) == 128 + sig);
    CHECK(sink.summary.ended == std::string("interrupted by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
  }
}

TEST_CASE("session: a command that writes without pause does not starve the loop", "[watch][session]") {
  RecordingSink sink;
  SessionOptions o;
  o.command = {"/bin/sh", "-c", "exec yes nsmon"};
  o.interval = 100ms;
  o.duration = 1.0; // then SIGTERM: only a loop that keeps turning gets there
  auto start = Clock::now();
  int rc = run_session(o, std::make_unique<FakeSource>(true), sink);
  CHECK(rc == 128 + SIGTERM);
  CHECK(Clock::now() - start < 10s);
  CHECK(sink.scrapes >= 3);
  CHECK(sink.lines.size() > 1000);
}
