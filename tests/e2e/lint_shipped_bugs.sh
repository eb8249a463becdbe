#!/usr/bin/env bash
# Bugs public projects shipped in their rule files (tests/data/shipped-bugs, issue 59): lint-rules
# flags every shipped file and none of the fixed ones (score.py --strict), and the promtool tests
# under proofs/ that show each bug's effect pass (promtool's answers stored in
# proofs/promtool-answers.json); each *.fails.test.yml fails with every error its "# expect:"
# lines quote. promtool check rules refuses each before.yml that proofs/refused.txt names and
# accepts its after.yml (for a PrometheusRule, proofs/CASE.{before,after}.rules.yml).
source "$(dirname "$0")/lib.sh"
corpus=$SRC/tests/data/shipped-bugs
peer_store "$corpus/proofs/promtool-answers.json"
/usr/bin/python3 "$corpus/score.py" "$NSMON" --strict >"$TMP/score" 2>&1 || fail "$(cat "$TMP/score")"
tail -1 "$TMP/score"
cd "$corpus/proofs"
promtool_proofs .
promtool check rules string-result.rules.yml >"$TMP/check" 2>&1 || fail "promtool refuses string-result.rules.yml: $(cat "$TMP/check")"
while read -r case; do
  case $case in '' | '#'*) continue ;; esac
  # A PrometheusRule's groups are checked as the rule file proofs/ holds them (promtool reads no CR).
  before=../$case/before.yml after=../$case/after.yml
  if [ -f "$case.before.rules.yml" ]; then before=$case.before.rules.yml after=$case.after.rules.yml; fi
  if promtool check rules "$before" >"$TMP/check" 2>&1; then fail "promtool accepts $before"; fi
  promtool check rules "$after" >"$TMP/check" 2>&1 || fail "promtool refuses $after: $(cat "$TMP/check")"
done <refused.txt
