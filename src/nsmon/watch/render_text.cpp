// The human-readable outputs of `nsmon watch`: the compact log line, the live status block and
// the summary. Each figure is shown only when the detector exports what it is computed from.
#include <algorithm>
#include <cmath>

#include "nsmon/watch/format.hpp"
#include "nsmon/watch/render.hpp"

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

std::string elapsed(double s) {
  std::string d = fmt::duration(s);
  if (s >= 10) d = std::to_string(std::llround(s)) + "s";
  return "[" + std::string(d.size() < 6 ? 6 - d.size() : 0, ' ') + d + "]";
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

std::string waiting_text(const ScrapeStatus& s) {
  std::string out = "waiting for metrics at " + s.target;
  if (s.scrapes > 0) out += " (" + std::to_string(s.scrapes) + (s.scrapes == 1 ? " attempt" : " attempts") + ")";
  return out;
}

} // namespace

std::string plain_line(const Figures& f, const ScrapeStatus& s) {
  std::string head = elapsed(s.elapsed) + " ";
  if (s.state == ScrapeStatus::State::waiting || s.state == ScrapeStatus::State::starting) return head + waiting_text(s);
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

  const Inference& in = f.inference;
  std::vector<std::string> infer;
  if (in.images && (*in.images > 0 || in.latency_total.observations > 0)) {
    infer.push_back("images " + images_text(in));
    if (in.images_per_second) infer.push_back(fmt::fixed(*in.images_per_second, 1) + "/s");
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

  std::string line = head + join({join(train, " "), join(infer, " "), join(sys, " "), errs}, " | ");
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

std::vector<std::string> status_block(const Figures& f, const ScrapeStatus& s, const BlockStyle& st) {
  const Painter p{st.color};
  const int bw = st.width >= 110 ? 10 : 6;
  const std::string sep = p(" · ", "2");
  struct Line {
    int priority;
    std::string text;
  };
  std::vector<Line> lines;

  // Header: what is watched, for how long, and the state of the scraping.
  std::string state;
  switch (s.state) {
  case ScrapeStatus::State::starting:
  case ScrapeStatus::State::waiting: state = p(waiting_text(s), "33"); break;
  case ScrapeStatus::State::ok:
    state = "scrape ok (" + fmt::count(static_cast<double>(s.series)) + " series, " + fmt::latency(s.scrape_seconds) + ")";
    break;
  case ScrapeStatus::State::failed: state = p("scrape failed: " + s.error, "31"); break;
  }
  lines.push_back({0, p("nsmon watch", "1;36") + sep + st.title + sep + fmt::duration(s.elapsed) + sep + state});

  const Training& t = f.training;
  if (t.epoch || t.loss || t.map) {
    std::vector<std::string> parts;
    if (t.epoch) {
      std::string e = "Epoch " + epoch_text(t);
      if (t.epochs_planned && *t.epochs_planned > 0)
        e += " " + bar_with(static_cast<double>(*t.epoch) / *t.epochs_planned, bw, p);
      parts.push_back(e);
    }
    if (t.loss)
      parts.push_back("Loss " + fmt::fixed(*t.loss, 4) + " " + trend_text(t.loss_trend, true, p) + " " +
                      p(fmt::sparkline(t.loss_history, 12), "36") +
                      (t.best_loss ? " best " + fmt::fixed(*t.best_loss, 4) : ""));
    if (t.map) parts.push_back("mAP " + fmt::fixed(*t.map, 4) + " " + trend_text(t.map_trend, false, p));
    if (t.learning_rate) parts.push_back("lr " + fmt::fixed(*t.learning_rate, 6));
    if (t.epoch_seconds) parts.push_back(fmt::duration(*t.epoch_seconds) + "/epoch");
    if (t.eta_seconds) parts.push_back("ETA " + fmt::duration(*t.eta_seconds));
    lines.push_back({1, p.label("Training  ") + join(parts, sep)});
  }

  const Inference& in = f.inference;
  if (in.images && (*in.images > 0 || in.latency_total.observations > 0)) {
    std::vector<std::string> parts;
    std::string prog = "Progress " + images_text(in);
    if (in.planned && *in.planned > 0) prog += " " + bar_with(*in.images / *in.planned, bw, p);
    parts.push_back(prog);
    if (in.images_per_second) parts.push_back(fmt::fixed(*in.images_per_second, 1) + " images/s");
    if (in.success_rate) parts.push_back("Success " + fmt::percent(*in.success_rate));
    if (in.detections)
      parts.push_back("Detections " + fmt::count(*in.detections) +
                      (in.detections_per_image ? " (" + fmt::fixed(*in.detections_per_image, 1) + "/image)" : ""));
    if (in.eta_seconds) parts.push_back("ETA " + fmt::duration(*in.eta_seconds));
    lines.push_back({2, p.label("Inference ") + join(parts, sep)});
    if (auto [l, all] = latency_to_show(in); l)
      lines.push_back({3, p.label("Latency   ") + "p50 " + fmt::latency(l->p50) + sep + "p95 " + fmt::latency(l->p95) +
                              sep + "p99 " + fmt::latency(l->p99) +
                              p(all ? "  (since start)" : "  (last " + fmt::duration(f.rate_window_seconds) + ")", "2")});
  }

  {
    std::vector<std::string> parts;
    if (f.nms.mean_seconds) parts.push_back("NMS " + fmt::latency(*f.nms.mean_seconds));
    if (f.prolog.mean_seconds) parts.push_back("Prolog " + fmt::latency(*f.prolog.mean_seconds));
    if (f.graph.mean_seconds) parts.push_back("Graph " + fmt::latency(*f.graph.mean_seconds));
    if (f.detections_before_nms && f.detections_after_nms && f.graph_nodes)
      parts.push_back("last image " + fmt::count(*f.detections_before_nms) + "→" + fmt::count(*f.detections_after_nms) +
                      " detections, " + fmt::count(*f.graph_nodes) + " nodes" +
                      (f.graph_edges ? ", " + fmt::count(*f.graph_edges) + " edges" : ""));
    if (!parts.empty() && (f.nms.count > 0 || f.graph.count > 0)) lines.push_back({6, p.label("Symbolic  ") + join(parts, sep)});
  }

  {
    const System& y = f.system;
    std::vector<std::string> parts;
    if (y.cpu_percent) parts.push_back("CPU " + bar_with(*y.cpu_percent / 100, bw, p) + " " + fmt::fixed(*y.cpu_percent, 0) + "%");
    if (y.memory_used_bytes) {
      std::string m = "RAM " + fmt::bytes(*y.memory_used_bytes);
      if (y.memory_available_bytes) {
        double total = *y.memory_used_bytes + *y.memory_available_bytes;
        m = "RAM " + bar_with(*y.memory_used_bytes / total, bw, p) + " " + fmt::bytes(*y.memory_used_bytes) + "/" +
            fmt::bytes(total);
      }
      parts.push_back(m);
    }
    if (y.gpu_utilization_percent)
      parts.push_back("GPU " + bar_with(*y.gpu_utilization_percent / 100, bw, p) + " " +
                      fmt::fixed(*y.gpu_utilization_percent, 0) + "%");
    if (y.gpu_memory_allocated_bytes) {
      std::string g = "GPU mem " + fmt::bytes(*y.gpu_memory_allocated_bytes);
      if (y.gpu_memory_reserved_bytes && *y.gpu_memory_reserved_bytes > 0)
        g = "GPU mem " + bar_with(*y.gpu_memory_allocated_bytes / *y.gpu_memory_reserved_bytes, bw, p) + " " +
            fmt::bytes(*y.gpu_memory_allocated_bytes) + "/" + fmt::bytes(*y.gpu_memory_reserved_bytes);
      parts.push_back(g);
    }
    if (!parts.empty()) lines.push_back({4, p.label("System    ") + join(parts, sep)});
  }

  if (f.errors.total && *f.errors.total > 0)
    lines.push_back({5, p.label("Errors    ") + p(fmt::count(*f.errors.total), "31") + sep + errors_text(f.errors, sep)});

  // Fit the height: drop the least important lines first, keep the order.
  while (lines.size() > st.height && !lines.empty()) {
    auto worst = std::max_element(lines.begin(), lines.end(),
                                  [](const Line& a, const Line& b) { return a.priority < b.priority; });
    lines.erase(worst);
  }
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(fmt::fit(l.text, st.width));
  return out;
}

std::string summary_text(const RunSummary& r, bool color) {
  const Painter p{color};
  const Figures& f = r.figures;
  std::string who = r.status.target;
  if (!r.command.empty()) {
    who.clear();
    for (const auto& a : r.command) who += (who.empty() ? "" : " ") + a;
    who = fmt::fit(who, 60);
  }
  std::string out = p("nsmon watch", "1;36") + ": " + who + " " + r.ended + " after " + fmt::duration(r.wall_seconds) + "\n";
  if (r.never_served)
    out += "  " + p("the command ended before it served any metrics at " + r.status.target, "31") +
           (r.status.error.empty() ? "" : " (" + r.status.error + ")") + "\n";
  auto row = [&](const std::string& label, const std::vector<std::string>& parts) {
    std::string s = join(parts, " · ");
    if (!s.empty()) out += "  " + p.label(label) + s + "\n";
  };
  const Training& t = f.training;
  std::vector<std::string> train;
  if (t.epoch) train.push_back(epoch_text(t) + " epochs");
  if (t.loss)
    train.push_back("final loss " + fmt::fixed(*t.loss, 4) + (t.best_loss ? " (best " + fmt::fixed(*t.best_loss, 4) + ")" : ""));
  if (t.map)
    train.push_back("final mAP " + fmt::fixed(*t.map, 4) + (t.best_map ? " (best " + fmt::fixed(*t.best_map, 4) + ")" : ""));
  if (t.epoch_seconds) train.push_back("mean epoch " + fmt::duration(*t.epoch_seconds));
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
  if (in.overall_images_per_second) infer.push_back(fmt::fixed(*in.overall_images_per_second, 1) + " images/s");
  if (in.detections) infer.push_back(fmt::count(*in.detections) + " detections");
  if (in.latency_total.p95.value) infer.push_back("p95 latency " + fmt::latency(in.latency_total.p95));
  row("inference  ", infer);

  if (f.errors.total) {
    std::string e = fmt::count(*f.errors.total);
    if (!f.errors.by_type.empty()) e += " (" + errors_text(f.errors, ", ") + ")";
    row("errors     ", {e});
  }
  row("scrapes    ", {std::to_string(r.status.scrapes) + " of " + r.status.target + ", " +
                          std::to_string(r.status.failures) + " failed" +
                          (r.last_ok_age ? "; figures as of the last good one, " + fmt::duration(*r.last_ok_age) +
                                               " before the end"
                                         : "")});
  if (r.exit_code) row("exit status", {" " + std::to_string(*r.exit_code)});
  return out;
}

} // namespace nsmon::watch
