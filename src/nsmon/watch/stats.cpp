#include "nsmon/watch/stats.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "nsmon/expfmt/parser.hpp"

namespace nsmon::watch {

const std::vector<std::string_view>& figure_names() {
  static const std::vector<std::string_view> names = {
      "training_loss",
      "validation_map",
      "learning_rate",
      "training_epochs_planned",
      "training_duration_seconds_sum",
      "training_duration_seconds_count",
      "inference_time_seconds_bucket",
      "inference_time_seconds_sum",
      "inference_time_seconds_count",
      "images_processed_total",
      "detections_per_image_sum",
      "detections_per_image_count",
      "nms_filtering_seconds_sum",
      "nms_filtering_seconds_count",
      "prolog_query_seconds_sum",
      "prolog_query_seconds_count",
      "graph_construction_seconds_sum",
      "graph_construction_seconds_count",
      "detections_before_nms",
      "detections_after_nms",
      "graph_nodes_count",
      "graph_edges_count",
      "gpu_memory_allocated_bytes",
      "gpu_memory_reserved_bytes",
      "gpu_utilization_percent",
      "cpu_usage_percent",
      "memory_usage_bytes",
      "memory_available_bytes",
      "errors_total",
      "failed_prolog_queries_total",
      "app_uptime_seconds",
      "app_info_info",
  };
  return names;
}

const std::unordered_set<std::string_view>& wanted_names() {
  static const std::unordered_set<std::string_view> names(figure_names().begin(), figure_names().end());
  return names;
}

namespace {

std::string key_of(const Labels& labels) {
  std::string k;
  for (const auto& [n, v] : labels) {
    if (n == "le") continue;
    k.append(n).push_back('=');
    k.append(v).push_back('\0');
  }
  return k;
}

std::optional<double> sum(const Snapshot& s, std::string_view name) {
  const auto& v = s.find(name);
  if (v.empty()) return std::nullopt;
  double total = 0;
  for (const auto& x : v) total += x.value;
  return total;
}

std::optional<double> sum_where(const Snapshot& s, std::string_view name, std::string_view label,
                                std::string_view value) {
  const auto& v = s.find(name);
  if (v.empty()) return std::nullopt;
  double total = 0;
  for (const auto& x : v)
    if (const std::string* l = x.label(label); l && *l == value) total += x.value;
  return total;
}

std::optional<double> mean(const Snapshot& s, std::string_view name) {
  const auto& v = s.find(name);
  if (v.empty()) return std::nullopt;
  double total = 0;
  for (const auto& x : v) total += x.value;
  return total / static_cast<double>(v.size());
}

std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || *b == 0) return std::nullopt;
  return *a / *b;
}

// Series grouped by their (parsed) le; unparsable bounds are skipped, as Prometheus does.
std::map<double, std::vector<Series>> by_le(const std::vector<Series>& series) {
  std::map<double, std::vector<Series>> out;
  for (const auto& s : series) {
    const std::string* le = s.label("le");
    if (!le) continue;
    auto v = expfmt::parse_value(*le);
    if (!v || std::isnan(*v)) continue;
    out[*v].push_back(s);
  }
  return out;
}

// sum by (le) (x_bucket): the input of histogram_quantile.
std::vector<Bucket> summed_buckets(const std::vector<Series>& series) {
  std::vector<Bucket> out;
  for (const auto& [le, group] : by_le(series)) {
    double total = 0;
    for (const auto& s : group) total += s.value;
    out.push_back({le, total});
  }
  return out;
}

Quantile quantile(double q, const std::vector<Bucket>& b) {
  Quantile out;
  double v = bucket_quantile(q, b);
  if (!std::isnan(v)) out.value = v;
  out.capped = quantile_capped(q, b);
  return out;
}

Latency latency(const std::vector<Bucket>& b) {
  Latency l;
  l.p50 = quantile(0.5, b);
  l.p95 = quantile(0.95, b);
  l.p99 = quantile(0.99, b);
  for (const auto& x : b)
    if (std::isinf(x.upper_bound)) l.observations = x.count;
  return l;
}

std::optional<int> parse_int(const std::string& s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// training_loss by epoch label; empty when the series carry no epoch.
std::map<int, double> loss_by_epoch(const Snapshot& s) {
  std::map<int, double> out;
  for (const auto& x : s.find("training_loss"))
    if (const std::string* e = x.label("epoch"))
      if (auto n = parse_int(*e)) out.emplace(*n, x.value);
  return out;
}

std::optional<double> validation_map(const Snapshot& s) {
  const auto& v = s.find("validation_map");
  if (v.empty()) return std::nullopt;
  for (const auto& x : v)
    if (const std::string* iou = x.label("iou_threshold"); iou && (*iou == "0.5" || *iou == "0.50")) return x.value;
  return v.front().value;
}

int trend(const std::vector<double>& h) {
  if (h.size() < 2 || h[h.size() - 1] == h[h.size() - 2]) return 0;
  return h[h.size() - 1] < h[h.size() - 2] ? -1 : 1;
}

Step step(const Snapshot& s, const std::string& base) {
  Step st;
  auto count = sum(s, base + "_count");
  st.count = count.value_or(0);
  st.mean_seconds = ratio(sum(s, base + "_sum"), count);
  return st;
}

} // namespace

double Model::Track::step(const std::vector<Series>& now) {
  double inc = 0;
  std::map<std::string, double> next;
  for (const auto& s : now) {
    std::string k = key_of(s.labels);
    auto it = last.find(k);
    if (it == last.end()) inc += s.value; // a series born after the first scrape counts from 0
    else inc += s.value >= it->second ? s.value - it->second : s.value;
    next[k] = s.value;
  }
  last = std::move(next);
  total += inc;
  return inc;
}

Model::Model(double rate_window) : window_(rate_window) {}

void Model::add(Snapshot snap) {
  const bool first = !last_;
  if (first) {
    // The first scrape is the baseline: what happened before it has no time attached.
    for (const auto& s : snap.find("images_processed_total")) images_.last[key_of(s.labels)] = s.value;
    for (const auto& [le, group] : by_le(snap.find("inference_time_seconds_bucket")))
      for (const auto& s : group) buckets_[le].last[key_of(s.labels)] = s.value;
  } else {
    images_.step(snap.find("images_processed_total"));
    auto groups = by_le(snap.find("inference_time_seconds_bucket"));
    for (auto& [le, track] : buckets_)
      if (!groups.count(le)) track.step({});
    for (const auto& [le, group] : groups) buckets_[le].step(group);
  }
  Point p;
  p.at = snap.at;
  p.images = images_.total;
  for (const auto& [le, track] : buckets_) p.buckets[le] = track.total;
  if (!points_.empty() && p.images > points_.back().images) {
    if (!first_rise_) first_rise_ = points_.back(); // the scrape before the first increase
    last_rise_ = p;
  }
  points_.push_back(std::move(p));
  // Keep the points inside the window, plus the one just before it (the window's start).
  const auto horizon = snap.at - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(window_));
  while (points_.size() > 2 && points_[1].at <= horizon) points_.pop_front();
  add_training(snap);
  last_ = std::move(snap);
}

void Model::add_training(const Snapshot& s) {
  if (auto m = validation_map(s)) {
    if (map_seen_.empty() || map_seen_.back() != *m) map_seen_.push_back(*m);
    best_map_ = best_map_ ? std::max(*best_map_, *m) : *m;
  }
  const auto& loss = s.find("training_loss");
  if (loss.size() == 1 && !loss.front().label("epoch")) {
    if (loss_seen_.empty() || loss_seen_.back() != loss.front().value) loss_seen_.push_back(loss.front().value);
  }
  auto by_epoch = loss_by_epoch(s);
  int epoch = by_epoch.empty() ? static_cast<int>(sum(s, "training_duration_seconds_count").value_or(0))
                               : by_epoch.rbegin()->first;
  if (!last_) {
    first_at_ = s.at;
    first_epoch_ = epoch;
  }
  if (epoch > last_epoch_) {
    // Epoch ends seen by this watcher give the wall time per epoch (for the ETA).
    if (last_) {
      if (!first_epoch_at_) {
        first_epoch_at_ = s.at;
        first_epoch_seen_ = epoch;
      }
      last_epoch_at_ = s.at;
    }
    last_epoch_ = epoch;
  }
}

Figures Model::figures() const {
  Figures f;
  f.rate_window_seconds = window_;
  if (!last_) return f;
  const Snapshot& s = *last_;

  // Training.
  Training& t = f.training;
  auto by_epoch = loss_by_epoch(s);
  if (!by_epoch.empty()) {
    for (const auto& [e, v] : by_epoch) t.loss_history.push_back(v);
    t.epoch = by_epoch.rbegin()->first;
  } else {
    t.loss_history = loss_seen_;
    if (auto n = sum(s, "training_duration_seconds_count")) t.epoch = static_cast<int>(*n);
  }
  if (!t.loss_history.empty()) {
    t.loss = t.loss_history.back();
    t.best_loss = *std::min_element(t.loss_history.begin(), t.loss_history.end());
    t.loss_trend = trend(t.loss_history);
  }
  if (auto p = sum(s, "training_epochs_planned")) {
    t.epochs_planned = static_cast<int>(std::lround(*p));
    if (!t.epoch) t.epoch = 0; // planned, none finished yet
  }
  t.map = validation_map(s);
  t.map_history = map_seen_;
  t.map_trend = trend(map_seen_);
  t.best_map = best_map_;
  if (const auto& lr = s.find("learning_rate"); !lr.empty()) t.learning_rate = lr.front().value;
  t.epoch_seconds = ratio(sum(s, "training_duration_seconds_sum"), sum(s, "training_duration_seconds_count"));
  // Wall time per epoch as this watcher saw it: between two epoch ends when it saw two, from its
  // first scrape to an epoch end otherwise.
  if (first_epoch_at_ && last_epoch_at_ && last_epoch_ > first_epoch_seen_)
    t.wall_epoch_seconds =
        std::chrono::duration<double>(*last_epoch_at_ - *first_epoch_at_).count() / (last_epoch_ - first_epoch_seen_);
  else if (last_epoch_at_ && last_epoch_ > first_epoch_)
    t.wall_epoch_seconds =
        std::chrono::duration<double>(*last_epoch_at_ - first_at_).count() / (last_epoch_ - first_epoch_);
  if (t.epoch && t.epochs_planned && *t.epoch < *t.epochs_planned) {
    // The ETA in wall time; the detector's own epoch durations until an epoch end was seen.
    std::optional<double> per_epoch = t.wall_epoch_seconds ? t.wall_epoch_seconds : t.epoch_seconds;
    if (per_epoch) {
      double since = last_epoch_at_ ? std::chrono::duration<double>(s.at - *last_epoch_at_).count() : 0;
      const double eta = (*t.epochs_planned - *t.epoch) * *per_epoch - since;
      if (eta >= 0) t.eta_seconds = eta;
      else t.eta_overdue_seconds = -eta; // not 0: the run has stalled, or slowed down
    }
  }

  // Inference.
  Inference& in = f.inference;
  in.images = sum(s, "images_processed_total");
  in.success = sum_where(s, "images_processed_total", "status", "success");
  in.failed = sum_where(s, "images_processed_total", "status", "failed");
  in.planned = planned_images_;
  in.success_rate = ratio(in.success, in.images);
  in.detections = sum(s, "detections_per_image_sum");
  in.detections_per_image = ratio(in.detections, sum(s, "detections_per_image_count"));
  in.latency_total = latency(summed_buckets(s.find("inference_time_seconds_bucket")));
  if (points_.size() >= 2) {
    const Point &a = points_.front(), &b = points_.back();
    double dt = std::chrono::duration<double>(b.at - a.at).count();
    if (dt > 0 && in.images) in.images_per_second = (b.images - a.images) / dt;
    std::vector<Bucket> window;
    for (const auto& [le, total] : b.buckets) {
      auto it = a.buckets.find(le);
      window.push_back({le, total - (it == a.buckets.end() ? 0 : it->second)});
    }
    in.latency = latency(window);
  }
  if (first_rise_ && last_rise_ && last_rise_->at > first_rise_->at)
    in.overall_images_per_second = (last_rise_->images - first_rise_->images) /
                                   std::chrono::duration<double>(last_rise_->at - first_rise_->at).count();
  if (in.planned && in.images && in.images_per_second && *in.images_per_second > 0 && *in.images < *in.planned)
    in.eta_seconds = (*in.planned - *in.images) / *in.images_per_second;
  else if (in.planned && in.images && in.images_per_second && *in.images < *in.planned && last_rise_)
    in.stalled_seconds = std::chrono::duration<double>(s.at - last_rise_->at).count();

  // Symbolic stage and knowledge graph.
  f.nms = step(s, "nms_filtering_seconds");
  f.prolog = step(s, "prolog_query_seconds");
  f.graph = step(s, "graph_construction_seconds");
  f.detections_before_nms = sum(s, "detections_before_nms");
  f.detections_after_nms = sum(s, "detections_after_nms");
  f.graph_nodes = sum(s, "graph_nodes_count");
  f.graph_edges = sum(s, "graph_edges_count");

  // System.
  f.system.cpu_percent = sum(s, "cpu_usage_percent");
  f.system.memory_used_bytes = sum(s, "memory_usage_bytes");
  f.system.memory_available_bytes = sum(s, "memory_available_bytes");
  f.system.gpu_memory_allocated_bytes = sum(s, "gpu_memory_allocated_bytes");
  f.system.gpu_memory_reserved_bytes = sum(s, "gpu_memory_reserved_bytes");
  f.system.gpu_utilization_percent = mean(s, "gpu_utilization_percent");

  // Errors.
  f.errors.total = sum(s, "errors_total");
  for (const auto& x : s.find("errors_total")) {
    const std::string* type = x.label("error_type");
    if (x.value > 0) f.errors.by_type[type ? *type : "unknown"] += x.value;
  }
  f.errors.failed_prolog_queries = sum(s, "failed_prolog_queries_total");

  f.uptime_seconds = sum(s, "app_uptime_seconds");
  if (const auto& info = s.find("app_info_info"); !info.empty())
    if (const std::string* m = info.front().label("model")) f.model = *m;
  return f;
}

} // namespace nsmon::watch
