#pragma once
// promapi/: Prometheus's HTTP protocols on top of `http/`: the API (endpoints, API times and steps,
// a streaming decoder of answers: incremental JSON tokenizer, series-by-series reader) and many
// calls to one server in one run (`batch.*`: at most N in flight, each distinct call sent once and
// its whole answer kept for the run, the first failure stopping the rest: lint-rules --prometheus,
// backtest), the scrape of an exposition endpoint (`scrape.*`: Accept header, timeouts, a status
// other than 200 a `ScrapeStatusError`), the one path of every scrape.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nsmon/http/client.hpp"
#include "nsmon/promapi/reader.hpp"

// The Prometheus HTTP API (/api/v1/...) over an http::Client. Works with Prometheus and the
// backends that speak its API (VictoriaMetrics, Thanos, Mimir, Cortex); the server URL may carry a
// path prefix (http://host/prometheus).

namespace nsmon::promapi {

using Params = http::Headers;

/// One API call: a path under /api/v1/ and its parameters.
struct Call {
  std::string path; ///< "query", "query_range", "series", "label/job/values", ...
  Params params;
  bool form = false; ///< POST the parameters as a form (GET on 405/501); else GET
};

Call instant_query(const std::string& expr, std::optional<double> time);
Call range_query(const std::string& expr, double start, double end, double step);
Call series(const std::vector<std::string>& matchers, std::optional<double> start, std::optional<double> end);
Call labels(const std::vector<std::string>& matchers, std::optional<double> start, std::optional<double> end);
Call label_values(const std::string& name, const std::vector<std::string>& matchers, std::optional<double> start,
                  std::optional<double> end);
Call targets(const std::string& state);
Call rules(const std::string& type);
Call alerts();
Call metadata(const std::string& metric);
Call buildinfo();

/// The URL of an API path under the server URL, keeping the server's path prefix.
std::string api_url(const std::string& server, const std::string& path);
/// Whether a server URL is usable: http:// or https://, a host, no query or fragment.
bool valid_server_url(const std::string& server);

/// An answer that is not a Prometheus API answer, or none at all.
struct BadAnswer : ServerError {
  using ServerError::ServerError;
};

struct Answer {
  long http_status = 0;
  Reply reply;
  std::size_t bytes = 0; ///< the size of the answer's body
};

/// Sends the call and streams a 2xx answer through a ReplyReader with `opts`. `base` carries the
/// connection settings (timeouts, limits); its url and on_body are set here. Throws
/// http::TransportError (not reached) and BadAnswer (not understood). An answer with
/// "status":"error" (HTTP 400, 422, 503, ...) is returned, not thrown.
Answer perform(http::FormSender& sender, http::Client& client, const std::string& server, const Call& call,
               http::Request base, const ReaderOptions& opts);

} // namespace nsmon::promapi
