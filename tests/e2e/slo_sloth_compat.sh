#!/usr/bin/env bash
# nsmon slo generate on Sloth's own example specs (tests/data/sloth, Apache-2.0) gives the rules
# Sloth generated for them (examples/_gen): every group, rule name, expression, label and
# annotation the same, once Sloth's extra label cmd="examplesgen.sh" is dropped and its version
# label set aside (nsmon writes its own). promtool loads every plain rule file; the generated unit
# tests pass under nsmon test-rules and promtool test rules and fail when a threshold is off.
# promtool's answers are stored beside the data, in tests/data/sloth/promtool-answers.json
# (tests/support/peer.py), keyed by the generated files: a change of the generator asks promtool.
source "$(dirname "$0")/lib.sh"
data="$SRC/tests/data/sloth"
peer_store "$data/promtool-answers.json"

# Specs are named from $data (examples/X.yml): the generated files' first line names the spec,
# and a stored answer is found by their content. getting-started and multifile get their tests
# too. The runs are independent: two at a time.
/usr/bin/python3 - "$NSMON" "$data" "$TMP" <<'PY' || fail "nsmon's rules differ from Sloth's"
import concurrent.futures, os, subprocess, sys, yaml
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

def generate(f):
    cmd = [nsmon, "--catalog", "none", "slo", "generate", f"examples/{f}", "--out", f"{tmp}/{f}"]
    if f in ("getting-started.yml", "multifile.yml"):
        cmd += ["--tests", f"{tmp}/{f[:-4]}.tests.yml"]
    return subprocess.run(cmd, cwd=data, capture_output=True, text=True)

specs = [f for f in sorted(os.listdir(f"{data}/examples"))
         if f.endswith(".yml") and not f.startswith("openslo")]  # OpenSLO specs are not read
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    runs = dict(zip(specs, pool.map(generate, specs)))
same = total = 0
for f in specs:
    if runs[f].returncode:
        sys.exit(f"{f}: exit {runs[f].returncode}: {runs[f].stderr}")
    theirs, ours = rules(f"{data}/_gen/{f}"), rules(f"{tmp}/{f}")
    for key in sorted(set(theirs) | set(ours)):
        total += 1
        if theirs.get(key) == ours.get(key):
            same += 1
            continue
        print(f"{f}: {key}\n  Sloth: {theirs.get(key)}\n  nsmon: {ours.get(key)}")
print(f"{same} of {total} rules as Sloth generates them")
sys.exit(0 if same == total and total > 200 else 1)
PY

# promtool loads every plain rule file (the k8s-* forms are PrometheusRules, which it cannot read).
promtool check rules "$TMP"/{getting-started,home-wifi,kubernetes-apiserver,no-alerts,raw-home-wifi}.yml \
  >"$TMP/check.out" 2>&1 || fail "promtool refuses nsmon's rules: $(cat "$TMP/check.out")"
# One file for both services of multifile.yml (Prometheus reads only the first YAML document of a
# rule file, so Sloth's two-document output loses the second service): 34 rules. promtool's
# duplicate-rules lint takes the two services' alerts (one name, the same rule labels) for one
# rule; their series labels (sloth_service) differ, so it is told not to lint.
promtool check rules --lint=none "$TMP/multifile.yml" >"$TMP/multifile.check" 2>&1 ||
  fail "promtool refuses multifile: $(cat "$TMP/multifile.check")"
grep -q "SUCCESS: 34 rules found" "$TMP/multifile.check" || fail "multifile: $(cat "$TMP/multifile.check")"

# The generated tests, both files in one run of each tool. getting-started: (page, ticket) x
# (1.05x, 0.95x); multifile: 2 SLOs x (page, ticket) x (1.05x, 0.95x), both services reading the
# same series, so each test expects the alerts of both.
tests=("$TMP/getting-started.tests.yml" "$TMP/multifile.tests.yml")
[ "$(grep -c "^  - name: " "$TMP/getting-started.tests.yml")" = 4 ] || fail "not 4 tests for getting-started"
[ "$(grep -c "^  - name: " "$TMP/multifile.tests.yml")" = 8 ] || fail "not 8 tests for multifile"
run test-rules "${tests[@]}"
expect_rc 0
expect_out "(12 tests: 12 passed, 0 failed)"
promtool test rules "${tests[@]}" >"$TMP/p.out" 2>&1 || fail "promtool test rules: $(tail -20 "$TMP/p.out")"
# A page threshold off by 10%: the tests notice, under both tools. nsmon runs the page tests only:
# the change is in the page alert's rule, and the ticket tests, which passed above, feed a rate far
# below its threshold, changed or not (their 3 days of samples are most of a run's cost under ASan).
sed -i 's/> (6 \* 0.0009999999999999432)/> (6.6 * 0.0009999999999999432)/' "$TMP/getting-started.yml"
run test-rules "$TMP/getting-started.tests.yml" --run '\(page\)'
expect_rc 1
expect_out "(page) fires at 1.05x"
expect_out "(2 tests: 1 passed, 1 failed, 2 not selected)"
promtool test rules "$TMP/getting-started.tests.yml" >/dev/null 2>&1 && fail "promtool passes a wrong threshold"
echo "ok"
