#!/usr/bin/env bash
# lint-metrics shares lint-rules' conventions: exit 0 / 1 by --fail-on, 2 for usage errors and
# unreadable input, 3 for a URL that cannot be reached (as query); stdin; --disable; --list-checks;
# the four formats.
source "$(dirname "$0")/lib.sh"
G=$SRC/tests/golden/metrics

run lint-metrics "$G/detector_text/input.txt"
expect_rc 1 # two promtool naming warnings (graph_*_count gauges)
expect_out "0 errors, 2 warnings, 0 info in $G/detector_text/input.txt (67 families, 262 series)"
run lint-metrics "$G/detector_text/input.txt" --fail-on error
expect_rc 0
run lint-metrics "$G/detector_text/input.txt" --disable metrics/reserved-suffix
expect_rc 0
expect_out "no problems found"
run lint-metrics "$G/planted_bugs/input.txt" --fail-on never
expect_rc 0
run lint-metrics - <"$G/planted_bugs/input.txt"
expect_rc 1
expect_out "in <stdin> (68 families"
set +e
"$NSMON" lint-metrics - --format json <"$G/planted_bugs/input.txt" >"$TMP/pipe.json"
rc=$?
set -e
expect_rc 1
/usr/bin/python3 - "$TMP/pipe.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["errors"] == 9 and d["summary"]["input"] == "<stdin>", d["summary"]
for f in d["findings"]:
    assert list(f) == ["file", "line", "column", "severity", "check", "message", "rule", "group", "suggestion"], f
PY

run lint-metrics "$G/planted_bugs/input.txt" --format github
expect_rc 1
expect_out "::error file=$G/planted_bugs/input.txt,line=58,col=8,title=metrics/type::learning_rate is a counter here"
run lint-metrics "$G/planted_bugs/input.txt" --format sarif
expect_rc 1
/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["runs"][0]; assert any(x["id"]=="metrics/buckets" for x in r["tool"]["driver"]["rules"]); assert len(r["results"])==17' <<<"$out" ||
  fail "sarif: $out"

run lint-metrics --list-checks
expect_rc 0
expect_out "metrics/unknown-metric"
grep -q "yaml/syntax" <<<"$out" && fail "--list-checks lists lint-rules checks"
run lint-metrics --list-checks --format json
/usr/bin/python3 -c 'import json,sys; assert all(c["id"].startswith("metrics/") for c in json.load(sys.stdin))' <<<"$out"

run lint-metrics /nonexistent/scrape.txt
expect_rc 2
expect_err "nsmon: error: cannot read /nonexistent/scrape.txt"
run lint-metrics http://127.0.0.1:1/metrics --timeout 2
expect_rc 3
expect_err "nsmon: error: cannot connect to http://127.0.0.1:1/metrics: connection refused"
run lint-metrics --disable metrics/nope "$G/planted_bugs/input.txt"
expect_rc 2
expect_err "unknown check 'metrics/nope'"
run lint-metrics --format xml "$G/planted_bugs/input.txt"
expect_rc 2
run lint-metrics --no-catalog --no-naming "$G/planted_bugs/input.txt"
expect_rc 2
run lint-metrics --help
expect_rc 0
expect_out "promtool"
echo ok
