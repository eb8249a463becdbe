#!/usr/bin/env bash
# A healthy run counts no failed scrape: the probes that find nothing listening before the
# command's endpoint first answers are waiting, not failures ("scrapes N, 0 failed"). The detector
# starts serving after 1s, so several probes come first whatever the machine's speed.
source "$(dirname "$0")/lib.sh"
trap 'kill_leftovers; rm -rf "$TMP"' EXIT
# watch_late_detector FORMAT: a detector that serves after 1s, watched every 0.2s.
watch_late_detector() {
  port=$(free_port)
  run watch --format "$1" --interval 0.2 --metrics-url "http://127.0.0.1:$port/metrics" -- \
    /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$port" --truth "$TMP/truth.json" \
    --startup-delay 1 --epochs 2 --images 10 --speed 300 --quiet
}

watch_late_detector plain
expect_rc 0
expect_out "waiting for metrics at http://127.0.0.1:$port/metrics"
summary=$(sed -n '/^nsmon watch: /,$p' <<<"$out")
grep -qE "scrapes +[0-9]+ of http://127.0.0.1:$port/metrics, 0 failed" <<<"$summary" ||
  fail "a healthy run counted failed scrapes: $summary"

watch_late_detector jsonl
expect_rc 0
summary=$(grep '"type":"summary"' <<<"$out")
/usr/bin/python3 - "$summary" <<'PY'
import json, sys
s = json.loads(sys.argv[1])["scrape"]
assert s["failures"] == 0, s
assert s["probes"] >= 3, s  # 1s of waiting at 0.2s
assert s["scrapes"] >= 1, s
PY
[ -z "$(leftovers)" ] || fail "processes left behind"
echo ok
