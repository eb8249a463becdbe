#!/usr/bin/env bash
# A subcommand that is not built yet says so clearly and exits 2, whatever its arguments.
source "$(dirname "$0")/lib.sh"
for sub in query; do
  run "$sub" --some-flag value -- whatever
  expect_rc 2
  expect_err "'$sub' is not implemented yet"
  [ -z "$out" ] || fail "$sub printed on stdout: $out"
done
