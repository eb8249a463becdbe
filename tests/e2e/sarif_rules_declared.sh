#!/usr/bin/env bash
# Every subcommand with --format sarif declares each rule its results cite (tool.driver.rules,
# with the right ruleIndex), lint's and the others of core/checks.hpp's table alike: GitHub code
# scanning shows an undeclared ruleId as an unknown rule.
source "$(dirname "$0")/lib.sh"

# sarif WHAT: the last run's stdout is a SARIF log with at least one result, each citing a
# declared rule; prints the cited rule ids.
sarif() {
  /usr/bin/python3 - "$1" "$TMP/out" <<'PY' || fail "$1: see above"
import json, sys
what = sys.argv[1]
run, = json.load(open(sys.argv[2]))["runs"]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert len(ids) == len(set(ids)), f"{what}: a rule declared twice"
assert run["results"], f"{what}: no result"
for r in run["results"]:
    assert r["ruleId"] in ids, f"{what}: {r['ruleId']} is cited but not declared"
    assert ids[r["ruleIndex"]] == r["ruleId"], f"{what}: ruleIndex of {r['ruleId']}"
print(" ".join(sorted({r["ruleId"] for r in run["results"]})))
PY
}

printf 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5 minutes\n' >"$TMP/r.yml"
run lint-rules --format sarif "$TMP/r.yml"
expect_rc 1
[[ $(sarif lint-rules) == *rules/duration* ]] || fail "lint-rules: no rules/duration"

run lint-metrics --format sarif "$SRC/tests/golden/metrics/planted_bugs/input.txt"
expect_rc 1
sarif lint-metrics >/dev/null

run lint-alertmanager --format sarif "$SRC/tests/golden/alertmanager/every-check/alertmanager.yml"
expect_rc 1
sarif lint-alertmanager >/dev/null

# test-rules: a failed test cites ruletest/failed, which is not a lint check.
run test-rules --format sarif "$SRC/tests/data/ruletest/corpus/basic_fail_test.yml"
expect_rc 1
[[ $(sarif test-rules) == *ruletest/failed* ]] || fail "test-rules: no ruletest/failed"

# gen-dashboards: the templates' own checks (dashboards/...), then --check's drift.
run gen-dashboards --format sarif --templates "$SRC/tests/golden/dashboards/bad-templates/templates" --out "$TMP/d"
expect_rc 1
[[ $(sarif gen-dashboards) == *dashboards/* ]] || fail "gen-dashboards: no dashboards/ check: no such rule cited"
mkdir "$TMP/w" && cp -r "$SRC/templates" "$SRC/dashboards" "$SRC/rules" "$TMP/w/" && cd "$TMP/w"
echo '{}' >dashboards/old.json
run gen-dashboards --check --format sarif
expect_rc 1
[[ $(sarif "gen-dashboards --check") == *generated/stale* ]] || fail "gen-dashboards --check: no such rule cited"

# slo generate --check: a stale file.
sed -i 's/decimals: 1$/decimals: 2/' templates/slo.yml
run slo generate --check --tests rules/slo_rules_test.yml --dashboard templates/slo.yml --format sarif
expect_rc 1
[[ $(sarif "slo generate --check") == *generated/stale* ]] || fail "slo generate --check: no such rule cited"

# routes test --cases: a failed case.
D=$SRC/tests/data/alertmanager
sed 's/receivers: \[oncall, ml-pager\]/receivers: [ml-pager]/' "$D/routing_cases.yml" >"$TMP/cases.yml"
run routes test --config "$D/routing.yml" --cases "$TMP/cases.yml" --format sarif
expect_rc 1
[[ $(sarif "routes test --cases") == *routes/case-failed* ]] || fail "routes test --cases: no such rule cited"

# promql check: a syntax error.
run promql check --format sarif 'rate(up[5m]'
expect_rc 1
[[ $(sarif "promql check") == *promql/syntax* ]] || fail "promql check: no such rule cited"
echo ok
