#!/usr/bin/env bash
# Every verb of nsmon query against a real Prometheus, as a table and as the API's data.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
start_peers
export NSMON_PROMETHEUS_URL="$PROM" # the server from the environment

run query series --match images_processed_total --format table
expect_rc 0
head -1 "$TMP/out" | grep -qE '^NAME +instance +job +stage +status$' || fail "series header: $out"
expect_out "images_processed_total  127.0.0.1:$DET_PORT"

run query labels --match images_processed_total
expect_rc 0
[ "$out" = '["__name__","instance","job","stage","status"]' ] || fail "labels json: $out"

run query label-values job --format table
expect_rc 0
[ "$out" = "$(printf 'job\nneurosymbolic-app')" ] || fail "label-values: $out"

run query targets --format table
expect_rc 0
expect_out "neurosymbolic-app  127.0.0.1:$DET_PORT  up"
# The last scrape as an age in a table (json keeps the server's RFC 3339).
grep -qE "127.0.0.1:$DET_PORT +up +[0-9.hms ]+ ago " <<<"$out" || fail "no age of the last scrape: $out"

for i in $(seq 1 50); do
  run query alerts --format jsonl
  grep -q '"state":"firing"' <<<"$out" && break
  sleep 0.2
done
expect_rc 0
/usr/bin/python3 -c 'import json,sys; a=json.loads(sys.stdin.readline()); assert a["labels"]["alertname"]=="AlwaysFiring" and a["state"]=="firing", a' <<<"$out"
run query alerts --format table
expect_out "AlwaysFiring"
expect_out "severity=\"info\""

run query rules --format csv
expect_rc 0
expect_out "group,name,type,state,health,query"
expect_out "nsmon-e2e,job:images_processed:sum,recording,,ok,sum by (job) (images_processed_total)"
run query rules --type alert --format jsonl
[ "$(wc -l <<<"$out")" -eq 1 ] || fail "rules --type alert: $out"
expect_out '"group":"nsmon-e2e"'

# Metadata is per metric family: the counter images_processed_total is the family images_processed.
run query metadata --format table
expect_rc 0
grep -qE '^images_processed +counter' <<<"$out" || fail "metadata: $out"
run query metadata gpu_memory_allocated_bytes --format jsonl
expect_rc 0
expect_out '"metric":"gpu_memory_allocated_bytes"'
expect_out '"type":"gauge"' 

run query buildinfo --format table
expect_rc 0
expect_out "version"
expect_out "$(prometheus --version 2>&1 | head -1 | awk '{print $3}')"
