#!/usr/bin/env bash
# Captures the real-exposition corpus in tests/data/expfmt/ from Debian's node exporter,
# Prometheus's own /metrics and a Python prometheus_client app, each in the text format and (where
# the server negotiates it) OpenMetrics. Everything binds 127.0.0.1 and every process started is
# stopped by its pid. Run by hand to refresh the corpus; the tests read the committed files.
#
#   tests/data/expfmt/capture.sh [OUTDIR]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

om='Accept: application/openmetrics-text; version=1.0.0'

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_for URL: polls until it answers 200 (at most 20 s).
wait_for() {
  for _ in $(seq 1 200); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  return 1
}

# capture NAME URL: text and OpenMetrics forms, as the server sends them.
capture() {
  curl -sf "$2" -o "$out/$1.txt"
  curl -sf -H "$om" -D "$work/h" "$2" -o "$work/om"
  if grep -qi '^content-type: application/openmetrics-text' "$work/h"; then
    mv "$work/om" "$out/$1.om.txt"
  else
    echo "$1: no OpenMetrics form" >&2
  fi
}

# 1. node exporter (~1000 series).
port=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" >"$work/node.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port/metrics"
capture node_exporter "http://127.0.0.1:$port/metrics"

# 2. Prometheus's own /metrics (no scrape targets: it talks to nothing).
port=$(free_port)
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$port" >"$work/prom.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port/-/ready"
capture prometheus "http://127.0.0.1:$port/metrics"

# 3. prometheus_client (Debian's python3-prometheus-client): every metric type, labels that need
#    escaping, and an exemplar (OpenMetrics only).
port=$(free_port)
/usr/bin/python3 "$here/client_app.py" "$port" >"$work/py.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port/metrics"
capture python_client "http://127.0.0.1:$port/metrics"

# Cross-check the text forms with promtool: it must parse them (lint findings are fine).
for f in "$out"/*.txt; do
  case "$f" in *.om.txt) continue ;; esac
  if promtool check metrics <"$f" 2>&1 | grep -q 'error while linting'; then
    echo "promtool cannot parse $f" >&2
    exit 1
  fi
done
ls -l "$out"
