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
# promtool's order (`promtool query instant URL EXPR`): the verb is named, with the two forms that
# work, and no server is asked.
run query --server http://127.0.0.1:9 instant up
expect_rc 2
expect_err "nsmon query takes the expression itself, with no 'instant' before it: nsmon query 'up' (an instant query), nsmon query 'up' --since 1h (a range query)"
run query range 'rate(x_total[5m])' --since 1h
expect_rc 2
expect_err "with no 'range' before it"
