#!/usr/bin/env bash
# Two runs give byte-identical files; an unchanged file is not rewritten; no temporary files are
# left behind; nothing is written outside the output directory.
source "$(dirname "$0")/lib.sh"
mkdir "$TMP/w" && cd "$TMP/w" # lib.sh keeps its own files in $TMP
run gen-dashboards --templates "$SRC/templates" --out a
expect_rc 0
expect_out "wrote 6 dashboards and .lint to a (7 changed)"
run gen-dashboards --templates "$SRC/templates" --out b
diff -r a b || fail "two runs differ"
cmp -s a/nsmon-training.json "$SRC/dashboards/nsmon-training.json" || fail "differs from the committed dashboard"
touch -d '2001-01-01' a/nsmon-training.json
run gen-dashboards --templates "$SRC/templates" --out a
expect_out "(0 changed)"
[ "$(stat -c %Y a/nsmon-training.json)" = "$(date -d 2001-01-01 +%s)" ] || fail "an unchanged file was rewritten"
[ "$(ls a | wc -l)" = 6 ] || fail "unexpected files in the output: $(ls a)"
[ "$(ls | sort | tr '\n' ' ')" = "a b " ] || fail "files written outside the output directory: $(ls)"
