#!/usr/bin/env bash
# --rule-schema vmalert (issue 56): a vmalert group's fields and MetricsQL are no errors under auto
# (one note each per file, naming vmalert) nor under vmalert (no note); under prometheus they are
# errors, as promtool 2.42 says; a PromQL typo in a vmalert group stays an error; a value vmalert
# refuses is an error. watch, backtest and test-rules cannot evaluate MetricsQL (nor LogQL): they
# refuse such a file with the reason, exit 2; lint-alertmanager --rules reads it.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
cat >vm.yml <<'YML'
groups:
  - name: vm
    concurrency: 2
    rules:
      - alert: Restarted
        expr: lag(process_start_time_seconds[1h]) < 900
        labels: {severity: warning}
        annotations: {summary: restarted, description: 'see {{ $expr | queryEscape }}'}
      - alert: Down
        expr: up == 0
        labels: {severity: critical}
        annotations: {summary: down, description: a target is down}
YML
peer_store "$SRC/tests/data/vmalert/vmalert-answers.json"
vmalert -rule=vm.yml -dryRun >v.out 2>&1 && vrc=0 || vrc=$?
[ $vrc -ne 97 ] || fail "$(cat v.out)" # peer.py: not stored, and no vmalert to ask
[ $vrc = 0 ] || fail "vmalert refuses the file: $(cat v.out)"
peer_store "$SRC/tests/data/other-rulers/promtool-answers.json"
promtool check rules vm.yml >p.out 2>&1 && prc=0 || prc=$?
[ $prc -ne 97 ] || fail "$(cat p.out)"
[ $prc = 1 ] && grep -q "field concurrency not found in type rulefmt.RuleGroup" p.out ||
  fail "promtool 2.42 accepts vmalert's field: $(cat p.out)"

run lint-rules vm.yml
expect_rc 0
expect_out "info: 'concurrency' is a vmalert field: the group is read as vmalert reads it"
expect_out "info: an expression in MetricsQL (vmalert), which Prometheus refuses (lag): not linted: Restarted (line 6)"
expect_out "0 errors, 0 warnings, 2 info"
run lint-rules --rule-schema vmalert vm.yml
expect_rc 0
expect_out "0 errors, 0 warnings, 1 info" # the MetricsQL note; the field is vmalert's without one
run lint-rules --rule-schema prometheus vm.yml
expect_rc 1
expect_out "error: unknown field 'concurrency' in a rule group [yaml/unknown-field]"
expect_out "error: unknown function with name \"lag\" [promql/syntax]"
expect_out "error: annotation \"description\": template: undefined variable \"\$expr\" [rules/template]"

# A typo is an error in a vmalert group, and a value vmalert refuses.
sed 's/up == 0/sum(up == 0/' vm.yml >typo.yml
run lint-rules typo.yml
expect_rc 1
expect_out "error: unclosed left parenthesis [promql/syntax]"
sed 's/concurrency: 2/concurrency: -2/' vm.yml >neg.yml
run lint-rules neg.yml
expect_rc 1
expect_out "error: vmalert refuses the file: invalid concurrency -2, shouldn't be less than 0 [rules/other-ruler]"

# The runners: nsmon evaluates PromQL only.
run watch --rules vm.yml --format plain --duration 1s -- true
expect_rc 2
expect_err "error: alert Restarted is written in MetricsQL (vmalert): nsmon evaluates PromQL only, so it cannot run this file [rules/other-ruler]"
expect_err "help: run it with vmalert"
run backtest --prometheus http://127.0.0.1:1 --retries 0 --since 1h vm.yml
expect_rc 2
expect_err "alert Restarted is written in MetricsQL (vmalert)"
cat >tests.yml <<'YML'
rule_files: [vm.yml]
tests:
  - interval: 1m
    input_series: [{series: 'up{job="a"}', values: '0x5'}]
    alert_rule_test: [{eval_time: 2m, alertname: Down}]
YML
run test-rules tests.yml
expect_rc 2
expect_err "alert Restarted is written in MetricsQL (vmalert)"
cat >loki.yml <<'YML'
groups:
  - name: loki
    rules:
      - alert: Errors
        expr: sum(rate({app="x"} |= "error" [5m])) > 1
YML
run watch --rules loki.yml --format plain --duration 1s -- true
expect_rc 2
expect_err "error: alert Errors is written in LogQL (Loki ruler): nsmon evaluates PromQL only, so it cannot run this file [rules/other-ruler]"
printf 'route: {receiver: r}\nreceivers: [{name: r}]\n' >am.yml
run lint-alertmanager --rules vm.yml am.yml
expect_rc 0
run lint-alertmanager --rule-schema vmalert --rules vm.yml am.yml
expect_rc 0
echo ok
