#include "nsmon/util/fast_path.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__) && !defined(NSMON_ASAN)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define NSMON_GLIBC_HEAP 1
#endif

namespace nsmon::util {

#ifdef NSMON_GLIBC_HEAP
namespace {
// What a thread advises its malloc arena with (thread_heap_on_huge_pages): blocks of this size
// (0 until heap_on_huge_pages ran), as many as thread_blocks.
std::atomic<std::size_t> thread_block{0}, thread_blocks{0};
constexpr std::size_t kMaxBlocks = 16;
constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20; // a transparent huge page
constexpr std::size_t kMmapMax = std::size_t{32} << 20;   // glibc's largest mmap threshold on 64-bit

// Advises the whole huge pages in [lo, hi) (advice only: a kernel that refuses changes nothing).
void advise(char* lo, char* hi) {
  auto address = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p); };
  lo += (kHuge - address(lo) % kHuge) % kHuge;
  hi -= address(hi) % kHuge;
  if (lo < hi) madvise(lo, static_cast<std::size_t>(hi - lo), MADV_HUGEPAGE);
}

// `count` blocks of `bytes` from the calling thread's arena (below the mmap threshold), whose
// whole huge pages are advised, given back: the arena keeps them (the trim threshold is above
// them) for the blocks that follow. The kernel maps a huge page only into a 2 MiB range none of
// whose pages is in use, and malloc writes a header right after each block: the range holding
// it is left out.
void grow_advised(std::size_t bytes, std::size_t count) {
  std::array<char*, kMaxBlocks> blocks{};
  count = std::min(count, kMaxBlocks);
  for (std::size_t i = 0; i < count; ++i) {
    blocks[i] = static_cast<char*>(std::malloc(bytes));
    if (blocks[i] == nullptr) break;
    advise(blocks[i], blocks[i] + bytes);
  }
  for (char* p : blocks) std::free(p);
}
} // namespace
#endif

void heap_on_huge_pages(std::size_t bytes) {
#ifdef NSMON_GLIBC_HEAP
  const auto pad = static_cast<int>(std::min<std::size_t>(bytes, std::size_t{1} << 30));
  // Blocks below 32 MiB come from the heap (not from mmap, which would not be advised), the heap
  // grows by `pad` at a time and is not given back while the command runs.
  if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapMax)) == 0 || mallopt(M_TOP_PAD, pad) == 0 ||
      mallopt(M_TRIM_THRESHOLD, pad > INT32_MAX / 2 ? INT32_MAX : 2 * pad) == 0)
    return;
  // More than the heap's top holds: the break moves `pad` past the block, and the whole huge
  // pages from the block to the break are advised but for the one holding the top's header. The
  // block is as large as the heap may serve, so that range is far from the first ones filled.
  const std::size_t block = std::min<std::size_t>(static_cast<std::size_t>(pad), kMmapMax - kHuge);
  auto* grow = static_cast<char*>(std::malloc(block));
  if (grow == nullptr) return;
  advise(grow, grow + block);
  advise(grow + block + 64, static_cast<char*>(sbrk(0)));
  std::free(grow);
  // A worker builds about its share of the model: half of it on two threads.
  thread_blocks.store(static_cast<std::size_t>(pad) / 2 / block + 1, std::memory_order_relaxed);
  thread_block.store(block, std::memory_order_relaxed);
#else
  (void)bytes;
#endif
}

void thread_heap_on_huge_pages() {
#ifdef NSMON_GLIBC_HEAP
  if (const std::size_t block = thread_block.load(std::memory_order_relaxed))
    grow_advised(block, thread_blocks.load(std::memory_order_relaxed));
#endif
}

} // namespace nsmon::util
