// Throughput of the exposition parser on a generated scrape the size of a big node: 200,000
// series, ~22 MB, histograms with labels, counters and gauges. Prints MB/s and series/s for the
// streaming parser and the owning model, in process (no process start, no file read): not
// comparable with a whole promtool process, so no ratio here; bench_lint_metrics.sh compares
// nsmon lint-metrics and promtool check metrics process with process on this scrape (--keep).
//
//   cmake --preset release && cmake --build build/release --target bench_expfmt
//   build/release/bench/bench_expfmt [--series N] [--runs N] [--keep FILE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "nsmon/expfmt/model.hpp"

namespace {

using namespace nsmon::expfmt;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// A scrape shaped like a busy detector fleet: per-camera histograms (12 buckets + _sum + _count),
/// per-camera counters and gauges, HELP and TYPE for every family. Stops at `target` series.
std::string generate(std::size_t target) {
  std::string out;
  out.reserve(target * 120);
  std::size_t series = 0;
  const char* models[] = {"yolov8n-640", "yolov8s-640", "ssd-mobilenet-v2", "detr-resnet50"};
  const char* stages[] = {"decode", "preprocess", "inference", "postprocess", "publish"};
  const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  char buf[512];
  auto camera = [&](std::size_t i) {
    std::snprintf(buf, sizeof buf, "edge%02zu-cam-%05zu", i % 16, i);
    return std::string(buf);
  };

  // 70% histogram series, 15% counters, 15% gauges.
  const std::size_t hist_target = target * 7 / 10, counter_target = target * 85 / 100;
  for (int fam = 0; series < hist_target; ++fam) {
    std::snprintf(buf, sizeof buf, "detector_stage%d_duration_seconds", fam);
    const std::string name = buf;
    out += "# HELP " + name + " Time spent in a pipeline stage, per camera and model.\n";
    out += "# TYPE " + name + " histogram\n";
    for (std::size_t cam = 0; cam < 2000 && series < hist_target; ++cam) {
      const std::string labels =
          "camera=\"" + camera(cam) + "\",model=\"" + models[cam % 4] + "\",stage=\"" + stages[fam % 5] + "\"";
      std::size_t count = 0;
      for (double le : bounds) {
        count += (cam * 7 + static_cast<std::size_t>(le * 1000)) % 97;
        std::snprintf(buf, sizeof buf, "%s_bucket{%s,le=\"%g\"} %zu\n", name.c_str(), labels.c_str(), le, count);
        out += buf;
      }
      std::snprintf(buf, sizeof buf, "%s_bucket{%s,le=\"+Inf\"} %zu\n%s_sum{%s} %.6f\n%s_count{%s} %zu\n", name.c_str(),
                    labels.c_str(), count, name.c_str(), labels.c_str(), count * 0.0173, name.c_str(), labels.c_str(),
                    count);
      out += buf;
      series += 14;
    }
  }
  for (int fam = 0; series < target; ++fam) {
    const bool counter = series < counter_target;
    std::snprintf(buf, sizeof buf, counter ? "detector_frames%d_total" : "detector_queue%d_depth", fam);
    const std::string name = buf;
    out += "# HELP " + name + (counter ? " Frames handled, by outcome.\n" : " Frames waiting, by stage.\n");
    out += "# TYPE " + name + (counter ? " counter\n" : " gauge\n");
    for (std::size_t cam = 0; cam < 3000 && series < target && (!counter || series < counter_target); ++cam) {
      std::snprintf(buf, sizeof buf, "%s{camera=\"%s\",model=\"%s\",%s=\"%s\"} %s%zu\n", name.c_str(),
                    camera(cam).c_str(), models[cam % 4], counter ? "outcome" : "stage",
                    counter ? (cam % 3 ? "ok" : "dropped") : stages[cam % 5], counter ? "" : "0.", cam * 7919 % 100000);
      out += buf;
      ++series;
    }
  }
  return out;
}

struct Counting final : Handler {
  std::size_t samples = 0;
  double sum = 0;
  void on_sample(const SampleView& s) override {
    ++samples;
    sum += s.value + static_cast<double>(s.labels.size());
  }
};

} // namespace

int main(int argc, char** argv) {
  std::size_t target = 200'000;
  int runs = 10;
  std::string keep;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--series" && i + 1 < argc) target = std::strtoul(argv[++i], nullptr, 10);
    else if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--keep" && i + 1 < argc) keep = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_expfmt [--series N] [--runs N] [--keep FILE]\n");
      return 2;
    }
  }
#ifndef NDEBUG
  std::printf("warning: unoptimised build (use the release preset for real figures)\n");
#endif

  const std::string text = generate(target);
  const double mb = static_cast<double>(text.size()) / 1e6;

  // Sanity: the generated exposition is valid and has the intended number of series.
  Counting check;
  const ParseSummary sum = parse(text, Format::text, check);
  if (!sum.ok() || check.samples != target) {
    std::fprintf(stderr, "generated exposition is wrong: %zu errors, %zu series\n", sum.errors.size(), check.samples);
    return 1;
  }
  std::printf("exposition: %.1f MB, %zu series, %zu families\n", mb, check.samples, sum.families);

  double best = 1e9;
  for (int r = 0; r < runs; ++r) {
    Counting h;
    const auto t0 = Clock::now();
    parse(text, Format::text, h);
    best = std::min(best, seconds_since(t0));
  }
  std::printf("nsmon parse (streaming):   best of %d: %7.1f ms  %7.0f MB/s  %5.1f M series/s\n", runs, best * 1e3,
              mb / best, static_cast<double>(target) / best / 1e6);

  double best_model = 1e9;
  for (int r = 0; r < std::min(runs, 3); ++r) {
    const auto t0 = Clock::now();
    const Exposition e = parse_all(text, Format::text);
    best_model = std::min(best_model, seconds_since(t0));
    if (e.sample_count() != target) return 1;
  }
  std::printf("nsmon parse_all (model):   best of %d: %7.1f ms  %7.0f MB/s  %5.1f M series/s\n", std::min(runs, 3),
              best_model * 1e3, mb / best_model, static_cast<double>(target) / best_model / 1e6);

  // The watcher's load: one 10,000-series scrape per second, streamed.
  {
    const std::string small = generate(10'000);
    double best_small = 1e9;
    for (int r = 0; r < runs * 5; ++r) {
      Counting h;
      const auto t0 = Clock::now();
      parse(small, Format::text, h);
      best_small = std::min(best_small, seconds_since(t0));
    }
    std::printf("watcher: 10,000 series (%.2f MB) in %.2f ms = %.2f%% of a core at one scrape/s\n",
                static_cast<double>(small.size()) / 1e6, best_small * 1e3, best_small * 100);
  }

  if (!keep.empty()) std::ofstream(keep, std::ios::binary) << text;
  return 0;
}
