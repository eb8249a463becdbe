#include "nsmon/http/fake_client.hpp"

#include <algorithm>

#include "nsmon/util/url.hpp"

namespace nsmon::http {

void FakeClient::on(const std::string& url_part, Reply reply) {
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.url_part == url_part; });
  if (it == rules_.end()) it = rules_.insert(rules_.end(), Rule{url_part, {}, 0});
  it->replies.push_back(std::move(reply));
}

Response FakeClient::send(const Request& req) {
  requests_.push_back(req);
  auto it = std::find_if(rules_.begin(), rules_.end(),
                         [&](const Rule& r) { return req.url.find(r.url_part) != std::string::npos; });
  if (it == rules_.end()) return Response{404, "text/plain", "no fake reply for this URL\n", req.url};
  const Reply& reply = it->replies[std::min(it->served++, it->replies.size() - 1)];
  if (reply.failure) throw TransportError(*reply.failure, reply.message);
  Response resp{reply.status, reply.content_type, {}, req.url};
  const bool stream = req.on_body && reply.status >= 200 && reply.status < 300;
  for (std::size_t at = 0; at < reply.body.size(); at += chunk_) {
    std::string_view piece = std::string_view(reply.body).substr(at, chunk_);
    if (req.max_bytes && at + piece.size() > req.max_bytes)
      throw TransportError(Failure::too_large, "the answer from " + util::redact_url(req.url) +
                                                   " is larger than the limit of " + std::to_string(req.max_bytes) +
                                                   " bytes");
    if (!stream) {
      resp.body.append(piece);
    } else if (!req.on_body(piece)) {
      throw TransportError(Failure::aborted, "the reader stopped the transfer from " + util::redact_url(req.url));
    }
  }
  return resp;
}

} // namespace nsmon::http
