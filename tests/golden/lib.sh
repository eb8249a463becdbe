# Shared by the golden runners (run_*.sh): set-up, the `args` file of a case, and comparing or
# (with NSMON_UPDATE_GOLDEN=1) rewriting expected files. Source it, then call golden_init KIND.
set -euo pipefail
: "${NSMON:?NSMON must point at the nsmon binary}"
NSMON=$(realpath "$NSMON")
UPDATE=${NSMON_UPDATE_GOLDEN:-0}
TMP=$(mktemp -d /tmp/nsmon-golden.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 LC_ALL=C # C: globs sort the same everywhere
unset CLICOLOR_FORCE
# Not the developer's settings: no config file (an empty XDG_CONFIG_HOME) and no NSMON_* but NSMON
# and NSMON_UPDATE_GOLDEN (read above).
export XDG_CONFIG_HOME="$TMP/xdg-config"
for v in $(env | sed -n 's/^\(NSMON_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
failed=()

# golden_init KIND [CASE...]: CASES is tests/golden/KIND; CASE_NAMES the cases asked for (default all).
golden_init() {
  CASES=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$1
  shift
  CASE_NAMES=("$@")
  if [ ${#CASE_NAMES[@]} -eq 0 ]; then
    for d in "$CASES"/*/; do CASE_NAMES+=("$(basename "$d")"); done
  fi
}

# read_args_file: appends the lines of ./args to the array `args` (one argument per line; blank
# lines and lines starting with # are skipped).
read_args_file() {
  local line
  [ -f args ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    [ -z "$line" ] || [ "${line:0:1}" = "#" ] || args+=("$line")
  done <args
}

# run_capture FILE CMD...: stdout, then stderr, then "(exit N)" of CMD into FILE.
run_capture() {
  local file=$1 rc
  shift
  set +e
  "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  set -e
  { cat "$TMP/out" "$TMP/err"; echo "(exit $rc)"; } >"$file"
}

# check NAME EXPECTED ACTUAL: compares (or, when updating, rewrites) one expected file.
check() {
  if [ "$UPDATE" = 1 ]; then
    if ! cmp -s "$3" "$2"; then mkdir -p "$(dirname "$2")" && cp "$3" "$2" && echo "updated $1/${2#"$CASES/$1/"}"; fi
  elif ! diff -u --label "$1/${2#"$CASES/$1/"}" --label "nsmon output" "$2" "$3"; then
    failed+=("$1/${2#"$CASES/$1/"}")
  fi
}

# golden_finish HOW-TO-UPDATE: the verdict.
golden_finish() {
  if [ ${#failed[@]} -gt 0 ]; then
    echo "FAIL: ${failed[*]} differ; if the new output is right: $1" >&2
    exit 1
  fi
}
