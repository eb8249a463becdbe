#include <catch2/catch.hpp>
#include <set>

#include "nsmon/catalog/catalog.hpp"
#include "test_places.hpp"

using namespace nsmon;
using catalog::MetricType;

namespace {
struct Loaded {
  catalog::Catalog cat;
  std::vector<core::Diagnostic> diags;
};

Loaded load_text(const std::string& text) {
  core::SourceFile src("test.yml", text);
  Loaded l;
  l.cat = catalog::load(src, l.diags);
  core::sort_diagnostics(l.diags);
  return l;
}

// "line:col check" of every diagnostic, for compact assertions.
std::vector<std::string> where(const Loaded& l) { return testing::places(l.diags); }

const char* kMinimal = R"(catalog_version: 1
metrics:
  - name: work_total
    type: counter
    help: Work done
    unit: count
    stage: inference
    source: test
    labels:
      status: {values: [ok, failed]}
)";
} // namespace

TEST_CASE("embedded catalog: the seeds' metrics with base units and recorded renames", "[catalog]") {
  const auto& cat = catalog::embedded();
  REQUIRE(cat.metrics.size() >= 30);
  const auto* gpu = cat.find("gpu_memory_allocated_bytes");
  REQUIRE(gpu);
  CHECK(gpu->unit == "bytes");
  CHECK(cat.renamed_to("gpu_memory_allocated_mb") == gpu);
  CHECK(cat.renamed_to("memory_available_mb") == cat.find("memory_available_bytes"));
  CHECK(!cat.find("memory_available_bytes")->extension.empty());
  CHECK(cat.renamed_to("confidence_adjustments") == cat.find("confidence_adjustment_delta"));
  CHECK(cat.renamed_to("detections_count") == cat.find("detections_per_image"));

  const auto* planned = cat.find("training_epochs_planned");
  REQUIRE(planned);
  CHECK(planned->type == MetricType::gauge);
  CHECK(planned->label("model"));
  CHECK(!planned->extension.empty());

  const auto* imgs = cat.find("images_processed_total");
  REQUIRE(imgs);
  REQUIRE(imgs->label("status"));
  CHECK(imgs->label("status")->values == std::vector<std::string>{"success", "failed"});
  const auto* stage = cat.find("pipeline_stage_duration_seconds")->label("stage");
  CHECK(stage->values == std::vector<std::string>{"preprocess", "symbolic", "eval"});
  CHECK(cat.find("training_loss")->label("epoch")->high_cardinality);
  CHECK(cat.find("detections_before_nms")->label("image_id")->high_cardinality);

  const auto* inf = cat.find("inference_time_seconds");
  CHECK(inf->buckets == std::vector<double>{0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0});

  // Every stage the issue names has metrics; every metric has help, unit and source.
  std::set<std::string> stages;
  for (const auto& m : cat.metrics) {
    stages.insert(m.stage);
    CHECK(!m.help.empty());
    CHECK(!m.unit.empty());
    CHECK(!m.source.empty());
  }
  CHECK(stages ==
        std::set<std::string>{"training", "inference", "symbolic", "knowledge_graph", "system", "errors", "app"});
  for (const char* n : {"up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS", "ALERTS_FOR_STATE"})
    CHECK(cat.find(n));
  CHECK(cat.target_labels == std::vector<std::string>{"job", "instance"});
  CHECK(cat.is_external("node_cpu_seconds_total"));
  CHECK(cat.is_external("process_resident_memory_bytes"));
  CHECK(!cat.is_external("training_loss"));
}

TEST_CASE("series names on the wire resolve to their metric", "[catalog]") {
  const auto& cat = catalog::embedded();
  auto b = cat.resolve("inference_time_seconds_bucket");
  REQUIRE(b);
  CHECK(b->metric->name == "inference_time_seconds");
  CHECK(b->suffix == "_bucket");
  CHECK(cat.resolve("inference_time_seconds_count")->suffix == "_count");
  // A histogram's base name is a metric but no series.
  auto base = cat.resolve("inference_time_seconds");
  REQUIRE(base);
  CHECK_FALSE(base->exists);
  // prometheus_client: Info app_info is exposed as app_info_info; counters come with _created.
  CHECK(cat.resolve("app_info_info")->metric->name == "app_info");
  CHECK_FALSE(cat.resolve("app_info")->exists);
  CHECK(cat.resolve("images_processed_created")->metric->name == "images_processed_total");
  CHECK(cat.resolve("images_processed_total")->exists);
  CHECK_FALSE(cat.resolve("images_processed"));
  CHECK_FALSE(cat.resolve("training_loss_bucket"));
  CHECK(cat.resolve("up")->exists);
  auto names = catalog::Catalog::wire_names(*cat.find("map_score"));
  CHECK(names == std::vector<std::string>{"map_score_count", "map_score_sum", "map_score_created"});
  // Negative buckets: no _sum on the wire.
  names = catalog::Catalog::wire_names(*cat.find("confidence_adjustment_delta"));
  CHECK(names == std::vector<std::string>{"confidence_adjustment_delta_bucket", "confidence_adjustment_delta_count",
                                          "confidence_adjustment_delta_created"});
  CHECK_FALSE(cat.resolve("confidence_adjustment_delta_sum"));
}

TEST_CASE("a valid minimal catalog loads without findings", "[catalog]") {
  auto l = load_text(kMinimal);
  CHECK(l.diags.empty());
  REQUIRE(l.cat.metrics.size() == 1);
  CHECK(l.cat.metrics[0].span.line == 3);
}

TEST_CASE("broken catalogs give positioned errors, never a crash", "[catalog]") {
  using V = std::vector<std::string>;
  SECTION("YAML syntax") {
    auto l = load_text("metrics:\n  - name: x\n    type: [gauge\n");
    REQUIRE(!l.diags.empty());
    CHECK(l.diags[0].check == "yaml/syntax");
    CHECK(l.diags[0].span.line >= 3);
  }
  SECTION("unknown field with a suggestion") {
    auto l = load_text("metrics:\n  - name: x\n    type: gauge\n    help: h\n    unit: none\n    stage: app\n"
                       "    lables: {}\n");
    CHECK(where(l) == V{"7:5 yaml/unknown-field"});
    CHECK(l.diags[0].suggestion == "did you mean 'labels'?");
  }
  SECTION("unknown type, unit and stage") {
    auto l = load_text("metrics:\n  - name: x\n    type: gauge2\n    help: h\n    unit: megabytes\n    stage: train\n");
    CHECK(where(l) == V{"3:11 catalog/type", "5:11 catalog/unit", "6:12 catalog/stage"});
  }
  SECTION("missing fields") {
    auto l = load_text("metrics:\n  - name: x\n    type: gauge\n");
    CHECK(where(l) == V{"2:5 catalog/missing-field", "2:5 catalog/missing-field", "2:5 catalog/missing-field"});
  }
  SECTION("duplicate keys and metrics") {
    auto l = load_text("metrics:\n"
                       "  - {name: g, type: gauge, help: h, unit: none, stage: app, unit: bytes}\n"
                       "  - {name: g, type: gauge, help: h, unit: none, stage: app}\n");
    CHECK(where(l) == V{"2:61 yaml/duplicate-key", "3:5 catalog/duplicate"});
  }
  SECTION("counter without _total, buckets on a gauge, decreasing buckets") {
    auto l = load_text("metrics:\n"
                       "  - {name: c, type: counter, help: h, unit: count, stage: app}\n"
                       "  - {name: g, type: gauge, help: h, unit: none, stage: app, buckets: [1]}\n"
                       "  - {name: h, type: histogram, help: h, unit: seconds, stage: app, buckets: [1, 0.5]}\n");
    CHECK(where(l) == V{"2:12 catalog/name", "3:70 catalog/buckets", "4:81 catalog/buckets"});
  }
  SECTION("a gauge or info named with a histogram's suffix is a warning; histograms and summaries are not") {
    auto l = load_text("metrics:\n"
                       "  - {name: nodes_count, type: gauge, help: h, unit: count, stage: app}\n"
                       "  - {name: weight_sum, type: info, help: h, unit: none, stage: app}\n"
                       "  - {name: lat_count, type: histogram, help: h, unit: seconds, stage: app, buckets: [1]}\n"
                       "  - {name: q_sum, type: summary, help: h, unit: seconds, stage: app}\n"
                       "  - {name: nodes_counted, type: gauge, help: h, unit: count, stage: app}\n");
    CHECK(where(l) == V{"2:12 catalog/reserved-suffix", "3:12 catalog/reserved-suffix"});
    CHECK(l.diags[0].severity == core::Severity::warning);
    CHECK(l.diags[0].message == "gauge nodes_count ends in _count, a suffix Prometheus reserves for the series of "
                                "histograms and summaries: promtool check metrics warns on every scrape of it");
    CHECK(l.diags[0].suggestion == "name a new metric without it (nodes); rename one that rules and dashboards read "
                                   "with renamed_from");
  }
  SECTION("the embedded catalog's two knowledge-graph gauges, said once each") {
    auto l = load_text(std::string(catalog::embedded_text()));
    std::vector<std::string> said;
    for (const auto& d : l.diags)
      said.push_back(std::string(d.check.id()) + " " + d.message.substr(0, d.message.find(" ends in")));
    CHECK(said ==
          V{"catalog/reserved-suffix gauge graph_nodes_count", "catalog/reserved-suffix gauge graph_edges_count"});
  }
  SECTION("bad label names and reserved labels") {
    auto l = load_text("metrics:\n  - name: h\n    type: histogram\n    help: h\n    unit: seconds\n    stage: app\n"
                       "    buckets: [1]\n    labels:\n      le: {}\n      bad-name: {}\n      __x: {}\n");
    CHECK(where(l) == V{"9:7 catalog/label", "10:7 catalog/label", "11:7 catalog/label"});
  }
  SECTION("not a mapping at all") {
    auto l = load_text("- just\n- a list\n");
    CHECK(where(l) == V{"1:1 catalog/structure"});
  }
  SECTION("deep nesting") {
    auto l = load_text("metrics: " + std::string(100000, '[') + "\n");
    REQUIRE(!l.diags.empty());
    CHECK(l.diags[0].check == "yaml/syntax");
  }
  SECTION("binary junk") {
    std::string junk;
    for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) % 256);
    auto l = load_text(junk);
    CHECK(!l.diags.empty());
  }
}
