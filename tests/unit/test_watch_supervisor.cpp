// The supervisor and the session loop with real children and real signals (ninja's
// subprocess_test.cc style); the metrics side is a fake Source.
#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
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
  o.attach = true; // the fake answers before the command starts: another process's on purpose
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
  o.attach = true;
  o.duration = 1.0; // then SIGTERM: only a loop that keeps turning gets there
  auto start = Clock::now();
  int rc = run_session(o, std::make_unique<FakeSource>(true), sink);
  CHECK(rc == 128 + SIGTERM);
  CHECK(Clock::now() - start < 10s);
  CHECK(sink.scrapes >= 3);
  CHECK(sink.lines.size() > 1000);
}

namespace {

// An endpoint that refuses the first `refused` fetches, then answers; with `started_ago` it
// exports process_start_time_seconds that many seconds before each answer; with `pid_file` it
// answers only while the process whose pid that file holds lives (the command's own endpoint).
// Fetches come one at a time (the probe, the poller's thread, the final one), never at once.
class ScriptedSource final : public Source {
public:
  ScriptedSource(int refused, std::optional<double> started_ago = std::nullopt, std::string pid_file = "")
      : refused_(refused), started_ago_(started_ago), pid_file_(std::move(pid_file)) {}
  ScrapeResult fetch() override {
    ScrapeResult r;
    if (fetches_++ < refused_ || !serving()) {
      r.unreachable = true;
      r.error = "connection refused";
      return r;
    }
    r.ok = r.answered = true;
    std::string text = "cpu_usage_percent 12\n";
    if (started_ago_) {
      const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
      text += "process_start_time_seconds " + std::to_string(now - *started_ago_) + "\n";
    }
    parse_snapshot(text, nsmon::expfmt::Format::text, {"cpu_usage_percent"}, r.snapshot);
    r.snapshot.at = Clock::now();
    return r;
  }
  std::string describe() const override { return "fake://metrics"; }

private:
  bool serving() const {
    if (pid_file_.empty()) return true;
    std::FILE* f = std::fopen(pid_file_.c_str(), "r");
    int pid = 0;
    bool read = f && std::fscanf(f, "%d", &pid) == 1;
    if (f) std::fclose(f);
    return read && pid > 0 && ::kill(pid, 0) == 0; // a zombie too: reaped, it is gone
  }
  int refused_;
  std::optional<double> started_ago_;
  std::string pid_file_;
  int fetches_ = 0;
};

SessionOptions briefly(const std::string& script) {
  SessionOptions o;
  o.command = {"/bin/sh", "-c", script};
  o.interval = 50ms;
  return o;
}

bool said(const RecordingSink& sink, const std::string& text) {
  for (const auto& n : sink.notices)
    if (n.find(text) != std::string::npos) return true;
  return false;
}

} // namespace

TEST_CASE("session: an endpoint that answers before the command starts is another process's", "[watch][session]") {
  for (auto [script, status] : {std::pair{"sleep 0.3", 3}, std::pair{"sleep 0.3; exit 2", 2}}) {
    INFO(script);
    RecordingSink sink;
    int rc = run_session(briefly(script), std::make_unique<ScriptedSource>(0), sink);
    CHECK(rc == status); // the command's failure, or 3 for a run that saw nothing of its own
    CHECK(sink.summary.another_process == "it answered before the command was started");
    CHECK(said(sink, "fake://metrics is another process's, not the command's: it answered before the command"));
    CHECK_FALSE(sink.summary.have_figures);
    CHECK_FALSE(sink.summary.figures.system.cpu_percent);
    CHECK(sink.summary.never_served);
    CHECK(sink.summary.status.foreign >= 2);
    CHECK(sink.summary.status.foreign == sink.summary.status.scrapes);
    CHECK(sink.summary.status.failures == 0);
    CHECK(sink.status.state == ScrapeStatus::State::foreign);
  }
}

TEST_CASE("session: an endpoint whose process started before the command is another process's", "[watch][session]") {
  RecordingSink sink;
  // The probe finds nothing; the endpoint comes up while the command runs, from an older process.
  int rc = run_session(briefly("sleep 0.4"), std::make_unique<ScriptedSource>(2, 600.0), sink);
  CHECK(rc == 3);
  CHECK(sink.summary.another_process == "its process started 10m 0s before the command");
  CHECK_FALSE(sink.summary.have_figures);
  CHECK(sink.summary.status.probes >= 1);
  CHECK(sink.summary.status.failures == 0);
}

TEST_CASE("session: an endpoint still answering after the command ended is another process's", "[watch][session]") {
  RecordingSink sink;
  // It came up after the command started and exports no start time: only its answer after the
  // command's end tells, and what it gave before is taken back.
  int rc = run_session(briefly("sleep 0.5"), std::make_unique<ScriptedSource>(2), sink);
  CHECK(rc == 3);
  CHECK(sink.summary.another_process == "it still answered after the command had ended");
  CHECK_FALSE(sink.summary.have_figures);
  CHECK_FALSE(sink.summary.figures.system.cpu_percent);
  CHECK_FALSE(sink.summary.last_ok_age);
  CHECK(sink.summary.status.foreign == sink.summary.status.scrapes);
  CHECK(sink.summary.status.foreign >= 2);
}

TEST_CASE("session: with attach, another process's endpoint is the run's", "[watch][session]") {
  RecordingSink sink;
  SessionOptions o = briefly("sleep 0.3");
  o.attach = true;
  CHECK(run_session(o, std::make_unique<ScriptedSource>(0, 600.0), sink) == 0);
  CHECK(sink.summary.another_process.empty());
  CHECK(sink.summary.have_figures);
  CHECK(*sink.summary.figures.system.cpu_percent == 12);
  CHECK(sink.summary.status.foreign == 0);
  CHECK(sink.notices.empty());
}

TEST_CASE("session: the probes before the endpoint came up are not failed scrapes", "[watch][session]") {
  RecordingSink sink;
  // The command's own endpoint: up after a few probes, its process started with the command, gone
  // with it.
  const std::string pid_file = "/tmp/nsmon-test-pid." + std::to_string(::getpid());
  std::remove(pid_file.c_str());
  int rc = run_session(briefly("echo $$ >" + pid_file + "; sleep 0.6"),
                       std::make_unique<ScriptedSource>(4, 0.0, pid_file), sink);
  std::remove(pid_file.c_str());
  CHECK(rc == 0);
  CHECK(sink.summary.another_process.empty());
  CHECK(sink.summary.have_figures);
  CHECK(sink.summary.status.probes >= 3); // the first refusal was the look before the start
  CHECK(sink.summary.status.failures == 0);
  CHECK(sink.summary.status.scrapes >= 1);
  CHECK_FALSE(sink.summary.never_served);
}

namespace {

// The command's own endpoint, gone before the command is, as a server's socket closes before its
// process can be reaped: it refuses the probes until the command creates DIR/serving, answers while
// that file exists, then every scrape fails (connection refused, or the connection cut). The first
// failure writes DIR/told; with `after_end`, each later one waits until the command (whose pid is
// in DIR/pid) has ended, so it comes after the command's end whatever the machine's load.
class EndpointThatGoes final : public Source {
public:
  EndpointThatGoes(std::string dir, bool refused, bool after_end)
      : dir_(std::move(dir)), refused_(refused), after_end_(after_end) {}
  ScrapeResult fetch() override {
    ScrapeResult r;
    if (::access((dir_ + "/serving").c_str(), F_OK) == 0) {
      answered_ = true;
      r.ok = r.answered = true;
      parse_snapshot("cpu_usage_percent 12\n", nsmon::expfmt::Format::text, {"cpu_usage_percent"}, r.snapshot);
      r.snapshot.at = Clock::now();
      return r;
    }
    if (answered_ && failures_++ == 0) std::fclose(std::fopen((dir_ + "/told").c_str(), "w"));
    else if (answered_ && after_end_) wait_for_end();
    r.unreachable = refused_ || !answered_;
    r.cut = !r.unreachable;
    r.error = r.cut ? "the connection broke: Connection reset by peer" : "connection refused";
    return r;
  }
  std::string describe() const override { return "fake://metrics"; }

private:
  // Until the command is a zombie or gone (/proc/PID/stat's state, after the name in parentheses).
  void wait_for_end() const {
    std::FILE* f = std::fopen((dir_ + "/pid").c_str(), "r");
    int pid = 0;
    if (!f || std::fscanf(f, "%d", &pid) != 1) pid = 0;
    if (f) std::fclose(f);
    for (int i = 0; pid > 0 && i < 1000; ++i, std::this_thread::sleep_for(10ms)) {
      std::FILE* stat = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
      if (!stat) return;
      char text[512] = {};
      const std::size_t n = std::fread(text, 1, sizeof text - 1, stat);
      std::fclose(stat);
      const char* paren = std::strrchr(text, ')');
      if (n == 0 || !paren || paren[1] == '\0' || paren[2] == 'Z' || paren[2] == 'X') return;
    }
  }
  std::string dir_;
  bool refused_, after_end_;
  bool answered_ = false;
  int failures_ = 0;
};

} // namespace

TEST_CASE("session: a scrape refused or cut as the command exits is not a failed scrape", "[watch][session]") {
  const std::string dir = "/tmp/nsmon-test-goes." + std::to_string(::getpid());
  const std::string start = "echo $$ >" + dir + "/pid; : >" + dir + "/serving; sleep 0.3; rm " + dir + "/serving; ";
  for (bool refused : {true, false}) {
    INFO((refused ? "refused" : "cut"));
    REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
    // The endpoint goes, and the command exits 0.2s after the first scrape that found it gone: that
    // scrape is seen while the command still runs, the next one after its end.
    RecordingSink exits;
    CHECK(run_session(briefly(start + "while [ ! -e " + dir + "/told ]; do sleep 0.01; done; sleep 0.2"),
                      std::make_unique<EndpointThatGoes>(dir, refused, true), exits) == 0);
    CHECK(exits.summary.have_figures);
    CHECK(exits.summary.status.scrapes >= 1);
    CHECK(exits.summary.status.failures == 0);
    CHECK(exits.summary.status.state == ScrapeStatus::State::ok);
    // The endpoint goes and the command runs on for a second: those are failed scrapes.
    std::remove((dir + "/told").c_str());
    RecordingSink runs_on;
    CHECK(run_session(briefly(start + "sleep 1"), std::make_unique<EndpointThatGoes>(dir, refused, false), runs_on) ==
          0);
    CHECK(runs_on.summary.status.failures >= 1);
    CHECK(runs_on.summary.status.state == ScrapeStatus::State::failed);
    for (const char* f : {"/pid", "/serving", "/told"}) std::remove((dir + f).c_str());
    REQUIRE(::rmdir(dir.c_str()) == 0);
  }
}
