#!/usr/bin/env bash
# Findings whose words were not true of the input they came from (found writing the check pages):
# each input below once drew a wrong or missing statement.
source "$(dirname "$0")/lib.sh"
cd "$TMP"

# slo/events: errors that drop the total's matcher do not "select the same series as the total".
cat >slos.yml <<'YAML'
version: nsmon/v1
service: neurosymbolic-app
slos:
  - name: inference-success
    objective: 0.99
    window: 30d
    sli:
      errors: images_processed_total{status="failed"}
      total: images_processed_total{status="success"}
YAML
run slo generate --out r.yml slos.yml
expect_err "errors drop the total's matcher status"
grep -qF "same series" <<<"$out$err" && fail "slo/events claims the same series: $out"

# promql/rate-on-gauge: a histogram's base name is no gauge (catalog/histogram-base-name says what it is).
cat >rules.yml <<'YAML'
groups:
  - name: inference
    rules:
      - record: job:inference_time_seconds:rate5m
        expr: rate(inference_time_seconds[5m])
YAML
run lint-rules rules.yml
expect_out "[catalog/histogram-base-name]"
grep -qF "[promql/rate-on-gauge]" <<<"$out" && fail "a histogram called a gauge: $out"

# test-rules: a rule_files pattern that matches nothing is a warning of the report: counted, exit 1.
printf 'rule_files: [missing.yml]\ntests: [{input_series: []}]\n' >t.yml
run test-rules t.yml
expect_rc 1
expect_out "0 errors, 1 warning"
run test-rules --fail-on error t.yml
expect_rc 0

# alertmanager/missing-field names only fields the target version has: url_file came in 0.26.
printf 'route: {receiver: a}\nreceivers:\n  - name: a\n    webhook_configs: [{send_resolved: true}]\n' >am.yml
run lint-alertmanager am.yml
expect_out 'url must be configured (webhook_configs of receiver "a")'
run lint-alertmanager --alertmanager-version 0.26 am.yml
expect_out "one of url or url_file must be configured"

# slo generate --check: a missing file is missing, and the help is the command that writes it.
sed -i 's/total: images_processed_total{status="success"}/total: images_processed_total/' slos.yml
run slo generate --check --out rules_out.yml slos.yml
expect_rc 1
expect_out "rules_out.yml: error: missing: slos.yml makes it [generated/stale]"
expect_out "help: run nsmon slo generate slos.yml --out rules_out.yml"
echo ok
