#!/usr/bin/env bash
# --prometheus-version: 2 includes a sample exactly on the start of a range, a lookback and a
# subquery's steps, as promtool 2.42 does (checked against it here), and is the default (Debian
# 12's Prometheus, named in the summary); 3 excludes it; both runs each and says which tests
# change verdict. The setting and NSMON_PROMETHEUS_VERSION choose it too; an unknown version is a
# usage error.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
printf 'groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n' >rules.yml
cat >tests.yml <<'YML'
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - name: edges
    interval: 1m
    input_series:
      - series: 'x'
        values: '1+1x20'
      - series: 'up{job="a"}'
        values: '0x5'            # the last sample at 5m: exactly 5m before eval_time 10m
    promql_expr_test:
      - expr: count_over_time(x[5m:1m])   # steps at 5m..10m under 2.x, 6m..10m under 3.x
        eval_time: 10m
        exp_samples: [{labels: '{}', value: 6}]
      - expr: count_over_time(x[5m])
        eval_time: 10m
        exp_samples: [{labels: '{}', value: 6}]
    alert_rule_test:
      - eval_time: 10m
        alertname: Down
        exp_alerts: [{exp_labels: {job: a}}]
  - name: plain
    interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: '0x10'
    alert_rule_test:
      - eval_time: 5m
        alertname: Down
        exp_alerts: [{exp_labels: {job: a}}]
YML
if command -v promtool >/dev/null; then
  promtool test rules tests.yml >p.out 2>&1 || fail "promtool 2.42 fails the 2.x expectations: $(cat p.out)"
fi
run test-rules --prometheus-version 2 tests.yml
expect_rc 0
expect_out "2 tests: 2 passed, 0 failed) under Prometheus 2.x"
run test-rules tests.yml
expect_rc 0
expect_out "2 tests: 2 passed, 0 failed) under Prometheus 2.x"
run test-rules --prometheus-version 3 tests.yml
expect_rc 1
expect_out "2 tests: 1 passed, 1 failed) under Prometheus 3.x"
[ "$(grep -c 'error: test .edges.' <<<"$out")" = 3 ] || fail "three failed checks of 'edges' under 3.x: $out"
run test-rules --prometheus-version both tests.yml
expect_rc 1
expect_out "under Prometheus 3.x only (passes under 2.x): test 'edges'"
expect_out "1 failed, 1 with a verdict that changes from 2.x to 3.x"
NSMON_PROMETHEUS_VERSION=3 run test-rules tests.yml
expect_rc 1
run test-rules --prometheus-version 4 tests.yml
expect_rc 2
expect_err "4 not in {2,3,both}"
echo ok
