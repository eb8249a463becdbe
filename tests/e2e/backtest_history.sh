#!/usr/bin/env bash
# backtest of the application's rules over backfilled history (tests/support/history.py) in a real
# Prometheus 2.42 and VictoriaMetrics 1.79: the errors_total burst is HighErrorRate's one episode,
# at the times rate(errors_total[5m]) > 0.1 for 2m gives at the group's 30s steps, and no other
# alert fires. Prometheus, the server path and nsmon's engine with 2.x's windows: exactly; the
# engine with 3.x windows and VictoriaMetrics (its own rate): within one step.
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v victoria-metrics >/dev/null || exit 77
H="$TMP/history"
trap '/usr/bin/python3 "$SRC/tests/support/history.py" down "$H" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
/usr/bin/python3 "$SRC/tests/support/history.py" up "$H" --hours 3 --metrics rules >"$TMP/up.log" 2>&1 ||
  fail "history.py up: $(tail -5 "$TMP/up.log")"
source "$H/servers.env"

# check NAME TOLERANCE: the JSON in $out has the one known episode, to TOLERANCE seconds.
cat >"$TMP/check.py" <<'PY'
import json, sys
planted, name, tol = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
doc = json.load(sys.stdin)
from datetime import datetime
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
def ceil30(x): return -(-x // 30) * 30
b = planted["burst"]
# errors_total rises 1/s, so rate(...[5m]) is the burst's seconds in the window over 300 and
# exceeds 0.1 with more than 30 of them: active at the first 30s step after start+30, firing 2m
# later, resolved at the first step from end+270 on.
assert b["rate"] == 1.0, b
active = ceil30(b["start"] + 31)
want = {"start": active + 120, "end": ceil30(b["end"] + 270)}
alert = sys.argv[4] if len(sys.argv) > 4 else "HighErrorRate"
fired = {a["alertname"]: a["episodes"] for a in doc["alerts"] if a["episodes"]}
assert list(fired) == [alert], (name, fired)
[e] = fired[alert]
if alert == "HighErrorRate":
    assert e["labels"] == dict(b["labels"], alertname=alert, severity="critical", service="neurosymbolic-app"), (name, e["labels"])
else:
    assert [a["recording_rules_evaluated"] for a in doc["alerts"]] == [["job_error_type:errors:rate5m"]], doc
for k in ("start", "end"):
    assert abs(t(e[k]) - want[k]) <= tol, (name, k, e[k], datetime.utcfromtimestamp(want[k]).isoformat())
print(name, "ok:", e["start"], e["end"])
PY
check() { /usr/bin/python3 "$TMP/check.py" "$H/planted.json" "$@" <<<"$out" || fail "$1: $out"; }

range=(--start "$HISTORY_START" --end "$HISTORY_END")
run backtest "$SRC/rules/alert_rules.yml" --prometheus "$PROM_URL" "${range[@]}" -o json
expect_rc 0
check prometheus 0
grep -q '"evaluated_by": "server"' <<<"$out" || fail "not the server path: $out"
run backtest "$SRC/rules/alert_rules.yml" --prometheus "$PROM_URL" "${range[@]}" -o json --engine
expect_rc 0
check prometheus-engine 30
grep -q '"evaluated_by": "server"' <<<"$out" && fail "--engine took the server path: $out"
# With 2.x's closed windows, nsmon's engine gives exactly what Prometheus 2.42 gives.
run backtest "$SRC/rules/alert_rules.yml" --prometheus "$PROM_URL" "${range[@]}" -o json --engine --prometheus-version 2
expect_rc 0
check prometheus-engine-2 0
run backtest "$SRC/rules/alert_rules.yml" --prometheus "$VM_URL" "${range[@]}" -o json
expect_rc 0
check victoriametrics 30
# The same alert on a recording rule that is in the file and on neither server: nsmon evaluates
# it from its expression (one label-values call finds it missing) and reads errors_total raw.
cat >"$TMP/recorded.yml" <<'EOF'
groups:
  - name: recorded
    interval: 30s
    rules:
      - record: job_error_type:errors:rate5m
        expr: sum by (job, error_type) (rate(errors_total[5m]))
      - alert: ErrorsRecorded
        expr: job_error_type:errors:rate5m > 0.1
        for: 2m
EOF
for url in "$PROM_URL" "$VM_URL"; do
  run backtest "$TMP/recorded.yml" --prometheus "$url" "${range[@]}" -o json
  expect_rc 0
  check "recorded $url" 30 ErrorsRecorded
done
# The table and its timeline name the alert and its episode.
run backtest "$SRC/rules/alert_rules.yml" --prometheus "$PROM_URL" "${range[@]}"
expect_rc 0
expect_out "HighErrorRate{"
expect_out "error_type=\"CudaOOM\""
grep -q "^HighErrorRate .*|.*█" <<<"$out" || fail "no timeline row for HighErrorRate: $out"
expect_err "requests to $PROM_URL"
# The time in milliseconds on loopback ("took 0.00s of 0.00s" said nothing), and the semantics
# nsmon's engine assumed (Debian 12's Prometheus unless --prometheus-version says another).
[[ "$err" =~ took\ [0-9]+(ms|s)[0-9ms]*\ of\ [0-9]+(ms|s) ]] || fail "no time in milliseconds: $err"
[[ "$err" != *"0.00s"* ]] || fail "a time of 0.00s: $err"
expect_err "(nsmon's engine under Prometheus 2.x semantics)"
echo ok
