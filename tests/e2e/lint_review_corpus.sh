#!/usr/bin/env bash
# lint-rules on strangers' files (issue 56): every finding `--catalog none lint-rules` makes on the
# review corpus (tests/data/review-corpus: 10,768 public rules, README.md lists their sources) has a reviewed
# verdict; none reviewed false comes back, no finding reviewed true is lost, and each warning
# check is at least 95% true (review.py check). The promtool tests under proofs/ that the
# verdicts cite pass, and each *.fails.test.yml fails with the error it expects (promtool's answers
# stored in proofs/promtool-answers.json).
source "$(dirname "$0")/lib.sh"
corpus=$SRC/tests/data/review-corpus
peer_store "$corpus/proofs/promtool-answers.json"
/usr/bin/python3 "$corpus/review.py" check "$NSMON" >"$TMP/check" 2>&1 || fail "$(cat "$TMP/check")"
tail -1 "$TMP/check"
promtool_proofs "$corpus/proofs"
