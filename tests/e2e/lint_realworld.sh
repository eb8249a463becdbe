#!/usr/bin/env bash
# The real-world corpus (tests/data/realworld: kube-prometheus's PrometheusRule manifests and
# awesome-prometheus-alerts' rules), differential against promtool check rules (2.42), which
# cannot read manifests, so realworld_variants.py unwraps spec.groups into a plain rules file for
# it. Each corpus file and deterministic mutations of it (one syntax error each, and one change
# both must accept) must get the same verdict from both: promtool's exit status, and for nsmon
# whether it reports a syntax finding (yaml/*, promql/syntax, an error of rules/* other than
# undefined-recording-rule, which promtool does not check). nsmon must never crash (exit 0 or 1).
# Then the golden cases realworld-* (tests/golden/lint), whose findings are reviewed in REVIEW.md.
source "$(dirname "$0")/lib.sh"
command -v promtool >/dev/null || { echo "promtool not installed: skipped"; exit 77; }
/usr/bin/python3 -c 'import yaml' 2>/dev/null || { echo "python3-yaml not installed: skipped"; exit 77; }
mkdir "$TMP/v"
/usr/bin/python3 "$SRC/tests/e2e/realworld_variants.py" "$SRC/tests/data/realworld" "$TMP/v" >"$TMP/cases.tsv"

# One run of each tool over every case (a run per file would take minutes): promtool's verdict
# per file is its "Checking FILE" block (below); nsmon's the JSON
# findings of that file. nsmon must not crash on any (exit 0 or 1).
cut -f3 "$TMP/cases.tsv" | xargs -d '\n' promtool check rules >"$TMP/promtool.out" 2>&1 || true
set +e
cut -f2 "$TMP/cases.tsv" | xargs -d '\n' "$NSMON" --catalog none lint-rules --format json >"$TMP/nsmon.json" 2>"$TMP/nsmon.err"
rc=$?
set -e
[ $rc -le 1 ] || [ $rc -eq 123 ] || fail "nsmon exited $rc: $(head -c 2000 "$TMP/nsmon.err")"
[ -s "$TMP/nsmon.err" ] && fail "nsmon wrote on stderr: $(head -c 2000 "$TMP/nsmon.err")"
/usr/bin/python3 - "$TMP/cases.tsv" "$TMP/promtool.out" "$TMP/nsmon.json" <<'EOF_PY' || fail "verdicts differ"
import json, sys
cases = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
# promtool (stdout and stderr, in the order written): "Checking FILE", then "  SUCCESS: N rules
# found", or "  FAILED:" and the errors; "FAILED:" then "lint error ..." is its duplicate-rule
# lint, a warning in 2.42 (exit 0 without --lint-fatal), as nsmon's rules/duplicate-rule.
promtool, current, after_failed = {}, None, False
for line in open(sys.argv[2]):
    if line.startswith("Checking "):
        current = line[len("Checking "):].rstrip("\n")
        promtool[current] = "invalid"
    elif current and line.startswith("  SUCCESS"):
        promtool[current] = "valid"
    elif current and after_failed and line.startswith("lint error"):
        promtool[current] = "valid"
    after_failed = line.startswith("  FAILED:")
d = json.load(open(sys.argv[3]))
syntax = {f["file"] for f in d["findings"] if f["check"].startswith(("yaml/", "promql/syntax"))
          or (f["check"].startswith("rules/") and f["severity"] == "error"
              and f["check"] != "rules/undefined-recording-rule")}
assert d["summary"]["files"] == len(cases), (d["summary"], len(cases))
# Prometheus 3.x differs from 2.42: label names and recording rule names are UTF-8 in 3.x
# (metric_name_validation_scheme utf8 by default), so 3.x loads 'bad-name: x' and 'record: not a
# name', which 2.42 refuses. nsmon follows 3.x: those two mutations must differ, as expected.
utf8 = ("~label_name", "~record_name")
agree = expected = 0
bad = []
for name, nsmon_file, promtool_file in cases:
    p = promtool.get(promtool_file, "missing")
    n = "invalid" if nsmon_file in syntax else "valid"
    if name.endswith(utf8):
        if (p, n) == ("invalid", "valid"): expected += 1
        else: bad.append(f"{name}: promtool {p}, nsmon {n} (expected: 2.42 refuses, nsmon as 3.x loads)")
    elif p == n: agree += 1
    else: bad.append(f"{name}: promtool {p}, nsmon {n}")
originals = sum("~" not in c[0] for c in cases)
valid = sum(promtool.get(c[2]) == "valid" for c in cases)
print(f"promtool 2.42 and nsmon: {agree} of {len(cases)} files the same verdict ({originals} corpus files, "
      f"{len(cases) - originals} mutations; promtool accepts {valid}); {expected} differ as expected "
      f"(UTF-8 names, Prometheus 3.x); {len(bad)} other differences")
for b in bad: print("  " + b)
sys.exit(1 if bad or len(cases) < 1000 else 0)
EOF_PY

# The reviewed findings: the golden cases of the corpus.
NSMON=$NSMON bash "$SRC/tests/golden/run_lint.sh" realworld-kube-prometheus realworld-awesome-prometheus-alerts
