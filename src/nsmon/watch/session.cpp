#include "nsmon/watch/session.hpp"

#include <algorithm>
#include <csignal>
#include <poll.h>

#include "nsmon/core/exit_codes.hpp"
#include "nsmon/watch/owner.hpp"
#include "nsmon/watch/rule_watch.hpp"
#include "nsmon/watch/signals.hpp"

namespace nsmon::watch {

namespace {

using namespace std::chrono_literals;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// SIGPIPE is ignored while the session runs: a closed output (`| head`) must not kill nsmon with
// the command still running; the Sink sees EPIPE instead and the command is stopped properly.
class IgnoreSigpipe {
public:
  IgnoreSigpipe() {
    struct sigaction sa {};
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, &old_);
  }
  ~IgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }

private:
  struct sigaction old_ {};
};

std::string signal_word(int sig) {
  switch (sig) {
  case SIGINT: return "SIGINT";
  case SIGTERM: return "SIGTERM";
  case SIGHUP: return "SIGHUP";
  case SIGKILL: return "SIGKILL";
  case SIGPIPE: return "a closed output";
  default: return "signal " + std::to_string(sig);
  }
}

class Loop {
public:
  Loop(const SessionOptions& o, std::unique_ptr<Source> source, Sink& sink)
      : o_(o), sink_(sink), model_(o.rate_window), start_(Clock::now()) {
    status_.target = source->describe();
    model_.set_planned_images(o.planned_images);
    if (!o.command.empty()) {
      owner_.check = !o.attach;
      owner_.started_ms = now_ms();
      // One look before the command exists: whatever answers now is another process's.
      if (owner_.check) {
        ScrapeResult probe = source->fetch();
        probe.out_of_turn = true; // no line of its own in plain and jsonl output
        if (probe.answered) scraped(std::move(probe), FetchTime::before_start);
      }
      sup_ = std::make_unique<Supervisor>(SupervisorOptions{o.command, o.grace, o.kill_after});
    }
    poller_ = std::make_unique<Poller>(std::move(source), o.interval);
  }

  int run() {
    poller_->start();
    while (!step()) {
    }
    poller_->stop();
    return finish();
  }

private:
  // One turn of the loop; true when the session is over.
  bool step() {
    auto now = Clock::now();
    auto wake = now + 250ms;
    if (sup_)
      if (auto d = sup_->next_deadline()) wake = std::min(wake, *d);
    if (o_.duration) wake = std::min(wake, deadline());
    // No group due is INT64_MAX: clamped to the turn, or the clock's nanoseconds would overflow.
    if (o_.rules)
      wake = std::min(
          wake, now + std::chrono::milliseconds(std::clamp<std::int64_t>(o_.rules->next_due() - now_ms(), 0, 250)));
    std::vector<pollfd> fds = {{signals_.fd(), POLLIN, 0}, {poller_->fd(), POLLIN, 0}};
    if (sup_)
      for (Stream s : {Stream::out, Stream::err})
        if (sup_->fd(s) >= 0) fds.push_back({sup_->fd(s), POLLIN, 0});
    auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, timeout) + 1));
    now = Clock::now();
    status_.elapsed = seconds(now - start_);

    for (int sig : signals_.take()) {
      if (sig == SIGWINCH) sink_.resized();
      else if (sig == SIGCHLD) continue; // looked at below
      else if (sup_) say(sup_->on_signal(sig, now));
      else stop_signal_ = sig;
    }
    for (auto& r : poller_->take()) scraped(std::move(r));
    if (o_.rules && now_ms() >= o_.rules->next_due()) rule_events(o_.rules->evaluate(now_ms()), now);
    if (sup_) {
      read_output();
      say(sup_->tick(now));
    }
    if (sink_.broken() && !broken_) {
      broken_ = true;
      if (sup_) say(sup_->on_signal(SIGTERM, now));
      else stop_signal_ = SIGPIPE;
    }
    if (now - last_tick_ >= 1s) {
      sink_.tick(status_);
      last_tick_ = now;
    }

    if (sup_) {
      if (o_.duration && now >= deadline() && !duration_over_) {
        duration_over_ = true;
        say("--duration is over: stopping the command");
        say(sup_->on_signal(SIGTERM, now));
      }
      if (sup_->exited()) {
        drain();
        sup_->finish();
        final_scrape();
        return true;
      }
      return false;
    }
    if (stop_signal_) return true;
    if (rules_stop_) {
      ended_ = "stopped: " + o_.rules->status().failure;
      return true;
    }
    if (o_.duration && now >= deadline()) {
      ended_ = "--duration is over";
      return true;
    }
    if (status_.ever_ok && status_.consecutive_failures >= o_.gone_after) {
      ended_ = "the endpoint went away";
      return true;
    }
    return false;
  }

  Clock::time_point deadline() const {
    return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*o_.duration));
  }

  void say(const std::string& msg) {
    if (!msg.empty()) sink_.notice(msg);
  }

  // A line from the command often reports progress ("image 150/150", "done"), and its last one may
  // come just before its endpoint goes: each asks for a scrape out of turn, so the summary's
  // figures are the command's final ones and not those of the previous tick.
  void read_output() {
    auto line = [this](Stream s, std::string_view l) {
      sink_.child_line(s, l);
      poller_->scrape_now();
    };
    sup_->read(Stream::out, line);
    sup_->read(Stream::err, line);
  }

  // The command ended: the rest of its output, until EOF, or for at most half a second when
  // something it left behind keeps the pipes open.
  void drain() {
    const auto until = Clock::now() + 500ms;
    while (sup_->output_open() && Clock::now() < until) {
      std::vector<pollfd> fds;
      for (Stream s : {Stream::out, Stream::err})
        if (sup_->fd(s) >= 0) fds.push_back({sup_->fd(s), POLLIN, 0});
      ::poll(fds.data(), fds.size(), 50);
      read_output();
    }
  }

  // The command ended: the scrapes under way are taken, then one more while an endpoint that
  // outlives it still answers: with --attach another process's final figures; else the proof that
  // the endpoint is not the command's (its group is gone). A refusal here is the endpoint going
  // with its command, not a failed scrape.
  void final_scrape() {
    held_.reset(); // the endpoint's last failure before the command's end: it went with the command
    for (auto& r : poller_->take()) scraped(std::move(r));
    ScrapeResult r = poller_->fetch_final();
    for (auto& left : poller_->take()) scraped(std::move(left));
    if (r.ok || (owner_.check && r.answered)) scraped(std::move(r), FetchTime::after_end);
  }

  // Events for the sink; the first failure of the rules stops the command with --stop-on-alert.
  void rule_events(const std::vector<RuleEvent>& events, Clock::time_point now) {
    if (events.empty()) return;
    sink_.rules(events, o_.rules->status());
    if (!o_.rules->status().failed || !o_.stop_on_failure || rules_stopped_) return;
    rules_stopped_ = true;
    say(o_.rules->status().failure + ": stopping " + (sup_ ? "the command" : "watching") + " (--stop-on-alert)");
    if (sup_) say(sup_->on_signal(SIGTERM, now));
    else rules_stop_ = true;
  }

  // The command is up and nothing answers at the target: the ports it listens on are where to
  // look instead, for the summary (it may be gone by then). At most once a second: it reads every
  // process's /proc/PID/stat.
  void note_command_ports() {
    const auto now = Clock::now();
    if (owner_.ports_looked && now - *owner_.ports_looked < 1s) return;
    owner_.ports_looked = now;
    for (int port : listening_ports(sup_->pid()))
      if (std::find(owner_.ports.begin(), owner_.ports.end(), port) == owner_.ports.end()) owner_.ports.push_back(port);
  }

  // Whose answer it is. The endpoint's life runs from its first answer to the next refused
  // connection (the process serving it went); a life is another process's once one of its answers
  // cannot be the command's, and what it gave before that is taken back from the figures.
  bool foreign(const ScrapeResult& r, FetchTime when) {
    if (!owner_.check) return false;
    if (r.unreachable) {
      owner_.serving = false;
      return false;
    }
    if (!r.answered) return owner_.serving && owner_.life_foreign; // a timeout: no news of whose
    if (!owner_.serving) {
      owner_.serving = true;
      owner_.life_foreign = false;
      owner_.before = Checkpoint{model_, seen_, status_.ever_ok, status_.last_ok_at, status_.scrapes, status_.failures};
    }
    if (owner_.life_foreign) return true;
    const std::string why = not_the_commands(r, when, owner_.started_ms);
    if (why.empty()) return false;
    owner_.life_foreign = true;
    const Checkpoint& c = *owner_.before;
    model_ = c.model;
    seen_ = c.seen;
    status_.ever_ok = c.ever_ok;
    status_.last_ok_at = c.last_ok_at;
    status_.foreign += status_.scrapes - c.scrapes;
    status_.failures = c.failures;
    if (owner_.why.empty()) {
      owner_.why = why;
      if (auto who = listening_process(status_.target)) owner_.why += " (" + *who + ")";
      say(another_process_text(status_.target, owner_.why));
    }
    return true;
  }

  void scraped(ScrapeResult r, FetchTime when = FetchTime::running) {
    const bool theirs = foreign(r, when);
    if (o_.rules && r.started_ms > 0 && !theirs)
      rule_events(r.ok ? o_.rules->scraped(r.samples, r.started_ms) : o_.rules->scrape_failed(r.started_ms),
                  Clock::now());
    settle_held();
    // Nothing listening, or the connection cut, once the command has ended: the endpoint went with
    // it, not a failed scrape.
    const bool gone = r.unreachable || r.cut;
    if (gone && sup_ && sup_->exited()) return;
    // Nothing listening before the endpoint first answered: waiting for it, not a failed scrape.
    if (r.unreachable && !status_.ever_ok) {
      ++status_.probes;
      if (sup_) note_command_ports();
      status_.out_of_turn = r.out_of_turn;
      status_.error = r.error;
      status_.state = ScrapeStatus::State::waiting;
      sink_.scraped(model_.figures(), status_);
      return;
    }
    // The same while the command runs may be the command exiting: its sockets close before it can
    // be reaped (tens of ms later under load). Held until the next scrape's result tells.
    if (gone && sup_ && !theirs) {
      held_ = std::move(r);
      return;
    }
    count(std::move(r), theirs);
  }

  // A failure held back is judged by the next result or the command's end, whichever comes first:
  // a command that has ended since took its endpoint with it; one that still runs failed a scrape.
  void settle_held() {
    if (!held_) return;
    ScrapeResult r = std::move(*held_);
    held_.reset();
    if (!sup_->exited()) count(std::move(r), false);
  }

  void count(ScrapeResult r, bool theirs) {
    status_.out_of_turn = r.out_of_turn;
    ++status_.scrapes;
    status_.scrape_seconds = r.seconds;
    status_.bytes = r.bytes;
    if (theirs) {
      ++status_.foreign;
      status_.state = ScrapeStatus::State::foreign;
      status_.error.clear();
      status_.series = r.snapshot.series_total;
    } else if (r.ok) {
      status_.state = ScrapeStatus::State::ok;
      status_.ever_ok = true;
      status_.last_ok_at = status_.elapsed;
      status_.consecutive_failures = 0;
      status_.series = r.snapshot.series_total;
      status_.error.clear();
      seen_.add(r.snapshot);
      model_.add(std::move(r.snapshot));
      // A series the figures read, exported with another type: said when first seen, as the
      // figures it feeds stay blank.
      for (const auto& m : seen_.take_new_causes()) say(missing_text(m));
    } else {
      ++status_.failures;
      ++status_.consecutive_failures;
      status_.error = r.error;
      status_.state = ScrapeStatus::State::failed;
    }
    sink_.scraped(model_.figures(), status_);
  }

  int finish() {
    RunSummary s;
    s.another_process = owner_.why;
    s.have_figures = !model_.empty();
    s.figures = model_.figures();
    s.status = status_;
    s.wall_seconds = seconds(Clock::now() - start_);
    if (status_.ever_ok) {
      s.last_ok_age = std::max(0.0, s.wall_seconds - status_.last_ok_at);
      s.missing = seen_.missing();
    }
    s.command = o_.command;
    if (sup_) {
      int code = sup_->exit_code();
      s.exit_code = code;
      s.result = code;
      int sig = sup_->killed_by();
      s.ended = sig ? "killed by " + signal_word(sig) : "exited with status " + std::to_string(code);
      s.never_served = !status_.ever_ok;
    } else if (stop_signal_) {
      s.ended = "interrupted by " + signal_word(stop_signal_);
      s.result = kSignalBase + stop_signal_;
    } else {
      s.ended = ended_;
      s.result = status_.ever_ok ? kOk : kUnreachable;
      // Attached, the summary names the target already ("<target> was never reached after 3s").
      if (!status_.ever_ok)
        s.ended = status_.state == ScrapeStatus::State::failed ? "never gave a good scrape (" + status_.error + ")"
                                                               : "was never reached";
    }
    s.command_ports = owner_.ports;
    if (o_.rules) {
      const bool failed_on_data = o_.rules->status().failed;
      o_.rules->finish();
      s.rules = &o_.rules->status();
      if (s.rules->failed) s.result = kAlertFired;
      // A gate (--fail-on-alert, --assert) that never had a good scrape checked nothing: it does
      // not pass, whatever the command's status. An alert that fired on `up` = 0 still fails it.
      if (o_.rules->gate() && !status_.ever_ok && !failed_on_data && (s.result == kOk || s.result == kAlertFired))
        s.result = kUnreachable;
    }
    // Another process's endpoint: nothing of the run was seen, whatever the rules made of it; a
    // command that exited 0 fails as one whose endpoint was never reached.
    if (!owner_.why.empty()) s.result = s.exit_code && *s.exit_code != 0 ? *s.exit_code : kUnreachable;
    sink_.finish(s);
    return s.result;
  }

  // The run's state when the endpoint's current life began, to take back what it gave.
  struct Checkpoint {
    Model model;
    SeriesSeen seen;
    bool ever_ok = false;
    double last_ok_at = 0;
    int scrapes = 0, failures = 0;
  };
  struct Owner {
    bool check = false;          ///< with a command, unless --attach
    std::int64_t started_ms = 0; ///< when the command was started (wall clock)
    bool serving = false;        ///< the endpoint answered since it last refused a connection
    bool life_foreign = false;   ///< and that life is another process's
    std::optional<Checkpoint> before;
    std::string why;        ///< the first proof of another process, for the summary
    std::vector<int> ports; ///< the command's listening ports while nothing answered at the target
    std::optional<Clock::time_point> ports_looked;
  };

  const SessionOptions& o_;
  Sink& sink_;
  Model model_;
  SeriesSeen seen_; ///< which series the figures read the run's scrapes held
  ScrapeStatus status_;
  Clock::time_point start_, last_tick_ = Clock::now();
  IgnoreSigpipe ignore_sigpipe_;
  SignalPipe signals_{{SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGCHLD}};
  std::unique_ptr<Supervisor> sup_;
  std::unique_ptr<Poller> poller_;
  Owner owner_;
  std::optional<ScrapeResult> held_; ///< a refused or cut scrape while the command runs, until judged
  int stop_signal_ = 0;
  bool broken_ = false, duration_over_ = false, rules_stopped_ = false, rules_stop_ = false;
  std::string ended_;
};

} // namespace

int run_session(const SessionOptions& options, std::unique_ptr<Source> source, Sink& sink) {
  Loop loop(options, std::move(source), sink);
  return loop.run();
}

} // namespace nsmon::watch
