#!/usr/bin/env bash
# A runner that asks for --format sarif or --junit FILE gets a valid document on bad input too
# (issue 58): a YAML syntax error, an unknown field, a missing file. SARIF: the findings that made
# the input invalid as results at level error with their file and line, and the run marked as
# stopped (an invocation with executionSuccessful false, the exit code and the error as a
# notification, at the file when it is one that cannot be read), checked against SARIF 2.1.0's
# schema rules (tests/e2e/sarif_check.py); JUnit: a testcase with an <error> (the XML parsed).
# The exit code is the one of --format text.
source "$(dirname "$0")/lib.sh"
cd "$TMP"

# sarif CMD...: runs nsmon CMD... --format sarif and in text, expects the same exit code, and a
# valid SARIF log on stdout; sets $rc.
sarif() {
  run "$@"
  local text_rc=$rc
  run "$@" --format sarif
  [ "$rc" -eq "$text_rc" ] || fail "$*: exit $rc in sarif, $text_rc in text"
  /usr/bin/python3 "$SRC/tests/e2e/sarif_check.py" "$TMP/out" || fail "$*: $(head -c 300 "$TMP/out")"
}
# stopped CODE WHY [RULE_ID FILE LINE]...: the SARIF log's run stopped with exit CODE and the
# error WHY, and has exactly these results (level error unless the id ends in :warning).
stopped() {
  /usr/bin/python3 - "$TMP/out" "$@" <<'PY' || fail "not the SARIF expected: $(head -c 2000 "$TMP/out")"
import json, sys
log = json.load(open(sys.argv[1]))
code, why, rest = int(sys.argv[2]), sys.argv[3], sys.argv[4:]
run, = log["runs"]
inv, = run["invocations"]
assert inv["executionSuccessful"] is False and inv["exitCode"] == code, inv
note, = inv["toolExecutionNotifications"]
assert note["level"] == "error" and note["message"]["text"] == why, note
if why.startswith("cannot read "):  # the file it could not read is where the notification points
    uri = why[len("cannot read "):].split(":")[0]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri, note
else:
    assert "locations" not in note, note
got = []
for r in run["results"]:
    loc = r["locations"][0]["physicalLocation"]
    got.append((r["ruleId"], r["level"], loc["artifactLocation"]["uri"], loc.get("region", {}).get("startLine")))
want = []
for i in range(0, len(rest), 3):
    rule, level = (rest[i].split(":") + ["error"])[:2]
    want.append((rule, level, rest[i + 1], int(rest[i + 2])))
assert got == want, (got, want)
PY
}

# test-rules: a YAML syntax error, an unknown field, a missing file.
printf 'rule_files: [rules.yml]\ntests:\n  - interval: 1m\n    input_series: [\n' >syntax.yml
printf 'groups: []\n' >rules.yml
printf 'rule_files: [rules.yml]\ntests:\n  - interval: 1m\n    input_series:\n      - series: up\n        valuess: 1\n' >field.yml
sarif test-rules syntax.yml
expect_rc 2
stopped 2 "the test input syntax.yml is invalid" yaml/syntax syntax.yml 5
sarif test-rules field.yml
expect_rc 2
stopped 2 "the test input field.yml is invalid" yaml/unknown-field field.yml 6
sarif test-rules missing.yml
expect_rc 2
stopped 2 "cannot read missing.yml: No such file or directory"

# test-rules --junit: the same inputs give a JUnit file with the error; so does a bad line with a
# control character and bytes that are not UTF-8, which XML cannot hold.
printf 'rule_files: [rules.yml]\ntests:\n  - interval: 1m\n    input_series: [\x01\xff\n' >binary.yml
for f in syntax.yml field.yml missing.yml binary.yml; do
  rm -f "$TMP/j.xml"
  run test-rules --junit "$TMP/j.xml" "$f"
  expect_rc 2
  /usr/bin/python3 - "$TMP/j.xml" "$f" <<'PY' || fail "$f: not the JUnit expected: $(cat "$TMP/j.xml" 2>&1)"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite, = root.findall("testsuite")
assert suite.get("name") == sys.argv[2] and suite.get("errors") == "1" and suite.get("tests") == "1", suite.attrib
case, = suite.findall("testcase")
error, = case.findall("error")
f = sys.argv[2]
if f == "missing.yml":
    assert error.get("message") == "cannot read missing.yml: No such file or directory", error.attrib
else:
    assert error.get("message") == f"the test input {f} is invalid", error.attrib
    assert f"{f}:" in error.text and "error:" in error.text, error.text
PY
done

# routes test --cases: an unknown field of a case, a missing cases file.
printf 'route:\n  receiver: team\nreceivers:\n  - name: team\n' >am.yml
printf 'cases:\n  - labels: {alertname: A}\n    receiver: [team]\n' >cases.yml
sarif routes test --alertmanager am.yml --cases cases.yml
expect_rc 2
stopped 2 "the cases file cases.yml is invalid" yaml/unknown-field cases.yml 3
sarif routes test --alertmanager am.yml --cases missing.yml
expect_rc 2
stopped 2 "cannot read missing.yml: No such file or directory"

# slo generate: an unknown field, a spec that stops at --fail-on warning (exit 1, its warning a
# result), a missing spec.
printf 'slos:\n  - name: a\n    objective: 0.99\n    windw: 30d\n    sli: {up: {job: neurosymbolic-app}}\n' >slo_field.yml
printf 'slos:\n  - name: a\n    objective: 0.99\n    window: 2d\n    sli: {up: {job: neurosymbolic-app}}\n' >slo_short.yml
sarif slo generate slo_field.yml --out "$TMP/slo_rules.yml"
expect_rc 2
stopped 2 "the SLO spec slo_field.yml is invalid" yaml/unknown-field slo_field.yml 4
sarif slo generate slo_short.yml --out "$TMP/slo_rules.yml"
expect_rc 1
stopped 1 "findings at or above --fail-on warning in slo_short.yml: nothing written" slo/window:warning slo_short.yml 4
sarif slo generate missing.yml --out "$TMP/slo_rules.yml"
expect_rc 2
stopped 2 "cannot read missing.yml: No such file or directory"
[ ! -e "$TMP/slo_rules.yml" ] || fail "slo generate wrote rules from a bad spec"

# The linters: a YAML syntax error is a finding of their report already; a missing input stops
# them as it stops the runners.
sarif lint-rules missing.yml
expect_rc 2
stopped 2 "cannot read missing.yml: No such file or directory"
sarif lint-metrics missing.txt
expect_rc 2
stopped 2 "cannot read missing.txt: No such file or directory"
sarif lint-alertmanager missing.yml
expect_rc 2
stopped 2 "cannot read missing.yml: No such file or directory"
sarif gen-dashboards --templates missing --out "$TMP/dashboards"
expect_rc 2
stopped 2 "no templates directory missing (give --templates DIR)"

# A run that finishes has no invocation: nothing says it stopped.
printf 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n' >one_rule.yml
sarif lint-rules one_rule.yml
expect_rc 0
/usr/bin/python3 -c 'import json, sys; assert "invocations" not in json.load(open(sys.argv[1]))["runs"][0]' "$TMP/out" ||
  fail "a finished run says it stopped"
