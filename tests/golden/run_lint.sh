#!/usr/bin/env bash
# Golden tests for `nsmon lint-rules` (docs/lint-rules.md): runs nsmon in each case directory under
# tests/golden/lint/ and compares its output with expected.txt / expected.json.
#
#   NSMON=build/nsmon bash tests/golden/run_lint.sh [CASE...]         compare (default: every case)
#   NSMON_UPDATE_GOLDEN=1 NSMON=build/nsmon bash tests/golden/run_lint.sh [CASE...]   rewrite
source "$(dirname "$0")/lib.sh"
golden_init lint "$@"

# The command line of a case: --config prometheus.yml, --policy policy.yml and --catalog
# catalog.yml when those files exist, every other top-level *.yml as a rule file (sorted), then
# the lines of `args` (one argument per line; blank lines and lines starting with # are skipped).
case_args() {
  local f
  args=()
  [ -f prometheus.yml ] && args+=(--config prometheus.yml)
  [ -f policy.yml ] && args+=(--policy policy.yml)
  [ -f catalog.yml ] && args+=(--catalog catalog.yml)
  for f in *.yml; do
    case "$f" in prometheus.yml | policy.yml | catalog.yml | '*.yml') ;; *) args+=("$f") ;; esac
  done
  read_args_file
}

for name in "${CASE_NAMES[@]}"; do
  dir=$CASES/$name
  [ -d "$dir" ] || { echo "no golden case $dir" >&2; exit 2; }
  cd "$dir"
  case_args
  want_text=0 want_json=0
  [ -f expected.txt ] && want_text=1
  [ -f expected.json ] && want_json=1
  if [ "$UPDATE" = 1 ] && [ $want_text = 0 ] && [ $want_json = 0 ]; then want_text=1 want_json=1; fi
  if [ $want_text = 1 ]; then
    # Text output, then whatever went to stderr, then the exit status.
    run_capture "$TMP/expected.txt" "$NSMON" lint-rules "${args[@]}"
    check "$name" "$dir/expected.txt" "$TMP/expected.txt"
  fi
  if [ $want_json = 1 ]; then
    set +e
    "$NSMON" lint-rules --format json "${args[@]}" >"$TMP/expected.json" 2>"$TMP/err"
    set -e
    [ -s "$TMP/err" ] && echo "$name: stderr of --format json: $(cat "$TMP/err")" >&2
    check "$name" "$dir/expected.json" "$TMP/expected.json"
  fi
done

golden_finish "NSMON_UPDATE_GOLDEN=1 ctest -R golden"
