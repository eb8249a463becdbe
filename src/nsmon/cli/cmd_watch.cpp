#include <CLI/CLI.hpp>
#include <cerrno>
#include <cmath>
#include <iostream>
#include <unistd.h>

#include "nsmon/cli/common.hpp"
#include "nsmon/cli/exit_codes.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/http/client.hpp"
#include "nsmon/watch/format.hpp"
#include "nsmon/watch/render.hpp"
#include "nsmon/watch/session.hpp"
#include "nsmon/watch/terminal.hpp"

namespace nsmon::cli {

namespace {

using watch::Figures;
using watch::RunSummary;
using watch::ScrapeStatus;
using watch::Stream;

struct WatchOptions {
  std::vector<std::string> command;
  std::string metrics_url = "http://127.0.0.1:8000/metrics";
  std::string prometheus;
  std::string selector;
  std::string format = "auto";
  std::string every = "interval";
  double interval = 2;
  double grace = 10;
  double kill_after = 3;
  double timeout = 0;
  double rate_window = 10;
  double duration = 0;
  double total_images = 0;
  std::string prefix;
};

/// The exit code when the command cannot be started at all (a shell's "command not found").
constexpr int kCannotRun = 127;

// Writes everything; false once the reader has gone (EPIPE), so that the session can stop.
bool write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// "detector.py" for `python3 examples/detector/detector.py --epochs 3`: the script, not the
// interpreter, names the lines it writes.
std::string short_name(const std::vector<std::string>& argv) {
  auto base = [](const std::string& p) { return p.substr(p.rfind('/') + 1); };
  if (argv.empty()) return "nsmon";
  std::string first = base(argv[0]);
  static const char* interpreters[] = {"python", "python3", "bash", "sh", "node", "ruby", "perl", "env"};
  for (const char* i : interpreters)
    if (first == i && argv.size() > 1 && !argv[1].empty() && argv[1][0] != '-') return base(argv[1]);
  return first;
}

/// Output for logs and pipes: the command's lines with a prefix, one compact line per interval
/// (or per epoch), the summary; no escape codes.
class PlainSink : public watch::Sink {
public:
  PlainSink(std::string prefix, bool per_epoch, bool color) : prefix_(std::move(prefix)), per_epoch_(per_epoch), color_(color) {}

  void child_line(Stream s, std::string_view line) override {
    put(s == Stream::out ? 1 : 2, prefix_ + watch::fmt::sanitize(line, false) + "\n");
  }
  void notice(std::string_view message) override { put(2, "nsmon: " + std::string(message) + "\n"); }
  void scraped(const Figures& f, const ScrapeStatus& s) override {
    if (per_epoch_) {
      // One line per finished epoch, and one when the scraping changes state.
      bool epoch = f.training.epoch && f.training.epoch != last_epoch_;
      bool state = s.state != last_state_;
      last_epoch_ = f.training.epoch;
      last_state_ = s.state;
      if (!epoch && !state) return;
    }
    put(1, watch::plain_line(f, s) + "\n");
  }
  void finish(const RunSummary& r) override { put(1, watch::summary_text(r, color_)); }
  bool broken() const override { return broken_; }

protected:
  void put(int fd, std::string_view s) {
    if (!broken_ && !write_all(fd, s)) broken_ = true;
  }

private:
  std::string prefix_;
  bool per_epoch_;
  bool color_;
  bool broken_ = false;
  std::optional<int> last_epoch_;
  ScrapeStatus::State last_state_ = ScrapeStatus::State::starting;
};

/// --format jsonl: stdout carries only JSON objects; the command's lines go to stderr.
class JsonlSink final : public watch::Sink {
public:
  JsonlSink(std::string prefix, bool per_epoch) : prefix_(std::move(prefix)), per_epoch_(per_epoch) {}
  void child_line(Stream, std::string_view line) override {
    put(2, prefix_ + watch::fmt::sanitize(line, false) + "\n");
  }
  void notice(std::string_view message) override { put(2, "nsmon: " + std::string(message) + "\n"); }
  void scraped(const Figures& f, const ScrapeStatus& s) override {
    if (per_epoch_) {
      if (!f.training.epoch || f.training.epoch == last_epoch_) return;
      last_epoch_ = f.training.epoch;
    }
    put(1, watch::json_line(f, s) + "\n");
  }
  void finish(const RunSummary& r) override { put(1, watch::summary_json(r) + "\n"); }
  bool broken() const override { return broken_; }

private:
  void put(int fd, std::string_view s) {
    if (!broken_ && !write_all(fd, s)) broken_ = true;
  }
  std::string prefix_;
  bool per_epoch_;
  bool broken_ = false;
  std::optional<int> last_epoch_;
};

/// A terminal: the status block pinned at the bottom, the command's output scrolling above it.
class LiveSink final : public watch::Sink {
public:
  LiveSink(std::string title, bool color) : guard_(1), title_(std::move(title)), color_(color) {
    auto size = watch::terminal_size(1).value_or(watch::TermSize{});
    put(screen_.begin(size, kBlockRows));
    redraw();
  }
  ~LiveSink() override {
    if (screen_.active()) put(screen_.end()); // an exception on the way out: give the rows back
  }

  void child_line(Stream s, std::string_view line) override {
    std::string text = watch::fmt::sanitize(line, color_);
    if (s == Stream::err && color_) text = "\033[31m" + text + "\033[0m";
    put(screen_.output(text));
  }
  void notice(std::string_view message) override {
    put(screen_.output(color_ ? "\033[33mnsmon: " + std::string(message) + "\033[0m" : "nsmon: " + std::string(message)));
  }
  void scraped(const Figures& f, const ScrapeStatus& s) override {
    figures_ = f;
    status_ = s;
    redraw();
  }
  void tick(const ScrapeStatus& s) override {
    status_.elapsed = s.elapsed;
    redraw();
  }
  void resized() override {
    auto size = watch::terminal_size(1).value_or(screen_.size());
    put(screen_.resize(size, kBlockRows, lines(size)));
  }
  void finish(const RunSummary& r) override {
    put(screen_.end());
    put(watch::summary_text(r, color_));
  }
  bool broken() const override { return broken_; }

private:
  static constexpr int kBlockRows = 7;

  std::vector<std::string> lines(watch::TermSize size) const {
    watch::BlockStyle st;
    st.width = static_cast<std::size_t>(std::max(1, size.cols - 1)); // never the last column: no wrap
    st.height = static_cast<std::size_t>(screen_.block_rows());
    st.color = color_;
    st.title = title_;
    return watch::status_block(figures_, status_, st);
  }
  void redraw() { put(screen_.draw(lines(screen_.size()))); }
  void put(std::string_view s) {
    if (!broken_ && !write_all(1, s)) broken_ = true;
  }

  watch::TerminalGuard guard_;
  watch::LiveScreen screen_;
  std::string title_;
  bool color_;
  bool broken_ = false;
  Figures figures_;
  ScrapeStatus status_;
};

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

int run_watch(const WatchOptions& o) {
  // Usage first: nothing is started before the command line is known to make sense.
  if (o.interval < 0.05) throw UsageError("--interval must be at least 0.05 seconds");
  if (!o.prometheus.empty() && o.metrics_url != "http://127.0.0.1:8000/metrics")
    throw UsageError("--metrics-url and --prometheus are two ways to read the stats: give one");
  if (!o.selector.empty() && o.prometheus.empty()) throw UsageError("--selector goes with --prometheus");
  const bool tty = core::is_terminal(1);
  const char* term = std::getenv("TERM");
  const bool dumb = term && std::string(term) == "dumb";
  std::string format = o.format;
  if (format == "auto") format = tty && !dumb ? "live" : "plain";
  if (format == "live" && !tty) throw UsageError("--format live needs a terminal on standard output");

  auto client = std::shared_ptr<http::Client>(http::make_curl_client());
  const double timeout = o.timeout > 0 ? o.timeout : std::clamp(o.interval, 1.0, 10.0);
  std::unique_ptr<watch::Source> source =
      o.prometheus.empty() ? watch::endpoint_source(client, o.metrics_url, timeout)
                           : watch::prometheus_source(client, o.prometheus, o.selector, timeout);

  watch::SessionOptions so;
  so.command = o.command;
  so.interval = ms(o.interval);
  so.grace = ms(o.grace);
  so.kill_after = ms(o.kill_after);
  so.rate_window = o.rate_window;
  if (o.duration > 0) so.duration = o.duration;
  if (o.total_images > 0) so.planned_images = o.total_images;

  const std::string name = o.command.empty() ? source->describe() : short_name(o.command);
  const std::string prefix = o.prefix.empty() ? "[" + name + "] " : o.prefix;
  const bool color = core::use_color(core::parse_color_mode(global_options().color), 1);
  const bool per_epoch = o.every == "epoch";
  std::unique_ptr<watch::Sink> sink;
  if (format == "jsonl") sink = std::make_unique<JsonlSink>(prefix, per_epoch);
  else if (format == "live") sink = std::make_unique<LiveSink>(name, color);
  else sink = std::make_unique<PlainSink>(prefix, per_epoch, color && format != "plain");
  try {
    return watch::run_session(so, std::move(source), *sink);
  } catch (const Error& e) {
    sink.reset(); // the terminal first, then the message
    std::cerr << "nsmon: error: " << e.what() << "\n";
    return o.command.empty() ? kUsage : kCannotRun;
  }
}

constexpr const char* kHelp = R"(Running:
  nsmon watch [options] -- COMMAND [ARGS...]   starts COMMAND (no shell) and shows its stats
  nsmon watch [options]                        attaches to a detector that is already running

  The command's metrics endpoint (--metrics-url) is scraped every --interval; until it answers,
  nsmon says it is waiting. A scrape that fails or does not parse is shown as such and watching
  goes on. The command's stdout and stderr are shown (with a prefix in logs, above the status
  block on a terminal). Ctrl-C, SIGTERM and SIGHUP are forwarded to the command; a second Ctrl-C,
  or --grace seconds without it ending, sends SIGTERM to its process group, and --kill-after
  seconds later SIGKILL. nsmon always reaps it and leaves nothing running.
  --prometheus URL reads the same stats from a Prometheus server that scrapes the detector
  (--selector narrows it down, e.g. --selector 'job="neurosymbolic-app"').

Output (--format):
  live    (a terminal) a status block pinned at the bottom, redrawn in place, resized with the
          window; the command's output scrolls above it; the terminal is restored at the end
  plain   (not a terminal: CI logs, | tee) one compact line per interval (--every epoch: per
          epoch), the command's lines prefixed with [NAME], no escape codes
  jsonl   one JSON object per interval with every figure ("type": "stats"), then the summary
          ("type": "summary"); the command's output goes to stderr
  auto    live on a terminal (unless TERM=dumb), plain otherwise
  Colour follows --color, NO_COLOR and CLICOLOR_FORCE. A summary ends every run.

Figures (each shown only when the detector exports its metrics):
  training   epoch / planned, loss and its trend, best loss, mAP and its trend, learning rate,
             mean epoch time, ETA
  inference  images (and progress with --total-images), images/s over --rate-window, success
             rate, detections, latency p50/p95/p99 from inference_time_seconds bucket deltas,
             computed as Prometheus's histogram_quantile (">10 s": above the top bucket)
  symbolic   NMS, Prolog and graph construction times; system: CPU, RAM, GPU; errors by type

Examples:
  nsmon watch -- examples/detector/detector.py --epochs 5
  nsmon watch --format jsonl --interval 1 -- ./train.sh > stats.jsonl
  nsmon watch --metrics-url http://10.0.0.5:8000/metrics --every epoch
  nsmon watch --prometheus http://localhost:9090 --selector 'job="neurosymbolic-app"'

Exit codes: the command's exit status (128 + signal when it was killed; 127 when it cannot be
started); attached: 0 at the end (--duration, or the endpoint went away), 3 when the endpoint
never answered, 128 + signal when interrupted; 2 usage error.)";

} // namespace

void add_watch(CLI::App& app) {
  auto o = std::make_shared<WatchOptions>();
  auto* cmd = app.add_subcommand("watch", "Run the detector and show live training and inference stats");
  cmd->add_option("COMMAND", o->command, "The command to run and watch (after --)");
  cmd->add_option("--metrics-url", o->metrics_url, "Metrics endpoint to scrape (default http://127.0.0.1:8000/metrics)")
      ->option_text("URL");
  cmd->add_option("--prometheus", o->prometheus, "Read the stats from this Prometheus server instead")
      ->option_text("URL");
  cmd->add_option("--selector", o->selector, "Label matchers for --prometheus, e.g. job=\"neurosymbolic-app\"")
      ->option_text("MATCHERS");
  cmd->add_option("--interval", o->interval, "Seconds between scrapes (default 2)")->option_text("SECONDS");
  cmd->add_option("--format", o->format, "Output: auto, live, plain, jsonl")
      ->check(CLI::IsMember({"auto", "live", "plain", "jsonl"}))
      ->default_str("auto");
  cmd->add_option("--every", o->every, "Plain and jsonl output: a line per interval or per epoch")
      ->check(CLI::IsMember({"interval", "epoch"}))
      ->default_str("interval");
  cmd->add_option("--grace", o->grace, "Seconds the command has after a forwarded signal before SIGTERM (default 10)")
      ->check(CLI::NonNegativeNumber)
      ->option_text("SECONDS");
  cmd->add_option("--kill-after", o->kill_after, "Seconds between SIGTERM and SIGKILL (default 3)")
      ->check(CLI::NonNegativeNumber)
      ->option_text("SECONDS");
  cmd->add_option("--timeout", o->timeout, "Seconds a scrape may take (default: the interval, 1 to 10)")
      ->check(CLI::PositiveNumber)
      ->option_text("SECONDS");
  cmd->add_option("--rate-window", o->rate_window, "Seconds images/s and the latency quantiles cover (default 10)")
      ->check(CLI::PositiveNumber)
      ->option_text("SECONDS");
  cmd->add_option("--duration", o->duration, "Stop after this many seconds (the command gets SIGTERM)")
      ->check(CLI::PositiveNumber)
      ->option_text("SECONDS");
  cmd->add_option("--total-images", o->total_images, "Images the inference run will process (for progress and ETA)")
      ->check(CLI::PositiveNumber)
      ->option_text("N");
  cmd->add_option("--prefix", o->prefix, "Prefix of the command's lines in plain and jsonl output (default [NAME] )")
      ->option_text("TEXT");
  cmd->footer(kHelp);
  cmd->callback([o] { throw Exit{run_watch(*o)}; });
}

} // namespace nsmon::cli
