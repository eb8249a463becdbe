#!/usr/bin/env bash
# Rewrites the generated blocks of README.md and docs/*.md from the binary (and the example files
# they quote), so that no page holds a hand copy of a --help, of the exit codes, of a CI recipe or
# of an output. A block is
#   <!-- generated: nsmon ARGS --help -->                      the whole help of `nsmon ARGS`
#   <!-- generated: nsmon ARGS --help, from "HEADING" -->      its lines from HEADING to a blank line
#   <!-- generated: file PATH -->                              a file of the repository, as it is
#   <!-- generated: $ nsmon ARGS -->                           a run: the command and its output
#   <!-- generated: scenarios matrix -->                       panel x scenario -> what it shows
#                                                              (tests/scenarios/scenarios.py matrix)
#   ...
#   <!-- end generated -->
# (the help as the man page has it: NO_COLOR=1, COLUMNS=80, no config file, no NSMON_* variables).
# A run is made at the repository's root, its stdout and stderr together, with HOME=/nonexistent
# (no config file); after the command, optionally:
#   , in DIR                 run in a scratch copy of DIR (relative to the root) instead
#   , lines "ERE" N ...      an excerpt: for each pair, from the next line matching ERE, N lines;
#                            "..." where lines are left out
# $PROM_URL, $HISTORY_START and $HISTORY_END in ARGS name a real Prometheus 2.42 loaded with
# tests/support/history.py's history (six hours of the application's metrics, ending now, with
# problems planted in them), started once for the pages that need it.
# What must vary from run to run does not make a block stale: loopback ports, RFC 3339 times, Unix
# times, "(... ago)", /tmp paths and what requests took are compared as placeholders, and a block that differs only
# in them is left as it is. An output shown in a ``` block with a `$ nsmon` line that is not
# generated is said to be illustrative, with why, on the line before it:
#   <!-- illustrative: REASON -->
# and none may be left without one.
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
history_up=0
# shellcheck disable=SC2317 # the EXIT trap calls it
cleanup() {
  [ "$history_up" = 0 ] || /usr/bin/python3 "$root/tests/support/history.py" down "$tmp/history" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
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
  elif [[ $spec =~ ^\$\ (([A-Z_]+=[^\ ]*\ )*)nsmon\ (.*)$ ]]; then
    run_block "${BASH_REMATCH[3]}" "${BASH_REMATCH[1]}"
  elif [ "$spec" = "scenarios matrix" ]; then
    /usr/bin/python3 "$root/tests/scenarios/scenarios.py" matrix
  else
    echo "docs/update.sh: unknown block '<!-- generated: $spec -->'" >&2
    return 1
  fi
}

# history: starts the Prometheus of tests/support/history.py once, for the blocks that name
# $PROM_URL; returns 3 (the block is skipped, left as it is) when Prometheus is not installed.
history() {
  [ $history_up = 0 ] || return 0
  command -v prometheus >/dev/null && command -v promtool >/dev/null || return 3
  # A 30s step puts the history's start, end and planted burst on the grid of the rules' 30s
  # evaluations, whatever the time: an episode lasts as long in every run.
  /usr/bin/python3 "$root/tests/support/history.py" up "$tmp/history" --no-victoria --step 30 >"$tmp/history.env" ||
    { echo "docs/update.sh: tests/support/history.py did not start" >&2; return 1; }
  history_up=1
  set -a
  # shellcheck disable=SC1091 # written just above
  source "$tmp/history.env"
  set +a
}

# run_block 'ARGS[; in DIR][; lines "ERE" N ...]' [VAR=VALUE ...]: the command line, run with
# those variables, and its output.
run_block() {
  local rest=$1 vars=$2 dir='' lines='' shown wd
  local -a cmd
  if [[ $rest =~ ^(.*)\;\ lines\ (.+)$ ]]; then
    rest=${BASH_REMATCH[1]}
    lines=${BASH_REMATCH[2]}
  fi
  if [[ $rest =~ ^(.*)\;\ in\ ([^\;]+)$ ]]; then
    rest=${BASH_REMATCH[1]}
    dir=${BASH_REMATCH[2]}
  fi
  # shellcheck disable=SC2016 # the names as written, not their values
  if [[ $rest == *'$PROM_URL'* || $rest == *'$HISTORY_'* ]]; then
    history || return $?
  fi
  shown=$rest
  shown=${shown//\$PROM_URL/${PROM_URL:-}}
  shown=${shown//\$HISTORY_START/${HISTORY_START:-}}
  shown=${shown//\$HISTORY_END/${HISTORY_END:-}}
  wd=$root
  if [ -n "$dir" ]; then
    [ -d "$root/$dir" ] || { echo "docs/update.sh: no directory $dir" >&2; return 1; }
    wd=$tmp/run
    rm -rf "$wd"
    mkdir "$wd"
    # The files a clone has: no build tree, no git directory.
    (cd "$root/$dir" && tar --exclude=./build --exclude=./.git -cf - .) | (cd "$wd" && tar -xf -)
  fi
  # The words as a shell reads them (quotes, globs, the fixture's variables), where the command runs.
  # shellcheck disable=SC2086 # the variables' words
  (cd "$wd" && eval "cmd=( $rest )" && env -u XDG_CONFIG_HOME HOME=/nonexistent $vars "$nsmon" "${cmd[@]}") \
    >"$tmp/output" 2>&1 || true
  printf '```\n$ %snsmon %s\n' "$vars" "$shown"
  if [ -z "$lines" ]; then
    # Without its trailing blank lines, ending in a newline.
    [ ! -s "$tmp/output" ] || printf '%s\n' "$(cat "$tmp/output")"
  else
    excerpt "$tmp/output" "$lines" || { echo "docs/update.sh: '\$ nsmon $rest': $(head -5 "$tmp/output")" >&2; return 1; }
  fi
  printf '```\n'
}

# excerpt FILE '"ERE" N ...': for each pair, N lines from the next line matching ERE; "..." where
# lines are left out.
excerpt() {
  local -a text pairs
  local pos=0 i n ere
  mapfile -t text <"$1"
  eval "pairs=( $2 )"
  for ((p = 0; p < ${#pairs[@]}; p += 2)); do
    ere=${pairs[p]}
    n=${pairs[p + 1]}
    for ((i = pos; i < ${#text[@]}; i++)); do [[ ${text[i]} =~ $ere ]] && break; done
    [ "$i" -lt ${#text[@]} ] || { echo "docs/update.sh: no line matches '$ere'" >&2; return 1; }
    [ "$i" = "$pos" ] || echo '...'
    printf '%s\n' "${text[@]:i:n}"
    pos=$((i + n))
  done
  [ "$pos" -ge ${#text[@]} ] || echo '...'
}

# normalise: what must vary from run to run, as placeholders.
normalise() {
  sed -E -e 's/(127\.0\.0\.1|localhost):[0-9]{4,5}\b/\1:PORT/g' \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z/TIME/g' \
    -e 's/\([0-9a-z.]+ ago\)/(AGO)/g' -e 's#/tmp/[A-Za-z0-9._-]+#/tmp/X#g' -e 's/\b1[0-9]{9}\b/UNIX/g' \
    -e 's/took [0-9.]+[mµ]?s of [0-9.]+[mµ]?s/took T of T/'
}

# finish_block SPEC OLD: the block's new body, or OLD when they differ only in what must vary (or
# the block needs a peer that is not installed).
finish_block() {
  local rc=0
  generate "$1" >"$tmp/new" || rc=$?
  if [ $rc = 3 ]; then
    skipped+=("$1")
    printf '%s' "$2"
  elif [ $rc != 0 ]; then
    return 1
  elif [ "$(printf '%s' "$2" | normalise)" = "$(normalise <"$tmp/new")" ]; then
    printf '%s' "$2"
  else
    cat "$tmp/new"
  fi
}

# update FILE OUT: FILE with every generated block rewritten, written to OUT.
update() {
  local file=$1 out=$2 line in=0 spec old=''
  : >"$out"
  while IFS= read -r line || [ -n "$line" ]; do
    if [ $in = 1 ]; then
      if [ "$line" != '<!-- end generated -->' ]; then
        old+=$line$'\n'
        continue
      fi
      finish_block "$spec" "$old" >>"$out" || { echo "docs/update.sh: in $file" >&2; return 1; }
      in=0
    fi
    printf '%s\n' "$line" >>"$out"
    if [[ $line =~ ^\<!--\ generated:\ (.*)\ --\>$ ]]; then
      spec=${BASH_REMATCH[1]}
      old=''
      in=1
    fi
  done <"$file"
  [ $in = 0 ] || { echo "docs/update.sh: $file: a generated block has no '<!-- end generated -->'" >&2; return 1; }
}

stale=()
skipped=()
for page in "$root/README.md" "$docs"/*.md; do
  name=${page#"$root"/}
  update "$page" "$tmp/page"
  cmp -s "$page" "$tmp/page" && continue
  if [ $check = 1 ]; then
    diff -u "$page" "$tmp/page" | head -40 >&2 || true
    stale+=("$name")
  else
    cp "$tmp/page" "$page"
    echo "docs: rewrote $name"
  fi
done

# An output shown by hand: a ``` block outside the generated ones with a `$ ... nsmon` line and a
# line of output after it, without an illustrative comment on the line before.
unmarked=()
for page in "$root/README.md" "$docs"/*.md; do
  while IFS= read -r at; do unmarked+=("${page#"$root"/}:$at"); done < <(awk '
    /^<!-- generated: / { gen = 1 }
    /^<!-- end generated -->$/ { gen = 0; prev = $0; next }
    gen { next }
    /^```/ {
      if (!f) { f = 1; start = NR; ill = prev ~ /^<!-- illustrative: .+ -->$/; cmd = 0; output = 0 }
      else { f = 0; if (cmd && output && !ill) print start }
      prev = $0; next
    }
    f { if ($0 ~ /^\$ .*nsmon/) cmd = 1; else if (cmd) output = 1 }
    { prev = $0 }' "$page")
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
if [ ${#unmarked[@]} -gt 0 ]; then
  printf 'FAIL: an output shown by hand, neither generated (<!-- generated: $ nsmon ... -->) nor marked <!-- illustrative: why -->: %s\n' "${unmarked[@]}" >&2
  status=1
fi
if [ ${#stale[@]} -gt 0 ]; then
  echo "FAIL: stale generated blocks in ${stale[*]}: run 'bash docs/update.sh build/nsmon' and commit" >&2
  status=1
fi
if [ ${#broken[@]} -gt 0 ]; then
  printf 'FAIL: a link names no file: %s\n' "${broken[@]}" >&2
  status=1
fi
if [ ${#skipped[@]} -gt 0 ]; then
  printf 'docs: not run (Prometheus 2.42 is not installed), left as they are: %s\n' "${skipped[@]}" >&2
  [ $status = 1 ] || exit 77
fi
[ $status = 1 ] || [ $check = 0 ] || echo "docs: every generated block is up to date and every link resolves"
exit $status
