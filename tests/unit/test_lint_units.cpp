// The units checks that read more than the expression: a threshold against the duration or the
// percentage an alert's annotations state.
#include <catch2/catch.hpp>

#include "test_lint_support.hpp"

using namespace nsmon;

namespace {

// The messages of `check` on one alert with `expr` and `description`.
std::vector<std::string> threshold_unit(const std::string& expr, const std::string& description,
                                        const std::string& check = "units/threshold-unit") {
  std::vector<std::string> out;
  for (const auto& d : testing::lint_findings("r.yml",
                                              "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: " + expr +
                                                  "\n    labels: {severity: warning}\n    annotations:\n"
                                                  "      summary: s\n      description: \"" +
                                                  description + "\"\n",
                                              check))
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

TEST_CASE("threshold-unit: bytes divided into another size than the annotation's", "[lint][units]") {
  using V = std::vector<std::string>;
  // govuk-helm-charts dd033c2: bytes over 10^10 compared with the 5 of "5GB", 50 GB.
  const std::string pvc = "kubelet_volume_stats_available_bytes";
  CHECK(threshold_unit(pvc + " / (10 * 1000 * 1000 * 1000) < 5", "Less than 5GB of disk space remaining") ==
        V{"the description annotation says 5GB, but kubelet_volume_stats_available_bytes / (10 * 1000 * 1000 * 1000) "
          "counts units of 1e+10 bytes: the threshold 5 is 50GB"});
  CHECK(threshold_unit(pvc + " / (1000 * 1000 * 1000) < 10", "Less than 10GB of disk space remaining").empty());
  // GB read as 2^30 bytes agrees too, and so do bytes written out, or a size stated twice.
  CHECK(threshold_unit(pvc + " / 1024 / 1024 / 1024 < 5", "Less than 5 GB free").empty());
  CHECK(threshold_unit(pvc + " < 5000000000", "Less than 5GB free").empty());
  CHECK(threshold_unit(pvc + " / 1e6 < 5000", "Less than 5GB (5000MB) free").empty());
  // Bytes as they are, compared with the number of a size.
  CHECK(threshold_unit("node_memory_MemAvailable_bytes < 512", "less than 512MB available") ==
        V{"the description annotation says 512MB, but node_memory_MemAvailable_bytes is in bytes: the threshold 512 "
          "is 512 bytes"});
  // A ratio of sizes, a size whose number is not the threshold, and a name in no unit say nothing.
  CHECK(threshold_unit(pvc + " / kubelet_volume_stats_capacity_bytes < 5", "Less than 5GB free").empty());
  CHECK(threshold_unit(pvc + " / 1e9 < 3", "Volume of 500GB nearly full").empty());
  CHECK(threshold_unit("free_space / 1e6 < 5", "Less than 5GB free").empty());
}

// Aegis-BPF: `rate(aegisbpf_blocks_total[5m]) > 100`, "more than 100 executions per minute", is
// silent at 600 a minute (review-corpus proofs/rate-per-second.test.yml).
TEST_CASE("threshold-unit: a rate per second against a number stated per minute or hour", "[lint][units]") {
  using V = std::vector<std::string>;
  CHECK(threshold_unit("rate(aegisbpf_blocks_total[5m]) > 100", "blocking more than 100 executions per minute") ==
        V{"the description annotation says 100 executions per minute, but rate(aegisbpf_blocks_total[5m]) is per "
          "second: the threshold 100 is 6000 per minute"});
  CHECK(threshold_unit("rate(spider_pages_fetched_total[5m]) < 1", "fetching less than 1 page per 5 minutes") ==
        V{"the description annotation says 1 page per 5 minutes, but rate(spider_pages_fetched_total[5m]) is per "
          "second: the threshold 1 is 300 per 300 seconds"});
  CHECK(threshold_unit("sum(rate(x_total[1h])) > 10", "changing >10 times/hour").size() == 1);
  CHECK(threshold_unit("rate(x_total[5m]) > 1 and y > 100", "errors at rate > 1/minute").size() == 1);
  // review52's POS alerts: "más de 5 por minuto".
  CHECK(threshold_unit("rate(pos_login_failures_total[5m]) > 5", "más de 5 por minuto") ==
        V{"the description annotation says 5 por minuto, but rate(pos_login_failures_total[5m]) is per second: the "
          "threshold 5 is 300 per minute"});
  // Scaled by the author, an increase, another number, a number stated per second too, no number
  // before the words, a gauge: quiet.
  CHECK(threshold_unit("rate(x_total[5m]) * 60 > 100", "more than 100 executions per minute").empty());
  CHECK(threshold_unit("increase(x_total[1h]) > 10", "more than 10 restarts per hour").empty());
  CHECK(threshold_unit("rate(x_total[5m]) > 100", "more than 50 executions per minute").empty());
  CHECK(threshold_unit("rate(x_total[5m]) > 100", "100/s, or 6000 per minute, 100 per minute").empty());
  CHECK(threshold_unit("rate(x_total[5m]) > 100", "executions per minute above the limit").empty());
  CHECK(threshold_unit("x > 100", "more than 100 executions per minute").empty());
}

TEST_CASE("threshold-unit: a recorded series whose name says its unit", "[lint][units]") {
  using V = std::vector<std::string>;
  // gitlab-com/runbooks d2d59af: level:metric:operations, a p95 of a metric in seconds, compared
  // with the 2000 and 1500 of "2s" and "1500ms".
  const std::string p95 = "type:rails_requests_completed_seconds:p95{type='web'}";
  CHECK(threshold_unit(p95 + " > 2000", "Web latency has been over 2s") ==
        V{"the description annotation says 2s, but type:rails_requests_completed_seconds:p95 is in seconds by its "
          "names: the threshold 2000 is 2000 seconds"});
  CHECK(threshold_unit(p95 + " > 1500", "API latency has been over 1500ms").size() == 1);
  CHECK(threshold_unit(p95 + " > 2", "Web latency has been over 2s").empty());
  CHECK(threshold_unit(p95 + " > 1.5", "API latency has been over 1500ms").empty());
  // Operations that keep the values: a window, a quantile, an average over time, a maximum.
  CHECK(threshold_unit("job:request_duration_milliseconds:histogram_quantile > 0.5", "over 500ms").size() == 1);
  CHECK(threshold_unit("job:request_duration_seconds:avg_over_time5m > 500", "over 500ms").size() == 1);
  CHECK(threshold_unit("job:request_duration_seconds:max > 500", "over 500ms").size() == 1);
  // Operations that do not: a rate (seconds per second), a sum, an unknown one; no unit, no form.
  CHECK(threshold_unit("job:request_duration_seconds:rate5m > 500", "over 500ms").empty());
  CHECK(threshold_unit("job:request_duration_seconds:sum > 500", "over 500ms").empty());
  CHECK(threshold_unit("job:request_duration_seconds:apdex > 500", "over 500ms").empty());
  CHECK(threshold_unit("job:requests:p95 > 500", "over 500ms").empty());
  CHECK(threshold_unit("request_duration_seconds:p95 > 500", "over 500ms").empty());
}

TEST_CASE("threshold-unit: a recording rule of the files that scales its name's unit", "[lint][units]") {
  // The files record the p95 in milliseconds under a name in seconds: the name says nothing.
  const std::string files = "groups:\n- name: g\n  rules:\n"
                            "  - record: job:latency_seconds:p95\n"
                            "    expr: histogram_quantile(0.95, sum by (job, le) (rate(latency_seconds_bucket[5m]))) * "
                            "1000\n"
                            "  - alert: A\n    expr: job:latency_seconds:p95 > 500\n"
                            "    labels: {severity: warning}\n    annotations:\n"
                            "      summary: s\n      description: \"p95 over 500ms\"\n";
  CHECK(testing::lint_findings("r.yml", files, "units/threshold-unit").empty());
  std::string plain = files;
  plain.replace(plain.find(" * 1000"), 7, "");
  CHECK(testing::lint_findings("r.yml", plain, "units/threshold-unit").size() == 1);
}

namespace {

// The units/count-vs-rate messages of a recording rule with `expr`.
std::vector<std::string> count_vs_rate(const std::string& expr) {
  std::vector<std::string> out;
  for (const auto& d : testing::lint_findings(
           "r.yml", "groups:\n- name: g\n  rules:\n  - record: job:x:ratio\n    expr: " + expr + "\n",
           "units/count-vs-rate"))
    out.push_back(d.message);
  return out;
}

} // namespace

TEST_CASE("count-vs-rate: an increase() against a rate() or irate()", "[lint][units]") {
  using V = std::vector<std::string>;
  // cluster-monitoring-operator e94b2de: failed requests over 5m per request per second.
  const V ocp = count_vs_rate(
      "sum(max without(pod) (increase(haproxy_server_http_responses_total{code=\"5xx\"}[5m]) > 0)) / sum(max "
      "without(pod) (irate(haproxy_server_http_responses_total[5m])))");
  REQUIRE(ocp.size() == 1);
  CHECK(ocp[0] ==
        "the dividend is an increase(), the divisor an irate(): increase() is a count per 5m, irate() a count per "
        "second, so the quotient is 300 times the ratio of the two counts");
  const V inverse = count_vs_rate("sum(rate(errors_total[1h])) / sum(increase(requests_total[1h]))");
  REQUIRE(inverse.size() == 1);
  CHECK(inverse[0].find("1/3600 of the ratio") != std::string::npos);
  const V compared = count_vs_rate("increase(errors_total[10m]) > rate(requests_total[10m])");
  REQUIRE(compared.size() == 1);
  CHECK(compared[0].find("the sides of '>' are an increase() and a rate()") != std::string::npos);
  // One function on both sides, or a side the author converted with a number: nothing.
  CHECK(count_vs_rate("sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))").empty());
  CHECK(count_vs_rate("sum(increase(errors_total[1h])) / sum(increase(requests_total[1h]))").empty());
  CHECK(count_vs_rate("sum(increase(errors_total[5m])) / (sum(rate(requests_total[5m])) * 300)").empty());
  CHECK(count_vs_rate("increase(errors_total[5m]) / scalar(rate(requests_total[5m]))").empty());
  CHECK(count_vs_rate("increase(errors_total[5m]) or rate(requests_total[5m])").empty());
}

namespace {

// The messages of `check` on one alert with `expr` and a `description` that templates print (in
// single quotes, so that printf's double-quoted formats stay as written).
std::vector<std::string> template_findings(const std::string& expr, const std::string& description,
                                           const std::string& check) {
  std::vector<std::string> out;
  for (const auto& d : testing::lint_findings("r.yml",
                                              "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: " + expr +
                                                  "\n    labels: {severity: warning}\n    annotations:\n"
                                                  "      summary: s\n      description: '" +
                                                  description + "'\n",
                                              check))
    out.push_back(d.message);
  return out;
}

std::vector<std::string> humanize_duration(const std::string& expr, const std::string& description) {
  return template_findings(expr, description, "units/humanize-duration");
}

} // namespace

TEST_CASE("humanize-duration: humanizeDuration of a value in another unit than seconds", "[lint][units]") {
  using V = std::vector<std::string>;
  // gitlab-com runbooks c04ec2f: a recorded age in hours, "seen 48.09s ago".
  const V hours = humanize_duration("gitlab_com:last_wale_basebackup_age_in_hours >= 48",
                                    "seen {{ .Value | humanizeDuration }} ago");
  REQUIRE(hours.size() == 1);
  CHECK(hours[0] == "annotation \"description\" prints $value with humanizeDuration, which reads seconds, but "
                    "gitlab_com:last_wale_basebackup_age_in_hours is in hours by its names: 48 hours print as \"48s\"");
  // The unit made by arithmetic: the message names the expression that makes it, not the metric.
  const V divided = humanize_duration("(time() - push_time_seconds) / 3600 > 48", "{{ humanizeDuration $value }}");
  REQUIRE(divided.size() == 1);
  CHECK(divided[0].find("but (time() - push_time_seconds) / 3600 is in hours") != std::string::npos);
  const V ms =
      humanize_duration("histogram_quantile(0.99, sum by (le) (rate(request_duration_milliseconds_bucket[5m]))) > 250",
                        "p99 {{ $value | humanizeDuration }}");
  REQUIRE(ms.size() == 1);
  CHECK(ms[0].find("in milliseconds by its names: 250 milliseconds print as \"4m 10s\"") != std::string::npos);
  // A comparison keeps its vector side's values, on either side of the operator; bool makes them 0 or 1.
  CHECK(humanize_duration("48 < backup_age_hours", "{{ $value | humanizeDuration }}").size() == 1);
  CHECK(humanize_duration("backup_age_hours > bool 48", "{{ $value | humanizeDuration }}").empty());
  // Seconds, the value printed as a number, or converted back to seconds: nothing.
  CHECK(humanize_duration("time() - push_time_seconds > 172800", "{{ $value | humanizeDuration }}").empty());
  CHECK(humanize_duration("backup_age_hours > 48", "{{ $value }} hours").empty());
  CHECK(humanize_duration("request_duration_milliseconds / 1000 > 1", "{{ $value | humanizeDuration }}").empty());
  CHECK(humanize_duration("backup_age_hours > 48", "{{ $value | humanize }}").empty());
}

namespace {
std::vector<std::string> printed_time_unit(const std::string& expr, const std::string& description) {
  return template_findings(expr, description, "units/printed-time-unit");
}
} // namespace

// gitpod a986791: an event loop lag in seconds printed "0.50ms" (shipped-bugs/proofs/gitpod-a986791.before.test.yml).
TEST_CASE("printed-time-unit: $value written in another unit of time than its own", "[lint][units]") {
  using V = std::vector<std::string>;
  CHECK(printed_time_unit("avg_over_time(nodejs_eventloop_lag_seconds[20m]) > 0.35",
                          "{{ printf \"%.2f\" $value }}ms event loop lag") ==
        V{"annotation \"description\" prints $value as a number \"ms\", but nodejs_eventloop_lag_seconds is in "
          "seconds by its names: 2 seconds print as \"2ms\", 1000 times less than they are"});
  CHECK(printed_time_unit("histogram_quantile(0.99, sum by (le) (rate(request_duration_milliseconds_bucket[5m]))) > "
                          "250",
                          "p99 is {{ $value }} seconds") ==
        V{"annotation \"description\" prints $value as a number \" seconds\", but request_duration_milliseconds is "
          "in milliseconds by its names: 2 milliseconds print as \"2 seconds\", 1000 times more than they are"});
  // An age in seconds written in hours or days; the word's forms; the left of `and`.
  CHECK(printed_time_unit("time() - backup_last_success_timestamp_seconds > 86400", "{{ $value }} hours ago").size() ==
        1);
  CHECK(
      printed_time_unit("time() - backup_last_success_timestamp_seconds > 86400", "{{ $value | humanize }}h").size() ==
      1);
  CHECK(printed_time_unit("lag_seconds > 1 and on () up == 1", "lag {{ $value }} msec").size() == 1);
  CHECK(printed_time_unit("backup_age_hours > 48", "{{ $value }} days").size() == 1);
  CHECK(printed_time_unit("backup_age_hours > 48", "{{ $value }} dias, {{ $value }} segundos").size() == 1);
  // The unit the values are in, scaled by the author, or no unit of time by the names: quiet.
  CHECK(printed_time_unit("lag_seconds > 1", "{{ $value }}s, {{ $value | humanize }}s").empty());
  CHECK(printed_time_unit("lag_seconds * 1000 > 1000", "{{ $value }}ms").empty());
  CHECK(printed_time_unit("(time() - x_timestamp_seconds) / 3600 > 48", "{{ $value }} hours").empty());
  CHECK(printed_time_unit("backup_age_hours > 48", "{{ $value }}h").empty());
  CHECK(printed_time_unit("queue_length > 100", "{{ $value }}ms").empty());
  CHECK(printed_time_unit("rate(cpu_seconds_total[5m]) > 0.9", "{{ $value }}s of CPU a second").empty());
  // A longer token or another word: no unit.
  CHECK(printed_time_unit("lag_seconds > 1", "{{ $value }}m, {{ $value }}ms/s, {{ $value }} minimum").empty());
  // The value of `up == 0` is 0 however long the target has been down (review52's POSServiceDown,
  // GitLab's ChefClientDisabled: proofs/printed-constant-time.test.yml); the ratio's unit checks are
  // not asked of it.
  CHECK(printed_time_unit("up{job=\"pos\"} == 0", "no responde desde hace {{ $value }} segundos") ==
        V{"annotation \"description\" prints $value as a time, but every alert's value is 0 (the comparison == 0 "
          "keeps only the values it accepts), not how long anything took: every alert reads \"0 segundos\" however "
          "long the condition has held"});
  CHECK(printed_time_unit("chef_client_enabled == 0", "over {{ $value | humanizeDuration }} ago").size() == 1);
  CHECK(printed_time_unit("count by (id) (sum by (id) (stuck_seconds) > 120)", "since {{ $value }}s").size() == 1);
  CHECK(printed_time_unit("up == 0 and on (instance) boot_time_seconds > 0", "down {{ $value }}s").size() == 1);
  // A value that varies, or 0 and 1 of a comparison with bool: quiet.
  CHECK(printed_time_unit("up == bool 0", "down {{ $value }} minutes").empty());
  CHECK(printed_time_unit("time() - last_seen_seconds > 600 and up == 1", "{{ $value | humanizeDuration }}").empty());
  CHECK(printed_time_unit("lag_seconds > 1", "{{ $value }} hosts, {{ $labels.x }}ms").empty());
}

namespace {
std::vector<std::string> printed_size_unit(const std::string& expr, const std::string& description) {
  return template_findings(expr, description, "units/printed-size-unit");
}
} // namespace

// kubernetes-mixin 5225b0a: the used share of a volume printed with humanize1024 as the bytes left
// (shipped-bugs/proofs/kubernetes-mixin-5225b0a.before.test.yml).
TEST_CASE("printed-size-unit: $value printed as a size in another unit than its own", "[lint][units]") {
  using V = std::vector<std::string>;
  const std::string used = "kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 0.85 and "
                           "predict_linear(kubelet_volume_stats_available_bytes[6h], 4 * 24 * 3600) < 0";
  CHECK(printed_size_unit(used, "Currently {{ $value | humanize1024 }} is available.") ==
        V{"annotation \"description\" prints $value as a size (humanize1024), but kubelet_volume_stats_used_bytes / "
          "kubelet_volume_stats_capacity_bytes is a quotient of two quantities in one unit by their names, with no "
          "unit of its own: 0.87 prints as \"0.87\""});
  // A percentage of the free bytes printed "Gb".
  CHECK(printed_size_unit("100 * node_filesystem_avail_bytes / node_filesystem_size_bytes < 5",
                          "{{ printf \"%.2f\" $value }}Gb available") ==
        V{"annotation \"description\" prints $value as a size (a number \"Gb\"), but node_filesystem_avail_bytes / "
          "node_filesystem_size_bytes is a quotient of two quantities in one unit by their names, with no unit of its "
          "own: 87% prints as \"87Gb\""});
  // Bytes printed in gigabytes, and mebibytes printed in bytes.
  CHECK(printed_size_unit("node_memory_MemAvailable_bytes < 1e9", "only {{ $value }}GB left") ==
        V{"annotation \"description\" prints $value as a number \"GB\", but node_memory_MemAvailable_bytes is in "
          "bytes by its names: 2 bytes print as \"2GB\""});
  CHECK(printed_size_unit("sum(container_memory_working_set_bytes) / 1024 / 1024 > 512",
                          "{{ $value | humanize1024 }}B used") ==
        V{"annotation \"description\" prints $value as humanize1024 and \"B\", but container_memory_working_set_bytes "
          "/ 1048576 is in MiB by its names: 2 MiB print as \"2B\""});
  // review53's ProxmoxStorageLow: the left side of `and`, a size, printed as a percentage.
  CHECK(printed_size_unit("pve_storage_size_bytes > 0 and (pve_storage_usage_bytes / pve_storage_size_bytes) > 0.90",
                          "Storage usage is {{ $value | printf \"%.0f\" }}%") ==
        V{"annotation \"description\" prints $value with a % after it, but pve_storage_size_bytes is in bytes by its "
          "names, no share of anything: 1 GB prints as \"1e+09%\" (\"1G%\" through humanize)"});
  CHECK(printed_size_unit("pve_storage_usage_bytes / pve_storage_size_bytes * 100 > 90 and pve_storage_size_bytes > 0",
                          "Storage usage is {{ $value | printf \"%.0f\" }}%")
            .empty());
  // The unit the values are in, scaled by the author, or no size by the names: quiet.
  CHECK(printed_size_unit("node_memory_MemAvailable_bytes < 1e9",
                          "{{ $value | humanize1024 }}B, {{ $value | humanize }}B, {{ $value }} bytes, "
                          "{{ $value | humanize1024 }} free")
            .empty());
  CHECK(printed_size_unit("node_memory_MemAvailable_bytes / 1024 / 1024 < 512", "{{ $value }}MB, {{ $value }} MiB")
            .empty());
  CHECK(printed_size_unit("node_memory_MemAvailable_bytes / 1e9 < 1", "{{ printf \"%.1f\" $value }} GB").empty());
  CHECK(printed_size_unit("queue_length > 100", "{{ $value }}MB").empty());
  CHECK(printed_size_unit("rate(node_network_receive_bytes_total[5m]) > 1e8", "{{ $value | humanize1024 }}B").empty());
  CHECK(printed_size_unit("node_memory_MemAvailable_bytes < 1e9", "{{ $value }}MB/s, {{ $value }}GBps").empty());
  // A percentage under humanize1024 with a % after it prints as it is.
  CHECK(printed_size_unit("100 * node_filesystem_avail_bytes / node_filesystem_size_bytes < 5",
                          "{{ $value | humanize1024 }}%")
            .empty());
}

TEST_CASE("ratio-as-percent: a unit over itself compared with a stated percentage", "[lint][units]") {
  using V = std::vector<std::string>;
  auto ratio = [](const std::string& expr, const std::string& description) {
    return threshold_unit(expr, description, "units/ratio-as-percent");
  };
  // openstack-helm-infra 8411362: used over capacity, both bytes, compared with the 80 of "80%".
  const std::string used = "kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes";
  CHECK(ratio("(" + used + ") > 80", "usage has exceeded 80% of total capacity") ==
        V{"the description annotation says 80%, but kubelet_volume_stats_used_bytes / "
          "kubelet_volume_stats_capacity_bytes is a unit over itself, a ratio where 1 is 100%: the threshold 80 is "
          "8000%"});
  CHECK(ratio("80 < sum by (node) (" + used + ")", "above 80 percent").size() == 1);
  CHECK(ratio(used + " > 80", "above 80 % full").size() == 1);
  // Scaled, or compared with the ratio the percentage is, it agrees.
  CHECK(ratio("(" + used + ") * 100 > 80", "usage has exceeded 80%").empty());
  CHECK(ratio("100 * " + used + " > 80", "usage has exceeded 80%").empty());
  CHECK(ratio(used + " > 0.8", "usage has exceeded 80%").empty());
  // Another number stated, a percentage in a template action, or no quotient of one unit: quiet.
  CHECK(ratio(used + " > 80", "usage has exceeded 90%").empty());
  CHECK(ratio(used + " > 80", "usage is {{ 80 }}% and {{ $value | humanizePercentage }}").empty());
  CHECK(ratio("node_filesystem_avail_percent > 80", "above 80%").empty());
  CHECK(ratio("rate(node_cpu_seconds_total[5m]) / count(node_cpu_seconds_total) > 80", "above 80%").empty());
  CHECK(ratio("job:disk_used_bytes:ratio / job:disk_size_bytes:sum > 80", "above 80%").empty());
}

TEST_CASE("percent-as-ratio: a stated percentage over 100 where $value is printed with a %", "[lint][units]") {
  using V = std::vector<std::string>;
  auto percent = [](const std::string& expr, const std::string& description) {
    return threshold_unit(expr, description, "units/percent-as-ratio");
  };
  // otc-prometheus-exporter 761b255: Cloud Eye's usage in percent, compared with 0.8 for "80%".
  CHECK(percent("elb_l4_con_usage > 0.8", "has exceeded 80%. Current: {{ $value }}%") ==
        V{"the description annotation says 80% and description prints $value with a % after it, as a percentage "
          "(0-100), in which the threshold 0.8 is 0.8%; if the values are ratios (0-1), description prints 80% as "
          "0.8%"});
  CHECK(percent("obs_request_success_rate < 0.95", "below 95%. Current: {{ $value | humanize }} %").size() == 1);
  // The threshold in percent, the value printed scaled or not at all, another number: quiet.
  CHECK(percent("elb_l4_con_usage > 80", "has exceeded 80%. Current: {{ $value }}%").empty());
  CHECK(percent("elb_l4_con_usage > 0.8", "has exceeded 80%. Current: {{ $value | humanizePercentage }}").empty());
  CHECK(percent("elb_l4_con_usage > 0.8", "has exceeded 80%").empty());
  CHECK(percent("elb_l4_con_usage > 0.9", "has exceeded 80%. Current: {{ $value }}%").empty());
  // A proven ratio printed with a %: units/ratio-printed-as-percent's, the threshold is right.
  CHECK(percent("sum by (job) (rate(jobs_total{status=\"error\"}[5m])) / sum by (job) (rate(jobs_total[5m])) > 0.05",
                "above 5%. Current: {{ $value }}%")
            .empty());
  // aragora cd2985a: the threshold is the right side's of and, whose values never reach $value
  // (the burn rate is printed); on the left it is said, and unless filters as and does.
  CHECK(percent("burn_rate_1h > 3 and error_budget_remaining < 0.5", "below 50%. Remaining: {{ $value }}%.").empty());
  CHECK(percent("burn_rate_1h > 3 unless (error_budget_remaining < 0.5)", "below 50%. Left: {{ $value }}%.").empty());
  CHECK(percent("error_budget_remaining < 0.5 and burn_rate_1h > 3", "below 50%. Remaining: {{ $value }}%.").size() ==
        1);
}

TEST_CASE("events-as-share: a count of events compared with a stated share", "[lint][units]") {
  using V = std::vector<std::string>;
  auto share = [](const std::string& expr, const std::string& description) {
    return threshold_unit(expr, description, "units/events-as-share");
  };
  // KrishiMitra's MlHighFallbackRate (proofs/review43-missed.test.yml).
  CHECK(share("rate(krishimitra_ml_fallbacks_total[10m]) > 0.1", "More than 10% of requests are falling back") ==
        V{"the description annotation says 10%, but rate(krishimitra_ml_fallbacks_total[10m]) counts "
          "krishimitra_ml_fallbacks_total's events per second, no share of anything: the threshold 0.1 is 0.1 events "
          "a second, whatever share of all the events that is"});
  CHECK(share("sum by (job) (increase(jobs_failed_total[1h])) >= 5", "over 5% of the jobs failed") ==
        V{"the description annotation says 5%, but increase(jobs_failed_total[1h]) counts jobs_failed_total's events "
          "in its range, no share of anything: the threshold 5 is 5 events, whatever share of all the events that is"});
  CHECK(share("rate(requests_total{status=\"error\"}[10m]) > 0.20", "AI chat error rate > 20%").size() == 1);
  // A share computed beside a minimum of traffic states the percentage; a ratio; seconds; a gauge;
  // another number; no percentage: quiet.
  CHECK(share("rate(errors_total[5m]) > 0.05 and rate(errors_total[5m]) / rate(requests_total[5m]) > 0.05",
              "more than 5% of requests fail")
            .empty());
  // A minimum of requests beside the share, whose number happens to be the percentage (MoJ's poirot).
  CHECK(share("sum(rate(errors_total[10m])) / sum(rate(requests_total[10m])) > 0.20 and "
              "sum(increase(requests_total[10m])) >= 20",
              "More than 20% of requests have returned 5xx responses")
            .empty());
  CHECK(share("rate(errors_total[5m]) / rate(requests_total[5m]) > 0.05", "more than 5% of requests fail").empty());
  CHECK(share("rate(process_cpu_seconds_total[5m]) > 0.8", "CPU above 80%").empty());
  CHECK(share("errors_in_flight > 0.05", "more than 5% of requests fail").empty());
  CHECK(share("rate(errors_total[5m]) > 0.05", "more than 10% of requests fail").empty());
  CHECK(share("rate(errors_total[5m]) > 0.05", "errors above 0.05 a second").empty());
}

TEST_CASE("ratio-as-percent: a ratio of two counts of events compared with a stated percentage", "[lint][units]") {
  using V = std::vector<std::string>;
  auto ratio = [](const std::string& expr, const std::string& description) {
    return threshold_unit(expr, description, "units/ratio-as-percent");
  };
  const std::string errors =
      "sum by (job) (rate(http_requests_failed_total[5m])) / sum by (job) (rate(http_requests_total[5m]))";
  CHECK(ratio(errors + " > 5", "more than 5% of requests fail") ==
        V{"the description annotation says 5%, but http_requests_failed_total / http_requests_total is a ratio of two "
          "counts "
          "of events, a ratio where 1 is 100%: the threshold 5 is 500%"});
  CHECK(ratio("increase(jobs_failed_total[1h]) / increase(jobs_started_total[1h]) > 10", "over 10% failed").size() ==
        1);
  // Scaled or written as the ratio; a count per second over a count per hour; seconds over a count.
  CHECK(ratio(errors + " > 0.05", "more than 5% of requests fail").empty());
  CHECK(ratio(errors + " * 100 > 5", "more than 5% of requests fail").empty());
  CHECK(ratio("increase(jobs_failed_total[1h]) / rate(jobs_started_total[1h]) > 10", "over 10% failed").empty());
  CHECK(ratio("rate(request_duration_seconds_sum[5m]) / rate(request_duration_seconds_count[5m]) > 5", "5% slower")
            .empty());
}

namespace {
std::vector<std::string> ratio_printed(const std::string& expr, const std::string& description) {
  return template_findings(expr, description, "units/ratio-printed-as-percent");
}
} // namespace

// etcd 2bc0ba4f1; review23's wohnzimmer and rhobs alerts (proofs/ratio-printed-percent.test.yml).
TEST_CASE("ratio-printed-as-percent: a proven ratio printed with a % after it", "[lint][units]") {
  using V = std::vector<std::string>;
  const std::string ratio =
      "sum by (job) (rate(jobs_total{status=\"error\"}[5m])) / sum by (job) (rate(jobs_total[5m]))";
  CHECK(ratio_printed(ratio + " > 0.05", "{{ $value }}% fail") ==
        V{"annotation \"description\" prints $value with a % after it, but a ratio of some of the series of "
          "jobs_total to all of them is between 0 and 1: 5% shows as 0.05% (50m% through humanize)"});
  // Every way of printing the number, a space before the %, printf's own %%, the threshold on the left.
  CHECK(ratio_printed(ratio + " > 0.05", "{{ $value | humanize }} % fail").size() == 1);
  CHECK(ratio_printed(ratio + " > 0.05", "{{ humanize .Value }}% fail").size() == 1);
  CHECK(ratio_printed(ratio + " > 0.05", "{{ printf \"%.2f\" $value }}% fail").size() == 1);
  CHECK(ratio_printed(ratio + " > 0.05", "{{ printf \"%.2f%%\" $value }} fail").size() == 1);
  CHECK(ratio_printed("0.05 < " + ratio, "{{ $value }}% fail").size() == 1);
  // node-mixin's NodeFilesystemSpaceFillingUp (node_exporter dfeec07f): `and` keeps its left side's
  // values, the free share, printed "0.32%" (shipped-bugs/proofs/node_exporter-dfeec07f.before.test.yml).
  CHECK(ratio_printed("(node_filesystem_files_free / node_filesystem_files < 0.4 and "
                      "predict_linear(node_filesystem_files_free[6h], 86400) < 0 and node_filesystem_readonly == 0)",
                      "only {{ printf \"%.2f\" $value }}% available inodes left") ==
        V{"annotation \"description\" prints $value with a % after it, but a ratio of node_filesystem_files_free to "
          "node_filesystem_files (node_exporter's free inodes are some of the filesystem's inodes) is between 0 and 1: "
          "5% shows as 0.05% (50m% through humanize)"});
  // An alert that never fires prints nothing (gitlab's Thanos DNS alerts: `> 0 * 100 > 1` binds as
  // `(ratio > 0) > 1`, promql/impossible's finding).
  CHECK(ratio_printed(ratio + " > 0 * 100 > 1", "{{ $value | humanize }}% fail").empty());
  CHECK(ratio_printed(ratio + " > 0 * 100 > 0.5", "{{ $value | humanize }}% fail").size() == 1);
  // Its space alert's avail_bytes is below 0 on FreeBSD while root uses its reserve: no proven ratio.
  CHECK(
      ratio_printed("node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.4 and node_filesystem_readonly == 0",
                    "only {{ printf \"%.2f\" $value }}% available space left")
          .empty());
  CHECK(ratio_printed("(" + ratio + " > 0.05) unless on (job) maintenance", "{{ $value }}% fail").size() == 1);
  // The right side of `and` gives only its labels' match: its ratio is not the value printed.
  CHECK(ratio_printed("errors_now > 5 and " + ratio + " > 0.05", "{{ $value }}% fail").empty());
  // Scaled to a percentage, printed by humanizePercentage, no % after it, or printed otherwise: quiet.
  CHECK(ratio_printed("(" + ratio + ") * 100 > 5", "{{ $value }}% fail").empty());
  CHECK(ratio_printed(ratio + " > 0.05", "{{ $value | humanizePercentage }} fail").empty());
  CHECK(ratio_printed(ratio + " > 0.05", "{{ $value }} of them, 5% at most").empty());
  CHECK(ratio_printed(ratio + " > 0.05", "{{ printf \"%d\" $value }}% fail").empty());
  CHECK(ratio_printed(ratio + " > bool 0.05", "{{ $value }}% fail").empty());
  // Nothing proves a ratio of two other series below 1: quiet.
  CHECK(ratio_printed("sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) > 0.05", "{{ $value }}% fail")
            .empty());
}

namespace {
std::vector<std::string> humanize_percentage(const std::string& expr, const std::string& description) {
  return template_findings(expr, description, "units/humanize-percentage");
}
} // namespace

// review38: HempDash's LokiRequestErrors, `100 * 5xx / all > 10` printed with humanizePercentage,
// read "1500% errors" at 15% (proofs/review38-hempdash.test.yml, humanize-percentage.test.yml).
TEST_CASE("humanize-percentage: humanizePercentage of a value already multiplied by 100", "[lint][units]") {
  using V = std::vector<std::string>;
  const std::string ratio = "sum by (job) (rate(x_errors_total[5m])) / sum by (job) (rate(x_total[5m]))";
  CHECK(humanize_percentage("100 * " + ratio + " > 10", "{{ $value | humanizePercentage }} errors") ==
        V{"annotation \"description\" prints $value with humanizePercentage, which multiplies by 100, but the "
          "expression's `100 *` has made it a percentage already: 15% shows as 1500%"});
  // Every place of the factor: after the ratio, under a kept aggregation, before a subtraction from
  // 100, with the threshold on the left; either way of calling humanizePercentage.
  CHECK(humanize_percentage("(" + ratio + ") * 100 > 10", "{{ humanizePercentage $value }}").size() == 1);
  CHECK(humanize_percentage("max((" + ratio + ") * 100) > 10", "{{ .Value | humanizePercentage }}").size() == 1);
  CHECK(humanize_percentage("100 - (free_bytes / size_bytes * 100) > 90", "{{ $value | humanizePercentage }}").size() ==
        1);
  CHECK(humanize_percentage("10 < 100 * " + ratio, "{{ $value | humanizePercentage }}").size() == 1);
  // A ratio, a value divided by 100, a value scaled by another number, a count, bool, or printed
  // otherwise: quiet.
  CHECK(humanize_percentage(ratio + " > 0.1", "{{ $value | humanizePercentage }}").empty());
  CHECK(humanize_percentage("disk_used_percent / 100 > 0.9", "{{ $value | humanizePercentage }}").empty());
  CHECK(humanize_percentage("(" + ratio + ") * 1000 > 10", "{{ $value | humanizePercentage }}").empty());
  CHECK(humanize_percentage("count(up * 100 == 0) > 1", "{{ $value | humanizePercentage }}").empty());
  CHECK(humanize_percentage("100 * " + ratio + " > bool 10", "{{ $value | humanizePercentage }}").empty());
  CHECK(humanize_percentage("100 * " + ratio + " > 10", "{{ $value | humanize }}%").empty());
  CHECK(humanize_percentage("100 * " + ratio + " > 10", "{{ 0.5 | humanizePercentage }}").empty());
}

// review40b: Patronus' HighErrorRate, `rate(http_requests_errors_total[5m]) > 0.05`, read "HTTP
// error rate is 10%" at 6 errors a minute (proofs/review40b-missed.test.yml,
// events-as-percentage.test.yml).
TEST_CASE("humanize-percentage: humanizePercentage of a count of events", "[lint][units]") {
  using V = std::vector<std::string>;
  CHECK(humanize_percentage("rate(http_requests_errors_total[5m]) > 0.05", "{{ $value | humanizePercentage }}") ==
        V{"annotation \"description\" prints $value with humanizePercentage, which reads a share of 1, but the values "
          "are a rate() of http_requests_errors_total, events per second: 6 a minute show as 10%"});
  CHECK(
      humanize_percentage("sum by (job) (increase(loki_panic_total[10m])) > 0", "{{ $value | humanizePercentage }}") ==
      V{"annotation \"description\" prints $value with humanizePercentage, which reads a share of 1, but the values "
        "are an increase() of loki_panic_total, a number of events: 3 show as 300%"});
  // The left side of `and` gives the values, and a histogram's _count counts requests.
  CHECK(humanize_percentage("(rate(gc_skipped_total[5m]) > 0) and (garbage_ratio > 0.5)",
                            "{{ $value | humanizePercentage }}")
            .size() == 1);
  CHECK(humanize_percentage("irate(request_duration_seconds_count[5m]) > 1", "{{ $value | humanizePercentage }}")
            .size() == 1);
  // Either side of `or` (KubeMirror's two controllers); not where a side is a fallback number.
  CHECK(humanize_percentage("rate(errors_total{c=\"a\"}[5m]) > 0.1 or rate(errors_total{c=\"b\"}[5m]) > 0.1",
                            "{{ $value | humanizePercentage }}")
            .size() == 1);
  CHECK(
      humanize_percentage("(rate(errors_total[5m]) or vector(0)) > 0.1", "{{ $value | humanizePercentage }}").empty());
  // A share of events, seconds a second (a busy fraction), a counter of a unit, a number's scaling,
  // bool, another side of `and`, or printed otherwise: quiet.
  CHECK(humanize_percentage("rate(errors_total[5m]) / rate(requests_total[5m]) > 0.05",
                            "{{ $value | humanizePercentage }}")
            .empty());
  CHECK(humanize_percentage("rate(process_cpu_seconds_total[5m]) > 0.9", "{{ $value | humanizePercentage }}").empty());
  CHECK(humanize_percentage("rate(sent_bytes_total[5m]) > 1e6", "{{ $value | humanizePercentage }}").empty());
  CHECK(humanize_percentage("rate(errors_total[5m]) * 60 > 1", "{{ $value | humanizePercentage }}").empty());
  CHECK(humanize_percentage("rate(errors_total[5m]) > bool 1", "{{ $value | humanizePercentage }}").empty());
  CHECK(
      humanize_percentage("garbage_ratio > 0.5 and rate(gc_skipped_total[5m]) > 0", "{{ $value | humanizePercentage }}")
          .empty());
  CHECK(humanize_percentage("rate(errors_total[5m]) > 0.05", "{{ $value | humanize }} errors a second").empty());
}

namespace {
std::vector<std::string> rate_per_second(const std::string& expr, const std::string& description) {
  return template_findings(expr, description, "units/rate-per-second");
}
} // namespace

// review41/review42-style texts: Aegis-BPF's `rate(aegisbpf_blocks_total[5m]) > 100` printed
// "{{ $value }}/min" (proofs/rate-per-second.test.yml).
TEST_CASE("rate-per-second: a rate per second printed per minute, hour or day", "[lint][units]") {
  using V = std::vector<std::string>;
  CHECK(rate_per_second("rate(aegisbpf_blocks_total[5m]) > 100", "Current rate: {{ $value | printf \"%.2f\" }}/min.") ==
        V{"annotation \"description\" prints $value as a number \"/min\", but the values are "
          "rate(aegisbpf_blocks_total[5m]), per second: the number per minute is 60 times it"});
  CHECK(rate_per_second("sum(rate(tokens_total[1h])) > 1e6", "Using {{ $value | humanize }} tokens/hour.") ==
        V{"annotation \"description\" prints $value as a number \"/hour\", but the values are "
          "rate(tokens_total[1h]), per second: the number per hour is 3600 times it"});
  // A noun before "per", no space before the slash, per day, irate, the left of `and`.
  CHECK(rate_per_second("rate(restarts_total[1h]) > 3", "{{ $value | humanize }} times per hour").size() == 1);
  CHECK(rate_per_second("rate(sent_bytes_total[1h]) > 1e6", "{{ $value | humanize }}B/day").size() == 1);
  CHECK(rate_per_second("irate(x_total[5m]) > 1", "({{ $value }} per minute)").size() == 1);
  CHECK(rate_per_second("rate(x_total[5m]) > 1", "{{ $value }} pages per 5 minutes") ==
        V{"annotation \"description\" prints $value as a number \"per 5 minutes\", but the values are "
          "rate(x_total[5m]), per second: the number per 300 seconds is 300 times it"});
  CHECK(rate_per_second("sum by (gvr) (rate(resync_events_total[1h])) > 5", "has {{$value}} resync events/hour.")
            .size() == 1);
  CHECK(rate_per_second("rate(changes_total[1h]) > 5", "{{$value}} strategy changes per hour detected").size() == 1);
  CHECK(rate_per_second("rate(x_total[5m]) > 1 and on() y > 0", "{{ $value }}/min").size() == 1);
  // Spanish's and Portuguese's words (review52's RE-EDUCA Store: "{{ $value }} erros por minuto").
  CHECK(rate_per_second("rate(payment_errors_total[5m]) > 0.5", "{{ $value }} erros por minuto") ==
        V{"annotation \"description\" prints $value as a number \"por minuto\", but the values are "
          "rate(payment_errors_total[5m]), per second: the number per minute is 60 times it"});
  CHECK(rate_per_second("rate(x_total[5m]) > 1", "{{ $value }} ventas por hora, {{ $value }}/minuto").size() == 1);
  CHECK(rate_per_second("rate(x_total[5m]) > 1", "{{ $value }} por segundo, {{ $value }} porcentaje").empty());
  // Scaled by the author, an increase (a count per its range), per second, another word after the
  // number, a unit that is no time, a number not printed alone: quiet.
  CHECK(rate_per_second("rate(x_total[5m]) * 60 > 100", "{{ $value }}/min").empty());
  CHECK(rate_per_second("increase(x_total[1h]) > 3", "{{ $value }} per hour").empty());
  CHECK(rate_per_second("rate(x_total[5m]) > 3", "{{ $value }}/s, {{ $value }} per second").empty());
  CHECK(rate_per_second("rate(x_total[5m]) > 3", "{{ $value }} errors in the last hour").empty());
  CHECK(rate_per_second("rate(x_total[5m]) > 3", "{{ $value }} errors seen in the last hour").empty());
  CHECK(rate_per_second("rate(x_total[5m]) > 3", "{{ $value }} per minion, {{ $value }}/minutely").empty());
  CHECK(rate_per_second("rate(x_total[5m]) > 3", "{{ $labels.job }}/min").empty());
  CHECK(rate_per_second("y > 3", "{{ $value }}/min").empty());
  // The text ends right after the action, or after the noun.
  CHECK(rate_per_second("rate(x_total[5m]) > 3", "{{ $value }}").empty());
  CHECK(rate_per_second("rate(x_total[5m]) > 3", "{{ $value }} per").empty());
  CHECK(rate_per_second("rate(x_total[5m]) > 3", "{{ $value }} tokens/").empty());
}
