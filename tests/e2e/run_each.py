#!/usr/bin/python3
"""One command per file, as many at once as there are cores: for nsmon subcommands that take one
file a process (a prometheus.yml, an alertmanager.yml, an exposition), whose runs are independent.

Usage: run_each.py OUT CMD... -- FILE...

Runs CMD... with each FILE (in place of an argument "{}", else last) from the current directory,
and writes its exit status, stdout and stderr to OUT/N.rc, OUT/N.out and OUT/N.err (N from 1, in
FILE order).
"""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def main():
    if len(sys.argv) < 4 or "--" not in sys.argv[2:]:
        sys.exit("usage: run_each.py OUT CMD... -- FILE...")
    out = sys.argv[1]
    cut = sys.argv.index("--", 2)
    cmd, files = sys.argv[2:cut], sys.argv[cut + 1:]
    os.makedirs(out, exist_ok=True)

    def one(n, f):
        argv = [f if a == "{}" else a for a in cmd] if "{}" in cmd else cmd + [f]
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)
        for ext, data in (("rc", f"{p.returncode}\n".encode()), ("out", p.stdout), ("err", p.stderr)):
            with open(os.path.join(out, f"{n}.{ext}"), "wb") as fh:
                fh.write(data)

    with ThreadPoolExecutor(max_workers=len(os.sched_getaffinity(0))) as pool:
        for r in [pool.submit(one, n, f) for n, f in enumerate(files, 1)]:
            r.result()


if __name__ == "__main__":
    main()
