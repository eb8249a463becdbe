#pragma once
// tests/support/fault_server.py run for one test: a misbehaving HTTP server on a free loopback
// port (modes in the script's docstring). Header-only, so unit and integration tests can use it.
#include <arpa/inet.h>
#include <cstdlib>
#include <memory>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "nsmon/http/client.hpp"
#include "nsmon/util/subprocess.hpp"

namespace nsmon::testing {

class FaultServer {
public:
  /// `args`: extra options of the script, e.g. {"--tls-cert", c, "--tls-key", k}.
  explicit FaultServer(std::vector<std::string> args = {}) {
    util::SpawnOptions o;
    o.argv = {"/usr/bin/python3", std::string(NSMON_SOURCE_DIR) + "/tests/support/fault_server.py", "--max-life",
              "120"};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.die_with_parent = true;
    o.capture_stdout = true;
    child_ = std::make_unique<util::Child>(o);
    // The script prints its port once it listens.
    std::string line;
    pollfd p{child_->stdout_pipe(), POLLIN, 0};
    char c = 0;
    while (line.find('\n') == std::string::npos && ::poll(&p, 1, 10000) == 1 && ::read(p.fd, &c, 1) == 1) line += c;
    port_ = std::atoi(line.c_str());
    if (port_ <= 0) throw std::runtime_error("fault_server.py did not start");
  }
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:PORT/<mode>" (scheme "https" for a TLS server).
  std::string url(const std::string& mode, const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + "/" + mode;
  }
  /// The requests received so far: [{"method","path","query","headers":[[k,v]...],"body"}].
  nlohmann::json requests(const std::string& scheme = "http") const {
    http::ClientOptions o;
    o.insecure_skip_verify = true;
    o.retries = 0;
    http::Request req;
    req.url = url("_requests", scheme);
    req.timeout_ms = 5000;
    return nlohmann::json::parse(http::make_curl_client(o)->send(req).body);
  }

private:
  std::unique_ptr<util::Child> child_;
  int port_ = 0;
};

/// The value of header `name` (case-insensitive) in a recorded request, or "" when absent.
inline std::string recorded_header(const nlohmann::json& request, const std::string& name) {
  for (const auto& kv : request.at("headers")) {
    std::string k = kv.at(0).get<std::string>();
    if (k.size() == name.size() && ::strncasecmp(k.c_str(), name.c_str(), k.size()) == 0)
      return kv.at(1).get<std::string>();
  }
  return "";
}

/// A loopback port nothing listens on (it was free a moment ago): connections are refused.
inline int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("cannot bind a loopback port");
  ::close(fd);
  return ntohs(addr.sin_port);
}

} // namespace nsmon::testing
