#pragma once
// http/: HTTP client interface, libcurl implementation (libcurl loaded with `dlopen` when the first
// client is made, so commands that do not talk HTTP do not load it).

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/core/error.hpp"

namespace nsmon::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  long connect_timeout_ms = 5000; ///< per connection attempt
  long timeout_ms = 30000;        ///< total: every attempt, redirect and retry pause included
  std::size_t max_bytes = 0;      ///< 0: unlimited; larger bodies fail with Failure::too_large
  /// When set, the body of a 2xx answer is handed over as it arrives instead of being kept in
  /// Response::body; returning false aborts the transfer (Failure::aborted). Bodies of other
  /// statuses (a Prometheus error, a proxy's HTML page) are kept in Response::body as usual.
  std::function<bool(std::string_view)> on_body;
  /// Safe to send twice: may be retried on connection errors and 502/503/504. GET and HEAD
  /// always are; set it on a POST that only reads (a Prometheus query).
  bool idempotent = false;
};

struct Response {
  long status = 0;
  std::string content_type;
  std::string body;
  std::string url; ///< the URL that answered, after redirects (may hold credentials: see redact_url)
};

enum class Failure {
  connect,         ///< connection refused / no route
  dns,             ///< host name not resolved
  timeout,         ///< the total timeout (Request::timeout_ms) passed
  too_large,       ///< body over Request::max_bytes
  tls,             ///< TLS handshake or client certificate failure
  protocol,        ///< anything else (bad URL, HTTP protocol error)
  connect_timeout, ///< no connection within Request::connect_timeout_ms
  tls_verify,      ///< the server's certificate could not be verified
  truncated,       ///< the server closed the connection before the end of the answer (or sent none)
  redirects,       ///< more redirects than ClientOptions::max_redirects
  aborted,         ///< Request::on_body returned false; the reader has its own error to report
};

/// A transport failure: the server could not be reached or the transfer broke. what() is one
/// sentence naming the URL (credentials masked) and what happened; it never holds a secret.
struct TransportError : ServerError {
  TransportError(Failure f, const std::string& msg) : ServerError(msg), failure(f) {}
  Failure failure;
};

/// Session-wide connection settings (the `nsmon query` connection flags).
struct ClientOptions {
  int retries = 2;                   ///< extra attempts for idempotent requests (connection errors, 502/503/504)
  long retry_backoff_ms = 250;       ///< first pause; doubled each time, at most 4 s; Retry-After honoured up to 4 s
  int max_redirects = 5;             ///< 0: redirects are not followed (the 3xx is the Response)
  std::string bearer_token_file;     ///< "Authorization: Bearer <file contents, trimmed>"
  std::string username;              ///< basic auth (with password_file or password_env)
  std::string password_file;         ///< basic auth password: file contents, trimmed
  std::string password_env;          ///< basic auth password: the NAME of an environment variable
  Headers headers;                   ///< extra headers sent with every request
  std::string tenant;                ///< X-Scope-OrgID (Mimir, Cortex, Loki, VictoriaMetrics' vmauth)
  std::string ca_file;               ///< PEM bundle that verifies the server
  std::string cert_file, key_file;   ///< client certificate (mTLS)
  bool insecure_skip_verify = false; ///< do not verify the server's certificate
  /// --verbose: called with one line at a time ("> GET url", "> Header: v", "< HTTP/1.1 200 OK",
  /// "* 200 in 12 ms, 4,096 bytes", retries, redirects). Secrets are masked before the call.
  std::function<void(const std::string&)> trace;
};

/// Parses one `--header 'K: V'` argument; throws UsageError on a malformed one.
std::pair<std::string, std::string> parse_header(std::string_view kv);

/// The seam between nsmon and the network: libcurl in production, a fake in tests.
class Client {
public:
  virtual ~Client() = default;
  /// Performs one request (with retries and redirects as configured); an HTTP error status is a
  /// Response, not an exception. Throws TransportError.
  virtual Response send(const Request& req) = 0;
};

/// The plain libcurl client: no retries, no auth, redirects followed (at most 5).
std::unique_ptr<Client> make_curl_client();
/// The libcurl client with session settings. Reads the credential files and variable now and
/// throws nsmon::Error (naming the file or variable, never its contents) when one is unusable.
std::unique_ptr<Client> make_curl_client(const ClientOptions& options);

/// "503 Service Unavailable" — the status and its reason phrase, for messages.
std::string status_text(long status);

/// application/x-www-form-urlencoded: `k=v&k2=v2`, everything but [A-Za-z0-9-._~] percent-encoded.
std::string form_encode(const Headers& params);

/// Sends form parameters as a POST (long queries fit), and when the server answers 405 or 501
/// repeats it as a GET with the parameters in the query string — and keeps using GET for the rest
/// of its life (one session). Requests are marked idempotent: use it for reads only.
class FormSender {
public:
  explicit FormSender(Client& client) : client_(&client) {}
  /// `base` carries url (without query string), headers, timeouts, max_bytes, on_body.
  Response send(Request base, const Headers& params);
  bool using_get() const { return use_get_; }

private:
  Client* client_;
  std::atomic<bool> use_get_{false}; ///< shared by the threads of a promapi::Batch
};

} // namespace nsmon::http
