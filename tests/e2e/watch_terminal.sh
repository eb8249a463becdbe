#!/usr/bin/env bash
# The live mode in a real pseudo-terminal (tmux): the status block pinned at the bottom, the
# detector's output above it, redrawn to fit after a resize; Ctrl-C typed in the terminal reaches
# the detector; at the end the terminal is given back (scroll region, cursor) and the summary is
# printed where the block was.
source "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { echo "tmux not installed: skipped"; exit 77; }
sock="nsmon-e2e-$$"
t() { tmux -L "$sock" "$@"; }
cleanup() {
  t kill-server 2>/dev/null || true
  kill_leftovers
  rm -rf "$TMP"
}
trap cleanup EXIT
screen() { t capture-pane -p -t "$1"; }
pane() { t display -p -t "$1" "$2"; }
# wait_for PANE TEXT [SECONDS]
wait_for() {
  for _ in $(seq 1 $((${3:-30} * 10))); do screen "$1" | grep -qF -- "$2" && return 0; sleep 0.1; done
  fail "'$2' never appeared on the screen:
$(screen "$1")"
}

# A script per run: nsmon in the foreground of the pane, then what follows it on the terminal.
make_run() { # make_run NAME DETECTOR-OPTIONS...
  local name=$1 port
  shift
  port=$(free_port)
  cat >"$TMP/$name.sh" <<SH
cd "$SRC"
export TERM=xterm-256color NO_COLOR=1
unset CLICOLOR_FORCE
"$NSMON" watch --interval 0.3 --metrics-url http://127.0.0.1:$port/metrics -- \\
  /usr/bin/python3 examples/detector/detector.py --port $port --truth "$TMP/$name.truth.json" $*
echo "EXIT=\$?"
seq 1 40
echo AFTER-END
exec sleep 120
SH
}

# 1. A whole run: block, output above it, resize, summary, terminal given back.
whole_run() {
  make_run full --epochs 4 --images 80 --speed 80 --linger 1
  t new-session -d -s full -x 100 -y 30 "bash $TMP/full.sh"
  wait_for full "Training  Epoch 1/4"
  snap=$(screen full)
  rows=$(pane full '#{pane_height}')
  # The block occupies the bottom rows: its header is within the last 7 rows, above it the output.
  header_row=$(grep -n "^nsmon watch · detector.py · " <<<"$snap" | cut -d: -f1)
  [ -n "$header_row" ] && [ "$header_row" -ge $((rows - 6)) ] || fail "no header in the bottom rows:
$snap"
  above=$(head -n $((header_row - 1)) <<<"$snap")
  grep -q "^serving http://127.0.0.1" <<<"$above" || fail "the detector's output is not above the block:
$snap"
  [ "$(pane full '#{scroll_region_lower}')" -eq $((rows - 7 - 1)) ] || fail "scroll region: $(pane full '#{scroll_region_upper} #{scroll_region_lower}')"
  [ "$(pane full '#{cursor_flag}')" = 0 ] || fail "the cursor is visible while the block is shown"

  t resize-window -t full -x 64 -y 20
  sleep 1.5
  snap=$(screen full)
  while IFS= read -r line; do
    [ "$(printf '%s' "$line" | wc -m)" -le 64 ] || fail "a line is wider than the terminal after the resize: '$line'"
  done <<<"$snap"
  tail -n 7 <<<"$snap" | grep -q "^nsmon watch · " || fail "no header in the bottom rows after the resize:
$snap"
  [ "$(pane full '#{scroll_region_lower}')" -eq $((20 - 7 - 1)) ] || fail "scroll region after the resize"

  wait_for full "AFTER-END" 60
  snap=$(screen full)
  full_history=$(t capture-pane -p -t full -S -300)
  grep -q "^EXIT=0$" <<<"$full_history" || fail "no EXIT=0:
$full_history"
  # The terminal is back to normal: whole-screen scrolling (the numbers scrolled up to the last
  # row), a visible cursor, the summary printed.
  [ "$(pane full '#{cursor_flag}')" = 1 ] || fail "the cursor is still hidden"
  [ "$(pane full '#{scroll_region_upper}') $(pane full '#{scroll_region_lower}')" = "0 19" ] ||
    fail "scroll region not reset: $(pane full '#{scroll_region_upper} #{scroll_region_lower}')"
  tail -n 2 <<<"$snap" | grep -qx "AFTER-END" || fail "output does not reach the bottom row:
$snap"
  tr -d '\n' <<<"$full_history" | grep -q "nsmon watch: /usr/bin/python3 examples/detector/detector.py.* exited with status 0" ||
    fail "no summary:
$full_history"
  grep -q "^image 80/80 " <<<"$full_history" || fail "the detector's output was lost"
  # The summary follows the output where it stopped: no run of blank lines before it.
  before=$(grep -B1 "^nsmon watch: " <<<"$full_history" | head -n 1)
  [ -n "$before" ] && [ "$before" != "nsmon watch: "* ] || fail "a blank line before the summary:
$full_history"
}

# 2. Ctrl-C typed in the terminal: the detector gets SIGINT, exits 130, the terminal comes back.
ctrl_c() {
  make_run ctrlc --epochs 100 --speed 20
  t new-session -d -s ctrlc -x 100 -y 30 "bash $TMP/ctrlc.sh"
  wait_for ctrlc "Training  "
  t send-keys -t ctrlc C-c
  wait_for ctrlc "AFTER-END" 30
  snap=$(t capture-pane -p -t ctrlc -S -200)
  grep -q "^EXIT=130$" <<<"$snap" || fail "Ctrl-C: no EXIT=130:
$snap"
  grep -q "nsmon: forwarded SIGINT to the command" <<<"$snap" || fail "Ctrl-C was not forwarded:
$snap"
  [ "$(pane ctrlc '#{cursor_flag}')" = 1 ] || fail "Ctrl-C: the cursor is still hidden"
  [ "$(pane ctrlc '#{scroll_region_lower}')" -eq 29 ] || fail "Ctrl-C: the scroll region was not reset"
  /usr/bin/python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["exit_reason"] == "interrupted"' "$TMP/ctrlc.truth.json"
}

# 3. nsmon dies of a fatal signal: the terminal is still given back, the detector goes too.
fatal_signal() {
  make_run crash --epochs 100 --speed 20
  t new-session -d -s crash -x 100 -y 30 "bash $TMP/crash.sh"
  wait_for crash "Training  "
  nsmon_pid=$(pgrep -f -- "^$NSMON watch .*$TMP/crash.truth.json" | head -n 1)
  [ -n "$nsmon_pid" ] || fail "cannot find nsmon's pid"
  kill -ABRT "$nsmon_pid"
  wait_for crash "AFTER-END" 30
  snap=$(t capture-pane -p -t crash -S -200)
  grep -q "^EXIT=134$" <<<"$snap" || fail "SIGABRT: no EXIT=134:
$snap"
  [ "$(pane crash '#{cursor_flag}')" = 1 ] || fail "SIGABRT: the cursor is still hidden"
  [ "$(pane crash '#{scroll_region_lower}')" -eq 29 ] || fail "SIGABRT: the scroll region was not reset"
  for _ in $(seq 1 30); do pgrep -f -- "$TMP/crash.truth.json" | grep -qv "^$$\$" || break; sleep 0.1; done
  if pgrep -f -- "detector.py .*$TMP/crash.truth.json" >/dev/null; then fail "the detector outlived nsmon"; fi
}

# 4. --rules: the block's Alerts line (below its header, not the transition lines above it) shows
# TrainingDiverging while it is pending or firing; the alert stops the run (exit 4), the terminal
# is given back.
rules() {
  port=$(free_port)
  cat >"$TMP/rules.sh" <<SH
cd "$SRC"
export TERM=xterm-256color NO_COLOR=1
unset CLICOLOR_FORCE
"$NSMON" watch --interval 0.3 --rules examples/watch_rules.yml --fail-on-alert critical --stop-on-alert \\
  --metrics-url http://127.0.0.1:$port/metrics -- /usr/bin/python3 examples/detector/detector.py --port $port \\
  --epochs 40 --images 0 --speed 100 --loss-spike 2 --truth "$TMP/rules.truth.json"
echo "EXIT=\$?"
echo AFTER-END
exec sleep 120
SH
  # 160 columns: ValidationMAPLow may be firing at the same time, and the block lists firing alerts
  # first and drops what does not fit the width (at 100 columns, TrainingDiverging pending did not).
  t new-session -d -s rules -x 160 -y 30 "bash $TMP/rules.sh"
  found=""
  for _ in $(seq 1 300); do
    snap=$(screen rules)
    header_row=$(grep -n "^nsmon watch · detector.py · " <<<"$snap" | cut -d: -f1 | tail -n 1 || true)
    alerts_row=$(grep -n "^Alerts .*TrainingDiverging" <<<"$snap" | cut -d: -f1 | tail -n 1 || true)
    if [ -n "$header_row" ] && [ -n "$alerts_row" ] && [ "$alerts_row" -gt "$header_row" ]; then found=1; break; fi
    sleep 0.1
  done
  [ -n "$found" ] || fail "--rules: no Alerts line with TrainingDiverging in the block:
$snap"
  wait_for rules "AFTER-END" 30
  snap=$(t capture-pane -p -t rules -S -200)
  grep -q "^EXIT=4$" <<<"$snap" || fail "--rules: no EXIT=4:
$snap"
  [ "$(pane rules '#{cursor_flag}')" = 1 ] || fail "--rules: the cursor is still hidden"
}

# The four runs are independent, each in its own session and mostly waiting: they go at the same
# time, each in a subshell that fails on its own (with its message).
in_parallel whole_run ctrl_c fatal_signal rules
echo ok
