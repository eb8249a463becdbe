#!/usr/bin/env bash
# lint-rules --prometheus against a real Prometheus 2.42 and VictoriaMetrics 1.79 loaded with
# tests/support/history.py's history: each problem it plants is found on both, at the selector,
# in every format; the application's own rules are clean; a disable comment silences a server
# finding; the requests stay few.
source "$(dirname "$0")/lib.sh"
for tool in prometheus promtool victoria-metrics; do
  command -v $tool >/dev/null || { echo "$tool not installed: skipped"; exit 77; }
done
trap '/usr/bin/python3 "$SRC/tests/support/history.py" down "$TMP/h" || true; rm -rf "$TMP"' EXIT
/usr/bin/python3 "$SRC/tests/support/history.py" up "$TMP/h" --hours 4 >"$TMP/env" || fail "the fixture did not start"
source "$TMP/env"
rules="$SRC/tests/data/online/planted_rules.yml"
cp "$rules" "$TMP/rules.yml"

# check_server URL RANGE_FINDING: the planted findings, exact where the history fixes them.
check_server() {
  run lint-rules --prometheus "$1" "$rules" --format json
  expect_rc 1
  /usr/bin/python3 - "$TMP/out" "$TMP/h/planted.json" "$2" "$1" <<'PY' || fail "server $1: $out"
import json, sys, datetime
d = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2]))
got = {(f["line"], f["check"]): f for f in d["findings"]}
last = datetime.datetime.fromtimestamp(p["stopped"]["last_seen"], datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
want = {(11, "server/series-stopped"): f"last seen {last}",
        (20, "server/label-value-missing"): 'status="failed": no series of images_processed_total',
        (29, "server/job-not-scraped"): 'job="trainer"',
        (58, "server/recording-rule-missing"): "job:errors:rate5m"}
if sys.argv[3] == "yes":
    want[(38, "server/range-too-short")] = "scraped every 2s"
for k, text in want.items():
    assert k in got, f"missing {k}: {sorted(got)}"
    assert text in got[k]["message"], (k, got[k]["message"])
assert set(got) == set(want), f"unexpected: {sorted(set(got) - set(want))}"
# Positioned on the selector or its matcher: columns of tests/data/online/planted_rules.yml.
assert got[(20, "server/label-value-missing")]["column"] == 43, got[(20, "server/label-value-missing")]
assert got[(11, "server/series-stopped")]["column"] == 15
s = d["summary"]
assert s["server"] == sys.argv[4] and s["warnings"] == len(want), s
assert 0 < s["server_requests"] <= 30, s
PY
}
# Both servers know the job's scrape interval (Prometheus's targets, VictoriaMetrics's labels).
check_server "$PROM_URL" yes
check_server "$VM_URL" yes
# Exact cost: Prometheus reports the samples a query reads; VictoriaMetrics 1.79 does not.
run lint-rules --prometheus "$PROM_URL" "$rules" --format json
grep -q '"server_cost": "exact"' "$TMP/out" || fail "$out"
run lint-rules --prometheus "$VM_URL" "$rules" --format json
grep -q '"server_cost": "not reported by the server"' "$TMP/out" || fail "$out"

# The application's own rules, against the history of its metrics: nothing to say.
run lint-rules --prometheus "$PROM_URL" "$SRC/rules/alert_rules.yml"
expect_rc 0
run lint-rules --prometheus "$VM_URL" "$SRC/rules/alert_rules.yml"
expect_rc 0

# Text, github and sarif carry the same findings, named as the server's.
run lint-rules --prometheus "$PROM_URL" "$rules"
expect_out "planted_rules.yml:20:43: warning: status=\"failed\": no series of images_processed_total on the server"
expect_out "[server/job-not-scraped]"
run lint-rules --prometheus "$PROM_URL" "$rules" --format github
expect_out "title=server/series-stopped::"
run lint-rules --prometheus "$PROM_URL" "$rules" --format sarif
grep -q '"ruleId": "server/recording-rule-missing"' "$TMP/out" || fail "sarif: $out"

# A disable comment and --disable silence server checks as any other.
sed -i 's/^      - alert: TrainerErrors/      # nsmon disable server\/job-not-scraped\n      - alert: TrainerErrors/' "$TMP/rules.yml"
run lint-rules --prometheus "$PROM_URL" "$TMP/rules.yml" --disable server/series-stopped --format json
grep -q 'job-not-scraped\|series-stopped' "$TMP/out" && fail "not silenced: $out"
grep -q 'label-value-missing' "$TMP/out" || fail "$out"

# rate() over a gauge: Prometheus's metadata says so even when the catalog cannot (none here);
# VictoriaMetrics 1.79 serves no metadata, so it cannot tell.
printf 'groups:\n  - name: g\n    rules:\n      - record: x:cpu:rate5m\n        expr: rate(cpu_usage_percent[5m])\n' >"$TMP/gauge.yml"
run --catalog none lint-rules --prometheus "$PROM_URL" "$TMP/gauge.yml"
expect_out "rate() over cpu_usage_percent, which the server's metadata says is a gauge"
run --catalog none lint-rules --prometheus "$VM_URL" "$TMP/gauge.yml"
grep -q "rate-on-gauge" <<<"$out" && fail "VictoriaMetrics has no metadata: $out"
# With the catalog, the offline finding says it once: the server's is not repeated.
run lint-rules --prometheus "$PROM_URL" "$TMP/gauge.yml"
expect_out "[promql/rate-on-gauge]"
grep -q "server/rate-on-gauge" <<<"$out" && fail "said twice: $out"
# A metric no server has ever had (history.py's never_existed): missing, except under absent(),
# which watches for exactly that; ALERTS is empty while nothing fires. (--catalog none: the catalog
# would say it first, and the server does not repeat it.)
printf 'groups:\n  - name: g\n    rules:\n      - alert: Gone\n        expr: absent(gpu_temperature_celsius)\n      - alert: Hot\n        expr: ALERTS{alertname="X"} > 0 and gpu_temperature_celsius > 90\n' >"$TMP/never.yml"
for server in "$PROM_URL" "$VM_URL"; do
  run --catalog none lint-rules --prometheus "$server" "$TMP/never.yml" --format json
  /usr/bin/python3 -c '
import json, sys
f = [(x["line"], x["column"], x["check"]) for x in json.load(open(sys.argv[1]))["findings"] if x["check"].startswith("server/")]
assert f == [(7, 45, "server/metric-missing")], f' "$TMP/out" || fail "$server: $out"
done
run lint-rules --prometheus "$PROM_URL" "$TMP/never.yml"
expect_out "[catalog/unknown-metric]"
grep -q "server/metric-missing" <<<"$out" && fail "said twice: $out"

# A rule reading four hours of two series among rules that read a sample or two: Prometheus counts
# its samples. A few thousand samples are no cost worth a word by default (the policy's
# min_samples, 1,000,000); with a floor of 100 it is server/cost. VictoriaMetrics counts none:
# the catalog's estimate (rules/cost) speaks instead.
cp "$rules" "$TMP/cost.yml"
printf '      - alert: ImagesLongWindow\n        expr: sum(increase(errors_total[4h])) < 1\n        for: 5m\n        labels: {severity: warning}\n        annotations: {summary: s, description: d}\n' >>"$TMP/cost.yml"
run lint-rules --prometheus "$PROM_URL" "$TMP/cost.yml"
grep -q "cost\]" <<<"$out" && fail "a few thousand samples are no cost: $out"
printf 'cost: {min_samples: 100}\n' >"$TMP/policy.yml"
run lint-rules --prometheus "$PROM_URL" --policy "$TMP/policy.yml" "$TMP/cost.yml"
expect_out "cost.yml:66:15: info: one evaluation of this rule reads"
expect_out "samples on the server, every 30s"
expect_out "[server/cost]"
grep -q "rules/cost" <<<"$out" && fail "the server's count replaces the estimate: $out"
run lint-rules --prometheus "$VM_URL" --policy "$TMP/policy.yml" "$TMP/cost.yml"
grep -q "server/cost" <<<"$out" && fail "VictoriaMetrics reports no samples: $out"
expect_out "[rules/cost]"
# --cost: every rule's estimate beside the server's count, heaviest first.
run lint-rules --prometheus "$PROM_URL" --cost "$TMP/cost.yml" --format json
python3 - "$TMP/out" <<'PY' || fail "$out"
import json, sys
costs = json.load(open(sys.argv[1]))["costs"]
assert costs[0]["rule"] == "ImagesLongWindow", costs[0]
assert costs[0]["server_samples"] > 100 and costs[0]["estimate"]["samples"] > 100, costs[0]
assert all(c["server_samples"] is not None for c in costs), costs
PY
run lint-rules --prometheus "$PROM_URL" --cost "$TMP/cost.yml"
expect_out "SERVER"
# The estimate against Prometheus's count: the latency SLO's 30m, 1h and 2h windows read two
# histogram series (the le="1.0" bucket and the count) for each use_sahi value, every 15s of the
# history: the catalog and a config with the history's 15s predict what the server reads, within
# a quarter (the exporter's fresh 2s scrapes add a few).
printf 'global: {scrape_interval: 15s}\nscrape_configs:\n  - job_name: neurosymbolic-app\n    static_configs: [{targets: [localhost:8000]}]\n' >"$TMP/p15.yml"
run lint-rules --prometheus "$PROM_URL" --cost --config "$TMP/p15.yml" "$SRC/rules/slo_rules.yml" --format json
python3 - "$TMP/out" <<'PY' || fail "$out"
import json, sys
costs = {c["line"]: c for c in json.load(open(sys.argv[1]))["costs"]}
for line, samples in ((103, 480), (106, 960), (109, 1920)):
    c = costs[line]
    assert c["estimate"]["samples"] == samples, c
    assert 1 <= c["server_samples"] / samples < 1.25, c
PY
echo ok
