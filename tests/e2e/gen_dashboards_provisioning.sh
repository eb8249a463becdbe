#!/usr/bin/env bash
# --provisioning writes a Prometheus datasource and a dashboard provider pointing at the output
# directory (absolute); --importable adds __inputs and __requires.
source "$(dirname "$0")/lib.sh"
mkdir "$TMP/w" && cd "$TMP/w" # lib.sh keeps its own files in $TMP
run gen-dashboards --templates "$SRC/templates" --out out --provisioning prov --prometheus-url http://127.0.0.1:9091 --importable
expect_rc 0
expect_out "wrote Grafana provisioning to prov"
grep -qx "      path: $TMP/w/out" prov/dashboards/nsmon.yml || fail "provider path: $(cat prov/dashboards/nsmon.yml)"
grep -qx "    url: http://127.0.0.1:9091" prov/datasources/nsmon.yml || fail "datasource: $(cat prov/datasources/nsmon.yml)"
grep -qx "    type: prometheus" prov/datasources/nsmon.yml || fail "datasource type"
python3 - "$TMP/w/out" <<'PY' || fail "importable JSON"
import json, sys, glob
for f in glob.glob(sys.argv[1] + "/*.json"):
    d = json.load(open(f))
    assert d["__inputs"][0]["pluginId"] == "prometheus", f
    ids = {r["id"] for r in d["__requires"]}
    assert {"grafana", "prometheus"} <= ids, f
    assert all(p["type"] in ids for p in d["panels"] if p["type"] != "row"), f
PY
