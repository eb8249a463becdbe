#!/usr/bin/env bash
# --rule-schema (issue 56): a Thanos Ruler group's partial_response_strategy and a Mimir group's
# source_tenants are no errors under auto (the default), in lint-rules and in test-rules, which
# then runs the rules; promtool 2.42 refuses the file (checked here), and so does
# --rule-schema prometheus; a value Thanos Ruler refuses stays an error. The setting and
# NSMON_RULE_SCHEMA choose the schema too; an unknown one is a usage error. backtest,
# lint-alertmanager --rules and watch --rules read the files the same way.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
cat >rules.yml <<'YML'
groups:
  - name: thanos
    partial_response_strategy: warn
    rules:
      - alert: Down
        expr: up == 0
        labels: {severity: critical}
        annotations: {summary: down, description: a target is down}
  - name: mimir
    source_tenants: [team-a, team-b]
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
YML
cat >tests.yml <<'YML'
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: '0x5'
    alert_rule_test:
      - eval_time: 2m
        alertname: Down
        exp_alerts: [{exp_labels: {job: a, severity: critical}, exp_annotations: {summary: down, description: a target is down}}]
YML
peer_store "$SRC/tests/data/other-rulers/promtool-answers.json"
promtool check rules rules.yml >p.out 2>&1 && prc=0 || prc=$?
[ $prc -ne 97 ] || fail "$(cat p.out)" # peer.py: not stored, and no promtool to ask
[ $prc = 1 ] || fail "promtool 2.42 accepts another ruler's fields: $(cat p.out)"
grep -q "field partial_response_strategy not found in type rulefmt.RuleGroup" p.out ||
  fail "promtool's refusal: $(cat p.out)"
run lint-rules rules.yml
expect_rc 0
expect_out "info: 'partial_response_strategy' is a Thanos Ruler field"
expect_out "info: 'source_tenants' is a Mimir ruler field"
expect_out "0 errors, 0 warnings, 2 info"
run lint-rules --rule-schema prometheus rules.yml
expect_rc 1
expect_out "error: unknown field 'partial_response_strategy' in a rule group [yaml/unknown-field]"
expect_out "error: unknown field 'source_tenants' in a rule group [yaml/unknown-field]"
NSMON_RULE_SCHEMA=prometheus run lint-rules rules.yml
expect_rc 1
mkdir -p cfg/nsmon && printf 'rule_schema: thanos\n' >cfg/nsmon/config.yml
XDG_CONFIG_HOME=$TMP/cfg run lint-rules rules.yml
expect_rc 1 # Thanos Ruler refuses Mimir's field
expect_out "error: unknown field 'source_tenants' in a rule group [yaml/unknown-field]"
run test-rules tests.yml
expect_rc 0
expect_out "1 test: 1 passed, 0 failed"
run test-rules --rule-schema prometheus tests.yml
expect_rc 2
expect_err "error: unknown field 'partial_response_strategy' in a rule group [yaml/unknown-field]"
# The other commands that read rule files take the same flag: under auto they load the file and
# go on (backtest then finds no server, exit 3; watch runs the command); under prometheus the
# file is refused before anything else (exit 2).
run backtest --rule-schema prometheus --prometheus http://127.0.0.1:1 --retries 0 --since 1h rules.yml
expect_rc 2
expect_err "unknown field 'partial_response_strategy' in a rule group"
run backtest --prometheus http://127.0.0.1:1 --retries 0 --since 1h rules.yml
expect_rc 3
expect_err "cannot connect to http://127.0.0.1:1/"
printf 'route: {receiver: r}\nreceivers: [{name: r}]\n' >am.yml
run lint-alertmanager --rule-schema prometheus --rules rules.yml am.yml
expect_rc 2
expect_err "unknown field 'partial_response_strategy' in a rule group"
run lint-alertmanager --rules rules.yml am.yml
expect_rc 0
run watch --rule-schema prometheus --rules rules.yml --format plain --duration 1s -- true
expect_rc 2
expect_err "unknown field 'partial_response_strategy' in a rule group"
run lint-rules --rule-schema sometimes rules.yml
expect_rc 2
sed -i 's/partial_response_strategy: warn/partial_response_strategy: sometimes/' rules.yml
run lint-rules rules.yml
expect_rc 1
expect_out "error: Thanos Ruler refuses the file: partial_response_strategy is warn or abort, not \"sometimes\" [rules/other-ruler]"
echo ok
