#!/usr/bin/env bash
# nsmon slo generate on Sloth's own example specs (tests/data/sloth, Apache-2.0) gives the rules
# Sloth generated for them (examples/_gen): every group, rule name, expression, label and
# annotation the same, once Sloth's extra label cmd="examplesgen.sh" is dropped and its version
# label set aside (nsmon writes its own). promtool loads every plain rule file; the generated unit
# tests pass under nsmon test-rules and promtool test rules and fail when a threshold is off.
source "$(dirname "$0")/lib.sh"
data="$SRC/tests/data/sloth"

/usr/bin/python3 - "$NSMON" "$data" "$TMP" <<'PY' || fail "nsmon's rules differ from Sloth's"
import os, subprocess, sys, yaml
nsmon, data, tmp = sys.argv[1:]

def rules(path):
    out = {}
    for doc in yaml.safe_load_all(open(path)):
        if not doc:
            continue
        body = doc["spec"] if doc.get("kind") == "PrometheusRule" else doc
        for g in body["groups"]:
            for r in g["rules"]:
                labels = dict(r.get("labels") or {})
                labels.pop("cmd", None)  # --extra-labels of Sloth's examplesgen.sh
                if "sloth_version" in labels:
                    labels["sloth_version"] = "(version)"
                key = (g["name"], r.get("record") or r.get("alert"), labels.get("sloth_severity", ""),
                       labels.get("sloth_window", ""))
                assert key not in out, f"{path}: {key} twice"
                out[key] = (r["expr"], labels, r.get("annotations") or {})
    return out

same = total = 0
for f in sorted(os.listdir(f"{data}/examples")):
    if not f.endswith(".yml") or f.startswith("openslo"):  # OpenSLO specs are not read
        continue
    out = f"{tmp}/{f}"
    p = subprocess.run([nsmon, "--catalog", "none", "slo", "generate", f"{data}/examples/{f}", "--out", out],
                       capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"{f}: exit {p.returncode}: {p.stderr}")
    theirs, ours = rules(f"{data}/_gen/{f}"), rules(out)
    for key in sorted(set(theirs) | set(ours)):
        total += 1
        if theirs.get(key) == ours.get(key):
            same += 1
            continue
        print(f"{f}: {key}\n  Sloth: {theirs.get(key)}\n  nsmon: {ours.get(key)}")
print(f"{same} of {total} rules as Sloth generates them")
sys.exit(0 if same == total and total > 200 else 1)
PY

command -v promtool >/dev/null || { echo "promtool not installed: the rest skipped"; exit 77; }
for f in getting-started home-wifi kubernetes-apiserver no-alerts raw-home-wifi; do
  promtool check rules "$TMP/$f.yml" >"$TMP/$f.check" 2>&1 || fail "promtool refuses $f: $(cat "$TMP/$f.check")"
done
# One file for both services of multifile.yml (Prometheus reads only the first YAML document of a
# rule file, so Sloth's two-document output loses the second service): 34 rules. promtool's
# duplicate-rules lint takes the two services' alerts (one name, the same rule labels) for one
# rule; their series labels (sloth_service) differ, so it is told not to lint.
promtool check rules --lint=none "$TMP/multifile.yml" >"$TMP/multifile.check" 2>&1 ||
  fail "promtool refuses multifile: $(cat "$TMP/multifile.check")"
grep -q "SUCCESS: 34 rules found" "$TMP/multifile.check" || fail "multifile: $(cat "$TMP/multifile.check")"

for f in getting-started multifile; do
  run --catalog none slo generate "$data/examples/$f.yml" --out "$TMP/$f.rules.yml" --tests "$TMP/$f.tests.yml"
  expect_rc 0
  run test-rules "$TMP/$f.tests.yml"
  expect_rc 0
  promtool test rules "$TMP/$f.tests.yml" >"$TMP/p.out" 2>&1 || fail "promtool test rules $f: $(tail -20 "$TMP/p.out")"
done
# multifile: 2 SLOs x (page, ticket) x (1.05x, 0.95x); both services read the same series, so
# each test expects the alerts of both.
expect_out "8 tests: 8 passed"
# A page threshold off by 10%: the tests notice, under both tools.
sed -i 's/> (6 \* 0.0009999999999999432)/> (6.6 * 0.0009999999999999432)/' "$TMP/getting-started.rules.yml"
run test-rules "$TMP/getting-started.tests.yml"
expect_rc 1
expect_out "(page) fires at 1.05x"
promtool test rules "$TMP/getting-started.tests.yml" >/dev/null 2>&1 && fail "promtool passes a wrong threshold"
echo "ok"
