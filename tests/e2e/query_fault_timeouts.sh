#!/usr/bin/env bash
# A server that never answers, or answers one byte at a time forever: nsmon gives up at --timeout
# (the total, not per read), says which limit it hit in one sentence, and exits 3.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
within 4 query up --server "$FAULT/hang" --timeout 1s
expect_rc 3
expect_err "nsmon: error: no complete answer from $FAULT/hang/api/v1/query within the total timeout of 1 s"
[ -z "$out" ] || fail "stdout: $out"
# Bytes keep coming (every 100 ms, so no read ever stalls), but the answer never completes.
within 5 query up --server "$FAULT/drip,ms=100" --timeout 2s --format json
expect_rc 3
expect_err "within the total timeout of 2 s"
expect_err "bytes received"
# A verb times out the same way.
within 4 query buildinfo --server "$FAULT/hang" --timeout 1s
expect_rc 3
expect_err "no complete answer from $FAULT/hang/api/v1/status/buildinfo within the total timeout of 1 s"
echo ok
