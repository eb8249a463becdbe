#!/usr/bin/env bash
# Rule files read as Prometheus reads them (Go's yaml.v3): merge keys resolved (labels shared with
# `<<: *page` lint clean), a byte order mark skipped, a key line without ':' refused.
source "$(dirname "$0")/lib.sh"
cat >"$TMP/merge.yml" <<'YML'
groups:
  - name: g
    rules:
      - alert: DetectorDown
        expr: up{job="neurosymbolic-app"} == 0
        for: 1m
        labels: &page {severity: critical}
        annotations: &text {summary: "down", description: "{{ $labels.instance }} is down"}
      - alert: DetectorDownLong
        expr: up{job="neurosymbolic-app"} == 0
        for: 10m
        labels: {<<: *page, component: detector}
        annotations:
          <<: *text
YML
run --color never lint-rules "$TMP/merge.yml"
expect_rc 0
expect_out "no problems found in 1 file (2 rules)"
{ printf '\xef\xbb\xbf'; cat "$TMP/merge.yml"; } >"$TMP/bom.yml"
run --color never lint-rules "$TMP/bom.yml"
expect_rc 0
printf 'groups: []\nb\n' >"$TMP/nocolon.yml"
run --color never lint-rules "$TMP/nocolon.yml"
expect_rc 1
expect_out "$TMP/nocolon.yml:2:1: error: YAML: could not find expected ':' [yaml/syntax]"
