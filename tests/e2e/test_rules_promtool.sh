#!/usr/bin/env bash
# Differential: `nsmon test-rules` and promtool 2.42's `promtool test rules` give the same verdict
# (pass: exit 0; fail: promtool 1, nsmon 1 or 2) on every test file of a corpus: nsmon's own
# (tests/data/ruletest/corpus), Prometheus's (tests/data/ruletest/prometheus, Apache-2.0) and
# generated ones (tests/data/ruletest/generate.py, fixed seed; RULETEST_GENERATED=N files, default
# 60). A file where they differ must be
# listed in tests/data/ruletest/known_differences.tsv with the same verdicts (3.x semantics, or
# what 2.42 does not know); a listed file where they agree is shown, not failed.
# promtool's answers are stored in tests/data/ruletest/promtool-answers.json (tests/support/peer.py):
# another RULETEST_GENERATED asks new questions, which need promtool to record.
source "$(dirname "$0")/lib.sh"
DATA=$SRC/tests/data/ruletest
/usr/bin/python3 "$DATA/generate.py" "$TMP/gen" "${RULETEST_GENERATED:-60}" 14
files=()
for f in "$DATA"/corpus/*_test.yml "$DATA"/prometheus/*.yml "$TMP"/gen/*_test.yml; do
  grep -q '^tests:' "$f" && files+=("$f")
done
# promtool is asked as its users run it, from the test file's folder; all questions in one process.
for f in "${files[@]}"; do printf '%s\t\tpromtool\ttest\trules\t%s\n' "$(dirname "$f")" "$(basename "$f")"; done |
  /usr/bin/python3 "$SRC/tests/e2e/peer_batch.py" --store "$DATA/promtool-answers.json" "$TMP/promtool"
# nsmon runs the files that load in one process (a start costs much under ASan), each file's
# verdict read from its own findings (test_rules_verdicts.py).
/usr/bin/python3 "$SRC/tests/e2e/test_rules_verdicts.py" "$NSMON" -- "${files[@]}" >"$TMP/nsmon.tsv"
declare -A listed
while IFS=$'\t' read -r file nv pv _; do
  [[ -z $file || $file == \#* ]] || listed[$file]="$nv $pv"
done <"$DATA/known_differences.tsv"
agree=0 known=0 unexpected=0 gone=0 i=0
verdict() { [ "$1" -eq 0 ] && echo pass || echo fail; }
while IFS=$'\t' read -r f n message; do
  i=$((i + 1))
  [ "$f" = "${files[i - 1]}" ] || fail "test_rules_verdicts.py answered $f for ${files[i - 1]}"
  rel=${f#"$DATA"/}
  rel=${rel#"$TMP"/}
  p=$(<"$TMP/promtool/$i.rc")
  pv=$(verdict "$p") nv=$(verdict "$n")
  l=${listed[$rel]-}
  if [ "$pv" = "$nv" ]; then
    agree=$((agree + 1))
    [ -n "$l" ] && [ "$l" != "$nv $pv" ] && { echo "listed, not seen now: $rel (nsmon $nv, promtool $pv)"; gone=$((gone + 1)); }
  elif [ "$l" = "$nv $pv" ]; then
    known=$((known + 1))
  else
    echo "UNEXPECTED: $rel: nsmon $nv (exit $n), promtool $pv (exit $p)"
    echo "    $message"
    unexpected=$((unexpected + 1))
  fi
done <"$TMP/nsmon.tsv"
[ "$i" -eq "${#files[@]}" ] || fail "verdicts for $i of ${#files[@]} files"
echo "${#files[@]} test files: $agree same verdict, $known known differences, $unexpected unexpected ($gone listed differences not seen)"
[ "$unexpected" -eq 0 ] || fail "$unexpected unexpected differences with promtool"
