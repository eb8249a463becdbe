#!/usr/bin/env bash
# Supervision with real signals: Ctrl-C (SIGINT) and SIGTERM reach the detector, which stops and
# passes its status on; a detector ignoring signals is killed after --grace (+ --kill-after);
# a second Ctrl-C escalates at once; nsmon killed outright takes the detector with it; nothing is
# ever left running.
source "$(dirname "$0")/lib.sh"
cleanup() {
  kill_leftovers
  rm -rf "$TMP"
}
trap cleanup EXIT

# start NAME [NSMON OPTIONS...] -- [DETECTOR OPTIONS...]: nsmon watching a long detector run, in
# the background; waits until the detector serves. Sets $pid (nsmon's).
start() {
  local name=$1 opts=() port
  shift
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  port=$(free_port)
  "$NSMON" watch --format plain --interval 0.2 --metrics-url "http://127.0.0.1:$port/metrics" "${opts[@]}" -- \
    /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$port" --epochs 100 --speed 20 \
    --truth "$TMP/$name.truth.json" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  pid=$!
  for _ in $(seq 1 100); do grep -q "serving http" "$TMP/$name.out" && return 0; sleep 0.1; done
  fail "$name: the detector never started: $(cat "$TMP/$name.err")"
}
# finish NAME: waits for nsmon, sets $rc, checks that nothing is left.
finish() {
  set +e
  wait "$pid"
  rc=$?
  set -e
  out=$(cat "$TMP/$1.out")
  err=$(cat "$TMP/$1.err")
  sleep 0.2
  [ -z "$(leftovers)" ] || fail "$1: processes left behind: $(ps -o pid,args -p "$(leftovers | paste -sd,)")"
}
truth() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$TMP/$1.truth.json" "$2"; }

# Ctrl-C: forwarded, the detector stops cleanly (exit 130 after SIGINT), nsmon passes it on.
start int --
sleep 1
kill -INT "$pid"
finish int
expect_rc 130
expect_err "nsmon: forwarded SIGINT to the command"
expect_err "[detector.py] interrupted"
expect_out "exited with status 130"
[ "$(truth int exit_reason)" = interrupted ] || fail "the detector did not see SIGINT"

# SIGTERM likewise (the detector exits 143).
start term --
kill -TERM "$pid"
finish term
expect_rc 143
[ "$(truth term exit_reason)" = terminated ] || fail "the detector did not see SIGTERM"

# A detector ignoring SIGINT and SIGTERM: SIGTERM after --grace, SIGKILL after --kill-after.
start stubborn --grace 1 --kill-after 1 -- --ignore-signals
t0=$(date +%s%N)
kill -INT "$pid"
finish stubborn
t1=$(date +%s%N)
expect_rc 137
expect_err "sent SIGTERM to the command's process group"
expect_err "sent SIGKILL to the command's process group"
expect_out "killed by SIGKILL"
ms=$(((t1 - t0) / 1000000))
[ "$ms" -ge 1800 ] && [ "$ms" -lt 8000 ] || fail "stopping took $ms ms (grace 1 s + kill-after 1 s)"

# A second Ctrl-C does not wait for --grace.
start twice --grace 60 --kill-after 60 -- --ignore-signals
kill -INT "$pid"
sleep 0.5
kill -INT "$pid"
sleep 0.5
kill -INT "$pid"
finish twice
expect_rc 137
expect_err "sent SIGTERM"

# nsmon killed outright (no chance to clean up): the detector dies with it (parent-death signal).
start killed --
kill -KILL "$pid"
set +e
wait "$pid"
set -e
for _ in $(seq 1 50); do [ -z "$(leftovers)" ] && break; sleep 0.1; done
[ -z "$(leftovers)" ] || fail "the detector outlived a SIGKILLed nsmon"
echo ok
