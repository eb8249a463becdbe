#!/usr/bin/env bash
# nsmon watch exits with the command's status: a simulated crash (exit 3, or SIGKILL: 137), a
# command that dies before it ever served metrics (said clearly), a command that cannot be run
# (127); attached to a running detector: 0 at the end, 3 when nothing ever answered; usage: 2.
source "$(dirname "$0")/lib.sh"
cleanup() {
  kill_leftovers
  rm -rf "$TMP"
}
trap cleanup EXIT
detector() { echo /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$1" --truth "$TMP/truth.json"; }
watch_detector() { # watch_detector FORMAT DETECTOR-OPTIONS...
  local fmt=$1 port
  shift
  port=$(free_port)
  run watch --format "$fmt" --interval 0.2 --metrics-url "http://127.0.0.1:$port/metrics" -- $(detector "$port") "$@"
}

# Three lanes of runs that share nothing (ports, files: each its own $TMP) and mostly wait: they
# go at the same time, each in a subshell that fails on its own (with its message).
ends() { # the command crashes, dies early, starts late, cannot be run
  TMP=$TMP/ends
  mkdir "$TMP"
  # --speed 100: long enough for scrapes of the epochs on a loaded machine (at 300, a CI run beside
  # two CPU-bound processes saw the crash before any good scrape: no epochs in the summary).
  watch_detector jsonl --epochs 3 --images 30 --speed 100 --crash-at image:11
  expect_rc 3
  expect_err "[detector.py] simulated crash at image:11"
  last=$(grep '"type":"summary"' <<<"$out")
  /usr/bin/python3 - "$last" "$TMP/truth.json" <<'PY'
import json, sys
s, truth = json.loads(sys.argv[1]), json.load(open(sys.argv[2]))
assert s["exit_code"] == 3 and s["result"] == 3 and s["ended"] == "exited with status 3", s
assert truth["exit_reason"] == "crash" and truth["images"]["processed"] == 10, truth["images"]
# The last scrape before the crash may lag the truth (epoch 2 still), never lead it.
assert 2 <= s["training"]["epochs"] <= 3, s["training"]
# The last scrape before the crash may be a little behind the truth, never ahead of it.
assert 0 <= s["inference"]["images"] <= 10, s["inference"]
PY

  watch_detector plain --epochs 3 --speed 300 --crash-at epoch:2 --crash-mode signal
  expect_rc 137
  expect_out "killed by SIGKILL"

  # Dead before it ever served metrics.
  port=$(free_port)
  run watch --format plain --interval 0.2 --metrics-url "http://127.0.0.1:$port/metrics" -- /bin/sh -c 'echo starting; sleep 0.5; echo "cannot load model" >&2; exit 4'
  expect_rc 4
  expect_out "[sh] starting"
  expect_err "[sh] cannot load model"
  expect_out "waiting for metrics at http://127.0.0.1:$port/metrics"
  expect_out "no metrics from the command: nsmon looked at http://127.0.0.1:$port/metrics"
  expect_out "the command listened on no TCP port nsmon could see"
  watch_detector plain --startup-delay 1 --epochs 0 --images 0
  expect_rc 0

  run watch -- "$TMP/no-such-command"
  expect_rc 127
  expect_err "nsmon: error: cannot run $TMP/no-such-command"
}

attached() { # attached to a detector, to nothing, to a malformed endpoint
  TMP=$TMP/attached
  mkdir "$TMP"
  # Attached to a detector that runs on its own.
  port=$(free_port)
  /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$port" --epochs 2 --images 10 --speed 300 \
    --linger 30 --quiet --truth "$TMP/attached.json" >/dev/null 2>&1 &
  det=$!
  # Ready when its metrics count all 10 images (not after a guessed sleep).
  images_done() {
    curl -fsS "http://127.0.0.1:$1/metrics" 2>/dev/null |
      awk '/^images_processed_total[{ ]/ { n += $NF } END { exit !(n == 10) }'
  }
  for _ in $(seq 1 300); do images_done "$port" && break; sleep 0.1; done
  images_done "$port" || fail "the attached detector never counted its 10 images"
  run watch --format jsonl --interval 0.2 --duration 1 --metrics-url "http://127.0.0.1:$port/metrics"
  expect_rc 0
  grep -q '"ended":"--duration is over"' <<<"$out" || fail "attach: $out"
  # Counters are JSON integers.
  grep -q '"images":10,' <<<"$out" || fail "attach: no images: $out"
  kill -TERM "$det"
  wait "$det" || true
  port=$(free_port)
  run watch --format plain --interval 0.2 --duration 0.6 --metrics-url "http://127.0.0.1:$port/metrics"
  expect_rc 3
  expect_out "http://127.0.0.1:$port/metrics was never reached after"

  # A malformed scrape is shown as such and watching goes on; once the endpoint is fixed, the
  # figures come.
  mkdir -p "$TMP/www"
  printf '# TYPE cpu_usage_percent gauge\ncpu_usage_percent{ 12\n' >"$TMP/www/metrics"
  port=$(free_port)
  (cd "$TMP/www" && exec /usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
  server=$!
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics" 2>/dev/null && break; sleep 0.1; done
  # The endpoint is fixed once watch has shown the malformed scrape (not after a guessed delay);
  # --duration leaves ample time for a good scrape after that.
  "$NSMON" watch --format plain --interval 0.3 --duration 5 --metrics-url "http://127.0.0.1:$port/metrics" \
    >"$TMP/out" 2>"$TMP/err" &
  watcher=$!
  for _ in $(seq 1 300); do grep -q "malformed scrape" "$TMP/out" && break; sleep 0.05; done
  printf '# TYPE cpu_usage_percent gauge\ncpu_usage_percent 12\n' >"$TMP/www/good" && mv "$TMP/www/good" "$TMP/www/metrics"
  set +e
  wait "$watcher"
  rc=$?
  set -e
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
  expect_rc 0
  expect_out "no metrics from http://127.0.0.1:$port/metrics: malformed scrape: 1 error (first at 2:20: expected label name"
  expect_out "cpu 12%"
  printf 'garbage\n' >"$TMP/www/metrics"
  run watch --format plain --interval 0.3 --duration 0.7 --metrics-url "http://127.0.0.1:$port/metrics"
  expect_rc 3
  expect_out "http://127.0.0.1:$port/metrics never gave a good scrape (malformed scrape"
  kill "$server"
  wait "$server" 2>/dev/null || true
}

whole_runs() { # whole runs, --every epoch, usage errors
  TMP=$TMP/whole
  mkdir "$TMP"
  # --every epoch: one line per epoch (and per change of the scraping's state), not per interval.
  watch_detector plain --epochs 3 --images 5 --speed 300 --linger 1 --quiet
  expect_rc 0
  port=$(free_port)
  run watch --format plain --every epoch --interval 0.2 --metrics-url "http://127.0.0.1:$port/metrics" -- \
    $(detector "$port") --epochs 3 --images 5 --speed 300 --linger 1 --quiet
  expect_rc 0
  n=$(grep -c '^\[.*\] epoch [0-9]/3' <<<"$out" || true)
  [ "$n" -ge 3 ] && [ "$n" -le 5 ] || fail "--every epoch printed $n epoch lines: $out"

  run watch --interval 0 -- true
  expect_rc 2
  run watch --format live -- true
  expect_rc 2
  expect_err "--format live needs a terminal"
  run watch --format yaml -- true
  expect_rc 2
  run watch --help
  expect_rc 0
  expect_out "Exit codes:"
}

in_parallel ends attached whole_runs
[ -z "$(leftovers)" ] || fail "processes left behind"
echo ok
