#!/usr/bin/env bash
# Golden tests for `nsmon gen-dashboards`: in each case directory under tests/golden/dashboards/,
# runs nsmon on the case's templates/ (plus the lines of `args`) into a fresh directory and
# compares stdout, stderr and the exit status with expected.txt, and every generated file with
# expected/ (the same file names, no more, no fewer). In `args` and in the output, $OUT stands for
# the output directory.
#
#   NSMON=build/nsmon bash tests/golden/run_dashboards.sh [CASE...]                      compare
#   NSMON_UPDATE_GOLDEN=1 NSMON=build/nsmon bash tests/golden/run_dashboards.sh [CASE...]  rewrite
source "$(dirname "$0")/lib.sh"
golden_init dashboards "$@"

for name in "${CASE_NAMES[@]}"; do
  dir=$CASES/$name
  [ -d "$dir/templates" ] || { echo "no golden case $dir (templates/ missing)" >&2; exit 2; }
  cd "$dir"
  args=(gen-dashboards --templates templates --out "$TMP/gen")
  read_args_file
  args=("${args[@]//\$OUT/$TMP/gen}") # `args` may write next to the dashboards: $OUT/provisioning
  rm -rf "$TMP/gen"
  run_capture "$TMP/expected.txt" "$NSMON" "${args[@]}"
  sed -i "s|$TMP/gen|\$OUT|g" "$TMP/expected.txt" # the output directory differs on every run
  check "$name" "$dir/expected.txt" "$TMP/expected.txt"
  # The generated files, one by one, and the lists of names (a missing or extra file fails).
  [ "$UPDATE" = 1 ] && rm -rf "$dir/expected"
  (cd "$TMP" && { [ -d gen ] && find gen -type f | sed "s|^gen/||" | sort || true; }) >"$TMP/files"
  ([ -d "$dir/expected" ] && cd "$dir/expected" && find . -type f | sed 's|^\./||' | sort || true) >"$TMP/want"
  [ "$UPDATE" = 1 ] || diff -u --label "$name/expected/ files" --label "generated files" "$TMP/want" "$TMP/files" ||
    failed+=("$name/expected/")
  while IFS= read -r f; do
    [ -n "$f" ] && sed -i "s|$TMP/gen|\$OUT|g" "$TMP/gen/$f" && check "$name" "$dir/expected/$f" "$TMP/gen/$f"
  done <"$TMP/files"
done
golden_finish "NSMON_UPDATE_GOLDEN=1 bash tests/golden/run_dashboards.sh"
echo "golden gen-dashboards: ${#CASE_NAMES[@]} cases match"
