#include "harness.hpp"

#include <arpa/inet.h>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "nsmon/http/client.hpp"

namespace nsmon::testing {

std::string source_dir() { return NSMON_SOURCE_DIR; }

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot bind a loopback port");
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ready();
}

std::optional<std::string> http_get(const std::string& url, const std::string& accept) {
  static auto client = http::make_curl_client();
  http::Request req;
  req.url = url;
  req.timeout_ms = 5000;
  if (!accept.empty()) req.headers.push_back({"Accept", accept});
  try {
    auto resp = client->send(req);
    if (resp.status == 200) return resp.body;
  } catch (const http::TransportError&) {
  }
  return std::nullopt;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "nsmon-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {
int open_log(const std::string& path) {
  if (path.empty()) return -1;
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}
} // namespace

Detector::Detector(std::vector<std::string> args, const std::string& log_path) : port_(free_port()) {
  util::SpawnOptions o;
  o.argv = {"/usr/bin/python3", source_dir() + "/examples/detector/detector.py", "--port", std::to_string(port_)};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.die_with_parent = true;
  log_fd_ = open_log(log_path);
  o.stdout_fd = log_fd_;
  o.stderr_fd = log_fd_;
  child_ = std::make_unique<util::Child>(o);
}

Detector::~Detector() {
  child_.reset(); // terminates and reaps
  if (log_fd_ >= 0) ::close(log_fd_);
}

std::string Detector::metrics_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/metrics"; }

bool Detector::wait_ready(std::chrono::milliseconds timeout) {
  return wait_until([&] { return !child_->running() || http_get(metrics_url()).has_value(); }, timeout) &&
         child_->running();
}

namespace {
// A server process that dies with the test, its output going to `log` (log_fd keeps it open).
std::unique_ptr<util::Child> spawn_logged(std::vector<std::string> argv, const std::string& log, int& log_fd) {
  util::SpawnOptions o;
  o.argv = std::move(argv);
  o.die_with_parent = true;
  log_fd = open_log(log);
  o.stdout_fd = log_fd;
  o.stderr_fd = log_fd;
  return std::make_unique<util::Child>(o);
}

// A scrape config for `targets` every second, written to `path`.
void write_scrape_config(const std::string& path, const std::vector<std::string>& targets, const std::string& job) {
  std::ofstream out(path);
  out << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
      << "scrape_configs:\n  - job_name: '" << job << "'\n    static_configs:\n      - targets: [";
  for (std::size_t i = 0; i < targets.size(); ++i) out << (i ? ", " : "") << "'" << targets[i] << "'";
  out << "]\n";
}
} // namespace

Prometheus::Prometheus(const std::vector<std::string>& targets, const std::string& job) : port_(free_port()) {
  std::string cfg = dir_.file("prometheus.yml");
  write_scrape_config(cfg, targets, job);
  child_ = spawn_logged({"prometheus", "--config.file=" + cfg, "--storage.tsdb.path=" + dir_.file("data"),
                         "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"},
                        dir_.file("prometheus.log"), log_fd_);
}

Prometheus::~Prometheus() {
  child_.reset();
  if (log_fd_ >= 0) ::close(log_fd_);
}

std::string Prometheus::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

bool Prometheus::wait_ready(std::chrono::milliseconds timeout) {
  return wait_until([&] { return !child_->running() || http_get(url() + "/-/ready").has_value(); }, timeout) &&
         child_->running();
}

nlohmann::json Prometheus::query(const std::string& expr) {
  static auto client = http::make_curl_client();
  http::Request req;
  req.method = "POST";
  req.url = url() + "/api/v1/query";
  req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  std::string enc;
  for (unsigned char c : expr) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~') enc += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      enc += buf;
    }
  }
  req.body = "query=" + enc;
  return nlohmann::json::parse(client->send(req).body);
}

VictoriaMetrics::VictoriaMetrics(const std::vector<std::string>& targets, const std::string& job) : port_(free_port()) {
  std::string cfg = dir_.file("prometheus.yml");
  write_scrape_config(cfg, targets, job);
  child_ = spawn_logged({"victoria-metrics", "-httpListenAddr=127.0.0.1:" + std::to_string(port_),
                         "-storageDataPath=" + dir_.file("data"), "-promscrape.config=" + cfg, "-retentionPeriod=1d",
                         "-search.latencyOffset=0s", "-promscrape.config.strictParse=false", "-loggerLevel=ERROR"},
                        dir_.file("victoria-metrics.log"), log_fd_);
}

VictoriaMetrics::~VictoriaMetrics() {
  child_.reset();
  if (log_fd_ >= 0) ::close(log_fd_);
}

std::string VictoriaMetrics::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

bool VictoriaMetrics::wait_ready(std::chrono::milliseconds timeout) {
  return wait_until([&] { return !child_->running() || http_get(url() + "/health").has_value(); }, timeout) &&
         child_->running();
}

} // namespace nsmon::testing
