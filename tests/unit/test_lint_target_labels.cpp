// lint::TargetLabels: a catalog metric's scraped labels per job, computed once and shared.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/target_labels.hpp"
#include "nsmon/promql/parser.hpp"

using namespace nsmon;

namespace {
const char* kConfig = R"(global: {scrape_interval: 15s}
scrape_configs:
  - job_name: app
    static_configs: [{targets: ["a:8000"], labels: {model: yolo, zone: eu}}]
    metric_relabel_configs:
      - {action: labeldrop, regex: stage}
  - job_name: other
    honor_labels: true
    static_configs: [{targets: ["b:8000"]}]
)";

std::set<std::string> own(const catalog::Metric& m, bool bucket) {
  std::set<std::string> out;
  for (const auto& l : m.labels) out.insert(l.name);
  if (bucket) out.insert("le");
  return out;
}

bool same(const lint::LabelFacts& a, const lint::LabelFacts& b) {
  return a.named == b.named && a.open == b.open && a.dropped == b.dropped;
}
} // namespace

TEST_CASE("TargetLabels: a metric's scraped labels, remembered per job and metric, equal to computing them", "[lint]") {
  core::SourceFile src("prometheus.yml", kConfig);
  std::vector<core::Diagnostic> diags;
  const rules::Config cfg = rules::load_config(src, diags);
  const catalog::Catalog& cat = catalog::embedded();
  const lint::TargetLabels targets(cat, &cfg);
  auto sel = promql::parse("errors_total");
  REQUIRE(sel.ok());
  const auto jobs = targets.jobs_for(sel.expr()->as<promql::VectorSelector>());
  REQUIRE(jobs.size() == 2);
  const catalog::Metric* hist = nullptr;
  for (const auto& m : cat.metrics)
    if (m.type == catalog::MetricType::histogram) hist = &m;
  REQUIRE(hist != nullptr);
  for (const auto* j : jobs)
    for (const auto* m : {&cat.metrics.front(), hist})
      for (bool bucket : {false, true}) {
        const lint::LabelFacts& memo = targets.scraped(*j, *m, bucket);
        CHECK(same(memo, targets.scraped(*j, own(*m, bucket))));
        CHECK(&memo == &targets.scraped(*j, *m, bucket)); // the same facts, not computed again
      }
  // The app job's drop is in its facts; the bucket's le is present only with the bucket.
  const lint::LabelFacts& app = targets.scraped(*jobs[0], *hist, true);
  CHECK(app.presence("le") == lint::Presence::present);
  CHECK(targets.scraped(*jobs[0], *hist, false).presence("le") != lint::Presence::present);
  CHECK(app.presence("model") == lint::Presence::present);
  // Asked from several threads at once: one entry per key, the same for all.
  std::vector<const lint::LabelFacts*> seen(8);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t)
    threads.emplace_back([&, t] { seen[t] = &targets.scraped(*jobs[1], cat.metrics.back(), t % 2 == 0); });
  for (auto& t : threads) t.join();
  for (std::size_t t = 2; t < seen.size(); ++t) CHECK(seen[t] == seen[t % 2]);
}
