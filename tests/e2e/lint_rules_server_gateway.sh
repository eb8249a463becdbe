#!/usr/bin/env bash
# lint-rules --prometheus and backtest through a multi-tenant gateway (tests/support/gateway.py: a
# path prefix, a tenant header required, no targets API, no query statistics — what Mimir or a
# Thanos query frontend change for a client; neither is a Debian package) in front of
# tests/support/history.py's Prometheus: the same findings as against Prometheus itself, less
# what needs the targets (the scrape interval); the cost not reported; the same backtest episode;
# every request under the prefix with the tenant; no tenant is one error, exit 3.
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null && command -v promtool >/dev/null || exit 77
H="$TMP/h"
trap '/usr/bin/python3 "$SRC/tests/support/history.py" down "$H" >/dev/null 2>&1 || true; kill_leftovers; rm -rf "$TMP"' EXIT
/usr/bin/python3 "$SRC/tests/support/history.py" up "$H" --hours 3 --no-victoria >"$TMP/up.log" 2>&1 ||
  fail "history.py up: $(tail -5 "$TMP/up.log")"
source "$H/servers.env"
start_peer gateway "-/ready" /usr/bin/python3 "$SRC/tests/support/gateway.py" "$PROM_URL" "{port}" "$TMP/requests.jsonl"
GW="http://127.0.0.1:$peer_port/prometheus"
rules="$SRC/tests/data/online/planted_rules.yml"

findings() { /usr/bin/python3 -c 'import json,sys; print(sorted((f["line"], f["check"]) for f in json.load(open(sys.argv[1]))["findings"]))' "$1"; }
run lint-rules --prometheus "$PROM_URL" "$rules" --format json
cp "$TMP/out" "$TMP/direct.json"
: >"$TMP/requests.jsonl"
run lint-rules --prometheus "$GW" --tenant team-a "$rules" --format json
expect_rc 1
/usr/bin/python3 - "$TMP/direct.json" "$TMP/out" "$TMP/requests.jsonl" <<'PY' || fail "$out"
import json, sys
direct, gw = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda d: sorted((f["line"], f["check"]) for f in d["findings"])
# The range check needs the targets' scrape interval, which a gateway does not serve.
want = [k for k in key(direct) if k[1] != "server/range-too-short"]
assert key(gw) == want, (key(gw), want)
assert (38, "server/range-too-short") in key(direct), key(direct)
assert gw["summary"]["server_cost"] == "not reported by the server", gw["summary"]
reqs = [json.loads(l) for l in open(sys.argv[3])]
assert reqs and all(r["tenant"] == "team-a" and r["path"].startswith("/prometheus/api/v1/") for r in reqs), reqs
assert sum(r["path"].endswith("/targets") for r in reqs) == 1, "the targets API is asked once"
PY

# Without the tenant: one error, exit 3, nothing per rule.
run lint-rules --prometheus "$GW" "$rules"
expect_rc 3
[ -z "$out" ] || fail "stdout: $out"
expect_err "HTTP 401 Unauthorized (text/plain) with a body that is not an API answer: \"no org id\"; it wants credentials, or a tenant ID on a multi-tenant server"

# backtest: the burst's one episode, the same through the gateway as from Prometheus itself.
range=(--start "$HISTORY_START" --end "$HISTORY_END")
run backtest "$SRC/rules/alert_rules.yml" --prometheus "$PROM_URL" "${range[@]}" -o json
expect_rc 0
cp "$TMP/out" "$TMP/direct.json"
run backtest "$SRC/rules/alert_rules.yml" --prometheus "$GW" --tenant team-a "${range[@]}" -o json
expect_rc 0
/usr/bin/python3 - "$TMP/direct.json" "$TMP/out" <<'PY' || fail "$out"
import json, sys
direct, gw = (json.load(open(p)) for p in sys.argv[1:3])
eps = lambda d: {a["alertname"]: a["episodes"] for a in d["alerts"]}
assert eps(gw) == eps(direct), (eps(gw), eps(direct))
assert sum(len(e) for e in eps(gw).values()) == 1, eps(gw)
PY
echo ok
