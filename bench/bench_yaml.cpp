// Parse time of nsmon's YAML parser against yaml-cpp 0.7 (what nsmon used before) on a rule file
// of 10,000 generated alerts (~3.3 MB, the shape of bench/gen_rules.py), in the same run, with
// the ratio. Also times the whole rule-file loader (parse + typed model with positions).
//
//   cmake --preset release && cmake --build build/release -j2 --target bench_yaml
//   build/release/bench/bench_yaml [--alerts N] [--file rules.yml] [--runs R] [--no-yaml-cpp]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>
#ifdef NSMON_BENCH_LIBYAML
#include <yaml.h>
#endif

#include "nsmon/core/yaml_tree.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// The expressions of bench/gen_rules.py; {i} is the alert number, {t} a digit.
const char* const kExprs[] = {
    "histogram_quantile(0.95, sum by (le, model) (rate(inference_time_seconds_bucket{model=\"m{i}\"}[5m]))) > {t}",
    // One expression on two lines: the parentheses say the concatenation is meant.
    ("sum by (stage) (rate(errors_total{stage=\"s{i}\"}[5m])) / sum by (stage) "
     "(rate(images_processed_total{stage=\"s{i}\"}[5m])) > 0.{t}"),
    "min by (model) (training_loss{model=\"m{i}\"}) > {t}",
    "max by (instance) (cpu_usage_percent{instance=\"host{i}:8000\"}) > 9{t}",
    "min by (instance) (memory_available_bytes{instance=\"host{i}:8000\"}) < {t}e9",
    "sum by (instance, error_type) (rate(errors_total{error_type=\"E{i}\"}[5m])) > 0.{t}",
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

std::string generate(int alerts) {
  std::mt19937 rng(1);
  std::string out = "groups:\n";
  for (int i = 0; i < alerts; ++i) {
    std::string n = std::to_string(i);
    if (i % 100 == 0) out += "  - name: group_" + std::to_string(i / 100) + "\n    interval: 30s\n    rules:\n";
    std::string expr = replace_all(kExprs[rng() % 6], "{i}", n);
    expr = replace_all(expr, "{t}", std::to_string(1 + rng() % 9));
    out += "      - alert: Alert" + n + "\n        expr: " + expr +
           "\n        for: 5m\n        labels:\n          severity: warning\n          team: ml\n"
           "        annotations:\n          summary: \"Alert " +
           n + " fired\"\n          description: \"Value {{ $value | humanize }} for {{ $labels.instance }}\"\n";
  }
  return out;
}

// Best and median wall time of `runs` calls of f, in seconds.
template <typename F> std::pair<double, double> time_runs(int runs, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    f();
    t.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return {t.front(), t[t.size() / 2]};
}

void report(const char* name, std::pair<double, double> t, std::size_t bytes) {
  std::printf("%-34s best %8.2f ms  median %8.2f ms  %7.1f MB/s\n", name, t.first * 1e3, t.second * 1e3,
              static_cast<double>(bytes) / 1e6 / t.first);
}

} // namespace

int main(int argc, char** argv) {
  int alerts = 10000, runs = 20;
  bool yaml_cpp = true;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--alerts") && i + 1 < argc) alerts = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--file") && i + 1 < argc) file = argv[++i];
    else if (!std::strcmp(argv[i], "--no-yaml-cpp")) yaml_cpp = false;
    else {
      std::fprintf(stderr, "usage: bench_yaml [--alerts N] [--file rules.yml] [--runs R] [--no-yaml-cpp]\n");
      return 2;
    }
  }
  std::string text;
  if (file.empty()) {
    text = generate(alerts);
    std::printf("input: %d generated alerts, %zu bytes\n", alerts, text.size());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "bench_yaml: cannot read %s\n", file.c_str());
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    std::printf("input: %s, %zu bytes\n", file.c_str(), text.size());
  }

  // Check that the input parses before timing it.
  auto doc = nsmon::yaml::parse(text);
  if (!doc) {
    std::fprintf(stderr, "bench_yaml: %d:%d: %s\n", doc.error()->line + 1, doc.error()->column + 1,
                 doc.error()->message.c_str());
    return 1;
  }
  std::size_t rules = 0;
  for (const auto& g : doc.root()["groups"]) rules += g["rules"].size();
  std::printf("%zu rules\n", rules);

  auto ours = time_runs(runs, [&] {
    auto d = nsmon::yaml::parse(text);
    if (!d) std::abort();
  });
  report("nsmon yaml::parse", ours, text.size());

  nsmon::core::SourceFile src("bench.yml", text);
  auto loader = time_runs(std::max(1, runs / 2), [&] {
    std::vector<nsmon::core::Diagnostic> diags;
    auto f = nsmon::rules::load_rule_file(src, diags);
    if (f.groups.empty()) std::abort();
  });
  report("nsmon rules::load_rule_file", loader, text.size());

  if (yaml_cpp) {
    auto theirs = time_runs(std::max(1, std::min(runs, 5)), [&] {
      auto n = YAML::Load(text);
      if (!n.IsMap()) std::abort();
    });
    report("yaml-cpp YAML::Load", theirs, text.size());
    std::printf("speed: nsmon's parser is %.1fx faster than yaml-cpp (best times; medians %.1fx)\n",
                theirs.first / ours.first, theirs.second / ours.second);
  }
#ifdef NSMON_BENCH_LIBYAML
  // libyaml's event parser alone: what a tree builder on top of it would start from (no tree,
  // no positions kept, no merge keys, no duplicate check).
  auto events = time_runs(runs, [&] {
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    yaml_event_t event;
    bool done = false;
    while (!done) {
      if (!yaml_parser_parse(&parser, &event)) std::abort();
      done = event.type == YAML_STREAM_END_EVENT;
      yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
  });
  report("libyaml events only", events, text.size());
  std::printf("libyaml's events alone take %.2fx nsmon's whole tree with positions (best times)\n",
              events.first / ours.first);
#endif
  return 0;
}
