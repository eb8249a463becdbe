// util/memory: the heap of a short, large command advised as transparent huge pages.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "nsmon/util/memory.hpp"

using namespace nsmon;

namespace {

// Whether a mapping named [heap] in /proc/self/smaps has the `hg` (MADV_HUGEPAGE) flag.
bool heap_advised() {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in_heap = false;
  while (std::getline(smaps, line)) {
    if (line.find(" [heap]") != std::string::npos) in_heap = true;
    else if (line.rfind("VmFlags:", 0) == 0) {
      if (in_heap && (line + " ").find(" hg ") != std::string::npos) return true;
      in_heap = false;
    }
  }
  return false;
}

// Whether the kernel takes MADV_HUGEPAGE advice ("always [madvise] never" or "[always] ...").
[[maybe_unused]] bool thp_advisable() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string s;
  std::getline(f, s);
  return !s.empty() && s.find("[never]") == std::string::npos;
}

} // namespace

TEST_CASE("heap_on_huge_pages: the heap is advised as huge pages, and allocation goes on", "[util]") {
  util::heap_on_huge_pages(std::size_t{64} << 20);
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  if (thp_advisable()) CHECK(heap_advised());
#else
  CHECK_FALSE(heap_advised()); // AddressSanitizer's allocator: nothing done
#endif
  // Blocks of every size still come and go, the large ones from the advised heap.
  std::vector<void*> blocks;
  for (std::size_t n = 16; n <= (std::size_t{8} << 20); n *= 4) blocks.push_back(std::malloc(n));
  for (void* p : blocks) {
    CHECK(p != nullptr);
    std::free(p);
  }
}
