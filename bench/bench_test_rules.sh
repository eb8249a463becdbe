#!/usr/bin/env bash
# nsmon test-rules vs promtool test rules on a generated file of thousands of rule unit tests over
# the application's rules (rules/alert_rules_test.yml repeated with fresh names and labels, see
# bench/gen_rule_tests.py), side by side in the same run: best wall time of 3 runs and peak
# memory, and the ratios. Every test passes under both tools: a tool that fails (exit code not
# 0) stops the bench, its output shown.
# Usage: bash bench/bench_test_rules.sh [NSMON_BINARY] [TESTS] [TEMPLATE]
#   (defaults: build/release/nsmon, 2000, rules/alert_rules_test.yml)
set -euo pipefail
cd "$(dirname "$0")/.."
nsmon=${1:-build/release/nsmon}
count=${2:-2000}
template=${3:-rules/alert_rules_test.yml}
[ -x "$nsmon" ] || { echo "build it first: cmake --preset release && cmake --build build/release -j2" >&2; exit 2; }
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)" >&2; exit 2; }
source bench/lib.sh
work=$(mktemp -d /tmp/nsmon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/gen_rule_tests.py "$count" "$template" >"$work/tests.yml"
printf 'input: %s tests from %s, %s bytes\n' "$count" "$template" "$(stat -c %s "$work/tests.yml")"

measure promtool "promtool test rules" promtool test rules "$work/tests.yml"
measure nsmon "nsmon test-rules" "$nsmon" test-rules "$work/tests.yml"
awk -v pt="$promtool_t" -v nt="$nsmon_t" -v pm="$promtool_m" -v nm="$nsmon_m" \
  'BEGIN { printf "speed: nsmon is %.1fx faster; memory: %.1fx less (promtool %.0f MiB, nsmon %.0f MiB)\n", pt/nt, pm/nm, pm/1024, nm/1024 }'
