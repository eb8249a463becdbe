#!/usr/bin/python3
"""ab.py N 'CMD A' 'CMD B': an A/B of two commands on a shared machine. Runs A and B in turn,
N times each (the order swapped every round, each run's output to a file, as the bench's), and
prints for each the least CPU time (user + sys of the process and its threads), the median and
the least wall time, then B's least CPU over A's. The least CPU of many interleaved runs is the
steadiest figure here: the machine's load moves a single run's time by 10-20%.
  python3 bench/ab.py 12 'OLD/nsmon lint-rules r10k.yml' 'NEW/nsmon lint-rules r10k.yml'"""
import os
import shlex
import statistics
import sys
import tempfile
import time

n = int(sys.argv[1])
cmds = [shlex.split(sys.argv[2]), shlex.split(sys.argv[3])]
runs = [[], []]
with tempfile.NamedTemporaryFile() as out:
    for i in range(n):
        for k in (0, 1) if i % 2 == 0 else (1, 0):
            start = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                os.dup2(out.fileno(), 1)
                os.dup2(out.fileno(), 2)
                os.execvp(cmds[k][0], cmds[k])
            _, _, usage = os.wait4(pid, 0)
            runs[k].append((usage.ru_utime + usage.ru_stime, time.perf_counter() - start))
            out.truncate(0)
for k, name in enumerate("AB"):
    cpu = [c for c, _ in runs[k]]
    print(f"{name}: cpu least {min(cpu):.4f} s, median {statistics.median(cpu):.4f} s; "
          f"wall least {min(w for _, w in runs[k]):.4f} s  ({' '.join(cmds[k])})")
print(f"B/A least cpu: {min(c for c, _ in runs[1]) / min(c for c, _ in runs[0]):.3f}")
