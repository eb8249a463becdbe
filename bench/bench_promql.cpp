// Throughput of the PromQL front end (lex, parse, type check) on realistic rule expressions:
// the alerting and recording rules of this project and typical Kubernetes/node mixins. Prints
// MB/s and expressions/s for parse alone and for parse + print, in process. No peer ratio here:
// a whole promtool process is not comparable with a function call; bench_lint_rules.sh compares
// nsmon lint-rules and promtool check rules process with process.
//
//   cmake --preset release && cmake --build build/release --target bench_promql
//   build/release/bench/bench_promql [--seconds S]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "nsmon/promql/parser.hpp"
#include "nsmon/promql/printer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

const std::vector<std::string> kRules = {
    R"(min by (model) (training_loss) > 1.0)",
    R"(validation_map < 0.3)",
    R"(histogram_quantile(0.95, sum by (le, model) (rate(inference_time_seconds_bucket[5m]))) > 5.0)",
    R"(rate(errors_total[5m]) > 0.1)",
    R"(cpu_usage_percent > 90)",
    R"(sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05)",
    R"(up{job="detector"} == 0)",
    R"(absent(up{job="prometheus"}))",
    R"(predict_linear(node_filesystem_avail_bytes{fstype!~"tmpfs|overlay",mountpoint="/"}[6h], 4 * 3600) < 0)",
    R"((node_filesystem_avail_bytes{fstype!="tmpfs"} / node_filesystem_size_bytes{fstype!="tmpfs"} * 100 < 10) and on (instance, device, mountpoint) node_filesystem_readonly == 0)",
    R"(100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100) > 85)",
    R"((1 - (node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)) * 100 > 90)",
    R"(increase(kube_pod_container_status_restarts_total{namespace=~"detector-.*"}[1h]) > 3)",
    R"(sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown"}) > 0)",
    R"(kube_deployment_spec_replicas != kube_deployment_status_replicas_available)",
    R"(sum(rate(container_cpu_usage_seconds_total{container!="",image!=""}[5m])) by (namespace, pod) / sum(kube_pod_container_resource_limits{resource="cpu"}) by (namespace, pod) > 0.9)",
    R"(histogram_quantile(0.99, sum(rate(apiserver_request_duration_seconds_bucket{verb!~"LIST|WATCH"}[5m])) by (le, verb, resource)) > 1)",
    R"(avg_over_time(detector_gpu_utilization_ratio[10m]) < 0.2 and on(instance) detector_queue_depth > 100)",
    R"(label_replace(rate(detector_frames_total[1m]), "camera_group", "$1", "camera", "(edge[0-9]+)-.*"))",
    R"(sum without (instance, pod) (rate(detector_inference_seconds_sum[5m])) / sum without (instance, pod) (rate(detector_inference_seconds_count[5m])))",
    R"(max_over_time(rate(detector_dropped_frames_total[1m])[30m:1m]) > 5)",
    R"(topk(10, sum by (model, camera) (rate(detector_detections_total{class!="background"}[15m]))))",
    R"(count(count by (model_version) (detector_model_info)) > 1)",
    R"(time() - process_start_time_seconds{job="detector"} < 300)",
    R"(rate(prometheus_tsdb_head_samples_appended_total[5m]) == 0)",
    R"(prometheus_rule_evaluation_failures_total offset 1h < prometheus_rule_evaluation_failures_total)",
    R"(quantile_over_time(0.9, detector_latency_seconds{stage="inference"}[1h]) > bool 0.25)",
    R"(clamp_min(sum(rate(detector_errors_total[5m])) by (stage), 0) / ignoring(stage) group_left sum(rate(detector_frames_total[5m])))",
    R"(delta(detector_model_loss{split="validation"}[2h]) > 0 unless detector_training_active == 1)",
    R"(sum by (le) (rate(detector_symbolic_reasoning_seconds_bucket{rule_set=~"traffic|safety"}[5m] @ end())))",
};

} // namespace

int main(int argc, char** argv) {
  double budget = 3.0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) budget = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_promql [--seconds S]\n");
      return 2;
    }
  }
  std::size_t bytes_per_round = 0;
  for (const auto& r : kRules) {
    bytes_per_round += r.size();
    if (!nsmon::promql::parse(r).ok()) {
      std::fprintf(stderr, "benchmark expression does not parse: %s\n", r.c_str());
      return 1;
    }
  }

  // Why: parse alone is what lint-rules pays per rule; parse + print is what `fmt` pays.
  for (int mode = 0; mode < 2; ++mode) {
    std::size_t rounds = 0, sink = 0;
    auto t0 = Clock::now();
    while (seconds_since(t0) < budget) {
      for (const auto& r : kRules) {
        auto res = nsmon::promql::parse(r);
        sink += res.expr()->range.end;
        if (mode == 1) sink += nsmon::promql::print(*res.expr()).size();
      }
      ++rounds;
    }
    double secs = seconds_since(t0);
    double exprs = static_cast<double>(rounds * kRules.size());
    std::printf("%-14s %8.1f MB/s  %10.0f expressions/s  (%zu expressions, %.1f bytes average, %.2f s)\n",
                mode == 0 ? "parse+check" : "parse+print", static_cast<double>(rounds * bytes_per_round) / secs / 1e6,
                exprs / secs, static_cast<std::size_t>(exprs), static_cast<double>(bytes_per_round) / kRules.size(),
                secs);
    if (sink == 0) std::puts("");
  }

  return 0;
}
