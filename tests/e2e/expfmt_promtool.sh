#!/usr/bin/env bash
# Differential: nsmon's exposition parser and promtool's (`promtool check metrics`, client_golang's
# text parser) on the text-format corpus and on 25 deterministic mutations of each file (a line cut
# short, doubled, a byte swapped for a syntax character, trailing tokens, a quote dropped).
# A file is "refused" by nsmon when lint-metrics reports metrics/syntax, by promtool when it says
# "error while linting". Every file promtool refuses must be refused by nsmon. nsmon may refuse
# more only for the reasons below, where it follows Prometheus's scrape parser (textparse), which is
# what a scrape goes through, and client_golang's parser is more lenient; each reason is nsmon's
# exact message form:
#   duplicate series "..."                      the scrape refuses a repeated series (duplicate sample)
#   metric family "..." already appeared        textparse needs a family's lines together
#   invalid metric type ""                      `# TYPE name` with no type: textparse refuses it
# promtool's answers are stored in tests/data/expfmt/promtool-answers.json (tests/support/peer.py).
source "$(dirname "$0")/lib.sh"
corpus="$SRC/tests/data/expfmt"
mkdir "$TMP/cases"
/usr/bin/python3 - "$corpus" "$TMP/cases" <<'EOF'
import glob, random, shutil, sys, os
corpus, out = sys.argv[1], sys.argv[2]
random.seed(7)
for f in sorted(glob.glob(corpus + "/*.txt")):
    if f.endswith(".om.txt"):
        continue
    base = os.path.basename(f)[:-4]
    shutil.copy(f, f"{out}/{base}.txt")
    lines = open(f, encoding="utf-8").read().split("\n")
    for i in range(25):
        m = list(lines)
        k = random.randrange(len(m) - 1)
        kind = i % 5
        if kind == 0: m[k] = m[k][: random.randrange(len(m[k]) + 1)]
        elif kind == 1: m.insert(k, m[k])
        elif kind == 2 and m[k]:
            j = random.randrange(len(m[k]))
            m[k] = m[k][:j] + random.choice('{}"=, #\\x') + m[k][j + 1:]
        elif kind == 3: m[k] += " 123 456"
        else: m[k] = m[k].replace('"', "", 1)
        open(f"{out}/{base}.m{i:02d}.txt", "w", encoding="utf-8").write("\n".join(m))
EOF
excused='duplicate series "|metric family "[^"]*" already appeared|invalid metric type ""'
# All of promtool's answers in one process; nsmon's runs (one exposition each) on every core.
cases=("$TMP"/cases/*.txt)
for f in "${cases[@]}"; do printf '\t%s\tpromtool\tcheck\tmetrics\n' "$f"; done |
  /usr/bin/python3 "$SRC/tests/e2e/peer_batch.py" --store "$corpus/promtool-answers.json" "$TMP/promtool"
/usr/bin/python3 "$SRC/tests/e2e/run_each.py" "$TMP/nsmon" "$NSMON" lint-metrics --catalog none --format text -- "${cases[@]}"
n=0 both_ok=0 both_bad=0 more=0 status=0
for f in "${cases[@]}"; do
  n=$((n + 1))
  [ "$(<"$TMP/nsmon/$n.rc")" -le 1 ] || fail "${f##*/}: nsmon exited $(<"$TMP/nsmon/$n.rc"): $(<"$TMP/nsmon/$n.err")"
  syntax=$(cat "$TMP/nsmon/$n".{out,err} | grep -m1 '\[metrics/syntax\]' || true)
  ptool=$(cat "$TMP/promtool/$n".{out,err} | grep -m1 'error while linting' || true)
  p=ok
  [ -z "$ptool" ] || p=bad
  name=${f##*/}
  if [ -z "$syntax" ] && [ $p = ok ]; then both_ok=$((both_ok + 1))
  elif [ -n "$syntax" ] && [ $p = bad ]; then both_bad=$((both_bad + 1))
  elif [ -z "$syntax" ]; then
    echo "FAIL: promtool refuses $name, nsmon accepts it: $ptool" >&2
    status=1
  elif grep -qE -- "$excused" <<<"$syntax"; then more=$((more + 1))
  else
    echo "FAIL: nsmon refuses $name for a reason not in the list, promtool accepts it: $syntax" >&2
    status=1
  fi
done
echo "$n files: both accept $both_ok, both refuse $both_bad, only nsmon refuses (listed reasons) $more"
# The mutations must exercise both verdicts, or the comparison proves nothing.
[ "$both_bad" -ge 20 ] && [ "$both_ok" -ge 3 ] || fail "too few cases on one side"
exit $status
