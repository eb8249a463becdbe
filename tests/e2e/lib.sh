# Shared by the end-to-end CLI tests: each test is a small script checking one behaviour.
# NSMON is the binary under test (set by CTest).
set -euo pipefail
: "${NSMON:?NSMON must point at the nsmon binary}"
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d /tmp/nsmon-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
# Not the developer's settings: no config file (an empty XDG_CONFIG_HOME) and no NSMON_* but NSMON.
export XDG_CONFIG_HOME="$TMP/xdg-config"
# NSMON_PEERS and NSMON_PEERS_LOG stay: they are the suite's (tests/support/peer.py), not nsmon's.
for v in $(env | sed -n 's/^\(NSMON_[A-Z_]*\)=.*/\1/p' | grep -vx 'NSMON_PEERS\|NSMON_PEERS_LOG'); do unset "$v"; done

fail() { echo "FAIL: $*" >&2; exit 1; }
# free_port: a free TCP port on 127.0.0.1, for a server the test starts.
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# start_peer NAME URL_PATH CMD...: starts a server in the background with every "{port}" in CMD
# replaced by a free port, and waits until it answers http://127.0.0.1:PORT/URL_PATH while still
# running. A free port can be taken by a parallel test between free_port and the bind, so a peer
# that exits (port in use) is started again on another port, up to 5 times. Sets peer_port and
# peer_pid; the server's output goes to $TMP/NAME.log.
start_peer() {
  local name=$1 path=$2 attempt i
  shift 2
  for attempt in 1 2 3 4 5; do
    peer_port=$(free_port)
    "${@//\{port\}/$peer_port}" >"$TMP/$name.log" 2>&1 &
    peer_pid=$!
    for i in $(seq 1 150); do
      kill -0 "$peer_pid" 2>/dev/null || break
      curl -fsS -o /dev/null "http://127.0.0.1:$peer_port/$path" 2>/dev/null && kill -0 "$peer_pid" 2>/dev/null && return 0
      sleep 0.2
    done
    kill "$peer_pid" 2>/dev/null || true
    wait "$peer_pid" 2>/dev/null || true
  done
  fail "$name never answered on a free port (5 attempts); its last output: $(tail -5 "$TMP/$name.log")"
}
# leftovers: processes started by the test still running (each has $TMP in its command line);
# kill_leftovers ends them (for a test's EXIT trap).
leftovers() { pgrep -f -- "$TMP/" || true; }
kill_leftovers() { for p in $(leftovers); do kill -KILL "$p" 2>/dev/null || true; done; }
# stop_background: the EXIT trap of a test that starts processes in the background and keeps
# their pids in the array `pids`: each gets SIGTERM and is waited for, then the leftovers are
# killed and $TMP removed (`pids=(); trap stop_background EXIT`).
stop_background() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  kill_leftovers
  rm -rf "$TMP"
}
# run CMD...: runs nsmon, keeping stdout in $out, stderr in $err and the exit code in $rc.
run() {
  set +e
  "$NSMON" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  set -e
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}
expect_rc() { [ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc; stderr: $err"; }
expect_out() { grep -qF -- "$1" <<<"$out" || fail "stdout lacks '$1'; stdout: $out"; }
expect_err() { grep -qF -- "$1" <<<"$err" || fail "stderr lacks '$1'; stderr: $err"; }
# Peers answer from a store (tests/support/peer.py): `peer_store FILE` makes promtool and amtool,
# from then on in this test, functions that give the answers stored in FILE, kept beside the data
# they judge, instead of starting the real tool; an answer not stored yet is asked of the real tool
# and added to FILE. bench/peers.sh re-asks the real tools and compares.
export PEER_TMP=$TMP PEER_SRC=$SRC
peer_store() {
  PEER_STORE=$1
  promtool() { /usr/bin/python3 "$SRC/tests/support/peer.py" --store "$PEER_STORE" promtool "$@"; }
  amtool() { /usr/bin/python3 "$SRC/tests/support/peer.py" --store "$PEER_STORE" amtool "$@"; }
  vmalert() { /usr/bin/python3 "$SRC/tests/support/peer.py" --store "$PEER_STORE" vmalert "$@"; }
}
# promtool_proofs DIR: the promtool tests in DIR that show a claim pass, run as one (promtool
# names each file in its output); each *.fails.test.yml fails, with every error its "# expect:"
# lines quote (a rule whose evaluation fails, "err: ...", or a rule file Prometheus cannot load,
# "<file>.yml: ... <error>": promtool's own error is the proof).
promtool_proofs() {
  local t rc tests
  tests=$(cd "$1" && ls *.test.yml | grep -v '\.fails\.test\.yml$')
  (cd "$1" && promtool test rules $tests) >"$TMP/proofs" 2>&1 || fail "a proof fails: $(cat "$TMP/proofs")"
  [ "$(grep -c '^  SUCCESS' "$TMP/proofs")" -eq "$(echo "$tests" | wc -l)" ] || fail "not every proof passed: $(cat "$TMP/proofs")"
  for t in "$1"/*.fails.test.yml; do
    [ -e "$t" ] || continue
    grep -q '^# expect: ' "$t" || fail "$t says no error it expects (# expect: ...)"
    rc=0
    (cd "$1" && promtool test rules "$(basename "$t")") >"$TMP/fails" 2>&1 || rc=$?
    [ "$rc" -ne 0 ] || fail "$t passed; it should fail with the evaluator's error"
    while IFS= read -r want; do
      grep -qF -- "err: $want" "$TMP/fails" || grep -F -- "$want" "$TMP/fails" | grep -q '^[^ ]*\.yml: ' ||
        fail "$t: expected \"$want\", got: $(cat "$TMP/fails")"
    done < <(sed -n 's/^# expect: //p' "$t")
  done
}
# throttle N: waits until fewer than N background jobs of this shell run (work two at a time on
# two cores: `throttle 2; cmd &`).
throttle() { while [ "$(jobs -rp | wc -l)" -ge "$1" ]; do wait -n || true; done; }
# in_parallel FUNC...: runs each function in the background, waits for all, and fails the test
# naming how many failed (each prints its own FAIL line).
in_parallel() {
  local p failed=0 started=()
  for f in "$@"; do
    "$f" &
    started+=($!)
  done
  for p in "${started[@]}"; do wait "$p" || failed=$((failed + 1)); done
  [ "$failed" -eq 0 ] || fail "$failed of $# parallel parts: $*"
}

# scenario_files: the test files of tests/scenarios/scenarios.py's scenarios (issue 57), written
# under $TMP/now, in the array `files`; skips (77) without python3-yaml, which the generator reads.
scenario_files() {
  /usr/bin/python3 -c 'import yaml' 2>/dev/null || {
    echo "python3-yaml not installed: skipped"
    exit 77
  }
  /usr/bin/python3 "$SRC/tests/scenarios/scenarios.py" tests "$TMP/now" >"$TMP/files" || fail "scenarios.py tests failed"
  mapfile -t files <"$TMP/files"
  [ "${#files[@]}" -ge 7 ] || fail "only ${#files[@]} scenario test files: $(cat "$TMP/files")"
}
