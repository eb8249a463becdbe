#!/usr/bin/env bash
# nsmon lint-metrics vs promtool check metrics on bench_expfmt's generated scrape (200,000 series,
# ~22 MB, text format), side by side in the same run: best wall time of 3 runs and peak memory,
# and the ratios (promtool best of 3, nsmon best of 10). Both read the exposition from standard input. nsmon runs twice: with
# promtool's checks only (--no-catalog) and with every check (the catalog's too; every family of
# the generated scrape is then an unknown metric, so it also renders ~100 findings).
# Usage: bash bench/bench_lint_metrics.sh [NSMON] [BENCH_EXPFMT]
#        (default: build/release/nsmon build/release/bench/bench_expfmt; goal: >= 20x promtool)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
nsmon=${1:-build/release/nsmon}
gen=${2:-build/release/bench/bench_expfmt}
for b in "$nsmon" "$gen"; do
  [ -x "$b" ] || { echo "build it first: cmake --preset release && cmake --build build/release -j2 ($b)" >&2; exit 2; }
done
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)" >&2; exit 2; }
work=$(mktemp -d /tmp/nsmon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$gen" --series 200000 --runs 1 --keep "$work/scrape.prom" >/dev/null
printf 'input: %s bytes, %s lines\n' "$(stat -c %s "$work/scrape.prom")" "$(wc -l <"$work/scrape.prom")"

# measure VAR RUNS LABEL RCS PATTERN CMD...: the best wall time (s) of RUNS runs, the best CPU time (user +
# system, s) and the peak RSS (KiB); stdin from the scrape. Wall time is what the goal is about;
# CPU time is shown too because other work on the machine inflates wall times run to run.
measure() {
  local var=$1 runs=$2 label=$3 rcs=$4 pattern=$5 best="" cpu="" mem="" rc
  shift 5
  for _ in $(seq 1 "$runs"); do
    local t0 t1 t c m
    t0=$(date +%s%N)
    rc=0
    /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" <"$work/scrape.prom" >"$work/out" 2>&1 || rc=$?
    expect_run "$label" "$rc" "$rcs" "$pattern" "$work/out"
    t1=$(date +%s%N)
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    read -r u sy m < <(tail -n 1 "$work/time")
    c=$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t mem=$m; fi
    if [ -z "$cpu" ] || awk "BEGIN{exit !($c < $cpu)}"; then cpu=$c; fi
  done
  printf '%-40s wall %7.4f s  cpu %5.2f s  %7d KiB  (best of %d)\n' "$label" "$best" "$cpu" "$mem" "$runs"
  eval "${var}_t=$best ${var}_m=$mem"
}
# promtool prints nothing for a scrape it finds clean: its exit code says it parsed it all.
measure promtool 3 "promtool check metrics" 0 "" promtool check metrics
measure naming 10 "nsmon lint-metrics --no-catalog" 0 "no problems found in <stdin> \(.* 200000 series\)" \
  "$nsmon" lint-metrics - --no-catalog
measure full 10 "nsmon lint-metrics (catalog + naming)" 1 "[0-9]+ errors?, .* in <stdin> \(.* 200000 series\)" \
  "$nsmon" lint-metrics -
awk -v pt="$promtool_t" -v nt="$naming_t" -v ft="$full_t" -v pm="$promtool_m" -v fm="$full_m" 'BEGIN {
  printf "speed: nsmon is %.0fx faster with promtool'"'"'s checks, %.0fx with every check (goal: 20x)\n", pt/nt, pt/ft
  printf "memory: promtool %.0f MiB, nsmon %.0f MiB\n", pm/1024, fm/1024
  exit (pt/ft >= 20 ? 0 : 1) }'
