#!/usr/bin/env bash
# lint-rules exit codes: 0 clean, 1 findings at or above --fail-on (default warning), 0 when all
# findings are below it, 2 for usage errors and unreadable input; broken YAML is a finding (1).
source "$(dirname "$0")/lib.sh"
cat >"$TMP/clean.yml" <<'YML'
groups:
  - name: availability
    rules:
      - alert: DetectorDown
        expr: up{job="neurosymbolic-app"} == 0
        for: 1m
        labels: {severity: critical}
        annotations: {summary: "down", description: "{{ $labels.instance }} is down"}
YML
# The same alert twice: a warning (rules/duplicate-rule) and nothing worse.
{ cat "$TMP/clean.yml"; sed -n '4,8p' "$TMP/clean.yml"; } >"$TMP/warn.yml"
printf 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5 minutes\n' >"$TMP/error.yml"

run lint-rules "$TMP/clean.yml"
expect_rc 0
[ "$out" = "no problems found in 1 file (1 rule)" ] || fail "clean output: $out"
[ -z "$err" ] || fail "clean run wrote on stderr: $err"

run lint-rules "$TMP/warn.yml"
expect_rc 1
expect_out "[rules/duplicate-rule]"
expect_out "0 errors, 1 warning, 0 info in 1 file (2 rules)"
run lint-rules --fail-on error "$TMP/warn.yml"
expect_rc 0
expect_out "warning:"
run lint-rules --fail-on never "$TMP/error.yml"
expect_rc 0
run lint-rules --fail-on error "$TMP/error.yml"
expect_rc 1
run lint-rules --fail-on info "$TMP/clean.yml"
expect_rc 0
# Info findings only (promql/regex-anchors): below the default (warning), at --fail-on info.
sed 's/up{job="neurosymbolic-app"}/up{job=~"^neurosymbolic-app$"}/' "$TMP/clean.yml" >"$TMP/info.yml"
run lint-rules "$TMP/info.yml"
expect_rc 0
expect_out "0 errors, 0 warnings, 1 info in 1 file (1 rule)"
run lint-rules --fail-on info "$TMP/info.yml"
expect_rc 1
run lint-rules --fail-on info "$TMP/warn.yml"
expect_rc 1
run lint-rules --fail-on warning "$TMP/warn.yml"
expect_rc 1

# Not YAML at all: a positioned finding, not an error of nsmon.
printf 'groups: [\n  - {name: x\n' >"$TMP/broken.yml"
run lint-rules "$TMP/broken.yml"
expect_rc 1
expect_out "$TMP/broken.yml:"
expect_out "[yaml/syntax]"
# Bytes that are not text (the same every run): a positioned finding, exit 1.
/usr/bin/python3 -c 'import random,sys; r=random.Random(19); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(5000)))' >"$TMP/junk.yml"
run lint-rules "$TMP/junk.yml"
expect_rc 1
expect_out "$TMP/junk.yml:1:"

# Inputs that hold no rule at all: the gate checked nothing, and fails (rules/no-rules), naming
# what each file held; a file without rules beside one with rules is no such case.
: >"$TMP/empty.yml"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: detector}\n' >"$TMP/deploy.yml"
run lint-rules "$TMP/empty.yml" "$TMP/deploy.yml"
expect_rc 1
expect_out "error: no rule in 2 files, so nothing was checked: $TMP/empty.yml is empty; $TMP/deploy.yml holds Kubernetes objects but no rule manifest (Deployment) [rules/no-rules]"
expect_out "1 error, 0 warnings, 0 info in 2 files (0 rules)"
run lint-rules --fail-on never "$TMP/empty.yml"
expect_rc 0
run lint-rules "$TMP/empty.yml" "$TMP/deploy.yml" "$TMP/clean.yml"
expect_rc 0
[ "$out" = "no problems found in 3 files (1 rule)" ] || fail "a run with one rule: $out"

# Unreadable input and usage errors: exit 2 with nsmon: error.
run lint-rules "$TMP/missing.yml"
expect_rc 2
expect_err "nsmon: error: cannot read $TMP/missing.yml: No such file or directory"
[ -z "$out" ] || fail "printed a report for a missing file: $out"
mkdir "$TMP/empty-dir"
run lint-rules "$TMP/empty-dir"
expect_rc 2
expect_err "nsmon: error: no *.yml or *.yaml files in the directory $TMP/empty-dir"
run lint-rules --config "$TMP/missing-prometheus.yml"
expect_rc 2
expect_err "cannot read $TMP/missing-prometheus.yml"
run lint-rules --no-such-option "$TMP/clean.yml"
expect_rc 2
expect_err "nsmon: error:"
run lint-rules --fail-on sometimes "$TMP/clean.yml"
expect_rc 2
run lint-rules --format xml "$TMP/clean.yml"
expect_rc 2
run lint-rules --enable-feature promql-no-such-thing "$TMP/clean.yml"
expect_rc 2
expect_err "unknown feature 'promql-no-such-thing'"
run lint-rules --enable-feature promql-experimental-functions,promql-duration-expr "$TMP/clean.yml"
expect_rc 0
run --catalog "$TMP/missing-catalog.yml" lint-rules "$TMP/clean.yml"
expect_rc 2
expect_err "cannot read $TMP/missing-catalog.yml"

# Standard input, named <stdin> in findings.
set +e
out=$("$NSMON" lint-rules - <"$TMP/error.yml")
rc=$?
set -e
expect_rc 1
expect_out "<stdin>:6:14: error:"

# rules/duplicate-rule: the same record twice is reported unless a label both results keep is
# fixed by the selectors to values no string shares (kube-prometheus's code=~"2.." / "3..").
dup() { # dup REGEX1 REGEX2: a file with the record twice, split by code
  printf 'groups:\n  - name: g\n    rules:\n' >"$TMP/dup.yml"
  for re in "$1" "$2"; do
    printf '      - record: code:req:increase1h\n        expr: sum by (code) (increase(req_total{code=~"%s"}[1h]))\n' "$re" >>"$TMP/dup.yml"
  done
  run lint-rules --catalog none --fail-on info "$TMP/dup.yml"
}
dup '2..' '3..'
grep -q 'rules/duplicate-rule' <<<"$out" && fail "disjoint code matchers reported as duplicates: $out"
dup '2..' '2..'
expect_out "[rules/duplicate-rule]"
dup '2..' '.*'
expect_out "[rules/duplicate-rule]"
dup '2..' '20.|3..'
expect_out "[rules/duplicate-rule]"
