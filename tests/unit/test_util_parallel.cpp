// util/parallel: steps of fixed size, each run once, on threads that take the next step when free.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "nsmon/util/parallel.hpp"

using namespace nsmon;

TEST_CASE("parallel_steps: every item once, step k from k * size to (k + 1) * size", "[util]") {
  for (std::size_t n :
       {std::size_t{0}, std::size_t{1}, std::size_t{255}, std::size_t{256}, std::size_t{1000}, std::size_t{20001}}) {
    INFO(n);
    std::vector<int> seen(n);
    std::vector<int> step_seen(util::step_count(n, 256));
    util::parallel_steps(n, 256, [&](std::size_t b, std::size_t e, std::size_t k) {
      REQUIRE(k < step_seen.size());
      ++step_seen[k];
      CHECK(b == k * 256);
      CHECK(e == std::min(n, b + 256));
      for (std::size_t i = b; i < e; ++i) ++seen[i];
    });
    for (std::size_t i = 0; i < n; ++i) CHECK(seen[i] == 1);
    for (int s : step_seen) CHECK(s == 1);
  }
  CHECK(util::step_count(0, 256) == 0);
  CHECK(util::step_count(256, 256) == 1);
  CHECK(util::step_count(257, 256) == 2);
  CHECK(util::step_count(3, 0) == 3); // a size of 0 is taken as 1
}

TEST_CASE("parallel_steps: a single step runs on the calling thread", "[util]") {
  std::thread::id ran;
  util::parallel_steps(10, 64, [&](std::size_t, std::size_t, std::size_t) { ran = std::this_thread::get_id(); });
  CHECK(ran == std::this_thread::get_id());
}

TEST_CASE("parallel_steps: a thread held up on one step leaves the other steps to the others", "[util]") {
  if (util::hardware_threads() < 2) return; // one thread runs every step: nothing to balance
  // Step 0 waits until every other step has run (10 s at most): with steps handed out in fixed
  // shares per thread, its own thread's share would not run meanwhile.
  constexpr std::size_t kSteps = 64;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::atomic<std::size_t> done{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  util::parallel_steps(kSteps, 1, [&](std::size_t, std::size_t, std::size_t k) {
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    }
    if (k == 0)
      while (done.load() < kSteps - 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    else ++done;
  });
  CHECK(done.load() == kSteps - 1);
  CHECK(threads.size() >= 2);
  CHECK(std::chrono::steady_clock::now() < deadline);
}

TEST_CASE("parallel_steps: nested calls and calls from several threads at once run every step once", "[util]") {
  constexpr std::size_t kOuter = 16, kInner = 100;
  std::vector<std::atomic<int>> seen(4 * kOuter * kInner);
  auto outer = [&](std::size_t base) {
    util::parallel_steps(kOuter, 1, [&](std::size_t b, std::size_t, std::size_t) {
      util::parallel_steps(kInner, 7, [&](std::size_t ib, std::size_t ie, std::size_t) {
        for (std::size_t i = ib; i < ie; ++i) ++seen[base + b * kInner + i];
      });
    });
  };
  std::vector<std::thread> callers;
  for (std::size_t c = 1; c < 4; ++c) callers.emplace_back(outer, c * kOuter * kInner);
  outer(0);
  for (auto& t : callers) t.join();
  for (std::size_t i = 0; i < seen.size(); ++i) {
    INFO(i);
    CHECK(seen[i].load() == 1);
  }
}
