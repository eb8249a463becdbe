#pragma once
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

#include "nsmon/util/memory.hpp"

namespace nsmon::util {

/// The most worker threads parallel_chunks uses: `worker` is always below it.
inline constexpr unsigned kMaxWorkers = 8;

/// The number of hardware threads, read once (std::thread::hardware_concurrency reads /sys each time).
inline unsigned hardware_threads() {
  static const unsigned n = std::max(1u, std::thread::hardware_concurrency());
  return n;
}

/// Runs fn(begin, end, worker) over [0, n) split into contiguous chunks, one per worker thread
/// (the calling thread is worker 0), each given to fn in order in steps of up to 1,024 items.
/// Small inputs run on the calling thread alone. A worker's malloc arena is on huge pages when the
/// process asked for them: advise_thread_heap before each step, as the arena grows by new heaps.
template <class Fn> void parallel_chunks(std::size_t n, std::size_t min_per_worker, Fn&& fn) {
  const unsigned hw = hardware_threads();
  auto workers = static_cast<unsigned>(std::min<std::size_t>(
      std::min(hw, kMaxWorkers), std::max<std::size_t>(1, n / std::max<std::size_t>(min_per_worker, 1))));
  std::size_t chunk = (n + workers - 1) / std::max(workers, 1u);
  auto run = [&fn](std::size_t b, std::size_t e, unsigned w) {
    constexpr std::size_t kStep = 1024;
    std::size_t s = b;
    do { // an empty range is one empty step
      advise_thread_heap();
      fn(s, std::min(e, s + kStep), w);
      s += kStep;
    } while (s < e);
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) {
    std::size_t b = std::min(n, w * chunk), e = std::min(n, b + chunk);
    threads.emplace_back([&run, b, e, w] { run(b, e, w); });
  }
  run(0, std::min(n, chunk), 0u);
  for (auto& t : threads) t.join();
}

} // namespace nsmon::util
