#!/usr/bin/env bash
# prometheus.yml validation measured on Prometheus's own config corpus (tests/data/prometheus-config,
# from prometheus/prometheus config/testdata, and its documentation's example configs in examples/):
# every *.good.yml and example must load with no error, every
# *.bad.yml must give at least one. expected.tsv (reviewed by hand) gives, for each bad file, the
# place (line:col, or file:line:col in a file it imports through scrape_config_files), the check
# and the words of its error ("=": Prometheus's own error, the last column), or "-" for a known miss
# (README.md says why). A bad file counts as "at the right place" when one of its errors has that
# place and check and contains those words.
# config/rule-file findings are left out: Prometheus's loader does not open rule files (promtool
# does), and the corpus does not ship the rule files its configs name.
# Fails on any good file with an error, and when fewer than MIN_PLACED bad files are flagged at
# the right place (raise it as the validation grows).
source "$(dirname "$0")/lib.sh"
MIN_PLACED=147
DATA="$SRC/tests/data/prometheus-config"
cd "$DATA"

# nsmon's runs (one --config each) on every core, before the files are judged.
good_files=(*.good.yml scrape_configs/*.good.yml examples/*.yml)
bad_files=(*.bad.yml)
/usr/bin/python3 "$SRC/tests/e2e/run_each.py" "$TMP/nsmon" "$NSMON" lint-rules --config {} --format text -- \
  "${good_files[@]}" "${bad_files[@]}"
errors() { # errors N: "file:line:col check<TAB>message" of each error of run N, config/rule-file left out
  [ "$(<"$TMP/nsmon/$1.rc")" -le 1 ] || fail "run $1: nsmon exited $(<"$TMP/nsmon/$1.rc"): $(<"$TMP/nsmon/$1.err")"
  cat "$TMP/nsmon/$1".{out,err} |
    sed -nE 's@^([^:]+):([0-9]+):([0-9]+): error: (.*) \[([a-z0-9/_-]+)\]$@\1:\2:\3 \5\t\4@p' |
    { grep -v $' config/rule-file\t' || true; }
}

declare -A want words
while IFS=$'\t' read -r file place check w perr; do
  [[ -z "$file" || "$file" == \#* ]] && continue
  # The place is in the bad file itself unless written file:line:col (a file that it imports).
  [[ "$place" == *:*:* || "$place" == - ]] || place="$file:$place"
  want[$file]="$place $check"
  [ "$w" = "=" ] && w=$perr
  words[$file]=$w
done <expected.tsv

good=0 good_clean=0 bad=0 flagged=0 placed=0 status=0
for f in "${good_files[@]}"; do
  good=$((good + 1))
  e=$(errors "$good")
  if [ -z "$e" ]; then good_clean=$((good_clean + 1)); else
    echo "good file with errors: $f: $(tr '\n' ';' <<<"$e")" >&2
    status=1
  fi
done
for f in "${bad_files[@]}"; do
  bad=$((bad + 1))
  e=$(errors "$((good + bad))")
  [ -n "$e" ] && flagged=$((flagged + 1))
  w=${want[$f]-}
  [ -n "$w" ] || echo "not in expected.tsv: $f" >&2
  if [ -n "$w" ] && [ "${w%% *}" != "-" ] && grep -F -- "$w"$'\t' <<<"$e" | cut -f2- | grep -qF -- "${words[$f]}"; then
    placed=$((placed + 1))
  elif [ -n "$w" ] && [ "${w%% *}" != "-" ]; then
    echo "not at the expected place ($w: ${words[$f]}): $f: $(tr '\n' ';' <<<"$e")" >&2
  elif [ -n "$e" ]; then echo "flagged, expected a miss: $f: $(tr '\n' ';' <<<"$e")" >&2
  fi
done
echo "good files clean: $good_clean/$good; bad files flagged: $flagged/$bad, at the expected place and in the expected words: $placed/$bad"
[ "$placed" -ge "$MIN_PLACED" ] || { echo "FAIL: fewer than $MIN_PLACED bad files at the expected place" >&2; status=1; }
exit $status
