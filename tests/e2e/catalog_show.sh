#!/usr/bin/env bash
# `catalog show` explains one metric; series names and old names lead to it; typos get a suggestion.
source "$(dirname "$0")/lib.sh"
run catalog show inference_time_seconds
expect_rc 0
expect_out "type:    histogram"
expect_out "inference_time_seconds_bucket"
expect_out "buckets: 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, +Inf"
expect_out "use_sahi  values: true, false"
run catalog show app_info_info
expect_rc 0
expect_out "app_info_info is a series of app_info"
run catalog show memory_available_mb
expect_rc 0
expect_out "memory_available_mb was renamed to memory_available_bytes"
run catalog show validaton_map
expect_rc 1
expect_err "did you mean 'validation_map'"
run catalog show training_loss --format json
/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["labels"][1]["high_cardinality"] is True' <<<"$out" ||
  fail "json lacks high_cardinality on epoch"

# show takes a metric: a misspelt series of one suggests the metric, not one of its series; a
# part of a name lists the metrics that hold it.
run catalog show inference_time_second
expect_rc 1
expect_err "did you mean 'inference_time_seconds'?"
run catalog show inference_time
expect_rc 1
expect_err "metrics whose name holds it: inference_time_seconds"
