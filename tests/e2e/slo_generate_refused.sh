#!/usr/bin/env bash
# nsmon slo generate stops, with the spec's file:line, wherever what it would write is refused by
# promtool 2.42 or by lint-rules at error severity (issue 58), and writes nothing (exit 2): an SLO
# written twice (in one document or two, nsmon's and Sloth's), a traffic guard that is no count of
# events, a label or annotation name Prometheus 2.x does not read, a template that does not parse,
# a matcher the catalog contradicts (slo/label, an error in both kinds of spec). What it still
# writes from names and values that need quoting, promtool check rules accepts. promtool's answers
# are stored in tests/e2e/peers/slo_generate_refused.json (tests/support/peer.py).
source "$(dirname "$0")/lib.sh"
peer_store "$SRC/tests/e2e/peers/slo_generate_refused.json"
cd "$TMP"

# refused SPEC_TEXT MESSAGE...: the spec (spec.yml) is refused with exit 2, each MESSAGE on
# stderr, and no rule file written.
refused() {
  printf '%s\n' "$1" >"$TMP/spec.yml"
  shift
  rm -f "$TMP/rules.yml"
  run slo generate spec.yml --out "$TMP/rules.yml"
  expect_rc 2
  for m in "$@"; do expect_err "$m"; done
  expect_err "nsmon: error: the SLO spec spec.yml is invalid"
  [ ! -e "$TMP/rules.yml" ] || fail "wrote rules from a refused spec: $(head -5 "$TMP/rules.yml")"
}

up_slo='    objective: 0.99
    sli: {up: {job: neurosymbolic-app}}'
events='    objective: 0.99
    sli:
      errors: images_processed_total{status="failed"}
      total: images_processed_total'
sloth_slo="version: prometheus/v1
service: detector
slos:
  - name: inference
    objective: 99
    sli:
      events:
        error_query: sum(rate(images_processed_total{status=\"failed\"}[{{.window}}]))
        total_query: sum(rate(images_processed_total[{{.window}}]))
    alerting: {name: Inference}"

# One SLO written twice: promtool refuses the repeated group ("groupname: \"slo-a\" is repeated
# in the same file"), in one document and across two (several documents make one rule file).
refused "slos:
  - name: a
$up_slo
  - name: a
$up_slo" \
  "spec.yml:5:5: error: SLO a is defined twice (first on line 2): its rule group slo-a would be written twice, and Prometheus refuses a rule file that repeats a group name [slo/objective]"
refused "service: x
slos:
  - name: a
$up_slo
---
service: y
slos:
  - name: a
$up_slo" \
  "spec.yml:9:5: error: SLO a is defined twice (first on line 3): its rule group slo-a would be written twice"
refused "$sloth_slo
---
$sloth_slo" \
  "spec.yml:15:5: error: SLO detector-inference is defined twice (first on line 4): its rule group sloth-slo-sli-recordings-detector-inference would be written twice"

# Fields written without a value (YAML's null, which the parser places at the next token): said
# at their key, not on the next line.
refused "slos:
  - name: a
    objective:
    window:
    sli: {up: {job: neurosymbolic-app}}" \
  "spec.yml:3:5: error: objective has no value [yaml/type]" "spec.yml:4:5: error: window has no value [yaml/type]"
refused "service: detector
slos:" "spec.yml:2:1: error: slos has no value [yaml/type]"

# An nsmon spec and a Sloth one in one file: one rule file is written one way (the Sloth SLO
# got nsmon's rules, silently).
refused "slos:
  - name: a
$up_slo
---
$sloth_slo" \
  "spec.yml:9:5: error: this document is a Sloth prometheus/v1 spec, the first an nsmon/v1 spec: the SLOs of one file are generated into one output, one way [yaml/type]"

# The traffic guard: below 0 it guards nothing (always true), at .inf the alerts never fire;
# Prometheus takes either.
for bad in -5 .inf .nan; do
  refused "slos:
  - name: a
    min_events_per_hour: $bad
$events" "spec.yml:3:26: error: min_events_per_hour $bad is not a number of events, 0 or more (the burn-rate alerts stay silent below it) [yaml/type]"
done
refused "slos:
  - name: a
    min_events_per_hour: lots
$events" "spec.yml:3:26: error: min_events_per_hour must be a number [yaml/type]"

# Names promtool 2.42 refuses ("invalid label name: bad-name"): the spec's labels, an up SLI's
# matchers (the selector would not parse), a Sloth alert's annotations.
refused "labels: {bad-name: x}
slos:
  - name: a
$up_slo" "spec.yml:1:10: error: 'bad-name' is not a label name Prometheus 2.x reads (letters, digits and _, not starting with a digit): promtool 2.42 refuses the generated rules [rules/label-name]"
refused "slos:
  - name: a
    objective: 0.99
    sli: {up: {0job: neurosymbolic-app}}" "spec.yml:4:16: error: '0job' is not a label name Prometheus 2.x reads"
refused "${sloth_slo/\{name: Inference\}/{name: Inference, annotations: {runbook-url: x}}}" \
  "spec.yml:10:47: error: 'runbook-url' is not a label name Prometheus 2.x reads"

# A label value Prometheus expands as a template that does not parse: refused by promtool
# ("template: __alert_...: unclosed action"), an error of lint-rules on the generated rules.
refused "labels: {team: '{{ \$value'}
slos:
  - name: a
$up_slo" "spec.yml:3:5: error: SLO a: a generated rule (ASLOBurnRate1h) would fail lint-rules: label \"team\": template: unclosed action [rules/template]"

# A label value the catalog says never occurs makes an empty SLI whose alerts never fire:
# slo/label, an error in nsmon's specs (at the selector) and in Sloth's (at the SLO).
refused "slos:
  - name: a
    objective: 0.99
    sli:
      errors: images_processed_total{status=\"failure\"}
      total: images_processed_total" \
  "spec.yml:5:15: error: label status of images_processed_total never has the value \"failure\" (values: success, failed) [slo/label]"
refused "${sloth_slo//failed/failure}" \
  "spec.yml:4:5: error: SLO inference: label status of images_processed_total never has the value \"failure\" (values: success, failed) [slo/label]"

# What still gets written, with names and values that need quoting (a " in the SLO's name, which
# its selectors quote; a line break in a label value, which YAML would fold into a space): the
# rules load in promtool, and the value is kept.
cat >"$TMP/quoted.yml" <<'YML'
labels: {team: "ml\nvision"}
slos:
  - name: 'say "hi"'
    objective: 0.99
    sli: {up: {job: 'neuro"symbolic'}}
  - name: success
    objective: 0.99
    min_events_per_hour: 0
    sli:
      errors: images_processed_total{status="failed"}
      total: images_processed_total
YML
run slo generate quoted.yml --out "$TMP/quoted_rules.yml"
expect_rc 0
promtool check rules "$TMP/quoted_rules.yml" >"$TMP/p.out" 2>&1 || fail "promtool refuses: $(cat "$TMP/p.out")"
grep -qF 'slo:sli_error:ratio_rate1h{slo="say \"hi\""}' "$TMP/quoted_rules.yml" || fail "the name is not quoted: $(head -20 "$TMP/quoted_rules.yml")"
grep -qF 'team: "ml\nvision"' "$TMP/quoted_rules.yml" || fail "the line break is not kept: $(head -12 "$TMP/quoted_rules.yml")"
run lint-rules --fail-on error "$TMP/quoted_rules.yml"
expect_rc 0
