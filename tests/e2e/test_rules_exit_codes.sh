#!/usr/bin/env bash
# test-rules: exit 0 when every test passes, 1 when one fails (a diff at the test's file:line),
# 2 for an invalid test file (positioned, before anything runs); --run, --junit, --format json,
# --coverage and --coverage-min.
source "$(dirname "$0")/lib.sh"
C=$SRC/tests/data/ruletest/corpus
cp "$C"/basic_rules.yml "$C"/basic_test.yml "$C"/basic_fail_test.yml "$C"/unknown_field_test.yml "$TMP/"
cd "$TMP"

run test-rules basic_test.yml
expect_rc 0
expect_out "1 file (1 test: 1 passed, 0 failed)"

run test-rules basic_fail_test.yml
expect_rc 1
expect_out "basic_fail_test.yml:16:9: error: test 'down then up': alertname: InstanceDown, time: 3m"
# One annotation differs: the pair shows it, not two whole alerts.
expect_out '    ~ {alertname="InstanceDown", annotations.summary: a of api is down, instance="a", job="api", severity="page"}'
expect_out '    -   annotations.value: 1'
expect_out '    +   annotations.value: 0'

run test-rules unknown_field_test.yml basic_test.yml
expect_rc 2
expect_err "unknown_field_test.yml:7:9: error: unknown field 'valuess' in an input series [yaml/unknown-field]"
expect_err "did you mean 'values'?"
[ -z "$out" ] || fail "an invalid file must stop everything before a test runs: $out"

# A directory stands for its unit-test files; the rule files beside them are read through the
# tests' rule_files, not as tests.
mkdir tdir
cp basic_rules.yml basic_test.yml tdir/
run test-rules tdir
expect_rc 0
expect_out "1 file (1 test: 1 passed, 0 failed)"

# --run: only the tests whose name matches (promtool's --run); none left means nothing failed.
run test-rules --run '^nothing' basic_fail_test.yml
expect_rc 0
expect_out "1 not selected"
run test-rules --run 'down' basic_fail_test.yml
expect_rc 1
# Before several files, each stays a file: a repeatable option once took every word after it, and
# the failing file was read as a second regex.
run test-rules --run 'down' --run '^nothing' basic_test.yml basic_fail_test.yml
expect_rc 1
expect_out "in 2 files"

# --junit: written even when tests fail, one suite per file, one case per test.
run test-rules --junit report.xml basic_test.yml basic_fail_test.yml
expect_rc 1
grep -q '<testsuite name="basic_fail_test.yml" tests="1" failures="1"' report.xml || fail "junit: $(cat report.xml)"
grep -q '<testcase name="down then up"' report.xml || fail "junit: $(cat report.xml)"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' report.xml || fail "junit is not XML"

run test-rules --format json basic_test.yml basic_fail_test.yml
expect_rc 1
python3 - "$out" <<'PY' || fail "json: $out"
import json, sys
r = json.loads(sys.argv[1])
s = r["summary"]
assert (s["tests"], s["passed"], s["failed"]) == (2, 1, 1), s
assert all(f["check"] == "ruletest/failed" for f in r["findings"]), r["findings"]
PY

# Coverage: the three rules are exercised by basic_test.yml; a test file that tests nothing
# leaves all of them uncovered, and --coverage-min turns that into a failure.
run test-rules --coverage basic_test.yml
expect_rc 0
expect_out "coverage 100.0% (3/3 rules)"
cat > empty_test.yml <<'YAML'
rule_files: [basic_rules.yml]
tests:
  - input_series: []
YAML
run test-rules --coverage empty_test.yml
expect_rc 0
expect_out "alerting rule InstanceDown is named by no alert_rule_test"
expect_out "coverage 0.0% (0/3 rules)"
run test-rules --coverage-min 50 empty_test.yml
expect_rc 1
expect_out "coverage 0.0% is below --coverage-min 50"
# A failed test and --coverage-min are gates of their own: --fail-on governs the other findings.
run test-rules --fail-on never --coverage-min 90.5 empty_test.yml
expect_rc 1
expect_out "coverage 0.0% is below --coverage-min 90.5"
run test-rules --fail-on never basic_fail_test.yml
expect_rc 1
# A file with no tests passes, but says so.
printf 'rule_files: [basic_rules.yml]\ntests: []\n' >no_tests.yml
run test-rules no_tests.yml
expect_rc 1
expect_out "no_tests.yml:1:1: warning: no tests in this file: it passes without testing anything [ruletest/no-tests]"
run test-rules --fail-on error no_tests.yml
expect_rc 0

# The sample limit: promtool's 10,000 by default, --max-samples N otherwise.
cat > samples_test.yml <<'YAML'
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: m
        values: '1x100'
    promql_expr_test:
      - expr: count_over_time(m[1h])
        eval_time: 90m
        exp_samples:
          - value: 61
YAML
# 61: the samples of [30m, 90m], the window's start included (Prometheus 2.x, the default).
run test-rules samples_test.yml
expect_rc 0
run test-rules --max-samples 10 samples_test.yml
expect_rc 1
expect_out "err: query processing would load too many samples into memory in query execution"

# An invalid rule file: its PromQL error at its place, nothing runs.
cat > bad_rules.yml <<'YAML'
groups:
  - name: g
    rules:
      - record: r
        expr: 'up +'
YAML
printf 'rule_files: [bad_rules.yml]\ntests:\n  - input_series: []\n' >bad_test.yml
run test-rules bad_test.yml
expect_rc 2
expect_err "bad_rules.yml:5:19: error: unexpected end of input [promql/syntax]"

# --diff (promtool's flag) is accepted; --debug writes the state to stderr in the notation
# input_series reads, and a line of it, pasted back, is the same series.
run test-rules --diff basic_fail_test.yml
expect_rc 1
expect_out '    +   annotations.value: 0'
run test-rules --debug --format json basic_fail_test.yml
expect_rc 1
python3 -c 'import json, sys; json.loads(sys.argv[1])' "$out" || fail "--debug must leave stdout JSON: $out"
expect_err "debug: basic_fail_test.yml:5: test 'down then up', failed, state at 8m"
expect_err '  up{instance="a",job="api"}  1 0+0x3 1+0x3'
line=$(printf '%s\n' "$err" | grep '^  job:up:sum{instance="b"')
cat > pasted_test.yml <<YAML
rule_files: [basic_rules.yml]
tests:
  - input_series:
      - series: '$(echo "$line" | awk '{print $1}')'
        values: '$(echo "$line" | cut -d' ' -f5-)'
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 8m
        exp_samples:
          - labels: '$(echo "$line" | awk '{print $1}')'
            value: 1
YAML
run test-rules pasted_test.yml
expect_rc 0
