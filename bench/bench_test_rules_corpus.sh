#!/usr/bin/env bash
# nsmon test-rules vs promtool test rules on the public corpus (tests/data/ruletest-public: 95 files
# of 9 sources), file by file in the same run: the wall time of each tool on each file (each run
# from the file's directory, as its authors run it), summed, and the ratio. nsmon runs under the
# --prometheus-version of the file's authors. Both tools' verdicts are shown per file where they
# differ (promtool is 2.42: it refuses files written for 3.x, which then cost it only the load).
# Usage: bash bench/bench_test_rules_corpus.sh [NSMON_BINARY]   (default: build/release/nsmon)
set -euo pipefail
cd "$(dirname "$0")/.."
nsmon=$(realpath "${1:-build/release/nsmon}")
[ -x "$nsmon" ] || { echo "build it first: cmake --preset release && cmake --build build/release -j2" >&2; exit 2; }
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)" >&2; exit 2; }
corpus=tests/data/ruletest-public

/usr/bin/python3 - "$nsmon" "$corpus" <<'PY'
import os, subprocess, sys, time
nsmon, corpus = sys.argv[1], sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(f"{corpus}/promtool-2.42.tsv") if l.strip() and not l.startswith("#")]

def timed(cmd, cwd):
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, p.returncode

tp = tn = 0.0
slowest = []
for file, _exit, version, *_ in rows:
    d, b = os.path.join(corpus, os.path.dirname(file)), os.path.basename(file)
    sp, rp = timed(["promtool", "test", "rules", b], d)
    sn, rn = timed([nsmon, "test-rules", "--prometheus-version", version.split(".")[0], b], d)
    if (rp == 0) != (rn == 0):
        print(f"  verdicts differ: {file}: promtool 2.42 exit {rp}, nsmon exit {rn}")
    if rn > 2 or rp > 1:
        sys.exit(f"bench: a tool crashed on {file}: promtool {rp}, nsmon {rn}")
    tp += sp; tn += sn
    slowest.append((sp, sn, file))
print(f"files: {len(rows)}")
print(f"promtool test rules    {tp:8.2f} s in all")
print(f"nsmon test-rules       {tn:8.2f} s in all   {tp / tn:.1f}x less wall than promtool")
print("slowest for promtool:")
for sp, sn, f in sorted(slowest, reverse=True)[:5]:
    print(f"  {sp:6.2f} s  nsmon {sn:5.2f} s  {f}")
PY
