#!/usr/bin/env bash
# One rule for bad input (docs/exit-codes.md; issue 48): every subcommand that reads a file,
# against the same bad inputs — garbage bytes, an empty file, a directory, a missing file, invalid
# UTF-8 — exits with the code the rule gives: 1 when a checker meets a file it checks that does
# not parse (a finding), 2 for any other input that does not load (a runner's, an option's) and
# for a file that cannot be read at all. Each run names the file, in a few lines (no flood, no
# crash) and never writes raw binary or control characters to the terminal.
#
# Before issue 48's fixes: lint-alertmanager --rules/--config ignored a garbage file (exit 0),
# lint-metrics gave 70 lines for garbage, promql fmt/ast exited 1, and raw bytes were echoed.
source "$(dirname "$0")/lib.sh"
mkdir "$TMP/inputs"
cd "$TMP/inputs"

# The bad inputs, the same for every command.
/usr/bin/python3 - <<'EOF'
import random
random.seed(48)
open("garbage", "wb").write(bytes(random.randrange(256) for _ in range(3000)))
open("invalid-utf8", "wb").write(b"groups:\n  - name: caf\xe9 \xff\xfe\n    rules: []\n")
EOF
: >empty
mkdir directory
inputs=(garbage empty directory missing invalid-utf8)

# Good companions for the commands whose bad input is an option's.
cat >ok_rules.yml <<'EOF'
groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        for: 5m
        labels: {severity: critical}
        annotations: {summary: down, description: a target is down}
EOF
cat >ok_am.yml <<'EOF'
route:
  receiver: team
  group_by: [alertname]
receivers:
  - name: team
EOF
cat >ok_test.yml <<'EOF'
tests:
  - interval: 1m
    promql_expr_test:
      - expr: vector(1)
        eval_time: 0
        exp_samples: [{value: 1}]
EOF
cat >ok_slo.yml <<'EOF'
version: nsmon/v1
service: app
slos:
  - {name: availability, objective: 0.999, sli: {up: {job: app}}}
EOF
closed=http://127.0.0.1:1

# For gen-dashboards, whose input is a directory of templates: a bad file is put in one.
for f in garbage empty invalid-utf8; do mkdir "tpl-$f" && cp "$f" "tpl-$f/t.yml"; done

# command (@ is the bad input) | the expected code for garbage empty directory missing invalid-utf8
# ("-": not applicable). Empty is what the reference makes of it: an empty rule file, prometheus.yml
# or policy is valid, an empty alertmanager.yml or catalog is not; but lint-rules fails a run that
# read no rule at all (rules/no-rules), where promtool passes: a gate that checked nothing.
rows=(
  "lint-rules @|1 1 2 2 1"
  "lint-rules --config @|1 0 2 2 1"
  "lint-rules --policy @ ok_rules.yml|2 0 2 2 2"
  "lint-alertmanager @|1 1 2 2 1"
  "lint-alertmanager --rules @ ok_am.yml|2 0 2 2 2"
  "lint-alertmanager --config @ ok_am.yml|2 0 2 2 2"
  "lint-metrics @|1 1 2 2 1"
  "test-rules @|2 1 2 2 2"
  "test-rules --alertmanager @ ok_test.yml|2 2 2 2 2"
  "routes test --alertmanager @ alertname=x|2 2 2 2 2"
  "routes show --alertmanager @|2 2 2 2 2"
  "routes test --alertmanager ok_am.yml --cases @|2 2 2 2 2"
  "routes test --alertmanager ok_am.yml --alerts @|2 2 2 2 2"
  "slo generate @ --out out.yml|2 2 2 2 2"
  "slo generate ok_slo.yml --policy @ --out out.yml|2 0 2 2 2"
  "gen-dashboards --templates @ --out dashboards|1 1 2 2 1"
  "watch --format plain --metrics-url $closed/metrics --rules @ -- true|2 0 2 2 2"
  "watch --format plain --metrics-url $closed/metrics --rules ok_rules.yml --alertmanager @ --record rec.yml -- true|2 2 2 2 2"
  "backtest --prometheus $closed @|2 0 2 2 2"
  "backtest --prometheus $closed --retries 0 ok_rules.yml --compare @|2 3 2 2 2"
  "backtest --prometheus $closed --config @|2 2 2 2 2"
  "--catalog @ catalog list|2 2 2 2 2"
  "--catalog @ lint-rules ok_rules.yml|2 2 2 2 2"
  "promql check <@|1 1 - - 1"
  "promql fmt <@|2 2 - - 2"
  "promql ast <@|2 2 - - 2"
)

# The runs are independent: each gets its own copy of the inputs (a command may write out.yml,
# rec.yml, dashboards/), and they go two at a time; their outputs are checked once all are done.
n=0
for row in "${rows[@]}"; do
  IFS='|' read -r command codes <<<"$row"
  read -ra want <<<"$codes"
  for i in "${!inputs[@]}"; do
    [ "${want[$i]}" = - ] && continue
    input=${inputs[$i]}
    path=$input
    [[ $command == gen-dashboards* && -f $input ]] && path=tpl-$input
    words=${command//@/$path}
    stdin=/dev/null
    if [[ $words == *"<"* ]]; then
      stdin=${words##*<}
      words=${words%%<*}
    fi
    # A refusal or a finding names the file (stdin has no name but <stdin>).
    name=$path
    [ "$stdin" != /dev/null ] && name="<stdin>"
    n=$((n + 1))
    printf '%s\n' "${want[$i]}" "$name" "nsmon ${command//@/$path} ($input)" >"$TMP/$n.case"
    throttle 2
    cp -r "$TMP/inputs" "$TMP/$n.dir"
    (
      set +e
      cd "$TMP/$n.dir" || exit
      # shellcheck disable=SC2086 # the words of the command line
      timeout 60 "$NSMON" $words <"$stdin" >"$TMP/$n.out" 2>&1
      echo $? >"$TMP/$n.rc"
    ) &
  done
done
wait

# No output holds raw binary (invalid UTF-8) or control characters but newline and tab: one line
# "K REASON" per output K that does.
/usr/bin/python3 - "$TMP" "$n" >"$TMP/unclean" <<'EOF'
import sys
tmp, n = sys.argv[1], int(sys.argv[2])
for k in range(1, n + 1):
    data = open(f"{tmp}/{k}.out", "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(k, "raw bytes: %r" % data[max(0, e.start - 20):e.end + 20])
        continue
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0]
    if bad:
        print(k, "control characters: %r" % bad[:5])
EOF
declare -A unclean
while read -r k reason; do unclean[$k]=$reason; done <"$TMP/unclean"

failures=0
check() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
for k in $(seq 1 "$n"); do
  { read -r want; read -r name; read -r what; } <"$TMP/$k.case"
  rc=$(<"$TMP/$k.rc")
  [ "$rc" = "$want" ] || check "$what: exit $rc, expected $want: $(head -c 600 "$TMP/$k.out")"
  # An input its reference accepts (an empty rule file) needs no message: the run passes (0) or
  # goes on (3: the closed server's port).
  if [ "$rc" = 1 ] || [ "$rc" = 2 ]; then
    grep -qF -- "$name" "$TMP/$k.out" || check "$what: no message names $name: $(head -c 600 "$TMP/$k.out")"
  fi
  lines=$(wc -l <"$TMP/$k.out")
  [ "$lines" -le 8 ] || check "$what: $lines lines of output: $(head -c 600 "$TMP/$k.out")"
  [ -z "${unclean[$k]-}" ] || check "$what: ${unclean[$k]}"
done
[ "$failures" -eq 0 ] || fail "$failures of the runs above"
echo ok
