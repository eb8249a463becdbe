#!/usr/bin/env bash
# nsmon routes test --alerts against the real Alertmanager 0.25 (Debian's prometheus-alertmanager
# on loopback) on the shapes where they once differed (issue 48), tests/data/alertmanager/
# dispatch_shapes.yml with every receiver posting to a local sink:
#   - routes written with match_re: the groupKey prints each regex anchored (^(?:re)$), the
#     matchers sorted after anchoring;
#   - labels whose value is empty (or null): the API drops them, so {alertname="B", job=""} groups
#     with {alertname="C"} under group_by [job], has the fingerprint of {alertname="B"}, is one
#     alert with its twin that lacks the label, and an invalid name with an empty value is no error;
#   - times written with an offset, "-00:00", nanoseconds or trailing zeros: kept as written
#     (RFC3339Nano at their own offset) in the webhook's startsAt and a resolved alert's endsAt,
#     and in a Slack text that prints {{ .StartsAt }} and {{ .EndsAt }} (time.Time's String():
#     "2024-05-01 13:00:00.123456789 +0100 +0100", "... +0000 UTC" at offset 0) and their Unix
#     and UnixMilli.
# Compared: each webhook delivery byte for byte (groupKey, groupLabels, alerts with fingerprints,
# startsAt, endsAt), the groups of GET /api/v2/alerts/groups (receiver, labels, fingerprints) and
# the alerts of GET /api/v2/alerts (labels, fingerprint). Prints N/N agree; exits 1 on a difference.
source "$(dirname "$0")/lib.sh"
command -v prometheus-alertmanager >/dev/null || { echo "prometheus-alertmanager not installed: skipped"; exit 77; }
trap 'kill_leftovers; rm -rf "$TMP"' EXIT
PYTHONPATH="$SRC/tests/e2e" /usr/bin/python3 - "$NSMON" "$SRC/tests/data/alertmanager" "$TMP" <<'EOF_PY'
import json, subprocess, sys, time, urllib.request
from datetime import datetime, timedelta, timezone
from webhook_sink import (Comparison, compare_webhooks, post_alerts, start_alertmanager, start_recording_sink,
                          wait_for_flushes)

nsmon, data, tmp = sys.argv[1:4]
sink, posts, lock = start_recording_sink()
hook = f"http://127.0.0.1:{sink.server_port}"
open(f"{tmp}/am.yml", "w").write(open(f"{data}/dispatch_shapes.yml").read().replace("HOOK", hook))

# A time as a client may write it: `ms` at an offset of `minutes` east of UTC ("Z" for None,
# "-00:00"/"+00:00" as given), with `extra` digits after the milliseconds.
def ts(ms, minutes=None, extra="", zone=None):
    off = minutes or 0
    t = datetime.fromtimestamp(ms // 1000, tz=timezone(timedelta(minutes=off)))
    frac = "." + "%03d" % (ms % 1000) + extra if ms % 1000 or extra else ""
    if zone is None:
        zone = "Z" if minutes is None else "%s%02d:%02d" % ("-" if off < 0 else "+", abs(off) // 60, abs(off) % 60)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + frac + zone

# Every time is within group_wait of the POST, so each group flushes once, after group_wait, with
# all its alerts; resolved ones started 1 s before and ended 0.5 s before.
def make_alerts():
    now, whole = now_ms, now_ms - now_ms % 1000
    def a(labels, starts, ends=None):
        x = {"labels": labels, "annotations": {}, "startsAt": starts}
        if ends: x["endsAt"] = ends
        return x
    return [
        # match_re: the groupKey's anchored regexes.
        a({"alertname": "A", "service": "foo"}, ts(now, 60, "456789")),
        a({"alertname": "A2", "service": "bar"}, ts(now)),
        a({"alertname": "D", "team": "db", "env": "prod1", "service": "x", "instance": ""}, ts(now)),
        a({"alertname": "S", "x": "a"}, ts(now)),
        # Empty label values: dropped before grouping and fingerprinting.
        a({"alertname": "B", "team": "jobs", "job": ""}, ts(now)),
        a({"alertname": "C", "team": "jobs"}, ts(now)),
        a({"alertname": "H", "team": "jobs", "job": None}, ts(now)),
        a({"alertname": "J", "team": "jobs", "job": "j1"}, ts(now)),
        a({"alertname": "F", "y": "1", "job": ""}, ts(now)),
        a({"alertname": "F", "y": "1"}, ts(now)),  # the same alert as the one before
        a({"alertname": "G", "0bad": ""}, ts(now)),  # an invalid name, but its value is empty
        # Offsets and fractions, kept as written.
        a({"alertname": "T", "i": "1"}, ts(now, -330)),
        a({"alertname": "T", "i": "2"}, ts(now - 1000), ts(now - 500, 120)),  # resolved
        a({"alertname": "T", "i": "3"}, ts(now, zone="-00:00")),
        a({"alertname": "T", "i": "4"}, ts(now, 840, "1000")),
        a({"alertname": "T", "i": "5"}, ts(now, extra="000001", zone="+00:00")),
        a({"alertname": "T", "i": "6"}, ts(now, 60), ts(now + 3600_000, 120)),  # firing: its end not shown
        a({"alertname": "T", "i": "7"}, ts(whole, -330, "000200")),
    ]

am, external = start_alertmanager(f"{tmp}/am.yml", tmp)
try:
    now_ms = int(time.time() * 1000)
    alerts = make_alerts()
    open(f"{tmp}/alerts.json", "w").write(json.dumps(alerts, indent=1))
    post_alerts(external, alerts)  # 200: Alertmanager takes every alert
    wait_for_flushes(posts, lock, group_wait=3)
    am_groups = json.loads(urllib.request.urlopen(f"{external}/api/v2/alerts/groups", timeout=5).read())
    am_alerts = json.loads(urllib.request.urlopen(f"{external}/api/v2/alerts", timeout=5).read())
finally:
    am.terminate(); am.wait(10)

compare = Comparison()
def predict(path):
    return subprocess.run([nsmon, "routes", "test", "--alertmanager", f"{tmp}/am.yml", "--alerts", path, "--time",
                           "%d.%03d" % (now_ms // 1000, now_ms % 1000), "--external-url", external, "--format", "json"],
                          capture_output=True, text=True)
run = predict(f"{tmp}/alerts.json")
compare("alerts file", "every alert Alertmanager took (its POST answered 200)",
        run.stderr.strip() if run.returncode else "read", "read")
if run.returncode != 0:
    # Compare the rest: the alerts with a null value or an invalid name left out (their groups
    # then differ too).
    kept = [x for x in alerts if "0bad" not in x["labels"] and None not in x["labels"].values()]
    open(f"{tmp}/kept.json", "w").write(json.dumps(kept))
    run = predict(f"{tmp}/kept.json")
    if run.returncode != 0: sys.exit("nsmon failed: " + run.stderr)
pred = json.loads(run.stdout)
with lock: got = list(posts)

# 1. Webhooks: every group's body byte for byte; nothing where nsmon predicts nothing.
compare_webhooks(compare, pred, got)

# 1b. The times receiver's Slack text: StartsAt and EndsAt as a template prints them.
times = next((n for g in pred["groups"] if g["receiver"] == "times" for n in g["notifications"]
              if n["integration"] == "slack"), None)
slack = next((json.loads(b) for p, b in got if p == "/times-slack"), {})
compare("template times", "times' Slack text",
        times and times["fields"]["text"].get("text", "ERROR " + times["fields"]["text"].get("error", "")),
        (slack.get("attachments") or [{}])[0].get("text"))

# 2. GET /api/v2/alerts/groups: receiver, group labels and the fingerprints of its firing alerts.
fingerprint = [a["fingerprint"] for a in pred["alerts"]]
firing = [a["status"] == "firing" for a in pred["alerts"]]
def groups_of_nsmon():
    out = []
    for g in pred["groups"]:
        fps = sorted(fingerprint[i] for i in g["alerts"] if firing[i])
        if fps: out.append((g["receiver"], json.dumps(g["group_labels"], sort_keys=True), fps))
    return sorted(out)
def groups_of_am():
    return sorted((g["receiver"]["name"], json.dumps(g["labels"], sort_keys=True),
                   sorted(a["fingerprint"] for a in g["alerts"])) for g in am_groups if g["alerts"])
mine, theirs = groups_of_nsmon(), groups_of_am()
for g in mine:
    compare("API group", g[:2], g, g if g in theirs else next((t for t in theirs if t[:2] == g[:2]), None))
for g in theirs:
    if g not in mine and not any(m[:2] == g[:2] for m in mine):
        compare("API group", g[:2], None, g)

# 3. GET /api/v2/alerts: each firing alert's labels and fingerprint.
mine = sorted({(json.dumps(a["labels"], sort_keys=True), a["fingerprint"]) for a in pred["alerts"]
               if a["status"] == "firing"})
theirs = sorted((json.dumps(a["labels"], sort_keys=True), a["fingerprint"]) for a in am_alerts)
for a in sorted(set(mine) | set(theirs)):
    compare("API alert", a[0], a if a in mine else None, a if a in theirs else None)

compare.report("nsmon and Alertmanager 0.25 on match_re, empty labels and offsets")
sys.exit(1 if compare.failures or compare.counts.get("webhook", [0, 0])[1] < 8 else 0)
EOF_PY
