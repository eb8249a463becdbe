#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "nsmon/promapi/api.hpp"

// Many API calls to one server in one run, with a bounded number of requests: at most
// `concurrency` in flight, each distinct call (path and parameters) sent once and its answer kept
// for the rest of the run. lint-rules --prometheus asks about every selector of every rule through
// it; the callers batch what the API lets them (several selectors in one query) before it.

namespace nsmon::promapi {

/// A whole answer: what perform() returns, with data.result's series and data's raw JSON kept.
struct Fetched {
  long http_status = 0;
  Reply reply;
  std::vector<Series> result; ///< data.result of query and query_range
  std::string data;           ///< the raw JSON of "data" (series, labels, metadata, targets, stats)
  bool ok() const { return reply.status == "success"; }
};

/// Sends one call (cli::call_server in the program, a FakeClient in tests).
using SendCall = std::function<Answer(const Call&, const ReaderOptions&)>;

class Batch {
public:
  explicit Batch(SendCall send, unsigned concurrency = 8) : send_(std::move(send)), concurrency_(concurrency) {}

  /// The answers to `calls`, in their order. When a call fails (the server cannot be reached, an
  /// answer that is not the API's), no further call is started and the first failure is thrown
  /// once the calls under way have ended: a server that is down costs one request, not one each.
  std::vector<std::shared_ptr<const Fetched>> fetch(const std::vector<Call>& calls);
  std::shared_ptr<const Fetched> fetch(const Call& call) { return fetch(std::vector<Call>{call})[0]; }

  /// Requests sent so far (cached answers not counted).
  std::size_t requests() const;

private:
  std::shared_ptr<const Fetched> send(const Call& call);

  SendCall send_;
  unsigned concurrency_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Fetched>> cache_;
  std::size_t requests_ = 0;
};

} // namespace nsmon::promapi
