#include "nsmon/watch/source.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "nsmon/core/error.hpp"
#include "nsmon/expfmt/parser.hpp"
#include "nsmon/promapi/api.hpp"
#include "nsmon/promapi/scrape.hpp"
#include "nsmon/watch/expected.hpp"
#include "nsmon/watch/stats.hpp"

namespace nsmon::watch {

namespace {

constexpr std::size_t kMaxScrapeBytes = 256u << 20;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Runs one fetch and classifies its failure for the screen: nothing listening yet (connection
// refused, DNS) is "waiting for metrics", anything else an error that watching goes on through. A
// cut connection is told apart too: it is also what a server exiting in mid-scrape looks like.
template <class Fetch> bool attempt(ScrapeResult& r, Fetch&& fetch) {
  try {
    fetch();
    return true;
  } catch (const http::TransportError& e) {
    r.unreachable = e.failure == http::Failure::connect || e.failure == http::Failure::dns;
    r.cut = e.failure == http::Failure::truncated;
    r.error = e.what();
  } catch (const promapi::ScrapeStatusError& e) {
    r.answered = true;
    r.error = "HTTP " + std::to_string(e.status);
  } catch (const ServerError& e) {
    r.error = e.what();
  }
  return false;
}

class EndpointSource final : public Source {
public:
  EndpointSource(std::shared_ptr<http::Client> client, std::string url, double timeout, bool keep_samples)
      : client_(std::move(client)), url_(std::move(url)), timeout_(timeout), keep_samples_(keep_samples) {}

  ScrapeResult fetch() override {
    ScrapeResult r;
    r.started_ms = wall_ms();
    const auto t0 = Clock::now();
    http::Response resp;
    const bool fetched = attempt(r, [&] { resp = promapi::scrape(*client_, {url_, timeout_, kMaxScrapeBytes}); });
    r.seconds = since(t0);
    if (!fetched) return r;
    r.answered = true;
    r.bytes = resp.body.size();
    const expfmt::Format format = expfmt::format_from_content_type(resp.content_type);
    ParseOutcome p =
        parse_snapshot(resp.body, format, scraped_names(), r.snapshot, keep_samples_ ? &r.samples : nullptr);
    r.snapshot.at = Clock::now();
    if (p.errors > 0) {
      r.error = "malformed scrape: " + std::to_string(p.errors) + (p.errors == 1 ? " error" : " errors") +
                " (first at " + p.first_error + ")";
      r.snapshot = Snapshot{};
      r.samples = ScrapedSamples{};
      return r;
    }
    r.ok = true;
    return r;
  }

  std::string describe() const override { return url_; }

private:
  std::shared_ptr<http::Client> client_;
  std::string url_;
  double timeout_;
  bool keep_samples_;
};

// One element of an instant query's vector as a scraped series: job and instance are the
// server's, not the detector's, so they are left out as a scrape has them.
void add_series(const promapi::Series& in, Snapshot& out) {
  if (in.samples.size() != 1 || in.samples[0].histogram) return;
  auto value = expfmt::parse_value(in.samples[0].value);
  Series s;
  std::string name;
  for (const auto& [k, v] : in.labels) {
    if (k == "__name__") name = v;
    else if (k != "job" && k != "instance") s.labels.emplace_back(k, v);
  }
  if (name.empty() || !value) return;
  s.value = *value;
  std::sort(s.labels.begin(), s.labels.end());
  ++out.series_total;
  out.samples[name].push_back(std::move(s));
}

class PrometheusSource final : public Source {
public:
  PrometheusSource(std::shared_ptr<http::Client> client, std::string base, std::string selector, double timeout)
      : client_(std::move(client)), sender_(*client_), base_(std::move(base)), timeout_(timeout) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    std::vector<std::string> names(scraped_names().begin(), scraped_names().end());
    std::sort(names.begin(), names.end());
    std::string re;
    for (const auto& n : names) re += (re.empty() ? "" : "|") + n;
    query_ = "{__name__=~\"" + re + "\"" + (selector.empty() ? "" : "," + selector) + "}";
  }

  ScrapeResult fetch() override {
    ScrapeResult r;
    r.started_ms = wall_ms();
    const auto t0 = Clock::now();
    http::Request req;
    req.timeout_ms = static_cast<long>(timeout_ * 1000);
    req.connect_timeout_ms = std::min(req.timeout_ms, 5000L);
    req.max_bytes = kMaxScrapeBytes;
    promapi::ReaderOptions ro;
    ro.on_series = [&](const promapi::Series& s) { add_series(s, r.snapshot); };
    promapi::Answer a;
    const bool answered = attempt(r, [&] {
      a = promapi::perform(sender_, *client_, base_, promapi::instant_query(query_, std::nullopt), req, ro);
    });
    r.seconds = since(t0);
    r.answered = r.answered || answered;
    r.bytes = a.bytes;
    if (answered && a.reply.status != "success")
      r.error = "Prometheus: " + (a.reply.error.empty() ? std::string("query failed") : a.reply.error);
    else if (answered && a.reply.result_type != "vector") r.error = "Prometheus answered something other than a vector";
    r.ok = answered && r.error.empty();
    if (!r.ok) r.snapshot = Snapshot{};
    r.snapshot.at = Clock::now();
    return r;
  }

  std::string describe() const override { return base_ + " (Prometheus)"; }

private:
  std::shared_ptr<http::Client> client_;
  http::FormSender sender_; ///< POST, or GET from the first 405/501 on, as for nsmon query
  std::string base_;
  std::string query_;
  double timeout_;
};

} // namespace

std::unique_ptr<Source> endpoint_source(std::shared_ptr<http::Client> client, std::string url, double timeout,
                                        bool keep_samples) {
  return std::make_unique<EndpointSource>(std::move(client), std::move(url), timeout, keep_samples);
}

std::unique_ptr<Source> prometheus_source(std::shared_ptr<http::Client> client, std::string base_url,
                                          std::string selector, double timeout) {
  return std::make_unique<PrometheusSource>(std::move(client), std::move(base_url), std::move(selector), timeout);
}

Poller::Poller(std::unique_ptr<Source> source, std::chrono::milliseconds interval)
    : source_(std::move(source)), interval_(interval) {
  if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
}

Poller::~Poller() {
  stop();
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

void Poller::start() {
  // Signals go to the main thread (its self-pipe), never to a thread inside libcurl.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  thread_ = std::thread([this] { run(); });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void Poller::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::deque<ScrapeResult> Poller::take() {
  char buf[64];
  while (::read(pipe_[0], buf, sizeof buf) > 0) {
  }
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(results_, {});
}

void Poller::scrape_now() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = true;
  }
  cv_.notify_all();
}

ScrapeResult Poller::fetch_final() {
  stop();
  ScrapeResult r = source_->fetch();
  r.out_of_turn = true;
  return r;
}

void Poller::run() {
  auto next = Clock::now();
  auto last = Clock::time_point::min();
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      // An out-of-turn request waits out the gap since the last fetch, then goes ahead of the tick.
      cv_.wait_until(lock, next, [this] { return stopping_ || now_; });
      if (stopping_) return;
      if (now_ && Clock::now() < next) {
        cv_.wait_until(lock, std::min(next, std::max(Clock::now(), last + kMinGap)), [this] { return stopping_; });
        if (stopping_) return;
      }
      now_ = false;
    }
    last = Clock::now();
    ScrapeResult r = source_->fetch();
    r.out_of_turn = last < next;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      results_.push_back(std::move(r));
    }
    const char one = 1;
    ssize_t ignored = ::write(pipe_[1], &one, 1); // a full pipe already wakes the reader
    (void)ignored;
    // Ticks stay on the grid start + k * interval (an out-of-turn fetch leaves it alone); a fetch
    // that overran skips the missed ones.
    if (last < next) continue;
    next += interval_;
    if (auto now = Clock::now(); next < now) next = now + interval_ - (now - next) % interval_;
  }
}

} // namespace nsmon::watch
