#!/usr/bin/env bash
# One exit-code policy (core/exit_codes.hpp's kExitCodeMeanings): README's table is that policy,
# `nsmon --help` lists all of it, and every subcommand's --help lists the codes it may end with,
# each in the table's words.
source "$(dirname "$0")/lib.sh"

# README's table, code -> meaning (Markdown's backticks dropped).
declare -A readme
while IFS='|' read -r _ code meaning _; do
  code=$(xargs <<<"$code")
  [[ $code =~ ^[0-9]+$ ]] || continue
  readme[$code]=$(sed -E 's/^ +//; s/ +$//; s/`//g' <<<"$meaning")
done < <(sed -n '/^| code | meaning |$/,/^$/p' "$SRC/README.md")
[ "${#readme[@]}" -ge 5 ] || fail "README.md: no '## Exit codes' table"

# help_codes: the "Exit codes:" list of the help in $out, as "code meaning" lines.
help_codes() { sed -n '/^Exit codes:$/,/^$/p' <<<"$out" | sed -nE 's/^  ([0-9]+) +(.*)$/\1 \2/p'; }

check_help() {
  local what=$1 code meaning n=0
  while read -r code meaning; do
    n=$((n + 1))
    [ -n "${readme[$code]+x}" ] || fail "$what --help: exit code $code is not in README's table"
    [ "$meaning" = "${readme[$code]}" ] || fail "$what --help: $code '$meaning'; README: '${readme[$code]}'"
  done < <(help_codes)
  [ "$n" -gt 0 ] || fail "$what --help has no 'Exit codes:' list; help: $out"
  echo "$n"
}

run --help
expect_rc 0
[ "$(check_help nsmon)" -eq "${#readme[@]}" ] || fail "nsmon --help does not list every code of README's table"

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
