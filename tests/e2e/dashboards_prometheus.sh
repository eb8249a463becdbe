#!/usr/bin/env bash
# The generated dashboards against a real Prometheus (2.42), one failure at a time: each scenario
# of dashboards_prometheus.py is one simulated detector with one failure switch (a diverging or
# stuck loss, a latency spike with SAHI, a throughput drop, an error burst in one stage, a GPU
# memory leak, failing Prolog queries, a growing knowledge graph), all running at once on their
# own ports. One Prometheus scrapes them every second (job neurosymbolic-app, each its own
# instance) and evaluates rules/alert_rules.yml and rules/slo_rules.yml. Once every detector has
# written its truth file, each check takes a panel of dashboards/*.json by its title, sends its
# queries through /api/v1/query as Grafana sends them with "All" selected and $instance the
# scenario's detector, and compares what the panel would show with the detector's ground truth,
# within the tolerances that follow from how Prometheus computes (dashboards_prometheus.py says
# which and why). A panel not generated yet is skipped with a note.
#
# rules/alert_rules.yml's groups run every 30s and HighErrorRate waits `for: 2m`, minutes of wall
# time: Prometheus loads a copy with each interval 1s and each `for:` divided by 60, the
# expressions unchanged. rules/slo_rules.yml is loaded as it is (its groups take the global 1s).
# DASHBOARDS=DIR checks the dashboards of DIR instead of the repository's (e.g. an older commit's,
# from `git archive`, to see which checks they fail). Skipped (77) without Prometheus or the
# detector's Python modules.
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null || {
  echo "prometheus not installed: skipped"
  exit 77
}
/usr/bin/python3 -c 'import prometheus_client, yaml' 2>/dev/null || {
  echo "python3-prometheus-client or python3-yaml not installed: skipped"
  exit 77
}
HELPER="$SRC/tests/e2e/dashboards_prometheus.py"
DASHBOARDS=${DASHBOARDS:-$SRC/dashboards}
pids=()
trap stop_background EXIT

# One port per scenario, known before Prometheus starts so that it scrapes each from the start.
names=()
declare -A options port
while read -r name opts; do
  names+=("$name")
  options[$name]=$opts
  port[$name]=$(free_port)
  echo "$name ${port[$name]}" >>"$TMP/ports"
done < <(/usr/bin/python3 "$HELPER" scenarios)
[ "${#names[@]}" -gt 0 ] || fail "no scenarios"

/usr/bin/python3 "$HELPER" scale-rules "$SRC/rules/alert_rules.yml" "$TMP/alert_rules.yml"
prom_port=$(free_port)
{
  echo "global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}"
  echo "rule_files: ['$TMP/alert_rules.yml', '$SRC/rules/slo_rules.yml']"
  echo "scrape_configs:"
  echo "  - job_name: neurosymbolic-app"
  echo "    static_configs:"
  for name in "${names[@]}"; do echo "      - targets: ['127.0.0.1:${port[$name]}']"; done
} >"$TMP/prometheus.yml"
range_from=$(date +%s)
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
pids+=($!)
PROM="http://127.0.0.1:$prom_port"
for _ in $(seq 1 300); do curl -fsS "$PROM/-/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$PROM/-/ready" >/dev/null || fail "Prometheus never became ready: $(cat "$TMP/prometheus.log")"
# Ready is not scraping: the scrape manager applies its targets on a 5 s tick. The detectors start
# once Prometheus has tried every port (nothing listens yet), so it scrapes each from its first
# second and every counter's first sample is 0, which the checks' tolerances rely on.
tried() {
  curl -fsS "$PROM/api/v1/targets?state=active" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
targets = json.load(sys.stdin)["data"]["activeTargets"]
sys.exit(0 if len(targets) == int(sys.argv[1]) and all(not t["lastScrape"].startswith("0001") for t in targets) else 1)
' "${#names[@]}"
}
for _ in $(seq 1 300); do tried && break; sleep 0.1; done
tried || fail "Prometheus never tried its ${#names[@]} targets: $(cat "$TMP/prometheus.log")"

declare -A det
for name in "${names[@]}"; do
  # shellcheck disable=SC2086 # the scenario's options are words
  /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "${port[$name]}" ${options[$name]} \
    --linger 600 --quiet --truth "$TMP/$name.truth.json" >"$TMP/$name.log" 2>&1 &
  det[$name]=$!
  pids+=($!)
done

# Each detector's run is over when its truth file is written; it goes on serving its final
# figures (--linger) until the test ends.
start=$(date +%s)
for name in "${names[@]}"; do
  until [ -s "$TMP/$name.truth.json" ]; do
    kill -0 "${det[$name]}" 2>/dev/null || fail "detector $name (${options[$name]}) ended early: $(tail -3 "$TMP/$name.log")"
    [ $(($(date +%s) - start)) -lt 150 ] || fail "detector $name did not finish in 150 s"
    sleep 0.2
  done
done
echo "detectors done in $(($(date +%s) - start)) s"

/usr/bin/python3 - "$TMP/run.json" "$PROM" "$range_from" "$SRC" "$TMP" "$DASHBOARDS" "${names[@]}" <<'PY'
import json, sys
path, prom, range_from, src, tmp, dashboards, *names = sys.argv[1:]
ports = dict(line.split() for line in open(f"{tmp}/ports"))
json.dump({"prometheus": prom, "range_from": float(range_from) - 10,
           "dashboards": dashboards, "catalog": f"{src}/rules/catalog.yml",
           "scenarios": {n: {"instance": f"127.0.0.1:{ports[n]}", "truth": f"{tmp}/{n}.truth.json"}
                         for n in names}}, open(path, "w"), indent=1)
PY
/usr/bin/python3 "$HELPER" check "$TMP/run.json" || fail "a dashboard panel disagrees with the detectors' truth (above)"
