#!/usr/bin/env bash
# nsmon query's output formats on a real Prometheus: json is the answer's data verbatim (as curl
# gets it), jsonl one object per sample, csv one row per sample and a column per label, table
# aligned with sorted labels.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
start_peers
t=$(date +%s)
expr='images_processed_total'

run query --server "$PROM" --time "$t" --format json "$expr"
expect_rc 0
curl -sf "$PROM/api/v1/query" --data-urlencode "query=$expr" --data-urlencode "time=$t" >"$TMP/curl.json"
/usr/bin/python3 - "$TMP/curl.json" "$TMP/out" <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))["data"]
raw = open(sys.argv[2]).read()
assert raw.endswith("\n") and raw.count("\n") == 1, repr(raw[-50:])
assert json.loads(raw) == want, (raw, want)
assert len(want["result"]) == 2, want
PY

run query --server "$PROM" --time "$t" --format jsonl "$expr"
expect_rc 0
[ "$(wc -l <"$TMP/out")" -eq 2 ] || fail "jsonl lines: $out"
/usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) == {"metric", "timestamp", "value"}, o
    assert o["metric"]["__name__"] == "images_processed_total" and float(o["value"]) >= 0, o
    assert o["timestamp"] == float(sys.argv[2]), o
' "$TMP/out" "$t"

run query --server "$PROM" --time "$t" --format csv "$expr"
expect_rc 0
# A column per label, as a spreadsheet wants them.
[ "$(head -1 "$TMP/out")" = "__name__,instance,job,stage,status,timestamp,value" ] || fail "csv header: $out"
[ "$(wc -l <"$TMP/out")" -eq 3 ] || fail "csv rows: $out"
expect_out "images_processed_total,127.0.0.1:$DET_PORT,neurosymbolic-app,inference,success,$t,"

run query --server "$PROM" --time "$t" --format table "$expr"
expect_rc 0
head -1 "$TMP/out" | grep -qE '^NAME +instance +job +stage +status +VALUE$' || fail "table header: $out"
# Columns are aligned: VALUE starts at the same column on every line.
col=$(head -1 "$TMP/out" | awk '{print index($0, "VALUE")}')
tail -n +2 "$TMP/out" | while IFS= read -r line; do
  [ "${line:$((col - 2)):1}" = " " ] || fail "misaligned: $line"
done
# Not a terminal and no --format: json.
run query --server "$PROM" --time "$t" "$expr"
expect_rc 0
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))["result"]' "$TMP/out"
