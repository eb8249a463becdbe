#!/usr/bin/env bash
# lint-alertmanager on public alertmanager.yml files (tests/data/alertmanager-public, reviewed in
# its REVIEW.md): every finding, by file, line, severity and check, as findings.tsv lists it.
source "$(dirname "$0")/lib.sh"
dir=$SRC/tests/data/alertmanager-public
cd "$dir"
for f in *.yml; do
  set +e
  "$NSMON" lint-alertmanager --format json "$f" >"$TMP/out.json" 2>"$TMP/err"
  rc=$?
  set -e
  [ "$rc" -le 1 ] || fail "$f: exit $rc: $(cat "$TMP/err")"
  /usr/bin/python3 -c '
import json, sys
for x in json.load(open(sys.argv[1]))["findings"]:
    print("\t".join([x["file"], str(x["line"]), x["severity"], x["check"]]))' "$TMP/out.json" >>"$TMP/found.tsv"
done
grep -v '^#' findings.tsv >"$TMP/want.tsv"
diff -u "$TMP/want.tsv" "$TMP/found.tsv" >"$TMP/diff" || fail "findings differ from findings.tsv (review, then update):
$(cat "$TMP/diff")"
echo "$(wc -l <"$TMP/found.tsv") findings on $(ls ./*.yml | wc -l) public configs, as reviewed"
