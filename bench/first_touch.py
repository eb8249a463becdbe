#!/usr/bin/python3
"""How long this machine takes to touch fresh memory: the kernel's side of lint-rules' time.

Maps MIB MiB of anonymous memory, writes one byte in each 4 KiB page, and prints the wall time,
ROUNDS times with 4 KiB pages and ROUNDS times advised as transparent huge pages (MADV_HUGEPAGE,
what util::heap_on_huge_pages asks for). A first write to a page makes the kernel zero it, and in a
virtual machine whose host has taken the memory back (a balloon's free page reporting) the host
must back it again: bench/README.md ("Why the ratio swings") keeps what it showed.

Usage: /usr/bin/python3 bench/first_touch.py [MIB] [ROUNDS]   (defaults 40 and 6)
"""
import mmap
import sys
import time

PAGE = 4096


def touch(mib, huge):
    size = mib << 20
    m = mmap.mmap(-1, size + (2 << 20))
    if huge:
        m.madvise(mmap.MADV_HUGEPAGE)
    start = time.perf_counter()
    for at in range(0, size, PAGE):
        m[at] = 1
    took = time.perf_counter() - start
    m.close()
    return took


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    # The loop's own cost: the same writes to pages already touched.
    m = mmap.mmap(-1, mib << 20)
    for at in range(0, mib << 20, PAGE):
        m[at] = 1
    start = time.perf_counter()
    for at in range(0, mib << 20, PAGE):
        m[at] = 2
    loop = time.perf_counter() - start
    m.close()
    print(f"{mib} MiB, {(mib << 20) // PAGE} pages; the loop alone {loop * 1e3:.1f} ms")
    for huge in (False, True):
        times = sorted(touch(mib, huge) * 1e3 for _ in range(rounds))
        kind = "huge pages" if huge else "4 KiB pages"
        print(f"{kind:12} ms: " + " ".join(f"{t:.1f}" for t in times) + f"   (median {times[len(times) // 2]:.1f})")


if __name__ == "__main__":
    main()
