// The seeds' rules and config produce the findings the issue lists; the corrected ones none.
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"
#include "nsmon/util/files.hpp"

using namespace nsmon;

namespace {
struct Run {
  core::SourceSet sources;
  std::vector<core::Diagnostic> diags;
};

std::unique_ptr<Run> lint_dir(const std::string& dir) {
  auto run = std::make_unique<Run>();
  std::string base = std::string(NSMON_SOURCE_DIR) + "/" + dir;
  const auto& cfg_src = run->sources.add(base + "/prometheus.yml", util::read_file(base + "/prometheus.yml"));
  lint::Input in;
  in.config = rules::load_config(cfg_src, run->diags);
  const auto& rules_src = run->sources.add(base + "/alert_rules.yml", util::read_file(base + "/alert_rules.yml"));
  in.rule_files.push_back(rules::load_rule_file(rules_src, run->diags));
  lint::Options opt;
  opt.catalog = &catalog::embedded();
  auto found = lint::run(in, opt);
  run->diags.insert(run->diags.end(), found.begin(), found.end());
  core::sort_diagnostics(run->diags);
  return run;
}

std::vector<std::string> summary(const Run& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diags)
    out.push_back(std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + std::string(d.check.id()) +
                  " " + d.rule);
  return out;
}
} // namespace

TEST_CASE("lint: the seeds' original rules and config", "[lint]") {
  auto r = lint_dir("tests/data/seed");
  for (const auto& d : r->diags) UNSCOPED_INFO(core::render_text(d, r->sources, false));
  auto s = summary(*r);
  auto has = [&](const std::string& needle) {
    return std::any_of(s.begin(), s.end(), [&](const std::string& x) { return x.find(needle) != std::string::npos; });
  };
  CHECK(has("promql/histogram-quantile-rate InferenceTimeSlow"));
  CHECK(has("catalog/renamed-metric HighGPUMemory"));
  CHECK(has("catalog/renamed-metric LowMemory"));
  CHECK(has("config/no-alertmanager"));
  CHECK(has("labels/high-cardinality TrainingLossHigh"));
}

TEST_CASE("lint: the corrected rules and config are clean", "[lint]") {
  auto r = lint_dir("rules");
  for (const auto& d : r->diags) UNSCOPED_INFO(core::render_text(d, r->sources, false));
  CHECK(r->diags.empty());
}
