// nsmon query's API layer against real servers: Debian's prometheus and victoria-metrics both
// scrape the simulated detector; once its run is over (the data stops changing), the same
// queries must give the same answers on both. VictoriaMetrics is asked through its /prometheus
// path prefix. Every answer is also checked against nlohmann's parse of the same bytes.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <thread>

#include "../support/harness.hpp"
#include "nsmon/promapi/api.hpp"
#include "nsmon/promapi/time.hpp"

using namespace nsmon;
using namespace nsmon::testing;

namespace {

// One answer: series keyed by their sorted labels, each a list of (time, value).
struct Result {
  std::string result_type;
  std::map<std::string, std::vector<std::pair<double, std::string>>> series;
};

std::string key_of(const promapi::Series& s) {
  auto l = s.labels;
  std::sort(l.begin(), l.end());
  std::string k;
  for (const auto& [n, v] : l) k += n + "=" + v + ",";
  return k;
}

class Api {
public:
  explicit Api(std::string server) : server_(std::move(server)), client_(http::make_curl_client()), sender_(*client_) {}

  // Calls the API; the decoded series must be what nlohmann reads in the same bytes.
  Result call(const promapi::Call& c, std::string* raw_data = nullptr) {
    Result r;
    std::string data;
    std::vector<promapi::Series> got;
    promapi::ReaderOptions ro;
    ro.data_sink = [&](std::string_view b) { data += b; };
    ro.on_series = [&](const promapi::Series& s) { got.push_back(s); };
    http::Request base;
    base.timeout_ms = 10000;
    promapi::Answer a = promapi::perform(sender_, *client_, server_, c, base, ro);
    INFO(server_ << " " << c.path << ": " << a.reply.error);
    REQUIRE(a.reply.status == "success");
    nlohmann::json j = nlohmann::json::parse(data);
    if (j.is_object() && j.contains("result") && j["result"].is_array() &&
        !(j["result"].size() == 2 && j["result"][0].is_number())) {
      REQUIRE(got.size() == j["result"].size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        nlohmann::json metric = nlohmann::json::object();
        for (const auto& [k, v] : got[i].labels) metric[k] = v;
        CHECK(metric == j["result"][i]["metric"]);
        const auto& el = j["result"][i];
        std::size_t n = el.contains("values") ? el["values"].size() : 1;
        REQUIRE(got[i].samples.size() == n);
      }
    }
    r.result_type = a.reply.result_type;
    for (const auto& s : got)
      for (const auto& p : s.samples) r.series[key_of(s)].emplace_back(p.t, p.value);
    if (raw_data) *raw_data = data;
    return r;
  }

  double scalar(const std::string& expr) {
    Result r = call(promapi::instant_query(expr, std::nullopt));
    if (r.series.size() != 1 || r.series.begin()->second.empty()) return std::nan("");
    return std::stod(r.series.begin()->second.back().second);
  }

private:
  std::string server_;
  std::unique_ptr<http::Client> client_;
  http::FormSender sender_;
};

void same(const Result& prom, const Result& vm, const std::string& what) {
  INFO(what);
  REQUIRE(prom.series.size() == vm.series.size());
  for (const auto& [k, samples] : prom.series) {
    INFO("series " << k);
    REQUIRE(vm.series.count(k));
    const auto& other = vm.series.at(k);
    REQUIRE(samples.size() == other.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
      CHECK(samples[i].first == other[i].first);
      double a = std::stod(samples[i].second), b = std::stod(other[i].second);
      if (std::isnan(a)) CHECK(std::isnan(b));
      else CHECK(a == Approx(b).epsilon(1e-9));
    }
  }
}

std::vector<std::string> strings(const std::string& data) {
  auto v = nlohmann::json::parse(data).get<std::vector<std::string>>();
  std::sort(v.begin(), v.end());
  return v;
}

} // namespace

TEST_CASE("the same queries give the same answers on Prometheus and VictoriaMetrics", "[integration][query]") {
  Detector det({"--epochs", "1", "--images", "30", "--speed", "400", "--seed", "5", "--linger", "120", "--quiet"},
               "/dev/null");
  REQUIRE(det.wait_ready());
  const std::string target = "127.0.0.1:" + std::to_string(det.port());
  Prometheus prom({target});
  VictoriaMetrics vm({target});
  REQUIRE(prom.wait_ready());
  REQUIRE(vm.wait_ready());
  Api p(prom.url()), v(vm.url() + "/prometheus");

  // The run is over on both once every image is counted; from then on the data stays the same.
  REQUIRE(wait_until(
      [&] { return p.scalar("sum(images_processed_total)") == 30 && v.scalar("sum(images_processed_total)") == 30; },
      std::chrono::seconds(60)));
  std::this_thread::sleep_for(std::chrono::seconds(5)); // the ranges below hold only final data
  const double t = std::floor(promapi::now_seconds()) - 1;

  for (const std::string expr :
       {"images_processed_total", "sum by (status) (images_processed_total)", "predictions_total > 0",
        "inference_time_seconds_count", "sum by (le) (inference_time_seconds_bucket)",
        "histogram_quantile(0.95, sum by (le) (inference_time_seconds_bucket))", "gpu_memory_allocated_bytes / 2^30",
        "count by (job) ({__name__=~\"images_processed_total|predictions_total\"})"}) {
    Result a = p.call(promapi::instant_query(expr, t)), b = v.call(promapi::instant_query(expr, t));
    CHECK(a.result_type == "vector");
    CHECK(b.result_type == "vector");
    REQUIRE_FALSE(a.series.empty());
    same(a, b, "instant " + expr);
  }
  for (const std::string expr :
       {"sum(images_processed_total)", "images_processed_total", "inference_time_seconds_sum"}) {
    Result a = p.call(promapi::range_query(expr, t - 2, t, 1)), b = v.call(promapi::range_query(expr, t - 2, t, 1));
    CHECK(a.result_type == "matrix");
    CHECK(b.result_type == "matrix");
    REQUIRE_FALSE(a.series.empty());
    CHECK(a.series.begin()->second.size() == 3);
    same(a, b, "range " + expr);
  }

  // Metadata verbs: the detector's series and labels are the same on both.
  std::string pd, vd;
  p.call(promapi::series({"images_processed_total"}, t - 60, t), &pd);
  v.call(promapi::series({"images_processed_total"}, t - 60, t), &vd);
  auto sorted = [](const std::string& d) {
    auto j = nlohmann::json::parse(d);
    std::vector<std::string> out;
    for (const auto& s : j) out.push_back(s.dump());
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(sorted(pd) == sorted(vd));
  CHECK(sorted(pd).size() >= 2);
  p.call(promapi::labels({"images_processed_total"}, t - 60, t), &pd);
  v.call(promapi::labels({"images_processed_total"}, t - 60, t), &vd);
  CHECK(strings(pd) == strings(vd));
  CHECK(strings(pd) == std::vector<std::string>{"__name__", "instance", "job", "stage", "status"});
  p.call(promapi::label_values("job", {"images_processed_total"}, t - 60, t), &pd);
  v.call(promapi::label_values("job", {"images_processed_total"}, t - 60, t), &vd);
  CHECK(strings(pd) == strings(vd));
  CHECK(strings(pd) == std::vector<std::string>{"neurosymbolic-app"});
  p.call(promapi::targets(""), &pd);
  v.call(promapi::targets(""), &vd);
  auto health = [](const std::string& d) {
    auto j = nlohmann::json::parse(d)["activeTargets"];
    REQUIRE(j.size() == 1);
    return j[0]["labels"].dump() + " " + j[0]["health"].get<std::string>();
  };
  CHECK(health(pd) == health(vd));
  CHECK(health(pd) == "{\"instance\":\"" + target + "\",\"job\":\"neurosymbolic-app\"} up");
}

TEST_CASE("a server-side error is an answer, not an exception", "[integration][query]") {
  Prometheus prom({});
  REQUIRE(prom.wait_ready());
  auto client = http::make_curl_client();
  http::FormSender sender(*client);
  http::Request base;
  promapi::Answer a =
      promapi::perform(sender, *client, prom.url(), promapi::instant_query("sum(", std::nullopt), base, {});
  CHECK(a.http_status == 400);
  CHECK(a.reply.status == "error");
  CHECK(a.reply.error_type == "bad_data");
  CHECK(a.reply.error.find("parse error") != std::string::npos);
  // An API path that does not exist: Prometheus's 404 is not an API answer.
  promapi::Call nowhere{"no_such_endpoint", {}, false};
  try {
    promapi::perform(sender, *client, prom.url(), nowhere, base, {});
    FAIL("no error");
  } catch (const promapi::BadAnswer& e) {
    CHECK(std::string(e.what()).find("HTTP 404 Not Found") != std::string::npos);
  }
}
