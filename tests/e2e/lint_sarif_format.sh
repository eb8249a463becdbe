#!/usr/bin/env bash
# --format sarif: a SARIF 2.1.0 log with every check as a rule and one result per finding.
source "$(dirname "$0")/lib.sh"
printf 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5 minutes\n' >"$TMP/r.yml"
run lint-rules --format sarif "$TMP/r.yml"
expect_rc 1
/usr/bin/python3 "$SRC/tests/e2e/sarif_check.py" "$TMP/out" || fail "not valid SARIF"
/usr/bin/python3 - "$TMP/out" "$TMP/r.yml" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0" and "$schema" in log
run, = log["runs"]
driver = run["tool"]["driver"]
assert driver["name"] == "nsmon" and driver["version"]
ids = [r["id"] for r in driver["rules"]]
assert "rules/duration" in ids and len(ids) > 40
for r in driver["rules"]:
    assert r["shortDescription"]["text"] and r["defaultConfiguration"]["level"] in ("error", "warning", "note")
res = [r for r in run["results"] if r["ruleId"] == "rules/duration"]
assert len(res) == 1, run["results"]
r = res[0]
assert r["level"] == "error" and ids[r["ruleIndex"]] == "rules/duration"
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "file://" + sys.argv[2], loc
assert loc["region"]["startLine"] == 6 and loc["region"]["startColumn"] == 14, loc
PY
