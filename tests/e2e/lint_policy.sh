#!/usr/bin/env bash
# --policy FILE: disables checks and changes severities for the loaders' findings and the checks'
# alike; a broken policy is a positioned error (with did-you-mean) and exit 2.
source "$(dirname "$0")/lib.sh"
cat >"$TMP/r.yml" <<'YML'
groups:
  - name: g
    rules:
      - alert: A
        expr: up == 0
        for: 5 minutes
        labels: {severity: page}
        annotations: {summary: "down", description: "down"}
YML
run lint-rules "$TMP/r.yml"
expect_rc 1
expect_out "[rules/duration]"
expect_out "[policy/severity]"
printf 'severity_values: [page]\nseverity: {rules/duration: warning}\n' >"$TMP/p1.yml"
run lint-rules --policy "$TMP/p1.yml" --fail-on error "$TMP/r.yml"
expect_rc 0
expect_out "warning: not a valid duration"
[[ "$out" != *"policy/severity"* ]] || fail "severity_values not applied"
printf 'disable: [rules/duration]\nseverity_values: [page]\n' >"$TMP/p2.yml"
run lint-rules --policy "$TMP/p2.yml" "$TMP/r.yml"
expect_rc 0
expect_out "no problems found"
printf 'disable: [rules/durations]\nfoo: 1\n' >"$TMP/bad.yml"
run lint-rules --policy "$TMP/bad.yml" "$TMP/r.yml"
expect_rc 2
expect_err "$TMP/bad.yml:1:11: error: unknown check 'rules/durations' [policy-file/unknown-check]"
expect_err "help: did you mean 'rules/duration'?"
expect_err "$TMP/bad.yml:2:1: error: unknown field 'foo' in a policy file"
expect_err "nsmon: error: the policy $TMP/bad.yml is invalid"
[ -z "$out" ] || fail "linted with a broken policy: $out"
run lint-rules --policy "$TMP/none.yml" "$TMP/r.yml"
expect_rc 2
expect_err "cannot read $TMP/none.yml"

# --disable CHECK (issue 39: lint-metrics had it, lint-rules did not): a policy's disable list
# from the command line, comma-separated and repeatable; a file after it stays a file.
printf 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: cpu_usage_percent > 0.9\n' >"$TMP/d.yml"
run lint-rules "$TMP/d.yml"
expect_rc 1
expect_out "[units/percent-as-ratio]"
run lint-rules --disable units/percent-as-ratio,policy/severity --disable policy/annotations "$TMP/d.yml"
expect_rc 0
expect_out "no problems found"
run lint-rules --disable units/percent-as-ratios "$TMP/d.yml"
expect_rc 2
expect_err "unknown check 'units/percent-as-ratios' (did you mean 'units/percent-as-ratio'?)"
run lint-rules --disable policy/annotations --list-checks
expect_out "policy/annotations"
grep -q "^policy/annotations  *off" <<<"$out" || fail "--list-checks does not show the disabled check off: $out"
