#!/usr/bin/env bash
# Golden tests for `nsmon lint-metrics`: runs nsmon in each case directory under
# tests/golden/metrics/ on its input.txt and compares the output with expected.txt (text output,
# stderr, exit status) and expected.json. A case may hold `catalog.yml` (used as --catalog) and
# `args` (extra arguments, one per line; blank lines and # comments skipped).
#
#   NSMON=build/nsmon bash tests/golden/run_metrics.sh [CASE...]                      compare
#   NSMON_UPDATE_GOLDEN=1 NSMON=build/nsmon bash tests/golden/run_metrics.sh [CASE...]  rewrite
set -euo pipefail
: "${NSMON:?NSMON must point at the nsmon binary}"
NSMON=$(realpath "$NSMON")
CASES=$(cd "$(dirname "$0")" && pwd)/metrics
UPDATE=${NSMON_UPDATE_GOLDEN:-0}
TMP=$(mktemp -d /tmp/nsmon-golden.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 LC_ALL=C
unset CLICOLOR_FORCE

failed=()
check() {
  if [ "$UPDATE" = 1 ]; then
    if ! cmp -s "$3" "$2"; then cp "$3" "$2" && echo "updated $1/$(basename "$2")"; fi
  elif ! diff -u --label "$1/$(basename "$2")" --label "nsmon output" "$2" "$3"; then
    failed+=("$1/$(basename "$2")")
  fi
}

if [ $# -eq 0 ]; then
  for d in "$CASES"/*/; do set -- "$@" "$(basename "$d")"; done
fi
for name in "$@"; do
  dir=$CASES/$name
  [ -f "$dir/input.txt" ] || { echo "no golden case $dir (input.txt missing)" >&2; exit 2; }
  cd "$dir"
  args=(input.txt)
  [ -f catalog.yml ] && args+=(--catalog catalog.yml)
  if [ -f args ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      [ -z "$line" ] || [ "${line:0:1}" = "#" ] || args+=("$line")
    done <args
  fi
  set +e
  "$NSMON" lint-metrics "${args[@]}" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  set -e
  { cat "$TMP/out" "$TMP/err"; echo "(exit $rc)"; } >"$TMP/expected.txt"
  check "$name" "$dir/expected.txt" "$TMP/expected.txt"
  set +e
  "$NSMON" lint-metrics --format json "${args[@]}" >"$TMP/expected.json" 2>"$TMP/err"
  set -e
  [ -s "$TMP/err" ] && echo "$name: stderr of --format json: $(cat "$TMP/err")" >&2
  check "$name" "$dir/expected.json" "$TMP/expected.json"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAIL: ${failed[*]} differ; if the new output is right: NSMON_UPDATE_GOLDEN=1 bash tests/golden/run_metrics.sh" >&2
  exit 1
fi
echo "golden lint-metrics: $# cases match"
