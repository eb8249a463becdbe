#!/usr/bin/env bash
# A rules repository that is not only the detector's: PrometheusRule manifests, directories read
# recursively, other exporters' metrics named in the policy's `external:` list or --catalog none.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/repo/k8s" "$TMP/repo/.git" "$TMP/repo/node"
cat >"$TMP/repo/k8s/rules.yaml" <<'YML'
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated}
data: {a: b}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: kube}
spec:
  groups:
    - name: kube
      rules:
        - alert: KubePodCrashLooping
          expr: max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1
          for: 15m
          labels: {severity: warning}
          annotations: {summary: "crash looping", description: "{{ $labels.pod }} is crash looping"}
YML
cat >"$TMP/repo/node/node.yml" <<'YML'
groups:
  - name: node
    rules:
      - alert: NodeHighErrors
        expr: node_network_receive_errs_total > 10
        for: 5m
        labels: {severity: warning}
        annotations: {summary: "errors", description: "{{ $labels.instance }} has errors"}
YML
printf 'groups: [{name: hidden, rules: [{alert: X, expr: "up ==" }]}]\n' >"$TMP/repo/.git/ignored.yml"

# With the detector's catalog, the other exporters' metrics are unknown, said once, at info: the
# catalog cannot call another exporter's name wrong, and the short form fails no run for it.
run --color never lint-rules "$TMP/repo"
expect_rc 0
expect_out "$TMP/repo/k8s/rules.yaml:14:31: info: 1 metric with 1 name prefix is not in the catalog [catalog/other-exporters]"
expect_out "external: [kube_]"
grep -q "unknown-metric" <<<"$out" && fail "another exporter's metric reported as unknown: $out"
expect_out "in 2 files (2 rules)"
# A name that shares its first word with a catalog metric is the application's: an error.
sed 's/node_network_receive_errs_total/inference_errors_total/' "$TMP/repo/node/node.yml" >"$TMP/app.yml"
run --color never lint-rules "$TMP/app.yml"
expect_rc 1
expect_out "$TMP/app.yml:5:15: error: metric inference_errors_total is not in the catalog [catalog/unknown-metric]"
grep -q "ignored.yml" <<<"$out" && fail "a hidden directory was read: $out"

# Named as external in the policy: unchecked, but the semantic checks still run (a counter
# compared raw is recognised by its _total name). The name is a convention, not a fact: the
# finding says so, at info, which fails no run.
printf 'external: [kube_, node_]\n' >"$TMP/policy.yml"
run --color never lint-rules --policy "$TMP/policy.yml" "$TMP/repo"
expect_rc 0
grep -q "unknown-metric" <<<"$out" && fail "external prefixes still reported: $out"
expect_out "$TMP/repo/node/node.yml:5:15: info: node_network_receive_errs_total is named like a counter"
expect_out "[promql/counter-raw]"

# --catalog none: the same, with no catalog at all.
run --color never --catalog none lint-rules --format json "$TMP/repo"
expect_rc 0
/usr/bin/python3 - "$out" <<'PY' || fail "unexpected findings: $out"
import json, sys
d = json.loads(sys.argv[1])
checks = sorted(f["check"] for f in d["findings"])
assert checks == ["promql/counter-raw"], checks
assert d["summary"]["files"] == 2 and d["summary"]["rules"] == 2, d["summary"]
PY
