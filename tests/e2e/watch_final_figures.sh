#!/usr/bin/env bash
# nsmon watch's summary holds the command's final figures: the detector's last progress line and
# its "done" ask for a scrape out of turn, answered while it lingers (its default), so the counts
# equal the detector's own last line. --interval 1m: the regular ticks (one, at the start, before
# the endpoint is up) cannot be what gets them.
source "$(dirname "$0")/lib.sh"

port=$(free_port)
set +e
"$NSMON" watch --format plain --interval 1m --metrics-url "http://127.0.0.1:$port/metrics" -- \
  /usr/bin/python3 "$SRC/examples/detector/detector.py" --epochs 2 --images 150 --speed 400 --seed 3 \
  --port "$port" >"$TMP/plain.txt" 2>"$TMP/err"
rc=$?
set -e
err=$(cat "$TMP/err")
expect_rc 0

last=$(grep -E '^\[detector\.py\] image [0-9]+/[0-9]+ success=' "$TMP/plain.txt" | tail -1)
[[ $last =~ image\ ([0-9]+)/([0-9]+)\ success=([0-9]+)\ failed=([0-9]+) ]] ||
  fail "no final progress line from the detector: $(cat "$TMP/plain.txt")"
images=${BASH_REMATCH[1]} ok=${BASH_REMATCH[3]} failed=${BASH_REMATCH[4]}
[ "$images" = "${BASH_REMATCH[2]}" ] || fail "the detector did not finish: $last"
want="$images images ($ok ok, $failed failed"
summary=$(sed -n '/^nsmon watch: /,$p' "$TMP/plain.txt")
grep -qF -- "$want" <<<"$summary" || fail "the summary lacks '$want' (the detector said: $last); summary: $summary"
echo "summary matches the detector's last line: $want"
# The out-of-turn scrapes update the figures but print nothing: plain output keeps one line per
# interval (a single one here, at the start), however much the command writes.
status_lines=$(grep -cE '^\[ *[0-9.]+s\]' "$TMP/plain.txt" || true)
[ "$status_lines" -le 2 ] || fail "plain output has $status_lines status lines for one interval: $(cat "$TMP/plain.txt")"
echo "plain status lines: $status_lines"
