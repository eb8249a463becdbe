#!/usr/bin/env bash
# The committed dashboards (dashboards/*.json) in the scenarios of tests/scenarios/, queried on a
# real Prometheus (2.42) as Grafana queries them: each scenario's samples backfilled with promtool,
# its recording rules too, and every panel test of tests/scenarios/panels.yml checked against
# what Prometheus answers (dashboards_scenarios_prometheus.py says how). Issue 57's "done means":
# a resumed run shows its true progress and loss (resume), two instances of one model stay at or
# below 100% with a non-negative time left (two-instances), the app down while Prometheus and
# node-exporter are up reads as down (app-down), no mean-per-image stat shows a stale number
# after idle minutes (idle), the SLO budgets are right after idle periods (slo-30d-idle). The
# panels that read ALERTS are checked too: the alerts promtool's rule evaluation fires in the
# scenario are backfilled as ALERTS series (HighErrorRate in error-burst). The pipeline, system
# and training panels too: ratios in the idle period, rates across the restart, one line per
# instance with two models or two instances training one model, nothing once the app is down.
# The SLO dashboard's 5m burn rates are compared too: the recording rules are evaluated on the
# scrapes' minutes (RULE_GROUP in the .py), as promtool test rules and nsmon evaluate them.
# Skipped (77) without prometheus, promtool or python3-yaml.
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null && command -v promtool >/dev/null || {
  echo "prometheus or promtool not installed: skipped"
  exit 77
}
/usr/bin/python3 -c 'import yaml' 2>/dev/null || {
  echo "python3-yaml not installed: skipped"
  exit 77
}
/usr/bin/python3 "$SRC/tests/e2e/dashboards_scenarios_prometheus.py" "$SRC" "$TMP" >"$TMP/out" 2>"$TMP/err" ||
  fail "a panel shows something else on Prometheus: $(grep -v '^ok' "$TMP/out") $(grep -v 'level=info' "$TMP/err" | tail -5)"
cat "$TMP/out"
for want in "resume | nsmon-training | Progress" "resume | nsmon-training | Training loss" \
  "two-instances | nsmon-training | Progress" "two-instances | nsmon-training | Time left" \
  "app-down | nsmon-errors | Targets up" "idle | nsmon-inference | Mean detections per image" \
  "idle | nsmon-inference | Mean SAHI slices per image" \
  "slo-30d-idle | nsmon-slo-neurosymbolic-app | inference-success | Error budget remaining" \
  "slo-30d-idle | nsmon-slo-neurosymbolic-app | inference-success | Burn-rate alerts firing" \
  "error-burst | nsmon-errors | Firing alerts at 25m: ALERTS{alertname=\"HighErrorRate\"" \
  "loss-divergence | nsmon-training | Best training loss" \
  "idle | nsmon-pipeline | Prolog failure ratio at 45m: failed nan" "idle | nsmon-pipeline | NMS efficiency" \
  "restart | nsmon-pipeline | Failed Prolog queries" "restart | nsmon-system | Disk I/O" \
  "two-models | nsmon-pipeline | NMS efficiency" "two-models | nsmon-inference | Confidence score p5 / p50" \
  "app-down | nsmon-system | CPU now at 45m: no series" "two-instances | nsmon-training | Learning rate" \
  "two-instances | nsmon-training | Validation mAP" "healthy | nsmon-training | Batch time p95" \
  "slo-p99-spike | nsmon-slo-neurosymbolic-app | inference-latency | Burn rate now at 30m: 5m 0.266667 green" \
  "slo-error-burst | nsmon-slo-neurosymbolic-app | symbolic-queries | Burn rate at 29m: 5m 10.2" \
  "slo-app-down | nsmon-slo-neurosymbolic-app | availability | Burn-rate alerts firing at 45m: firing 4 red"; do
  grep -qF "ok    $want" "$TMP/out" || fail "no passing check of $want"
done
