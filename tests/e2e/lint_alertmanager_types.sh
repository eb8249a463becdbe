#!/usr/bin/env bash
# alertmanager.yml's typed scalar fields as yaml.v2 decodes them, differential against amtool
# check-config (0.25): 5 fields (route continue, a receiver's send_resolved and max_alerts, an
# HTTP client's follow_redirects, global smtp_require_tls) times 14 values (YAML 1.1 booleans, a
# quoted "true", words, integers, negative, float, .inf, a list, null). Both must load or refuse
# each file alike. amtool's answers are stored in tests/e2e/peers/lint_alertmanager_types.json
# (tests/support/peer.py).
source "$(dirname "$0")/lib.sh"
mkdir "$TMP/cases"
/usr/bin/python3 - "$TMP/cases" <<'EOF_PY'
import sys
out = sys.argv[1]
values = ["true", "yes", "On", "n", '"true"', "maybe", "1", "0x10", "-1", "1.5", ".inf", "[]", "~", "09"]
hook = "route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: http://127.0.0.1:1/\n"
fields = {
    "continue": "route:\n  receiver: a\n  routes:\n    - receiver: a\n      continue: {}\nreceivers:\n  - name: a\n",
    "send_resolved": hook + "        send_resolved: {}\n",
    "max_alerts": hook + "        max_alerts: {}\n",
    "follow_redirects": hook + "        http_config:\n          follow_redirects: {}\n",
    "smtp_require_tls": "global:\n  smtp_require_tls: {}\nroute:\n  receiver: a\nreceivers:\n  - name: a\n",
}
i = 0
for f, t in fields.items():
    for v in values:
        open(f"{out}/{i:03d}_{f}.yml", "w").write(t.format(v))
        i += 1
EOF_PY
# All of amtool's answers in one process; nsmon's runs (one file each) on every core.
cases=("$TMP"/cases/*.yml)
for f in "${cases[@]}"; do printf '\t\tamtool\tcheck-config\t%s\n' "$f"; done |
  /usr/bin/python3 "$SRC/tests/e2e/peer_batch.py" --store "$SRC/tests/e2e/peers/lint_alertmanager_types.json" "$TMP/amtool"
/usr/bin/python3 "$SRC/tests/e2e/run_each.py" "$TMP/nsmon" "$NSMON" lint-alertmanager -- "${cases[@]}"
n=0 agree=0 refused=0
for f in "${cases[@]}"; do
  n=$((n + 1))
  a=loads
  [ "$(<"$TMP/amtool/$n.rc")" -eq 0 ] || a=refuses
  [ "$(<"$TMP/nsmon/$n.rc")" -le 1 ] || fail "${f##*/}: nsmon exited $(<"$TMP/nsmon/$n.rc"): $(<"$TMP/nsmon/$n.err")"
  out=$(<"$TMP/nsmon/$n.out")
  s=loads
  [[ $out == *': error:'* ]] && s=refuses
  if [ "$a" = "$s" ]; then
    agree=$((agree + 1))
    [ "$a" = refuses ] && refused=$((refused + 1))
  else
    echo "DISAGREE ${f##*/}: amtool $a, nsmon $s: $(cat "$TMP/amtool/$n".{out,err} | grep -m1 'line') / $(grep -m1 error: <<<"$out")" >&2
  fi
done
echo "$n files: both load or both refuse $agree ($refused refused by both)"
[ "$agree" -eq "$n" ] || fail "$((n - agree)) disagreements with amtool"
[ "$refused" -ge 20 ] || fail "too few refused cases: the comparison proves little"
