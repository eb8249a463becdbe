#!/usr/bin/env bash
# Formatting and cheap static checks. Exits non-zero when a source file is not formatted as
# .clang-format says or when clang-tidy (.clang-tidy) reports a finding.
#
#   clang-format  every tracked *.cpp / *.hpp under src/ tests/ bench/ fuzz/ (a few seconds).
#   clang-tidy    only the .cpp files changed since NSMON_BASE (default HEAD~1), plus the .cpp
#                 of each changed .hpp; headers under src/nsmon/ are checked through them. On a
#                 clean clone of main, HEAD~1 is the first parent: the last commit, or the whole
#                 branch when HEAD is a merge. Uncommitted changes count too (git diff against
#                 the work tree). Needs ${NSMON_BUILD_DIR:-build}/compile_commands.json, so run
#                 it after `cmake --preset dev` (configuring is enough; CI runs it after the build).
#
# Usage: bash .ci/check-format.sh
#   NSMON_BASE=origin/main bash .ci/check-format.sh   tidy everything a branch changed
#   NSMON_TIDY=0 bash .ci/check-format.sh             clang-format only
# Fix formatting with: cmake --build build --target format
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)
status=0

# Why the tracked files and not a glob: build trees and scratch files are not ours to format.
mapfile -t sources < <(git ls-files -- 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' \
                                       'bench/*.cpp' 'bench/*.hpp' 'fuzz/*.cpp' 'fuzz/*.hpp')
# One error per file keeps the log short: the file names are what matters, `format` fixes them.
format_log=$(clang-format --dry-run -Werror --ferror-limit=1 "${sources[@]}" 2>&1) || true
if [ -n "$format_log" ]; then
  printf '%s\n' "$format_log"
  bad=$(printf '%s\n' "$format_log" | grep -c 'error: code should be clang-formatted' || true)
  echo "check-format: $bad of ${#sources[@]} files are not clang-formatted (fix: cmake --build build --target format)" >&2
  status=1
else
  echo "check-format: ${#sources[@]} files clang-formatted"
fi

[ "${NSMON_TIDY:-1}" != 0 ] || exit "$status"

db="${NSMON_BUILD_DIR:-build}"
if [ ! -f "$db/compile_commands.json" ]; then
  echo "check-format: $db/compile_commands.json is missing: run 'cmake --preset dev' first" >&2
  exit 2
fi
base="${NSMON_BASE:-HEAD~1}"
if ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
  # A shallow clone of depth 1 has no HEAD~1: say so loudly, and judge the formatting alone (a
  # CI checkout's depth is not the change's fault). NSMON_BASE=... names a base that exists.
  echo "check-format: WARNING: $base is not in this clone (shallow?): clang-tidy not run" >&2
  exit "$status"
fi

# The build force-includes precompiled headers (cmake/Pch.cmake): GCC's, which clang cannot read,
# or clang's (the asan preset), which would hide a missing include. clang-tidy gets a copy of the
# compile commands without them, so each file is also checked on its own includes; a unity batch
# (cli/) becomes one command per source it includes.
tidy_db=$(mktemp -d)
trap 'rm -rf "$tidy_db"' EXIT
/usr/bin/python3 - "$db/compile_commands.json" "$tidy_db/compile_commands.json" <<'PY'
import json, re, sys
pch = re.compile(r" -Winvalid-pch| -include \S*/cmake_pch\.hxx| -Xclang -include-pch -Xclang \S*\.pch"
                 r"| -Xclang -include -Xclang \S*/cmake_pch\.hxx")
out = []
for e in json.load(open(sys.argv[1])):
    e["command"] = pch.sub("", e["command"])
    if "/Unity/unity_" not in e["file"]:
        out.append(e)
        continue
    for source in re.findall(r'^#include "([^"]+)"', open(e["file"]).read(), re.M):
        out.append(dict(e, file=source, command=e["command"].replace(e["file"], source)))
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
db=$tidy_db

# Why only changed files: clang-tidy parses each file as the compiler does (3-12 s a file
# here), too slow for the whole tree on every push; the checks are strict, so a file that
# is touched must come out clean.
mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- \
                         'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'fuzz/*.cpp')
declare -A in_db=()
while IFS= read -r f; do in_db["$f"]=1; done < <(sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' "$db/compile_commands.json")
declare -A seen=()
tidy=()
for f in "${changed[@]}"; do
  cpp="${f%.[ch]pp}.cpp"
  # Only files the build compiles (fuzz/ is not in the dev preset; a header without a .cpp of
  # its own is checked through the .cpp files that include it, when they change).
  if [ -n "${in_db[$PWD/$cpp]:-}" ] && [ -z "${seen[$cpp]:-}" ]; then
    seen["$cpp"]=1
    tidy+=("$cpp")
  fi
done
if ((${#tidy[@]} == 0)); then
  echo "check-format: no compiled .cpp changed since $base: clang-tidy has nothing to check"
  exit "$status"
fi
echo "check-format: clang-tidy on ${#tidy[@]} files changed since $base: ${tidy[*]}"
# -Wno-error: -Werror would turn clang's own warnings (the dev build uses gcc) into errors; the
# compiler's warnings are the build's business, the .clang-tidy checks are ours.
# Each file's report is printed in one piece, so that the parallel runs do not interleave, without
# clang-tidy's "N warnings generated" (those are in system headers).
tidy_one() {
  local out rc=0
  out=$(clang-tidy -p "$db" --quiet --extra-arg=-Wno-error "$1" 2>&1) || rc=$?
  printf '%s\n' "$out" | grep -Ev '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' || true
  return "$rc"
}
export -f tidy_one
export db
if ! printf '%s\n' "${tidy[@]}" | xargs -P"$jobs" -I{} bash -c 'tidy_one "$1"' _ {}; then
  echo "check-format: clang-tidy found problems (see above)" >&2
  status=1
fi
exit "$status"
