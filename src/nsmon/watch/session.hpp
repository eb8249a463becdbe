#pragma once
// watch/: supervisor, scraper, stats model, screen renderers, the sinks (live terminal, plain,
// jsonl); whose endpoint it is (`owner.*`: an answer before the command started, after it ended, or
// from a process that started before it (`process_start_time_seconds`) is another process's, left
// out of the run; the pid listening on a loopback port); the sources (`source.*`: the endpoint
// scraped with `promapi::scrape`, or `--prometheus` asked with `promapi::perform`'s instant query,
// as `nsmon query` asks it); which series the figures read no scrape held, and why (`expected.*`:
// a gauge exported as a counter); `--rules` (`rule_watch.*`: the scraped samples of the metric
// names the rules and assertions select (all with `--record`) in a bounded `engine::Storage`, the groups
// evaluated when due by `ruletest::GroupEvaluator`, `--assert`, alert transitions) and `--record`
// (`record.*`: the store as a promtool test or OpenMetrics; with `--alertmanager`, the test carries
// `nsmon.alertmanager_tests`).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/watch/expected.hpp"
#include "nsmon/watch/source.hpp"
#include "nsmon/watch/stats.hpp"
#include "nsmon/watch/supervisor.hpp"

// One `nsmon watch` run: the event loop over signals, the command's output and the scrapes.
// What is shown, and how, is the Sink's business (cli/ implements it for the terminal, plain
// lines and jsonl); the session decides nothing about output.

namespace nsmon::watch {

class RuleWatch;
struct RuleEvent;
struct RulesStatus;

/// The state of the scraping, as shown next to the figures.
struct ScrapeStatus {
  /// foreign: the endpoint is another process's, not the command's (see owner.hpp).
  enum class State { starting, waiting, ok, failed, foreign };
  State state = State::starting;
  std::string target; ///< the URL (or Prometheus) being read
  std::string error;  ///< the last failure
  /// Fetches that found nothing listening before the endpoint first answered: waiting for it to
  /// come up, neither scrapes nor failures.
  int probes = 0;
  int scrapes = 0; ///< attempts once something answered (or failed otherwise than by not listening)
  int failures = 0;
  int foreign = 0; ///< answers of another process's endpoint: not the run's
  int consecutive_failures = 0;
  bool ever_ok = false;   ///< a good scrape of the run's (with a command: of the command's endpoint)
  std::size_t series = 0; ///< in the last good scrape
  std::size_t bytes = 0;
  double scrape_seconds = 0; ///< duration of the last fetch
  double elapsed = 0;        ///< wall seconds since the session started
  double last_ok_at = 0;     ///< `elapsed` of the last good scrape
  /// The last scrape was asked for by the command's output or exit: the screen shows it, the
  /// line-per-interval outputs (plain, jsonl) print nothing for it.
  bool out_of_turn = false;
};

/// What the session ended with; the Sink prints it.
struct RunSummary {
  Figures figures;
  bool have_figures = false;
  ScrapeStatus status;
  double wall_seconds = 0;
  std::vector<std::string> command; ///< empty when attached
  std::optional<int> exit_code;     ///< the command's (shell style: 128 + signal)
  std::string ended;                ///< how it ended, in words
  bool never_served = false;        ///< the command ended before any scrape succeeded
  /// While nothing answered at the target: the ports the command (or a process it started)
  /// listened on, where its metrics may be instead.
  std::vector<int> command_ports;
  /// Why the endpoint is another process's ("it answered before the command was started (pid
  /// 123: ...)"); empty when nothing said so, or when that was meant (--attach). Its answers are
  /// not in the figures.
  std::string another_process;
  /// The series the figures read that no good scrape held (with the likely cause when the scrapes
  /// show one); empty when nothing was scraped.
  std::vector<MissingSeries> missing;
  std::optional<double> last_ok_age;  ///< seconds from the last good scrape to the end
  int result = 0;                     ///< nsmon's exit status
  const RulesStatus* rules = nullptr; ///< watch --rules: the alerts and assertions of the run
};

class Sink {
public:
  virtual ~Sink() = default;
  /// A line the command wrote.
  virtual void child_line(Stream stream, std::string_view line) = 0;
  /// Something nsmon did or noticed ("forwarded SIGINT ...").
  virtual void notice(std::string_view message) = 0;
  /// After each scrape (good or not).
  virtual void scraped(const Figures& figures, const ScrapeStatus& status) = 0;
  /// The terminal changed size.
  virtual void resized() {}
  /// Once a second, for clocks on screen.
  virtual void tick(const ScrapeStatus& status) { (void)status; }
  /// watch --rules: after an evaluation or a scrape that changed something (alerts' transitions,
  /// assertions' verdicts, rule errors), with the state now.
  virtual void rules(const std::vector<RuleEvent>& events, const RulesStatus& status) {
    (void)events;
    (void)status;
  }
  /// The end.
  virtual void finish(const RunSummary& summary) = 0;
  /// True once the output can no longer be written (a closed pipe): the session then stops the
  /// command as if it had received SIGTERM.
  virtual bool broken() const { return false; }
};

struct SessionOptions {
  std::vector<std::string> command; ///< empty: attach to a running detector
  std::chrono::milliseconds interval{2000};
  std::chrono::milliseconds grace{10000};
  std::chrono::milliseconds kill_after{3000};
  std::optional<double> duration; ///< stop after this many seconds
  std::optional<double> planned_images;
  double rate_window = 10;
  int gone_after = 3; ///< attached: stop after this many failed scrapes in a row once it had answered
  /// watch --rules: fed every scrape, evaluated when a group is due; its failure (an alert at
  /// --fail-on-alert, an assertion) makes the result kAlertFired.
  RuleWatch* rules = nullptr;
  bool stop_on_failure = false; ///< --stop-on-alert: the command gets SIGTERM (attached: the run ends)
  /// With a command: the endpoint is meant to be another process's (--attach, or a Prometheus
  /// server). Otherwise an answer that cannot be the command's (owner.hpp) is left out of the
  /// figures and the rules, said once, and fails the run.
  bool attach = false;
};

/// Runs the session to its end and returns nsmon's exit status: with a command whose endpoint was
/// another process's, the command's status or 3 when that is 0; else kAlertFired when the rules
/// failed the run, else the command's (128 + signal when it was killed), or when attached 0
/// (duration over or the endpoint gone), 3 (never reached), 128 + signal (interrupted). Throws
/// nsmon::Error when the command cannot be started.
int run_session(const SessionOptions& options, std::unique_ptr<Source> source, Sink& sink);

} // namespace nsmon::watch
