#!/usr/bin/env bash
# The repository's alert rules have a unit test per alert, firing and quiet
# (rules/alert_rules_test.yml): nsmon test-rules and promtool test rules both pass them, and
# every alerting rule is exercised.
source "$(dirname "$0")/lib.sh"
cd "$SRC"
run test-rules --coverage rules/alert_rules_test.yml
expect_rc 0
expect_out "1 file (15 tests: 15 passed, 0 failed), coverage 100.0% (7/7 rules)"
if command -v promtool >/dev/null; then
  promtool test rules rules/alert_rules_test.yml >"$TMP/promtool" 2>&1 || fail "promtool: $(cat "$TMP/promtool")"
fi
# Each alert has a test where it fires: breaking one expectation fails exactly that test.
sed 's/description: CPU usage is 95%/description: CPU usage is 96%/' rules/alert_rules_test.yml >rules/.alert_rules_test_broken.yml
trap 'rm -f "$SRC/rules/.alert_rules_test_broken.yml"; rm -rf "$TMP"' EXIT
run test-rules rules/.alert_rules_test_broken.yml
expect_rc 1
expect_out "(15 tests: 14 passed, 1 failed)"
expect_out "test 'HighCPUUsage fires': alertname: HighCPUUsage, time: 6m"
