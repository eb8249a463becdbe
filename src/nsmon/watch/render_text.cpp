// The human-readable outputs of `nsmon watch`: the compact log line, the live status block and
// the summary. Each figure is shown only when the detector exports what it is computed from.
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "nsmon/watch/format.hpp"
#include "nsmon/watch/owner.hpp"
#include "nsmon/watch/render.hpp"
#include "nsmon/watch/rule_watch.hpp"

namespace nsmon::watch {

namespace {

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// The windowed quantiles while images flow; since the start otherwise ("all").
std::pair<const Latency*, bool> latency_to_show(const Inference& in) {
  if (in.latency.observations > 0) return {&in.latency, false};
  if (in.latency_total.observations > 0) return {&in.latency_total, true};
  return {nullptr, false};
}

std::string epoch_text(const Training& t) {
  if (!t.epoch) return "";
  return std::to_string(*t.epoch) + (t.epochs_planned ? "/" + std::to_string(*t.epochs_planned) : "");
}

std::string images_text(const Inference& in) {
  std::string s = fmt::count(*in.images);
  if (in.planned && *in.planned > 0)
    s += "/" + fmt::count(*in.planned) + " (" + fmt::percent(*in.images / *in.planned, 0) + ")";
  return s;
}

std::string errors_text(const Errors& e, const std::string& sep) {
  std::vector<std::string> parts;
  for (const auto& [type, n] : e.by_type) parts.push_back(type + " " + fmt::count(n));
  return join(parts, sep);
}

// Past the ETA with epochs to come, or no image over the rate window with images to come: said
// instead of an ETA that would read 0 while the command hangs.
std::string overdue_text(double seconds) { return "ETA overdue by " + fmt::duration(seconds); }
std::string stalled_text(double seconds) { return "no progress for " + fmt::duration(seconds); }

std::string waiting_text(const ScrapeStatus& s) {
  std::string out = "waiting for metrics at " + s.target;
  if (s.probes > 0) out += " (" + std::to_string(s.probes) + (s.probes == 1 ? " attempt" : " attempts") + ")";
  return out;
}

} // namespace

std::string plain_line(const Figures& f, const ScrapeStatus& s) {
  std::string head = fmt::elapsed(s.elapsed) + " ";
  if (s.state == ScrapeStatus::State::waiting || s.state == ScrapeStatus::State::starting)
    return head + waiting_text(s);
  if (s.state == ScrapeStatus::State::foreign) return head + s.target + " is another process's, not the command's";
  if (!s.ever_ok) return head + "no metrics from " + s.target + ": " + s.error;

  const Training& t = f.training;
  std::vector<std::string> train;
  if (t.epoch) train.push_back("epoch " + epoch_text(t));
  if (t.loss)
    train.push_back("loss " + fmt::fixed(*t.loss, 4) + (t.loss_trend ? " " + fmt::arrow(t.loss_trend) : "") +
                    (t.best_loss && *t.best_loss != *t.loss ? " (best " + fmt::fixed(*t.best_loss, 4) + ")" : ""));
  if (t.map) train.push_back("mAP " + fmt::fixed(*t.map, 4) + (t.map_trend ? " " + fmt::arrow(t.map_trend) : ""));
  if (t.learning_rate) train.push_back("lr " + fmt::fixed(*t.learning_rate, 6));
  if (t.eta_seconds) train.push_back("ETA " + fmt::duration(*t.eta_seconds));
  if (t.eta_overdue_seconds) train.push_back(overdue_text(*t.eta_overdue_seconds));

  const Inference& in = f.inference;
  std::vector<std::string> infer;
  if (in.images && (*in.images > 0 || in.latency_total.observations > 0)) {
    infer.push_back("images " + images_text(in));
    if (in.images_per_second)
      infer.push_back(fmt::fixed(*in.images_per_second, 1) + "/s (last " + fmt::duration(f.rate_window_seconds) + ")");
    if (in.stalled_seconds) infer.push_back(stalled_text(*in.stalled_seconds));
    if (in.success_rate) infer.push_back("ok " + fmt::percent(*in.success_rate));
    if (in.detections)
      infer.push_back("det " + fmt::count(*in.detections) +
                      (in.detections_per_image ? " (" + fmt::fixed(*in.detections_per_image, 1) + "/img)" : ""));
    if (auto [l, all] = latency_to_show(in); l)
      infer.push_back("p50 " + fmt::latency(l->p50) + " p95 " + fmt::latency(l->p95) + " p99 " + fmt::latency(l->p99) +
                      (all ? " (all)" : ""));
  }

  std::vector<std::string> sys;
  const System& y = f.system;
  if (y.cpu_percent) sys.push_back("cpu " + fmt::fixed(*y.cpu_percent, 0) + "%");
  if (y.memory_used_bytes) sys.push_back("mem " + fmt::bytes(*y.memory_used_bytes));
  if (y.gpu_utilization_percent) sys.push_back("gpu " + fmt::fixed(*y.gpu_utilization_percent, 0) + "%");
  if (y.gpu_memory_allocated_bytes) sys.push_back("gpu mem " + fmt::bytes(*y.gpu_memory_allocated_bytes));

  std::string errs;
  if (f.errors.total && *f.errors.total > 0)
    errs = "errors " + fmt::count(*f.errors.total) + " (" + errors_text(f.errors, ", ") + ")";

  std::string body = join({join(train, " "), join(infer, " "), join(sys, " "), errs}, " | ");
  // A good answer without one series the figures read (a server that has none yet, a script
  // exporting other names): said, not an empty line.
  if (body.empty())
    body =
        "no figures: " + (s.series == 0 ? s.target + " has none of the series the figures read"
                                        : fmt::count(static_cast<double>(s.series)) + " series, none the figures read");
  std::string line = head + body;
  if (s.state == ScrapeStatus::State::failed) line += " | scrape failed: " + s.error;
  return line;
}

namespace {

struct Painter {
  bool color;
  std::string operator()(const std::string& s, const char* code) const {
    return color && !s.empty() ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  }
  std::string label(const std::string& s) const { return (*this)(s, "1"); }
  std::string good_bad(const std::string& s, bool good) const { return (*this)(s, good ? "32" : "31"); }
};

std::string trend_text(int trend, bool lower_is_better, const Painter& p) {
  if (trend == 0) return "";
  bool good = (trend < 0) == lower_is_better;
  return p.good_bad(fmt::arrow(trend) + (good ? " improving" : " worsening"), good);
}

std::string bar_with(double fraction, int width, const Painter& p) {
  return p(fmt::bar(fraction, width), fraction > 0.9 ? "33" : "36");
}

} // namespace

namespace {

// The last resort of a line: cut between words, so that what is shown of it is whole.
std::string fit_words(const std::string& s, std::size_t width) {
  if (fmt::width(s) <= width) return s;
  std::string cut = fmt::fit(s, width);
  std::size_t space = cut.rfind(' ');
  if (space == std::string::npos || width < 2) return fmt::fit(s, std::min<std::size_t>(width, 1));
  return s.substr(0, space) + (s.find('\033') != std::string::npos ? "\033[0m" : "") + " …";
}

// One line of the block: a label and parts, each with a priority (0 = always shown) and up to three
// forms: as drawn with room, `plain` without its decoration (bars, trend words), `compact` in
// fewer words. When the line is too wide, what goes first is what says least: the secondary
// figures (priority above kFigure), then decoration, then the figures of kFigure, then the line's
// label, the parts' longer wording and the separators' dots, then the key figures (kKey:
// ETA, success rate), then parts of priority 0 from the end; parts of one priority go last
// first. A figure is shown whole or not at all: only a first part that no line can hold is cut,
// between words. A line that counts what it drops (the Alerts line: nothing may vanish unsaid)
// ends with "+N more" then, and the room for that marker is kept.
class BlockLine {
public:
  static constexpr int kKey = 1;    ///< key figures: kept until only the wording can go before them
  static constexpr int kFigure = 2; ///< figures kept before decoration

  BlockLine(int priority, std::string label) : priority_(priority), label_(std::move(label)) {}
  BlockLine& add(std::string text, int prio, std::string plain = {}, std::string compact = {}) {
    if (text.empty()) return *this;
    if (plain.empty()) plain = text;
    if (compact.empty()) compact = plain;
    parts_.push_back({{std::move(text), std::move(plain), std::move(compact)}, prio});
    return *this;
  }
  BlockLine& count_dropped(const Painter& p) {
    marker_ = p;
    return *this;
  }
  bool empty() const { return parts_.empty(); }
  int priority() const { return priority_; }

  std::string render(const std::string& sep, const std::string& tight_sep, std::size_t width) const {
    auto parts = parts_;
    std::size_t form = 0; // 0 as drawn, 1 plain, 2 compact
    std::string label = label_;
    const std::string* s = &sep;
    auto text = [&] {
      std::string out = label;
      for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? *s : "") + parts[i].forms[form];
      return out;
    };
    auto more = [&]() -> std::string {
      std::size_t dropped = parts_.size() - parts.size();
      if (!marker_ || dropped == 0) return "";
      return (parts.empty() ? "" : *s) + (*marker_)("+" + std::to_string(dropped) + " more", "1");
    };
    auto too_wide = [&] { return fmt::width(text() + more()) > width; };
    // Drops the last of the least important parts whose priority is at least `floor`.
    auto drop = [&](int floor) {
      while (too_wide()) {
        std::size_t worst = parts.size();
        for (std::size_t i = 0; i < parts.size(); ++i)
          if (parts[i].prio >= floor && (worst == parts.size() || parts[i].prio >= parts[worst].prio)) worst = i;
        if (worst == parts.size()) return;
        parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(worst));
      }
    };
    drop(kFigure + 1);
    if (too_wide()) form = 1;
    drop(kFigure);
    if (too_wide()) label.clear();
    if (too_wide()) form = 2;
    if (too_wide()) s = &tight_sep;
    drop(kKey);
    // Priority 0 from the end, the first part kept.
    while (too_wide() && parts.size() > 1) parts.pop_back();
    std::string tail = more();
    std::size_t tail_width = fmt::width(tail);
    if (tail_width >= width) return fmt::fit(text() + tail, width);
    return fit_words(text(), width - tail_width) + tail;
  }

private:
  struct Part {
    std::array<std::string, 3> forms;
    int prio;
  };
  int priority_;
  std::string label_;
  std::vector<Part> parts_;
  std::optional<Painter> marker_; ///< set: the line ends with "+N more" when parts were dropped
};

} // namespace

std::vector<std::string> status_block(const Figures& f, const ScrapeStatus& s, const BlockStyle& st) {
  const Painter p{st.color};
  const int bw = st.width >= 110 ? 10 : 6;
  const std::string sep = p(" · ", "2");
  std::vector<BlockLine> lines;

  // Header: what is watched, for how long, and the state of the scraping.
  std::string state, short_state;
  switch (s.state) {
  case ScrapeStatus::State::starting:
  case ScrapeStatus::State::waiting:
    state = p(waiting_text(s), "33");
    short_state = p("waiting" + (s.probes > 0 ? " (" + std::to_string(s.probes) + ")" : std::string()), "33");
    break;
  case ScrapeStatus::State::ok:
    state =
        "scrape ok (" + fmt::count(static_cast<double>(s.series)) + " series, " + fmt::latency(s.scrape_seconds) + ")";
    short_state = "scrape ok";
    break;
  case ScrapeStatus::State::failed:
    state = p("scrape failed: " + s.error, "31");
    short_state = p("scrape failed", "31");
    break;
  case ScrapeStatus::State::foreign:
    state = p(s.target + " is another process's, not the command's", "31");
    short_state = p("another process's endpoint", "31");
    break;
  }
  lines.push_back(BlockLine(0, "")
                      .add(p("nsmon watch", "1;36"), 0)
                      .add(st.title, 0)
                      .add(fmt::duration(s.elapsed), 0)
                      .add(state, 0, state, short_state));

  const Training& t = f.training;
  if (t.epoch || t.loss || t.map) {
    BlockLine l(1, p.label("Training  "));
    if (t.epoch) {
      std::string e = "Epoch " + epoch_text(t);
      if (t.epochs_planned && *t.epochs_planned > 0)
        l.add(e + " " + bar_with(static_cast<double>(*t.epoch) / *t.epochs_planned, bw, p), 0, e);
      else l.add(e, 0);
    }
    if (t.loss) {
      const std::string loss = "Loss " + fmt::fixed(*t.loss, 4);
      const bool good = (t.loss_trend < 0);
      l.add(loss + (t.loss_trend ? " " + trend_text(t.loss_trend, true, p) : ""), 0,
            loss + (t.loss_trend ? " " + p.good_bad(fmt::arrow(t.loss_trend), good) : ""), loss);
      l.add(p(fmt::sparkline(t.loss_history, 12), "36"), 5);
      if (t.best_loss) l.add("best " + fmt::fixed(*t.best_loss, 4), 4);
    }
    if (t.map)
      l.add("mAP " + fmt::fixed(*t.map, 4) +
                (t.map_trend ? " " + p.good_bad(fmt::arrow(t.map_trend), t.map_trend > 0) : ""),
            2, {}, "mAP " + fmt::fixed(*t.map, 4));
    if (t.learning_rate) l.add("lr " + fmt::fixed(*t.learning_rate, 6), 4);
    // The wall clock's, like the ETA beside it; the detector's own timing until an epoch ended.
    if (t.wall_epoch_seconds) l.add(fmt::duration(*t.wall_epoch_seconds) + "/epoch", 3);
    else if (t.epoch_seconds) l.add(fmt::duration(*t.epoch_seconds) + "/epoch (detector)", 3);
    if (t.eta_seconds) l.add("ETA " + fmt::duration(*t.eta_seconds), 1);
    if (t.eta_overdue_seconds) l.add(p(overdue_text(*t.eta_overdue_seconds), "33"), 1);
    lines.push_back(std::move(l));
  }

  const Inference& in = f.inference;
  if (in.images && (*in.images > 0 || in.latency_total.observations > 0)) {
    BlockLine l(2, p.label("Inference "));
    const std::string prog = "Progress " + images_text(in);
    const bool planned = in.planned && *in.planned > 0;
    // Compact: the counts without the percentage they imply.
    const std::string counts = fmt::count(*in.images) + (planned ? "/" + fmt::count(*in.planned) : "") + " images";
    if (planned) l.add(prog + " " + bar_with(*in.images / *in.planned, bw, p), 0, prog, counts);
    else l.add(prog, 0, prog, counts);
    // Over the rate window, as the latency line says; the summary's rate is the whole run's.
    if (in.images_per_second)
      l.add(fmt::fixed(*in.images_per_second, 1) + " images/s (last " + fmt::duration(f.rate_window_seconds) + ")", 2,
            {}, fmt::fixed(*in.images_per_second, 1) + " images/s");
    if (in.success_rate)
      l.add("Success " + fmt::percent(*in.success_rate), 1, {}, "ok " + fmt::percent(*in.success_rate));
    if (in.detections)
      l.add("Detections " + fmt::count(*in.detections) +
                (in.detections_per_image ? " (" + fmt::fixed(*in.detections_per_image, 1) + "/image)" : ""),
            3);
    if (in.eta_seconds) l.add("ETA " + fmt::duration(*in.eta_seconds), 1);
    if (in.stalled_seconds) l.add(p(stalled_text(*in.stalled_seconds), "33"), 1);
    lines.push_back(std::move(l));
    if (auto [lat, all] = latency_to_show(in); lat) {
      BlockLine ll(3, p.label("Latency   "));
      ll.add("p50 " + fmt::latency(lat->p50), 0)
          .add("p95 " + fmt::latency(lat->p95), 0)
          .add("p99 " + fmt::latency(lat->p99), 2);
      ll.add(p(all ? "since start" : "last " + fmt::duration(f.rate_window_seconds), "2"), 4);
      lines.push_back(std::move(ll));
    }
  }

  {
    BlockLine l(6, p.label("Symbolic  "));
    if (f.nms.mean_seconds) l.add("NMS " + fmt::latency(*f.nms.mean_seconds), 0);
    if (f.prolog.mean_seconds) l.add("Prolog " + fmt::latency(*f.prolog.mean_seconds), 0);
    if (f.graph.mean_seconds) l.add("Graph " + fmt::latency(*f.graph.mean_seconds), 2);
    if (f.detections_before_nms && f.detections_after_nms && f.graph_nodes)
      l.add("last image " + fmt::count(*f.detections_before_nms) + "→" + fmt::count(*f.detections_after_nms) +
                " detections, " + fmt::count(*f.graph_nodes) + " nodes" +
                (f.graph_edges ? ", " + fmt::count(*f.graph_edges) + " edges" : ""),
            3);
    if (!l.empty() && (f.nms.count > 0 || f.graph.count > 0)) lines.push_back(std::move(l));
  }

  {
    const System& y = f.system;
    BlockLine l(4, p.label("System    "));
    if (y.cpu_percent) {
      const std::string v = fmt::fixed(*y.cpu_percent, 0) + "%";
      l.add("CPU " + bar_with(*y.cpu_percent / 100, bw, p) + " " + v, 0, "CPU " + v);
    }
    if (y.memory_used_bytes) {
      std::string m = "RAM " + fmt::bytes(*y.memory_used_bytes);
      if (y.memory_available_bytes) {
        double total = *y.memory_used_bytes + *y.memory_available_bytes;
        std::string v = fmt::bytes(*y.memory_used_bytes) + "/" + fmt::bytes(total);
        l.add("RAM " + bar_with(*y.memory_used_bytes / total, bw, p) + " " + v, 2, "RAM " + v);
      } else l.add(m, 2);
    }
    if (y.gpu_utilization_percent) {
      const std::string v = fmt::fixed(*y.gpu_utilization_percent, 0) + "%";
      l.add("GPU " + bar_with(*y.gpu_utilization_percent / 100, bw, p) + " " + v, 0, "GPU " + v);
    }
    if (y.gpu_memory_allocated_bytes) {
      std::string g = "GPU mem " + fmt::bytes(*y.gpu_memory_allocated_bytes);
      if (y.gpu_memory_reserved_bytes && *y.gpu_memory_reserved_bytes > 0) {
        std::string v = fmt::bytes(*y.gpu_memory_allocated_bytes) + "/" + fmt::bytes(*y.gpu_memory_reserved_bytes);
        l.add("GPU mem " + bar_with(*y.gpu_memory_allocated_bytes / *y.gpu_memory_reserved_bytes, bw, p) + " " + v, 2,
              "GPU mem " + v);
      } else l.add(g, 2);
    }
    if (!l.empty()) lines.push_back(std::move(l));
  }

  if (st.rules) {
    // Kept in alert_parts' order (failed assertions, firing, by severity), the first always
    // shown; what does not fit is counted at the end, so a hidden alert is never unsaid.
    BlockLine l(1, p.label("Alerts    "));
    l.count_dropped(p);
    std::vector<std::string> parts = alert_parts(*st.rules, st.color, st.now_ms);
    for (std::size_t i = 0; i < parts.size(); ++i) l.add(parts[i], i == 0 ? 0 : static_cast<int>(i) + 1);
    lines.push_back(std::move(l));
  }

  if (f.errors.total && *f.errors.total > 0) {
    BlockLine l(5, p.label("Errors    "));
    l.add(p(fmt::count(*f.errors.total), "31"), 0);
    for (const auto& [type, n] : f.errors.by_type) l.add(type + " " + fmt::count(n), 2);
    lines.push_back(std::move(l));
  }

  // Fit the height: drop the least important lines first, keep the order.
  while (lines.size() > st.height && !lines.empty()) {
    auto worst = std::max_element(lines.begin(), lines.end(),
                                  [](const BlockLine& a, const BlockLine& b) { return a.priority() < b.priority(); });
    lines.erase(worst);
  }
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.render(sep, " ", st.width));
  return out;
}

namespace {
// Where nsmon looked, what it found there, and where the command listened instead.
std::string never_served_text(const RunSummary& r) {
  const int looks = r.status.probes + r.status.scrapes;
  std::string s = "no metrics from the command: nsmon looked at " + r.status.target + " " + std::to_string(looks) +
                  (looks == 1 ? " time" : " times") + (r.status.error.empty() ? "" : " (" + r.status.error + ")");
  std::vector<std::string> elsewhere;
  for (int port : r.command_ports)
    if (std::string url = with_port(r.status.target, port); url != r.status.target) elsewhere.push_back(url);
  if (elsewhere.empty()) return s + "; the command listened on no TCP port nsmon could see";
  return s + "; the command listened at " + join(elsewhere, ", ") + " (--metrics-url URL watches it there)";
}
} // namespace

std::string summary_text(const RunSummary& r, bool color, std::size_t width) {
  const Painter p{color};
  const Figures& f = r.figures;
  std::string who = r.status.target;
  if (!r.command.empty()) {
    who.clear();
    for (const auto& a : r.command) who += (who.empty() ? "" : " ") + a;
    who = fmt::fit(who, 60);
  }
  // Each row wrapped to the width between its figures, the lines after the first under its text.
  std::string out = fmt::wrap(p("nsmon watch", "1;36") + ": ",
                              {who, r.ended + " after " + fmt::duration(r.wall_seconds)}, " ", width, 2);
  if (r.never_served) out += fmt::wrap("  ", {p(never_served_text(r), "31")}, "", width, 2);
  if (!r.another_process.empty())
    out += fmt::wrap("  ", {p(another_process_text(r.status.target, r.another_process), "31")}, "", width, 2);
  auto row = [&](const std::string& label, const std::vector<std::string>& parts) {
    if (!join(parts, " · ").empty()) out += fmt::wrap("  " + p.label(label), parts, " · ", width, 2 + label.size());
  };
  const Training& t = f.training;
  std::vector<std::string> train;
  if (t.epoch) train.push_back(epoch_text(t) + " epochs");
  if (t.loss)
    train.push_back("final loss " + fmt::fixed(*t.loss, 4) +
                    (t.best_loss ? " (best " + fmt::fixed(*t.best_loss, 4) + ")" : ""));
  if (t.map)
    train.push_back("final mAP " + fmt::fixed(*t.map, 4) +
                    (t.best_map ? " (best " + fmt::fixed(*t.best_map, 4) + ")" : ""));
  // Two clocks: the detector's own epoch timing (training_duration_seconds) and the wall time
  // this run took per epoch; a simulated or throttled run tells them apart.
  if (t.epoch_seconds || t.wall_epoch_seconds) {
    std::string e = "mean epoch ";
    if (t.epoch_seconds) e += fmt::duration(*t.epoch_seconds) + " by the detector's clock";
    if (t.epoch_seconds && t.wall_epoch_seconds) e += ", ";
    if (t.wall_epoch_seconds) e += fmt::duration(*t.wall_epoch_seconds) + " of wall time";
    train.push_back(e);
  }
  row("training   ", train);

  const Inference& in = f.inference;
  std::vector<std::string> infer;
  if (in.images) {
    std::string s = fmt::count(*in.images) + " images";
    if (in.success && in.failed)
      s += " (" + fmt::count(*in.success) + " ok, " + fmt::count(*in.failed) + " failed" +
           (in.success_rate ? ": " + fmt::percent(*in.success_rate) + " success" : "") + ")";
    infer.push_back(s);
  }
  if (in.overall_images_per_second)
    infer.push_back(fmt::fixed(*in.overall_images_per_second, 1) + " images/s over the run");
  if (in.detections) infer.push_back(fmt::count(*in.detections) + " detections");
  if (in.latency_total.p95.value) infer.push_back("p95 latency " + fmt::latency(in.latency_total.p95));
  row("inference  ", infer);

  if (f.errors.total) {
    std::string e = fmt::count(*f.errors.total);
    if (!f.errors.by_type.empty()) e += " (" + errors_text(f.errors, ", ") + ")";
    row("errors     ", {e});
  }
  // The series the figures read that no scrape held: those whose cause the scrapes show, one row
  // each, then the others in one row, without a guess.
  std::vector<std::string> unexplained;
  for (const auto& m : r.missing) {
    if (m.cause.empty()) unexplained.push_back(m.series);
    else row("missing    ", {p(m.series + ": " + m.cause, "33")});
  }
  if (!unexplained.empty())
    row("missing    ", {"in no scrape, of the " + std::to_string(figure_names().size()) +
                        " series the figures read: " + join(unexplained, ", ")});
  row("scrapes    ",
      {std::to_string(r.status.scrapes) + " of " + r.status.target + ", " + std::to_string(r.status.failures) +
       " failed" + (r.status.foreign > 0 ? ", " + std::to_string(r.status.foreign) + " another process's" : "") +
       (r.last_ok_age ? "; figures as of the last good one, " + fmt::duration(*r.last_ok_age) + " before the end"
                      : "")});
  // Two statuses: the command's, and nsmon's own, which differs when the rules or the endpoint
  // failed the run (watch --help).
  if (r.exit_code)
    row("exit status", {" the command's " + std::to_string(*r.exit_code) + ", nsmon's " + std::to_string(r.result)});
  if (r.rules) out += rules_summary_text(*r.rules, color, now_ms(), width);
  return out;
}

} // namespace nsmon::watch
