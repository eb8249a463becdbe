#!/usr/bin/env bash
# The table humanizes values with the catalog's unit: bytes as KiB/MiB/GiB, seconds as s/ms,
# percent as %, counts with separators; the unit follows the series' name or the expression
# (histogram_quantile over a _seconds histogram is in seconds); json keeps the server's text.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
start_peers
t=$(date +%s)
value_of() { # EXPR -> the VALUE cell of the table's only row
  run query --server "$PROM" --time "$t" --format table "$1"
  expect_rc 0
  [ "$(wc -l <"$TMP/out")" -eq 2 ] || fail "$1: expected one row: $out"
  tail -1 "$TMP/out" | awk -F'  +' '{print $NF}'
}
raw_of() {
  run query --server "$PROM" --time "$t" --format csv "$1"
  tail -1 "$TMP/out" | awk -F, '{print $NF}'
}
v=$(value_of 'memory_usage_bytes')
grep -qE '^[0-9]+\.[0-9] (KiB|MiB|GiB)$' <<<"$v" || fail "memory_usage_bytes: '$v'"
want=$(/usr/bin/python3 -c 'import sys; b=float(sys.argv[1]); print("%.1f GiB" % (b/2**30) if b >= 2**30 else "%.1f MiB" % (b/2**20))' "$(raw_of memory_usage_bytes)")
[ "$v" = "$want" ] || fail "memory_usage_bytes: table '$v', raw value means '$want'"

v=$(value_of 'cpu_usage_percent')
grep -qE '^[0-9.]+ %$' <<<"$v" || fail "cpu_usage_percent: '$v'"

v=$(value_of 'histogram_quantile(0.5, sum by (le) (inference_time_seconds_bucket))')
grep -qE '^[0-9.]+ (s|ms)$' <<<"$v" || fail "p50 latency: '$v'"

v=$(value_of 'sum(images_processed_total) * 1000')
[ "$v" = "20,000" ] || fail "a count: '$v'"

# Scaled by a number, bytes are no longer bytes: a plain number.
v=$(value_of 'max(memory_usage_bytes) / 3')
grep -qE '^[0-9.,e+]+$' <<<"$v" || fail "bytes / 3: '$v'"
