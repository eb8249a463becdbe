#!/usr/bin/env bash
# When the server answers with an error, nsmon query says what Prometheus said (errorType and
# error, HTTP status) on stderr and exits 1; nothing is printed on stdout.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
start_peers
# --no-lint lets a broken expression through to the server.
run query --server "$PROM" --no-lint --format json 'sum(rate(x[5m]) by (job)'
expect_rc 1
expect_err "the server answered HTTP 400 Bad Request: bad_data:"
expect_err "parse error"
[ -z "$out" ] || fail "stdout: $out"
# A valid expression that fails when evaluated: abs() drops the names, series collide.
run query --server "$PROM" --no-lint --format json 'abs({job="neurosymbolic-app"})'
expect_rc 1
expect_err "the server answered HTTP 422 Unprocessable Entity: execution:"
# A URL path that is not an API: Prometheus's 404 page.
run query --server "$PROM/nothing-here" 'up'
expect_rc 3
expect_err "HTTP 404 Not Found"
