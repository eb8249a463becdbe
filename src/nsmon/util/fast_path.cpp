#include "nsmon/util/fast_path.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__) && !defined(NSMON_ASAN)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define NSMON_GLIBC_HEAP 1
#endif

namespace nsmon::util {

void heap_on_huge_pages(std::size_t bytes) {
#ifdef NSMON_GLIBC_HEAP
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20; // a transparent huge page
  constexpr int kMmapMax = 32 << 20;                        // glibc's largest mmap threshold on 64-bit
  const auto pad = static_cast<int>(std::min<std::size_t>(bytes, std::size_t{1} << 30));
  // Blocks below 32 MiB come from the heap (not from mmap, which would not be advised), the heap
  // grows by `pad` at a time and is not given back while the command runs.
  if (mallopt(M_MMAP_THRESHOLD, kMmapMax) == 0 || mallopt(M_TOP_PAD, pad) == 0 ||
      mallopt(M_TRIM_THRESHOLD, pad > INT32_MAX / 2 ? INT32_MAX : 2 * pad) == 0)
    return;
  // More than the heap's top holds: the break moves `pad` past it. The whole huge pages from that
  // block to the break are advised; they were not touched yet, so the kernel maps them huge.
  auto* grow = static_cast<char*>(std::malloc(kHuge));
  if (grow == nullptr) return;
  auto address = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p); };
  char* lo = grow + (kHuge - address(grow) % kHuge) % kHuge;
  char* hi = static_cast<char*>(sbrk(0));
  hi -= address(hi) % kHuge;
  if (lo < hi) madvise(lo, static_cast<std::size_t>(hi - lo), MADV_HUGEPAGE); // advice only
  std::free(grow);
#else
  (void)bytes;
#endif
}

} // namespace nsmon::util
