#pragma once
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "nsmon/watch/snapshot.hpp"

// The series the figures read (stats.hpp's wanted_names(), the embedded catalog's wire names)
// that a run never scraped, and why, when the scrape shows it: prometheus_client exports a gauge
// made a Counter as NAME_total and NAME_created, a histogram made a Summary without _bucket, and
// the figures that read the catalog's name stay blank without a word. The names those metrics
// would have with another type are scraped too (never read by the figures), so the cause is seen.

namespace nsmon::watch {

/// The sample names a scrape keeps: what the figures read, and the names the same metrics take
/// when exported with another type (training_loss_total for the gauge training_loss).
const std::unordered_set<std::string_view>& scraped_names();

/// A series the figures read that no scrape of the run held.
struct MissingSeries {
  std::string series; ///< the wire name the figures read (inference_time_seconds_bucket)
  std::string metric; ///< its catalog metric (inference_time_seconds)
  std::string type;   ///< the catalog's type of it
  std::string cause;  ///< "exported as a counter (training_loss_total); the catalog says gauge"; empty: none visible
  std::vector<std::string> instead; ///< the names of the metric scraped instead (the evidence of the cause)
};

/// "training_loss is not in the scrape: exported as a counter (training_loss_total, ...); the
/// catalog says gauge (the figures that read it stay blank)".
std::string missing_text(const MissingSeries& m);

/// Which of scraped_names() the run's scrapes held.
class SeriesSeen {
public:
  /// Notes the names one good scrape held.
  void add(const Snapshot& s);
  /// The series the figures read that no scrape held, in the order of the figures (those with a
  /// visible cause first).
  std::vector<MissingSeries> missing() const;
  /// The missing series whose cause the scrapes so far show and that were not handed out before
  /// (for a notice while the run goes on).
  std::vector<MissingSeries> take_new_causes();

private:
  std::set<std::string, std::less<>> seen_;
  std::set<std::string, std::less<>> told_;
};

} // namespace nsmon::watch
