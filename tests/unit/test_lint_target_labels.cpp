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

// kConfig's target labels over the embedded catalog.
struct Fixture {
  core::SourceFile src{"prometheus.yml", kConfig};
  std::vector<core::Diagnostic> diags;
  rules::Config cfg = rules::load_config(src, diags);
  const catalog::Catalog& cat = catalog::embedded();
  lint::TargetLabels targets{cat, &cfg};
};

bool same(const lint::LabelFacts& a, const lint::LabelFacts& b) {
  return a.named == b.named && a.open == b.open && a.dropped == b.dropped;
}
} // namespace

TEST_CASE("TargetLabels: a metric's scraped labels, remembered per job and metric, equal to computing them", "[lint]") {
  const Fixture fx;
  const catalog::Catalog& cat = fx.cat;
  const lint::TargetLabels& targets = fx.targets;
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

TEST_CASE("TargetLabels: a selector's labels across its jobs, remembered per metric and jobs", "[lint]") {
  const Fixture fx;
  const catalog::Catalog& cat = fx.cat;
  const lint::TargetLabels& targets = fx.targets;
  auto both = promql::parse("errors_total");
  auto app_only = promql::parse("errors_total{job=\"app\"}");
  REQUIRE((both.ok() && app_only.ok()));
  const auto jobs = targets.jobs_for(both.expr()->as<promql::VectorSelector>());
  const auto app_jobs = targets.jobs_for(app_only.expr()->as<promql::VectorSelector>());
  REQUIRE(jobs.size() == 2);
  REQUIRE(app_jobs.size() == 1);
  const catalog::Metric* errors = cat.find("errors_total");
  REQUIRE(errors != nullptr);
  const auto& across = targets.selected(*errors, false, jobs);
  const auto& app = targets.selected(*errors, false, app_jobs);
  // The app job's static label is on its series only: certain there, a maybe across both jobs.
  CHECK(app.labels.count("model") == 1);
  CHECK(app.maybe.count("model") == 0);
  CHECK(across.labels.count("model") == 1);
  CHECK(across.maybe.count("model") == 1);
  // __name__ is in every result, never a maybe; the app job's labeldrop is dropped there only
  // (the other job's series keep the label).
  for (const auto* s : {&across, &app}) {
    CHECK(s->labels.count("__name__") == 1);
    CHECK(s->maybe.count("__name__") == 0);
  }
  CHECK(app.dropped.count("stage") == 1);
  CHECK(across.dropped.count("stage") == 0);
  // Asked again, from several threads: the same entry.
  std::vector<const lint::TargetLabels::Selected*> seen(8);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t)
    threads.emplace_back([&, t] { seen[t] = &targets.selected(*errors, false, t % 2 ? app_jobs : jobs); });
  for (auto& t : threads) t.join();
  for (std::size_t t = 0; t < seen.size(); ++t) CHECK(seen[t] == (t % 2 ? &app : &across));
}
