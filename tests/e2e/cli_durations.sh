#!/usr/bin/env bash
# Every time option takes a Prometheus duration (500ms, 2s, 1m30s) or plain seconds, the same
# way in every subcommand; anything else is a usage error naming the option (exit 2).
source "$(dirname "$0")/lib.sh"
port=$(free_port)
# Nothing listens: watch attached waits, then ends after --duration with "never reached" (exit 3).
for d in 300ms 0.3; do
  run watch --format plain --interval 100ms --duration "$d" --metrics-url "http://127.0.0.1:$port/metrics"
  expect_rc 3
  expect_out "never reached"
done
run watch --interval 1x
expect_rc 2
expect_err "--interval: '1x' is not a duration (500ms, 2s, 1m30s) or a number of seconds"
run watch --grace -1
expect_rc 2
expect_err "--grace: '-1' is not a duration"
run watch --interval 10ms --duration 1
expect_rc 2
expect_err "--interval must be at least 50ms"
# lint-metrics --timeout: the same words.
printf '# TYPE up gauge\nup 1\n' >"$TMP/scrape.txt"
run lint-metrics "$TMP/scrape.txt" --no-catalog --timeout 1m30s --fail-on never
expect_rc 0
run lint-metrics "$TMP/scrape.txt" --no-catalog --timeout soon
expect_rc 2
expect_err "--timeout: 'soon' is not a duration"
# query --timeout takes both forms too (checked before any network: a bad one is exit 2).
run query --server "http://127.0.0.1:$port" --timeout soon up
expect_rc 2
expect_err "--timeout wants a duration such as 30s, 1m or 10 (seconds), not 'soon'"
