#!/usr/bin/env bash
# Bad templates give compiler-style errors at file:line:col (unknown panel type, unknown unit,
# bad PromQL, YAML syntax), exit 1, and nothing is written.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/w/t" && cd "$TMP/w" # lib.sh keeps its own files in $TMP
cat >t/bad.yml <<'YML'
uid: bad
title: Bad
variables: [datasource, job, instance]
rows:
  - title: Row
    panels:
      - type: graph
        title: Old
        description: Deprecated type.
        queries:
          - expr: up{job=~"$job", instance=~"$instance"}
      - type: timeseries
        title: Unit
        description: Unknown unit.
        unit: megabytes
        queries:
          - expr: memory_usage_bytes{job=~"$job", instance=~"$instance"}
      - type: timeseries
        title: PromQL
        description: Bad PromQL.
        queries:
          - expr: rate(errors_total{job=~"$job", instance=~"$instance"}[$__rate_interval]
YML
printf 'uid: y\ntitle: "unterminated\n' >t/yaml.yml
run gen-dashboards --templates t --out out
expect_rc 1
expect_err "t/bad.yml:7:15: error: panel type 'graph' was removed from Grafana"
expect_err "t/bad.yml:15:15: error: unknown unit 'megabytes'"
expect_err "t/bad.yml:22:89: error: unclosed left parenthesis [promql/syntax]"
expect_err "t/yaml.yml:3:1: error: YAML: missing closing quote"
expect_err "nothing written"
[ ! -e out ] || fail "the output directory was created"
