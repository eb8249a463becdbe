#!/usr/bin/env bash
# lint-rules on strangers' files (issue 56): every finding `--catalog none lint-rules` makes on the
# review corpus (tests/data/review-corpus: 6,166 public rules of 74 repositories) has a reviewed
# verdict; none reviewed false comes back, no finding reviewed true is lost, and each warning
# check is at least 95% true (review.py check). The promtool tests under proofs/ that the
# verdicts cite pass (promtool's answers stored in proofs/promtool-answers.json).
source "$(dirname "$0")/lib.sh"
corpus=$SRC/tests/data/review-corpus
peer_store "$corpus/proofs/promtool-answers.json"
/usr/bin/python3 "$corpus/review.py" check "$NSMON" >"$TMP/check" 2>&1 || fail "$(cat "$TMP/check")"
tail -1 "$TMP/check"
# promtool test rules takes the test files one by one in its output; the proofs are run as one.
(cd "$corpus/proofs" && promtool test rules *.test.yml) >"$TMP/proofs" 2>&1 || fail "a proof fails: $(cat "$TMP/proofs")"
[ "$(grep -c '^  SUCCESS' "$TMP/proofs")" -eq "$(ls "$corpus"/proofs/*.test.yml | wc -l)" ] ||
  fail "not every proof passed: $(cat "$TMP/proofs")"
