#include "nsmon/util/memory.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NSMON_ASAN 1
#endif
#endif
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(NSMON_ASAN)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define NSMON_GLIBC_HEAP 1
#endif

namespace nsmon::util {

#ifdef NSMON_GLIBC_HEAP
namespace {

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 // Linux 6.1
#endif

constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20; // a transparent huge page
std::atomic<bool> advised{false};                         // heap_on_huge_pages was called

std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// Advises the whole 2 MiB pages inside [lo, hi) as huge pages. Those below `touched` were written
// before (a page fault gave them small pages, which stay small): they are collapsed into huge ones
// now (MADV_COLLAPSE, Linux 6.1; older kernels leave them small). Advice only: failure is harmless.
void advise(char* lo, char* hi, const char* touched) {
  lo += (kHuge - address(lo) % kHuge) % kHuge;
  hi -= address(hi) % kHuge;
  if (hi <= lo) return;
  madvise(lo, static_cast<std::size_t>(hi - lo), MADV_HUGEPAGE);
  if (touched > lo) {
    auto end = std::min(hi, lo + ((address(touched) - address(lo) - 1) / kHuge + 1) * kHuge);
    madvise(lo, static_cast<std::size_t>(end - lo), MADV_COLLAPSE);
  }
}

} // namespace
#endif

void heap_on_huge_pages(std::size_t bytes) {
#ifdef NSMON_GLIBC_HEAP
  constexpr int kMmapMax = 32 << 20; // glibc's largest mmap threshold on 64-bit
  const auto pad = static_cast<int>(std::min<std::size_t>(bytes, std::size_t{1} << 30));
  // Blocks below 32 MiB come from the heap (not from mmap, which would not be advised), the heap
  // grows by `pad` at a time and is not given back while the command runs.
  if (mallopt(M_MMAP_THRESHOLD, kMmapMax) == 0 || mallopt(M_TOP_PAD, pad) == 0 ||
      mallopt(M_TRIM_THRESHOLD, pad > INT32_MAX / 2 ? INT32_MAX : 2 * pad) == 0)
    return;
  // More than the heap's top holds: the break moves `pad` past it. From the first 2 MiB boundary
  // in the new block on (before it, the heap may not be one mapping).
  auto* grow = static_cast<char*>(std::malloc(kHuge));
  if (grow == nullptr) return;
  advise(grow, static_cast<char*>(sbrk(0)), grow); // nothing advised was touched: no collapse
  const std::uintptr_t at = address(grow);
  std::free(grow);
  // The top starts at `grow` again. The heap's top wrote its header past the block: that page
  // stays small, and so does the rest of its 2 MiB (a fault there gets a small page once one is
  // mapped). Collapsing that page is slow; instead, a block that ends at the
  // first boundary past the header (glibc's chunk: its size rounded to 16 with an 8-byte header)
  // is kept, never touched (2 to 4 MiB of address space only, which no small free block can serve
  // instead of the top; if one did, it is given back), so that what comes next is on huge pages.
  const std::uintptr_t touched = at + kHuge + 2 * sizeof(std::size_t);
  const std::uintptr_t start = (touched + kHuge - 1) / kHuge * kHuge;
  {
    void* spacer = std::malloc(start - at - sizeof(std::size_t));
    if (address(spacer) != at) std::free(spacer);
  }
  advised.store(true, std::memory_order_release);
#else
  (void)bytes;
#endif
}

void advise_thread_heap() {
#ifdef NSMON_GLIBC_HEAP
  // glibc's HEAP_MAX_SIZE on 64-bit (twice its largest mmap threshold): a thread arena's heaps are
  // mmap'd at addresses aligned to it, the arena's own state at the start of its first.
  constexpr std::uintptr_t kHeapMax = std::uintptr_t{64} << 20;
  if (sizeof(void*) != 8 || !advised.load(std::memory_order_acquire)) return;
  // A block this large comes from the arena's top (free ones are rare): from its newest heap, or
  // from a new one glibc makes for it.
  auto* probe = static_cast<char*>(std::malloc(std::size_t{1} << 20));
  // Below the break: the main arena's heap (advised already), not a thread arena's.
  if (probe != nullptr && address(probe) >= address(sbrk(0))) {
    char* heap = probe - address(probe) % kHeapMax;
    static std::mutex mutex;
    static std::vector<char*> heaps; // advised already (an arena outlives its thread: it is reused)
    std::lock_guard lock(mutex);
    if (std::find(heaps.begin(), heaps.end(), heap) == heaps.end()) {
      heaps.push_back(heap);
      advise(heap, heap + kHeapMax, probe + 64);
    }
  }
  std::free(probe);
#endif
}

} // namespace nsmon::util
