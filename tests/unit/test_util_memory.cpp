// util/memory: the heap of a short, large command advised as transparent huge pages.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "nsmon/util/memory.hpp"

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#include <malloc.h>
#endif

using namespace nsmon;

namespace {

// Whether a mapping of /proc/self/smaps named [heap], or holding address `at`, has the `hg`
// (MADV_HUGEPAGE) flag.
bool advised_at(std::uintptr_t at) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in = false;
  while (std::getline(smaps, line)) {
    if (std::uintptr_t lo = 0, hi = 0; std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2)
      in = at ? lo <= at && at < hi : line.find(" [heap]") != std::string::npos;
    else if (line.rfind("VmFlags:", 0) == 0 && in && (line + " ").find(" hg ") != std::string::npos) return true;
  }
  return false;
}
bool advised(const void* p = nullptr) { return advised_at(reinterpret_cast<std::uintptr_t>(p)); }

// Whether the kernel takes MADV_HUGEPAGE advice ("always [madvise] never" or "[always] ...").
[[maybe_unused]] bool thp_advisable() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string s;
  std::getline(f, s);
  return !s.empty() && s.find("[never]") == std::string::npos;
}

// Advised where glibc's allocator is used and the kernel takes the advice; never under
// AddressSanitizer (its own allocator: nothing done).
void expect_advised(bool is) {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  if (thp_advisable()) CHECK(is);
#else
  CHECK_FALSE(is);
#endif
}

} // namespace

TEST_CASE("heap_on_huge_pages: allocation goes on", "[util]") {
  // In this process, after other tests: the heap may have free blocks that serve the growth
  // (whether it is advised then is the fresh process's test, below).
  util::heap_on_huge_pages(std::size_t{64} << 20);
  // Blocks of every size still come and go, the large ones from the advised heap.
  std::vector<void*> blocks;
  for (std::size_t n = 16; n <= (std::size_t{8} << 20); n *= 4) blocks.push_back(std::malloc(n));
  for (void* p : blocks) {
    CHECK(p != nullptr);
    std::free(p);
  }
}

// Run alone, in a process of its own (the next test starts it): the heap as a command has it
// when it calls heap_on_huge_pages, not after other tests freed blocks of every size.
TEST_CASE("heap_on_huge_pages: in a fresh process", "[.fresh-heap]") {
  util::heap_on_huge_pages(std::size_t{64} << 20);
  expect_advised(advised());
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  // The main arena's top block ends at the break, `keepcost` long: its first byte for a caller
  // (past the 16-byte header) is on a boundary, in the advised part of the heap, not in the small
  // pages below it that were in use before.
  const auto top = reinterpret_cast<std::uintptr_t>(sbrk(0)) - mallinfo2().keepcost + 16;
  CHECK(top % (std::uintptr_t{2} << 20) == 0);
  if (thp_advisable()) CHECK(advised_at(top));
#endif
}

TEST_CASE("heap_on_huge_pages: the heap is advised, what is allocated next starts at a 2 MiB boundary", "[util]") {
  // This test binary again, running only the test above.
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl("/proc/self/exe", "/proc/self/exe", "heap_on_huge_pages: in a fresh process", nullptr);
    _exit(127);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("advise_thread_heap: a thread's malloc arena is advised too, after heap_on_huge_pages", "[util]") {
  util::heap_on_huge_pages(std::size_t{64} << 20);
  bool in_advised = false;
  std::thread([&] {
    util::advise_thread_heap();
    void* p = std::malloc(4096); // from this thread's arena
    in_advised = advised(p);
    std::free(p);
  }).join();
  expect_advised(in_advised);
}

TEST_CASE("advise_thread_heap: a thread arena's next heap is advised when it is made", "[util]") {
  util::heap_on_huge_pages(std::size_t{64} << 20);
  bool in_advised = false;
  std::thread([&] {
    util::advise_thread_heap();
    // Small blocks freed in the first heap: a small probe would be given one of them.
    std::vector<void*> small;
    for (int i = 0; i < 8; ++i) small.push_back(std::malloc(16));
    for (void* p : small) std::free(p);
    // Past the arena's first 64 MiB heap: glibc makes another (blocks are not touched).
    std::vector<void*> blocks;
    for (int i = 0; i < 80; ++i) blocks.push_back(std::malloc(std::size_t{1} << 20));
    util::advise_thread_heap();
    in_advised = advised(blocks.back());
    for (void* p : blocks) std::free(p);
  }).join();
  expect_advised(in_advised);
}
