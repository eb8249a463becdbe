#!/usr/bin/env bash
# Bad templates give compiler-style errors at file:line:col (unknown panel type, unknown unit,
# bad PromQL, YAML syntax) on stdout, as every command's report, exit 1, and nothing is written.
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
expect_out "t/bad.yml:7:15: error: panel type 'graph' was removed from Grafana"
expect_out "t/bad.yml:15:15: error: unknown unit 'megabytes'"
expect_out "t/bad.yml:22:89: error: unclosed left parenthesis [promql/syntax]"
expect_out "t/yaml.yml:3:1: error: YAML: missing closing quote"
expect_out "4 errors, 0 warnings, 0 info in t (2 templates)"
expect_err "nsmon: error: errors in t: nothing written"
[ ! -e out ] || fail "the output directory was created"

# The same report as lint-rules': --format json, and --fail-on decides what stops the generation.
run gen-dashboards --templates t --out out --format json
expect_rc 1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["errors"] == 4 and d["summary"]["templates"] == 2, d["summary"]' <(printf '%s' "$out") ||
  fail "--format json is not the report: $out"
# Errors stop the generation whatever --fail-on says: such a template cannot be rendered.
run gen-dashboards --templates t --out out --fail-on never
expect_rc 1
expect_err "nsmon: error: errors in t: nothing written"
[ ! -e out ] || fail "the output directory was created with --fail-on never"
[ ! -e out ] || fail "the output directory was created"
