#!/usr/bin/env bash
# nsmon against vmalert's own dry run (issue 56): for every vmalert file of tests/data/vmalert and
# the VictoriaMetrics rules of tests/data/other-rulers, `vmalert -rule=FILE -dryRun` (Debian 12's
# vmalert 1.79.5; its answers stored in tests/data/vmalert/vmalert-answers.json, tests/support/peer.py)
# accepts the file exactly when `nsmon lint-rules --rule-schema vmalert` finds no error of a check
# that refuses a file (the loader's, promql/syntax, rules/other-ruler: not lint's semantic ones,
# such as rules/undefined-recording-rule) and no expression it leaves unread (Graphite, LogsQL).
# The files use only what vmalert 1.79 reads: tests/data/vmalert/README.md says which were left out.
source "$(dirname "$0")/lib.sh"
peer_store "$SRC/tests/data/vmalert/vmalert-answers.json"
files=$(find "$SRC/tests/data/vmalert" "$SRC/tests/data/other-rulers/victoriametrics-victoriametrics" \
  -path '*/newer-than-1.79' -prune -o \( -name '*.yml' -o -name '*.rules' \) -print | sort)
[ "$(wc -l <<<"$files")" -ge 25 ] || fail "too few files: $files"
accepted=0 refused=0
for f in $files; do
  vmalert -rule="$f" -dryRun >"$TMP/vm.out" 2>&1 && vrc=0 || vrc=$?
  [ $vrc -ne 97 ] || fail "$(cat "$TMP/vm.out")" # peer.py: not stored, and no vmalert to ask
  [ $vrc = 0 ] && vm=accepts || vm=refuses
  run --catalog none lint-rules --rule-schema vmalert --format json "$f"
  [ "$rc" -le 1 ] || fail "$f: exit $rc: $err"
  ns=$(/usr/bin/python3 -c '
import json, sys
refusing = ("yaml/", "promql/syntax", "rules/alert-xor-record", "rules/aliased-field", "rules/duplicate-group",
            "rules/duplicate-rule", "rules/duration", "rules/label-name", "rules/missing-field", "rules/record-fields",
            "rules/record-name", "rules/template", "rules/other-ruler")
found = json.load(sys.stdin)["findings"]
bad = [f for f in found if f["severity"] == "error" and f["check"].startswith(refusing)]
unread = [f for f in found if "in Graphite" in f["message"] or "in LogsQL" in f["message"]]
print("refuses" if bad else "unread" if unread else "accepts")' <<<"$out")
  [ "$ns" = "$vm" ] || fail "$f: vmalert $vm it, nsmon $ns it: $(cat "$TMP/vm.out") / $out"
  [ "$vm" = accepts ] && accepted=$((accepted + 1)) || refused=$((refused + 1))
done
# A field newer than vmalert 1.79: nsmon reads today's format, and its note names the release
# from which vmalert reads the file; 1.79 refuses it.
for f in "$SRC"/tests/data/vmalert/newer-than-1.79/*.yml; do
  vmalert -rule="$f" -dryRun >"$TMP/vm.out" 2>&1 && fail "$f: vmalert 1.79 accepts it"
  grep -q 'unknown fields in' "$TMP/vm.out" || fail "$f: $(cat "$TMP/vm.out")"
  run --catalog none lint-rules "$f"
  [ "$rc" -le 1 ] || fail "$f: exit $rc: $err"
  grep -Eq 'vmalert 1\.(8[0-9]|9[0-9]) or later reads it' <<<"$out" || fail "$f: no version in: $out"
done
# Both verdicts are exercised.
[ "$accepted" -ge 10 ] && [ "$refused" -ge 7 ] || fail "accepted $accepted, refused $refused"
echo "ok ($accepted accepted, $refused refused, as vmalert says)"
