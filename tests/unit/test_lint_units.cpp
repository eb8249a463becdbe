// The units checks that read more than the expression: a threshold against the duration an
// alert's annotations state.
#include <catch2/catch.hpp>

#include "test_lint_support.hpp"

using namespace nsmon;

namespace {

// The units/threshold-unit messages of one alert with `expr` and `description`.
std::vector<std::string> threshold_unit(const std::string& expr, const std::string& description) {
  std::vector<std::string> out;
  for (const auto& d : testing::lint_findings("r.yml",
                                              "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: " + expr +
                                                  "\n    labels: {severity: warning}\n    annotations:\n"
                                                  "      summary: s\n      description: \"" +
                                                  description + "\"\n",
                                              "units/threshold-unit"))
    out.push_back(d.message);
  return out;
}

} // namespace

TEST_CASE("threshold-unit: a threshold in the other unit of time than the annotation's", "[lint][units]") {
  using V = std::vector<std::string>;
  // awesome-prometheus-alerts 4266b4d: seconds per read, compared with the 100 of "100ms".
  const std::string seconds_per_read =
      "rate(node_disk_read_time_seconds_total[1m]) / rate(node_disk_reads_completed_total[1m])";
  CHECK(threshold_unit(seconds_per_read + " > 100", "Disk latency is growing (read operations > 100ms)") ==
        V{"the description annotation says 100ms, but node_disk_read_time_seconds_total / "
          "node_disk_reads_completed_total is in seconds by its names: the threshold 100 is 100 seconds"});
  CHECK(threshold_unit(seconds_per_read + " > 0.1", "Disk latency is growing (read operations > 100ms)").empty());
  // cbc2022: an average in milliseconds compared with 100ms written in seconds.
  const std::string ms = "rate(istio_request_duration_milliseconds_sum[1m]) / "
                         "rate(istio_request_duration_milliseconds_count[1m])";
  CHECK(threshold_unit(ms + " > 0.1", "Istio average requests execution is longer than 100ms.") ==
        V{"the description annotation says 100ms, but istio_request_duration_milliseconds_sum / "
          "istio_request_duration_milliseconds_count is in milliseconds by its names: the threshold 0.1 is 0.1 "
          "milliseconds"});
  CHECK(threshold_unit(ms + " > 100", "Istio average requests execution is longer than 100ms.").empty());
  // A quantile of buckets in seconds; made milliseconds by * 1000 it agrees.
  const std::string p99 = "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))";
  CHECK(threshold_unit(p99 + " > 500", "p99 above 500 ms").size() == 1);
  CHECK(threshold_unit(p99 + " * 1000 > 500", "p99 above 500 ms").empty());
  CHECK(threshold_unit(p99 + " > 0.5", "p99 above 500 ms").empty());
  // One stated duration that agrees is enough; a window is no threshold converted by 1000.
  CHECK(threshold_unit(p99 + " > 0.5", "p99 above 500ms (0.5s)").empty());
  CHECK(threshold_unit(p99 + " > 0.3", "p99 over the last 300s").empty());
  // A rate of a seconds counter is seconds per second, a busy fraction: no duration.
  CHECK(threshold_unit("rate(node_cpu_seconds_total{mode=\\\"iowait\\\"}[5m]) > 0.5", "iowait above 0.5s").empty());
  // Numbers in template actions, in words (p99) and out of range are not durations.
  CHECK(threshold_unit(p99 + " > 100", "{{ 100 }}ms and p100s").empty());
  CHECK(threshold_unit(p99 + " > 100", std::string(400, '9') + " s").empty());
}
