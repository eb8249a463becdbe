#!/usr/bin/env bash
# --format github: one workflow command per finding, with GitHub's escaping (% CR LF in the
# message; also : and , in properties such as the file name); info findings are notices.
source "$(dirname "$0")/lib.sh"
f="$TMP/on-call: a,b.yml"
printf 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5%%\n        labls: {}\n' >"$f"
run lint-rules --format github "$f"
expect_rc 1
esc=$(sed 's/:/%3A/g; s/,/%2C/g' <<<"$TMP/on-call: a,b.yml")
expect_out "::error file=$esc,line=6,col=14,title=rules/duration::not a valid duration string: \"5%25\""
expect_out "::error file=$esc,line=7,col=9,title=yaml/unknown-field::unknown field 'labls' in a rule%0Ahelp: did you mean 'labels'?"
n=$(grep -c '^::' <<<"$out")
[ "$n" -eq "$(grep -c '^::' "$TMP/out")" ] || fail "a command spans several lines"
# Every command is a single line and no raw newline or % survives in a message.
while IFS= read -r line; do
  case "$line" in
  ::error\ * | ::warning\ * | ::notice\ *) msg=${line#*::*::}; [[ "$msg" != *%[!0-9A-F]* ]] || fail "unescaped %: $line" ;;
  *) [[ "$line" == *" in 1 file ("* ]] || fail "unexpected line: $line" ;;
  esac
done <<<"$out"
# Info findings become notices.
printf 'groups:\n  - name: g\n    rules:\n      - record: errors_rate\n        expr: sum(rate(errors_total[5m]))\n' >"$TMP/i.yml"
run lint-rules --format github --fail-on error "$TMP/i.yml"
expect_rc 0
expect_out "::notice file=$TMP/i.yml,line=4,"
expect_out "title=rules/record-naming::"
