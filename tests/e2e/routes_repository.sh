#!/usr/bin/env bash
# The repository's rules/alertmanager.yml: lint-alertmanager finds nothing, amtool loads it (when
# installed), and every alert of rules/alert_rules.yml goes where rules/alertmanager_cases.yml says;
# the integration guide's seed fails the inhibition case its inhibit rule was meant for.
source "$(dirname "$0")/lib.sh"
cd "$SRC"
run lint-alertmanager rules/alertmanager.yml
expect_rc 0
expect_out "no problems found in rules/alertmanager.yml"
run lint-alertmanager
expect_rc 0 # the default file
if command -v amtool >/dev/null; then
  amtool check-config rules/alertmanager.yml >/dev/null || fail "amtool refuses rules/alertmanager.yml"
fi
run routes test --cases rules/alertmanager_cases.yml
expect_rc 0
expect_out "11 cases: 11 passed, 0 failed"
# Every alert of the rules has a case.
for alert in $(sed -n 's/^ *- alert: *//p' rules/alert_rules.yml); do
  grep -q "alertname: $alert," rules/alertmanager_cases.yml || fail "no routing case for $alert"
done
run routes test --alertmanager tests/data/seed/alertmanager.yml --cases rules/alertmanager_cases.yml
expect_rc 1
expect_out "error: case 'a warning is muted by any critical alert of its instance"
# Against the rules' alerts: the repository's routing is clean; the integration guide's seed has the
# inhibit rule that can never inhibit (critical and warning alerts never share an alertname).
run lint-alertmanager --config rules/prometheus.yml rules/alertmanager.yml
expect_rc 0
expect_out "no problems found in rules/alertmanager.yml"
run lint-alertmanager --rules rules/alert_rules.yml --format json tests/data/seed/alertmanager.yml
expect_rc 1
/usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
never = [f for f in d["findings"] if f["check"] == "alertmanager/inhibit-never"]
assert d["summary"]["alerting_rules"] == 7, d["summary"]
assert not never, "the integration seed has no inhibit rule"
' <<<"$out" || fail "integration seed: $out"
run lint-alertmanager --rules rules/alert_rules.yml tests/data/seed/alertmanager-octollm.yml
expect_out "this inhibit rule can mute none of the rules' alerts: its source alerts (HighErrorRate, LowMemory)"
expect_out "never have the same alertname [alertmanager/inhibit-never]"
