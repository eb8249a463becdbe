#pragma once
// Test helpers that run real peers (the simulated detector, Prometheus) on loopback ports.
// Every process is started with die_with_parent and owned by an RAII object, so it is stopped
// when the test ends — passed, failed, or crashed.
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/util/subprocess.hpp"

namespace nsmon::testing {

/// The repository root (compiled in), for examples/ and rules/.
std::string source_dir();

/// A loopback TCP port that was free a moment ago.
int free_port();

/// Polls `ready` every 100 ms until it returns true or `timeout` passes.
bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout);

/// GET url; the body if the status is 200, nullopt on any failure.
std::optional<std::string> http_get(const std::string& url, const std::string& accept = {});

/// A temporary directory, removed with its contents on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

/// The simulated detector (examples/detector/detector.py) serving on a free port.
class Detector {
public:
  /// `args` are extra options, e.g. {"--epochs", "2", "--linger", "30"}.
  explicit Detector(std::vector<std::string> args = {}, const std::string& log_path = {});
  ~Detector();
  int port() const { return port_; }
  std::string metrics_url() const;
  /// Waits until /metrics answers; false if the process died or the timeout passed.
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  util::Child& process() { return *child_; }
  pid_t pid() const { return child_->pid(); }

private:
  int port_;
  int log_fd_ = -1;
  std::unique_ptr<util::Child> child_;
};

/// Debian's prometheus, scraping the given targets (host:port) every second.
class Prometheus {
public:
  explicit Prometheus(const std::vector<std::string>& targets, const std::string& job = "neurosymbolic-app");
  ~Prometheus();
  pid_t pid() const { return child_->pid(); }
  int port() const { return port_; }
  std::string url() const;
  /// Waits until /-/ready answers 200.
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  /// Instant query through the HTTP API; returns the parsed response (status, data, ...).
  nlohmann::json query(const std::string& expr);

private:
  TempDir dir_;
  int port_;
  int log_fd_ = -1;
  std::unique_ptr<util::Child> child_;
};

/// Debian's victoria-metrics, scraping the given targets (host:port) every second. It serves the
/// Prometheus API at /api/v1 and under the /prometheus path prefix; recent data is not held back
/// (-search.latencyOffset=0s).
class VictoriaMetrics {
public:
  explicit VictoriaMetrics(const std::vector<std::string>& targets, const std::string& job = "neurosymbolic-app");
  ~VictoriaMetrics();
  int port() const { return port_; }
  std::string url() const;
  /// Waits until /health answers 200.
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(30));

private:
  TempDir dir_;
  int port_;
  int log_fd_ = -1;
  std::unique_ptr<util::Child> child_;
};

} // namespace nsmon::testing
