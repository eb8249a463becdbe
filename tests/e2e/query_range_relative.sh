#!/usr/bin/env bash
# Range queries with relative times (--since, now-30s, -30s), RFC 3339 and Unix times, the default
# step (promtool's range/250, at least 1 s), and --graph's chart on a sized terminal.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
start_peers
sleep 4 # a few seconds of data for the ranges below
expr='sum(images_processed_total)'
samples() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["resultType"], len(d["result"][0]["values"]))' <<<"$out"; }

run query --server "$PROM" --format json --since 4s --step 2s "$expr"
expect_rc 0
[ "$(samples)" = "matrix 3" ] || fail "--since 4s --step 2s: $(samples)"
run query --server "$PROM" --format json --start now-4s --end now --step 4s "$expr"
[ "$(samples)" = "matrix 2" ] || fail "now-4s: $(samples)"
run query --server "$PROM" --format json --start -3s --step 1s "$expr"
[ "$(samples)" = "matrix 4" ] || fail "-3s: $(samples)"
# Absolute times: the same 3 steps in RFC 3339 and Unix seconds.
end=$(date +%s)
start=$((end - 2))
run query --server "$PROM" --format csv --start "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)" --end "$end" --step 1 "$expr"
expect_rc 0
[ "$(tail -n +2 "$TMP/out" | cut -d, -f2 | tr '\n' ' ')" = "$start $((start + 1)) $end " ] || fail "times: $out"
# Default step: 10 minutes / 250 = 2.4 s -> 2 s: 301 samples (data exists for the last part only).
run query --server "$PROM" --format jsonl --since 10m "$expr"
expect_rc 0
/usr/bin/python3 -c '
import json,sys
ts=[json.loads(l)["timestamp"] for l in sys.stdin]
assert len(ts) >= 2 and all(b - a == 2 for a, b in zip(ts, ts[1:])), ts[:5]' <<<"$out"
run query --server "$PROM" --since 1h --step 100ms "$expr"
expect_rc 2
expect_err "more than 11,000 steps"
run query --server "$PROM" --start yesterday "$expr"
expect_rc 2
expect_err "--start wants RFC 3339"

# --graph: a braille chart as wide as the terminal, a time axis and a legend.
COLUMNS=60 LINES=16 run query --server "$PROM" --graph --since 20s --step 1s 'images_processed_total'
expect_rc 0
expect_out "└"
expect_out "⣿ images_processed_total{instance="
# Without colour the second series has its own mark, in the plot and in the legend.
expect_out "• images_processed_total{instance="
grep -v '•' "$TMP/out" >/dev/null && head -n -5 "$TMP/out" | grep -q '•' || fail "no • in the plot: $out"
/usr/bin/python3 -c 'import sys; t=open(sys.argv[1], encoding="utf-8").read(); sys.exit(0 if any(0x2801 <= ord(c) <= 0x28FF for c in t.split("└")[0]) else 1)' "$TMP/out" ||
  fail "no braille dots above the axis: $out"
while IFS= read -r line; do
  [ "$(printf '%s' "$line" | wc -m)" -le 60 ] || fail "wider than 60 columns: $line"
done <"$TMP/out"
run query --server "$PROM" --graph "$expr"
expect_rc 2
expect_err "--graph draws a range query"
