#!/usr/bin/env bash
# lint-rules' offline cost estimate (issue 38, item 3): --cost lists every rule heaviest first;
# rules/cost speaks only of a rule far above the rest and over the floor. The repository's own
# SLO rules (deliberate 1d/3d/30d windows) and other exporters' rules stay quiet; the policy's
# thresholds move it. The server's exact counts are in lint_rules_server.sh.
source "$(dirname "$0")/lib.sh"
cd "$SRC"
heavy=tests/data/cost/heavy_rules.yml
# The config's scrape intervals and alert rules, without the SLO rules it also loads: the
# heavy rules are measured against the seven alert rules (the SLO rules have their own part below).
mkdir "$TMP/cfg"
sed "/slo_rules.yml/d" rules/prometheus.yml >"$TMP/cfg/prometheus.yml"
cp rules/alert_rules.yml "$TMP/cfg/"
cfg=$TMP/cfg/prometheus.yml

# One rule keeps every image's series over a day: 1,152,000 samples at the config's 15s.
run lint-rules --config "$cfg" "$heavy"
expect_rc 0 # info
expect_out "heavy_rules.yml:25:15: info: one evaluation of this rule reads about 1,152,000 samples of about 200 series, every 15s"
[ "$(grep -c '\[rules/cost\]' <<<"$out")" -eq 1 ] || fail "one rules/cost expected: $out"

# --cost: every rule, heaviest first, with the same figures in JSON.
run lint-rules --cost --config "$cfg" "$heavy"
expect_out "  SAMPLES  SERIES  EVERY  SAMPLES/S  RULE"
head -2 <<<"$out" | grep -q "^1,152,000     200  15s       76,800  $heavy:24 NMSDropsManyDetections" || fail "$out"
run lint-rules --cost --config "$cfg" "$heavy" --format json
python3 - "$TMP/out" <<'PY' || fail "$out"
import json, sys
d = json.load(open(sys.argv[1]))
costs = d["costs"]
assert len(costs) == 12, len(costs)  # 5 of heavy_rules.yml, the config's 7
assert costs[0]["rule"] == "NMSDropsManyDetections" and costs[0]["line"] == 24, costs[0]
assert costs[0]["estimate"] == {"series_read": 200, "series_returned": 1, "samples": 1152000}, costs[0]
assert costs[0]["interval_seconds"] == 15 and costs[0]["server_samples"] is None, costs[0]
samples = [c["estimate"]["samples"] / c["interval_seconds"] for c in costs]
assert samples == sorted(samples, reverse=True), samples
assert [f["check"] for f in d["findings"]] == ["rules/cost"], d["findings"]
PY

# A format with no place for the table is refused, not ignored.
run lint-rules --cost --format sarif "$heavy"
expect_rc 2
expect_err "--cost shows a table in text or JSON"

# The policy's thresholds: a higher floor silences it, a lower one finds more.
printf 'cost: {min_samples: 2000000}\n' >"$TMP/high.yml"
run lint-rules --config "$cfg" --policy "$TMP/high.yml" "$heavy"
expect_out "no problems found"
printf 'cost: {ratio: 5, min_samples: 300}\n' >"$TMP/low.yml"
run lint-rules --config "$cfg" --policy "$TMP/low.yml" "$heavy"
[ "$(grep -c '\[rules/cost\]' <<<"$out")" -eq 3 ] || fail "three over 300 samples and 5x the median: $out"

# The repository's SLO rules: the 30d period read of a 5m recording is the heaviest rule, 345,600
# samples at 15s, and no finding — deliberate windows are not outliers.
run lint-rules --cost --config rules/prometheus.yml rules/slo_rules.yml --format json
python3 - "$TMP/out" <<'PY' || fail "$out"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["findings"] == [], d["findings"]
top = d["costs"][0]
assert top["rule"] == "slo:sli_error:ratio_rate30d" and top["estimate"]["samples"] == 345600, top
PY

# kube-prometheus's rules (a mixed repository's other exporters): only those reading
# Prometheus's own series (up, ALERTS) are estimated, the rest show "-"; no finding.
run lint-rules --cost tests/data/realworld/kube-prometheus
grep -q "rules/cost" <<<"$out" && fail "$out"
grep -q "^ *-  *-  [0-9]" <<<"$out" || fail "no estimate expected for unknown metrics: $out"
grep -q "kubePrometheus-prometheusRule.yaml:16 TargetDown" <<<"$out" || fail "up is Prometheus's: $out"
echo ok
