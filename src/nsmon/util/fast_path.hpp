#pragma once
// Speed behind one seam: the tricks that a bench still justifies for a short command that builds
// a large model of its input (lint-rules), each named and explained once, here. The command calls
// them; nothing else in the tree has to know. bench/README.md ("What the speed rests on") keeps
// the A/B of each and the command that reproduces it; a trick it no longer shows goes.
#include <cstddef>
#include <memory>

// NSMON_ASAN: this build is instrumented by AddressSanitizer. GCC says so with
// __SANITIZE_ADDRESS__; clang before 16 only through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define NSMON_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NSMON_ASAN 1
#endif
#endif

namespace nsmon::util {

/// Huge pages for the heap. The command builds tens of MiB of small objects, and in a virtual
/// machine every page fault is a trap to the hypervisor: the main heap is grown by `bytes` at
/// once, kept instead of trimmed, and advised to the kernel as transparent huge pages (2 MiB), as
/// glibc does with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, so that it takes a fault per 2 MiB
/// instead of one per 4 KiB. The reservation is address space only: memory not touched is not
/// used. Does nothing without glibc, under AddressSanitizer (its own allocator), or where the
/// kernel refuses; never fails.
void heap_on_huge_pages(std::size_t bytes);

/// The same for the calling thread's malloc arena, once heap_on_huge_pages ran (parallel_steps
/// calls it in each thread it starts): glibc grows a thread's arena a few pages at a time, never
/// advised, so without it every 4 KiB page a worker fills is a fault of its own. Does nothing
/// before heap_on_huge_pages, without glibc or under AddressSanitizer.
void thread_heap_on_huge_pages();

/// Keep until exit. The model and the report are freed by the process's end, not by a walk
/// through every rule's and finding's destructor right before it. Builds with AddressSanitizer
/// destroy `p` as usual, so that their leak check still sees every owner.
template <class T> void keep_until_exit(std::unique_ptr<T> p) {
#if defined(NSMON_ASAN)
  p.reset();
#else
  static_cast<void>(p.release());
#endif
}

} // namespace nsmon::util
