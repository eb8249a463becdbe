#!/usr/bin/env bash
# --check names the files and panels that differ, the missing and the stale files as findings of
# the report (generated/stale), exits 1 and writes nothing.
source "$(dirname "$0")/lib.sh"
mkdir "$TMP/w" && cd "$TMP/w" # lib.sh keeps its own files in $TMP
cp -r "$SRC/templates" "$SRC/dashboards" "$SRC/rules" . # rules/: templates/slo.yml reads rules/slo_rules.yml
python3 - <<'PY'
import json
p = "dashboards/nsmon-errors.json"
d = json.load(open(p))
d["panels"][1]["title"] = "Edited in the UI"
json.dump(d, open(p, "w"), indent=2)
PY
rm dashboards/nsmon-system.json
echo '{}' >dashboards/old.json
before=$(cd dashboards && sha256sum -- * | sha256sum)
run gen-dashboards --check
expect_rc 1
expect_out 'dashboards/nsmon-errors.json: error: panel 2 "Errors in range" differs [generated/stale]'
expect_out "dashboards/nsmon-system.json: error: missing: templates makes it"
expect_out "dashboards/old.json: error: stale: no template makes it"
expect_out "3 errors, 0 warnings, 0 info in templates (6 templates)"
expect_out "is not what templates gives: run nsmon gen-dashboards"
grep -q "nsmon-training" <<<"$out" && fail "an unchanged dashboard was reported: $out"
after=$(cd dashboards && sha256sum -- * | sha256sum)
[ "$before" = "$after" ] || fail "--check changed dashboards/"
# Regenerating fixes what --check reported, except the stale file, which is left alone.
run gen-dashboards
expect_rc 0
expect_out "wrote 6 dashboards and .lint to dashboards (2 changed)"
run gen-dashboards --check
expect_rc 1
expect_out "old.json: error: stale"
rm dashboards/old.json
run gen-dashboards --check
expect_rc 0
# The drift is in the report whatever its format.
echo '{}' >dashboards/old.json
run gen-dashboards --check --format json --fail-on never
expect_rc 1
/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert [f["check"] for f in d["findings"]]==["generated/stale"], d; assert d["summary"]["stale"]==1, d' <<<"$out" ||
  fail "json: $out"
