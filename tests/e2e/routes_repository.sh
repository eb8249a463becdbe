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
run routes test --config tests/data/seed/alertmanager.yml --cases rules/alertmanager_cases.yml
expect_rc 1
expect_out "FAIL  a warning is muted by any critical alert of its instance"
