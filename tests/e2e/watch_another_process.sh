#!/usr/bin/env bash
# nsmon watch knows whose figures they are: with a leftover detector already serving the port, the
# command's own detector dies at once ("Address already in use", status 2) and nothing of the
# leftover's run is the command's: the summary and the jsonl carry none of its figures, a message
# says whose endpoint it is, and the run fails (the command's status, or 3 when it exited 0).
# --attach says that watching another process is meant: its figures are then the run's.
source "$(dirname "$0")/lib.sh"
cleanup() {
  kill_leftovers
  rm -rf "$TMP"
}
trap cleanup EXIT
detector=(/usr/bin/python3 "$SRC/examples/detector/detector.py")

# The leftover: a whole run (2 epochs, 10 images), then serving its figures for a minute.
start_peer leftover metrics "${detector[@]}" --port "{port}" --epochs 2 --images 10 --speed 300 --linger 60 \
  --quiet --truth "$TMP/leftover.json"
port=$peer_port leftover=$peer_pid
url="http://127.0.0.1:$port/metrics"
images_done() { curl -fsS "$url" 2>/dev/null | awk '/^images_processed_total[{ ]/ { n += $NF } END { exit !(n == 10) }'; }
for _ in $(seq 1 300); do images_done && break; sleep 0.1; done
images_done || fail "the leftover detector never counted its 10 images"

# The command's detector on the same port: it cannot listen and exits 2.
run watch --format jsonl --interval 0.2 --metrics-url "$url" -- "${detector[@]}" --port "$port" --epochs 2 --images 10
expect_rc 2
expect_err "cannot listen on 127.0.0.1:$port"
expect_err "$url is another process's, not the command's: it answered before the command was started"
expect_err "pid $leftover"
summary=$(grep '"type":"summary"' <<<"$out") || fail "no summary: $out"
/usr/bin/python3 - "$summary" "$out" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
assert s["exit_code"] == 2 and s["result"] == 2, s
assert s["another_process"].startswith("it answered before the command was started"), s["another_process"]
assert s["last"] is None, s["last"]
assert all(v is None for v in s["training"].values()), s["training"]
assert all(v in (None, False) for v in s["inference"].values()), s["inference"]
assert s["errors"]["total"] is None, s["errors"]
assert s["never_served"] is True, s
assert s["scrape"]["foreign"] >= 1 and s["scrape"]["failures"] == 0, s["scrape"]
# Every stats line too: nothing of the leftover's run, the state says whose endpoint it is.
for line in sys.argv[2].splitlines():
    o = json.loads(line)
    if o["type"] != "stats":
        continue
    assert o["training"]["epoch"] is None and o["inference"]["images"] is None, o
    assert o["scrape"]["state"] in ("foreign", "waiting", "starting"), o["scrape"]
PY

# Plain output says it in the summary, without the leftover's figures.
run watch --format plain --interval 0.2 --metrics-url "$url" -- "${detector[@]}" --port "$port" --epochs 2 --images 10
expect_rc 2
expect_out "$url is another process's, not the command's: it answered before the command was started"
grep -qE "^  (training|inference|errors) " <<<"$(sed -n '/^nsmon watch: /,$p' <<<"$out")" && fail "the summary has the leftover's figures: $out"

# A command that exits 0 without serving the endpoint: the run still fails (3, as an endpoint
# that never answered), unless --attach says the endpoint is meant to be another process's.
run watch --format jsonl --interval 0.2 --metrics-url "$url" -- /bin/sh -c 'sleep 0.5'
expect_rc 3
grep -q '"another_process":"it answered before' <<<"$out" || fail "exit 0: no another_process: $out"
run watch --format jsonl --interval 0.2 --attach --metrics-url "$url" -- /bin/sh -c 'sleep 0.5'
expect_rc 0
summary=$(grep '"type":"summary"' <<<"$out")
grep -q '"another_process":null' <<<"$summary" || fail "--attach: $summary"
grep -q '"images":10,' <<<"$summary" || fail "--attach: the figures are the run's: $summary"

kill -TERM "$leftover"
wait "$leftover" 2>/dev/null || true
[ -z "$(leftovers)" ] || fail "processes left behind"
echo ok
