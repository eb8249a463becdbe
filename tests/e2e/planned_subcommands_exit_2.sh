#!/usr/bin/env bash
# Every subcommand that --help lists is built: none answers with the "not implemented yet" of a
# planned subcommand, and each rejects an unknown flag as a usage error (exit 2, nothing on stdout).
source "$(dirname "$0")/lib.sh"
run --help
subs=$(sed -n '/^Subcommands:/,/^$/p' <<<"$out" | awk 'NF && $1 != "Subcommands:" {print $1}')
[ "$(wc -w <<<"$subs")" -ge 5 ] || fail "too few subcommands in --help: $subs"
for sub in $subs; do
  run "$sub" --no-such-flag-anywhere value -- whatever
  expect_rc 2
  grep -q "not implemented yet" <<<"$err" && fail "$sub is still planned: $err"
  [ -z "$out" ] || fail "$sub printed on stdout: $out"
done
