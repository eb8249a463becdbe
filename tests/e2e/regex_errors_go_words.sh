#!/usr/bin/env bash
# A regex that Go refuses, in each of the five places nsmon checks one (a PromQL matcher, a relabel
# rule of prometheus.yml, an Alertmanager matcher and match_re, a test's `matches:` expectation, a
# template's reReplaceAll): one wording, Go's, naming the pattern as written.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
want='error parsing regexp: missing closing ): `(a`'

printf 'groups:\n  - name: g\n    rules:\n      - record: x:up:sum\n        expr: sum(up{job=~"(a"})\n' >rules.yml
run lint-rules rules.yml
expect_rc 1
expect_out "rules.yml:5:22: error: $want [promql/syntax]"

printf 'scrape_configs:\n  - job_name: a\n    static_configs: [{targets: [localhost:1]}]\n    relabel_configs:\n      - {regex: "(a", action: keep}\n' >prometheus.yml
run lint-rules --config prometheus.yml
expect_rc 1
expect_out "prometheus.yml:5:17: error: $want [config/relabel]"

printf 'route:\n  receiver: r\n  routes:\n    - matchers: ["job=~(a"]\n      receiver: r\n    - match_re: {job: "(a"}\n      receiver: r\nreceivers:\n  - name: r\n' >alertmanager.yml
run lint-alertmanager alertmanager.yml
expect_rc 1
expect_out "invalid regex \"(a\": $want [alertmanager/matcher]"
expect_out "invalid regex \"(a\" in match_re: $want [alertmanager/matcher]"

# A test's `matches:` on a notification's text (an nsmon extension of promtool's format).
cp "$SRC/rules/alertmanager.yml" "$SRC/rules/alert_rules.yml" .
sed 's/text: {contains: "Error rate is 2 errors\/second"}/text: {matches: "(a"}/' "$SRC/rules/alert_path_test.yml" >alert_path_test.yml
grep -q 'matches: "(a"' alert_path_test.yml || fail "the test file changed: no text to replace"
run test-rules alert_path_test.yml
expect_rc 2
expect_err "invalid regular expression '(a': $want"

# A template's reReplaceAll, as Go's regexp.MustCompile panics (Prometheus prints the panic).
printf 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: vector(1)\n        labels: {severity: warning}\n        annotations: {summary: '"'"'{{ reReplaceAll "(a" "x" "y" }}'"'"', description: d}\n' >tmpl_rules.yml
printf 'rule_files: [tmpl_rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series: []\n    alert_rule_test:\n      - eval_time: 1m\n        alertname: A\n        exp_alerts:\n          - exp_labels: {severity: warning}\n            exp_annotations: {summary: y, description: d}\n' >tmpl_test.yml
run test-rules tmpl_test.yml
grep -qF "regexp: Compile(\`(a\`): $want" <<<"$out$err" || fail "template: $out $err"
echo ok
