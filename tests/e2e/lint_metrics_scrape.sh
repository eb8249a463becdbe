#!/usr/bin/env bash
# lint-metrics scrapes a URL through promapi::scrape, as watch does: Prometheus's Accept header (or
# the one format --input-format asks for); a status other than 200 is a server fault (exit 3, as an
# unreachable one), named with the URL's credentials masked.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
run lint-metrics "$FAULT/error,code=500/metrics"
expect_rc 3
expect_err "nsmon: error: $FAULT/error,code=500/metrics answered HTTP 500 instead of 200"
run lint-metrics "http://user:pw-e2e-0c9a@127.0.0.1:${FAULT##*:}/error,code=503/metrics?token=tk-e2e-1f2b"
expect_rc 3
expect_err "answered HTTP 503 instead of 200"
grep -qF -e pw-e2e-0c9a -e tk-e2e-1f2b "$TMP/out" "$TMP/err" && fail "a secret was printed: $err"
run lint-metrics "$FAULT/error,code=404/metrics" --input-format text
expect_rc 3
check_requests '
accept = [h(i)["accept"] for i in range(len(r))]
assert accept[0].startswith("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"), accept
assert accept[-1] == "text/plain;version=0.0.4", accept'
echo ok
