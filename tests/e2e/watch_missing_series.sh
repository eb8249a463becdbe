#!/usr/bin/env bash
# Wrong metric types do not blank figures silently (issue 58, item 1): a training script that
# exports its loss gauge as a prometheus_client Counter serves training_loss_total and
# training_loss_created, and the figures that read training_loss stay blank. `nsmon watch` names
# the series the figures read that no scrape held, live and in its summary (text and jsonl), with
# the cause the scrape shows, and names the others without a guess.
source "$(dirname "$0")/lib.sh"
pids=()
trap stop_background EXIT
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || { echo "python3-prometheus-client not installed: skipped"; exit 77; }

port=$(free_port)
watch_script() { # KIND [FORMAT] [ARGS...]
  local kind=$1 format=${2:-plain}
  shift 2 || shift
  run watch --format "$format" --interval 0.2 --metrics-url "http://127.0.0.1:$port/metrics" "$@" \
    -- /usr/bin/python3 "$SRC/tests/support/user_train.py" "$port" "$kind"
}
cause='training_loss: exported as a counter (training_loss_total, training_loss_created); the catalog says gauge'

# Plain: the summary names the cause; live, a notice says it when the scrape first shows it.
watch_script counter plain
expect_rc 0 # no gate: the command's status
expect_out "  missing    $cause"
expect_out "  missing    in no scrape, of the 32 series the figures read: learning_rate, training_epochs_planned, "
grep -q "missing .*in no scrape.*training_loss" <<<"$out" && fail "training_loss listed without its cause: $out"
grep -q "missing .*in no scrape.*[ ,]validation_map" <<<"$out" && fail "validation_map was scraped: $out"
expect_err "nsmon: training_loss is not in the scrape: exported as a counter (training_loss_total, training_loss_created); the catalog says gauge (the figures that read it stay blank)"
[ "$(grep -c 'training_loss is not in the scrape' <<<"$err")" = 1 ] || fail "the notice is not said once: $err"

# jsonl: the same in the summary object.
watch_script counter jsonl
expect_rc 0
/usr/bin/python3 - "$(grep '"type":"summary"' <<<"$out")" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
m = {x["series"]: x for x in s["missing_series"]}
loss = m["training_loss"]
assert loss == {"series": "training_loss", "metric": "training_loss", "type": "gauge",
                "cause": "exported as a counter (training_loss_total, training_loss_created); the catalog says gauge",
                "scraped_instead": ["training_loss_total", "training_loss_created"]}, loss
assert s["missing_series"][0]["series"] == "training_loss", s["missing_series"][0]
assert "validation_map" not in m, m.keys()
assert m["inference_time_seconds_bucket"]["cause"] is None and m["inference_time_seconds_bucket"]["scraped_instead"] == []
PY

# Another name: nothing in the scrape says why training_loss is missing, so no guess.
watch_script renamed plain
expect_rc 0
expect_out "  missing    in no scrape, of the 32 series the figures read: training_loss, "
grep -q "training_loss:" <<<"$out" && fail "a cause guessed for training_loss: $out"

# The gate on the counter: exit 4 (never checked), and the summary says why.
watch_script counter plain --assert 'max(training_loss) < 50'
expect_rc 4
expect_out "never checked, none of the series it selects was scraped: max(training_loss) < 50"
expect_out "  missing    $cause"

# The right type: training_loss is not missing.
watch_script gauge plain
expect_rc 0
grep -q "training_loss" <<<"$out" && fail "training_loss said missing when scraped: $out"
true
