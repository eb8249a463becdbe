#!/usr/bin/env bash
# One exit-code policy (core/exit_codes.hpp's kExitCodeMeanings): docs/exit-codes.md's list is that
# policy (a block docs/update.sh generates from `nsmon --help`; docs.up_to_date keeps it current),
# `nsmon --help` lists all of it, and every subcommand's --help lists the codes it may end with,
# each in the list's words.
source "$(dirname "$0")/lib.sh"

# docs/exit-codes.md's list, code -> meaning.
declare -A documented
while read -r code meaning; do
  documented[$code]=$meaning
done < <(sed -n '/^<!-- generated: nsmon --help, from "Exit codes:" -->$/,/^<!-- end generated -->$/p' \
  "$SRC/docs/exit-codes.md" | sed -nE 's/^  ([0-9]+) +(.*)$/\1 \2/p')
[ "${#documented[@]}" -ge 5 ] || fail "docs/exit-codes.md: no generated 'Exit codes:' list"

# help_codes: the "Exit codes:" list of the help in $out, as "code meaning" lines.
help_codes() { sed -n '/^Exit codes:$/,/^$/p' <<<"$out" | sed -nE 's/^  ([0-9]+) +(.*)$/\1 \2/p'; }

check_help() {
  local what=$1 code meaning n=0
  while read -r code meaning; do
    n=$((n + 1))
    [ -n "${documented[$code]+x}" ] || fail "$what --help: exit code $code is not in docs/exit-codes.md"
    [ "$meaning" = "${documented[$code]}" ] || fail "$what --help: $code '$meaning'; docs/exit-codes.md: '${documented[$code]}'"
  done < <(help_codes)
  [ "$n" -gt 0 ] || fail "$what --help has no 'Exit codes:' list; help: $out"
  echo "$n"
}

run --help
expect_rc 0
[ "$(check_help nsmon)" -eq "${#documented[@]}" ] || fail "nsmon --help does not list every code of docs/exit-codes.md"

for sub in "query" "query series" "lint-rules" "lint-metrics" "lint-alertmanager" "test-rules" "routes" \
  "routes test" "routes show" "slo" "slo generate" "gen-dashboards" "watch" "catalog" "catalog list" \
  "catalog show" "promql" "promql check" "promql fmt" "config" "config show" "completion"; do
  # shellcheck disable=SC2086 # the words of the subcommand
  run $sub --help
  expect_rc 0
  check_help "$sub" >/dev/null
done

# The fault decides the code, whichever subcommand meets it.
run lint-metrics http://127.0.0.1:1/metrics --timeout 2
expect_rc 3
run query up --server http://127.0.0.1:1 --retries 0
expect_rc 3
run lint-rules /nonexistent/rules.yml
expect_rc 2
run test-rules --no-such-flag
expect_rc 2
echo ok
