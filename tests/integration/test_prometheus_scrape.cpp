#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>

#include "../support/harness.hpp"

using namespace nsmon::testing;

namespace {
bool process_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// The value of the first sample of an instant-query answer, or "" when there is none.
std::string first_value(const nlohmann::json& resp) {
  if (resp.value("status", "") != "success") return "";
  const auto& result = resp["data"]["result"];
  return result.empty() ? "" : result[0]["value"][1].get<std::string>();
}
} // namespace

TEST_CASE("real Prometheus scrapes the simulated detector", "[integration][prometheus]") {
  pid_t detector_pid = 0, prometheus_pid = 0;
  {
    Detector det({"--epochs", "3", "--images", "30", "--speed", "100", "--linger", "120", "--quiet"}, "/dev/null");
    detector_pid = det.pid();
    REQUIRE(det.wait_ready());
    Prometheus prom({"127.0.0.1:" + std::to_string(det.port())});
    prometheus_pid = prom.pid();
    REQUIRE(prom.wait_ready());

    INFO("Prometheus at " << prom.url() << ", detector at " << det.metrics_url());
    bool up = wait_until([&] { return first_value(prom.query("up{job=\"neurosymbolic-app\"}")) == "1"; },
                         std::chrono::seconds(20));
    CHECK(up);
    // A catalog series, queried over HTTP: the planned epoch count the detector was given.
    bool planned =
        wait_until([&] { return first_value(prom.query("training_epochs_planned")) == "3"; }, std::chrono::seconds(20));
    CHECK(planned);
    auto hist = prom.query("count(inference_time_seconds_bucket)");
    CHECK(hist.value("status", "") == "success");
  }
  // Both processes were stopped and reaped when the helpers went out of scope.
  CHECK(process_gone(detector_pid));
  CHECK(process_gone(prometheus_pid));
}
