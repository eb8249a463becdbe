#!/usr/bin/env bash
# What generated SLO rules cost a real Prometheus: samples read per evaluation, nsmon's rules
# against the rules Sloth v0.16.0 generated for the same spec (tests/data/sloth/examples/*.yml and
# _gen/*.yml). A Prometheus 2.42 on a free loopback port reads a TSDB backfilled with what the
# rules read over the SLO period (30d) and an hour: the examples' metrics at a realistic number of
# series and scrape interval, and the series the recording rules record, at the rule evaluation
# interval (bench/slo_cost.py data). Every rule's expression is evaluated at the data's end through
# /api/v1/query with stats=all (bench/slo_cost.py measure): totalQueryableSamples summed per rule
# group and per rule set, with subqueries' inner reads added (Prometheus 2.42 leaves them out),
# the most expensive rule of each side, and the sum of evalTotalTime (secondary: the backfilled
# 2h blocks are not compacted). Then the period rule of each SLO against its form from raw series.
# The figures are of the generated rules, not of nsmon's speed: any build of nsmon will do.
#   --smoke: few series, a 2m scrape, a 10m evaluation interval, the last 3 days only, for CI.
#   full: 1,765 raw series scraped every minute, rules evaluated every minute (a few minutes).
# Usage: bash bench/bench_slo_cost.sh [--smoke] [NSMON_BINARY]   (default: build/nsmon)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
mode=full runs=3 missing=2
if [ "${1:-}" = --smoke ]; then mode=smoke runs=1 missing=77; shift; fi # 77: CTest's skip
nsmon=${1:-build/nsmon}
[ -x "$nsmon" ] || { echo "build it first: cmake --preset dev && cmake --build build -j2 --target nsmon" >&2; exit 2; }
for tool in prometheus promtool curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install prometheus curl)" >&2; exit "$missing"; }
done
/usr/bin/python3 -c 'import yaml' 2>/dev/null || { echo "missing: python3-yaml for /usr/bin/python3" >&2; exit "$missing"; }
bench_setup slo-cost
examples=tests/data/sloth/examples gen=tests/data/sloth/_gen
start_time=$(date +%s)
# Which nsmon made the rules: the binary's date and the source tree's commit when they were made.
about="$nsmon, built $(date -u -r "$nsmon" '+%Y-%m-%d %H:%M') UTC; tree at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
git diff --quiet HEAD -- src 2>/dev/null || about+=" with changes in src/"

# nsmon's rules for every example Sloth has generated rules for. A spec nsmon refuses (exit 1 or 2
# with a message, e.g. OpenSLO) is reported as refused; any other failure stops the bench.
mkdir -p "$work/nsmon"
specs=()
for spec in "$examples"/*.yml; do
  name=$(basename "$spec" .yml)
  [ -f "$gen/$name.yml" ] || continue
  specs+=("$name")
  rc=0
  "$nsmon" --catalog none slo generate "$spec" --out "$work/nsmon/$name.yml" >"$work/nsmon/$name.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    [ -s "$work/nsmon/$name.yml" ] || { echo "bench: nsmon slo generate $spec wrote no rules" >&2; exit 1; }
  else
    expect_run "nsmon slo generate $spec" "$rc" "1 2" "error" "$work/nsmon/$name.log"
    rm -f "$work/nsmon/$name.yml"
  fi
done

# The data ends at a 2h boundary an hour or more ago; every query is evaluated there.
end=$(( ($(date +%s) / 7200 - 1) * 7200 ))
/usr/bin/python3 bench/slo_cost.py data --mode "$mode" --end "$end" --tsdb "$work/tsdb" --work "$work" \
  "$gen"/*.yml "$work"/nsmon/*.yml

# evaluation_interval is also the step of a subquery that gives none ([30d:]); no scrape targets,
# no rules, no alertmanager: the server reads its blocks and answers on the loopback only. A
# block duration of 2h keeps the backfilled blocks as they are (no compaction during the queries).
interval=$(/usr/bin/python3 bench/slo_cost.py interval "$mode")
printf 'global: {scrape_interval: 1m, evaluation_interval: %ss}\n' "$interval" >"$work/prometheus.yml"
port=$(free_port)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --storage.tsdb.retention.time=100y --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h \
  --query.timeout=10m --web.listen-address="127.0.0.1:$port" --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)
server="http://127.0.0.1:$port"
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$server/-/ready" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$server/-/ready" || { echo "bench: prometheus did not start:" >&2; tail -n 5 "$work/prometheus.log" >&2; exit 1; }

printf 'nsmon: %s, Prometheus %s, %s mode, %s run(s) per query\n' "$about" \
  "$(prometheus --version 2>&1 | awk 'NR==1{print $3}')" "$mode" "$runs"
/usr/bin/python3 bench/slo_cost.py measure --server "$server" --end "$end" --step "$interval" --runs "$runs" \
  --sloth "$gen" --nsmon "$work/nsmon" "${specs[@]}"
printf '\nbench_slo_cost (%s) done in %s s\n' "$mode" "$(( $(date +%s) - start_time ))"
