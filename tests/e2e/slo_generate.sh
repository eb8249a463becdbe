#!/usr/bin/env bash
# nsmon slo generate on a scratch spec: generated rules pass promtool check rules; the generated
# tests pass nsmon test-rules and promtool test rules, and fail under both when a burn-rate
# threshold is off (the tests can tell); the dashboard template renders through gen-dashboards
# with the alerts' thresholds; spec errors are positioned. (The repository's own artefacts:
# e2e.slo_repo_check.) promtool's answers are stored in tests/e2e/peers/slo_generate.json
# (tests/support/peer.py), keyed by the generated files: a change of the generator asks promtool.
source "$(dirname "$0")/lib.sh"
peer_store "$SRC/tests/e2e/peers/slo_generate.json"
# The spec is named from its folder: the generated files' first line names it, and a stored
# answer is found by their content.
cd "$TMP"

# A two-SLO spec (7d window: factors 3.36, 1.4, 0.7, 0.233), events and up, generated into a
# scratch folder.
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
  - name: scrapes
    objective: 0.999
    window: 7d
    sli:
      up: {job: neurosymbolic-app}
YML
mkdir "$TMP/templates"
run slo generate slos.yml --out "$TMP/rules.yml" --tests "$TMP/tests.yml" --dashboard "$TMP/templates/slo.yml"
expect_rc 0
expect_out "wrote $TMP/templates/slo.yml"
grep -q "^rules: \['../rules.yml'\]" "$TMP/templates/slo.yml" || fail "rules: is not relative to the template"
run gen-dashboards --templates "$TMP/templates" --out "$TMP/dashboards"
expect_rc 0
expect_out "wrote 1 dashboard and .lint to $TMP/dashboards"
/usr/bin/python3 - "$TMP/dashboards/nsmon-slo-detector.json" <<'PY' || fail "the SLO dashboard is not as expected"
import json, sys
d = json.load(open(sys.argv[1]))
panels = {}
for p in d["panels"]:  # the first SLO's row
    panels.setdefault(p["title"], p)
steps = [s["value"] for s in panels["Burn rate now"]["fieldConfig"]["defaults"]["thresholds"]["steps"]]
# NaN (a window without events) neutral, green from 0, then the 3d, 1d, 6h and 1h alerts at 7d.
assert steps == [None, 0, 0.233333333333, 0.7, 1.4, 3.36], steps
colors = [s["color"] for s in panels["Burn rate now"]["fieldConfig"]["defaults"]["thresholds"]["steps"]]
assert colors[:2] == ["text", "green"], colors
exprs = [t["expr"] for t in panels["Burn rate"]["targets"]]
assert exprs[2] == 'slo:sli_error:ratio_rate1h{slo="success"} / 0.01', exprs
assert panels["Error budget remaining"]["targets"][0]["expr"] == 'slo:error_budget:remaining{slo="success"}'
assert [v["name"] for v in d["templating"]["list"]] == ["datasource"]
PY
# The template names its rule file: without it gen-dashboards stops with the template's position.
mv "$TMP/rules.yml" "$TMP/rules.moved"
run gen-dashboards --templates "$TMP/templates" --out "$TMP/dashboards"
expect_rc 2
expect_err "$TMP/templates/slo.yml:9:9: no rule file $TMP/rules.yml"
mv "$TMP/rules.moved" "$TMP/rules.yml"
grep -q "SuccessSLOBurnRate1h" "$TMP/rules.yml" || fail "no 1h alert: $(cat "$TMP/rules.yml")"
grep -q "> (3.36 \* 0.01)" "$TMP/rules.yml" || fail "the 1h factor is not scaled to 7d"
grep -q "^  - 'rules.yml'" "$TMP/tests.yml" || fail "rule_files is not relative to the tests file"
# Generated twice, the same bytes.
cp "$TMP/rules.yml" "$TMP/rules.first"
run slo generate slos.yml --out "$TMP/rules.yml" --tests "$TMP/tests.yml"
cmp -s "$TMP/rules.yml" "$TMP/rules.first" || fail "not deterministic"
run test-rules "$TMP/tests.yml"
expect_rc 0
expect_out "tests: 17 passed, 0 failed"
[[ "$err" != *"no tests for"* ]] || fail "an SLO has no tests: $err"
promtool check rules "$TMP/rules.yml" >/dev/null || fail "promtool refuses the generated rules"
promtool test rules "$TMP/tests.yml" >"$TMP/p.out" 2>&1 || fail "promtool test rules: $(tail -20 "$TMP/p.out")"
# A threshold off by 10%: the tests at 1.05x and 0.95x must notice.
sed -i 's/> (3.36 \* 0.01)/> (3.7 * 0.01)/; s/> (3.36 \* 0.001)/> (3.7 * 0.001)/' "$TMP/rules.yml"
promtool test rules "$TMP/tests.yml" >"$TMP/p.out" 2>&1 && fail "the tests pass with a wrong threshold"
grep -q "SuccessSLOBurnRate1h" "$TMP/p.out" || fail "the failure does not name the alert: $(tail -5 "$TMP/p.out")"
grep -q "ScrapesSLOBurnRate1h" "$TMP/p.out" || fail "the failure does not name the up alert: $(tail -5 "$TMP/p.out")"
# nsmon runs only the 1h alerts' tests: the change is in those alerts' rules, and the other
# tests, which passed above, assert only other alerts (their 6h-3d windows are most of a run's
# cost under ASan).
run test-rules "$TMP/tests.yml" --run 'BurnRate1h '
expect_rc 1
expect_out "(5 tests: 3 passed, 2 failed, 12 not selected)"
expect_out "SuccessSLOBurnRate1h"
expect_out "ScrapesSLOBurnRate1h"

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

# A burn-rate alert the objective makes impossible (issue 48): 0.9 over 28d puts the 1h page
# alert above an error ratio of 13.44 × 0.1 = 1.344. A positioned error on the objective, with
# the factors that can fire; exit 2, nothing written.
cat >"$TMP/low.yml" <<'YML'
slos:
  - name: success
    objective: 0.9
    window: 28d
    sli:
      errors: images_processed_total{status="failed"}
      total: images_processed_total
YML
run slo generate "$TMP/low.yml" --out "$TMP/low_rules.yml"
expect_rc 2
expect_err "$TMP/low.yml:3:16: error: objective 0.9 over 28d: an error ratio is at most 1, so the 1h (page) burn-rate alert, above 13.44 × 0.1 = 1.344, can never fire [slo/objective]"
expect_err "help: burn-rate factors below 10 can fire, as this SLO's 5.6 (6h, page), 2.8 (1d, ticket) and 0.9333 (3d, ticket) do"
[ ! -e "$TMP/low_rules.yml" ] || fail "wrote an alert that can never fire"
# lint-rules reads such a threshold as arithmetic on a ratio, the SLI error ratio's range known
# from its rule.
sed -e 's/objective: 0.9$/objective: 0.95/' "$TMP/low.yml" >"$TMP/ok.yml"
run slo generate "$TMP/ok.yml" --out "$TMP/ok_rules.yml"
expect_rc 0
sed -i 's/(13.44 \* 0.05)/(13.44 * 0.1)/' "$TMP/ok_rules.yml"
run lint-rules "$TMP/ok_rules.yml"
expect_rc 1
expect_out "this comparison with (13.44 * 0.1) = 1.344 can never be true: the expression never returns anything [promql/impossible]"
