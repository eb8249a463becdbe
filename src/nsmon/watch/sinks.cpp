#include "nsmon/watch/sinks.hpp"

#include <algorithm>
#include <cerrno>
#include <unistd.h>

#include "nsmon/core/terminal.hpp"
#include "nsmon/watch/format.hpp"
#include "nsmon/watch/render.hpp"
#include "nsmon/watch/rule_watch.hpp"
#include "nsmon/watch/terminal.hpp"

namespace nsmon::watch {

namespace {

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

/// Output for logs and pipes: the command's lines with a prefix, one compact line per interval
/// (or per epoch), the summary; no escape codes.
class PlainSink : public Sink {
public:
  PlainSink(std::string prefix, bool per_epoch, bool color)
      : prefix_(std::move(prefix)), per_epoch_(per_epoch), color_(color) {}

  void child_line(Stream s, std::string_view line) override {
    put(s == Stream::out ? 1 : 2, prefix_ + fmt::sanitize(line, false) + "\n");
  }
  void notice(std::string_view message) override { put(2, "nsmon: " + std::string(message) + "\n"); }
  void scraped(const Figures& f, const ScrapeStatus& s) override {
    if (s.out_of_turn) return; // one line per interval; the summary has the final figures
    if (per_epoch_) {
      // One line per finished epoch, and one when the scraping changes state.
      bool epoch = f.training.epoch && f.training.epoch != last_epoch_;
      bool state = s.state != last_state_;
      last_epoch_ = f.training.epoch;
      last_state_ = s.state;
      if (!epoch && !state) return;
    }
    put(1, plain_line(f, s) + "\n");
  }
  void rules(const std::vector<RuleEvent>& events, const RulesStatus& status) override {
    for (const auto& e : events) put(1, rule_event_line(e, status.start_ms) + "\n");
  }
  void finish(const RunSummary& r) override { put(1, summary_text(r, color_)); }
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
class JsonlSink final : public Sink {
public:
  JsonlSink(std::string prefix, bool per_epoch) : prefix_(std::move(prefix)), per_epoch_(per_epoch) {}
  void child_line(Stream, std::string_view line) override { put(2, prefix_ + fmt::sanitize(line, false) + "\n"); }
  void notice(std::string_view message) override { put(2, "nsmon: " + std::string(message) + "\n"); }
  void scraped(const Figures& f, const ScrapeStatus& s) override {
    if (s.out_of_turn) return; // one object per interval; the summary has the final figures
    if (per_epoch_) {
      if (!f.training.epoch || f.training.epoch == last_epoch_) return;
      last_epoch_ = f.training.epoch;
    }
    put(1, json_line(f, s) + "\n");
  }
  void rules(const std::vector<RuleEvent>& events, const RulesStatus&) override {
    for (const auto& e : events) put(1, rule_event_json(e) + "\n");
  }
  void finish(const RunSummary& r) override { put(1, summary_json(r) + "\n"); }
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
class LiveSink final : public Sink {
public:
  LiveSink(std::string title, bool color, bool rules)
      : guard_(1), title_(std::move(title)), color_(color), rows_(kBlockRows + (rules ? 1 : 0)) {
    auto size = core::terminal_size(1).value_or(TermSize{});
    put(screen_.begin(size, rows_));
    redraw();
  }
  ~LiveSink() override {
    if (screen_.active()) put(screen_.end()); // an exception on the way out: give the rows back
  }

  void child_line(Stream s, std::string_view line) override {
    std::string text = fmt::sanitize(line, color_);
    if (s == Stream::err && color_) text = "\033[31m" + text + "\033[0m";
    put(screen_.output(text));
  }
  void notice(std::string_view message) override {
    put(screen_.output(color_ ? "\033[33mnsmon: " + std::string(message) + "\033[0m"
                              : "nsmon: " + std::string(message)));
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
    auto size = core::terminal_size(1).value_or(screen_.size());
    put(screen_.resize(size, rows_, lines(size)));
  }
  void rules(const std::vector<RuleEvent>& events, const RulesStatus& status) override {
    rules_ = &status;
    // Transitions scroll above the block, as notices do.
    for (const auto& e : events) {
      std::string line = "nsmon: " + rule_event_line(e, status.start_ms);
      bool bad = e.kind == RuleEvent::Kind::firing || e.kind == RuleEvent::Kind::assert_failed ||
                 e.kind == RuleEvent::Kind::rule_error;
      put(screen_.output(color_ ? (bad ? "\033[31m" : "\033[33m") + line + "\033[0m" : line));
    }
    redraw();
  }
  void finish(const RunSummary& r) override {
    put(screen_.end());
    put(summary_text(r, color_, static_cast<std::size_t>(std::max(1, screen_.size().cols - 1))));
  }
  bool broken() const override { return broken_; }

private:
  static constexpr int kBlockRows = 7;

  std::vector<std::string> lines(TermSize size) const {
    BlockStyle st;
    st.width = static_cast<std::size_t>(std::max(1, size.cols - 1)); // never the last column: no wrap
    st.height = static_cast<std::size_t>(screen_.block_rows());
    st.color = color_;
    st.title = title_;
    st.rules = rules_;
    st.now_ms = now_ms();
    return status_block(figures_, status_, st);
  }
  void redraw() { put(screen_.draw(lines(screen_.size()))); }
  void put(std::string_view s) {
    if (!broken_ && !write_all(1, s)) broken_ = true;
  }

  TerminalGuard guard_;
  LiveScreen screen_;
  std::string title_;
  bool color_;
  bool broken_ = false;
  int rows_;
  Figures figures_;
  ScrapeStatus status_;
  const RulesStatus* rules_ = nullptr;
};

} // namespace

std::string command_name(const std::vector<std::string>& argv) {
  auto base = [](const std::string& p) { return p.substr(p.rfind('/') + 1); };
  if (argv.empty()) return "nsmon";
  std::string first = base(argv[0]);
  static const char* interpreters[] = {"python", "python3", "bash", "sh", "node", "ruby", "perl", "env"};
  for (const char* i : interpreters)
    if (first == i && argv.size() > 1 && !argv[1].empty() && argv[1][0] != '-') return base(argv[1]);
  return first;
}

std::unique_ptr<Sink> plain_sink(std::string prefix, bool per_epoch, bool color) {
  return std::make_unique<PlainSink>(std::move(prefix), per_epoch, color);
}

std::unique_ptr<Sink> jsonl_sink(std::string prefix, bool per_epoch) {
  return std::make_unique<JsonlSink>(std::move(prefix), per_epoch);
}

std::unique_ptr<Sink> live_sink(std::string title, bool color, bool rules) {
  return std::make_unique<LiveSink>(std::move(title), color, rules);
}

} // namespace nsmon::watch
