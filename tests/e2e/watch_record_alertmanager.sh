#!/usr/bin/env bash
# nsmon watch --record FILE.yml --alertmanager: an incident recorded live becomes a whole-path
# regression test. A diverging run of the simulated detector fires the critical TrainingDiverging;
# the recorded test carries what rules/alertmanager.yml does with it (it pages and reaches Slack,
# with the rendered text) and nsmon test-rules passes it; the same test against a config that no
# longer pages fails. --alertmanager without a .yml record is a usage error; a broken config stops
# everything before the command starts. Its header says promtool cannot replay it (promtool refuses it).
source "$(dirname "$0")/lib.sh"
[ -f /usr/share/prometheus/alertmanager/default.tmpl ] || {
  echo "SKIP: Alertmanager's default templates (Debian's prometheus-alertmanager) are not installed"
  exit 77
}
cleanup() {
  kill_leftovers
  rm -rf "$TMP"
}
trap cleanup EXIT
RULES="$SRC/examples/watch_rules.yml"
cp "$SRC/rules/alertmanager.yml" "$TMP/alertmanager.yml"

run watch --rules "$RULES" --alertmanager "$TMP/alertmanager.yml" -- /bin/true
expect_rc 2
expect_err "--alertmanager goes with --record FILE.yml"
printf 'route:\n  receiver: nobody\n' >"$TMP/broken.yml"
run watch --rules "$RULES" --record "$TMP/x.yml" --alertmanager "$TMP/broken.yml" -- /bin/sh -c "touch $TMP/started"
expect_rc 2
expect_err "$TMP/broken.yml:2:"
[ ! -e "$TMP/started" ] || fail "the command was started despite the invalid alertmanager.yml"

port=$(free_port)
run watch --format jsonl --interval 0.5 --rules "$RULES" --fail-on-alert critical --stop-on-alert \
  --record "$TMP/incident.yml" --alertmanager "$TMP/alertmanager.yml" --metrics-url "http://127.0.0.1:$port/metrics" -- \
  /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$port" --epochs 40 --images 0 --speed 100 --loss-spike 2
expect_rc 4
expect_err "recorded the run's samples in $TMP/incident.yml"
grep -q "^    start_timestamp: " "$TMP/incident.yml" || fail "no start_timestamp in the record"
# The header promises only what is so: promtool's strict YAML refuses start_timestamp and nsmon:.
grep -qF "# Replay with \`nsmon test-rules $TMP/incident.yml\` (nsmon only: promtool test rules does not read" \
  "$TMP/incident.yml" || fail "the header says otherwise: $(head -3 "$TMP/incident.yml")"
if command -v promtool >/dev/null; then
  ! promtool test rules "$TMP/incident.yml" >"$TMP/promtool.out" 2>&1 || fail "promtool read the record after all"
  grep -q "field start_timestamp not found" "$TMP/promtool.out" || fail "promtool: $(cat "$TMP/promtool.out")"
fi
grep -q "^      alertmanager: 'alertmanager.yml'" "$TMP/incident.yml" || fail "no alertmanager in the record"
grep -q '^            - receiver: "pagerduty"' "$TMP/incident.yml" || fail "the record expects no page: $(cat "$TMP/incident.yml")"
grep -q 'description: "TrainingDiverging"' "$TMP/incident.yml" || fail "no PagerDuty description in the record"
run test-rules "$TMP/incident.yml"
expect_rc 0
expect_out "1 test: 1 passed, 0 failed"
# The same incident against a config that no longer pages: the regression is caught.
sed "s/- matchers: \['severity=\"critical\"'\]/- matchers: ['severity=\"page\"']/" "$SRC/rules/alertmanager.yml" >"$TMP/alertmanager.yml"
run test-rules "$TMP/incident.yml"
expect_rc 1
expect_out "expected a notification, none sent: receiver pagerduty"
