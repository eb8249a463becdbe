#!/usr/bin/env bash
# Golden tests for `nsmon lint-rules` (see README.md): runs nsmon in each case directory under
# tests/golden/lint/ and compares its output with expected.txt / expected.json.
#
#   NSMON=build/nsmon bash tests/golden/run_lint.sh [CASE...]         compare (default: every case)
#   NSMON_UPDATE_GOLDEN=1 NSMON=build/nsmon bash tests/golden/run_lint.sh [CASE...]   rewrite
set -euo pipefail
: "${NSMON:?NSMON must point at the nsmon binary}"
NSMON=$(realpath "$NSMON")
CASES=$(cd "$(dirname "$0")" && pwd)/lint
UPDATE=${NSMON_UPDATE_GOLDEN:-0}
TMP=$(mktemp -d /tmp/nsmon-golden.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 LC_ALL=C # C: globs sort the same everywhere
unset CLICOLOR_FORCE

# The command line of a case: --config prometheus.yml, --policy policy.yml and --catalog
# catalog.yml when those files exist, every other top-level *.yml as a rule file (sorted), then
# the lines of `args` (one argument per line; blank lines and lines starting with # are skipped).
case_args() {
  local f line
  args=()
  [ -f prometheus.yml ] && args+=(--config prometheus.yml)
  [ -f policy.yml ] && args+=(--policy policy.yml)
  [ -f catalog.yml ] && args+=(--catalog catalog.yml)
  for f in *.yml; do
    case "$f" in prometheus.yml | policy.yml | catalog.yml | '*.yml') ;; *) args+=("$f") ;; esac
  done
  if [ -f args ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      [ -z "$line" ] || [ "${line:0:1}" = "#" ] || args+=("$line")
    done <args
  fi
}

# check NAME EXPECTED ACTUAL: compares (or, when updating, rewrites) one expected file.
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
  [ -d "$dir" ] || { echo "no golden case $dir" >&2; exit 2; }
  cd "$dir"
  case_args
  want_text=0 want_json=0
  [ -f expected.txt ] && want_text=1
  [ -f expected.json ] && want_json=1
  if [ "$UPDATE" = 1 ] && [ $want_text = 0 ] && [ $want_json = 0 ]; then want_text=1 want_json=1; fi
  if [ $want_text = 1 ]; then
    # Text output, then whatever went to stderr, then the exit status.
    set +e
    "$NSMON" lint-rules "${args[@]}" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    set -e
    { cat "$TMP/out" "$TMP/err"; echo "(exit $rc)"; } >"$TMP/expected.txt"
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

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAIL: ${failed[*]} differ; if the new output is right: NSMON_UPDATE_GOLDEN=1 ctest -R golden" >&2
  exit 1
fi
