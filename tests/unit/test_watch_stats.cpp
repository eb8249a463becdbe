#include <catch2/catch.hpp>
#include <cmath>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/http/fake_client.hpp"
#include "nsmon/watch/expected.hpp"
#include "nsmon/watch/quantile.hpp"
#include "nsmon/watch/source.hpp"
#include "nsmon/watch/stats.hpp"

using namespace nsmon::watch;
using namespace std::chrono_literals;

namespace {

const Clock::time_point t0 = Clock::time_point{} + 1000s;

Snapshot snap(const std::string& text, Clock::duration at) {
  Snapshot s;
  ParseOutcome o = parse_snapshot(text, nsmon::expfmt::Format::text, wanted_names(), s);
  REQUIRE(o.errors == 0);
  s.at = t0 + at;
  return s;
}

std::string images(double ok, double failed) {
  return "images_processed_total{stage=\"inference\",status=\"success\"} " + std::to_string(ok) +
         "\nimages_processed_total{stage=\"inference\",status=\"failed\"} " + std::to_string(failed) + "\n";
}

// inference_time_seconds buckets for one use_sahi value, cumulative counts per bound.
std::string latency(const std::string& sahi, const std::vector<double>& counts) {
  const char* bounds[] = {"0.01", "0.05", "0.1", "0.5", "1.0", "2.0", "5.0", "10.0", "+Inf"};
  std::string out;
  for (std::size_t i = 0; i < 9; ++i)
    out += "inference_time_seconds_bucket{le=\"" + std::string(bounds[i]) + "\",model=\"m\",use_sahi=\"" + sahi +
           "\"} " + std::to_string(counts[i]) + "\n";
  return out;
}

} // namespace

TEST_CASE("a scrape keeps the watched samples only, without job and instance", "[watch][stats]") {
  Snapshot s;
  parse_snapshot("# TYPE cpu_usage_percent gauge\ncpu_usage_percent{job=\"j\",instance=\"i\"} 42\nother_metric 1\n",
                 nsmon::expfmt::Format::text, wanted_names(), s);
  REQUIRE(s.find("cpu_usage_percent").size() == 1);
  CHECK(s.find("cpu_usage_percent")[0].labels.empty());
  CHECK_FALSE(s.has("other_metric"));
  CHECK(s.series_total == 2);
}

TEST_CASE("a detector exporting nothing we know leaves every figure empty", "[watch][stats]") {
  Model m;
  m.add(snap("something_else 1\n", 0s));
  Figures f = m.figures();
  CHECK_FALSE(f.training.epoch);
  CHECK_FALSE(f.training.loss);
  CHECK_FALSE(f.inference.images);
  CHECK_FALSE(f.inference.latency_total.p95.value);
  CHECK_FALSE(f.system.cpu_percent);
  CHECK_FALSE(f.errors.total);
}

TEST_CASE("training: epochs from the epoch label, trends, best values, mean epoch time", "[watch][stats]") {
  Model m;
  std::string base = "training_epochs_planned{model=\"m\"} 4\n";
  m.add(snap(base, 0s));
  m.add(snap(base +
                 "training_loss{epoch=\"1\",model=\"m\"} 2.5\nvalidation_map{iou_threshold=\"0.5\",model=\"m\"} 0.1\n"
                 "training_duration_seconds_sum{model=\"m\"} 100\ntraining_duration_seconds_count{model=\"m\"} 1\n",
             2s));
  m.add(snap(base + "training_loss{epoch=\"1\",model=\"m\"} 2.5\ntraining_loss{epoch=\"2\",model=\"m\"} 1.25\n"
                    "validation_map{iou_threshold=\"0.5\",model=\"m\"} 0.6\nlearning_rate{model=\"m\"} 0.005\n"
                    "training_duration_seconds_sum{model=\"m\"} 300\ntraining_duration_seconds_count{model=\"m\"} 2\n",
             4s));
  Training t = m.figures().training;
  REQUIRE(t.epoch);
  CHECK(*t.epoch == 2);
  CHECK(*t.epochs_planned == 4);
  CHECK(*t.loss == 1.25);
  CHECK(t.loss_trend == -1);
  CHECK(*t.best_loss == 1.25);
  CHECK(t.loss_history == std::vector<double>{2.5, 1.25});
  CHECK(*t.map == 0.6);
  CHECK(t.map_trend == 1);
  CHECK(*t.best_map == 0.6);
  CHECK(*t.learning_rate == 0.005);
  CHECK(*t.epoch_seconds == 150); // the detector's clock
  REQUIRE(t.wall_epoch_seconds);
  CHECK(*t.wall_epoch_seconds == Approx(2)); // the watcher's
  // Two epoch ends seen 2 s apart: 2 epochs left take about 4 s (wall clock).
  REQUIRE(t.eta_seconds);
  CHECK(*t.eta_seconds == Approx(4));
}

TEST_CASE("images/s from counter deltas, a restart counted as a reset", "[watch][stats]") {
  Model m(10);
  m.add(snap(images(0, 0), 0s));
  m.add(snap(images(10, 0), 2s));
  m.add(snap(images(30, 2), 4s));
  Figures f = m.figures();
  CHECK(*f.inference.images == 32);
  CHECK(*f.inference.success_rate == Approx(30.0 / 32));
  CHECK(*f.inference.images_per_second == Approx(8.0)); // 32 images in 4 s
  // The detector restarted: its counters start again from 0 (Prometheus's increase() rule).
  m.add(snap(images(6, 0), 6s));
  f = m.figures();
  CHECK(*f.inference.images_per_second == Approx(38.0 / 6));
  // Points older than the window go.
  m.add(snap(images(6, 0), 20s));
  f = m.figures();
  CHECK(*f.inference.images_per_second == Approx(0.0));
}

TEST_CASE("latency: windowed quantiles from bucket deltas, lifetime from the totals", "[watch][stats]") {
  Model m(5);
  m.add(snap(latency("true", {0, 0, 0, 0, 0, 0, 0, 0, 0}) + latency("false", {0, 0, 0, 0, 0, 0, 0, 0, 0}), 0s));
  m.add(snap(latency("true", {0, 0, 2, 8, 9, 10, 10, 10, 10}) + latency("false", {0, 1, 4, 5, 5, 5, 5, 5, 5}), 2s));
  m.add(snap(latency("true", {0, 0, 2, 8, 9, 10, 10, 10, 12}) + latency("false", {0, 1, 4, 5, 5, 5, 5, 5, 5}), 4s));
  Figures f = m.figures();
  // Lifetime: sum by (le) of the cumulative counts.
  std::vector<Bucket> total = {{0.01, 0}, {0.05, 1}, {0.1, 6}, {0.5, 13},     {1, 14},
                               {2, 15},   {5, 15},   {10, 15}, {INFINITY, 17}};
  CHECK(*f.inference.latency_total.p50.value == bucket_quantile(0.5, total));
  CHECK(*f.inference.latency_total.p95.value == 10);
  CHECK(f.inference.latency_total.p95.capped);
  CHECK(f.inference.latency_total.observations == 17);
  // Window (5 s back from 4 s: everything since the first scrape).
  CHECK(f.inference.latency.observations == 17);
  // Only the two slow observations in the last window.
  m.add(snap(latency("true", {0, 0, 2, 8, 9, 10, 10, 10, 12}) + latency("false", {0, 1, 4, 5, 5, 5, 5, 5, 5}), 10s));
  f = m.figures();
  CHECK(f.inference.latency.observations == 0);
  CHECK_FALSE(f.inference.latency.p95.value); // NaN, as Prometheus would answer
  CHECK(f.inference.latency_total.observations == 17);
}

TEST_CASE("system, symbolic stage and errors", "[watch][stats]") {
  Model m;
  m.add(snap("cpu_usage_percent 51.5\nmemory_usage_bytes 4e9\nmemory_available_bytes 12e9\n"
             "gpu_utilization_percent{device_id=\"0\"} 80\ngpu_utilization_percent{device_id=\"1\"} 90\n"
             "gpu_memory_allocated_bytes{device_id=\"0\"} 3e9\ngpu_memory_reserved_bytes{device_id=\"0\"} 4e9\n"
             "nms_filtering_seconds_sum 0.5\nnms_filtering_seconds_count 100\n"
             "errors_total{error_type=\"TimeoutError\",stage=\"inference\"} 2\n"
             "errors_total{error_type=\"ValueError\",stage=\"preprocess\"} 0\n"
             "app_info_info{app_name=\"a\",model=\"yolo\",python_version=\"3\",version=\"1\"} 1\n",
             0s));
  Figures f = m.figures();
  CHECK(*f.system.cpu_percent == 51.5);
  CHECK(*f.system.gpu_utilization_percent == 85);
  CHECK(*f.nms.mean_seconds == Approx(0.005));
  CHECK(*f.errors.total == 2);
  CHECK(f.errors.by_type == std::map<std::string, double>{{"TimeoutError", 2}});
  CHECK(*f.model == "yolo");
  CHECK_FALSE(f.prolog.mean_seconds);
}

TEST_CASE("Prometheus query answers become snapshots", "[watch][stats]") {
  // job and instance are the server's; items that are not series, a series without a name and a
  // native histogram are passed over (fuzz_watch found the items without "metric" or "value").
  auto fake = std::make_shared<nsmon::http::FakeClient>();
  fake->on("/api/v1/query", {200,
                             "application/json",
                             R"({"status":"success","data":{"resultType":"vector","result":[
    {"metric":{"__name__":"cpu_usage_percent","job":"j","instance":"i"},"value":[1.5,"42.5"]},
    {"metric":{"__name__":"images_processed_total","status":"success","stage":"inference"},"value":[1.5,"+Inf"]},
    {"metric":{"job":"no name"},"value":[1.5,"1"]},{"metrec":{"__name__":"x"},"value":[1,"NaN"]},
    {"metric":{"__name__":"cpu_usage_percent"}},7,
    {"metric":{"__name__":"cpu_usage_percent","h":"1"},"histogram":[1.5,{"count":"2","sum":"1"}]}]}})",
                             {},
                             {}});
  // The server URL's path prefix is kept and the query sent as `nsmon query` sends it.
  auto source = prometheus_source(fake, "http://prom/prefix/", "job=\"a\"", 5);
  CHECK(source->describe() == "http://prom/prefix (Prometheus)");
  ScrapeResult r = source->fetch();
  REQUIRE(r.ok);
  const Snapshot& s = r.snapshot;
  REQUIRE(s.find("cpu_usage_percent").size() == 1);
  CHECK(s.find("cpu_usage_percent")[0].value == 42.5);
  CHECK(s.find("cpu_usage_percent")[0].labels.empty());
  CHECK(std::isinf(s.find("images_processed_total")[0].value));
  CHECK(*s.find("images_processed_total")[0].label("status") == "success");
  CHECK(s.series_total == 2);
  CHECK(r.bytes > 0);
  REQUIRE(fake->requests().size() == 1);
  const auto& req = fake->requests()[0];
  CHECK(req.url == "http://prom/prefix/api/v1/query");
  CHECK(req.method == "POST");
  CHECK(req.body.find("query=%7B__name__%3D~%22") == 0);
  CHECK(req.body.find("%2Cjob%3D%22a%22%7D") != std::string::npos);
}

TEST_CASE("Prometheus answers that give no snapshot say why", "[watch][stats]") {
  using nsmon::http::FakeClient;
  auto fetch = [](FakeClient::Reply reply) {
    auto fake = std::make_shared<FakeClient>();
    fake->on("/api/v1/query", std::move(reply));
    ScrapeResult r = prometheus_source(fake, "http://prom", "", 5)->fetch();
    CHECK_FALSE(r.ok);
    CHECK(r.snapshot.samples.empty());
    return r;
  };
  CHECK(fetch({400, "application/json", R"({"status":"error","errorType":"bad_data","error":"bad query"})", {}, {}})
            .error == "Prometheus: bad query");
  CHECK(fetch({200, "application/json", R"({"status":"success","data":{"resultType":"matrix","result":[]}})", {}, {}})
            .error == "Prometheus answered something other than a vector");
  CHECK(fetch({200, "text/html", "<html>", {}, {}}).error.find("is not JSON") != std::string::npos);
  CHECK(fetch({502, "text/html", "<html>", {}, {}}).error.find("HTTP 502 Bad Gateway") != std::string::npos);
  ScrapeResult refused = fetch({0, "", "", nsmon::http::Failure::connect, "connection refused"});
  CHECK(refused.unreachable);
  CHECK(refused.error == "connection refused");
}

TEST_CASE("an endpoint is scraped as lint-metrics scrapes it", "[watch][stats]") {
  auto fake = std::make_shared<nsmon::http::FakeClient>();
  fake->on("/metrics", {200, "application/openmetrics-text; version=1.0.0", "cpu_usage_percent 5\n# EOF\n", {}, {}});
  fake->on("/broken", {500, "text/plain", "oops", {}, {}});
  ScrapeResult r = endpoint_source(fake, "http://app/metrics", 2)->fetch();
  REQUIRE(r.ok);
  CHECK(r.snapshot.find("cpu_usage_percent")[0].value == 5);
  REQUIRE(fake->requests().size() == 1);
  CHECK(fake->requests()[0].timeout_ms == 2000);
  CHECK(fake->requests()[0].headers.at(0).first == "Accept");
  ScrapeResult failed = endpoint_source(fake, "http://app/broken", 2)->fetch();
  CHECK_FALSE(failed.ok);
  CHECK_FALSE(failed.unreachable);
  CHECK(failed.error == "HTTP 500");
}

TEST_CASE("every sample name the model reads is a series of a catalog metric", "[watch][stats]") {
  const auto& cat = nsmon::catalog::embedded();
  for (auto name : wanted_names()) {
    INFO(name);
    auto ref = cat.resolve(name);
    REQUIRE(ref);
    CHECK(ref->exists);
  }
}

TEST_CASE("a stalled run: the ETA passed is said, not 0, and images stopped is said", "[watch][stats]") {
  Model m;
  std::string base = "training_epochs_planned{model=\"m\"} 4\n";
  auto epochs = [&](int n) {
    std::string s = base;
    for (int e = 1; e <= n; ++e) s += "training_loss{epoch=\"" + std::to_string(e) + "\",model=\"m\"} 1\n";
    return s;
  };
  m.add(snap(epochs(1), 0s));
  m.add(snap(epochs(2), 2s)); // an epoch every 2 s: 2 epochs left take 4 s
  m.add(snap(epochs(2), 5s));
  Training t = m.figures().training;
  REQUIRE(t.eta_seconds);
  CHECK(*t.eta_seconds == Approx(1));
  CHECK_FALSE(t.eta_overdue_seconds);
  m.add(snap(epochs(2), 16s)); // hung: the ETA passed 10 s ago
  t = m.figures().training;
  CHECK_FALSE(t.eta_seconds);
  REQUIRE(t.eta_overdue_seconds);
  CHECK(*t.eta_overdue_seconds == Approx(10));

  Model in(10);
  in.set_planned_images(100);
  in.add(snap(images(0, 0), 0s));
  in.add(snap(images(10, 0), 2s));
  CHECK(in.figures().inference.eta_seconds);
  CHECK_FALSE(in.figures().inference.stalled_seconds);
  in.add(snap(images(10, 0), 14s)); // no image over the 10 s window
  Inference f = in.figures().inference;
  CHECK_FALSE(f.eta_seconds);
  REQUIRE(f.stalled_seconds);
  CHECK(*f.stalled_seconds == Approx(12));
}

TEST_CASE("missing series: the cause the scrape shows, no guess without one", "[watch][stats]") {
  auto scrape = [](const std::string& text) {
    Snapshot s;
    REQUIRE(parse_snapshot(text, nsmon::expfmt::Format::text, scraped_names(), s).errors == 0);
    return s;
  };
  // prometheus_client's Counter("training_loss"): _total and _created.
  SeriesSeen seen;
  seen.add(scrape("# TYPE training_loss counter\ntraining_loss_total 0.5\ntraining_loss_created 1.7e9\n"
                  "# TYPE inference_time_seconds summary\ninference_time_seconds_count 3\n"
                  "inference_time_seconds_sum 1.2\nimages_processed{status=\"success\"} 4\n"
                  "validation_map{model=\"m\",iou_threshold=\"0.5\"} 0.8\n"));
  auto missing = seen.missing();
  auto find = [&](const std::string& series) -> const MissingSeries* {
    for (const auto& m : missing)
      if (m.series == series) return &m;
    return nullptr;
  };
  const MissingSeries* loss = find("training_loss");
  REQUIRE(loss);
  CHECK(loss->cause == "exported as a counter (training_loss_total, training_loss_created); the catalog says gauge");
  CHECK(loss->instead == std::vector<std::string>{"training_loss_total", "training_loss_created"});
  const MissingSeries* bucket = find("inference_time_seconds_bucket");
  REQUIRE(bucket);
  CHECK(bucket->cause == "exported as a summary (inference_time_seconds_sum, inference_time_seconds_count, no "
                         "inference_time_seconds_bucket); the catalog says histogram");
  CHECK_FALSE(find("inference_time_seconds_count")); // scraped
  const MissingSeries* images = find("images_processed_total");
  REQUIRE(images);
  CHECK(images->cause == "exported as a gauge or untyped (images_processed); the catalog says counter");
  // Nothing in the scrape says why: named, without a guess.
  const MissingSeries* lr = find("learning_rate");
  REQUIRE(lr);
  CHECK(lr->cause.empty());
  CHECK(lr->instead.empty());
  CHECK_FALSE(find("validation_map"));
  // Those with a cause first.
  CHECK_FALSE(missing.front().cause.empty());
  // Said live once each.
  CHECK(seen.take_new_causes().size() == 3);
  CHECK(seen.take_new_causes().empty());
  // Scraped later with the right type: no longer missing.
  seen.add(scrape("training_loss{epoch=\"1\"} 0.5\n"));
  missing = seen.missing();
  CHECK_FALSE(find("training_loss"));
}
