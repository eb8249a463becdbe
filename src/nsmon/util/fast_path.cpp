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
  // More than the heap's top holds: the break moves `pad` past it, and the whole huge pages from
  // that block to the break are advised. The kernel maps a huge page only into a 2 MiB range none
  // of whose pages is in use, and malloc writes the new top's header right after the block: the
  // range holding that header stays on 4 KiB pages. So the block is as large as the heap may take
  // it (below the mmap threshold), and that range is far from the first ones a command fills.
  const std::size_t block = std::min<std::size_t>(static_cast<std::size_t>(pad), kMmapMax - kHuge);
  auto* grow = static_cast<char*>(std::malloc(block));
  if (grow == nullptr) return;
  auto address = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p); };
  auto up = [&](char* p) { return p + (kHuge - address(p) % kHuge) % kHuge; };
  auto down = [&](char* p) { return p - address(p) % kHuge; };
  auto advise = [](char* lo, char* hi) {
    if (lo < hi) madvise(lo, static_cast<std::size_t>(hi - lo), MADV_HUGEPAGE); // advice only
  };
  char* header = grow + block; // the top's header, at most a few words past the block
  advise(up(grow), down(header));
  advise(up(header + 64), down(static_cast<char*>(sbrk(0))));
  std::free(grow);
#else
  (void)bytes;
#endif
}

} // namespace nsmon::util
