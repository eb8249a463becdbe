#!/usr/bin/env bash
# prometheus.yml validation measured on Prometheus's own config corpus (tests/data/prometheus-config,
# from prometheus/prometheus config/testdata): every *.good.yml must load with no error, every
# *.bad.yml must give at least one. expected.tsv (reviewed by hand) gives, for each bad file, the
# line and check where the error belongs ("-" for a known miss, with the reason); a bad file counts
# as "at the right place" when one of its errors has that line and check (line: file:line for an
# error in a file it imports through scrape_config_files).
# config/rule-file findings are left out: Prometheus's loader does not open rule files (promtool
# does), and the corpus does not ship the rule files its configs name.
# Fails on any good file with an error, and when fewer than MIN_PLACED bad files are flagged at
# the right place (raise it as the validation grows).
source "$(dirname "$0")/lib.sh"
MIN_PLACED=144
DATA="$SRC/tests/data/prometheus-config"
cd "$DATA"

errors() { # errors FILE: "file:line check" of each error, config/rule-file left out
  set +e
  "$NSMON" lint-rules --config "$1" --format text 2>&1 |
    sed -nE 's@^([^:]+):([0-9]+):[0-9]+: error: .*\[([a-z0-9/_-]+)\]$@\1:\2 \3@p' | grep -v ' config/rule-file$'
  set -e
}

declare -A want
while IFS=$'\t' read -r file line check _; do
  [[ -z "$file" || "$file" == \#* ]] && continue
  # The line is in the bad file itself unless written file:line (a file that it imports).
  [[ "$line" == *:* || "$line" == - ]] || line="$file:$line"
  want[$file]="$line $check"
done <expected.tsv

good=0 good_clean=0 bad=0 flagged=0 placed=0 status=0
for f in *.good.yml scrape_configs/*.good.yml; do
  good=$((good + 1))
  e=$(errors "$f")
  if [ -z "$e" ]; then good_clean=$((good_clean + 1)); else
    echo "good file with errors: $f: $(tr '\n' ';' <<<"$e")" >&2
    status=1
  fi
done
for f in *.bad.yml; do
  bad=$((bad + 1))
  e=$(errors "$f")
  [ -n "$e" ] && flagged=$((flagged + 1))
  w=${want[$f]-}
  [ -n "$w" ] || echo "not in expected.tsv: $f" >&2
  if [ -n "$w" ] && [ "${w%% *}" != "-" ] && grep -qxF -- "$w" <<<"$e"; then placed=$((placed + 1));
  elif [ -n "$w" ] && [ "${w%% *}" != "-" ]; then
    echo "not at the expected place ($w): $f: $(tr '\n' ';' <<<"$e")" >&2
  elif [ -n "$e" ]; then echo "flagged, expected a miss: $f: $(tr '\n' ';' <<<"$e")" >&2
  fi
done
echo "good files clean: $good_clean/$good; bad files flagged: $flagged/$bad, at the expected place: $placed/$bad"
[ "$placed" -ge "$MIN_PLACED" ] || { echo "FAIL: fewer than $MIN_PLACED bad files at the expected place" >&2; status=1; }
exit $status
