#!/usr/bin/env bash
# The SLO dashboard's queries against a real Prometheus that scrapes the simulated detector and
# evaluates the generated rules/slo_rules.yml: every panel query (but the firing-alerts table,
# empty while nothing fires) returns series for each SLO, so the dashboard reads what the rules
# write, names and labels included.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
command -v prometheus >/dev/null || exit 77
EXTRA_RULES="$SRC/rules/slo_rules.yml" start_peers
export NSMON_PROMETHEUS_URL="$PROM"
# Ready when every SLO's error budget has been recorded once (rules run every second).
for i in $(seq 1 150); do
  run query 'count(slo:error_budget:remaining)' --format csv
  grep -q ',4$' <<<"$out" && break
  sleep 0.2
done
grep -q ',4$' <<<"$out" || fail "Prometheus never recorded the 4 error budgets: $out $err"
dash=$(ls "$SRC"/dashboards/nsmon-slo-*.json)
/usr/bin/python3 - "$dash" >"$TMP/exprs" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["panels"]:
    for t in p.get("targets", []):
        if p["type"] != "table":
            print(t["expr"])
PY
n=0
while IFS= read -r expr; do
  run query "$expr" --format jsonl
  expect_rc 0
  [ -n "$out" ] || fail "no series for the dashboard query $expr"
  n=$((n + 1))
done <"$TMP/exprs"
[ "$n" -ge 60 ] || fail "only $n queries in $dash"
# The check can tell: a query of an SLO the rules do not have gives nothing.
run query 'slo:sli_error:ratio_rate1h{slo="no-such-slo"} / 0.01' --format jsonl
expect_rc 0
[ -z "$out" ] || fail "a query of an unknown SLO returned series: $out"
