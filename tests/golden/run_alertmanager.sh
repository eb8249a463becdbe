#!/usr/bin/env bash
# Golden tests for `nsmon lint-alertmanager` (docs/lint-alertmanager.md): runs nsmon in each case directory
# under tests/golden/alertmanager/ and compares its output with expected.txt / expected.json.
#
#   NSMON=build/nsmon bash tests/golden/run_alertmanager.sh [CASE...]         compare (default: every case)
#   NSMON_UPDATE_GOLDEN=1 NSMON=build/nsmon bash tests/golden/run_alertmanager.sh [CASE...]   rewrite
source "$(dirname "$0")/lib.sh"
golden_init alertmanager "$@"

for name in "${CASE_NAMES[@]}"; do
  dir=$CASES/$name
  [ -d "$dir" ] || { echo "no golden case $dir" >&2; exit 2; }
  cd "$dir"
  # The command line: alertmanager.yml if the case has one, then the lines of `args`.
  args=()
  [ -f alertmanager.yml ] && args+=(alertmanager.yml)
  read_args_file
  run_capture "$TMP/expected.txt" "$NSMON" lint-alertmanager "${args[@]}"
  check "$name" "$dir/expected.txt" "$TMP/expected.txt"
  set +e
  "$NSMON" lint-alertmanager --format json "${args[@]}" >"$TMP/expected.json" 2>"$TMP/err"
  set -e
  [ -s "$TMP/err" ] && echo "$name: stderr of --format json: $(cat "$TMP/err")" >&2
  check "$name" "$dir/expected.json" "$TMP/expected.json"
done

golden_finish "NSMON_UPDATE_GOLDEN=1 ctest -R golden"
