#!/usr/bin/python3
"""timed.py OUT CMD [ARG...]: runs CMD (its stdout and stderr as this script's), then writes
"wall user sys peak_rss_kib" to OUT, times in seconds to the microsecond (GNU time's %e, %U and
%S count hundredths, too coarse for runs of tens of milliseconds). Exits with CMD's status."""
import os
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{wall:.6f} {usage.ru_utime:.6f} {usage.ru_stime:.6f} {usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
