#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "nsmon/util/fast_path.hpp"

namespace nsmon::util {

/// The most threads parallel_steps uses.
inline constexpr unsigned kMaxWorkers = 8;

/// The number of hardware threads, read once (std::thread::hardware_concurrency reads /sys each time).
inline unsigned hardware_threads() {
  static const unsigned n = std::max(1u, std::thread::hardware_concurrency());
  return n;
}

/// The number of steps of `size` items (at least 1) that parallel_steps cuts [0, n) into.
inline std::size_t step_count(std::size_t n, std::size_t size) {
  size = std::max<std::size_t>(size, 1);
  return n / size + (n % size != 0);
}

/// Runs fn(begin, end, step) for each step of `size` items of [0, n) (the last may be shorter;
/// step k is [k * size, min(n, (k + 1) * size))), on up to hardware_threads() threads, the calling
/// thread one of them. Each thread takes the next step when it is done with its last, so the
/// threads end together when items cost unequal time or a core is busy. Results that must come in
/// order are kept per step (step_count(n, size) of them) and joined after. A single step runs on
/// the calling thread alone; n = 0 runs none. The other threads are started for the call and
/// joined before it returns.
template <class Fn> void parallel_steps(std::size_t n, std::size_t size, Fn&& fn) {
  size = std::max<std::size_t>(size, 1);
  const std::size_t steps = step_count(n, size);
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(std::min(hardware_threads(), kMaxWorkers), steps));
  std::atomic<std::size_t> next{0};
  auto run = [&] {
    for (std::size_t k = next++; k < steps; k = next++) fn(k * size, std::min(n, (k + 1) * size), k);
  };
  if (threads <= 1) return run();
  std::vector<std::thread> others;
  for (unsigned t = 1; t < threads; ++t)
    others.emplace_back([&] {
      thread_heap_on_huge_pages();
      run();
    });
  try {
    run();
  } catch (...) {
    for (auto& t : others) t.join();
    throw;
  }
  for (auto& t : others) t.join();
}

} // namespace nsmon::util
