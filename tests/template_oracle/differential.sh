#!/usr/bin/env bash
# The template differential: every case of corpus.tsv (VALUE<TAB>TEMPLATE) expanded by nsmon
# (nsmon_template_dump) and by Go's text/template (template_oracle) with the same data; each
# result must be the same text, or the same error, byte for byte. A case listed in
# known_differences.tsv (VALUE<TAB>TEMPLATE<TAB>why) must differ, so the list stays exact.
# Usage: differential.sh NSMON_TEMPLATE_DUMP TEMPLATE_ORACLE   (exit 77: no oracle)
set -euo pipefail
dump=$1 oracle=$2
[ -x "$oracle" ] || { echo "template_oracle not built (apt-get install golang-go)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v -e '^#' -e '^$' "$here/corpus.tsv" >"$tmp/cases"
"$dump" <"$tmp/cases" >"$tmp/nsmon"
# The oracle's types live in Go's package main; Prometheus's in package template, whose name its
# type errors print ("expected *template.sample"), as nsmon does.
"$oracle" <"$tmp/cases" | sed 's/\*main\.sample/*template.sample/g' >"$tmp/go"
known=$(grep -v '^#' "$here/known_differences.tsv" | cut -f1,2 | sed '/^$/d' || true)
total=0 agree=0 bad=0
while IFS= read -r case <&3 && IFS= read -r mine <&4 && IFS= read -r theirs <&5; do
  total=$((total + 1))
  listed=0
  grep -qxF -- "$case" <<<"$known" && listed=1
  if [ "$mine" = "$theirs" ]; then
    agree=$((agree + 1))
    if [ $listed = 1 ]; then echo "STALE (now agrees): $case"; bad=$((bad + 1)); fi
  elif [ $listed = 0 ]; then
    printf 'DIFF: %s\n  nsmon: %s\n  go:    %s\n' "$case" "$mine" "$theirs"
    bad=$((bad + 1))
  fi
done 3<"$tmp/cases" 4<"$tmp/nsmon" 5<"$tmp/go"
echo "template differential: $agree of $total cases agree with Go's text/template"
[ "$bad" = 0 ]
