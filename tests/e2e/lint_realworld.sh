#!/usr/bin/env bash
# The real-world corpus (tests/data/realworld: kube-prometheus's PrometheusRule manifests and
# awesome-prometheus-alerts' rules), differential against promtool check rules (2.42), which
# cannot read manifests, so realworld_variants.py unwraps spec.groups into a plain rules file for
# it. Each corpus file and deterministic mutations of it (one syntax error each, and one change
# both must accept) must get the same verdict from both: promtool's exit status, and for nsmon
# whether it reports a syntax finding (yaml/*, promql/syntax, an error of rules/* other than
# undefined-recording-rule, which promtool does not check). nsmon must never crash (exit 0 or 1).
# The findings themselves, reviewed in REVIEW.md, are the golden cases realworld-* of
# tests/golden/lint, each its own CTest (golden.lint.realworld-*), not run again here.
# promtool's answer is stored in tests/data/realworld/promtool-answers.json (tests/support/peer.py).
source "$(dirname "$0")/lib.sh"
peer_store "$SRC/tests/data/realworld/promtool-answers.json"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || { echo "python3-yaml not installed: skipped"; exit 77; }
mkdir "$TMP/v"
/usr/bin/python3 "$SRC/tests/e2e/realworld_variants.py" "$SRC/tests/data/realworld" "$TMP/v" >"$TMP/cases.tsv"

# One run of each tool over every case (a run per file would take minutes): promtool's verdict
# per file is its "Checking FILE" block (below); nsmon's the JSON
# findings of that file. nsmon must not crash on any (exit 0 or 1).
mapfile -t promtool_files < <(cut -f3 "$TMP/cases.tsv")
mapfile -t nsmon_files < <(cut -f2 "$TMP/cases.tsv")
promtool check rules "${promtool_files[@]}" >"$TMP/promtool.out" 2>"$TMP/promtool.err" && prc=0 || prc=$?
[ $prc -ne 97 ] || fail "$(cat "$TMP/promtool.err")" # peer.py: not stored, and no promtool to ask
set +e
"$NSMON" --catalog none lint-rules --format json "${nsmon_files[@]}" >"$TMP/nsmon.json" 2>"$TMP/nsmon.err"
rc=$?
set -e
[ $rc -le 1 ] || fail "nsmon exited $rc: $(head -c 2000 "$TMP/nsmon.err")"
[ -s "$TMP/nsmon.err" ] && fail "nsmon wrote on stderr: $(head -c 2000 "$TMP/nsmon.err")"
/usr/bin/python3 - "$TMP/cases.tsv" "$TMP/promtool.out" "$TMP/nsmon.json" "$TMP/promtool.err" <<'EOF_PY' || fail "verdicts differ"
import json, sys
cases = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
# promtool: on stdout "Checking FILE", then "  SUCCESS: N rules found" or nothing; on stderr, for
# each file without SUCCESS in turn, "  FAILED:" and its errors. "FAILED:" then "lint error ..."
# is its duplicate-rule lint, a warning in 2.42 (exit 0 without --lint-fatal), as nsmon's
# rules/duplicate-rule.
promtool, current, failed = {}, None, []
for line in open(sys.argv[2]):
    if line.startswith("Checking "):
        current = line[len("Checking "):].rstrip("\n")
        promtool[current] = "invalid"
        failed.append(current)
    elif current and line.startswith("  SUCCESS"):
        promtool[current] = "valid"
        failed.pop()
before, *blocks = open(sys.argv[4]).read().split("  FAILED:\n")
assert not before.strip() and len(blocks) == len(failed), (before[:200], len(blocks), len(failed))
for f, errors in zip(failed, blocks):
    if errors.startswith("lint error"):
        promtool[f] = "valid"
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
