#!/usr/bin/env bash
# Golden tests for `nsmon lint-metrics`: runs nsmon in each case directory under
# tests/golden/metrics/ on its input.txt and compares the output with expected.txt (text output,
# stderr, exit status) and expected.json. A case may hold `catalog.yml` (used as --catalog) and
# `args` (extra arguments, one per line; blank lines and # comments skipped).
#
#   NSMON=build/nsmon bash tests/golden/run_metrics.sh [CASE...]                      compare
#   NSMON_UPDATE_GOLDEN=1 NSMON=build/nsmon bash tests/golden/run_metrics.sh [CASE...]  rewrite
source "$(dirname "$0")/lib.sh"
golden_init metrics "$@"

for name in "${CASE_NAMES[@]}"; do
  dir=$CASES/$name
  [ -f "$dir/input.txt" ] || { echo "no golden case $dir (input.txt missing)" >&2; exit 2; }
  cd "$dir"
  args=(input.txt)
  [ -f catalog.yml ] && args+=(--catalog catalog.yml)
  read_args_file
  run_capture "$TMP/expected.txt" "$NSMON" lint-metrics "${args[@]}"
  check "$name" "$dir/expected.txt" "$TMP/expected.txt"
  set +e
  "$NSMON" lint-metrics --format json "${args[@]}" >"$TMP/expected.json" 2>"$TMP/err"
  json_rc=$?
  set -e
  [ -s "$TMP/err" ] && echo "$name: stderr of --format json: $(cat "$TMP/err")" >&2
  # The format changes the output, never the exit status.
  text_rc=$(tail -n 1 "$dir/expected.txt")
  [ "(exit $json_rc)" = "$text_rc" ] || { echo "$name: --format json exits $json_rc, text $text_rc" >&2; exit 1; }
  check "$name" "$dir/expected.json" "$TMP/expected.json"
done

golden_finish "NSMON_UPDATE_GOLDEN=1 bash tests/golden/run_metrics.sh"
echo "golden lint-metrics: ${#CASE_NAMES[@]} cases match"
