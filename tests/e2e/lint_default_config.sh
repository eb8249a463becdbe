#!/usr/bin/env bash
# With no files and no --config, lint-rules lints rules/prometheus.yml and the rule files it names
# (from the repository root: the corrected config and alert rules, which are clean); elsewhere it
# says what to pass and exits 2.
source "$(dirname "$0")/lib.sh"
cd "$SRC"
run lint-rules
expect_rc 0
[ "$out" = "$(cd "$SRC" && "$NSMON" lint-rules --config rules/prometheus.yml)" ] || fail "not the same as --config"
# prometheus.yml, alert_rules.yml and slo_rules.yml (which the SLO dashboard reads).
grep -qE '^no problems found in 3 files \([0-9]+ rules\)$' <<<"$out" || fail "unexpected output: $out"
run lint-rules --format json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["files"] == 3, d' "$TMP/out"
cd "$TMP"
run lint-rules
expect_rc 2
expect_err "nothing to lint: give rule files or --config prometheus.yml"
expect_err "rules/prometheus.yml"
