#!/usr/bin/env bash
# backtest of the application's rules (rules/alert_rules.yml, 7 alerts in 30s groups) over HOURS of
# backfilled history (tests/support/history.py, default 7 days at 60s) in Prometheus 2.42:
# nsmon's whole run against the range queries alone (the server's share), both in the same run.
# The range queries alone are the same calls nsmon makes, sent with curl one after another; nsmon
# also reports the time its own requests took (stderr). Each measured 3 times, the fastest kept.
#   bash bench/bench_backtest.sh [NSMON] [HOURS] [STEP]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
nsmon=$(realpath "${1:-build/nsmon}")
hours=${2:-168}
step=${3:-60}
bench_setup backtest
trap '/usr/bin/python3 tests/support/history.py down "$work/h" >/dev/null 2>&1 || true; bench_cleanup' EXIT
t0=$(date +%s.%N)
/usr/bin/python3 tests/support/history.py up "$work/h" --hours "$hours" --step "$step" --metrics rules --no-victoria \
  >"$work/up.log" 2>&1 || { tail -5 "$work/up.log"; exit 1; }
echo "history: $hours h at ${step}s backfilled and served in $(echo "$(date +%s.%N) - $t0" | bc) s"
source "$work/h/servers.env"
rules=rules/alert_rules.yml

best() { sort -n | head -1; }
nsmon_runs=() share_runs=()
for i in 1 2 3; do
  s=$(date +%s.%N)
  rc=0
  "$nsmon" backtest "$rules" --prometheus "$PROM_URL" --start "$HISTORY_START" --end "$HISTORY_END" -o json \
    >"$work/out.json" 2>"$work/err" || rc=$?
  e=$(date +%s.%N)
  expect_run "nsmon backtest" "$rc" "0" '"alertname": "HighErrorRate"' "$work/out.json"
  nsmon_runs+=("$(echo "$e - $s" | bc)")
  share_runs+=("$(sed -n 's/.* took \([0-9.]*\)s of .*/\1/p' "$work/err")")
done
requests=$(sed -n 's/nsmon: \([0-9]*\) requests.*/\1/p' "$work/err")

# The same range queries with curl: each alert's expression, 30s steps, at most 10,000 steps each.
/usr/bin/python3 - "$rules" "$HISTORY_START" "$HISTORY_END" >"$work/calls" <<'PY'
import sys, yaml
rules, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for g in yaml.safe_load(open(rules))["groups"]:
    step = int(g.get("interval", "60s").rstrip("s"))
    first, last = -(-start // step) * step, end // step * step
    for r in g["rules"]:
        if "alert" not in r: continue
        t = first
        while t <= last:
            print(f"{r['expr']}\t{t}\t{min(last, t + 9999 * step)}\t{step}")
            t += 10000 * step
PY
curl_runs=()
for i in 1 2 3; do
  s=$(date +%s.%N)
  while IFS=$'\t' read -r expr from to st; do
    curl -fsS -o /dev/null "$PROM_URL/api/v1/query_range" --data-urlencode "query=$expr" \
      --data-urlencode "start=$from" --data-urlencode "end=$to" --data-urlencode "step=$st"
  done <"$work/calls"
  e=$(date +%s.%N)
  curl_runs+=("$(echo "$e - $s" | bc)")
done
# The engine path for comparison: every selector fetched raw, every rule evaluated by nsmon.
engine_runs=()
for i in 1 2 3; do
  s=$(date +%s.%N)
  rc=0
  "$nsmon" backtest "$rules" --prometheus "$PROM_URL" --start "$HISTORY_START" --end "$HISTORY_END" -o json --engine \
    >"$work/engine.json" 2>"$work/engine.err" || rc=$?
  e=$(date +%s.%N)
  expect_run "nsmon backtest --engine" "$rc" "0" '"alertname": "HighErrorRate"' "$work/engine.json"
  engine_runs+=("$(echo "$e - $s" | bc)")
done
n=$(printf '%s\n' "${nsmon_runs[@]}" | best)
q=$(printf '%s\n' "${share_runs[@]}" | best)
c=$(printf '%s\n' "${curl_runs[@]}" | best)
echo "nsmon backtest: $n s for $requests requests (its requests: $q s); the range queries alone with curl: $c s ($(wc -l <"$work/calls") queries)"
echo "nsmon / range queries alone: $(echo "scale=2; $n / $c" | bc)x"
echo "nsmon backtest --engine: $(printf '%s\n' "${engine_runs[@]}" | best) s ($(sed -n 's/nsmon: \(.*\)/\1/p' "$work/engine.err"))"
