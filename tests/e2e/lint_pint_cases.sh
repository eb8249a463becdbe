#!/usr/bin/env bash
# pint's own offline test cases (tests/data/pint-cases: correct rule files and files with a bug pint
# reports): lint-rules flags at most 1 of the correct files (issue 56), not counting flags reviewed
# true (clean-flags-true.tsv), whose promtool proofs under proofs/ pass (promtool's answers stored in
# proofs/promtool-answers.json). The bugs caught are counted and printed, not yet required (issue 59).
source "$(dirname "$0")/lib.sh"
peer_store "$SRC/tests/data/pint-cases/proofs/promtool-answers.json"
set +e
/usr/bin/python3 "$SRC/tests/data/pint-cases/score.py" "$NSMON" --max-clean-flagged 1 >"$TMP/score" 2>"$TMP/err"
rc=$?
set -e
cat "$TMP/score"
grep -q '^clean cases flagged: ' "$TMP/score" || fail "score.py did not score: $(cat "$TMP/err")"
[ "$rc" -eq 0 ] || fail "$(grep '^clean cases flagged' "$TMP/score"); $(cat "$TMP/err")"
promtool_proofs "$SRC/tests/data/pint-cases/proofs"
