#!/usr/bin/env bash
# The layering of ARCHITECTURE.md, checked. LAYERS is the file CMake writes from the nsmon_library()
# declarations of src/nsmon/*/CMakeLists.txt (build/layering.txt): one line per folder, the folder
# then what it may depend on — folders (their libraries are linked) and single headers such as
# core/error.hpp. Fails on
#   - an #include "nsmon/<folder>/..." in src/nsmon/<x>/ that x may not use (file:line), which the
#     linker would not see when the included code is inline;
#   - a folder of src/nsmon/ without a library;
#   - a row of ARCHITECTURE.md's table whose "may use" (its last cell) differs from the declaration;
#   - a folder that may depend on a folder whose row is above its own: the table is the layer
#     order, dependencies point down it.
# Usage: layering.sh LAYERS [SOURCE_DIR]
set -euo pipefail
layers=${1:?usage: layering.sh LAYERS [SOURCE_DIR]}
src=${2:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src"
status=0
fail() { echo "$*" >&2; status=1; }

declare -A allowed
while read -r dir deps; do
  [ -n "$dir" ] && allowed[$dir]=" $deps "
done <"$layers"

for path in src/nsmon/*/; do
  dir=$(basename "$path")
  [ -n "${allowed[$dir]+x}" ] || fail "src/nsmon/$dir/: no nsmon_library($dir ...) in its CMakeLists.txt"
done

# Every include of another folder's header: allowed if the folder, or that very header, is declared.
while IFS=: read -r file line text; do
  dir=${file#src/nsmon/}
  dir=${dir%%/*}
  header=$(sed -E 's@^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]nsmon/([^">]+)[">].*@\1@' <<<"$text")
  target=${header%%/*}
  [ "$target" = "$dir" ] && continue
  case "${allowed[$dir]- }" in
    *" $target "* | *" $header "*) ;;
    *)
      deps=$(xargs <<<"${allowed[$dir]-}")
      fail "$file:$line: $dir/ may not include nsmon/$header (it may depend on: ${deps:-nothing of nsmon})"
      ;;
  esac
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]nsmon/' src/nsmon --include='*.cpp' --include='*.hpp' --include='*.inc' | sort)

# ARCHITECTURE.md's table says the same: its "may use" (the last cell) names folders as `x/` and single
# headers as `x/file.hpp`; "everything below" is every folder of the rows after it.
rows=$(grep -E '^\| `src/nsmon/[a-z_]+/` \|' ARCHITECTURE.md) || true
[ -n "$rows" ] || fail "ARCHITECTURE.md: no table rows of the form | \`src/nsmon/<folder>/\` | ... | ... |"
mapfile -t folders < <(sed -E 's@^\| `src/nsmon/([a-z_]+)/`.*@\1@' <<<"$rows")
i=0
while IFS= read -r row; do
  dir=${folders[$i]}
  i=$((i + 1))
  may=$(awk -F'|' '{ print $(NF - 1) }' <<<"$row")
  if grep -q 'everything below' <<<"$may"; then
    doc="${folders[*]:$i}"
  else
    doc=$(grep -oE '`[a-z_]+/[^`]*`' <<<"$may" | tr -d '`' | sed -E 's@/$@@' | tr '\n' ' ' || true)
  fi
  doc=$(tr ' ' '\n' <<<"$doc" | sed '/^$/d' | sort | xargs)
  decl=$(tr ' ' '\n' <<<"${allowed[$dir]-}" | sed '/^$/d' | sort | xargs)
  [ "$doc" = "$decl" ] ||
    fail "ARCHITECTURE.md: $dir/ may depend on: ${doc:-nothing of nsmon}; src/nsmon/$dir/CMakeLists.txt declares: ${decl:-nothing of nsmon}"
  # Single headers (util's core/error.hpp) are the declared exceptions to the order.
  below=" ${folders[*]:$i} "
  for dep in ${allowed[$dir]-}; do
    case "$dep" in */*) continue ;; esac
    case "$below" in
      *" $dep "*) ;;
      *) fail "ARCHITECTURE.md: $dir/ may depend on $dep/, whose row is not below $dir/'s: dependencies point down the table" ;;
    esac
  done
done <<<"$rows"
for dir in "${!allowed[@]}"; do
  grep -qx "$dir" < <(printf '%s\n' "${folders[@]}") || fail "ARCHITECTURE.md: no row for src/nsmon/$dir/"
done

[ "$status" -eq 0 ] && echo "layering: ${#allowed[@]} folders, every include and ARCHITECTURE.md agree with the declared dependencies"
exit "$status"
