#!/usr/bin/env bash
# A server that refuses the connection or closes it without answering: one sentence on stderr,
# nothing on stdout, exit 3, after the retries (and only those).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
# Port 1 on loopback: nobody listens there.
within 5 query up --server http://127.0.0.1:1 --retries 1 --timeout 4s
expect_rc 3
expect_err "nsmon: error: cannot connect to http://127.0.0.1:1/api/v1/query: connection refused (2 attempts)"
[ -z "$out" ] || fail "stdout: $out"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "more than one line on stderr: $err"
# A verb (GET, not a form) says the same of its own endpoint.
within 5 query labels --server http://127.0.0.1:1 --retries 0
expect_rc 3
[ "$err" = "nsmon: error: cannot connect to http://127.0.0.1:1/api/v1/labels: connection refused" ] || fail "stderr: $err"
# Accepts, reads the request, closes: an empty reply, retried like a refused connection.
within 5 query up --server "$FAULT/close" --retries 2
expect_rc 3
expect_err "nsmon: error: $FAULT/close/api/v1/query closed the connection without answering"
[ -z "$out" ] || fail "stdout: $out"
check_requests 'assert len(r) == 3 and all(x["path"] == "/close/api/v1/query" for x in r), r'
echo ok
