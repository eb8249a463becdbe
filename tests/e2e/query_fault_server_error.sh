#!/usr/bin/env bash
# The server answers with an error: Prometheus's errorType and error with the HTTP status, exit 1;
# a proxy's error page (not an API answer) is shown by its first bytes, exit 3.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
run query up --server "$FAULT/error,code=500,type=internal,msg=boom%20at%20step%203" --format json
expect_rc 1
expect_err "nsmon: error: the server answered HTTP 500 Internal Server Error: internal: boom at step 3"
[ -z "$out" ] || fail "stdout: $out"
# A verb's 4xx too.
run query series --match up --server "$FAULT/error,code=400,type=bad_data,msg=invalid%20matcher"
expect_rc 1
expect_err "the server answered HTTP 400 Bad Request: bad_data: invalid matcher"
fault_reset
# 502 is retried; after the last attempt the page is reported, not parsed as the answer.
within 5 query up --server "$FAULT/html,code=502" --retries 1
expect_rc 3
expect_err "HTTP 502 Bad Gateway"
expect_err '"<!DOCTYPE html>'
[ -z "$out" ] || fail "stdout: $out"
check_requests 'assert len(r) == 2, r'
echo ok
