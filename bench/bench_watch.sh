#!/usr/bin/env bash
# The cost of `nsmon watch` itself while it scrapes a 10,000-series endpoint every second (the
# detector's own series plus bench_expfmt's generated ones, ~1.1 MB per scrape), side by side in
# the same run with the peer that does the same job, Prometheus scraping the same endpoint every
# second. Prints CPU (% of one core) and peak memory of each, and checks nsmon's goals:
# under 2% of a core and under 30 MB. In the same run, `watch --rules rules/alert_rules.yml` (every
# sample kept in the bounded store, the application's rules evaluated at their 30s interval) and a
# second Prometheus evaluating the same rules on the same endpoint; goal: under 2% of a core and
# under 50 MB.
# Usage: bash bench/bench_watch.sh [NSMON] [BENCH_EXPFMT] [SECONDS]
#        (default: build/release/nsmon build/release/bench/bench_expfmt 60)
set -euo pipefail
cd "$(dirname "$0")/.."
nsmon=${1:-build/release/nsmon}
gen=${2:-build/release/bench/bench_expfmt}
seconds=${3:-60}
for b in "$nsmon" "$gen"; do
  [ -x "$b" ] || { echo "build it first: cmake --preset release && cmake --build build/release -j2 ($b)" >&2; exit 2; }
done
source bench/lib.sh
bench_setup watch

# The endpoint: a static file served over HTTP on a loopback port.
mkdir -p "$work/www"
"$gen" --series 9757 --runs 1 --keep "$work/generated.prom" >/dev/null
cat tests/golden/metrics/detector_text/input.txt "$work/generated.prom" >"$work/www/metrics"
series=$(grep -vc '^#' "$work/www/metrics")
port=$(free_port)
(cd "$work/www" && exec /usr/bin/python3 -m http.server "$port" --bind 127.0.0.1) >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics" 2>/dev/null && break; sleep 0.1; done
printf 'endpoint: %s series, %s bytes, scraped every second for %s s\n' "$series" "$(stat -c %s "$work/www/metrics")" "$seconds"

# start_prometheus NAME [RULE_FILE]: a Prometheus scraping the endpoint every second (evaluating
# RULE_FILE if given), on a free loopback port; sets $started to its process id.
start_prometheus() {
  local rule_files=""
  [ -z "${2:-}" ] || rule_files="rule_files: ['$2']"
  cat >"$work/$1.yml" <<YML
global: {scrape_interval: 1s, scrape_timeout: 1s}
$rule_files
scrape_configs: [{job_name: bench, static_configs: [{targets: ['127.0.0.1:$port']}]}]
YML
  prometheus --config.file="$work/$1.yml" --storage.tsdb.path="$work/$1-data" \
    --web.listen-address="127.0.0.1:$(free_port)" --log.level=warn >"$work/$1.log" 2>&1 &
  started=$!
  pids+=($started)
}
# The peer: Prometheus scraping the same endpoint every second, for the same time.
start_prometheus prometheus
prom=$started
# The peer of watch --rules: Prometheus with the application's rules.
start_prometheus prometheus-rules "$PWD/rules/alert_rules.yml"
promr=$started

# cpu_seconds PID: user + system time so far (clock ticks of /proc/PID/stat).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
# nsmon: attached, jsonl to /dev/null (every figure computed each second), for $seconds.
/usr/bin/time -f '%U %S %M' -o "$work/nsmon.time" "$nsmon" watch --metrics-url "http://127.0.0.1:$port/metrics" \
  --interval 1 --duration "$seconds" --format jsonl >"$work/nsmon.jsonl" 2>"$work/nsmon.err" &
pids+=($!)
nsmon_pid=$!
/usr/bin/time -f '%U %S %M' -o "$work/rules.time" "$nsmon" watch --metrics-url "http://127.0.0.1:$port/metrics" \
  --interval 1 --duration "$seconds" --format jsonl --rules rules/alert_rules.yml --job bench \
  >"$work/rules.jsonl" 2>"$work/rules.err" &
pids+=($!)
rules_pid=$!
sleep 5 # Prometheus's start-up (WAL, TSDB) is not its steady state: measure from here
p0=$(cpu_seconds "$prom")
r0=$(cpu_seconds "$promr")
sleep $((seconds - 5))
p1=$(cpu_seconds "$prom")
r1=$(cpu_seconds "$promr")
prom_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$prom/status")
promr_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$promr/status")
wait "$nsmon_pid" || true
wait "$rules_pid" || true
read -r u s m <"$work/nsmon.time"
read -r ru rs rm <"$work/rules.time"
scrapes=$(grep -c '"state":"ok"' "$work/nsmon.jsonl" || true)
rules_scrapes=$(grep -c '"state":"ok"' "$work/rules.jsonl" || true)
# The rules were evaluated (one evaluation of each of the 3 groups every 30 s) on every series.
evals=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["rules"]["evaluations"])' "$work/rules.jsonl")
stored=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["rules"]["series"])' "$work/rules.jsonl")
echo "watch --rules: $evals group evaluations of rules/alert_rules.yml, $stored series in the store"
[ "$evals" -ge 3 ] || { echo "watch --rules evaluated no group: $(cat "$work/rules.err")" >&2; exit 1; }
awk -v u="$u" -v s="$s" -v m="$m" -v t="$seconds" -v p0="$p0" -v p1="$p1" -v prss="$prom_rss" -v n="$scrapes" \
  -v ru="$ru" -v rs="$rs" -v rm="$rm" -v r0="$r0" -v r1="$r1" -v rrss="$promr_rss" -v rn="$rules_scrapes" 'BEGIN {
  ncpu = (u + s) / t * 100; pcpu = (p1 - p0) / (t - 5) * 100
  rcpu = (ru + rs) / t * 100; prcpu = (r1 - r0) / (t - 5) * 100
  printf "nsmon watch:          %5.2f%% of a core  %6.1f MB peak RSS  (%d good scrapes)\n", ncpu, m / 1024, n
  printf "prometheus:           %5.2f%% of a core  %6.1f MB peak RSS  (the same endpoint, same interval)\n", pcpu, prss / 1024
  printf "ratio: prometheus uses %.1fx the CPU and %.1fx the memory of nsmon watch\n", pcpu / ncpu, prss / m
  ok = ncpu < 2 && m / 1024 < 30 && n >= t - 3
  printf "goal (under 2%% of a core, under 30 MB): %s\n", ok ? "met" : "NOT met"
  printf "nsmon watch --rules:  %5.2f%% of a core  %6.1f MB peak RSS  (%d good scrapes; rules/alert_rules.yml)\n", rcpu, rm / 1024, rn
  printf "prometheus + rules:   %5.2f%% of a core  %6.1f MB peak RSS  (the same endpoint and rules)\n", prcpu, rrss / 1024
  printf "ratio: prometheus uses %.1fx the CPU and %.1fx the memory of nsmon watch --rules\n", prcpu / rcpu, rrss / rm
  rok = rcpu < 2 && rm / 1024 < 50 && rn >= t - 3
  printf "goal with --rules (under 2%% of a core, under 50 MB): %s\n", rok ? "met" : "NOT met"
  exit ok && rok ? 0 : 1 }'
