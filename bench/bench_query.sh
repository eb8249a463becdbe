#!/usr/bin/env bash
# nsmon query on a large range answer, side by side in the same run with the peers: 1,000 series x
# 1,000 points backfilled into a real Prometheus (promtool tsdb create-blocks-from openmetrics),
# then the same range query by curl (the raw answer: the server's share), promtool query range
# -o json, and nsmon query --format json / --format csv, all written to /dev/null. Prints wall
# time and peak RSS (/usr/bin/time, best wall of RUNS runs, largest RSS), the ratios nsmon/curl
# and promtool/nsmon, and checks nsmon's goals: within 2x of curl, under 40 MiB.
# Usage: bash bench/bench_query.sh [NSMON] [RUNS]   (default: build/release/nsmon 3)
set -euo pipefail
cd "$(dirname "$0")/.."
nsmon=${1:-build/release/nsmon}
runs=${2:-3}
[ -x "$nsmon" ] || { echo "build it first: cmake --preset release && cmake --build build/release -j2 --target nsmon" >&2; exit 2; }
for tool in prometheus promtool curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install prometheus curl time)" >&2; exit 2; }
done
source bench/lib.sh
bench_setup query

# 1,000 series x 1,000 points, 15 s apart, ending an hour ago (OpenMetrics: seconds, # EOF).
series=1000 points=1000 step=15
end=$(( ($(date +%s) / 3600 - 1) * 3600 ))
start=$(( end - (points - 1) * step ))
/usr/bin/python3 - "$work/data.om" "$series" "$points" "$start" "$step" <<'PY'
import random, sys
path, series, points, start, step = sys.argv[1], *map(int, sys.argv[2:])
rnd = random.Random(1)
with open(path, "w") as f:
    f.write("# HELP bench_latency_seconds Generated for bench_query.\n# TYPE bench_latency_seconds gauge\n")
    for s in range(series):
        name = f'bench_latency_seconds{{job="bench",instance="host-{s % 50}:9100",series="{s}"}}'
        v = rnd.random()
        f.write("".join(f"{name} {round(v + 0.001 * ((p * 7919 + s) % 977), 4)} {start + p * step}\n"
                        for p in range(points)))
    f.write("# EOF\n")
PY
t0=$(date +%s.%N)
promtool tsdb create-blocks-from openmetrics "$work/data.om" "$work/tsdb" >/dev/null
printf 'backfilled %s series x %s points in %.1f s\n' "$series" "$points" "$(echo "$(date +%s.%N) - $t0" | bc)"

port=$(free_port)
printf 'global: {scrape_interval: 1m}\n' >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" --log.level=warn \
  >"$work/prometheus.log" 2>&1 &
pids+=($!)
server="http://127.0.0.1:$port"
for _ in $(seq 1 300); do curl -fsS -o /dev/null "$server/-/ready" 2>/dev/null && break; sleep 0.1; done
expr='bench_latency_seconds'
curl_cmd=(curl -sS -o /dev/null "$server/api/v1/query_range" --data-urlencode "query=$expr"
          -d "start=$start" -d "end=$end" -d "step=$step")
# The data is read once before timing (page cache, head chunks); then the answer's size.
"${curl_cmd[@]}"
bytes=$(curl -sS "$server/api/v1/query_range" --data-urlencode "query=$expr" -d "start=$start" -d "end=$end" -d "step=$step" | wc -c)
samples=$("$nsmon" query --server "$server" --format csv --start "$start" --end "$end" --step "$step" "$expr" | tail -n +2 | wc -l)
printf 'answer: %s bytes of JSON, %s samples\n\n' "$bytes" "$samples"
[ "$samples" -eq $((series * points)) ] || { echo "nsmon returned $samples samples, expected $((series * points))" >&2; exit 1; }

# measure NAME CMD...: best wall time and largest peak RSS over the runs.
declare -A wall rss
measure() {
  local name=$1 best="" peak=0 w m
  shift
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r w m <"$work/time"
    if [ -z "$best" ] || (( $(echo "$w < $best" | bc) )); then best=$w; fi
    (( m > peak )) && peak=$m
  done
  wall[$name]=$best
  rss[$name]=$peak
  printf '%-22s %8.2f s %9.1f MiB\n' "$name" "$best" "$(echo "scale=1; $peak / 1024" | bc)"
}
printf '%-22s %10s %13s\n' "tool" "wall" "peak RSS"
measure "curl" "${curl_cmd[@]}"
measure "promtool -o json" promtool query range -o json --start "$start" --end "$end" --step "${step}s" "$server" "$expr"
measure "nsmon --format json" "$nsmon" query --server "$server" --format json --start "$start" --end "$end" --step "$step" "$expr"
measure "nsmon --format csv" "$nsmon" query --server "$server" --format csv --start "$start" --end "$end" --step "$step" "$expr"

ratio() { echo "scale=2; $1 / $2" | bc; }
echo
printf 'nsmon/curl:     json %sx, csv %sx (goal: at most 2x)\n' \
  "$(ratio "${wall[nsmon --format json]}" "${wall[curl]}")" "$(ratio "${wall[nsmon --format csv]}" "${wall[curl]}")"
printf 'promtool/nsmon: json %sx, csv %sx\n' \
  "$(ratio "${wall[promtool -o json]}" "${wall[nsmon --format json]}")" "$(ratio "${wall[promtool -o json]}" "${wall[nsmon --format csv]}")"
status=0
for f in json csv; do
  n="nsmon --format $f"
  if (( $(echo "${wall[$n]} > 2 * ${wall[curl]}" | bc) )); then echo "GOAL MISSED: $n takes more than 2x curl's time"; status=1; fi
  if (( ${rss[$n]} > 40 * 1024 )); then echo "GOAL MISSED: $n peaks above 40 MiB"; status=1; fi
done
[ $status -eq 0 ] && echo "goals met: nsmon within 2x of curl and under 40 MiB in json and csv"
exit $status
