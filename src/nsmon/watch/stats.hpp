#pragma once
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "nsmon/watch/quantile.hpp"
#include "nsmon/watch/snapshot.hpp"

// The stats model: what `nsmon watch` shows, computed from successive scrapes of the catalog's
// metrics. Absent metrics leave their figures empty (std::nullopt), never zero.

namespace nsmon::watch {

/// The sample names the model reads (wire names of the embedded catalog's metrics), in the order
/// of the figures.
const std::vector<std::string_view>& figure_names();
/// The same names, as a set.
const std::unordered_set<std::string_view>& wanted_names();

/// A quantile from histogram buckets; `capped` when the rank fell into the +Inf bucket, so that
/// the true value is above `value` (the highest finite bound).
struct Quantile {
  std::optional<double> value;
  bool capped = false;
};

struct Latency {
  Quantile p50, p95, p99;
  double observations = 0; ///< in the buckets used
};

struct Training {
  std::optional<int> epoch; ///< completed epochs
  std::optional<int> epochs_planned;
  std::optional<double> loss;       ///< of the latest epoch
  int loss_trend = 0;               ///< -1 lower than the epoch before (improving), +1 higher
  std::vector<double> loss_history; ///< by epoch
  std::optional<double> best_loss;
  std::optional<double> map;       ///< validation mAP now
  int map_trend = 0;               ///< +1 higher than before (improving), -1 lower
  std::optional<double> best_map;  ///< highest mAP seen
  std::vector<double> map_history; ///< each value seen, in order
  std::optional<double> learning_rate;
  std::optional<double> epoch_seconds; ///< mean of training_duration_seconds (the detector's clock)
  /// Wall seconds per epoch as the watcher saw epochs end (the clock of the ETA); nullopt until
  /// it saw one end after its first scrape.
  std::optional<double> wall_epoch_seconds;
  std::optional<double> eta_seconds; ///< wall seconds until the last planned epoch
  /// How long ago the ETA passed with epochs still to come: the run is slower than it was, or
  /// stuck; said instead of an ETA of 0.
  std::optional<double> eta_overdue_seconds;
};

struct Inference {
  std::optional<double> images; ///< processed (success + failed)
  std::optional<double> success;
  std::optional<double> failed;
  std::optional<double> planned;                   ///< --total-images
  std::optional<double> images_per_second;         ///< over the rate window, wall clock
  std::optional<double> overall_images_per_second; ///< from the first image seen to the last
  std::optional<double> success_rate;              ///< 0..1, since start
  std::optional<double> detections;                ///< detections_per_image_sum
  std::optional<double> detections_per_image;
  Latency latency;                   ///< inference_time_seconds over the rate window
  Latency latency_total;             ///< since start: histogram_quantile(q, sum by (le) (..._bucket))
  std::optional<double> eta_seconds; ///< with --total-images
  /// With --total-images, images still to come and none over the rate window: how long since the
  /// last one (no ETA then).
  std::optional<double> stalled_seconds;
};

/// Mean duration of a pipeline step since start (histogram _sum / _count).
struct Step {
  std::optional<double> mean_seconds;
  double count = 0;
};

struct System {
  std::optional<double> cpu_percent;
  std::optional<double> memory_used_bytes;
  std::optional<double> memory_available_bytes;
  std::optional<double> gpu_memory_allocated_bytes;
  std::optional<double> gpu_memory_reserved_bytes;
  std::optional<double> gpu_utilization_percent;
};

struct Errors {
  std::optional<double> total;
  std::map<std::string, double> by_type; ///< error_type -> count (zeros left out)
  std::optional<double> failed_prolog_queries;
};

struct Figures {
  Training training;
  Inference inference;
  Step nms, prolog, graph;
  std::optional<double> detections_before_nms, detections_after_nms; ///< last image
  std::optional<double> graph_nodes, graph_edges;                    ///< last image
  System system;
  Errors errors;
  std::optional<double> uptime_seconds; ///< app_uptime_seconds
  std::optional<std::string> model;     ///< app_info's model
  double rate_window_seconds = 0;       ///< the window rates and windowed quantiles cover
};

class Model {
public:
  /// `rate_window` (seconds): how far back images/s and the windowed latency look.
  explicit Model(double rate_window = 10);
  void set_planned_images(std::optional<double> n) { planned_images_ = n; }
  /// Takes one successful scrape.
  void add(Snapshot snap);
  bool empty() const { return !last_; }
  /// The figures after the scrapes so far.
  Figures figures() const;

private:
  // Reset-aware running totals of counters (Prometheus's increase(): a drop is a restart).
  struct Track {
    std::map<std::string, double> last;
    double total = 0;
    double step(const std::vector<Series>& now);
  };
  struct Point {
    Clock::time_point at;
    double images = 0;
    std::map<double, double> buckets; ///< le -> running total
  };
  void add_training(const Snapshot& s);

  double window_;
  std::optional<double> planned_images_;
  std::optional<Snapshot> last_;
  Track images_;
  std::map<double, Track> buckets_;
  std::deque<Point> points_;
  std::optional<Point> first_rise_, last_rise_; // around the images counter's increases
  std::vector<double> map_seen_;
  std::optional<double> best_map_;
  std::vector<double> loss_seen_; // for a training_loss without an epoch label
  int last_epoch_ = 0;
  std::optional<Clock::time_point> first_epoch_at_, last_epoch_at_;
  int first_epoch_seen_ = 0;
  Clock::time_point first_at_{}; // the first scrape, and the epochs done then
  int first_epoch_ = 0;
};

} // namespace nsmon::watch
