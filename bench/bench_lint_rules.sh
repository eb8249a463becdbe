#!/usr/bin/env bash
# nsmon lint-rules vs promtool check rules on a generated file of 10,000 alerting rules (~3.4 MB),
# side by side in the same run: best wall time of 3 runs and peak memory, and the ratios. Both
# print their text report (nsmon: every finding with its source line; the generated file has
# thousands of findings, as it keeps $labels.instance where some expressions drop it).
# Usage: bash bench/bench_lint_rules.sh [NSMON_BINARY]   (default: build/release/nsmon)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
nsmon=${1:-build/release/nsmon}
[ -x "$nsmon" ] || { echo "build it first: cmake --preset release && cmake --build build/release -j2" >&2; exit 2; }
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)" >&2; exit 2; }
work=$(mktemp -d /tmp/nsmon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/gen_rules.py 10000 >"$work/rules.yml"
printf 'input: %s rules, %s bytes\n' 10000 "$(stat -c %s "$work/rules.yml")"

# measure NAME RCS PATTERN CMD...: best of 3 wall times (s) and the peak RSS (KiB) of that run;
# every run must exit with one of RCS and print PATTERN (expect_run).
measure() {
  local name=$1 rcs=$2 pattern=$3 best="" mem="" rc; shift 3
  for _ in 1 2 3; do
    rc=0
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>&1 || rc=$?
    expect_run "$name" "$rc" "$rcs" "$pattern" "$work/out"
    read -r t m < <(tail -n 1 "$work/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t mem=$m; fi
  done
  printf '%-32s %8.3f s %10d KiB\n' "$name" "$best" "$mem"
  eval "${name%% *}_t=$best ${name%% *}_m=$mem"
}
measure "promtool check rules" 0 "SUCCESS: 10000 rules found" promtool check rules "$work/rules.yml"
measure "nsmon lint-rules (all checks)" "0 1" "[0-9]+ errors?, [0-9]+ warnings?, .* in 1 file \(10000 rules\)" \
  "$nsmon" lint-rules "$work/rules.yml"
awk -v pt="$promtool_t" -v nt="$nsmon_t" -v pm="$promtool_m" -v nm="$nsmon_m" \
  'BEGIN { printf "speed: nsmon is %.1fx faster; memory: %.1fx less (promtool %.0f MiB, nsmon %.0f MiB)\n", pt/nt, pm/nm, pm/1024, nm/1024 }'
