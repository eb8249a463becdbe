# nsmon promql fmt prints the canonical form; nsmon promql ast prints the tree as JSON or text;
# check --each-line reports each invalid line.
source "$(dirname "$0")/../../e2e/lib.sh"

run promql fmt 'sum(rate(foo{b="2",a="1"}[300s]))by(job)   > bool 0.5'
expect_rc 0
[ "$out" = 'sum by (job) (rate(foo{a="1",b="2"}[5m])) > bool 0.5' ] || fail "unexpected fmt output: $out"

# An expression that does not parse cannot be printed: refused (exit 2), as query refuses it;
# only promql check reports it as a finding (exit 1).
run promql fmt 'foo +'
expect_rc 2
expect_err '<expr>:1:6: error: unexpected end of input'

run promql ast 'foo + 1'
expect_rc 0
python3 -c 'import json,sys; t=json.load(sys.stdin); assert t["node"]=="BinaryExpr" and t["op"]=="+" and t["lhs"]["name"]=="foo" and t["rhs"]["value"]==1 and t["type"]=="vector", t' <<<"$out" \
  || fail "unexpected ast JSON: $out"

run promql ast --format text 'rate(foo[5m])'
expect_rc 0
expect_out 'Call <instant vector> 0..13 rate()'
expect_out '    VectorSelector <instant vector> 5..8 foo'

printf 'foo\nfoo{\n\n1 == 1\n' >"$TMP/exprs"
set +e
"$NSMON" promql check --each-line <"$TMP/exprs" >"$TMP/out" 2>&1
rc=$?
set -e
out=$(cat "$TMP/out")
expect_rc 1
expect_out '2: 1:5: parse error: unexpected end of input inside braces'
expect_out '4: 1:3: parse error: comparisons between scalars must use BOOL modifier'
