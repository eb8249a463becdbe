#include "nsmon/promapi/scrape.hpp"

#include <algorithm>

#include "nsmon/util/url.hpp"

namespace nsmon::promapi {

http::Response scrape(http::Client& client, const ScrapeRequest& r) {
  http::Request req;
  req.url = r.url;
  req.timeout_ms = static_cast<long>(r.timeout_seconds * 1000);
  req.connect_timeout_ms = std::min(req.timeout_ms, 5000L);
  req.max_bytes = r.max_bytes;
  // As Prometheus asks: OpenMetrics preferred, the text format accepted.
  req.headers.emplace_back("Accept", r.accept == ScrapeAccept::text ? "text/plain;version=0.0.4"
                                     : r.accept == ScrapeAccept::openmetrics
                                         ? "application/openmetrics-text;version=1.0.0"
                                         : "application/openmetrics-text;version=1.0.0,"
                                           "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
  http::Response resp = client.send(req);
  if (resp.status != 200)
    throw ScrapeStatusError(resp.status, util::redact_url(r.url) + " answered HTTP " + std::to_string(resp.status) +
                                             " instead of 200");
  return resp;
}

} // namespace nsmon::promapi
