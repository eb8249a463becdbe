#!/usr/bin/env bash
# nsmon routes test --alerts: the whole outcome for alerts in the API's JSON, as text and JSON, and
# what a bad alerts file or option gets (exit 2, the file's position or the alert's index).
source "$(dirname "$0")/lib.sh"
cfg="$SRC/rules/alertmanager.yml"
alerts="$SRC/examples/alertmanager_alerts.json"
tmpl="$TMP/tmpl"
mkdir -p "$tmpl"
# Default templates of our own, so the test does not depend on Debian's files.
printf '{{ define "slack.default.fallback" }}FB {{ .Status }} {{ len .Alerts }}{{ end }}\n' >"$tmpl/default.tmpl"

out=$("$NSMON" routes test --alertmanager "$cfg" --alerts "$alerts" --time 2024-05-01T12:00:00Z \
  --default-templates "$tmpl" --external-url http://am.example:9093)
grep -q 'inhibited by the inhibit rule at .*alertmanager.yml:68 (source alert 0)' <<<"$out" || fail "no inhibition: $out"
grep -q '^    fallback: FB firing 1$' <<<"$out" || fail "default template not used: $out"
grep -qF 'title_link: error: template: :1:12: executing "" at <{{template "slack.default.titlelink" .}}>: template "slack.default.titlelink" not defined' <<<"$out" ||
  fail "a default template that is missing is the field's error: $out"
grep -qF 'group {}/{severity="critical"}:{alertname="HighErrorRate", severity="critical"} -> pagerduty: alerts 0' <<<"$out" ||
  fail "group key: $out"

# Without default.tmpl, only the fields that use it fail, and they say where it was looked for.
out=$("$NSMON" routes test --alertmanager "$cfg" --alerts "$alerts" --default-templates "$TMP/none" 2>"$TMP/err")
grep -q '^    description: HighErrorRate$' <<<"$out" || fail "a field without default templates: $out"
grep -qF "(Alertmanager's default templates: no default.tmpl in $TMP/none;" <<<"$out" || fail "no hint: $out"
grep -qF "warning: no $TMP/none/default.tmpl" "$TMP/err" || fail "no warning: $(cat "$TMP/err")"

json=$("$NSMON" routes test --alertmanager "$cfg" --alerts - --time 2024-05-01T12:00:00Z --format json \
  --default-templates "$tmpl" <"$alerts")
/usr/bin/python3 - "$json" <<'EOF_PY' || fail "json: $json"
import json, sys
o = json.loads(sys.argv[1])
assert o["time"] == "2024-05-01T12:00:00Z"
assert o["alerts"][1]["inhibited_by"][0]["sources"] == [0], o["alerts"][1]
slack = [g for g in o["groups"] if g["receiver"] == "slack" and g["alerts"] == [1, 2]][0]
assert slack["notifications"][0]["alerts"] == [2]
title = slack["notifications"][0]["fields"]["title"]
assert title["text"] == "InferenceTimeSlow" and title["line"] == 51 and title["file"].endswith("alertmanager.yml"), title
assert "line" not in slack["notifications"][0]["fields"]["username"]  # a default
EOF_PY

# expect_usage ARGS... PATTERN: exit 2 and the message.
expect_usage() {
  local pattern=${*: -1} code=0 err
  err=$("$NSMON" routes test --alertmanager "$cfg" "${@:1:$#-1}" 2>&1) || code=$?
  [ "$code" = 2 ] || fail "$*: exit $code: $err"
  grep -qF -- "$pattern" <<<"$err" || fail "$*: $err"
}
printf '[\n  {"labels": }]' >"$TMP/bad.json"
expect_usage --alerts "$TMP/bad.json" "bad.json:2:"
# A number out of range is a positioned error too, not an abort (issue 48: exit 134).
printf '[{"labels": {"alertname": "A"},\n  "x": 1E999}]' >"$TMP/bad.json"
expect_usage --alerts "$TMP/bad.json" "bad.json:2:8: not JSON: number overflow parsing 1E999"
printf '[{"labels": {"alertname": "A"}}, {"labels": {"bad-name": "x"}}]' >"$TMP/bad.json"
expect_usage --alerts "$TMP/bad.json" 'alert 1: invalid label name "bad-name"'
expect_usage --alerts "$alerts" --time yesterday "--time wants RFC 3339"
expect_usage --time now severity=critical "--time goes with --alerts FILE"
echo ok
