#!/usr/bin/env bash
# nsmon lint-rules vs promtool check rules on generated files of alerting rules (bench/gen_rules.py:
# 10,000 rules, ~3.4 MB, and 100,000 rules, ~34 MB, to show how the cost grows), side by side in
# the same run, nsmon in --format text and --format json. Both tools print their whole report
# (nsmon: every finding, with its source line in text; the generated files have about 1.1
# findings per rule, as they keep $labels.instance where some expressions drop it).
# For each tool and input: 5 runs (bench/timed.py: times to the microsecond), every run's exit
# status and output checked first (expect_run: promtool must find every rule, nsmon must summarise
# every rule), then the run with the least CPU time (user + sys; the machine may be shared, CPU
# time is the steadier figure) is reported with its wall time and peak RSS, and the ratios
# promtool/nsmon.
# Usage: bash bench/bench_lint_rules.sh [NSMON_BINARY] [SIZES]
#   (defaults: build/release/nsmon, "10000 100000")
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
nsmon=${1:-build/release/nsmon}
sizes=${2:-10000 100000}
[ -x "$nsmon" ] || { echo "build it first: cmake --preset release && cmake --build build/release -j2" >&2; exit 2; }
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)" >&2; exit 2; }
bench_setup lint-rules
declare -A cpu mem # "TOOL SIZE" -> the figures, for the growth lines at the end

# measure NAME RCS PATTERN CMD...: the run (of 5) with the least CPU time: sets t (wall, s),
# c (user+sys, s) and m (peak RSS, KiB); every run must exit with one of RCS and print PATTERN.
measure() {
  local name=$1 rcs=$2 pattern=$3 rc wall user sys peak used; shift 3
  t="" c="" m=""
  for _ in 1 2 3 4 5; do
    rc=0
    /usr/bin/python3 bench/timed.py "$work/time" "$@" >"$work/out" 2>&1 || rc=$?
    expect_run "$name" "$rc" "$rcs" "$pattern" "$work/out"
    read -r wall user sys peak < <(tail -n 1 "$work/time")
    used=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.4f", u + s }')
    if [ -z "$c" ] || awk "BEGIN{exit !($used < $c)}"; then t=$wall c=$used m=$peak; fi
  done
  cpu["$name $size"]=$c mem["$name $size"]=$m
  printf '%-34s wall %8.3f s   cpu %8.3f s   peak %8.1f MiB\n' "$name" "$t" "$c" "$(awk -v m="$m" 'BEGIN{print m/1024}')"
}

# ratio LABEL: promtool's figures (pt pc pm) over the last measure's.
ratio() {
  awk -v l="$1" -v pt="$pt" -v pc="$pc" -v pm="$pm" -v t="$t" -v c="$c" -v m="$m" 'BEGIN {
    if (t < 0.001) t = 0.001; if (c < 0.001) c = 0.001
    printf "  %-32s %.1fx less wall, %.1fx less cpu, %.1fx less memory than promtool\n", l, pt/t, pc/c, pm/m }'
}

for n in $sizes; do
  size=$n
  /usr/bin/python3 bench/gen_rules.py "$n" >"$work/rules.yml"
  printf '\ninput: %s rules, %s bytes\n' "$n" "$(stat -c %s "$work/rules.yml")"
  measure "promtool check rules" 0 "SUCCESS: $n rules found" promtool check rules "$work/rules.yml"
  pt=$t pc=$c pm=$m
  measure "nsmon lint-rules (text)" "0 1" "[0-9]+ errors?, [0-9]+ warnings?, .* in 1 file \($n rules\)" \
    "$nsmon" lint-rules "$work/rules.yml"
  ratio "nsmon text:"
  measure "nsmon lint-rules --format json" "0 1" "\"rules\": $n" \
    "$nsmon" lint-rules --format json "$work/rules.yml"
  ratio "nsmon json:"
done

# How the cost grows from the smallest to the largest input: CPU time and peak RSS multiply by
# about the input's factor when the cost is linear.
small=$(printf '%s\n' $sizes | sort -n | head -n 1)
large=$(printf '%s\n' $sizes | sort -n | tail -n 1)
if [ "$small" != "$large" ]; then
  printf '\ngrowth from %s to %s rules (%sx the input):\n' "$small" "$large" "$((large / small))"
  for name in "promtool check rules" "nsmon lint-rules (text)" "nsmon lint-rules --format json"; do
    awk -v l="$name" -v c0="${cpu["$name $small"]}" -v c1="${cpu["$name $large"]}" -v m0="${mem["$name $small"]}" \
      -v m1="${mem["$name $large"]}" 'BEGIN { printf "  %-32s cpu %.1fx, peak memory %.1fx\n", l, c1/c0, m1/m0 }'
  done
fi
