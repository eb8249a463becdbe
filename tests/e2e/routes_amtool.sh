#!/usr/bin/env bash
# nsmon routes test against amtool config routes test (0.25) on 300 generated label sets per
# configuration: tests/data/alertmanager/routing.yml (continue, nesting, inherited receivers, every
# matcher kind, match/match_re, anchored regexes, absent labels) and the integration guide's seed.
# Every label set must reach the same receivers, in the same order.
source "$(dirname "$0")/lib.sh"
command -v amtool >/dev/null || { echo "amtool not installed: skipped"; exit 77; }
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
total=0 agree=0
for config in "$SRC/tests/data/alertmanager/routing.yml" "$SRC/tests/data/seed/alertmanager.yml"; do
  while read -r -a labels; do
    total=$((total + 1))
    theirs=$(amtool config routes test --config.file="$config" "${labels[@]}" 2>/dev/null)
    run routes test --config "$config" "${labels[@]}"
    expect_rc 0
    if [ "$out" = "$theirs" ]; then agree=$((agree + 1)); else
      echo "DISAGREE ${config##*/} ${labels[*]}: amtool $theirs, nsmon $out" >&2
    fi
  done <"$TMP/labels"
done
echo "$total label sets: the same receivers as amtool for $agree"
[ "$agree" -eq "$total" ] || fail "$((total - agree)) label sets routed differently"
