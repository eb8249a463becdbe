#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "nsmon/watch/format.hpp"
#include "nsmon/watch/render.hpp"
#include "nsmon/watch/rule_watch.hpp"
#include "nsmon/watch/terminal.hpp"

using namespace nsmon::watch;

namespace {

Figures sample_figures() {
  Figures f;
  f.training.epoch = 15;
  f.training.epochs_planned = 100;
  f.training.loss = 0.345;
  f.training.loss_trend = -1;
  f.training.loss_history = {2.5, 1.2, 0.8, 0.5, 0.345};
  f.training.best_loss = 0.345;
  f.training.map = 0.756;
  f.training.map_trend = 1;
  f.training.eta_seconds = 2 * 3600 + 35 * 60;
  f.inference.images = 654;
  f.inference.planned = 1000;
  f.inference.images_per_second = 2.3;
  f.rate_window_seconds = 10;
  f.inference.success = 644;
  f.inference.failed = 10;
  f.inference.success_rate = 0.985;
  f.inference.detections = 8456;
  f.inference.latency.observations = 20;
  f.inference.latency.p50.value = 0.31;
  f.inference.latency.p95.value = 10;
  f.inference.latency.p95.capped = true;
  f.inference.latency_total.observations = 654;
  f.system.gpu_utilization_percent = 82;
  f.errors.total = 3;
  f.errors.by_type = {{"TimeoutError", 2}, {"PrologError", 1}};
  return f;
}

ScrapeStatus ok_status() {
  ScrapeStatus s;
  s.state = ScrapeStatus::State::ok;
  s.ever_ok = true;
  s.target = "http://127.0.0.1:8000/metrics";
  s.elapsed = 75;
  s.series = 183;
  return s;
}

} // namespace

TEST_CASE("numbers, durations, latencies, bars", "[watch][render]") {
  CHECK(fmt::count(8456) == "8,456");
  CHECK(fmt::count(1234567) == "1,234,567");
  CHECK(fmt::count(12) == "12");
  CHECK(fmt::count(1e20) == "100000000000000000000"); // past long long: digits, not garbage
  CHECK(fmt::duration(2 * 3600 + 35 * 60) == "2h 35m");
  CHECK(fmt::duration(253) == "4m 13s");
  CHECK(fmt::duration(12.4) == "12s");
  CHECK(fmt::duration(0.85) == "0.85s");
  CHECK(fmt::latency(0.31) == "310 ms");
  CHECK(fmt::latency(1.5) == "1.50 s");
  CHECK(fmt::latency(Quantile{10.0, true}) == ">10 s");
  CHECK(fmt::latency(Quantile{}) == "-");
  CHECK(fmt::bytes(13.1e9) == "12.2 GiB");
  CHECK(fmt::percent(0.985) == "98.5%");
  CHECK(fmt::bar(0.82, 10) == "████████░░");
  CHECK(fmt::sparkline({3, 2, 1}, 10) == "█▅▁");
  CHECK(fmt::arrow(-1) == "▼");
}

TEST_CASE("display width and fitting ignore colours and count code points", "[watch][render]") {
  CHECK(fmt::width("\033[1mabc\033[0m ██") == 6);
  CHECK(fmt::fit("abcdef", 4) == "abc…");
  CHECK(fmt::width(fmt::fit("██████████", 5)) == 5);
  std::string coloured = fmt::fit("\033[31mred text here\033[0m", 5);
  CHECK(fmt::width(coloured) == 5);
  CHECK(coloured.substr(coloured.size() - 4) == "\033[0m");
}

TEST_CASE("the command's lines cannot drive the terminal", "[watch][render]") {
  CHECK(fmt::sanitize("a\033[2Jb\033]0;title\007c", false) == "abc");
  CHECK(fmt::sanitize("\033[31mred\033[0m", true) == "\033[31mred\033[0m\033[0m");
  CHECK(fmt::sanitize("\033[31mred\033[0m", false) == "red");
  CHECK(fmt::sanitize("10%\r50%\r100%", false) == "100%");
  CHECK(fmt::sanitize("a\tb\x01", false) == "a    b?");
}

TEST_CASE("the plain line: compact, no escape codes", "[watch][render]") {
  std::string line = plain_line(sample_figures(), ok_status());
  CHECK(line.find('\033') == std::string::npos);
  CHECK(line.find("[   75s] epoch 15/100 loss 0.3450 ▼ mAP 0.7560 ▲") == 0);
  CHECK(line.find("ETA 2h 35m") != std::string::npos);
  CHECK(line.find("images 654/1,000 (65%) 2.3/s (last 10s) ok 98.5% det 8,456") != std::string::npos);
  CHECK(line.find("p95 >10 s") != std::string::npos);
  CHECK(line.find("errors 3 (PrologError 1, TimeoutError 2)") != std::string::npos);
  ScrapeStatus waiting;
  waiting.state = ScrapeStatus::State::waiting;
  waiting.target = "http://127.0.0.1:8000/metrics";
  waiting.probes = 3;
  waiting.elapsed = 2;
  CHECK(plain_line(Figures{}, waiting) == "[  2.0s] waiting for metrics at http://127.0.0.1:8000/metrics (3 attempts)");
  ScrapeStatus failed = ok_status();
  failed.state = ScrapeStatus::State::failed;
  failed.error = "malformed scrape: 1 error";
  CHECK(plain_line(sample_figures(), failed).find("| scrape failed: malformed scrape: 1 error") != std::string::npos);
}

TEST_CASE("the jsonl record: fixed keys, nulls for what is absent", "[watch][render]") {
  auto j = nlohmann::json::parse(json_line(sample_figures(), ok_status()));
  CHECK(j["type"] == "stats");
  CHECK(j["training"]["epoch"] == 15);
  CHECK(j["training"]["loss_trend"] == "improving");
  CHECK(j["training"]["learning_rate"].is_null());
  CHECK(j["inference"]["latency"]["p95"] == 10.0);
  CHECK(j["inference"]["latency"]["p95_capped"] == true);
  CHECK(j["inference"]["latency"]["p99"].is_null());
  CHECK(j["errors"]["by_type"]["TimeoutError"] == 2.0);
  auto empty = nlohmann::json::parse(json_line(Figures{}, ScrapeStatus{}));
  CHECK(empty["training"]["epoch"].is_null());
  CHECK(empty["scrape"]["state"] == "starting");
}

TEST_CASE("the status block fits the width and drops lines to fit the height", "[watch][render]") {
  BlockStyle st;
  st.width = 60;
  st.height = 7;
  st.title = "detector.py";
  auto lines = status_block(sample_figures(), ok_status(), st);
  REQUIRE(lines.size() >= 4);
  for (const auto& l : lines) CHECK(fmt::width(l) <= 60);
  CHECK(lines[0].find("nsmon watch") == 0);
  CHECK(lines[1].find("Training") == 0);
  st.height = 3;
  lines = status_block(sample_figures(), ok_status(), st);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].find("Training") == 0);
  CHECK(lines[2].find("Inference") == 0);
  st.color = true;
  st.width = 200;
  lines = status_block(sample_figures(), ok_status(), st);
  CHECK(lines[0].find('\033') != std::string::npos);
}

namespace {

// watch --rules' five active alerts, in RuleWatch's order: firing first, then by severity. Each
// part reads "<name> <state> 10s".
RulesStatus five_alerts() {
  RulesStatus r;
  auto add = [&](const std::string& name, const std::string& severity, const std::string& state) {
    AlertRecord a;
    a.name = name;
    a.severity = severity;
    a.labels = {{"alertname", name}, {"severity", severity}};
    a.state = state;
    a.active_at = 60'000;
    if (state == "firing") a.fired_at = 60'000;
    r.active.push_back(a);
  };
  add("DiskFull", "critical", "firing");
  add("LossHigh", "warning", "firing");
  add("MapLow", "critical", "pending");
  add("GpuIdle", "info", "pending");
  add("QueueSlow", "info", "pending");
  return r;
}

std::string alerts_line(const RulesStatus& r, std::size_t width, bool color = false) {
  BlockStyle st;
  st.width = width;
  st.color = color;
  st.rules = &r;
  st.now_ms = 70'000;
  // Narrow, the line's label gives way to the alerts.
  for (const auto& l : status_block(Figures{}, ok_status(), st))
    if (l.find("Alerts") != std::string::npos || l.find("DiskFull") != std::string::npos) return l;
  FAIL("no Alerts line");
  return "";
}

// How many of the five alerts the line shows.
std::size_t shown(const std::string& line) {
  std::size_t n = 0;
  for (const char* name : {"DiskFull", "LossHigh", "MapLow", "GpuIdle", "QueueSlow"})
    if (line.find(name) != std::string::npos) ++n;
  return n;
}

} // namespace

TEST_CASE("the Alerts line counts the alerts it has no room for", "[watch][render]") {
  const RulesStatus r = five_alerts();
  // Two fit; the pending critical MapLow does not, and is counted with the other two.
  std::string l = alerts_line(r, 61);
  CHECK(l == "Alerts    DiskFull firing 10s · LossHigh firing 10s · +3 more");
  CHECK(fmt::width(l) <= 61);
  CHECK(shown(l) + 3 == 5);
  // One cell less: the two would fit, but not with the marker, which keeps its room.
  l = alerts_line(r, 60);
  CHECK(l == "Alerts    DiskFull firing 10s · +4 more");
  CHECK(shown(l) + 4 == 5);
  // Too narrow for the label, the first alert and the marker: the label goes, the alert and the
  // marker stay whole.
  l = alerts_line(r, 30);
  CHECK(l == "DiskFull firing 10s · +4 more");
  // Narrower still: the first alert is cut between words, the marker stays whole.
  l = alerts_line(r, 24);
  CHECK(fmt::width(l) <= 24);
  CHECK(l == "DiskFull … +4 more");
  // Colours do not count towards the width.
  l = alerts_line(r, 61, true);
  CHECK(fmt::width(l) <= 61);
  CHECK(shown(l) == 2);
  CHECK(l.find("+3 more") != std::string::npos);
}

TEST_CASE("the Alerts line shows every alert that fits, without a marker", "[watch][render]") {
  const RulesStatus r = five_alerts();
  std::string l = alerts_line(r, 200);
  CHECK(l == "Alerts    DiskFull firing 10s · LossHigh firing 10s · MapLow pending 10s · GpuIdle pending 10s · "
             "QueueSlow pending 10s");
  CHECK(l.find("more") == std::string::npos);
  // Exactly as wide as the width: still no marker.
  CHECK(alerts_line(r, fmt::width(l)) == l);
  RulesStatus quiet;
  quiet.evaluations = 3;
  CHECK(alerts_line(quiet, 40) == "Alerts    none firing (3 evaluations)");
}

TEST_CASE("the live screen: a scroll region above the block, given back at the end", "[watch][render]") {
  LiveScreen screen;
  std::string begin = screen.begin(TermSize{24, 80}, 7);
  CHECK(begin.find("\033[1;17r") != std::string::npos); // rows 1..17 scroll, 18..24 hold the block
  CHECK(begin.find("\033[?25l") != std::string::npos);
  std::string frame = screen.draw({"a", "b"});
  CHECK(frame.rfind("\033[?2026h", 0) == 0); // one synchronized update
  CHECK(frame.find("\033[18;1H\033[2Ka") != std::string::npos);
  CHECK(frame.find("\033[24;1H\033[2K") != std::string::npos);
  CHECK(screen.output("line") == "line\r\n");
  std::string resized = screen.resize(TermSize{10, 40}, 7, {"a"});
  CHECK(resized.find("\033[1;3r") != std::string::npos);
  CHECK(screen.block_rows() == 7);
  screen.resize(TermSize{5, 40}, 7, {"a"});
  CHECK(screen.block_rows() == 3); // at least two rows stay for the output
  std::string end = screen.end();
  CHECK(end.find("\033[r") != std::string::npos);
  CHECK(end.find("\033[?25h") != std::string::npos);
  CHECK_FALSE(screen.active());
  CHECK(screen.end().empty());
}

TEST_CASE("the summary says how the run ended and what it did", "[watch][render]") {
  RunSummary r;
  r.figures = sample_figures();
  r.have_figures = true;
  r.status = ok_status();
  r.command = {"detector.py"};
  r.exit_code = 0;
  r.ended = "exited with status 0";
  r.wall_seconds = 38;
  std::string text = summary_text(r, false);
  CHECK(text.find("nsmon watch: detector.py exited with status 0 after 38s") == 0);
  CHECK(text.find("15/100 epochs") != std::string::npos);
  CHECK(text.find("654 images (644 ok, 10 failed: 98.5% success)") != std::string::npos);
  auto j = nlohmann::json::parse(summary_json(r));
  CHECK(j["type"] == "summary");
  CHECK(j["exit_code"] == 0);
  CHECK(j["inference"]["images"] == 654.0);
  CHECK(j["inference"]["images"].is_number_integer()); // a counter: 654, not 654.0
  // Two clocks, each named: the detector's epoch timing and the run's wall time per epoch.
  r.figures.training.epoch_seconds = 262;
  r.figures.training.wall_epoch_seconds = 4.2;
  CHECK(summary_text(r, false).find("mean epoch 4m 22s by the detector's clock, 4.2s of wall time") !=
        std::string::npos);
  r.never_served = true;
  r.status.target = "http://127.0.0.1:8000/metrics";
  r.status.probes = 12;
  r.status.error = "connection refused";
  CHECK(summary_text(r, false).find("no metrics from the command: nsmon looked at http://127.0.0.1:8000/metrics 12 "
                                    "times (connection refused); the command listened on no TCP port") !=
        std::string::npos);
  // Where the command listened instead: the URL to watch it there; the target's own port is no news.
  r.command_ports = {8000, 9100};
  CHECK(summary_text(r, false).find("the command listened at http://127.0.0.1:9100/metrics (--metrics-url URL") !=
        std::string::npos);
}

TEST_CASE("another process's endpoint is said in every output, without figures", "[watch][render]") {
  ScrapeStatus s;
  s.state = ScrapeStatus::State::foreign;
  s.target = "http://127.0.0.1:8000/metrics";
  s.scrapes = s.foreign = 3;
  s.elapsed = 2;
  CHECK(plain_line(Figures{}, s) == "[  2.0s] http://127.0.0.1:8000/metrics is another process's, not the command's");
  auto j = nlohmann::json::parse(json_line(Figures{}, s));
  CHECK(j["scrape"]["state"] == "foreign");
  CHECK(j["scrape"]["foreign"] == 3);
  CHECK(j["scrape"]["probes"] == 0);
  BlockStyle st;
  st.width = 200;
  CHECK(status_block(Figures{}, s, st)[0].find("is another process's, not the command's") != std::string::npos);

  RunSummary r;
  r.status = s;
  r.command = {"detector.py"};
  r.exit_code = 2;
  r.result = 2;
  r.ended = "exited with status 2";
  r.never_served = true;
  r.another_process = "it answered before the command was started (pid 42: detector.py)";
  std::string text = summary_text(r, false);
  CHECK(text.find("  http://127.0.0.1:8000/metrics is another process's, not the command's: it answered before the "
                  "command was started (pid 42: detector.py); nothing it serves is the run's (--attach: watch it "
                  "anyway)\n") != std::string::npos);
  CHECK(text.find("scrapes    3 of http://127.0.0.1:8000/metrics, 0 failed, 3 another process's") != std::string::npos);
  auto sj = nlohmann::json::parse(summary_json(r));
  CHECK(sj["another_process"] == r.another_process);
  CHECK(sj["last"].is_null());
  r.another_process.clear();
  CHECK(nlohmann::json::parse(summary_json(r))["another_process"].is_null());
}

// watch's screens on narrow terminals: whatever the width (from 20 columns), a line never runs
// past it, a figure is shown whole or not at all, decoration goes before figures, and the summary
// is wrapped to the width.

namespace {

// sample_figures() with every other figure the detector exports, as `nsmon watch` shows them.
Figures full_figures() {
  Figures f = sample_figures();
  f.training.best_loss = 0.3401;
  f.training.best_map = 0.7612;
  f.training.learning_rate = 0.005;
  f.training.wall_epoch_seconds = 242;
  f.training.epoch_seconds = 262;
  f.inference.overall_images_per_second = 2.1;
  f.inference.detections_per_image = 13.1;
  f.inference.eta_seconds = 150;
  f.inference.latency.p99.value = 10;
  f.inference.latency.p99.capped = true;
  f.inference.latency_total.p95.value = 0.95;
  f.rate_window_seconds = 10;
  f.nms.mean_seconds = 0.0064;
  f.nms.count = 654;
  f.prolog.mean_seconds = 0.007;
  f.graph.mean_seconds = 0.317;
  f.graph.count = 654;
  f.detections_before_nms = 56;
  f.detections_after_nms = 24;
  f.graph_nodes = 29;
  f.graph_edges = 51;
  f.system.cpu_percent = 48;
  f.system.memory_used_bytes = 5.4 * 1024 * 1024 * 1024;
  f.system.memory_available_bytes = 21.4 * 1024 * 1024 * 1024;
  f.system.gpu_memory_allocated_bytes = 3.2 * 1024 * 1024 * 1024;
  f.system.gpu_memory_reserved_bytes = 3.8 * 1024 * 1024 * 1024;
  return f;
}

ScrapeStatus full_status() {
  ScrapeStatus s = ok_status();
  s.scrape_seconds = 0.0113;
  s.scrapes = 37;
  s.failures = 1;
  return s;
}

RunSummary full_summary() {
  RunSummary r;
  r.figures = full_figures();
  r.have_figures = true;
  r.status = full_status();
  r.command = {"/usr/bin/python3", "examples/detector/detector.py", "--epochs", "100"};
  r.exit_code = 0;
  r.result = 0;
  r.ended = "exited with status 0";
  r.wall_seconds = 38;
  r.last_ok_age = 0.3;
  return r;
}

std::vector<std::string> block(std::size_t width, bool color = false) {
  BlockStyle st;
  st.width = width;
  st.height = 7;
  st.color = color;
  st.title = "detector.py";
  return status_block(full_figures(), full_status(), st);
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t j = text.find('\n', i);
    if (j == std::string::npos) j = text.size();
    out.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// `figure` stands in `text` whole: not glued to more digits on either side, nor cut by "…".
bool whole(const std::string& text, const std::string& figure) {
  for (std::size_t at = text.find(figure); at != std::string::npos; at = text.find(figure, at + 1)) {
    auto digit = [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == ','; };
    bool left = at == 0 || !digit(text[at - 1]);
    std::size_t end = at + figure.size();
    bool right = end == text.size() || (!digit(text[end]) && text.compare(end, 3, "…") != 0);
    if (left && right) return true;
  }
  return false;
}

// A number cut short: a digit right before the ellipsis.
const std::regex kCutNumber("[0-9][.,]?…");

// The figures a user looks for first: the loss, both ETAs, the success rate, the images done.
const std::vector<std::string> kKeyFigures = {"0.3450", "2h 35m", "2m 30s", "98.5%", "654/1,000"};
const std::vector<std::size_t> kWidths = {20, 40, 60, 80, 120};

} // namespace

TEST_CASE("watch narrow: the status block never runs past the width nor cuts a number", "[watch][render]") {
  for (bool color : {false, true})
    for (std::size_t w : kWidths) {
      INFO("width " << w << (color ? ", colour" : ""));
      for (const auto& l : block(w, color)) {
        INFO(l);
        CHECK(fmt::width(l) <= w);
        CHECK_FALSE(std::regex_search(l, kCutNumber));
      }
    }
}

TEST_CASE("watch narrow: the key figures shown at 120 columns are shown whole at 40", "[watch][render]") {
  const std::string wide = joined(block(120)), narrow = joined(block(40));
  INFO("120 columns:\n" << wide << "40 columns:\n" << narrow);
  for (const auto& figure : kKeyFigures) {
    INFO(figure);
    REQUIRE(whole(wide, figure));
    CHECK(whole(narrow, figure));
  }
}

TEST_CASE("watch narrow: ETA and success rate stay while bars are drawn", "[watch][render]") {
  for (std::size_t w : kWidths) {
    const std::string text = joined(block(w));
    INFO("width " << w << ":\n" << text);
    if (text.find("█") == std::string::npos && text.find("░") == std::string::npos) continue;
    CHECK(whole(text, "ETA 2h 35m"));
    CHECK(whole(text, "ETA 2m 30s"));
    CHECK(whole(text, "98.5%"));
  }
  // Where the old layout kept the bars and dropped them (60 columns): the figures, no bars.
  const std::string at60 = joined(block(60));
  INFO(at60);
  CHECK(whole(at60, "ETA 2h 35m"));
  CHECK(whole(at60, "98.5%"));
}

TEST_CASE("watch narrow: the summary is wrapped to the width, between figures", "[watch][render]") {
  const RunSummary r = full_summary();
  const std::string unwrapped = summary_text(r, false);
  for (std::size_t w : kWidths) {
    const std::string text = summary_text(r, false, w);
    INFO("width " << w << ":\n" << text);
    REQUIRE_FALSE(text.empty());
    CHECK(text.back() == '\n');
    CHECK(text.rfind("nsmon watch: ", 0) == 0); // no blank line before it
    CHECK(text.find("\n\n") == std::string::npos);
    for (const auto& l : split_lines(text.substr(0, text.size() - 1))) {
      INFO(l);
      CHECK(fmt::width(l) <= w);
      CHECK_FALSE(std::regex_search(l, kCutNumber));
    }
    // Wrapping only moves words: the same words in the same order.
    auto words = [](const std::string& t) {
      std::vector<std::string> out;
      std::istringstream in(t);
      for (std::string word; in >> word;)
        if (word != "·") out.push_back(word); // a separator at a line break goes
      return out;
    };
    if (w >= 40) CHECK(words(text) == words(unwrapped));
  }
  const std::string narrow = summary_text(r, false, 40);
  for (const char* figure : {"15/100", "0.3450", "654", "644", "10", "98.5%", "8,456", "127.0.0.1:8000"}) {
    INFO(figure << " in\n" << narrow);
    CHECK(whole(narrow, figure));
  }
  // Colour codes take no room: the same lines with them.
  CHECK(split_lines(summary_text(r, true, 60)).size() == split_lines(summary_text(r, false, 60)).size());
  // Not wrapped for logs: one line per row, as before.
  CHECK(unwrapped.find("  inference  654 images (644 ok, 10 failed: 98.5% success) · 2.1 images/s over the run · 8,456 "
                       "detections · p95 latency 950 ms\n") != std::string::npos);
}

TEST_CASE("watch narrow: wrap breaks between pieces, then words, and only breaks a word no line holds",
          "[watch][render]") {
  CHECK(fmt::wrap("  a  ", {"one two", "three"}, " · ", 0, 5) == "  a  one two · three\n");
  CHECK(fmt::wrap("  a  ", {"one two", "three"}, " · ", 16, 0) == "  a  one two\nthree\n");
  CHECK(fmt::wrap("h: ", {"0.3452 (best 0.3401)"}, " ", 12, 2) == "h: 0.3452\n  (best\n  0.3401)\n");
  // A URL wider than the line: broken, every character kept, no line too wide.
  const std::string url = "http://127.0.0.1:8000/metrics";
  std::string text = fmt::wrap("  scrapes ", {"37 of " + url}, "", 20, 4);
  std::string rejoined;
  for (const auto& l : split_lines(text.substr(0, text.size() - 1))) {
    CHECK(fmt::width(l) <= 20);
    rejoined += l.substr(l.find_first_not_of(' '));
  }
  CHECK(rejoined.find("127.0.0.1:8000") != std::string::npos);
}

TEST_CASE("watch narrow: the live screen gives the rows back where the output stopped", "[watch][render]") {
  // Few lines of output in a tall window: the summary follows them, not the region's last row
  // (which left a run of blank lines before it).
  LiveScreen screen;
  screen.begin(TermSize{30, 60}, 7);
  screen.draw({"block"});
  const std::string end = screen.end();
  CHECK(end.find("\0337\033[r\0338") != std::string::npos); // the region reset, the cursor kept
  CHECK_FALSE(std::regex_search(end, std::regex("\033\\[[0-9]+;[0-9]+H")));
  CHECK(end.find("\033[J") != std::string::npos); // the block erased
}

TEST_CASE("watch: stalled and overdue said instead of an ETA, rates labelled, no empty line", "[watch][render]") {
  Figures f = sample_figures();
  f.rate_window_seconds = 10;
  f.training.eta_seconds.reset();
  f.training.eta_overdue_seconds = 40;
  f.inference.stalled_seconds = 75;
  const std::string line = plain_line(f, ok_status());
  CHECK(line.find("ETA overdue by 40s") != std::string::npos);
  CHECK(line.find("no progress for 1m 15s") != std::string::npos);
  CHECK(line.find("ETA 0") == std::string::npos);
  // The rate of the window, labelled as the latency line is.
  CHECK(line.find("2.3/s (last 10s)") != std::string::npos);
  BlockStyle st;
  st.width = 200;
  std::string block;
  for (const auto& l : status_block(f, ok_status(), st)) block += l + "\n";
  CHECK(block.find("ETA overdue by 40s") != std::string::npos);
  CHECK(block.find("2.3 images/s (last 10s)") != std::string::npos);
  CHECK(block.find("no progress for 1m 15s") != std::string::npos);
  // A good answer without one series the figures read: said, not "[ 0.00s] ".
  ScrapeStatus s = ok_status();
  s.elapsed = 0;
  s.series = 0;
  CHECK(plain_line(Figures{}, s) ==
        "[ 0.00s] no figures: http://127.0.0.1:8000/metrics has none of the series the figures read");
  s.series = 12;
  CHECK(plain_line(Figures{}, s) == "[ 0.00s] no figures: 12 series, none the figures read");
}

TEST_CASE("watch summary: missing series, with their cause or without a guess", "[watch][render]") {
  RunSummary r;
  r.status = ok_status();
  r.status.scrapes = 10;
  r.missing = {{"training_loss",
                "training_loss",
                "gauge",
                "exported as a counter (training_loss_total, training_loss_created); the catalog says gauge",
                {"training_loss_total", "training_loss_created"}},
               {"learning_rate", "learning_rate", "gauge", "", {}},
               {"validation_map", "validation_map", "gauge", "", {}}};
  const std::string text = summary_text(r, false);
  CHECK(text.find("  missing    training_loss: exported as a counter (training_loss_total, training_loss_created); "
                  "the catalog says gauge\n") != std::string::npos);
  CHECK(text.find("  missing    in no scrape, of the 32 series the figures read: learning_rate, validation_map\n") !=
        std::string::npos);
  auto j = nlohmann::json::parse(summary_json(r));
  REQUIRE(j["missing_series"].size() == 3);
  CHECK(j["missing_series"][0]["cause"] ==
        "exported as a counter (training_loss_total, training_loss_created); the catalog says gauge");
  CHECK(j["missing_series"][0]["scraped_instead"] == nlohmann::json{"training_loss_total", "training_loss_created"});
  CHECK(j["missing_series"][1]["cause"].is_null());
  // The whole run's rate, labelled.
  r.have_figures = true;
  r.figures.inference.images = 40;
  r.figures.inference.overall_images_per_second = 3.4;
  CHECK(summary_text(r, false).find("3.4 images/s over the run") != std::string::npos);
}
