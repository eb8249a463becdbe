#!/usr/bin/env bash
# nsmon routes test's predictions against the real Alertmanager (Debian's prometheus-alertmanager,
# loopback ports): for each case of tests/data/alertmanager/routing_cases.yml, an Alertmanager runs
# tests/data/alertmanager/routing.yml with every receiver turned into a webhook to a local server;
# the case's firing alerts are posted first, then its alert; the receivers that get each alert
# must be the ones nsmon predicted, and an alert nsmon says is inhibited must reach none.
# (Alerts are posted to Alertmanager's API here; routes_prometheus.sh has Prometheus in the loop.)
source "$(dirname "$0")/lib.sh"
command -v prometheus-alertmanager >/dev/null || { echo "prometheus-alertmanager not installed: skipped"; exit 77; }
trap 'kill_leftovers; rm -rf "$TMP"' EXIT
PYTHONPATH="$SRC/tests/e2e" /usr/bin/python3 - "$NSMON" "$SRC/tests/data/alertmanager" "$TMP" <<'EOF_PY'
import json, subprocess, sys, time, urllib.request
from webhook_sink import free_port, start_webhook_sink

nsmon, data, tmp = sys.argv[1:4]

hook, got, lock = start_webhook_sink()  # (receiver, labels) per notified firing alert

# The routing under test, every receiver a webhook to the hook server; one notification per alert.
src = open(f"{data}/routing.yml").read()
head, _, _ = src.partition("\nreceivers:")
names = [l.split("name:")[1].strip() for l in src.partition("\nreceivers:")[2].splitlines() if "name:" in l]
config = head.replace("group_by: [alertname]", "group_by: ['...']\n  group_wait: 0s\n  group_interval: 1s")
config += "\nreceivers:\n" + "".join(
    f"  - name: {n}\n    webhook_configs:\n      - url: http://127.0.0.1:{hook.server_port}/{n}\n" for n in names)
open(f"{tmp}/am.yml", "w").write(config)

def predict(labels):
    out = subprocess.run([nsmon, "routes", "test", "--alertmanager", f"{data}/routing.yml", "--format", "json"] +
                         [f"{k}={v}" for k, v in labels.items()], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["receivers"]

cases = json.loads(subprocess.run([nsmon, "routes", "test", "--alertmanager", f"{data}/routing.yml", "--cases",
                                   f"{data}/routing_cases.yml", "--format", "json"],
                                  capture_output=True, text=True).stdout)["cases"]
import yaml  # python3-yaml: the case definitions (labels, firing)
defs = yaml.safe_load(open(f"{data}/routing_cases.yml"))["cases"]

def wait_for(pred, seconds):
    end = time.time() + seconds
    while time.time() < end:
        with lock:
            if pred(): return True
        time.sleep(0.05)
    return False

def post(port, alerts):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v2/alerts", data=json.dumps(
        [{"labels": a} for a in alerts]).encode(), headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5).read()

def delivered(labels):
    return sorted(r for r, l in got if l == labels)

failures, rows = 0, []
for i, (d, c) in enumerate(zip(defs, cases)):
    port = free_port()
    am = subprocess.Popen(["prometheus-alertmanager", f"--config.file={tmp}/am.yml", f"--storage.path={tmp}/am{i}",
                           f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=error"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = False
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1); ready = True; break
            except Exception:
                time.sleep(0.05)
        assert ready, "Alertmanager did not start"
        with lock: got.clear()
        target = {k: str(v) for k, v in d["labels"].items()}
        firing = [{k: str(v) for k, v in f.items()} for f in d.get("firing", [])]
        # The firing alerts first, and until each has reached the receivers nsmon predicts for it.
        if firing:
            post(port, firing)
            assert wait_for(lambda: all(delivered(f) == sorted(predict(f)) for f in firing), 10), \
                f"case {c['name']}: firing alerts not delivered as predicted: {got}"
        post(port, [target])
        expected = [] if c["inhibited_by_rule_at_line"] else sorted(c["receivers"])
        if expected:
            wait_for(lambda: delivered(target) == expected, 10)
        time.sleep(1.2)  # then a group interval more, for anything unexpected
        with lock: actual = delivered(target)
        ok = actual == expected
        failures += 0 if ok else 1
        rows.append((ok, c["name"], ",".join(expected) or "(inhibited)", ",".join(actual) or "(none)"))
    finally:
        am.terminate(); am.wait(10)

for ok, name, exp, act in rows:
    print(f"{'OK  ' if ok else 'DIFF'}  {name}: nsmon {exp}, Alertmanager {act}")
print(f"{len(rows)} cases: Alertmanager delivered as nsmon predicted for {len(rows) - failures}")
sys.exit(1 if failures or len(rows) < 10 else 0)
EOF_PY
