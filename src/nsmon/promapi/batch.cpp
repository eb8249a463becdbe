#include "nsmon/promapi/batch.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

namespace nsmon::promapi {

namespace {

std::string key_of(const Call& c) {
  std::string k = c.path;
  for (const auto& [name, value] : c.params) k.append(1, '\0').append(name).append(1, '=').append(value);
  return k;
}

} // namespace

std::size_t Batch::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::shared_ptr<const Fetched> Batch::send(const Call& call) {
  auto f = std::make_shared<Fetched>();
  ReaderOptions ro;
  ro.data_sink = [&](std::string_view bytes) { f->data.append(bytes); };
  ro.on_series = [&](const Series& s) { f->result.push_back(s); };
  Answer a = send_(call, ro);
  f->http_status = a.http_status;
  f->reply = std::move(a.reply);
  return f;
}

std::vector<std::shared_ptr<const Fetched>> Batch::fetch(const std::vector<Call>& calls) {
  std::vector<std::shared_ptr<const Fetched>> out(calls.size());
  // The calls not answered yet, each distinct one once.
  std::vector<std::string> keys(calls.size());
  std::vector<std::size_t> todo;
  {
    std::lock_guard lock(mu_);
    std::map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      keys[i] = key_of(calls[i]);
      if (auto it = cache_.find(keys[i]); it != cache_.end()) out[i] = it->second;
      else if (first.emplace(keys[i], i).second) todo.push_back(i);
    }
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  auto work = [&] {
    for (std::size_t k = next++; k < todo.size() && !failed; k = next++) {
      const std::size_t i = todo[k];
      try {
        auto f = send(calls[i]);
        std::lock_guard lock(mu_);
        ++requests_;
        cache_[keys[i]] = std::move(f);
      } catch (...) {
        std::lock_guard lock(mu_);
        ++requests_;
        if (!failed.exchange(true)) error = std::current_exception();
      }
    }
  };
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, concurrency_), todo.size()));
  std::vector<std::thread> others;
  for (unsigned t = 1; t < threads; ++t) others.emplace_back(work);
  work();
  for (auto& t : others) t.join();
  if (error) std::rethrow_exception(error);
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < calls.size(); ++i)
    if (!out[i]) out[i] = cache_.at(keys[i]);
  return out;
}

} // namespace nsmon::promapi
