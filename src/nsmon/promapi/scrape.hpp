#pragma once
#include <cstddef>
#include <string>

#include "nsmon/http/client.hpp"

// One scrape of an exposition endpoint (/metrics), for every command that reads one (lint-metrics,
// watch), so that its request, limits and failures are decided once. It lives here rather than in
// http/, which is a transport that speaks no Prometheus protocol: the scrape is Prometheus's other
// protocol on top of it. The caller picks the exposition format from the answer's content type
// (expfmt/ is not below promapi/).

namespace nsmon::promapi {

/// What a scrape asks for: both formats (OpenMetrics preferred, as Prometheus asks), or only one.
enum class ScrapeAccept { any, text, openmetrics };

struct ScrapeRequest {
  std::string url;
  double timeout_seconds = 10; ///< the whole fetch; a connection gets at most 5 s of it
  std::size_t max_bytes = 0;   ///< 0: unlimited
  ScrapeAccept accept = ScrapeAccept::any;
};

/// A scrape answered with another status than 200 (a server fault: exit 3 like an unreachable one).
struct ScrapeStatusError : ServerError {
  ScrapeStatusError(long s, const std::string& msg) : ServerError(msg), status(s) {}
  long status;
};

/// Fetches the endpoint: the answer (body, content type) of a 200. Throws http::TransportError
/// (not reached, timed out, too large) and ScrapeStatusError; messages hold no credentials.
http::Response scrape(http::Client& client, const ScrapeRequest& req);

} // namespace nsmon::promapi
