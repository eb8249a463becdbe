#pragma once
#include <optional>
#include <string>
#include <vector>

#include "nsmon/http/client.hpp"

namespace nsmon::http {

/// A Client that serves canned replies, for tests of what sits on top of http/ (promapi, watch).
/// It keeps the real client's contract: max_bytes, on_body for 2xx answers only (in small
/// pieces, to exercise streaming readers), on_body returning false -> Failure::aborted.
class FakeClient final : public Client {
public:
  struct Reply {
    long status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::optional<Failure> failure; ///< set: send() throws TransportError(failure, message)
    std::string message;
  };

  /// Requests whose URL contains `url_part` get `reply` (the first matching rule wins); several
  /// replies for the same part are served in turn, the last one repeated.
  void on(const std::string& url_part, Reply reply);
  /// Pieces of this many bytes go to on_body.
  void set_chunk_size(std::size_t n) { chunk_ = n == 0 ? 1 : n; }
  /// Every request received, in order.
  const std::vector<Request>& requests() const { return requests_; }

  Response send(const Request& req) override;

private:
  struct Rule {
    std::string url_part;
    std::vector<Reply> replies;
    std::size_t served = 0;
  };
  std::vector<Rule> rules_;
  std::vector<Request> requests_;
  std::size_t chunk_ = 7;
};

} // namespace nsmon::http
