#!/usr/bin/env bash
# A CI gate that saw nothing does not pass (issue 58): `watch --rules R --fail-on-alert critical
# --assert EXPR -- ./train.py` where the script serves on another port than nsmon looks at exits 3
# (nothing reached), says where nsmon looked and where the command listened, and never says an
# assertion held. Served where nsmon looks, but with the gauge exported as a counter
# (training_loss_total), the assertion is never checked on data: exit 4, said so. The same gate
# on the right data passes (0, "1 of 1 held").
source "$(dirname "$0")/lib.sh"
pids=()
trap stop_background EXIT
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || { echo "python3-prometheus-client not installed: skipped"; exit 77; }

cat >"$TMP/rules.yml" <<'YML'
groups:
  - name: training
    interval: 1s
    rules:
      - alert: LossDiverged
        expr: training_loss > 100
        labels: {severity: critical}
YML
gate() { # gate LOOK_PORT SERVE_PORT KIND [FORMAT]
  run watch --format "${4:-plain}" --interval 0.2 --metrics-url "http://127.0.0.1:$1/metrics" --rules "$TMP/rules.yml" \
    --fail-on-alert critical --assert 'max(training_loss) < 50' -- /usr/bin/python3 "$SRC/tests/support/user_train.py" "$2" "$3"
}

look=$(free_port)
serve=$(free_port)
while [ "$serve" = "$look" ]; do serve=$(free_port); done
gate "$look" "$serve" gauge
expect_rc 3
expect_out "no metrics from the command: nsmon looked at http://127.0.0.1:$look/metrics"
expect_out "the command listened at http://127.0.0.1:$serve/metrics (--metrics-url URL watches it there)"
expect_out "0 of 1 held"
expect_out "never checked, none of the series it selects was scraped: max(training_loss) < 50"
expect_out "exit status the command's 0, nsmon's 3" # two statuses, each named
grep -q "1 of 1 held" <<<"$out" && fail "an assertion said to hold on no data: $out"
gate "$look" "$serve" gauge jsonl
expect_rc 3
/usr/bin/python3 - "$(grep '"type":"summary"' <<<"$out")" "$serve" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
assert s["result"] == 3 and s["exit_code"] == 0 and s["never_served"], s
assert s["command_ports"] == [int(sys.argv[2])], s["command_ports"]
assert s["rules"]["unchecked_asserts"] == ["max(training_loss) < 50"], s["rules"]
PY

# Served where nsmon looks, but the gauge exported as a counter: training_loss_total.
gate "$look" "$look" counter
expect_rc 4
expect_out "0 of 1 held"
expect_out "never checked, none of the series it selects was scraped: max(training_loss) < 50"

# The right port and type: the gate passes.
gate "$look" "$look" gauge
expect_rc 0
expect_out "1 of 1 held"
