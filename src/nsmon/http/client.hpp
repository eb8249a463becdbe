#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/core/error.hpp"

namespace nsmon::http {

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  long connect_timeout_ms = 5000;
  long timeout_ms = 30000;
  std::size_t max_bytes = 0; ///< 0: unlimited; larger bodies fail with Failure::too_large
  /// When set, body bytes are handed over as they arrive instead of being kept in Response::body;
  /// returning false aborts the transfer.
  std::function<bool(std::string_view)> on_body;
};

struct Response {
  long status = 0;
  std::string content_type;
  std::string body;
};

enum class Failure { connect, dns, timeout, too_large, tls, protocol };

/// A transport failure: the server could not be reached or the transfer broke.
struct TransportError : Error {
  TransportError(Failure f, const std::string& msg) : Error(msg), failure(f) {}
  Failure failure;
};

/// The seam between nsmon and the network: libcurl in production, a fake in tests.
class Client {
public:
  virtual ~Client() = default;
  /// Performs one request; an HTTP error status is a Response, not an exception.
  virtual Response send(const Request& req) = 0;
};

/// The libcurl implementation.
std::unique_ptr<Client> make_curl_client();

} // namespace nsmon::http
