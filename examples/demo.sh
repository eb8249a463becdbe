#!/usr/bin/env bash
# Quick start (a): set up (packages, build), then run the bundled simulated detector under
# `nsmon watch`, with a real Prometheus scraping it too. Ends by itself (exit 0) in about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/bootstrap.sh >/dev/null
nsmon=build/nsmon
py=/usr/bin/python3

workdir=$(mktemp -d /tmp/nsmon-demo.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
section() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
wait_http() { for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done; return 1; }

section "nsmon $($nsmon --version | cut -d' ' -f2): the metric catalog (embedded in the binary)"
$nsmon catalog list --stage training
$nsmon catalog show gpu_memory_allocated_mb

det_port=$(free_port)
prom_port=$(free_port)
cat >"$workdir/prometheus.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: neurosymbolic-app
    static_configs: [{targets: ['127.0.0.1:$det_port']}]
YML
section "Starting Prometheus on 127.0.0.1:$prom_port, to scrape the detector every second"
prometheus --config.file="$workdir/prometheus.yml" --storage.tsdb.path="$workdir/data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$workdir/prometheus.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$prom_port/-/ready"

section "nsmon watch runs the simulated detector (6 epochs, 150 images) and shows its stats"
# On a terminal: a live status block under the detector's own output; in a log: one line a second.
# --linger 2: the detector serves its final figures for 2 s after the run, so they are scraped.
status=0
$nsmon watch --interval 1 --total-images 150 --metrics-url "http://127.0.0.1:$det_port/metrics" -- \
  $py examples/detector/detector.py --port "$det_port" --epochs 6 --images 150 --linger 2 --truth "$workdir/truth.json" ||
  status=$?

section "nsmon query: Prometheus scraped the same run; its histogram_quantile agrees with nsmon's p95"
export NSMON_PROMETHEUS_URL="http://127.0.0.1:$prom_port"
$nsmon query --format table 'histogram_quantile(0.95, sum by (le) (last_over_time(inference_time_seconds_bucket[5m])))'
section "nsmon query in CI: is the best loss under 1? (exit 0 if every value passes --check)"
$nsmon query --format table --check '< 1' 'min without (epoch) (last_over_time(training_loss[5m]))'
section "nsmon query targets, and the loss over the run as a chart"
$nsmon query targets --format table
$nsmon query --since 1m --graph 'training_loss' 2>&1 | head -n 30 || true

section "nsmon backtest: how often would the rules have fired over that run? (Prometheus's history)"
# The app's rules (30s groups, long fors) and examples/watch_rules.yml (2s groups): its recording
# rule is not on this Prometheus, so the alert that reads it is evaluated by nsmon's engine.
$nsmon backtest rules/alert_rules.yml --since 3m || status=1
$nsmon backtest examples/watch_rules.yml --since 3m || status=1

section "nsmon watch --rules: a run that diverges (--loss-spike 3); the alert fires live and fails the run"
# examples/watch_rules.yml evaluated on the scraped samples as Prometheus would (2s groups): the
# critical TrainingDiverging goes pending, fires after its 4s `for`, and --stop-on-alert stops the
# run; exit 4 (an alert at --fail-on-alert fired). --record keeps the incident as a rule test.
det2_port=$(free_port)
rules_status=0
$nsmon watch --interval 1 --rules examples/watch_rules.yml --fail-on-alert critical --stop-on-alert \
  --record "$workdir/incident.yml" --metrics-url "http://127.0.0.1:$det2_port/metrics" -- \
  $py examples/detector/detector.py --port "$det2_port" --epochs 30 --images 0 --loss-spike 3 || rules_status=$?
echo "nsmon watch --rules exited with $rules_status (4: an alert at --fail-on-alert fired)"
[ "$rules_status" -eq 4 ] || status=1
section "...and the incident is a regression test now (nsmon test-rules, promtool test rules)"
$nsmon test-rules "$workdir/incident.yml" || status=1
promtool test rules "$workdir/incident.yml" || status=1

section "nsmon test-rules: the whole alert path (series → alerts → routes → inhibition → groups → the Slack and PagerDuty text)"
# rules/alert_path_test.yml runs the app's alerts through rules/alertmanager.yml: the critical
# pages and reaches Slack, it inhibits its instance's warning, the other warning reaches Slack.
$nsmon test-rules rules/alert_path_test.yml || status=1
section "...and on the plain promtool tests, what Alertmanager would do at one eval_time (the view to write expectations from)"
$nsmon test-rules --alertmanager rules/alertmanager.yml --run '^HighErrorRate fires$' rules/alert_rules_test.yml | head -n 40 || true

section "nsmon lint-metrics: does the detector export what the catalog says? (a saved scrape)"
$nsmon lint-metrics tests/golden/metrics/detector_text/input.txt --fail-on error
section "...and a scrape with bugs planted in it"
$nsmon lint-metrics tests/golden/metrics/planted_bugs/input.txt --format github | head -n 6 || true

section "promtool accepts the seeds' original rules and config..."
promtool check config tests/data/seed/prometheus.yml 2>&1 | sed 's/^/  /'
section "...nsmon lint-rules finds their bugs, offline, with the catalog"
$nsmon lint-rules --config tests/data/seed/prometheus.yml || true
section "The corrected rules/ are clean"
$nsmon lint-rules --config rules/prometheus.yml
section "nsmon lint-rules --prometheus: the same rules against the Prometheus that scraped the run"
# Every selector is asked about on the server (server/* findings): the detector has ended, so its
# series have stopped, and the server says when and where each was last seen.
$nsmon lint-rules --prometheus "http://127.0.0.1:$prom_port" --lookback 1h rules/alert_rules.yml || true
section "nsmon lint-rules --cost: what each rule reads per evaluation, estimated and as the server counts it"
$nsmon lint-rules --cost --prometheus "http://127.0.0.1:$prom_port" --lookback 1h --config rules/prometheus.yml \
  tests/data/cost/heavy_rules.yml || true

section "nsmon gen-dashboards: the Grafana dashboards (the seeds' five and the SLOs'), rendered and checked against the catalog and the SLO rules"
$nsmon gen-dashboards --out "$workdir/dashboards"
ls "$workdir/dashboards"
section "...and dashboards/ in the repository is what templates/ gives (the CI check)"
$nsmon gen-dashboards --check
exit "$status"
