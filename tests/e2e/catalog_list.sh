#!/usr/bin/env bash
# `catalog list` shows every metric of rules/catalog.yml, as a table and as JSON.
source "$(dirname "$0")/lib.sh"
run catalog list
expect_rc 0
expected=$(grep -cE '^  - name: ' "$SRC/rules/catalog.yml")
rows=$(($(wc -l <<<"$out") - 1))
[ "$rows" -eq "$expected" ] || fail "table has $rows rows, catalog has $expected metrics"
run catalog list --format json
expect_rc 0
n=$(/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(m["series"] for m in d); print(len(d))' <<<"$out")
[ "$n" -eq "$expected" ] || fail "json has $n metrics, catalog has $expected"
run catalog list --stage knowledge_graph
expect_rc 0
expect_out graph_nodes_count
grep -q training_loss <<<"$out" && fail "--stage did not filter"
run catalog list --stage trainng
expect_rc 2
expect_err "did you mean 'training'"
run catalog list --prometheus
expect_out ALERTS_FOR_STATE
