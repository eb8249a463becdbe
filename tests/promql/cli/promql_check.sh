# nsmon promql check: silent and 0 for a valid expression; Prometheus's message, a caret and 1 for
# an invalid one; the expression may come from stdin.
source "$(dirname "$0")/../../e2e/lib.sh"

run --catalog none promql check 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))'
expect_rc 0
[ -z "$out$err" ] || fail "expected no output, got: $out$err"
# The catalog's checks are query's: shown, and counted with --fail-on warning.
run promql check 'rate(cpu_usage_percent[5m])'
expect_rc 0
expect_err "warning: rate() of cpu_usage_percent, which is a gauge: rate only makes sense for counters [promql/rate-on-gauge]"
run promql check --fail-on warning 'rate(cpu_usage_percent[5m])'
expect_rc 1
run promql check 'rate(images_processed_total[5m])'
expect_rc 0
[ -z "$out$err" ] || fail "expected no output for a catalog counter, got: $out$err"

run promql check 'foo{a=b}'
expect_rc 1
expect_err '<expr>:1:7: error: unexpected identifier "b" in label matching, expected string'
expect_err '  foo{a=b}'
expect_err '        ^'

set +e
printf 'rate(foo)\n' | "$NSMON" promql check >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
err=$(cat "$TMP/err")
expect_rc 1
expect_err '<stdin>:1:6: error: expected type range vector in call to function "rate", got instant vector'

printf 'sum(\n  rate(foo[5m])\n)\n' | "$NSMON" promql check || fail "multi-line stdin expression rejected"

run promql check 'step()'
expect_rc 1
expect_err 'function "step" is not enabled'
run promql check --enable-feature promql-experimental-functions 'step()'
expect_rc 0
run promql check --enable-feature promql-duration-expr,promql-experimental-functions 'foo[step() * 2]'
expect_rc 0
run promql check --enable-feature no-such-feature 'foo'
expect_rc 2
expect_err "unknown feature 'no-such-feature'"
