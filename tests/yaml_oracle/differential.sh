#!/usr/bin/env bash
# The YAML differential: nsmon's parser (nsmon_yaml_dump) against Go's yaml.v3 (yaml_oracle, built
# from Debian's Go libraries) on the YAML test suite's single-document cases
# (tests/data/yaml-test-suite) and on every YAML file of this repository. Each file is either
# refused by both or read by both into the same tree (canonical JSON, merge keys resolved). Any
# other outcome fails, unless the file is listed in known_differences.tsv (case, why); a listed
# file that now agrees fails too, so the list stays exact.
# Usage: differential.sh NSMON_YAML_DUMP YAML_ORACLE SOURCE_DIR   (exit 77: no oracle)
set -euo pipefail
dump=$1 oracle=$2 src=$3
[ -x "$oracle" ] || { echo "yaml_oracle not built (apt-get install golang-go golang-gopkg-yaml.v3-dev)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$src"
{
  find tests/data/yaml-test-suite -name '*.yaml' | sort
  find . -path ./build -prune -o -path './build-*' -prune -o -path ./tests/data/yaml-test-suite -prune -o \
    -path ./.git -prune -o \( -name '*.yml' -o -name '*.yaml' \) -type f -print | sed 's|^\./||' | sort
} >"$tmp/files"
xargs -d '\n' "$dump" <"$tmp/files" >"$tmp/nsmon"
xargs -d '\n' "$oracle" <"$tmp/files" >"$tmp/go"

known=$(grep -v '^#' "$here/known_differences.tsv" | cut -f1 | sed '/^$/d' || true)
awk -F'\t' -v known="$known" '
  BEGIN { n = split(known, k, "\n"); for (i = 1; i <= n; i++) listed[k[i]] = 1 }
  NR == FNR { ours[$1] = $2; next }
  {
    file = $1; theirs = $2; mine = ours[file]
    suite = file ~ /^tests\/data\/yaml-test-suite\// ? "suite" : "repo"
    total[suite]++
    if (file ~ /\/valid\//) valid_total++
    if (file ~ /\/invalid\//) invalid_total++
    me_err = mine ~ /^error: /; go_err = theirs ~ /^error: /
    agree = (me_err && go_err) || (!me_err && !go_err && mine == theirs)
    if (agree) {
      agreed[suite]++
      if (file in listed) { print "STALE (now agrees, remove from known_differences.tsv): " file; bad++ }
      next
    }
    what = me_err && !go_err ? "nsmon refuses, yaml.v3 reads" : !me_err && go_err ? "nsmon reads, yaml.v3 refuses" : "values differ"
    if (file in listed) { documented++; print "documented: " file " (" what ")"; next }
    bad++
    print "DIFFERENCE " file ": " what
    print "  nsmon:   " substr(mine, 1, 300)
    print "  yaml.v3: " substr(theirs, 1, 300)
  }
  END {
    printf "yaml test suite: %d cases, %d agree with yaml.v3; repository: %d files, %d agree; %d documented differences, %d undocumented\n", total["suite"], agreed["suite"], total["repo"], agreed["repo"], documented, bad
    exit bad > 0
  }' "$tmp/nsmon" "$tmp/go"
