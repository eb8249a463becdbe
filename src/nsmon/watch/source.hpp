#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "nsmon/http/client.hpp"
#include "nsmon/watch/snapshot.hpp"

// Where the watcher's samples come from: the detector's /metrics, or a Prometheus server that
// scrapes it. A Poller fetches from a Source on its own thread, every interval.

namespace nsmon::watch {

struct ScrapeResult {
  bool ok = false;
  bool unreachable = false; ///< nothing listening yet (connection refused, DNS): "waiting for metrics"
  bool cut = false;         ///< the connection broke before a whole answer (reset, or closed by the server)
  bool answered = false;    ///< something listening gave an HTTP answer (any status, parsed or not)
  std::string error;        ///< why it failed, for the screen ("HTTP 500", "malformed: 2 errors, first ...")
  Snapshot snapshot;        ///< valid when ok
  std::size_t bytes = 0;
  double seconds = 0;          ///< how long the fetch took
  std::int64_t started_ms = 0; ///< when the fetch started (ms since the epoch): the samples' time
  ScrapedSamples samples;      ///< every sample, for watch --rules (endpoint_source's keep_samples)
  bool out_of_turn = false;    ///< asked for by the command's output or exit, not by the interval
};

class Source {
public:
  virtual ~Source() = default;
  virtual ScrapeResult fetch() = 0;
  /// The URL, for messages ("waiting for metrics at URL").
  virtual std::string describe() const = 0;
};

/// Scrapes an exposition endpoint (OpenMetrics preferred, text accepted, like Prometheus).
/// A malformed scrape is a failed one: half a scrape would look like counter resets. With
/// `keep_samples` a good scrape's every sample is handed over too, from the same parse (for
/// watch --rules' store).
std::unique_ptr<Source> endpoint_source(std::shared_ptr<http::Client> client, std::string url, double timeout_seconds,
                                        bool keep_samples = false);

/// Reads the same samples from a Prometheus server (an instant query for the watched names,
/// through promapi/ as `nsmon query` sends it); `selector` adds label matchers, e.g.
/// job="neurosymbolic-app".
std::unique_ptr<Source> prometheus_source(std::shared_ptr<http::Client> client, std::string base_url,
                                          std::string selector, double timeout_seconds);

/// Fetches from a Source every interval on a thread of its own; results are taken by the owner,
/// who is woken through fd() (readable when results wait).
class Poller {
public:
  Poller(std::unique_ptr<Source> source, std::chrono::milliseconds interval);
  ~Poller(); ///< stops the thread (waits for a fetch under way, bounded by its timeout)
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  /// Starts fetching (the first fetch at once).
  void start();
  /// A descriptor that is readable while results wait; drain it with take().
  int fd() const { return pipe_[0]; }
  std::deque<ScrapeResult> take();
  /// Asks for a fetch out of turn (the command said something, so its figures may have moved):
  /// requests coalesce into one, no sooner than kMinGap after the previous fetch started; the
  /// regular ticks carry on after it.
  void scrape_now();
  /// Stops the thread; results not taken yet stay for take().
  void stop();
  /// One fetch on the caller's thread, after stop(): the last look at an endpoint that may be
  /// about to go away with its command.
  ScrapeResult fetch_final();
  const Source& source() const { return *source_; }

  /// Bounds the fetches a chatty command can cause to a few per second.
  static constexpr std::chrono::milliseconds kMinGap{100};

private:
  void run();

  std::unique_ptr<Source> source_;
  std::chrono::milliseconds interval_;
  int pipe_[2] = {-1, -1};
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ScrapeResult> results_;
  bool stopping_ = false, now_ = false;
  std::thread thread_;
};

} // namespace nsmon::watch
