#!/usr/bin/env bash
# watch --rules against a real Prometheus (2.42) on the same samples: both scrape the same
# simulated detector every second (job nsmon-watch, so the labels are the same) and evaluate the
# same rules (examples/watch_rules.yml: 2s groups); the detector's mAP rises (ValidationMAPLow
# fires, then resolves) and later its loss diverges (--loss-spike: TrainingDiverging goes pending,
# then firing after its `for: 4s`), and the detector is stopped. Prometheus's transitions are
# read from its ALERTS series (one raw sample per evaluation), watch's from its jsonl events; the
# same alerts must go through the same transitions with the same labels and annotations, each at
# the same time within one group interval (2 s) plus one scrape interval (1 s): the two scrape at
# different phases and Prometheus offsets each group's evaluations by a hash of its name.
# Skipped (77) without Prometheus.
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null || {
  echo "prometheus not installed: skipped"
  exit 77
}
pids=()
trap stop_background EXIT
RULES="$SRC/examples/watch_rules.yml"
port=$(free_port)
prom_port=$(free_port)
cat >"$TMP/prometheus.yml" <<YML
global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 2s}
rule_files: ['$RULES']
scrape_configs: [{job_name: nsmon-watch, static_configs: [{targets: ['127.0.0.1:$port']}]}]
YML
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null || fail "Prometheus never became ready: $(cat "$TMP/prometheus.log")"
# Ready is not scraping: Prometheus's scrape manager applies the configured targets on a 5 s tick,
# so its first scrape of the port can come seconds after /-/ready. Started before that, the
# detector's first epochs were seen by watch only, and the first alert went pending on
# Prometheus's side 3.5 s after watch's (its first scrape 5.5 s after the detector started; seen
# at ctest -j2). The detector starts once Prometheus has tried the port (health "down":
# nothing listens there yet), so both scrape it from its first second.
scraping() {
  curl -fsS "http://127.0.0.1:$prom_port/api/v1/targets?state=active" 2>/dev/null | grep -q '"health":"down"'
}
for _ in $(seq 1 300); do scraping && break; sleep 0.1; done
scraping || fail "Prometheus never scraped 127.0.0.1:$port: $(cat "$TMP/prometheus.log")"

# watch attached to the detector's port (it waits until the detector answers and ends when it
# goes away), then the detector: 10 epochs at ~2.5 s each, diverging from epoch 5 (ValidationMAPLow
# has resolved by then), serving its last figures until it is stopped.
"$NSMON" watch --format jsonl --interval 1 --rules "$RULES" --metrics-url "http://127.0.0.1:$port/metrics" \
  --duration 120 >"$TMP/watch.jsonl" 2>"$TMP/watch.err" &
watch_pid=$!
pids+=($watch_pid)
/usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$port" --epochs 10 --images 0 --speed 100 \
  --loss-spike 5 --linger 120 --quiet >/dev/null 2>&1 &
det=$!
pids+=($det)
# Prometheus's /api/v1/alerts once both have TrainingDiverging firing.
firing() { grep -q '"event":"firing".*"alertname":"TrainingDiverging"' "$TMP/watch.jsonl"; }
prom_firing() {
  curl -fsS "http://127.0.0.1:$prom_port/api/v1/alerts" >"$TMP/api_alerts.json" 2>/dev/null &&
    grep -q '"alertname":"TrainingDiverging".*"state":"firing"' "$TMP/api_alerts.json"
}
for _ in $(seq 1 600); do firing && prom_firing && break; sleep 0.1; done
firing || fail "watch never had TrainingDiverging firing: $(cat "$TMP/watch.err")"
prom_firing || fail "Prometheus never had TrainingDiverging firing"
# Every transition has happened on both sides: the detector is stopped (SIGTERM: exit 143), what
# follows its run would only keep TrainingDiverging firing. What happens once it is gone (stale
# series, watch ending) is not compared: the cut is a clock read before the signal, while it still
# serves. A cut read after its end compared a "resolved" of TrainingDiverging in the gap
# (Prometheus's, inferred at its next evaluation; watch's, when it evaluates before ending) on one
# side only.
cut=$(date +%s.%N)
kill -TERM "$det"
set +e
wait "$det"
rc=$?
set -e
[ "$rc" -eq 143 ] || fail "the detector failed (exit $rc)"
set +e
wait "$watch_pid"
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "watch ended with $rc: $(cat "$TMP/watch.err")"
end=$(date +%s)
curl -fsS "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=ALERTS[10m]" \
  --data-urlencode "time=$end" >"$TMP/alerts.json" || fail "cannot query Prometheus"

/usr/bin/python3 - "$TMP/alerts.json" "$TMP/watch.jsonl" "$cut" <<'PY'
import json, sys
GROUP, SCRAPE = 2.0, 1.0
cut = float(sys.argv[3])
answer = json.load(open(sys.argv[1]))
assert answer["status"] == "success", answer

def key(labels):
    return tuple(sorted((k, v) for k, v in labels.items() if k not in ("__name__", "alertstate")))

# Prometheus: each run of consecutive ALERTS samples (one per evaluation, 2 s apart) of a state
# is a span; a pending span followed by a firing one is one activation.
prom = {}
for series in answer["data"]["result"]:
    m = series["metric"]
    times = [float(t) for t, _ in series["values"]]
    spans, start = [], times[0]
    for a, b in zip(times, times[1:]):
        if b - a > GROUP * 1.5:
            spans.append((start, a))
            start = b
    spans.append((start, times[-1]))
    for s, e in spans:
        prom.setdefault(key(m), []).append((s, m["alertstate"]))
        if m["alertstate"] == "firing":
            prom[key(m)].append((e + GROUP, "resolved"))
for k in prom:
    prom[k] = sorted(x for x in prom[k] if x[0] <= cut)

watch = {}
for line in open(sys.argv[2]):
    o = json.loads(line)
    if o["type"] != "alert":
        continue
    a = o["alert"]
    labels = dict(a["labels"])
    if o["time"] <= cut:
        watch.setdefault(key(labels), []).append((o["time"], o["event"]))

def transitions(seq):
    return [s for _, s in seq]

ok = True
report = []
for k in sorted(set(prom) | set(watch)):
    p = prom.get(k, [])
    w = watch.get(k, [])
    name = dict(k).get("alertname")
    if transitions(p) != transitions(w):
        ok = False
        report.append(f"{name}: Prometheus {p} watch {w}")
        continue
    for (tp, s), (tw, _) in zip(p, w):
        d = tw - tp
        report.append(f"{name} {s}: Prometheus {tp:.3f} watch {tw:.3f} ({d:+.3f} s)")
        if abs(d) > GROUP + SCRAPE:
            ok = False
print("\n".join(report))
names = {dict(k)["alertname"] for k in watch}
assert names == {"ValidationMAPLow", "TrainingDiverging"}, names
states = {s for v in watch.values() for _, s in v}
assert {"pending", "firing", "resolved"} <= states, states
assert ok, "watch --rules and Prometheus disagree"
PY
# Labels and the annotations that do not quote $value, as Prometheus expanded them.
/usr/bin/python3 - "$TMP/api_alerts.json" "$TMP/watch.jsonl" <<'PY'
import json, sys
api = json.load(open(sys.argv[1]))["data"]["alerts"]
prom = {a["labels"]["alertname"]: a for a in api if a["state"] == "firing"}
last = {}
for line in open(sys.argv[2]):
    o = json.loads(line)
    if o["type"] == "alert" and o["event"] == "firing":
        last[o["alert"]["alertname"]] = o["alert"]
assert set(prom) == {"TrainingDiverging"}, sorted(prom)  # mAP is high again by then
for name, a in prom.items():
    w = last[name]
    assert w["labels"] == a["labels"], (w["labels"], a["labels"])
    assert w["annotations"]["summary"] == a["annotations"]["summary"], (w["annotations"], a["annotations"])
print("labels and summaries equal for", sorted(prom))
PY
