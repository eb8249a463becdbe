// util/fast_path: the heap of a short, large command advised as transparent huge pages.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "nsmon/util/fast_path.hpp"

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

// Whether every mapping of /proc/self/smaps with the `hg` flag starts with a whole huge page
// none of whose pages is in use (mincore: resident). Reads smaps into static memory, so that
// nothing is allocated from the heap it looks at.
bool advised_ranges_untouched() {
  static char text[4 << 20];
  const int fd = open("/proc/self/smaps", O_RDONLY);
  if (fd < 0) return false;
  std::size_t size = 0;
  for (ssize_t n; (n = read(fd, text + size, sizeof text - size)) > 0;) size += static_cast<std::size_t>(n);
  close(fd);
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  std::string_view rest(text, size);
  void* lo = nullptr; // a mapping's first address, read as a pointer (%p) for mincore
  std::uintptr_t length = 0;
  while (!rest.empty()) {
    const std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    void* a = nullptr;
    std::uintptr_t b = 0;
    if (std::sscanf(line.data(), "%p-%lx ", &a, &b) == 2) {
      lo = a, length = b - reinterpret_cast<std::uintptr_t>(a);
    } else if (line.substr(0, 8) == "VmFlags:" && line.find(" hg") != std::string_view::npos && length >= kHuge) {
      static unsigned char in[kHuge / 4096];
      if (mincore(lo, kHuge, in) != 0) return false;
      for (std::uintptr_t i = 0; i < kHuge / page; ++i)
        if (in[i] & 1) return false;
    }
  }
  return true;
}

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
#if defined(__GLIBC__) && !defined(NSMON_ASAN)
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
  // A thread's block of its own arena, advised or not after thread_heap_on_huge_pages: 8 MiB, so
  // that its middle is past the first huge page boundary of what the arena gives.
  auto thread_advised = [] {
    bool is = false;
    std::thread([&] {
      util::thread_heap_on_huge_pages();
      auto* p = static_cast<char*>(std::malloc(std::size_t{8} << 20));
      is = advised(p + (std::size_t{4} << 20));
      std::free(p);
    }).join();
    return is;
  };
  CHECK_FALSE(thread_advised()); // nothing before heap_on_huge_pages
  util::heap_on_huge_pages(std::size_t{64} << 20);
  // Every advised range starts with a whole huge page none of whose pages is in use: a page in
  // use there (malloc's header of the heap's top) keeps that range on 4 KiB pages. Looked at
  // first, before anything here allocates.
  const bool untouched = advised_ranges_untouched();
  expect_advised(advised());
  CHECK(untouched);
  expect_advised(thread_advised());
}

TEST_CASE("heap_on_huge_pages: the heap is advised", "[util]") {
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
