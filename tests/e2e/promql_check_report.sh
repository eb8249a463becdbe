#!/usr/bin/env bash
# promql check reports through the common pipeline: --format json/github/sarif give the same
# documents as lint-rules (summary included), text stays silent for a valid expression.
source "$(dirname "$0")/lib.sh"
run promql check --format json 'rate(foo)'
expect_rc 1
/usr/bin/python3 - "$out" <<'PY' || fail "not the report: $out"
import json, sys
d = json.loads(sys.argv[1])
assert d["summary"]["errors"] == 1, d
f = d["findings"][0]
assert (f["file"], f["line"], f["column"], f["check"]) == ("<expr>", 1, 6, "promql/syntax"), f
PY
run promql check --format github 'sum(foo'
expect_rc 1
expect_out "::error file=<expr>,line=1,col=8,title=promql/syntax::"
run --catalog none promql check --format json 'sum(foo)'
expect_rc 0
expect_out '"errors": 0'
run --catalog none promql check 'sum(foo)'
expect_rc 0
[ -z "$out$err" ] || fail "text output for a valid expression: $out$err"
