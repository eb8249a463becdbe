#!/usr/bin/env bash
# --check 'OP VALUE' for CI: exit 0 when every value satisfies it, 1 (with the first offender on
# stderr) when one does not or when there is no value at all, 2 when the condition is malformed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
IMAGES=20 start_peers

run query --server "$PROM" --format csv --check '== 20' 'sum(images_processed_total)'
expect_rc 0
run query --server "$PROM" --check '< 20' --format json 'sum(images_processed_total)'
expect_rc 1
expect_err "check failed: 1 of 1 values are not < 20 (first: {} = 20)"
# Every sample of a range counts.
run query --server "$PROM" --since 5s --step 1s --check '>= 0' --format csv 'images_processed_total'
expect_rc 0
# A fixed window, so that the count does not depend on when the series appeared: as many values
# as Prometheus's own answer to the same range holds, once it holds more than one per series.
range_values() {
  curl -sf "$PROM/api/v1/query_range?query=images_processed_total&start=$start&end=$end&step=1" |
    /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(len(r), sum(len(s["values"]) for s in r))'
}
for _ in $(seq 1 50); do
  end=$(date +%s)
  start=$((end - 5))
  read -r series values < <(range_values)
  [ "$values" -le "$series" ] || break
  sleep 0.2
done
[ "$values" -gt "$series" ] || fail "the range never held more than one value per series ($values for $series)"
run query --server "$PROM" --start "$start" --end "$end" --step 1s --check '> 1e9' --format jsonl 'images_processed_total'
expect_rc 1
expect_err "$values of $values values are not > 1e+09 (first: images_processed_total{instance="
run query --server "$PROM" --check '< 1' 'no_such_metric_anywhere'
expect_rc 1
expect_err "returned no values"
run query --server "$PROM" --check 'about 1' 'up'
expect_rc 2
expect_err "--check wants 'OP NUMBER'"
