#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "nsmon/util/memory.hpp"

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

namespace detail {
/// Runs call(ctx) on the calling thread and on `extra` of the process's worker threads at once
/// and returns when every one has returned; false, with nothing run, when the workers are busy
/// (a call from another thread, or from inside a job).
bool run_on_workers(unsigned extra, void (*call)(void*), void* ctx);
} // namespace detail

/// Starts the worker threads parallel_steps uses ahead of time, for a command that knows it will
/// use them soon: a new thread starts late on a virtual machine whose idle vCPU has to be woken
/// (so has it for a parked thread).
void start_workers();

/// Runs fn(begin, end, step) for each step of `size` items of [0, n) (the last may be shorter;
/// step k is [k * size, min(n, (k + 1) * size))), on up to hardware_threads() threads, the calling
/// thread one of them. Each thread takes the next step when it is done with its last, so the
/// threads end together when items cost unequal time or a core is busy. Results that must come in
/// order are kept per step (step_count(n, size) of them) and joined after. A single step runs on
/// the calling thread alone; n = 0 runs none. The other threads are the process's workers, kept
/// between calls (they wait for the next call spinning for a few milliseconds, then parked); a
/// call made while they are busy (nested, or from another thread) starts threads of its own. A
/// thread's malloc arena is on huge pages when the process asked for them: advise_thread_heap
/// before each step, as the arena grows by new heaps.
template <class Fn> void parallel_steps(std::size_t n, std::size_t size, Fn&& fn) {
  size = std::max<std::size_t>(size, 1);
  const std::size_t steps = step_count(n, size);
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(std::min(hardware_threads(), kMaxWorkers), steps));
  std::atomic<std::size_t> next{0};
  auto run = [&] {
    for (std::size_t k = next++; k < steps; k = next++) {
      advise_thread_heap();
      fn(k * size, std::min(n, (k + 1) * size), k);
    }
  };
  if (threads <= 1) return run();
  if (detail::run_on_workers(
          threads - 1, [](void* r) { (*static_cast<decltype(run)*>(r))(); }, &run))
    return;
  std::vector<std::thread> others;
  for (unsigned t = 1; t < threads; ++t) others.emplace_back(run);
  run();
  for (auto& t : others) t.join();
}

} // namespace nsmon::util
