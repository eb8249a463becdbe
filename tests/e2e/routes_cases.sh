#!/usr/bin/env bash
# nsmon routes test --cases and routes show: the cases file's verdicts as a report (failed cases
# are findings), exit codes, positions of failures and of errors, JSON, --verify-receivers, and
# the tree.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/alertmanager
run routes test --alertmanager "$D/routing.yml" --cases "$D/routing_cases.yml"
expect_rc 0
expect_out "11 cases: 11 passed, 0 failed"
# A wrong expectation fails with its file:line and both sides.
sed 's/receivers: \[oncall, ml-pager\]/receivers: [ml-pager]/' "$D/routing_cases.yml" >"$TMP/cases.yml"
run routes test --alertmanager "$D/routing.yml" --cases "$TMP/cases.yml"
expect_rc 1
expect_out "$TMP/cases.yml:2:5: error: case 'a critical ML alert pages on-call and the ML pager' fails:"
expect_out "fails: [routes/case-failed]"
expect_out "receivers: expected ml-pager, got oncall,ml-pager"
expect_out "1 error, 0 warnings, 0 info in $TMP/cases.yml (11 cases: 10 passed, 1 failed)"
# The same report in every format; a failed case fails whatever --fail-on says.
run routes test --alertmanager "$D/routing.yml" --cases "$TMP/cases.yml" --format json --fail-on never
expect_rc 1
/usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert {k: d["summary"][k] for k in ("errors", "cases", "passed", "failed")} == {"errors": 1, "cases": 11, "passed": 10, "failed": 1}, d["summary"]
assert [f["check"] for f in d["findings"]] == ["routes/case-failed"], d["findings"]
assert d["cases"][0]["receivers"] == ["oncall", "ml-pager"] and not d["cases"][0]["passed"], d["cases"][0]' <<<"$out" || fail "json: $out"
run routes test --config "$D/routing.yml" --cases "$TMP/cases.yml" --format github
expect_rc 1
expect_out "::error file=$TMP/cases.yml,line=2,col=5,title=routes/case-failed::case 'a critical ML alert"
# Labels print amtool's answer: text or json only.
run routes test --config "$D/routing.yml" --format sarif severity=critical
expect_rc 2
expect_err "routes test LABELS prints text or json, not sarif"
# A cases file that does not load: positioned error, exit 2, nothing evaluated.
printf 'cases:\n  - labels: {severity: critical}\n    receiver: [oncall]\n' >"$TMP/bad.yml"
run routes test --alertmanager "$D/routing.yml" --cases "$TMP/bad.yml"
expect_rc 2
expect_err "$TMP/bad.yml:3:5: error: unknown field 'receiver' in a case"
[ -z "$out" ] || fail "printed results for a broken cases file: $out"
# A configuration Alertmanager refuses: its errors, exit 2.
run routes test --alertmanager "$SRC/tests/data/seed/alertmanager-octollm.yml" severity=critical
expect_rc 2
expect_err "alertmanager-octollm.yml:4:18: error: slack_api_url: unsupported scheme"
run routes test --alertmanager "$D/routing.yml" severity
expect_rc 2
expect_err "'severity' is not name=value"
# A matcher where a label goes is a typo, never routed as a literal value (issue 39).
run routes test --alertmanager "$D/routing.yml" 'severity=~critical'
expect_rc 2
expect_err "'severity=~critical' is a matcher, not a label: an alert's labels are name=value (severity=critical)"
run routes test --alertmanager "$D/routing.yml" 'severity!=critical'
expect_rc 2
expect_err "is a matcher, not a label"
# --verify-receivers, as amtool's.
run routes test --alertmanager "$D/routing.yml" --verify-receivers oncall,ml-pager severity=critical team=ml
expect_rc 0
expect_out "oncall,ml-pager"
run routes test --alertmanager "$D/routing.yml" --verify-receivers ml-pager severity=critical team=ml
expect_rc 1
expect_err "receivers differ: expected ml-pager, got oncall,ml-pager"
# The tree.
run routes show --alertmanager "$D/routing.yml"
expect_rc 0
expect_out "default-route  receiver: default"
expect_out '├── {severity="critical", env!="dev"}  continue: true  receiver: oncall'
expect_out '│   └── {stage!~"train.*"}  receiver: ml'
# --format json: what each route has in effect. A route that sets nothing inherits its parent's
# receiver, group_by and timings; the root's unset timings are Alertmanager's defaults (30s, 5m, 4h).
cat >"$TMP/inherit.yml" <<'YML'
route:
  receiver: default
  group_by: [alertname]
  repeat_interval: 12h
  routes:
    - matchers: ['team="ml"']
      group_wait: 1m
      routes:
        - receiver: ml-pager
          group_by: [alertname, instance]
          matchers: ['severity="critical"']
receivers:
  - name: default
  - name: ml-pager
YML
run routes show --alertmanager "$TMP/inherit.yml" --format json
expect_rc 0
/usr/bin/python3 - "$out" <<'PY' || fail "routes show --format json: $out"
import json, sys
root = json.loads(sys.argv[1])
ml = root["routes"][0]
pager = ml["routes"][0]
eff = lambda r: (r["receiver"], r["receiver_inherited"], r["group_by"], r["group_wait"], r["group_interval"], r["repeat_interval"])
assert eff(root) == ("default", False, ["alertname"], "30s", "5m", "12h"), eff(root)
assert eff(ml) == ("default", True, ["alertname"], "1m", "5m", "12h"), eff(ml)
assert eff(pager) == ("ml-pager", False, ["alertname", "instance"], "1m", "5m", "12h"), eff(pager)
assert (ml["matchers"], pager["matchers"], pager["line"]) == (['team="ml"'], ['severity="critical"'], 9), pager
PY
run routes show --alertmanager "$TMP/inherit.yml" --format yaml
expect_rc 2
# --config, prometheus.yml everywhere else, still names the alertmanager.yml here, with a warning.
run routes show --config "$D/routing.yml"
expect_rc 0
expect_out "default-route  receiver: default"
expect_err "routes --config is deprecated"
# The batch format proposed for amtool (PR #5175): each alert a case, the test's others firing.
run routes test --alertmanager "$D/routing.yml" --cases "$D/amtool_batch_tests.yml"
expect_rc 0
expect_out "PASS  critical suppresses warning (alert 2 of 2)"
expect_out "(7 cases: 7 passed, 0 failed)"
# Not inhibited once the critical alert is gone from the test; a receiver list that differs fails.
/usr/bin/python3 - "$D/amtool_batch_tests.yml" >"$TMP/batch.yml" <<'PY'
import sys
t = open(sys.argv[1]).read()
t = t.replace("      - labels: {alertname: SomeAlert, severity: critical}\n        expected_receivers: [oncall]\n      - labels: {alertname: SomeAlert, severity: warning}",
              "      - labels: {alertname: SomeAlert, severity: warning}")
t = t.replace("      - labels: {alertname: SomeAlert}\n        expected_receivers: [default]", "      - labels: {alertname: SomeAlert}\n        expected_receivers: [oncall]")
print(t, end="")
PY
run routes test --alertmanager "$D/routing.yml" --cases "$TMP/batch.yml"
expect_rc 1
expect_out "case 'Unmatched alert routes to default' fails:"
expect_out "receivers: expected oncall, got default"
expect_out "case 'critical suppresses warning' fails:"
expect_out "expected to be inhibited, but no inhibit rule mutes it"
# An alert with neither expectation fails, as in the PR (no alert reaches no receiver).
printf 'tests:\n  - name: t\n    alerts:\n      - labels: {alertname: X}\n' >"$TMP/none.yml"
run routes test --alertmanager "$D/routing.yml" --cases "$TMP/none.yml"
expect_rc 1
expect_out "receivers: expected (none), got default"
# Both formats in one file, or a misspelt key: positioned errors, exit 2.
printf 'tests:\n  - name: t\n    alerts:\n      - labels: {alertname: X}\n        expected_receiver: [default]\n' >"$TMP/typo.yml"
run routes test --alertmanager "$D/routing.yml" --cases "$TMP/typo.yml"
expect_rc 2
expect_err "$TMP/typo.yml:5:9: error: unknown field 'expected_receiver' in an alert of a test"
printf 'cases: []\ntests: []\n' >"$TMP/both.yml"
run routes test --alertmanager "$D/routing.yml" --cases "$TMP/both.yml"
expect_rc 2
expect_err "not both"
