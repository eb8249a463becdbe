#!/usr/bin/env bash
# lint-alertmanager --list-checks: the alertmanager/* checks only, text or json.
source "$(dirname "$0")/lib.sh"
run lint-alertmanager --list-checks
expect_rc 0
expect_out "alertmanager/undefined-receiver"
expect_out "alertmanager/inline-secret"
grep -q "promql/\|rules/\|metrics/" <<<"$out" && fail "other families listed: $out"
run lint-alertmanager --list-checks --format json
expect_rc 0
expect_out '"alertmanager/url"'
run lint-alertmanager --list-checks --format sarif
expect_rc 2
