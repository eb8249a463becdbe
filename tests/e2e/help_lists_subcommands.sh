#!/usr/bin/env bash
# `nsmon --help` lists every subcommand with a description, and the exit codes; --version works.
source "$(dirname "$0")/lib.sh"
run --help
expect_rc 0
for sub in query lint-rules gen-dashboards watch catalog; do
  grep -qE "^  $sub +[A-Z]" <<<"$out" || fail "--help does not describe '$sub'"
done
expect_out "Exit codes:"
run --version
expect_rc 0
grep -qE '^nsmon [0-9]+\.[0-9]+\.[0-9]+$' <<<"$out" || fail "bad --version: $out"
run
expect_rc 2
run no-such-command
expect_rc 2
# Each subcommand's help lists its own exit codes, not the whole program's table.
for sub in "query" "lint-rules" "lint-metrics" "lint-alertmanager" "test-rules" "routes test" "routes show" \
  "slo generate" "gen-dashboards" "watch" "catalog list" "catalog show" "promql check" "promql fmt"; do
  # shellcheck disable=SC2086 # the words of the subcommand
  run $sub --help
  expect_rc 0
  expect_out "Exit codes:"
  [[ $out != *"3 server unreachable (query), 4 an alert fired"* ]] || fail "'$sub --help' repeats the global exit codes"
done
