// The jsonl records of `nsmon watch --format jsonl`: one "stats" object per scrape, a "summary"
// object at the end. Keys are fixed and always present; absent figures are null.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "nsmon/watch/render.hpp"

namespace nsmon::watch {

namespace {

using json = nlohmann::ordered_json;

json num(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}
json num(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
// A counter's value (images, detections, errors) as a JSON integer: "images": 14, not 14.0.
// A fractional value (a counter incremented by fractions) stays a number as it is.
json count(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  if (*v == std::floor(*v) && std::fabs(*v) < 9007199254740992.0) return static_cast<std::int64_t>(*v);
  return *v;
}

const char* trend_word(int t, bool lower_is_better) {
  if (t == 0) return "flat";
  return (t < 0) == lower_is_better ? "improving" : "worsening";
}

json quantiles(const Latency& l, std::optional<double> window) {
  json o;
  if (window) o["window_seconds"] = *window;
  o["observations"] = count(l.observations);
  for (auto [name, q] : {std::pair{"p50", &l.p50}, std::pair{"p95", &l.p95}, std::pair{"p99", &l.p99}}) {
    o[name] = num(q->value);
    o[std::string(name) + "_capped"] = q->capped;
  }
  return o;
}

const char* state_word(ScrapeStatus::State s) {
  switch (s) {
  case ScrapeStatus::State::starting: return "starting";
  case ScrapeStatus::State::waiting: return "waiting";
  case ScrapeStatus::State::ok: return "ok";
  case ScrapeStatus::State::failed: return "failed";
  case ScrapeStatus::State::foreign: return "foreign";
  }
  return "failed";
}

json scrape(const ScrapeStatus& s) {
  return {{"state", state_word(s.state)},
          {"target", s.target},
          {"error", s.error.empty() ? json(nullptr) : json(s.error)},
          {"probes", s.probes},
          {"scrapes", s.scrapes},
          {"failures", s.failures},
          {"foreign", s.foreign},
          {"series", s.series},
          {"bytes", s.bytes},
          {"seconds", s.scrape_seconds}};
}

json figures(const Figures& f) {
  const Training& t = f.training;
  const Inference& in = f.inference;
  json o;
  o["training"] = {{"epoch", num(t.epoch)},
                   {"epochs_planned", num(t.epochs_planned)},
                   {"loss", num(t.loss)},
                   {"loss_trend", t.loss ? json(trend_word(t.loss_trend, true)) : json(nullptr)},
                   {"best_loss", num(t.best_loss)},
                   {"loss_history", t.loss_history},
                   {"map", num(t.map)},
                   {"map_trend", t.map ? json(trend_word(t.map_trend, false)) : json(nullptr)},
                   {"best_map", num(t.best_map)},
                   {"learning_rate", num(t.learning_rate)},
                   {"epoch_seconds", num(t.epoch_seconds)},
                   {"wall_epoch_seconds", num(t.wall_epoch_seconds)},
                   {"eta_seconds", num(t.eta_seconds)},
                   {"eta_overdue_seconds", num(t.eta_overdue_seconds)}};
  o["inference"] = {{"images", count(in.images)},
                    {"success", count(in.success)},
                    {"failed", count(in.failed)},
                    {"planned", count(in.planned)},
                    {"images_per_second", num(in.images_per_second)},
                    {"overall_images_per_second", num(in.overall_images_per_second)},
                    {"success_rate", num(in.success_rate)},
                    {"detections", count(in.detections)},
                    {"detections_per_image", num(in.detections_per_image)},
                    {"latency", quantiles(in.latency, f.rate_window_seconds)},
                    {"latency_total", quantiles(in.latency_total, std::nullopt)},
                    {"eta_seconds", num(in.eta_seconds)},
                    {"stalled_seconds", num(in.stalled_seconds)}};
  o["symbolic"] = {
      {"nms_seconds_mean", num(f.nms.mean_seconds)},           {"nms_count", count(f.nms.count)},
      {"prolog_seconds_mean", num(f.prolog.mean_seconds)},     {"prolog_count", count(f.prolog.count)},
      {"detections_before_nms", num(f.detections_before_nms)}, {"detections_after_nms", num(f.detections_after_nms)}};
  o["knowledge_graph"] = {{"construction_seconds_mean", num(f.graph.mean_seconds)},
                          {"constructions", count(f.graph.count)},
                          {"nodes", num(f.graph_nodes)},
                          {"edges", num(f.graph_edges)}};
  o["system"] = {{"cpu_percent", num(f.system.cpu_percent)},
                 {"memory_used_bytes", num(f.system.memory_used_bytes)},
                 {"memory_available_bytes", num(f.system.memory_available_bytes)},
                 {"gpu_memory_allocated_bytes", num(f.system.gpu_memory_allocated_bytes)},
                 {"gpu_memory_reserved_bytes", num(f.system.gpu_memory_reserved_bytes)},
                 {"gpu_utilization_percent", num(f.system.gpu_utilization_percent)}};
  json by_type = json::object();
  for (const auto& [k, v] : f.errors.by_type) by_type[k] = count(v);
  o["errors"] = {{"total", count(f.errors.total)},
                 {"by_type", std::move(by_type)},
                 {"failed_prolog_queries", count(f.errors.failed_prolog_queries)}};
  o["uptime_seconds"] = num(f.uptime_seconds);
  o["model"] = f.model ? json(*f.model) : json(nullptr);
  return o;
}

} // namespace

std::string json_line(const Figures& f, const ScrapeStatus& s) {
  json o = {{"type", "stats"}, {"elapsed", s.elapsed}, {"scrape", scrape(s)}};
  json all = figures(f); // a named object: items() of a temporary would dangle in the loop
  for (auto& [k, v] : all.items()) o[k] = v;
  return o.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string summary_json(const RunSummary& r) {
  const Figures& f = r.figures;
  json o = {{"type", "summary"},
            {"command", r.command},
            {"exit_code", r.exit_code ? json(*r.exit_code) : json(nullptr)},
            {"ended", r.ended},
            {"never_served", r.never_served},
            {"command_ports", r.command_ports},
            {"another_process", r.another_process.empty() ? json(nullptr) : json(r.another_process)},
            {"result", r.result},
            {"wall_seconds", r.wall_seconds},
            {"last_scrape_age_seconds", num(r.last_ok_age)},
            {"scrape", scrape(r.status)}};
  json missing = json::array();
  for (const auto& m : r.missing)
    missing.push_back({{"series", m.series},
                       {"metric", m.metric},
                       {"type", m.type},
                       {"cause", m.cause.empty() ? json(nullptr) : json(m.cause)},
                       {"scraped_instead", m.instead}});
  o["missing_series"] = std::move(missing);
  o["training"] = {{"epochs", num(f.training.epoch)},    {"epochs_planned", num(f.training.epochs_planned)},
                   {"final_loss", num(f.training.loss)}, {"best_loss", num(f.training.best_loss)},
                   {"final_map", num(f.training.map)},   {"best_map", num(f.training.best_map)}};
  o["inference"] = {{"images", count(f.inference.images)},
                    {"success", count(f.inference.success)},
                    {"failed", count(f.inference.failed)},
                    {"images_per_second", num(f.inference.overall_images_per_second)},
                    {"p95_seconds", num(f.inference.latency_total.p95.value)},
                    {"p95_capped", f.inference.latency_total.p95.capped},
                    {"detections", count(f.inference.detections)}};
  o["errors"] = figures(f)["errors"];
  o["last"] = r.have_figures ? figures(f) : json(nullptr);
  o["rules"] = r.rules ? json::parse(rules_summary_json(*r.rules)) : json(nullptr);
  return o.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace nsmon::watch
