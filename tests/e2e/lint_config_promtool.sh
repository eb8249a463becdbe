#!/usr/bin/env bash
# Differential of prometheus.yml validation against Debian's promtool (`promtool check config
# --syntax-only`, 2.42: it opens no rule or SD file) on Prometheus 3's config corpus
# (tests/data/prometheus-config). promtool-2.42.tsv is the reviewed table: for every file,
# promtool's verdict and first error (its unmarshal detail when it has one), nsmon's verdict
# (error or clean, config/rule-file left out as in lint_config_corpus.sh) and, where the two tools
# disagree or promtool refuses for another reason than Prometheus 3, why. The test fails when
# either tool's verdicts or promtool's words differ from the table: a changed disagreement is
# reviewed, not silently accepted. NSMON_UPDATE_GOLDEN=1 rewrites the table and keeps the notes.
# promtool's answers are stored in promtool-answers.json beside the corpus (tests/support/peer.py).
update=${NSMON_UPDATE_GOLDEN:-} # read before lib.sh unsets NSMON_*
source "$(dirname "$0")/lib.sh"
DATA="$SRC/tests/data/prometheus-config"
TABLE="$DATA/promtool-2.42.tsv"
cd "$DATA"

now="$TMP/now.tsv"
# All of promtool's answers in one process; nsmon's runs (one --config each) on every core.
files=(*.good.yml *.bad.yml)
for f in "${files[@]}"; do printf '\t\tpromtool\tcheck\tconfig\t--syntax-only\t%s\n' "$f"; done |
  /usr/bin/python3 "$SRC/tests/e2e/peer_batch.py" --store "$DATA/promtool-answers.json" "$TMP/promtool"
/usr/bin/python3 "$SRC/tests/e2e/run_each.py" "$TMP/nsmon" "$NSMON" lint-rules --config {} --format text -- "${files[@]}"
n=0
for f in "${files[@]}"; do
  n=$((n + 1))
  if [ "$(<"$TMP/promtool/$n.rc")" -eq 0 ]; then pv=accepts pw=-; else
    pv=refuses
    # "yaml: unmarshal errors:" is followed by the detail that says which field.
    pw=$(cat "$TMP/promtool/$n".{out,err} | grep -m1 -A1 -E 'FAILED|error' | sed -E 's/^ *//; s/^FAILED: parsing YAML file [^:]*: //' |
      { read -r first; if [[ "$first" == *"unmarshal errors:" ]]; then read -r detail; echo "$detail"; else echo "$first"; fi; })
  fi
  if cat "$TMP/nsmon/$n".{out,err} | grep -E ': error: .*\[' | grep -qv '\[config/rule-file\]$'; then nv=error; else nv=clean; fi
  printf '%s\t%s\t%s\t%s\n' "$f" "$pv" "${pw//$'\t'/ }" "$nv"
done >"$now"

if [ "$update" = 1 ]; then
  { grep '^#' "$TABLE" || true
    awk -F'\t' 'NR == FNR { if ($0 !~ /^#/) note[$1] = $5; next } { print $0 "\t" note[$1] }' "$TABLE" "$now"
  } >"$TMP/new" && mv "$TMP/new" "$TABLE"
  echo "rewrote $TABLE"
fi
# The table without its notes (5th column) and comments.
grep -v '^#' "$TABLE" | cut -f1-4 >"$TMP/want.tsv" || true

awk -F'\t' '{ bad = ($1 ~ /\.bad\.yml$/); p = ($2 == "refuses"); n = ($4 == "error")
  total++; if (p == bad) pr++; if (n == bad) nr++; if (p == n) same++
  if (bad && p && $3 ~ /not found in type/ && $1 !~ /^(unknown_attr|unknown_global_attr|static_config)\./) accident++ }
  END { printf "promtool 2.42 right on %d/%d files, nsmon on %d/%d; same verdict on %d; %d bad files refused by promtool only for a field it does not know\n", pr, total, nr, total, same, accident }' "$now"
diff -u "$TMP/want.tsv" "$now" >&2 || fail "verdicts differ from $TABLE (review, then NSMON_UPDATE_GOLDEN=1)"
# Every disagreement is explained.
awk -F'\t' '!/^#/ && ($2 == "refuses") != ($4 == "error") && $5 == "" { print "no note for " $1; bad = 1 } END { exit bad }' "$TABLE" >&2 ||
  fail "a disagreement without a note in $TABLE"
