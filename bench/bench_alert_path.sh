#!/usr/bin/env bash
# The whole alert path (issue 37): nsmon test-rules on a generated file of hundreds of whole-path
# tests (rules/alert_path_test.yml repeated: series → the app's alerts → rules/alertmanager.yml's
# routes, inhibition, groups → rendered Slack and PagerDuty text, all asserted) against promtool
# test rules on the same tests without the `nsmon:` key (the rule part alone: promtool has no
# Alertmanager part), side by side in the same run: best wall time of 3 runs and peak memory, and
# the ratio. Both must pass (exit 0), or the bench stops with the output shown.
# Usage: bash bench/bench_alert_path.sh [NSMON_BINARY] [TESTS]
#   (defaults: build/release/nsmon, 500)
set -euo pipefail
cd "$(dirname "$0")/.."
nsmon=${1:-build/release/nsmon}
count=${2:-500}
[ -x "$nsmon" ] || { echo "build it first: cmake --preset release && cmake --build build/release -j2" >&2; exit 2; }
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)" >&2; exit 2; }
source bench/lib.sh
work=$(mktemp -d /tmp/nsmon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/gen_rule_tests.py "$count" rules/alert_path_test.yml >"$work/whole.yml"
# The rule part: every test's `nsmon:` block (and what it holds, indented deeper) removed.
/usr/bin/python3 -c '
import re, sys
print(re.sub(r"(?m)^    nsmon:\n(?:      .*\n|\s*\n)*", "", open(sys.argv[1]).read()), end="")' "$work/whole.yml" >"$work/rules_only.yml"
grep -q "^    nsmon:" "$work/rules_only.yml" && { echo "bench: the nsmon: blocks were not all removed" >&2; exit 1; }
printf 'input: %s whole-path tests from rules/alert_path_test.yml, %s bytes (%s without nsmon:)\n' \
  "$count" "$(stat -c %s "$work/whole.yml")" "$(stat -c %s "$work/rules_only.yml")"

measure promtool "promtool test rules (rule part)" promtool test rules "$work/rules_only.yml"
measure rules "nsmon test-rules (rule part)" "$nsmon" test-rules "$work/rules_only.yml"
measure whole "nsmon test-rules (whole path)" "$nsmon" test-rules "$work/whole.yml"
grep -q "($count tests: $count passed, 0 failed)" "$work/out" || { echo "bench: not every whole-path test passed" >&2; tail -5 "$work/out" >&2; exit 1; }
awk -v pt="$promtool_t" -v rt="$rules_t" -v wt="$whole_t" \
  'BEGIN { printf "nsmon, whole path: %.1fx faster than promtool on the rule part alone; the Alertmanager part costs %.0f%% over nsmon'"'"'s rule part\n", pt/wt, (wt-rt)/rt*100 }'
