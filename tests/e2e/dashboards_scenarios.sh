#!/usr/bin/env bash
# The dashboards in the scenarios of tests/scenarios/scenarios.py (issue 57): every panel test of
# tests/scenarios/panels.yml passes on the repository's templates (dashboards_scenarios_before.sh:
# each fails on the templates before issue 57). Then the panel tests' powers, each
# on a right panel and a wrong one: Grafana's reducer over a stat's range, the threshold colour,
# the unit, values at points of the range, and $__rate_interval as Grafana computes it from
# `interval:`.
source "$(dirname "$0")/lib.sh"
scenario_files
run test-rules "${files[@]}"
[ "$rc" -eq 0 ] || fail "the scenarios' panel tests fail on templates/ (exit $rc): $out $err"
expect_out "in ${#files[@]} files ("

# The powers, on one series: 1 2 3 for three minutes, then NaN (0/0 of an idle rate), which the
# minutes without a sample go on reading (the 5m lookback). A stat panel per reducer, each with a
# range query.
mkdir -p "$TMP/p"
cat >"$TMP/p/dash.yml" <<'YAML'
uid: p
title: Powers
variables: [datasource, job, instance]
rows:
  - title: Stats
    panels:
      - {type: stat, title: Last not null, reduce: lastNotNull, queries: [{expr: 'sum(g{job=~"$job"})', legend: g}]}
      - {type: stat, title: Last, reduce: last, queries: [{expr: 'sum(g{job=~"$job"})', legend: g}]}
      - {type: stat, title: Mean, reduce: mean, queries: [{expr: 'sum(g{job=~"$job"}) < 3', legend: g}]}
      - {type: stat, title: Max, reduce: max, queries: [{expr: 'sum(g{job=~"$job"})', legend: g}]}
      - {type: stat, title: Instant, queries: [{expr: 'sum(g{job=~"$job"})', legend: g, instant: true}]}
      - type: stat
        title: Coloured
        unit: percentunit
        thresholds: [{color: red}, {value: 2, color: orange}, {value: 3, color: green}]
        queries: [{expr: 'sum(g{job=~"$job"})', legend: g, instant: true}]
      - {type: timeseries, title: Rate, queries: [{expr: 'sum(rate(c{job=~"$job"}[$__rate_interval]))', legend: c}]}
      - {type: timeseries, title: Rate over the interval, queries: [{expr: 'sum(rate(c{job=~"$job"}[$__interval]))', legend: c}]}
YAML
test_file() { # test_file NAME PANEL_TESTS_YAML: a test file of the series above and the panel tests
  cat >"$TMP/p/$1.yml" <<YAML
dashboards: [dash.yml]
tests:
  - interval: 1m
    input_series:
      - {series: 'g{job="a"}', values: '1 2 3 NaN NaN _ _'}
      # One jump of 60 between minutes 39 and 40, then flat.
      - {series: 'c{job="a"}', values: '0x39 60x20'}
    panel_tests:
$2
YAML
}
# Reducers over the range [0, 6m]: lastNotNull skips the NaNs (3); last is NaN; mean adds every
# value, so "< 3" drops the NaNs (and 3) first: 1.5; max never takes a NaN (3).
test_file reduce '      - {eval_time: 6m, dashboard: p, panel: Last not null, exp_series: [{legend: g, value: 3}]}
      - {eval_time: 6m, dashboard: p, panel: Last, exp_series: [{legend: g, value: .nan}]}
      - {eval_time: 6m, dashboard: p, panel: Mean, exp_series: [{legend: g, value: 1.5}]}
      - {eval_time: 6m, dashboard: p, panel: Max, exp_series: [{legend: g, value: 3}]}'
run test-rules "$TMP/p/reduce.yml"
expect_rc 0
# An instant stat shows the value at 6m only, NaN: an expectation of the range's last number fails.
test_file instant '      - {eval_time: 6m, dashboard: p, panel: Instant, exp_series: [{legend: g, value: 3}]}'
run test-rules "$TMP/p/instant.yml"
expect_rc 1
expect_out '+   value: NaN'
# Colour and unit: 2 is orange (the step at 2 is reached), 3 green; a wrong colour and a wrong
# unit each fail with what the panel shows.
test_file color '      - {eval_time: 1m, dashboard: p, panel: Coloured, unit: percentunit, exp_series: [{legend: g, value: 2, color: orange}]}
      - {eval_time: 2m, dashboard: p, panel: Coloured, exp_series: [{legend: g, color: green}]}'
run test-rules "$TMP/p/color.yml"
expect_rc 0
test_file wrong_color '      - {eval_time: 1m, dashboard: p, panel: Coloured, unit: s, exp_series: [{legend: g, value: 2, color: red}]}'
run test-rules "$TMP/p/wrong_color.yml"
expect_rc 1
expect_out '+   color: orange'
expect_out "the panel's unit is percentunit, not s"
# Points of a graph's range: the value at each step asked for; one not on a step is invalid.
test_file points '      - {eval_time: 50m, dashboard: p, panel: Rate, exp_series: [{legend: c, points: [{at: 30m, value: 0}, {at: 42m, value: 0.25}]}]}'
run test-rules "$TMP/p/points.yml"
expect_rc 0
test_file wrong_points '      - {eval_time: 50m, dashboard: p, panel: Rate, exp_series: [{legend: c, points: [{at: 30m, value: 0}, {at: 42m, value: 0}]}]}'
run test-rules "$TMP/p/wrong_points.yml"
expect_rc 1
expect_out 'at 42m: 0.25'
# $__rate_interval with a panel interval of 10m and a 1m scrape: max(10m + 1m, 4 x 1m) = 11m.
# Grafana aligns the range query's end down to a multiple of its step: the graph's last point is
# at 40m, whose 11m window holds the jump, 60 / 660 s (the counter's zero stops the
# extrapolation). A panel reading [$__interval] (10m) shows 60 / 600 s there.
test_file rate '      - {eval_time: 49m, interval: 10m, dashboard: p, panel: Rate, exp_series: [{legend: c, value: 0.09090909090909091}]}'
run test-rules "$TMP/p/rate.yml"
expect_rc 0
sed 's/panel: Rate,/panel: Rate over the interval,/' "$TMP/p/rate.yml" >"$TMP/p/wrong_rate.yml"
run test-rules "$TMP/p/wrong_rate.yml"
expect_rc 1
expect_out '+   value: 0.1'
echo "ok: ${#files[@]} scenario files pass; reducer, colour, unit, points, rate interval"
