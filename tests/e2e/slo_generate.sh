#!/usr/bin/env bash
# nsmon slo generate: the repository's rules are up to date with rules/slos.yml; generated rules
# pass nsmon lint-rules and promtool check rules; the generated tests pass nsmon test-rules and
# promtool test rules, and fail under both when a burn-rate threshold is off (the tests can
# tell); spec errors are positioned.
source "$(dirname "$0")/lib.sh"
cd "$SRC"
run slo generate --check --tests rules/slo_rules_test.yml
expect_rc 0
expect_out "up to date: 2 files from rules/slos.yml"
run lint-rules rules/slo_rules.yml
expect_rc 0
expect_out "no problems found in 1 file (64 rules)"

# A one-SLO spec (7d window: factors 3.36, 1.4, 0.7, 0.233), generated into a scratch folder.
cat >"$TMP/slos.yml" <<'YML'
version: nsmon/v1
service: detector
slos:
  - name: success
    objective: 0.99
    window: 7d
    min_events_per_hour: 60
    sli:
      errors: images_processed_total{status="failed"}
      total: images_processed_total
YML
run slo generate "$TMP/slos.yml" --out "$TMP/rules.yml" --tests "$TMP/tests.yml"
expect_rc 0
grep -q "SuccessSLOBurnRate1h" "$TMP/rules.yml" || fail "no 1h alert: $(cat "$TMP/rules.yml")"
grep -q "> (3.36 \* 0.01)" "$TMP/rules.yml" || fail "the 1h factor is not scaled to 7d"
grep -q "^  - 'rules.yml'" "$TMP/tests.yml" || fail "rule_files is not relative to the tests file"
# Generated twice, the same bytes.
cp "$TMP/rules.yml" "$TMP/rules.first"
run slo generate "$TMP/slos.yml" --out "$TMP/rules.yml" --tests "$TMP/tests.yml"
cmp -s "$TMP/rules.yml" "$TMP/rules.first" || fail "not deterministic"
run test-rules "$TMP/tests.yml"
expect_rc 0
expect_out "tests: 9 passed, 0 failed"
if command -v promtool >/dev/null; then
  promtool check rules "$TMP/rules.yml" >/dev/null || fail "promtool refuses the generated rules"
  promtool test rules "$TMP/tests.yml" >"$TMP/p.out" 2>&1 || fail "promtool test rules: $(tail -20 "$TMP/p.out")"
  # A threshold off by 10%: the tests at 1.05x and 0.95x must notice.
  sed -i 's/> (3.36 \* 0.01)/> (3.7 * 0.01)/' "$TMP/rules.yml"
  promtool test rules "$TMP/tests.yml" >"$TMP/p.out" 2>&1 && fail "the tests pass with a wrong threshold"
  grep -q "SuccessSLOBurnRate1h" "$TMP/p.out" || fail "the failure does not name the alert: $(tail -5 "$TMP/p.out")"
else
  sed -i 's/> (3.36 \* 0.01)/> (3.7 * 0.01)/' "$TMP/rules.yml"
fi
run test-rules "$TMP/tests.yml"
expect_rc 1
expect_out "SuccessSLOBurnRate1h"

# Spec errors: positioned, exit 2, nothing written.
cat >"$TMP/bad.yml" <<'YML'
slos:
  - name: latency
    objective: 95
    window: 2h
    sli:
      latency: {metric: inference_time_seconds, le: 0.75}
  - name: errors
    objective: 0.99
    sli:
      errors: images_processed_total{status="broken"}
      total: images_processed_total
YML
run slo generate "$TMP/bad.yml" --out "$TMP/bad_rules.yml"
expect_rc 2
expect_err "$TMP/bad.yml:3:16: error: objective 95 is not in (0, 1) [slo/objective]"
expect_err "help: a ratio: write 0.95"
expect_err "$TMP/bad.yml:4:13: error: an SLO window of 2h is not sane: between 1d and 1y [slo/window]"
expect_err "le 0.75 is not a bucket bound of inference_time_seconds"
expect_err "label status of images_processed_total never has the value \"broken\" (values: success, failed) [slo/label]"
[ ! -e "$TMP/bad_rules.yml" ] || fail "wrote rules from a broken spec"
