#!/usr/bin/env bash
# --format json: one object {"findings": [...], "summary": {...}}; each finding has exactly the
# documented keys in the documented order; deterministic, ends with a newline.
source "$(dirname "$0")/lib.sh"
cat >"$TMP/r.yml" <<'YML'
groups:
  - name: availability
    rules:
      - alert: DetectorDown
        expr: up{job="neurosymbolic-app"} == 0
        for: 5 minutes
        labels: {severity: critical}
        anotations: {summary: "down"}
YML
run lint-rules --format json "$TMP/r.yml"
expect_rc 1
first=$out
run lint-rules --format json "$TMP/r.yml"
[ "$out" = "$first" ] || fail "two runs differ"
[ "$(tail -c 1 "$TMP/out" | od -An -c | tr -d ' ')" = '\n' ] || fail "no trailing newline"
/usr/bin/python3 - "$TMP/out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]), object_pairs_hook=lambda pairs: pairs)
assert [k for k, _ in doc] == ["findings", "summary"], doc
findings = dict(doc)["findings"]
assert findings, "no findings"
keys = ["file", "line", "column", "severity", "check", "message", "rule", "group", "suggestion"]
for f in findings:
    assert [k for k, _ in f] == keys, [k for k, _ in f]
    d = dict(f)
    assert d["severity"] in ("error", "warning", "info"), d
    assert isinstance(d["line"], int) and isinstance(d["column"], int), d
    if d["check"] == "rules/duration":
        assert d["group"] == "availability" and d["rule"] == "DetectorDown", d
    for k in ("rule", "group", "suggestion"):
        assert d[k] is None or isinstance(d[k], str), d
checks = [dict(f)["check"] for f in findings]
assert "rules/duration" in checks and "yaml/unknown-field" in checks, checks
unknown = [dict(f) for f in findings if dict(f)["check"] == "yaml/unknown-field"][0]
assert unknown["suggestion"] == "did you mean 'annotations'?", unknown
summary = dict(dict(doc)["summary"])
assert set(summary) == {"errors", "warnings", "info", "files", "rules"}, summary
assert summary["files"] == 1 and summary["rules"] == 1 and summary["errors"] >= 2, summary
PY
# A clean run is an empty list, not nothing.
printf 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n' >"$TMP/empty.yml"
run lint-rules --format json "$TMP/empty.yml"
expect_rc 0
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["findings"] == [] and d["summary"]["files"] == 1' "$TMP/out"
