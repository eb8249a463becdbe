#!/usr/bin/env bash
# nsmon routes test --alerts against the real Alertmanager 0.25 (Debian's prometheus-alertmanager
# on loopback): tests/data/alertmanager/dispatch.yml with every receiver posting to a local sink,
# a set of alerts posted through POST /api/v2/alerts, and what arrives compared with nsmon's
# prediction for the same alerts:
#   - each webhook delivery byte for byte (receiver, groupKey, groupLabels, the alerts of each
#     group in order with their status, times and fingerprints, common labels and annotations,
#     truncatedAlerts), and nothing delivered where nsmon says a group is inhibited, muted or
#     resolved;
#   - the Slack, PagerDuty, OpsGenie, Discord, VictorOps and Webex requests' templated fields
#     against nsmon's rendering;
#   - amtool template render (0.25 has it) against nsmon on the default templates and
#     Alertmanager's functions, with the data Alertmanager delivered.
# Prints N/N agree per comparison; exits 1 on any difference.
source "$(dirname "$0")/lib.sh"
command -v prometheus-alertmanager >/dev/null || { echo "prometheus-alertmanager not installed: skipped"; exit 77; }
command -v amtool >/dev/null || { echo "amtool not installed: skipped"; exit 77; }
[ -f /usr/share/prometheus/alertmanager/default.tmpl ] || { echo "no default.tmpl: skipped"; exit 77; }
trap 'kill_leftovers; rm -rf "$TMP"' EXIT
PYTHONPATH="$SRC/tests/e2e" /usr/bin/python3 - "$NSMON" "$SRC/tests/data/alertmanager" "$TMP" <<'EOF_PY'
import json, shutil, subprocess, sys, time, urllib.request
from webhook_sink import (Comparison, compare_webhooks, post_alerts, start_alertmanager, start_recording_sink,
                          wait_for_flushes)

nsmon, data, tmp = sys.argv[1:4]
defaults = "/usr/share/prometheus/alertmanager"
sink, posts, lock = start_recording_sink()
hook = f"http://127.0.0.1:{sink.server_port}"
open(f"{tmp}/am.yml", "w").write(open(f"{data}/dispatch.yml").read().replace("HOOK", hook))
shutil.copy(f"{data}/dispatch.tmpl", tmp)

# Alerts that start as they are posted; the resolved ones started 1 s before and ended 0.5 s
# before (so any time of the run sees the same firing/resolved split). Alertmanager flushes a
# group at once when an alert's startsAt is older than group_wait: recent times keep the flush at
# group_wait (5 s), when every alert of the POST is in its group.
def ts(ms): return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)
def alert(labels, resolved=False, annotations=None, url=""):
    a = {"labels": labels, "annotations": annotations or {}, "startsAt": ts(now_ms - 1000 if resolved else now_ms),
         "generatorURL": url}
    if resolved: a["endsAt"] = ts(now_ms - 500)
    return a
def make_alerts():
    return [
        alert({"alertname": "DiskFull", "severity": "critical", "cluster": "eu", "instance": "db2", "team": "db"},
              annotations={"summary": "disk <full> & \"more\""}),
        alert({"alertname": "DiskFull", "severity": "critical", "cluster": "eu", "instance": "db1", "team": "db"},
              url="http://prom:9090/graph?g0.expr=x&g0.tab=1"),
        alert({"alertname": "DiskFull", "severity": "critical", "cluster": "us", "instance": "db3"}),
        alert({"alertname": "DiskFull", "severity": "critical", "cluster": "us", "instance": "db4"}, resolved=True),
        alert({"alertname": "HighLatency", "severity": "warning", "instance": "db1", "team": "db"}),  # inhibited by 1
        alert({"alertname": "HighLatency", "severity": "warning", "instance": "db9", "team": "storage"}),
        alert({"alertname": "ClusterDown", "cluster": "eu"}),
        alert({"alertname": "NodeDown", "cluster": "eu", "instance": "n1"}),  # inhibited by ClusterDown
        alert({"alertname": "NodeDown", "cluster": "us", "instance": "n2", "job": "node"}),
        alert({"alertname": "NodeDown", "cluster": "us", "instance": "n3"}),
        alert({"alertname": "Staging", "team": "db", "env": "staging"}),  # muted: always
        alert({"alertname": "WebErrors", "team": "web", "cluster": "eu"}),  # outside its active intervals
        alert({"alertname": "Job", "team": "ml", "instance": "a"}, resolved=True),  # resolved alone
        alert({"alertname": "Train", "team": "ml", "instance": "b"}, annotations={"summary": "ünïcode ✓"}),
        alert({"alertname": "Train", "team": "ml", "instance": "c"}),  # max_alerts: 1 truncates
        alert({"alertname": "DiskFull", "team": "tmpl", "instance": "host-1"},
              annotations={"summary": "disk almost full", "runbook": "http://wiki/disk"}, url="http://prom/g?x=1"),
        alert({"alertname": "DiskFull", "team": "tmpl", "instance": "host-2"},
              annotations={"summary": "disk almost full", "note": "<b>bold</b> & \"q\" + 'x' \u00fc"},
              url="http://prom/graph?g0.expr=rate(x[5m]) > 0&g0.tab=1#top"),
        alert({"alertname": "DiskFull", "team": "tmpl", "instance": "host-3"}, resolved=True),
    ]
am, external = start_alertmanager(f"{tmp}/am.yml", tmp)
try:
    now_ms = int(time.time() * 1000)
    alerts = make_alerts()
    open(f"{tmp}/alerts.json", "w").write(json.dumps(alerts, indent=1))
    post_alerts(external, alerts)
    wait_for_flushes(posts, lock, group_wait=5)
finally:
    am.terminate(); am.wait(10)

pred = json.loads(subprocess.run([nsmon, "routes", "test", "--alertmanager", f"{tmp}/am.yml", "--alerts",
                                  f"{tmp}/alerts.json", "--time", "%d.%03d" % (now_ms // 1000, now_ms % 1000), "--external-url", external,
                                  "--format", "json"], capture_output=True, text=True, check=True).stdout)
with lock: got = list(posts)

compare = Comparison()

# 1. Webhooks: every group's body, byte for byte; nothing where nsmon predicts nothing.
hooks = compare_webhooks(compare, pred, got)
silent = [g for g in pred["groups"] if not g["notifications"]]
for g in silent:
    compare("silent group", g["group_key"], 0,
            sum(1 for p, b in hooks if p == "/" + g["receiver"] and json.loads(b)["groupKey"] == g["group_key"]))

# 2. The tmpl receiver's other integrations: the request's fields against nsmon's rendering.
tmpl = next(g for g in pred["groups"] if g["receiver"] == "tmpl")
fields = {n["integration"]: {k: v.get("text", "ERROR " + v.get("error", "")) for k, v in n["fields"].items()}
          for n in tmpl["notifications"]}
def body(path):
    return next((json.loads(b) for p, b in got if p == path), {})
slack = body("/slack")
att = (slack.get("attachments") or [{}])[0]
for f in ["title", "title_link", "pretext", "text", "fallback", "callback_id", "footer", "color", "image_url",
          "thumb_url"]:
    compare("slack", f, fields["slack"].get(f, ""), att.get(f, ""))
for f in ["channel", "username", "icon_emoji", "icon_url"]:
    compare("slack", f, fields["slack"].get(f, ""), slack.get(f, ""))
for f in ["title", "value"]:
    compare("slack", "fields[0]." + f, fields["slack"]["fields[0]." + f], (att.get("fields") or [{}])[0].get(f))
for f in ["type", "text", "url"]:
    compare("slack", "actions[0]." + f, fields["slack"]["actions[0]." + f], (att.get("actions") or [{}])[0].get(f))
pd = body("/pd")
compare("pagerduty", "summary", fields["pagerduty"]["description"], pd.get("payload", {}).get("summary"))
compare("pagerduty", "severity", fields["pagerduty"]["severity"], pd.get("payload", {}).get("severity"))
compare("pagerduty", "client", fields["pagerduty"]["client"], pd.get("client"))
compare("pagerduty", "client_url", fields["pagerduty"]["client_url"], pd.get("client_url"))
compare("pagerduty", "custom_details",
        {k[len("details."):]: v for k, v in fields["pagerduty"].items() if k.startswith("details.")},
        pd.get("payload", {}).get("custom_details"))
og = body("/og/v2/alerts")
for f in ["message", "description", "source"]:
    compare("opsgenie", f, fields["opsgenie"][f], og.get(f))
compare("opsgenie", "details", {k[len("details."):]: v for k, v in fields["opsgenie"].items()
                                if k.startswith("details.")}, og.get("details"))

discord = (body("/discord").get("embeds") or [{}])[0]
compare("discord", "title", fields["discord"]["title"], discord.get("title"))
compare("discord", "description", fields["discord"]["message"], discord.get("description"))
vo = next((json.loads(b) for p, b in got if p.startswith("/vo/")), {})
vo_path = next((p for p, b in got if p.startswith("/vo/")), None)
compare("victorops", "path (api_key/routing_key)", "/vo/vokey/" + fields["victorops"]["routing_key"], vo_path)
for f in ["message_type", "entity_display_name", "state_message", "monitoring_tool"]:
    compare("victorops", f, fields["victorops"][f], vo.get(f))
compare("victorops", "custom_fields", fields["victorops"]["custom_fields.first"], vo.get("first"))
compare("webex", "markdown", fields["webex"]["message"], body("/webex").get("markdown"))

# 3. amtool template render with the data Alertmanager delivered to tmpl, against nsmon's
# rendering of the same texts (a receiver of one Slack config per text, an email for HTML).
texts = [
    '{{ template "slack.default.title" . }}', '{{ template "email.default.subject" . }}',
    '{{ template "pagerduty.default.instances" .Alerts.Firing }}', '{{ template "opsgenie.default.description" . }}',
    '{{ template "wechat.default.message" . }}', '{{ template "pushover.default.message" . }}',
    '{{ template "telegram.default.message" . }}', '{{ template "custom.list" . }}',
    '{{ range .Alerts }}{{ .Fingerprint }} {{ .EndsAt }} {{ .GeneratorURL }}|{{ end }}',
    '{{ .CommonLabels }} {{ .GroupLabels.SortedPairs }} {{ .Alerts.Resolved | len }}',
    '{{ title "hELLO wORLD foo-bar" }} {{ toLower "ABC" }} {{ safeHtml "<b>" }} {{ html "<x+y>" }} '
    '{{ urlquery "a b&c" }} {{ js "it\'s" }}',
    '{{ printf "%q %v %5.2f %d" "x" .Status 3.14159 (len .Alerts) }}',
    '{{ with .CommonLabels.Remove (stringSlice "team") }}{{ .Names | join "," }}{{ end }}',
    # Errors, as Go words them.
    '{{ index .Alerts 5 }}', '{{ reReplaceAll "(" "x" "y" }}', '{{ .Alerts.Nope }}', '{{ trimSpace "x" }}',
    '{{ template "nope" . }}', '{{ len 3 }}', '{{ join "," .CommonLabels }}',
]
htmls = ['{{ template "email.default.html" . }}',
         '<a href="{{ .ExternalURL }}/x?r={{ .Receiver }}&q={{ .Status | urlquery }}">{{ .CommonAnnotations.summary }} +</a>']
render_cfg = "route:\n  receiver: tmpl\n  group_by: [team]\ntemplates: [dispatch.tmpl]\nreceivers:\n  - name: tmpl\n"
render_cfg += "    slack_configs:\n" + "".join(
    f"      - api_url: http://127.0.0.1:1/\n        send_resolved: true\n        text: {json.dumps(t)}\n" for t in texts)
render_cfg += "    email_configs:\n" + "".join(
    f"      - to: a@b.c\n        from: a@b.c\n        smarthost: 127.0.0.1:1\n        send_resolved: true\n"
    f"        html: {json.dumps(h)}\n" for h in htmls)
open(f"{tmp}/render.yml", "w").write(render_cfg)
tmpl_alerts = [a for a in alerts if a["labels"].get("team") == "tmpl"]
open(f"{tmp}/tmpl_alerts.json", "w").write(json.dumps(tmpl_alerts))
rendered = json.loads(subprocess.run([nsmon, "routes", "test", "--alertmanager", f"{tmp}/render.yml", "--alerts",
                                      f"{tmp}/tmpl_alerts.json", "--time", "%d.%03d" % (now_ms // 1000, now_ms % 1000), "--external-url", external,
                                      "--format", "json"], capture_output=True, text=True, check=True).stdout)
notes = rendered["groups"][0]["notifications"]
delivered = next((b for p, b in got if p == "/tmpl"), b"{}")
open(f"{tmp}/data.json", "wb").write(delivered)
# Debian's amtool does not embed the default templates as Alertmanager does: give it the files.
def amtool(text, kind):
    r = subprocess.run(["amtool", "template", "render", f"--template.glob={defaults}/default.tmpl",
                        f"--template.glob={defaults}/email.tmpl", f"--template.glob={tmp}/dispatch.tmpl",
                        f"--template.text={text}", f"--template.type={kind}", f"--template.data={tmp}/data.json"],
                       capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else "ERROR " + r.stderr.strip().removeprefix("amtool: error: ")
slacks = [n for n in notes if n["integration"] == "slack"]
emails = [n for n in notes if n["integration"] == "email"]
for t, n in zip(texts, slacks):
    f = n["fields"]["text"]
    compare("amtool template render", t, f["text"] if "text" in f else "ERROR " + f["error"], amtool(t, "text"))
for h, n in zip(htmls, emails):
    compare("amtool template render (html)", h, n["fields"]["html"].get("text", "ERROR"), amtool(h, "html"))

compare.report("nsmon and Alertmanager 0.25")
sys.exit(1 if compare.failures or compare.counts.get("webhook", [0, 0])[1] < 8 else 0)
EOF_PY
