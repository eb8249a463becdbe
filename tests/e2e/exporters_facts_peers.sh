#!/usr/bin/env bash
# rules/exporters.yml against the real exporters of this machine (Debian 12: Alertmanager 0.25,
# Prometheus 2.42, node_exporter 1.5): what each serves on /metrics agrees with the file (label
# sets of the closed exporters, closed value sets, labels added since a later version left out);
# tests/support/exporter_facts.py says how.
source "$(dirname "$0")/lib.sh"
for peer in prometheus-alertmanager prometheus prometheus-node-exporter; do command -v $peer >/dev/null || exit 77; done
pids=()
trap stop_background EXIT
facts() { /usr/bin/python3 "$SRC/tests/support/exporter_facts.py" "$SRC/rules/exporters.yml" "$@"; }
version() { "$@" --version 2>&1 | sed -n '1s/.*version \([0-9.]*\).*/\1/p'; }
# prometheus_scraping NAME PORT TARGET_PORT: Debian's Prometheus on 127.0.0.1:PORT, scraping
# 127.0.0.1:TARGET_PORT every second as job NAME; its log is $TMP/NAME-prometheus.log.
prometheus_scraping() {
  cat >"$TMP/$1-prom.yml" <<YML
global: {scrape_interval: 1s}
scrape_configs: [{job_name: $1, static_configs: [{targets: ['127.0.0.1:$3']}]}]
YML
  prometheus --config.file="$TMP/$1-prom.yml" --storage.tsdb.path="$TMP/$1-prom" \
    --web.listen-address="127.0.0.1:$2" >"$TMP/$1-prometheus.log" 2>&1 &
  pids+=("$!")
}

cat >"$TMP/am.yml" <<'YML'
route: {receiver: r}
receivers: [{name: r}]
YML
start_peer alertmanager -/ready prometheus-alertmanager --config.file="$TMP/am.yml" --storage.path="$TMP/am" \
  --web.listen-address=127.0.0.1:{port} --cluster.listen-address=
pids+=("$peer_pid")
curl -fsS "http://127.0.0.1:$peer_port/metrics" >"$TMP/am.txt"
facts Alertmanager "$(version prometheus-alertmanager)" "$TMP/am.txt"

# Prometheus scrapes itself, so that it appends samples (prometheus_tsdb_head_samples_appended_total).
prom_port=$(free_port)
prometheus_scraping p "$prom_port" "$prom_port"
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$prom_port/metrics" 2>/dev/null | grep -q '^prometheus_tsdb_head_samples_appended_total' && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$prom_port/metrics" >"$TMP/prom.txt" || fail "prometheus did not start: $(tail -5 "$TMP/p-prometheus.log")"
facts Prometheus "$(version prometheus)" "$TMP/prom.txt"
# Prometheus's HTTP clients and listener count their connections through go-conntrack.
facts go-conntrack 2f06839 "$TMP/prom.txt"

start_peer node_exporter metrics prometheus-node-exporter --web.listen-address=127.0.0.1:{port}
pids+=("$peer_pid")
curl -fsS "http://127.0.0.1:$peer_port/metrics" >"$TMP/node.txt"
facts node_exporter "$(version prometheus-node-exporter)" "$TMP/node.txt"

# What exporters/renamed-metric warns of, on one shipped bug's file: each selector of an old name in
# shipped-bugs/swarmprom-99e2c4c/before.yml (node_exporter 0.15's node_cpu, node_filesystem_free, ...)
# selects nothing on this node_exporter, a release of the years since 0.16.0, and its replacement
# selects its series. Prometheus itself evaluates both, scraping this node_exporter.
node_port=$peer_port
run --catalog none lint-rules --format json --fail-on never "$SRC/tests/data/shipped-bugs/swarmprom-99e2c4c/before.yml"
renames=$(/usr/bin/python3 -c '
import json, re, sys
for f in json.load(sys.stdin)["findings"]:
    if f["check"] == "exporters/renamed-metric" and f["severity"] == "warning":
        print(*re.match(r"node_exporter 0\.16\.0 \(2018\) replaced (\w+) with (\w+),", f["message"]).groups())
' <<<"$out" | sort -u)
[ "$(wc -l <<<"$renames")" -ge 5 ] || fail "expected renamed-metric warnings on swarmprom's node_exporter 0.15 names: $out"
scrape_port=$(free_port)
prometheus_scraping node "$scrape_port" "$node_port"
# count(SELECTOR) as Prometheus evaluates it: the number of series, or "none".
count() {
  curl -fsS "http://127.0.0.1:$scrape_port/api/v1/query" --data-urlencode "query=count($1)" |
    /usr/bin/python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'
}
for _ in $(seq 1 100); do [ "$(count 'up{job="node"} == 1' 2>/dev/null)" = 1 ] && break; sleep 0.2; done
[ "$(count 'up{job="node"} == 1')" = 1 ] || fail "prometheus did not scrape node_exporter: $(tail -5 "$TMP/node-prometheus.log")"
while read -r old new; do
  [ "$(count "$old")" = none ] || fail "$old selects series on node_exporter $(version prometheus-node-exporter)"
  [ "$(count "$new")" != none ] || fail "$new, which replaced $old, selects nothing on node_exporter $(version prometheus-node-exporter)"
done <<<"$renames"
echo "node_exporter $(version prometheus-node-exporter): swarmprom-99e2c4c's $(wc -l <<<"$renames") old names select nothing, their replacements select series"
