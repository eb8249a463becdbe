#!/usr/bin/env bash
# Prometheus in the loop (issue 16's integration test): a real Prometheus (Debian 2.42) scrapes the
# simulated detector and evaluates the application's rules (rules/alert_rules.yml), sending its
# alerts to a real Alertmanager (Debian 0.25) that runs rules/alertmanager.yml with every receiver
# turned into a webhook to a local server. For each alert Alertmanager holds, the receivers that
# got it must be the ones `nsmon routes test` predicts, and Alertmanager must mute exactly the
# alerts nsmon says are inhibited (by the rule nsmon names).
#
# The rules run from a test copy, changed only in time: evaluation every second, for: 0s,
# keep_firing_for: 10m (an alert stays once it fired) and rate windows of 15s instead of 5m, so
# that alerts fire within seconds. Their expressions' shape and labels, which routing depends on,
# are the application's. The detector runs one epoch (so its loss and mAP stay at their epoch-1
# values: TrainingLossHigh and ValidationMAPLow fire) and then inference with errors
# (HighErrorRate, critical, which inhibits the warnings of its instance).
source "$(dirname "$0")/lib.sh"
for c in prometheus prometheus-alertmanager; do
  command -v "$c" >/dev/null || { echo "$c not installed: skipped"; exit 77; }
done
/usr/bin/python3 -c 'import prometheus_client, yaml' 2>/dev/null || { echo "python3-prometheus-client/yaml missing: skipped"; exit 77; }
trap 'kill_leftovers; rm -rf "$TMP"' EXIT
PYTHONPATH="$SRC/tests/e2e" /usr/bin/python3 - "$NSMON" "$SRC" "$TMP" <<'EOF_PY'
import json, re, subprocess, sys, time, urllib.request
from webhook_sink import free_port, start_webhook_sink
import yaml

nsmon, src, tmp = sys.argv[1:4]
procs = []

def get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.loads(r.read() or b"null")

def wait_for(what, pred, seconds):
    end = time.time() + seconds
    while time.time() < end:
        try:
            if pred(): return
        except Exception:
            pass
        time.sleep(0.1)
    raise SystemExit(f"FAIL: timed out after {seconds} s waiting for {what}")

def start(args, log):
    p = subprocess.Popen(args, stdout=open(f"{tmp}/{log}.log", "w"), stderr=subprocess.STDOUT)
    procs.append(p)
    return p

# The webhook server: which receiver (the path) got which alert (its labels).
hook, got, lock = start_webhook_sink()  # (receiver, labels) per notified firing alert

# rules/alertmanager.yml as it is (routes, inhibit rules), its receivers webhooks to the server,
# notifications without waiting.
am_cfg = yaml.safe_load(open(f"{src}/rules/alertmanager.yml"))
am_cfg.pop("global", None)
names = [r["name"] for r in am_cfg["receivers"]]
am_cfg["receivers"] = [{"name": n, "webhook_configs": [{"url": f"http://127.0.0.1:{hook.server_port}/{n}"}]}
                       for n in names]
am_cfg["route"].update({"group_by": ["..."], "group_wait": "0s", "group_interval": "1s", "repeat_interval": "1s"})
yaml.safe_dump(am_cfg, open(f"{tmp}/am.yml", "w"))

# The rules' test copy (time only).
rules = yaml.safe_load(open(f"{src}/rules/alert_rules.yml"))
for g in rules["groups"]:
    g["interval"] = "1s"
    for r in g["rules"]:
        r["for"] = "0s"
        r["keep_firing_for"] = "10m"
        r["expr"] = re.sub(r"\[5m\]", "[15s]", r["expr"])
yaml.safe_dump(rules, open(f"{tmp}/alert_rules.yml", "w"))

det_port, am_port, prom_port = free_port(), free_port(), free_port()
open(f"{tmp}/prometheus.yml", "w").write(f"""global: {{scrape_interval: 1s, evaluation_interval: 1s}}
rule_files: ['{tmp}/alert_rules.yml']
alerting:
  alertmanagers: [{{static_configs: [{{targets: ['127.0.0.1:{am_port}']}}]}}]
scrape_configs:
  - job_name: neurosymbolic-app
    static_configs: [{{targets: ['127.0.0.1:{det_port}']}}]
""")

t0 = time.time()
try:
    start(["/usr/bin/python3", f"{src}/examples/detector/detector.py", "--port", str(det_port), "--epochs", "1",
           "--images", "4000", "--speed", "400", "--linger", "120", "--quiet"], "detector")
    # Prometheus first (re-sending its alerts every second), Alertmanager once Prometheus has a
    # critical alert (the inhibiting kind) and the two warnings of the training phase: so that
    # Alertmanager sees them together, as after an outage, and its notifications show where each
    # goes with the inhibitions in force.
    start(["prometheus", f"--config.file={tmp}/prometheus.yml", f"--storage.tsdb.path={tmp}/prom",
           f"--web.listen-address=127.0.0.1:{prom_port}", "--rules.alert.resend-delay=1s", "--log.level=error"],
          "prometheus")
    def ready(port):
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1).status == 200
    wait_for("Prometheus ready", lambda: ready(prom_port), 30)
    def prom_firing():
        return [a for a in get(f"http://127.0.0.1:{prom_port}/api/v1/alerts")["data"]["alerts"]
                if a["state"] == "firing"]
    wait_for("Prometheus's alerts", lambda: {"HighErrorRate", "TrainingLossHigh", "ValidationMAPLow"} <= {
        a["labels"]["alertname"] for a in prom_firing()}, 45)
    start(["prometheus-alertmanager", f"--config.file={tmp}/am.yml", f"--storage.path={tmp}/am",
           f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address=", "--log.level=error"], "alertmanager")
    wait_for("Alertmanager ready", lambda: ready(am_port), 30)

    def am_alerts():
        return [a for a in get(f"http://127.0.0.1:{am_port}/api/v2/alerts") if a["status"]["state"] != "unprocessed"]
    want = {json.dumps(a["labels"], sort_keys=True) for a in prom_firing()}
    wait_for("Prometheus's alerts in Alertmanager", lambda: want <= {
        json.dumps(a["labels"], sort_keys=True) for a in am_alerts()}, 20)
    alerts = am_alerts()
    firing = [a["labels"] for a in alerts]

    # nsmon's predictions: one case per alert, with all of them firing.
    cases = {"cases": [{"name": f"alert {i}", "labels": l, "firing": [f for f in firing if f != l]}
                       for i, l in enumerate(firing)]}
    yaml.safe_dump(cases, open(f"{tmp}/cases.yml", "w"))
    out = subprocess.run([nsmon, "routes", "test", "--alertmanager", f"{src}/rules/alertmanager.yml", "--cases",
                          f"{tmp}/cases.yml", "--format", "json"], capture_output=True, text=True)
    predicted = json.loads(out.stdout)["cases"]
    # Each alert that nsmon says is not muted must reach the receivers nsmon predicts.
    def delivered(labels):
        with lock:
            return sorted(r for r, l in got if l == labels)
    expect = {json.dumps(l, sort_keys=True): ([] if p["inhibited_by_rule_at_line"] else sorted(p["receivers"]), p)
              for l, p in zip(firing, predicted)}
    # Alertmanager notifies again every second (repeat_interval 1s) what is not muted. Once it says
    # which alerts it mutes, count the notifications from then on until each predicted one came
    # twice: every alert's group has then been flushed at least once with the inhibitions known.
    def by_labels():  # Alertmanager's view of each alert nsmon was asked about
        now = {json.dumps(a["labels"], sort_keys=True): a for a in am_alerts()}
        return [now[json.dumps(l, sort_keys=True)] for l in firing]
    wait_for("Alertmanager's inhibitions", lambda: all(
        (a["status"]["state"] == "suppressed") == bool(p["inhibited_by_rule_at_line"])
        for a, p in zip(by_labels(), predicted)), 20)
    with lock:
        got.clear()
    wait_for("notifications as nsmon predicted", lambda: all(
        all(delivered(json.loads(k)).count(r) >= 2 for r in e) for k, (e, _) in expect.items() if e), 20)
    alerts = by_labels()

    failures, rows = 0, []
    by_fp = {a["fingerprint"]: a["labels"]["alertname"] for a in am_alerts()}
    for a, p in zip(alerts, predicted):
        l = a["labels"]
        muted = bool(p["inhibited_by_rule_at_line"])
        am_muted = a["status"]["state"] == "suppressed" and bool(a["status"]["inhibitedBy"])
        got_now = sorted(set(delivered(l)))
        ok = muted == am_muted and (muted or got_now == sorted(p["receivers"]))
        failures += 0 if ok else 1
        who = ",".join(sorted(by_fp.get(f, f) for f in a["status"]["inhibitedBy"]))
        other = ", ".join(f"{k}={v}" for k, v in sorted(l.items()) if k not in ("alertname", "severity", "job"))
        rows.append((ok, l["alertname"], l["severity"], other, ", ".join(p["receivers"]),
                     f"inhibited (rule at line {p['inhibited_by_rule_at_line'][0]})" if muted else "-",
                     ", ".join(got_now) or "(none)", f"suppressed by {who}" if am_muted else a["status"]["state"]))
    print("| alert | severity | other labels | nsmon: receivers | nsmon: inhibition | "
          "Alertmanager: notified (inhibitions in force) | Alertmanager: state |")
    print("|---|---|---|---|---|---|---|")
    for ok, *cols in rows:
        print("| " + " | ".join(cols) + " |" + ("" if ok else "  <-- DIFFERS"))
    n_muted = sum(1 for r in rows if r[5] != "-")
    print(f"{len(rows)} alerts from Prometheus: Alertmanager agreed with nsmon on {len(rows) - failures}; "
          f"{n_muted} inhibited; {time.time() - t0:.1f} s")
    # The loop must show both a delivery and an inhibition, or it proves nothing.
    sys.exit(1 if failures or n_muted == 0 or n_muted == len(rows) else 0)
finally:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
EOF_PY
