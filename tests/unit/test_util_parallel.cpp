// util/parallel: contiguous chunks, one per worker, each given in ordered steps.
#include <catch2/catch.hpp>
#include <mutex>
#include <vector>

#include "nsmon/util/parallel.hpp"

using namespace nsmon;

TEST_CASE("parallel_chunks: every item once, each worker's items in order, in steps of at most 1,024", "[util]") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{5000}, std::size_t{20001}}) {
    INFO(n);
    std::vector<int> seen(n);
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> steps(util::kMaxWorkers);
    std::mutex mutex;
    util::parallel_chunks(n, 256, [&](std::size_t b, std::size_t e, unsigned w) {
      REQUIRE(w < util::kMaxWorkers);
      for (std::size_t i = b; i < e; ++i) ++seen[i];
      std::lock_guard lock(mutex);
      steps[w].emplace_back(b, e);
    });
    for (std::size_t i = 0; i < n; ++i) CHECK(seen[i] == 1);
    // Worker w's steps follow one another, and worker w + 1 starts where worker w ended.
    std::size_t next = 0;
    for (const auto& ws : steps)
      for (const auto& [b, e] : ws) {
        CHECK(b == next);
        CHECK(e - b <= 1024);
        next = e;
      }
    CHECK(next == n);
  }
}
