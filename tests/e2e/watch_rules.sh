#!/usr/bin/env bash
# nsmon watch --rules / --assert on the simulated detector: what does not load stops everything
# before the command starts (exit 2, positioned); a diverging run (detector --loss-spike) makes the
# critical alert go pending then firing, the run end with exit 4 and --stop-on-alert stop the
# command; --record writes a rule test that nsmon test-rules (and promtool, when installed) passes.
source "$(dirname "$0")/lib.sh"
cleanup() {
  kill_leftovers
  rm -rf "$TMP"
}
trap cleanup EXIT
RULES="$SRC/examples/watch_rules.yml"

# A rule file that does not load: positioned, exit 2, the command never started.
printf 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x[5m]\n' >"$TMP/bad.yml"
run watch --rules "$TMP/bad.yml" -- /bin/sh -c "touch $TMP/started"
expect_rc 2
expect_err "$TMP/bad.yml:5:24: error: unclosed left parenthesis [promql/syntax]"
[ ! -e "$TMP/started" ] || fail "the command was started despite the invalid rule file"
# A directory stands for its rule files (as in lint-rules and backtest): the bad one in it stops
# everything the same way.
mkdir "$TMP/rules.d"
cp "$TMP/bad.yml" "$TMP/rules.d/"
run watch --rules "$TMP/rules.d" -- /bin/sh -c "touch $TMP/started"
expect_rc 2
expect_err "$TMP/rules.d/bad.yml:5:24: error: unclosed left parenthesis [promql/syntax]"
[ ! -e "$TMP/started" ] || fail "the command was started despite the invalid rule file in the directory"
run watch --assert 'max(training_loss) <' -- /bin/sh -c "touch $TMP/started"
expect_rc 2
expect_err "--assert:1:"
[ ! -e "$TMP/started" ] || fail "the command was started despite the invalid assertion"
run watch --fail-on-alert -- /bin/true
expect_rc 2
expect_err "go with --rules or --assert"

# A diverging run: TrainingDiverging (critical, for: 4s) pending, then firing; the run fails (4)
# and the command is stopped.
port=$(free_port)
run watch --format jsonl --interval 0.5 --rules "$RULES" --fail-on-alert critical --stop-on-alert \
  --record "$TMP/incident.yml" --record "$TMP/incident.om" --metrics-url "http://127.0.0.1:$port/metrics" -- \
  /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$port" --epochs 40 --images 0 --speed 100 \
  --loss-spike 2 --truth "$TMP/truth.json"
expect_rc 4
expect_err "alert TrainingDiverging (critical) fired: stopping the command (--stop-on-alert)"
expect_err "recorded the run's samples in $TMP/incident.yml"
/usr/bin/python3 - "$TMP/truth.json" "$TMP/out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
alerts = [l for l in lines if l["type"] == "alert" and l["alert"]["alertname"] == "TrainingDiverging"]
events = [a["event"] for a in alerts]
assert events[:2] == ["pending", "firing"], events
pending, firing = alerts[0], alerts[1]
# for: 4s at a 2s group interval: firing exactly 4 s (two evaluations) after it became pending.
assert firing["time"] - pending["time"] == 4.0, (pending["time"], firing["time"])
assert firing["time"] % 2 == 0, firing["time"]  # evaluations on the group's slots
a = firing["alert"]
assert a["severity"] == "critical" and a["labels"]["model"] == "yolov11m-obb", a
assert a["labels"]["job"] == "nsmon-watch", a  # the recording rule keeps job and model
assert a["annotations"]["summary"] == "Training of yolov11m-obb is diverging", a
assert float(a["value"]) > 5, a
s = lines[-1]
assert s["type"] == "summary" and s["result"] == 4, s
assert s["ended"] == "killed by SIGTERM" or s["ended"].startswith("exited"), s["ended"]
r = s["rules"]
assert r["failed"] and r["failure"] == "alert TrainingDiverging (critical) fired", r
fired = [x for x in r["alerts"] if x["alertname"] == "TrainingDiverging"]
assert fired and fired[0]["fired_at"] == firing["time"], fired
truth = json.load(open(sys.argv[1]))
# Stopped early: the detector did not finish its 40 epochs.
assert len(truth["epochs"]) < 40, len(truth["epochs"])
PY

# The recorded incident is a regression test: nsmon test-rules (and promtool) pass it, and it
# expects the alert that fired.
grep -q "alertname: 'TrainingDiverging'" "$TMP/incident.yml" || fail "no alert test in the record"
grep -q "severity: \"critical\"" "$TMP/incident.yml" || fail "the record expects no firing alert"
run test-rules "$TMP/incident.yml"
expect_rc 0
expect_out "1 test: 1 passed, 0 failed"
tail -1 "$TMP/incident.om" | grep -qx '# EOF' || fail "the OpenMetrics record does not end with # EOF"
grep -q '^training_loss{' "$TMP/incident.om" || fail "no training_loss in the OpenMetrics record"
grep -qF "or \`promtool test rules $TMP/incident.yml\`" "$TMP/incident.yml" || fail "the header names no promtool replay"
if command -v promtool >/dev/null; then
  promtool test rules "$TMP/incident.yml" >"$TMP/promtool.out" 2>&1 || fail "promtool: $(cat "$TMP/promtool.out")"
  promtool tsdb create-blocks-from openmetrics "$TMP/incident.om" "$TMP/blocks" >"$TMP/blocks.out" 2>&1 ||
    fail "promtool create-blocks: $(cat "$TMP/blocks.out")"
fi

# An assertion that stops holding fails the run too, and says which.
port=$(free_port)
run watch --format plain --interval 0.5 --assert 'max(training_loss) < 10' --stop-on-alert \
  --metrics-url "http://127.0.0.1:$port/metrics" -- \
  /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "$port" --epochs 40 --images 0 --speed 100 --loss-spike 2
expect_rc 4
expect_out "assertion failed: max(training_loss) < 10 (returned nothing)"
expect_out "assertions 0 of 1 held; failed: max(training_loss) < 10"
