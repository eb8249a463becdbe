#pragma once
// watch --record: the samples a `watch --rules` run kept, written so that an incident becomes a
// regression test: a promtool / `nsmon test-rules` unit-test file (input_series resampled on the
// scrape interval, the rule files, the alerts the rules give on those series at the times they
// fired in the run), or OpenMetrics for `promtool tsdb create-blocks-from openmetrics`.
#include <cstdint>
#include <optional>
#include <string>

#include "nsmon/ruletest/alert_path.hpp"

namespace nsmon::watch {

class RuleWatch;

enum class RecordFormat { test, openmetrics };
/// By the file name: .yml/.yaml a test, .om/.txt OpenMetrics; nullopt otherwise.
std::optional<RecordFormat> record_format(const std::string& path);

/// An alertmanager.yml whose expectations a recorded test carries (watch --alertmanager).
struct RecordAlertmanager {
  std::string path; ///< as given (written relative to the recorded test)
  const ruletest::AlertmanagerSetup* setup = nullptr;
};

/// The rule test: series in notation, resampled every `interval_ms` from the first scrape (each
/// scrape on its nearest step); expected alerts from evaluating the rules on those series as
/// promtool does (every group at every evaluation_interval, the shortest group interval). With
/// `am`, the test also carries `nsmon.alertmanager_tests`: what Alertmanager does with the alerts
/// firing at each of those times; the test then starts at the run's time (start_timestamp), so
/// that the config's time intervals apply as they did live.
std::string record_test(const RuleWatch& rw, std::int64_t interval_ms, const std::string& path,
                        const RecordAlertmanager& am = {});
/// OpenMetrics: every scraped sample with its timestamp, families together, `# EOF`.
std::string record_openmetrics(const RuleWatch& rw);

/// Writes `path` atomically in the format its name says. Throws nsmon::Error.
void write_record(const RuleWatch& rw, std::int64_t interval_ms, const std::string& path,
                  const RecordAlertmanager& am = {});

} // namespace nsmon::watch
