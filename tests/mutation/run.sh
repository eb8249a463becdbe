#!/usr/bin/env bash
# Mutation check: apply each single-line source mutation of mutations.tsv to a private copy of HEAD,
# rebuild incrementally, run the tests the row names, and report whether they noticed.
#
#   bash tests/mutation/run.sh [--only REGEX] [--jobs N] [--keep] [--timeout SECONDS]
#
# mutations.tsv, one mutation a row, tab-separated (lines starting with # and blank lines skipped):
#   file        path from the repository root (src/nsmon/...)
#   line        the text of the line to change, without its indentation; it must match exactly one
#               line of the file (compared with leading and trailing blanks removed), else the row is
#               reported as broken
#   replacement the new text of that line (the original indentation is kept)
#   ctest       a `ctest -R` regex over the e2e, golden and other script tests (not the unit tests:
#               their binary is only rebuilt for the Catch2 column), or -
#   catch       a Catch2 test spec for build/tests/nsmon_unit_tests ("[tag]", "name*"), or -
#   why         what behaviour the mutation breaks
# At least one of ctest/catch must be given. Verdicts: killed (a named test failed), SURVIVED (all
# passed), invalid (the mutant does not compile), broken (the row does not apply or names no test).
# Exit status: 0 when nothing survived and no row is broken, 1 otherwise, 2 on a usage error.
#
# The caller's tree is never touched: the check runs in a temporary `git worktree` of HEAD next to
# the repository (so a ccache with base_dir above it shares the caller's objects), configured with
# the dev preset, built once, and removed at the end unless --keep.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(git -C "$here" rev-parse --show-toplevel) || exit 2
table="$here/mutations.tsv"
only="" jobs=1 keep=0 timeout=120

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case $1 in
    --only) only=${2:?--only needs a regex}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --jobs wants a positive number" >&2; exit 2; }

start=$(date +%s)
work=$(mktemp -d "$(dirname "$top")/.nsmon-mutation.XXXXXX") || exit 2
tree="$work/src"
log="$work/log"
mkdir -p "$log"
current_file=""  # the file mutated right now, restored by cleanup

restore() {
  if [[ -n $current_file ]]; then
    git -C "$tree" checkout --quiet -- "$current_file"
    current_file=""
  fi
}
cleanup() {
  restore
  if ((keep)); then
    echo "run.sh: kept $tree (logs in $log); remove with: git -C '$top' worktree remove --force '$tree'" >&2
  else
    git -C "$top" worktree remove --force "$tree" >/dev/null 2>&1
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

echo "mutation check: worktree of $(git -C "$top" rev-parse --short HEAD) in $tree"
git -C "$top" worktree add --quiet --detach "$tree" HEAD || exit 2
# The table under test is the caller's (it may be newer than HEAD while rows are written).
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# ccache caches sources compiled with a precompiled header (cmake/Pch.cmake) only with these.
export CCACHE_SLOPPINESS=pch_defines,time_macros
if ! (cd "$tree" && cmake --preset dev "${launcher[@]}" >"$log/configure.txt" 2>&1); then
  echo "run.sh: configure failed, see $log/configure.txt" >&2; keep=1; exit 2
fi
build() { cmake --build "$tree/build" -j"$jobs" --target "$@"; }
if ! build nsmon nsmon_unit_tests >"$log/build.txt" 2>&1; then
  echo "run.sh: the unmutated tree does not build, see $log/build.txt" >&2; keep=1; exit 2
fi
echo "built in $(($(date +%s) - start)) s"

# apply FILE LINE REPLACEMENT: rewrite the one line whose trimmed text is LINE; prints how many
# lines matched (the file is only changed when exactly one did).
apply() {
  python3 - "$tree/$1" "$2" "$3" <<'EOF'
import sys
path, old, new = sys.argv[1], sys.argv[2].strip(), sys.argv[3]
with open(path, encoding="utf-8") as f:
    lines = f.read().split("\n")
hits = [i for i, l in enumerate(lines) if l.strip() == old]
print(len(hits))
if len(hits) == 1:
    i = hits[0]
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = indent + new.strip()
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
EOF
}

# run_tests CTEST CATCH LOG: 0 when every named test passed, 1 when one failed, 3 when none ran.
run_tests() {
  local ctest_re=$1 spec=$2 out=$3 limit=${4:-$timeout} status=0
  if [[ $ctest_re != - ]]; then
    ctest --test-dir "$tree/build" -R "$ctest_re" -LE '^unit$' --timeout "$timeout" -j"$jobs" >"$out" 2>&1 ||
      { status=1; echo "run.sh: ctest exited $?" >>"$out"; }
    grep -q "No tests were found" "$out" && return 3
  fi
  if [[ $spec != - ]]; then
    local bin="$tree/build/tests/nsmon_unit_tests"
    # Catch2 exits 2 ("No test cases matched") with nothing run: a broken row, not a kill.
    timeout "$limit" "$bin" "$spec" >>"$out" 2>&1 || { status=1; echo "run.sh: nsmon_unit_tests exited $?" >>"$out"; }
    grep -q "No test cases matched" "$out" && return 3
  fi
  return "$status"
}

# The selected rows, read once: row number, then the fields.
sel_row=() sel_file=() sel_line=() sel_new=() sel_ctest=() sel_spec=() sel_why=() sel_extra=()
row=0
while IFS=$'\t' read -r file line replacement ctest_re spec why extra || [[ -n ${file:-} ]]; do
  row=$((row + 1))
  [[ -z $file || $file == \#* ]] && continue
  if [[ -n $only && ! ( $file =~ $only || ${why:-} =~ $only ) ]]; then continue; fi
  sel_row+=("$row") sel_file+=("$file") sel_line+=("$line") sel_new+=("$replacement")
  sel_ctest+=("${ctest_re:--}") sel_spec+=("${spec:--}") sel_why+=("${why:-}") sel_extra+=("${extra:-}")
done <"$table"
((${#sel_row[@]})) || { echo "run.sh: no row selected" >&2; exit 2; }

# Baseline: every test a selected row names must pass on the unmutated tree, or a "kill" would
# mean nothing.
all_ctest="" all_spec=""
for i in "${!sel_row[@]}"; do
  # CMake's regexes take few groups: plain alternatives, each once.
  if [[ ${sel_ctest[i]} != - && "|$all_ctest|" != *"|${sel_ctest[i]}|"* ]]; then all_ctest+="${all_ctest:+|}${sel_ctest[i]}"; fi
  if [[ ${sel_spec[i]} != - && ",$all_spec," != *",${sel_spec[i]},"* ]]; then all_spec+="${all_spec:+,}${sel_spec[i]}"; fi
done
if ! run_tests "${all_ctest:--}" "${all_spec:--}" "$log/baseline.txt" $((timeout * 5)); then
  echo "run.sh: the named tests do not all pass without a mutation, see $log/baseline.txt" >&2
  grep -E "Failed|FAILED|\*\*\*|run.sh:" "$log/baseline.txt" | head -20 >&2
  keep=1; exit 2
fi
echo "baseline: the named tests pass ($(($(date +%s) - start)) s)"

n=0 killed=0 survived=0 invalid=0 broken=0
for i in "${!sel_row[@]}"; do
  row=${sel_row[i]} file=${sel_file[i]} line=${sel_line[i]} replacement=${sel_new[i]}
  ctest_re=${sel_ctest[i]} spec=${sel_spec[i]} why=${sel_why[i]} extra=${sel_extra[i]}
  n=$((n + 1))
  out="$log/$row.txt"
  verdict=""
  if [[ -z $why || -n $extra || ( $ctest_re == - && $spec == - ) || ! -f $tree/$file ]]; then
    verdict=broken
  elif [[ $(apply "$file" "$line" "$replacement") != 1 ]]; then
    verdict=broken
    git -C "$tree" checkout --quiet -- "$file"
  else
    current_file=$file
    targets=()
    [[ $ctest_re != - ]] && targets+=(nsmon)
    [[ $spec != - ]] && targets+=(nsmon_unit_tests)
    if ! build "${targets[@]}" >"$out" 2>&1; then
      verdict=invalid
    else
      run_tests "$ctest_re" "$spec" "$out.tests"
      case $? in
        0) verdict=SURVIVED ;;
        1) verdict=killed ;;
        *) verdict=broken ;;
      esac
    fi
    restore
  fi
  case $verdict in
    killed) killed=$((killed + 1)) ;;
    SURVIVED) survived=$((survived + 1)) ;;
    invalid) invalid=$((invalid + 1)) ;;
    broken) broken=$((broken + 1)) ;;
  esac
  printf '%-8s %3d  %-28s %s\n' "$verdict" "$row" "${file#src/nsmon/}" "$why"
done

echo
echo "$n mutations: $killed killed, $survived survived, $invalid invalid$( ((broken)) && echo ", $broken broken rows") ($(($(date +%s) - start)) s)"
((survived == 0 && broken == 0))
