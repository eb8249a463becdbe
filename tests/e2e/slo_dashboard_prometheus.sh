#!/usr/bin/env bash
# The SLO dashboard's queries against a real Prometheus that scrapes the simulated detector and
# evaluates the generated rules/slo_rules.yml: every panel query (but the firing-alerts table,
# empty while nothing fires) returns series for each SLO, so the dashboard reads what the rules
# write, names and labels included.
# The queries go to Prometheus's HTTP API from one process: what is checked is the dashboard and
# the rules, not the client (nsmon query is e2e.query_*'s), and a process per query is most of the
# test's cost under ASan.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
command -v prometheus >/dev/null || exit 77
EXTRA_RULES="$SRC/rules/slo_rules.yml" start_peers
dash=$(ls "$SRC"/dashboards/nsmon-slo-*.json)
/usr/bin/python3 - "$PROM" "$dash" <<'PY' || fail "the SLO dashboard's queries (see above)"
import json, sys, time, urllib.parse, urllib.request
prom, dash = sys.argv[1:]

def query(expr):
    """The result of an instant query now; a failed query stops the test."""
    body = urllib.parse.urlencode({"query": expr}).encode()
    with urllib.request.urlopen(f"{prom}/api/v1/query", body, timeout=30) as r:
        answer = json.load(r)
    if answer.get("status") != "success":
        sys.exit(f"query failed: {expr}: {answer}")
    data = answer["data"]
    return data["result"] if data["resultType"] in ("vector", "matrix") else [data["result"]]

exprs = [t["expr"] for p in json.load(open(dash))["panels"] for t in p.get("targets", [])
         if p["type"] != "table"]
# Ready when every query has returned series once; each is asked again until then (rules run every
# second). One pass is not enough: a scrape lost under load can leave one sample for rate() over
# 5m, so the 5m ratios go stale for a while, while the 30d records (sum_over_time) still hold.
empty = exprs
for _ in range(150):
    empty = [e for e in dict.fromkeys(empty) if not query(e)]
    if not empty:
        break
    time.sleep(0.2)
else:
    sys.exit("no series for the dashboard queries:\n  " + "\n  ".join(empty))
if len(exprs) < 60:
    sys.exit(f"only {len(exprs)} queries in {dash}")
# The check can tell: a query of an SLO the rules do not have gives nothing.
unknown = query('slo:sli_error:ratio_rate1h{slo="no-such-slo"} / 0.01')
if unknown:
    sys.exit(f"a query of an unknown SLO returned series: {unknown}")
print(f"{len(exprs)} queries of {dash.rsplit('/', 1)[1]}: each returns series")
PY
