#!/usr/bin/env bash
# Rewrites the generated blocks of docs/*.md from the binary (and the example files they quote), so
# that no page holds a hand copy of a --help, of the exit codes or of a CI recipe. A block is
#   <!-- generated: nsmon ARGS --help -->                      the whole help of `nsmon ARGS`
#   <!-- generated: nsmon ARGS --help, from "HEADING" -->      its lines from HEADING to a blank line
#   <!-- generated: file PATH -->                              a file of the repository, as it is
#   <!-- generated: scenarios matrix -->                       panel x scenario -> what it shows
#                                                              (tests/scenarios/scenarios.py matrix)
#   ...
#   <!-- end generated -->
# (the help as the man page has it: NO_COLOR=1, COLUMNS=80, no config file, no NSMON_* variables).
# With --check nothing is written: exit 1, naming the stale pages, when a block differs, or when a
# relative link of README.md or docs/*.md names a file that does not exist.
# Usage: docs/update.sh [--check] [NSMON]
set -euo pipefail
check=0
if [ "${1:-}" = --check ]; then
  check=1
  shift
fi
docs=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$docs/.." && pwd)
nsmon=${1:-$root/build/nsmon}
[ -x "$nsmon" ] || { echo "docs/update.sh: no nsmon binary at $nsmon" >&2; exit 2; }
nsmon=$(cd "$(dirname "$nsmon")" && pwd)/$(basename "$nsmon")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Not the developer's settings: no config file and no NSMON_* variable changes a help text.
export XDG_CONFIG_HOME=$tmp/xdg-config NO_COLOR=1 COLUMNS=80
for v in $(env | sed -n 's/^\(NSMON_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

# generate SPEC: the block's body (a fenced code block) for the text after "generated: ".
generate() {
  local spec=$1 args heading
  if [[ $spec =~ ^file\ (.+)$ ]]; then
    local path=${BASH_REMATCH[1]} lang=
    [ -f "$root/$path" ] || { echo "docs/update.sh: no file $path" >&2; return 1; }
    case $path in *.yml | *.yaml) lang=yaml ;; *.sh) lang='sh' ;; esac
    printf '```%s\n' "$lang"
    cat "$root/$path"
    printf '```\n'
  elif [[ $spec =~ ^nsmon\ (.*)--help(,\ from\ \"(.+)\")?$ ]]; then
    args=${BASH_REMATCH[1]}
    heading=${BASH_REMATCH[3]}
    # shellcheck disable=SC2086 # the words of the subcommand
    (cd "$tmp" && "$nsmon" $args --help) >"$tmp/help" || { echo "docs/update.sh: nsmon $args--help failed" >&2; return 1; }
    if [ -n "$heading" ]; then
      awk -v h="$heading" '$0 == h {on = 1} on && /^$/ {exit} on' "$tmp/help" >"$tmp/part"
      [ -s "$tmp/part" ] || { echo "docs/update.sh: nsmon $args--help has no line '$heading'" >&2; return 1; }
      mv "$tmp/part" "$tmp/help"
    fi
    # A trailing blank line is the help's own; the block ends at its last line of text.
    printf '```text\n'
    sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$tmp/help"
    printf '```\n'
  elif [ "$spec" = "scenarios matrix" ]; then
    /usr/bin/python3 "$root/tests/scenarios/scenarios.py" matrix
  else
    echo "docs/update.sh: unknown block '<!-- generated: $spec -->'" >&2
    return 1
  fi
}

# update FILE OUT: FILE with every generated block rewritten, written to OUT.
update() {
  local file=$1 out=$2 line in=0 spec
  : >"$out"
  while IFS= read -r line || [ -n "$line" ]; do
    if [ $in = 1 ]; then
      [ "$line" = '<!-- end generated -->' ] || continue
      in=0
    fi
    printf '%s\n' "$line" >>"$out"
    if [[ $line =~ ^\<!--\ generated:\ (.*)\ --\>$ ]]; then
      spec=${BASH_REMATCH[1]}
      generate "$spec" >>"$out"
      in=1
    fi
  done <"$file"
  [ $in = 0 ] || { echo "docs/update.sh: $file: a generated block has no '<!-- end generated -->'" >&2; return 1; }
}

stale=()
for page in "$docs"/*.md; do
  update "$page" "$tmp/page"
  cmp -s "$page" "$tmp/page" && continue
  if [ $check = 1 ]; then
    diff -u "$page" "$tmp/page" | head -20 >&2 || true
    stale+=("docs/$(basename "$page")")
  else
    cp "$tmp/page" "$page"
    echo "docs: rewrote docs/$(basename "$page")"
  fi
done

# Every relative link of README.md and docs/*.md resolves: [text](path) and [text](path#anchor),
# a path relative to the page; web addresses and the page's own anchors are not checked.
broken=()
for page in "$root/README.md" "$docs"/*.md; do
  dir=$(dirname "$page")
  # Links outside code: fenced blocks and `code spans` are left out.
  # shellcheck disable=SC2016 # backticks, not an expansion
  while IFS= read -r target; do
    target=${target%%#*}
    [ -n "$target" ] || continue
    [ -e "$dir/$target" ] || broken+=("${page#"$root"/}: $target")
  done < <(awk '/^```/ {f = !f; next} !f' "$page" | sed 's/`[^`]*`//g' |
    grep -o '\]([^)]*)' | sed 's/^](//; s/)$//; s/ .*//' | grep -Ev '^(https?|mailto):' || true)
done

status=0
if [ ${#stale[@]} -gt 0 ]; then
  echo "FAIL: stale generated blocks in ${stale[*]}: run 'bash docs/update.sh build/nsmon' and commit" >&2
  status=1
fi
if [ ${#broken[@]} -gt 0 ]; then
  printf 'FAIL: a link names no file: %s\n' "${broken[@]}" >&2
  status=1
fi
[ $status = 1 ] || [ $check = 0 ] || echo "docs: every generated block is up to date and every link resolves"
exit $status
