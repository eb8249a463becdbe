#!/usr/bin/env bash
# Text output is coloured only on a terminal or with --color always; NO_COLOR wins over auto,
# --color never wins over CLICOLOR_FORCE; other formats are never coloured.
source "$(dirname "$0")/lib.sh"
printf 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5 minutes\n' >"$TMP/r.yml"
esc=$'\033['
run lint-rules "$TMP/r.yml"
[[ "$out" != *"$esc"* ]] || fail "coloured output into a file with NO_COLOR"
run --color always lint-rules "$TMP/r.yml"
[[ "$out" == *"$esc"* ]] || fail "--color always (before the subcommand) did not colour"
run lint-rules "$TMP/r.yml" --color always
[[ "$out" == *"$esc"* ]] || fail "--color always (after the subcommand) did not colour"
unset NO_COLOR
CLICOLOR_FORCE=1 run lint-rules "$TMP/r.yml"
[[ "$out" == *"$esc"* ]] || fail "CLICOLOR_FORCE did not colour"
CLICOLOR_FORCE=1 run lint-rules --color never "$TMP/r.yml"
[[ "$out" != *"$esc"* ]] || fail "--color never coloured"
NO_COLOR=1 CLICOLOR_FORCE=1 run lint-rules "$TMP/r.yml"
[[ "$out" != *"$esc"* ]] || fail "NO_COLOR did not win"
for fmt in json github sarif; do
  run --color always lint-rules --format "$fmt" "$TMP/r.yml"
  [[ "$out" != *"$esc"* ]] || fail "--format $fmt is coloured"
done
# On a terminal (script(1) gives one), colour is on by default.
if command -v script >/dev/null; then
  tty_out=$(TERM=xterm script -qec "'$NSMON' lint-rules '$TMP/r.yml'" /dev/null || true)
  [[ "$tty_out" == *"$esc"* ]] || fail "no colour on a terminal"
fi
