# Sourced by the query_*.sh e2e tests (after lib.sh): starts the simulated detector and a real
# Prometheus scraping it (with one recording and one always-firing alerting rule) on free loopback
# ports, waits until Prometheus holds the detector's final state, and stops both on exit.
# EXTRA_RULES: one more rule file for Prometheus to evaluate. Sets PROM (the server URL) and DET_PORT.
PIDS=()
stop_peers() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap stop_peers EXIT

# The detector's run ends after IMAGES images; it keeps serving its final state for a while.
start_peers() {
  local images=${IMAGES:-20}
  DET_PORT=$(free_port)
  /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$DET_PORT" --epochs 1 --images "$images" \
    --speed 500 --seed 3 --linger 300 --quiet >"$TMP/detector.log" 2>&1 &
  PIDS+=($!)
  local port
  port=$(free_port)
  cat >"$TMP/rules.yml" <<'YML'
groups:
  - name: nsmon-e2e
    rules:
      - record: job:images_processed:sum
        expr: sum by (job) (images_processed_total)
      - alert: AlwaysFiring
        expr: vector(1)
        labels: {severity: info}
        annotations: {summary: "fires on purpose"}
YML
  cat >"$TMP/prometheus.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ['$TMP/rules.yml'${EXTRA_RULES:+, '$EXTRA_RULES'}]
scrape_configs:
  - job_name: neurosymbolic-app
    static_configs: [{targets: ['127.0.0.1:$DET_PORT']}]
YML
  prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
    --web.listen-address="127.0.0.1:$port" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
  PIDS+=($!)
  PROM="http://127.0.0.1:$port"
  local i
  for i in $(seq 1 300); do
    if curl -sf "$PROM/api/v1/query?query=sum(images_processed_total)" 2>/dev/null | grep -q "\"$images\"\]"; then
      sleep 1 # so that "now" in whole seconds is after the first scrape of the final state
      return 0
    fi
    sleep 0.2
  done
  fail "Prometheus never saw the detector's $images images; log: $(tail -5 "$TMP/prometheus.log")"
}
