#!/usr/bin/env bash
# backtest when the server is down, hangs, answers garbage or an error, and when a rule file is
# broken: a broken rule file is positioned and nothing is asked (exit 2); a server that cannot be
# reached or understood is one sentence naming it (exit 3, nothing on stdout); an error answer
# fails that rule's evaluations, shown with the server's words (exit 1).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
cat >"$TMP/rules.yml" <<'YML'
groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
YML
one_line() { [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "not one line on stderr: $err"; }

within 5 backtest "$TMP/rules.yml" --prometheus http://127.0.0.1:1 --retries 0 --since 1h
expect_rc 3
[ "$err" = "nsmon: error: cannot connect to http://127.0.0.1:1/api/v1/label/__name__/values: connection refused" ] ||
  fail "stderr: $err"
[ -z "$out" ] || fail "stdout: $out"

run backtest "$TMP/rules.yml" --prometheus "$FAULT/junk" --since 1h
expect_rc 3
expect_err "is not JSON: \"this is not JSON at all\" (from $FAULT/junk)"
one_line
[ -z "$out" ] || fail "stdout: $out"
# query's spelling of the flag, --server, names the same server.
run backtest "$TMP/rules.yml" --server "$FAULT/junk" --since 1h
expect_rc 3
expect_err "(from $FAULT/junk)"

within 8 backtest "$TMP/rules.yml" --prometheus "$FAULT/hang" --timeout 2s --retries 0 --since 1h
expect_rc 3
one_line
[ -z "$out" ] || fail "stdout: $out"

run backtest "$TMP/rules.yml" --prometheus "$FAULT/error,code=422,type=execution,msg=boom" --since 1h
expect_rc 1
expect_out " evaluations failed: $FAULT/error,code=422,type=execution,msg=boom answered: execution: boom"

# A rule file Prometheus would refuse: positioned, and no request at all.
fault_reset
printf 'groups:\n  - name: g\n    rules:\n      - alert: Bad\n        expr: up ==\n' >"$TMP/bad.yml"
run backtest "$TMP/bad.yml" --prometheus "$FAULT/ok" --since 1h
expect_rc 2
expect_err "bad.yml:5:"
check_requests 'assert r == [], r'

# A directory stands for its rule files, as in lint-rules: another kind of file there (an SLO
# spec) is left out, and a directory with no rule file is a usage error.
mkdir "$TMP/dir" "$TMP/none"
cp "$TMP/rules.yml" "$TMP/dir/"
printf 'version: prometheus/v1\nservice: x\nslos: []\n' >"$TMP/dir/slos.yml"
cp "$TMP/dir/slos.yml" "$TMP/none/"
run backtest "$TMP/dir" --prometheus "$FAULT/error,code=422,type=execution,msg=boom" --since 1h
expect_rc 1
expect_out "Down"
expect_out " evaluations failed: $FAULT/error,code=422,type=execution,msg=boom answered: execution: boom"
run backtest "$TMP/none" --prometheus "$FAULT/ok" --since 1h
expect_rc 2
expect_err "no rule files among the YAML files of the directory $TMP/none"
echo ok
