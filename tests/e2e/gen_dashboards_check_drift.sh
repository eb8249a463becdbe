#!/usr/bin/env bash
# --check names the files and panels that differ, the missing and the stale files, exits 1 and
# writes nothing.
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
expect_out 'dashboards/nsmon-errors.json: panel 2 "Errors in range" differs'
expect_out "dashboards/nsmon-system.json is missing"
expect_out "dashboards/old.json is stale: no template makes it"
expect_out "is not what templates gives: run nsmon gen-dashboards"
grep -q "nsmon-training" <<<"$out" && fail "an unchanged dashboard was reported: $out"
after=$(cd dashboards && sha256sum -- * | sha256sum)
[ "$before" = "$after" ] || fail "--check changed dashboards/"
# Regenerating fixes what --check reported, except the stale file, which is left alone.
run gen-dashboards
expect_rc 0
expect_out "wrote 6 dashboards to dashboards (2 changed)"
run gen-dashboards --check
expect_rc 1
expect_out "old.json is stale"
rm dashboards/old.json
run gen-dashboards --check
expect_rc 0
