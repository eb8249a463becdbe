#!/usr/bin/env bash
# lint-rules --prometheus against a server that is down, hangs, refuses or answers garbage: one
# error on stderr (exit 3, as query), no finding per rule, and no request after the first failure.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
rules="$SRC/tests/data/online/planted_rules.yml"
one_error() {
  expect_rc 3
  [ -z "$out" ] || fail "stdout: $out"
  [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "more than one line on stderr: $err"
  expect_err "$1"
}
# Down: nobody listens on port 1.
within 10 lint-rules --prometheus http://127.0.0.1:1 --retries 0 "$rules"
one_error "nsmon: error: cannot connect to http://127.0.0.1:1/api/v1/label/__name__/values"
# Slow: the one request times out; nothing else is asked.
within 10 lint-rules --prometheus "$FAULT/hang" --timeout 2s "$rules"
one_error "nsmon: error: "
check_requests 'assert len(r) == 1, r'
for fault in junk html; do
  fault_reset
  within 10 lint-rules --prometheus "$FAULT/$fault" "$rules"
  one_error "is not JSON"
  check_requests 'assert len(r) == 1, r'
done
# Refuses (a proxy's 403 with Prometheus's error JSON): named, one error.
fault_reset
within 10 lint-rules --prometheus "$FAULT/error,code=403,type=forbidden,msg=no" "$rules"
one_error "refused the list of metric names: HTTP 403: no"
check_requests 'assert len(r) == 1, r'
# The same with the setting instead of the flag.
fault_reset
NSMON_LINT_PROMETHEUS_URL="$FAULT/junk" within 10 lint-rules "$rules"
one_error "is not JSON"
# Without a server, lint-rules asks nothing and the planted rules are clean offline.
run lint-rules "$rules"
expect_rc 0
echo ok
