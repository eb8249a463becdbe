#!/usr/bin/env bash
# A typo at any level is named with the nearest word and the help page to read (exit 2): a
# subcommand of a subcommand, an option of a subcommand, an option before the subcommand.
source "$(dirname "$0")/lib.sh"
check() { # check EXPECTED ARGS...: exit 2 and EXPECTED in stderr
  local expected=$1
  shift
  run "$@"
  expect_rc 2
  expect_err "$expected"
}
check "unknown subcommand 'lst' of nsmon catalog (did you mean 'list'?); 'nsmon catalog --help' lists them" catalog lst
check "unknown subcommand 'tst' of nsmon routes (did you mean 'test'?)" routes tst
check "unknown subcommand 'gen' of nsmon slo (did you mean 'generate'?)" slo gen
check "unknown option '--formt' for nsmon lint-rules (did you mean '--format'?); 'nsmon lint-rules --help' lists its options" \
  lint-rules --formt json x.yml
# In a command with subcommands and an expression, the words after a misspelt option are its
# fallout ("unknown subcommand 'up'"): the option is what is named.
check "unknown option '--formt' for nsmon query (did you mean '--format'?)" query --formt json up
check "unknown option '--colour' (did you mean '--color'?)" --colour never catalog list
check "unknown subcommand 'qurey' (did you mean 'query'?)" qurey
check "nsmon catalog needs a subcommand: list, show" catalog
check "Run 'nsmon lint-rules --help' for usage." lint-rules --fail-on bogus x.yml
echo ok
