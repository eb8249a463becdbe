#!/usr/bin/env bash
# CI's guard for the SLO artefacts: rules/slo_rules.yml, rules/slo_rules_test.yml and
# templates/slo.yml are what rules/slos.yml gives (slo generate --check), dashboards/ is what the
# templates give (gen-dashboards --check, the SLO dashboard included); the rules lint clean and
# pass promtool check rules; the generated tests (every SLO has them, up included) and the worked
# outage example pass nsmon test-rules and promtool test rules. promtool's answers are stored in
# tests/e2e/peers/slo_repo_check.json (tests/support/peer.py), keyed by the files' content: a
# change of the rules or their tests asks promtool.
source "$(dirname "$0")/lib.sh"
peer_store "$SRC/tests/e2e/peers/slo_repo_check.json"
cd "$SRC"
run slo generate --check --tests rules/slo_rules_test.yml --dashboard templates/slo.yml
expect_rc 0
expect_out "no problems found in 3 files from rules/slos.yml"
[[ "$err" != *"no tests for"* ]] || fail "an SLO of rules/slos.yml has no tests: $err"
run gen-dashboards --check
expect_rc 0
expect_out "dashboards is up to date"
[ -f dashboards/nsmon-slo-neurosymbolic-app.json ] || fail "no SLO dashboard in dashboards/"
run lint-rules rules/slo_rules.yml
expect_rc 0
expect_out "no problems found in 1 file (74 rules)"
for slo in inference-success inference-latency symbolic-queries availability; do
  grep -q "^  - name: '$slo .*fires at 1.05x" rules/slo_rules_test.yml || fail "no firing test for $slo"
done
run test-rules rules/slo_rules_test.yml rules/slo_outage_test.yml
expect_rc 0
expect_out "(36 tests: 36 passed, 0 failed)"
promtool check rules rules/slo_rules.yml >"$TMP/p.out" 2>&1 || fail "promtool check rules: $(tail -5 "$TMP/p.out")"
(cd rules && promtool test rules slo_rules_test.yml slo_outage_test.yml) >"$TMP/p.out" 2>&1 ||
  fail "promtool test rules: $(tail -20 "$TMP/p.out")"
[ "$(grep -c SUCCESS "$TMP/p.out")" = 2 ] || fail "promtool: $(cat "$TMP/p.out")"

# A stale artefact is named, and --check writes nothing.
mkdir "$TMP/w" && cp -r rules templates "$TMP/w/" && cd "$TMP/w"
sed -i 's/decimals: 1$/decimals: 2/' templates/slo.yml
before=$(sha256sum templates/slo.yml)
run slo generate --check --tests rules/slo_rules_test.yml --dashboard templates/slo.yml
expect_rc 1
expect_out "templates/slo.yml: error: differs from what rules/slos.yml gives [generated/stale]"
expect_out "help: run nsmon slo generate"
expect_out "1 error, 0 warnings, 0 info in 3 files from rules/slos.yml"
grep -q "rules/slo_rules.yml: error" <<<"$out" && fail "an unchanged file was reported: $out"
[ "$before" = "$(sha256sum templates/slo.yml)" ] || fail "--check wrote templates/slo.yml"
# The same report in every format, and a failed --check fails whatever --fail-on says.
run slo generate --check --tests rules/slo_rules_test.yml --dashboard templates/slo.yml --format github --fail-on never
expect_rc 1
expect_out "::error file=templates/slo.yml,title=generated/stale::differs from what rules/slos.yml gives"
