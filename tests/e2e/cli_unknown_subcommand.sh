#!/usr/bin/env bash
# A mistyped subcommand is named with the nearest known one (exit 2, nothing on stdout), also
# with --help and after the global options; an unrelated word gets no suggestion.
source "$(dirname "$0")/lib.sh"
run lint-rule x.yml
expect_rc 2
expect_err "nsmon: error: unknown subcommand 'lint-rule' (did you mean 'lint-rules'?)"
[ -z "$out" ] || fail "printed on stdout: $out"
run querry up
expect_rc 2
expect_err "unknown subcommand 'querry' (did you mean 'query'?)"
run --color never gen-dashbords --help
expect_rc 2
expect_err "unknown subcommand 'gen-dashbords' (did you mean 'gen-dashboards'?)"
[ -z "$out" ] || fail "--help of an unknown subcommand printed the top-level help: $out"
run frobnicate
expect_rc 2
expect_err "unknown subcommand 'frobnicate'; 'nsmon --help' lists them"
# Known subcommands still work, and so does the top-level help.
run --help
expect_rc 0
expect_out "lint-rules"
run promql check up
expect_rc 0
