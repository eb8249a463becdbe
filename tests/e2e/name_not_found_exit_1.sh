#!/usr/bin/env bash
# A name not found is one rule everywhere (issue 58, item 7): exit 1 and a did-you-mean on
# stderr, in `explain` as in `catalog show` (README's exit-code table: "a name not found" is 1).
source "$(dirname "$0")/lib.sh"
run explain rules/duplicate-rul
expect_rc 1
expect_err "no check 'rules/duplicate-rul' (did you mean 'rules/duplicate-rule'?)"
[ -z "$out" ] || fail "a name not found printed on stdout: $out"
run catalog show training_los
expect_rc 1
expect_err "no metric 'training_los' in the catalog (did you mean 'training_loss'?)"
# Both --help tables list the code.
for cmd in explain "catalog show"; do
  run $cmd --help
  grep -qE '^  1 +findings at or above --fail-on' <<<"$out" || fail "nsmon $cmd --help lacks exit code 1: $out"
done
