#!/usr/bin/env bash
# The whole alert path in one rule test (issue 37): rules/alert_path_test.yml runs the app's
# alerts through rules/alertmanager.yml and passes; copies of the config where a route no longer
# pages, the inhibit rule is gone, the Slack title template changed or group_by differs each make
# it fail, with the route path (file:line), the inhibit rule and a diff of the text. A broken
# config or expectation is a positioned error, exit 2, nothing run. --alertmanager on a plain
# promtool file shows what Alertmanager does (text and JSON) and the file stays promtool's.
source "$(dirname "$0")/lib.sh"
[ -f /usr/share/prometheus/alertmanager/default.tmpl ] || [ -n "${NSMON_ALERTMANAGER_TEMPLATES:-}" ] || {
  echo "SKIP: Alertmanager's default templates (Debian's prometheus-alertmanager) are not installed"
  exit 77
}
cd "$SRC"
run test-rules rules/alert_path_test.yml
expect_rc 0
expect_out "(1 test: 1 passed, 0 failed)"

# Each change to the config, in a copy beside the rules, must fail the test.
cp rules/alert_rules.yml rules/alert_path_test.yml "$TMP/"
mutate() { # NAME OLD NEW: rules/alertmanager.yml with OLD (which must be there) replaced by NEW
  /usr/bin/python3 -c '
import sys
t = open("rules/alertmanager.yml").read()
assert sys.argv[1] in t, "no " + sys.argv[1]
sys.stdout.write(t.replace(sys.argv[1], sys.argv[2]))' "$2" "$3" >"$TMP/alertmanager.yml"
  run test-rules "$TMP/alert_path_test.yml"
  [ "$rc" -eq 1 ] || fail "$1: expected exit 1, got $rc; $out $err"
}
mutate "no page" "- matchers: ['severity=\"critical\"']" "- matchers: ['severity=\"page\"']"
expect_out "expected a notification, none sent: receiver pagerduty, group {alertname=\"HighErrorRate\",severity=\"critical\"}, 1 alert (line 45)"
expect_out "$TMP/alertmanager.yml:18 root route"
expect_out "→ $TMP/alertmanager.yml:33 route matching severity=~\"warning|critical\" (line 33)"
expect_out "⇒ receiver slack"
mutate "no inhibition" "  - source_matchers: ['severity=\"critical\"']
    target_matchers: ['severity=\"warning\"']
    equal: ['instance']" ""
expect_out "expected inhibited (line 66): {alertname=\"HighCPUUsage\",instance=\"detector:8000\""
expect_out "not inhibited by any inhibit rule"
expect_out "receiver slack, group {alertname=\"HighCPUUsage\",severity=\"warning\"} carries other alerts (line 58): - expected, + got"
expect_out "+ {alertname=\"HighCPUUsage\",instance=\"detector:8000\",job=\"neurosymbolic-app\",service=\"neurosymbolic-app\",severity=\"warning\"}"
mutate "title" "title: '{{ .GroupLabels.alertname }}'" "title: '[{{ .Status | toUpper }}] {{ .GroupLabels.alertname }}'"
expect_out "slack of receiver slack: title (line 56) is not \"HighErrorRate\", template at $TMP/alertmanager.yml:51"
expect_out "- HighErrorRate"
expect_out "+ [FIRING] HighErrorRate"
mutate "group_by" "group_by: ['alertname', 'severity']" "group_by: ['alertname']"
expect_out "expected a notification, none sent: receiver pagerduty, group {alertname=\"HighErrorRate\",severity=\"critical\"}"
expect_out "a notification not expected: receiver pagerduty, group {alertname=\"HighErrorRate\"}, 1 alert"
expect_out "route matching severity=\"critical\" (line 27), continue: true"
# With the inhibited alert's source named wrong, the expectation fails and names the real one.
cp rules/alertmanager.yml "$TMP/alertmanager.yml"
sed "s/by: {alertname: HighErrorRate, instance: 'detector:8000'}/by: {alertname: LowMemory}/" rules/alert_path_test.yml >"$TMP/alert_path_test.yml"
run test-rules "$TMP/alert_path_test.yml"
expect_rc 1
expect_out "inhibited by the inhibit rule at $TMP/alertmanager.yml:68, source {alertname=\"HighErrorRate\""
cp rules/alert_path_test.yml "$TMP/alert_path_test.yml"

# Positioned errors, exit 2, nothing run: the config, the expectations.
cp rules/alertmanager.yml "$TMP/alertmanager.yml"
printf 'route:\n  receiver: nobody\nreceivers: []\n' >"$TMP/alertmanager.yml"
run test-rules "$TMP/alert_path_test.yml"
expect_rc 2
expect_err "$TMP/alertmanager.yml:2:"
[ -z "$out" ] || fail "ran tests on a broken config: $out"
cp rules/alertmanager.yml "$TMP/alertmanager.yml"
sed 's/          inhibited:/          inhibitted:/' rules/alert_path_test.yml >"$TMP/alert_path_test.yml"
run test-rules "$TMP/alert_path_test.yml"
expect_rc 2
expect_err "$TMP/alert_path_test.yml:65:11: error: unknown field 'inhibitted' in an alertmanager test"
sed 's/text: {contains: "Error rate is 2 errors\/second"}/text: {matches: "Error rate (is"}/' rules/alert_path_test.yml >"$TMP/alert_path_test.yml"
run test-rules "$TMP/alert_path_test.yml"
expect_rc 2
expect_err "invalid regular expression 'Error rate (is'"
sed 's/      alertmanager: alertmanager.yml//' rules/alert_path_test.yml >"$TMP/alert_path_test.yml"
run test-rules "$TMP/alert_path_test.yml"
expect_rc 2
expect_err "alertmanager_tests need an alertmanager.yml"

# A plain promtool file with --alertmanager: the tests run as before, and what Alertmanager does at
# each alert_rule_test's eval_time is shown, with the expectations to paste.
run test-rules --alertmanager rules/alertmanager.yml --run 'HighErrorRate fires' rules/alert_rules_test.yml
expect_rc 0
expect_out "test 'HighErrorRate fires' at 5m through rules/alertmanager.yml:"
expect_out "    - receiver: \"pagerduty\""
expect_out "        description: \"HighErrorRate\""
run test-rules --alertmanager rules/alertmanager.yml --run 'HighErrorRate fires' --format json rules/alert_rules_test.yml
expect_rc 0
/usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
p = [v for v in d["alert_paths"] if v["eval_time"] == "5m"][0]
receivers = sorted(g["receiver"] for g in p["outcome"]["groups"])
assert receivers == ["pagerduty", "slack"], receivers' <<<"$out" || fail "json: $out"
if command -v promtool >/dev/null; then
  promtool test rules rules/alert_rules_test.yml >"$TMP/promtool" 2>&1 || fail "promtool: $(cat "$TMP/promtool")"
fi
