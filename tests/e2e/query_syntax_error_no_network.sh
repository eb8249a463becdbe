#!/usr/bin/env bash
# A PromQL syntax error stops nsmon query before any network: the message points at the error
# and the exit code is 2, although the server's port is closed (a connection attempt would have
# been exit 3, "connection refused", as --no-lint shows).
source "$(dirname "$0")/lib.sh"
closed=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run query --server "http://127.0.0.1:$closed" 'sum(rate(x[5m]) by (job)'
expect_rc 2
expect_err "<query>:1:"
expect_err "error:"
expect_err "nothing was sent"
grep -q "connect" <<<"$err" && fail "a connection was attempted: $err"
[ -z "$out" ] || fail "stdout: $out"

run query --server "http://127.0.0.1:$closed" --no-lint 'sum(rate(x[5m]) by (job)'
expect_rc 3
expect_err "cannot connect to http://127.0.0.1:$closed/api/v1/query"

# A lint warning is only a warning: the query is still sent (and here fails to connect).
run query --server "http://127.0.0.1:$closed" --retries 0 'rate(gpu_memory_allocated_bytes[5m])'
expect_rc 3
expect_err "warning:"
expect_err "[promql/rate-on-gauge]"
