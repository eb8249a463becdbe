#!/usr/bin/env bash
# 200 answers nsmon cannot use: a proxy's HTML page, a body that is not JSON, JSON cut short (by the
# connection or in the text), a body over --max-bytes, a redirect loop. Each: exit 3 and one sentence
# on stderr; --format json writes nothing then (a script never reads half a document).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
# said SENTENCE: exit 3, and stderr is that one line.
said() {
  expect_rc 3
  expect_err "$1"
  [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "more than one line on stderr: $err"
}
run query up --server "$FAULT/html" --format json
said "nsmon: error: the answer to /api/v1/query is not JSON: \"<!DOCTYPE html> <html><head><title>502 Bad Gateway</title>"
[ -z "$out" ] || fail "stdout: $out"
run query up --server "$FAULT/junk" --format csv
said "is not JSON: \"this is not JSON at all\" (from $FAULT/junk)"
# Content-Length 1000, 100 bytes, then the connection closes.
run query up --server "$FAULT/truncated,length=1000" --format json
said "nsmon: error: the answer from $FAULT/truncated,length=1000/api/v1/query was cut short: the connection closed after 100 of 1000 bytes"
[ -z "$out" ] || fail "half a JSON document on stdout: $out"
run query up --server "$FAULT/huge,bytes=2000000" --max-bytes 100000 --format json
expect_rc 3
[ -z "$out" ] || fail "half a JSON document on stdout: ${out:0:200}"
# A complete HTTP answer (Content-Length 100) whose JSON stops in the middle.
run query up --server "$FAULT/truncated,length=100" --format jsonl
said "was cut short or is not an API answer: invalid JSON at byte 100"
# About 2 MB: fine without a limit (every series arrives), refused over --max-bytes.
run query up --server "$FAULT/huge,bytes=2000000" --format jsonl
expect_rc 0
n=$(wc -l <"$TMP/out")
[ "$n" -gt 20000 ] || fail "only $n series from the huge answer"
run query up --server "$FAULT/huge,bytes=2000000" --max-bytes 100000 --format jsonl
said "nsmon: error: the answer from $FAULT/huge,bytes=2000000/api/v1/query is larger than the limit of 100000 bytes"
run query up --server "$FAULT/loop"
said "nsmon: error: more than 5 redirects, the last from $FAULT/loop/api/v1/query to $FAULT/loop/api/v1/query"
echo ok
