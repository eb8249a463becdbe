#!/usr/bin/env bash
# How often libyaml alone and nsmon's parser give Go's yaml.v3 verdict (reads / refuses) on the
# YAML test suite's single-document cases: the measurement behind core/yaml.hpp's choice of
# nsmon's own scanner over libyaml. Not a test: it prints the figures.
# Usage: libyaml_compare.sh NSMON_YAML_DUMP YAML_ORACLE LIBYAML_VERDICTS SOURCE_DIR
set -euo pipefail
dump=$1 oracle=$2 libyaml=$3 src=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
find tests/data/yaml-test-suite -name '*.yaml' | sort >"$tmp/files"
xargs -d '\n' "$oracle" <"$tmp/files" | cut -f1,2 | sed 's/\terror:.*/\terror/; s/\t[^e].*/\tok/; s/\te[^r].*/\tok/' >"$tmp/go"
xargs -d '\n' "$dump" <"$tmp/files" | cut -f1,2 | sed 's/\terror:.*/\terror/; s/\t[^e].*/\tok/; s/\te[^r].*/\tok/' >"$tmp/nsmon"
xargs -d '\n' "$libyaml" <"$tmp/files" | sed 's/\terror:.*/\terror/' >"$tmp/libyaml"
n=$(wc -l <"$tmp/files")
for side in nsmon libyaml; do
  agree=$(join -t $'\t' "$tmp/go" "$tmp/$side" | awk -F'\t' '$2 == $3' | wc -l)
  echo "$side: Go's yaml.v3 verdict on $agree of $n test suite cases"
done
