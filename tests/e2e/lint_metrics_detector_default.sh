#!/usr/bin/env bash
# The application's own scrape passes its own check (issue 58, item 6): once inference has
# started, the detector exports graph_nodes_count and graph_edges_count, gauges the catalog
# declares with those names. The catalog is the contract: lint-metrics at the default --fail-on
# exits 0 on that scrape, and the name is said once where the catalog is loaded
# (catalog/reserved-suffix). A foo_count gauge the catalog does not declare still gets promtool's
# metrics/reserved-suffix.
source "$(dirname "$0")/lib.sh"
pids=()
trap stop_background EXIT

start_peer detector metrics /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "{port}" --epochs 1 \
  --images 20 --speed 400 --linger 120 --quiet --truth "$TMP/truth.json"
pids+=("$peer_pid")
for _ in $(seq 1 300); do [ -s "$TMP/truth.json" ] && break; sleep 0.2; done
[ -s "$TMP/truth.json" ] || fail "the detector's run did not end in 60 s: $(tail -5 "$TMP/detector.log")"
url="http://127.0.0.1:$peer_port/metrics"
# The body first, then grep: under pipefail, grep -q leaving at its first match made curl fail
# writing the rest of a large scrape (exit 23), and the check with it.
body=$(curl -fsS "$url") || fail "cannot scrape $url"
grep -q '^graph_nodes_count{' <<<"$body" || fail "no graph_nodes_count sample after inference at $url"

run lint-metrics "$url"
expect_rc 0
grep -q 'reserved-suffix' <<<"$out$err" && fail "a name the catalog declares is a finding of the scrape: $out"
expect_out "no problems found"

# Said once, where the catalog is read: the catalog file with the detector's names.
run --catalog "$SRC/rules/catalog.yml" catalog list --stage knowledge_graph
expect_rc 0
expect_err "warning: gauge graph_nodes_count ends in _count, a suffix Prometheus reserves for the series of histograms and summaries"
[ "$(grep -c '\[catalog/reserved-suffix\]' <<<"$err")" = 2 ] || fail "expected 2 catalog/reserved-suffix warnings: $err"

# Not declared: promtool's finding stays, at the default --fail-on (warning).
printf '# HELP foo_count Things.\n# TYPE foo_count gauge\nfoo_count 3\n' >"$TMP/foo.txt"
run lint-metrics --no-catalog "$TMP/foo.txt"
expect_rc 1
expect_out 'foo_count: non-histogram and non-summary metrics should not have "_count" suffix [metrics/reserved-suffix]'
run lint-metrics "$TMP/foo.txt"
expect_out '[metrics/reserved-suffix]'
