#include "nsmon/watch/source.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "nsmon/core/error.hpp"
#include "nsmon/expfmt/parser.hpp"
#include "nsmon/text/percent.hpp"
#include "nsmon/watch/stats.hpp"

namespace nsmon::watch {

namespace {

constexpr std::size_t kMaxScrapeBytes = 256u << 20;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

http::Request request(std::string url, double timeout_seconds) {
  http::Request req;
  req.url = std::move(url);
  req.timeout_ms = static_cast<long>(timeout_seconds * 1000);
  req.connect_timeout_ms = std::min(req.timeout_ms, 5000L);
  req.max_bytes = kMaxScrapeBytes;
  return req;
}

// Sends and classifies: a transport failure or a non-200 answer fills `r` and returns nullopt.
std::optional<http::Response> send(http::Client& client, const http::Request& req, ScrapeResult& r) {
  try {
    http::Response resp = client.send(req);
    if (resp.status != 200) {
      r.error = "HTTP " + std::to_string(resp.status);
      return std::nullopt;
    }
    return resp;
  } catch (const http::TransportError& e) {
    r.unreachable = e.failure == http::Failure::connect || e.failure == http::Failure::dns;
    r.error = e.what();
    return std::nullopt;
  }
}

class EndpointSource final : public Source {
public:
  EndpointSource(std::shared_ptr<http::Client> client, std::string url, double timeout, bool keep_samples)
      : client_(std::move(client)), url_(std::move(url)), timeout_(timeout), keep_samples_(keep_samples) {}

  ScrapeResult fetch() override {
    ScrapeResult r;
    r.started_ms = wall_ms();
    const auto t0 = Clock::now();
    http::Request req = request(url_, timeout_);
    req.headers.push_back(
        {"Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"});
    auto resp = send(*client_, req, r);
    r.seconds = since(t0);
    if (!resp) return r;
    r.bytes = resp->body.size();
    const expfmt::Format format = expfmt::format_from_content_type(resp->content_type);
    ParseOutcome p =
        parse_snapshot(resp->body, format, wanted_names(), r.snapshot, keep_samples_ ? &r.samples : nullptr);
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

class PrometheusSource final : public Source {
public:
  PrometheusSource(std::shared_ptr<http::Client> client, std::string base, std::string selector, double timeout)
      : client_(std::move(client)), base_(std::move(base)), timeout_(timeout) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    std::vector<std::string> names(wanted_names().begin(), wanted_names().end());
    std::sort(names.begin(), names.end());
    std::string re;
    for (const auto& n : names) re += (re.empty() ? "" : "|") + n;
    query_ = "{__name__=~\"" + re + "\"" + (selector.empty() ? "" : "," + selector) + "}";
  }

  ScrapeResult fetch() override {
    ScrapeResult r;
    r.started_ms = wall_ms();
    const auto t0 = Clock::now();
    http::Request req = request(base_ + "/api/v1/query", timeout_);
    req.method = "POST";
    req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    req.body = "query=" + text::percent_encode(query_);
    auto resp = send(*client_, req, r);
    r.seconds = since(t0);
    if (!resp) return r;
    r.bytes = resp->body.size();
    r.ok = snapshot_from_query(resp->body, r.snapshot, r.error);
    r.snapshot.at = Clock::now();
    return r;
  }

  std::string describe() const override { return base_ + " (Prometheus)"; }

private:
  std::shared_ptr<http::Client> client_;
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

bool snapshot_from_query(std::string_view body, Snapshot& out, std::string& error) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "Prometheus answered something that is not JSON";
    return false;
  }
  auto status = doc.find("status");
  if (status == doc.end() || *status != "success") {
    auto e = doc.find("error");
    error = "Prometheus: " + (e != doc.end() && e->is_string() ? e->get<std::string>() : std::string("query failed"));
    return false;
  }
  // Only find() on the document: operator[] of a const json with a missing key is undefined.
  auto member = [](const nlohmann::json& obj, const char* key) -> const nlohmann::json* {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  };
  const nlohmann::json* data = member(doc, "data");
  const nlohmann::json* type = data ? member(*data, "resultType") : nullptr;
  const nlohmann::json* result = data ? member(*data, "result") : nullptr;
  if (!type || *type != "vector" || !result || !result->is_array()) {
    error = "Prometheus answered something other than a vector";
    return false;
  }
  for (const auto& item : *result) {
    const nlohmann::json* metric = member(item, "metric");
    const nlohmann::json* value = member(item, "value");
    if (!metric || !metric->is_object() || !value || !value->is_array() || value->size() != 2 ||
        !(*value)[1].is_string())
      continue;
    Series s;
    std::string name;
    for (const auto& [k, v] : metric->items()) {
      if (!v.is_string()) continue;
      if (k == "__name__") name = v.get<std::string>();
      else if (k != "job" && k != "instance") s.labels.emplace_back(k, v.get<std::string>());
    }
    auto parsed = expfmt::parse_value((*value)[1].get<std::string>());
    if (name.empty() || !parsed) continue;
    s.value = *parsed;
    std::sort(s.labels.begin(), s.labels.end());
    ++out.series_total;
    out.samples[name].push_back(std::move(s));
  }
  return true;
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

void Poller::run() {
  auto next = Clock::now();
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, next, [this] { return stopping_; });
      if (stopping_) return;
    }
    ScrapeResult r = source_->fetch();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      results_.push_back(std::move(r));
    }
    const char one = 1;
    ssize_t ignored = ::write(pipe_[1], &one, 1); // a full pipe already wakes the reader
    (void)ignored;
    // Ticks stay on the grid start + k * interval; a fetch that overran skips the missed ones.
    next += interval_;
    if (auto now = Clock::now(); next < now) next = now + interval_ - (now - next) % interval_;
  }
}

} // namespace nsmon::watch
