#pragma once
#include <cstddef>

namespace nsmon::util {

/// For a short command that builds a large model of its input (lint-rules): the heap is grown by
/// `bytes` at once, kept instead of trimmed, and advised to the kernel as transparent huge pages
/// (2 MiB), as glibc does with GLIBC_TUNABLES=glibc.malloc.hugetlb=1. A process that touches
/// tens of MiB then takes a page fault per 2 MiB instead of one per 4 KiB: in a virtual machine,
/// where every fault is a trap to the hypervisor, that was half of lint-rules' time (bench/README).
/// What is allocated next starts at a 2 MiB boundary (the small pages below it are left to what was
/// there before). Memory not touched is not used: the reservation is address space only. Other threads keep
/// their own arenas (one shared arena made lint-rules' checking threads wait on its lock: slower
/// than the faults saved); see advise_thread_heap. Does nothing without glibc, under
/// AddressSanitizer (its own allocator), or where the kernel refuses; never fails.
void heap_on_huge_pages(std::size_t bytes);

/// After heap_on_huge_pages, the newest heap of the calling thread's malloc arena is advised as
/// huge pages too, once (glibc gives a thread arena heaps of 64 MiB, each reserved at an address
/// aligned to its size and made usable at once with `bytes` of top pad; the reservation is
/// advised). parallel_steps' threads call it before each step, as their arena grows by new heaps.
/// Otherwise, or on the main thread's arena, does nothing.
void advise_thread_heap();

} // namespace nsmon::util
