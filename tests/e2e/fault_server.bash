# Sourced by the query_fault_*.sh tests after lib.sh (not a test itself: it does not end in .sh).
# Starts tests/support/fault_server.py on a free loopback port and stops it when the test ends,
# however it ends. FAULT is its base URL; the first path segment picks the fault ("$FAULT/hang").
start_fault_server() {
  /usr/bin/python3 "$SRC/tests/support/fault_server.py" --port-file "$TMP/fault.port" --max-life 120 "$@" \
    >/dev/null 2>"$TMP/fault.log" &
  FAULT_PID=$!
  # (|| true: under set -e a failing command in the trap would become the test's exit status)
  trap 'kill "$FAULT_PID" 2>/dev/null || true; wait "$FAULT_PID" 2>/dev/null || true; rm -rf "$TMP"' EXIT
  local _
  for _ in $(seq 1 200); do [ -s "$TMP/fault.port" ] && break; sleep 0.05; done
  [ -s "$TMP/fault.port" ] || fail "the fault server did not start: $(cat "$TMP/fault.log")"
  FAULT="http://127.0.0.1:$(cat "$TMP/fault.port")"
}
# within SECONDS ARGS...: `run ARGS...` (lib.sh), failing when nsmon took longer than SECONDS.
within() {
  local limit=$1 t0 ms
  shift
  t0=$(date +%s%N)
  run "$@"
  ms=$((($(date +%s%N) - t0) / 1000000))
  [ "$ms" -le $((limit * 1000)) ] || fail "nsmon $* took $ms ms, more than $limit s"
}
# The requests the fault server received since the last reset, as a JSON list of
# {"method","path","query","headers":[[name,value]...],"body"}.
fault_requests() { curl -fsS "$FAULT/_requests"; }
fault_reset() { curl -fsS -X POST "$FAULT/_reset" >/dev/null; }
# check_requests PYTHON: runs PYTHON with r = the recorded requests and h(i) = request i's headers
# as a dict with lower-case names; an AssertionError fails the test with the requests shown.
check_requests() {
  fault_requests >"$TMP/requests.json"
  /usr/bin/python3 - "$TMP/requests.json" "$1" <<'PY' || fail "the requests the fault server saw: $(cat "$TMP/requests.json")"
import json, sys
r = json.load(open(sys.argv[1]))
def h(i):
    return {k.lower(): v for k, v in r[i]["headers"]}
exec(sys.argv[2])
PY
}
