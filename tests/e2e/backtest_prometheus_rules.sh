#!/usr/bin/env bash
# backtest against Prometheus's own rule evaluation on the same data: a live Prometheus 2.42 scrapes
# a signal every second and evaluates three alerts on it every second (for, keep_firing_for, a plain
# one that flaps); the episodes its ALERTS series show are the episodes nsmon backtest finds
# afterwards over the same range, to two seconds (Prometheus evaluates and scrapes at sub-second
# offsets of its own, backtest on whole seconds).
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null || exit 77
trap 'kill_leftovers; rm -rf "$TMP"' EXIT

# The signal: 1 from 6 to 14 s after the exporter starts (its start in $TMP/t0) and from 17 to
# 19 s, else 0.
cat >"$TMP/exporter.py" <<'PY'
import sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
T0 = time.time()
open(sys.argv[2], "w").write(repr(T0))
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        e = time.time() - T0
        v = 1 if 6 <= e < 14 or 17 <= e < 19 else 0
        body = ("# TYPE bt_signal gauge\nbt_signal{lane=\"a\"} %d\n" % v).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
cat >"$TMP/rules.yml" <<'EOF'
groups:
  - name: signal
    interval: 1s
    rules:
      - alert: Held
        expr: bt_signal > 0.5
        for: 5s
      - alert: Kept
        expr: bt_signal > 0.5
        keep_firing_for: 4s
      - alert: Plain
        expr: bt_signal > 0.5
EOF

start_peer exporter metrics /usr/bin/python3 "$TMP/exporter.py" {port} "$TMP/t0"
exporter_port=$peer_port
cat >"$TMP/prom.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [$TMP/rules.yml]
scrape_configs:
  - job_name: signal
    static_configs: [{targets: ['127.0.0.1:$exporter_port']}]
EOF
start=$(date +%s)
start_peer prometheus -/ready prometheus --config.file="$TMP/prom.yml" --storage.tsdb.path="$TMP/data" \
  --web.listen-address=127.0.0.1:{port}
PROM="http://127.0.0.1:$peer_port"
# The whole signal and the last keep_firing_for: once the signal is over, until Prometheus has no
# alert left (Kept has resolved); then a few evaluations more.
signal_over=$(($(cut -d. -f1 "$TMP/t0") + 20))
[ "$EPOCHSECONDS" -ge "$signal_over" ] || sleep $((signal_over - EPOCHSECONDS))
no_alerts() { curl -fsS "$PROM/api/v1/alerts" 2>/dev/null | grep -q '"alerts":\[\]'; }
for _ in $(seq 1 240); do no_alerts && break; sleep 0.5; done
no_alerts || fail "Prometheus still has alerts 2 minutes on: $(curl -sS "$PROM/api/v1/alerts")"
sleep 3
end=$(date +%s)

# Prometheus's episodes: runs of ALERTS{alertstate="firing"} samples one evaluation apart; each
# ends at the evaluation after its last sample.
curl -fsS "$PROM/api/v1/query" --data-urlencode 'query=ALERTS{alertstate="firing"}[5m]' \
  --data-urlencode "time=$end" >"$TMP/alerts.json" || fail "cannot read ALERTS"
run backtest "$TMP/rules.yml" --prometheus "$PROM" --start "$start" --end "$end" -o json
expect_rc 0
cat >"$TMP/compare.py" <<'PY'
import json, sys
from datetime import datetime
prom = {}
for s in json.load(open(sys.argv[1]))["data"]["result"]:
    name, ts = s["metric"]["alertname"], [float(t) for t, _ in s["values"]]
    runs = [[ts[0], ts[0]]]
    for t in ts[1:]:
        if t - runs[-1][1] > 1.5: runs.append([t, t])
        else: runs[-1][1] = t
    prom[name] = [(a, b + 1) for a, b in runs]
def t(x): return datetime.fromisoformat(x.replace("Z", "+00:00")).timestamp()
mine = {a["alertname"]: [(t(e["start"]), t(e["end"])) for e in a["episodes"]] for a in json.load(sys.stdin)["alerts"]}
print("prometheus:", prom, file=sys.stderr)
print("backtest:  ", mine, file=sys.stderr)
assert sorted(prom) == ["Held", "Kept", "Plain"], prom
assert [len(prom[n]) for n in ("Held", "Kept", "Plain")] == [1, 1, 2], prom
for name, episodes in prom.items():
    assert len(mine[name]) == len(episodes), (name, mine[name], episodes)
    for (ps, pe), (ms, me) in zip(episodes, mine[name]):
        assert abs(ps - ms) <= 2 and abs(pe - me) <= 2, (name, (ps, pe), (ms, me))
PY
/usr/bin/python3 "$TMP/compare.py" "$TMP/alerts.json" <<<"$out" 2>"$TMP/compare.log" ||
  fail "episodes differ: $(cat "$TMP/compare.log")"

# A metric the server has no series of: the rule fired 0 times for want of data, which the table
# says; when no rule has any data (a wrong server or range), the backtest checked nothing and fails.
printf 'groups:\n  - name: m\n    rules:\n      - alert: Missing\n        expr: bt_queue_depth > 5\n' >"$TMP/missing.yml"
run backtest "$TMP/missing.yml" --prometheus "$PROM" --start "$start" --end "$end"
expect_rc 1
expect_out "Missing: the server has no series of bt_queue_depth in the range, nor of anything else it reads"
expect_err "has none of the metrics the rules read from"
sed 1d "$TMP/missing.yml" >>"$TMP/rules.yml"
run backtest "$TMP/rules.yml" --prometheus "$PROM" --start "$start" --end "$end"
expect_rc 0
expect_out "no data"
echo ok
