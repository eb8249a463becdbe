#!/usr/bin/env bash
# watch --prometheus reaches the server as `nsmon query` does (promapi/): the path prefix kept, the
# query POSTed as a form (GET after a 405), the settings' token and tenant sent and never shown, an
# error answer named with the server's words; a server that never answers ends an attached watch
# with exit 3, as it ends query.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
printf 'tok-e2e-4b7e\n' >"$TMP/token"
NSMON_BEARER_TOKEN_FILE="$TMP/token" NSMON_TENANT=team-w \
  run watch --prometheus "$FAULT/ok/" --selector 'job="a"' --format jsonl --interval 0.2 --duration 1
expect_rc 0
expect_out '"type":"summary"'
grep -qF tok-e2e-4b7e "$TMP/out" "$TMP/err" && fail "the token was printed"
check_requests '
import urllib.parse
assert r and all(x["method"] == "POST" and x["path"] == "/ok/api/v1/query" for x in r), r
assert h(0)["authorization"] == "Bearer tok-e2e-4b7e" and h(0)["x-scope-orgid"] == "team-w", h(0)
form = urllib.parse.parse_qs(r[0]["body"])
assert form["query"][0].startswith("{__name__=~\"") and form["query"][0].endswith(",job=\"a\"}"), form'
# A server with none of the series the figures read: each line says so (issue 58: an empty
# "[ 0.00s]" line).
fault_reset
run watch --prometheus "$FAULT/ok/" --format plain --interval 0.2 --duration 1
expect_rc 0
grep -qE '^\[ *[0-9.]+s\] *$' <<<"$out" && fail "an empty line: $out"
expect_out "] no figures: 1 series, none the figures read"
fault_reset
run watch --prometheus "$FAULT/nopost" --format jsonl --interval 0.2 --duration 1
expect_rc 0
check_requests 'assert r[0]["method"] == "POST" and len(r) > 1 and all(x["method"] == "GET" for x in r[1:]), r'
run watch --prometheus "$FAULT/error,code=400,type=bad_data,msg=parse%20error" --format plain --interval 0.2 --duration 1
expect_rc 3
grep -qF "Prometheus: parse error" "$TMP/out" "$TMP/err" || fail "the server's error is not shown: $out $err"
run watch --prometheus "http://127.0.0.1:1" --format plain --interval 0.2 --duration 1
expect_rc 3
run watch --prometheus "localhost:9090?x=1" --duration 1
expect_rc 2
expect_err "--prometheus must be an http:// or https:// URL"
echo ok
