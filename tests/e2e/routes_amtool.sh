#!/usr/bin/env bash
# nsmon routes test against amtool config routes test (0.25) on 300 generated label sets per
# configuration: tests/data/alertmanager/routing.yml (continue, nesting, inherited receivers, every
# matcher kind, match/match_re, anchored regexes, absent labels) and the integration guide's seed.
# Every label set must reach the same receivers, in the same order.
source "$(dirname "$0")/lib.sh"
/usr/bin/python3 - >"$TMP/labels" <<'EOF_PY'
import random
r = random.Random(16)
values = {
    "severity": ["critical", "warning", "info", "crit", "warn", ""],
    "team": ["ml", "data", "ops", "op", "mlops", ""],
    "env": ["dev", "prod", ""],
    "stage": ["training", "train", "inference", ""],
    "alertname": ["DetectorDown", "HighLatency", "TrainingDiverged", ""],
    "component": ["detector", "symbolic", "kg", ""],
}
for _ in range(300):
    labels = [f"{k}={r.choice(v)}" for k, v in values.items() if r.random() < 0.7]
    labels = [l for l in labels if not l.endswith("=")] or ["alertname=X"]
    print(" ".join(labels))
EOF_PY
# amtool's answers are stored in tests/e2e/peers/routes_amtool.json (tests/support/peer.py), all
# asked in one process. nsmon gets every label set of a configuration at once as a --cases file
# whose expected receivers are amtool's answers (one process: the suite runs under ASan in CI,
# where each start costs), and the first 20 also one at a time, as amtool is called, for the
# output itself.
configs=("$SRC/tests/data/alertmanager/routing.yml" "$SRC/tests/data/seed/alertmanager.yml")
for config in "${configs[@]}"; do
  while read -r line; do printf '\t\tamtool\tconfig\troutes\ttest\t--config.file=%s\t%s\n' "$config" "${line// /$'\t'}"; done <"$TMP/labels"
done | /usr/bin/python3 "$SRC/tests/e2e/peer_batch.py" --store "$SRC/tests/e2e/peers/routes_amtool.json" "$TMP/amtool"
total=0 q=0
for config in "${configs[@]}"; do
  echo "cases:" >"$TMP/cases.yml"
  n=0
  while read -r -a labels; do
    n=$((n + 1)) q=$((q + 1))
    theirs=$(<"$TMP/amtool/$q.out")
    [ -n "$theirs" ] || fail "amtool answered nothing for ${labels[*]}: $(<"$TMP/amtool/$q.err")"
    # The generated names and values are plain words: single quotes are enough.
    pairs=()
    for l in "${labels[@]}"; do pairs+=("'${l%%=*}': '${l#*=}'"); done
    printf -v joined '%s, ' "${pairs[@]}"
    printf "  - name: '%s'\n    labels: {%s}\n    receivers: ['%s']\n" "${labels[*]}" "${joined%, }" \
      "${theirs//,/"', '"}" >>"$TMP/cases.yml"
    if [ "$n" -le 20 ]; then
      run routes test --alertmanager "$config" "${labels[@]}"
      expect_rc 0
      [ "$out" = "$theirs" ] || fail "${config##*/} ${labels[*]}: amtool $theirs, nsmon $out"
    fi
  done <"$TMP/labels"
  total=$((total + n))
  run routes test --alertmanager "$config" --cases "$TMP/cases.yml"
  [ "$rc" -eq 0 ] || fail "${config##*/}: label sets routed differently from amtool (exit $rc): $(grep -v '^PASS' <<<"$out") $err"
  expect_out "$n cases: $n passed, 0 failed"
done
[ "$total" -eq 600 ] || fail "$total label sets compared, not 600"
echo "$total label sets: the same receivers as amtool for all"
