#!/usr/bin/env bash
# The peers' stored answers against the peers themselves (tests/support/peer.py).
#
# The suite reads promtool's and amtool's answers from stores beside the data they judge
# (tests/data/*/promtool-answers.json, tests/e2e/peers/*.json). This re-asks the real tools every
# question those tests ask (NSMON_PEERS=live), says how many stored answers are still what the
# tool answers, and times the same tests both ways: from the stores, as CI runs them, and with the
# real tools.
#
# Usage: bash bench/peers.sh [--record] BUILD_DIR
#   BUILD_DIR  a configured, built tree (build/release for the figures in bench/README.md)
#   --record   remake every store from scratch (each emptied, then filled by NSMON_PEERS=record):
#              after a peer's version changes, or to drop answers no test asks any more
# Exit 1 when a stored answer differs from the tool's, or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
record=0
[ "${1:-}" != --record ] || { record=1; shift; }
build=${1:?usage: bash bench/peers.sh [--record] BUILD_DIR}
for tool in promtool amtool; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed: nothing to compare" >&2; exit 1; }
done
echo "peers: $(promtool --version 2>&1 | head -1); $(amtool --version 2>&1 | head -1)"

# The tests that read a store: those that name one.
mapfile -t tests < <(grep -lE 'peer_store |peer\.py' tests/e2e/*.sh tests/e2e/*.py | xargs -n1 basename |
                     sed -E 's/\.(sh|py)$//' | sort -u)
regex="^e2e\.($(IFS='|'; echo "${tests[*]}"))\$"
echo "tests with stored answers: ${#tests[@]} (${tests[*]})"
mapfile -t stores < <(git ls-files -- 'tests/data/*/promtool-answers.json' 'tests/data/*/amtool-answers.json' \
                                      'tests/e2e/peers/*.json')

work=$(mktemp -d /tmp/nsmon-bench-peers.XXXXXX)
trap 'rm -rf "$work"' EXIT
# run_suite LABEL: the tests once, -j2 as CI; wall seconds into $work/LABEL.time.
run_suite() {
  local label=$1 start end
  start=$(date +%s.%N)
  if ! ctest --test-dir "$build" -R "$regex" -j2 --output-on-failure >"$work/$label.log" 2>&1; then
    tail -n 40 "$work/$label.log" >&2
    echo "bench: the tests failed with NSMON_PEERS=${NSMON_PEERS:-stored}" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f\n", b - a}' >"$work/$label.time"
}

if [ "$record" = 1 ]; then
  for s in "${stores[@]}"; do rm -f "$s"; done
  NSMON_PEERS=record run_suite record
  echo "recorded: $(git status --porcelain -- "${stores[@]}" tests/data tests/e2e/peers | wc -l) store files changed"
fi

NSMON_PEERS=live NSMON_PEERS_LOG=$work/live.tsv run_suite live
run_suite stored
same=$(grep -c '^same' "$work/live.tsv" || true)
varies=$(grep -c '^varies' "$work/live.tsv" || true)
differs=$(grep -c '^differs' "$work/live.tsv" || true)
new=$(grep -c '^new' "$work/live.tsv" || true)
echo "answers asked of the real tools: $((same + varies + differs + new)); the stored answer: $same;" \
  "one of the tool's answers, which vary from run to run: $varies; different: $differs; not stored: $new"
{ grep -E '^(varies|differs|new)' "$work/live.tsv" || true; } | cut -f1,2,4 | head -20
echo "the ${#tests[@]} tests, ctest -j2: $(cat "$work/stored.time") s from the stores, $(cat "$work/live.time") s asking the tools"
[ "$differs" -eq 0 ] && [ "$new" -eq 0 ] || exit 1
