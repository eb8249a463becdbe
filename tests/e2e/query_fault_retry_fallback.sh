#!/usr/bin/env bash
# 503s are retried for queries (Retry-After honoured) until an answer comes; when they never stop,
# the last 503 is reported (exit 1). A server refusing POST gets the query as GET (405 and 501).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
within 5 query up --server "$FAULT/flaky,fail=2,id=a" --format json
expect_rc 0
expect_out '"resultType": "vector"' # the server's bytes, verbatim
expect_out '"job": "fault"'
check_requests 'assert len(r) == 3 and all(x["method"] == "POST" and x["body"].startswith("query=up") for x in r), r'
fault_reset
# Retry-After: 1 is waited for (the default first pause would be 250 ms).
t0=$(date +%s%N)
within 5 query labels --server "$FAULT/flaky,fail=1,id=b,retry_after=1"
expect_rc 0
[ $((($(date +%s%N) - t0) / 1000000)) -ge 900 ] || fail "Retry-After: 1 was not waited for"
[ "$out" = '["__name__", "job"]' ] || fail "labels: $out"
fault_reset
within 5 query up --server "$FAULT/flaky,fail=9,id=c" --retries 1
expect_rc 1
expect_err "the server answered HTTP 503 Service Unavailable: unavailable: fault server: try again (2)"
check_requests 'assert len(r) == 2, r'
fault_reset
run query up --server "$FAULT/nopost" --format json
expect_rc 0
expect_out '"resultType": "vector"' # the server's bytes, verbatim
run query up --server "$FAULT/nopost,code=501" --format json
expect_rc 0
check_requests '
assert [x["method"] for x in r] == ["POST", "GET", "POST", "GET"], r
assert r[1]["query"].startswith("query=up") and r[1]["body"] == "", r[1]'
echo ok
