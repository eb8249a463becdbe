#!/usr/bin/env bash
# test-rules --help: its flags and the footer (inputs, the nsmon extension, examples, exit codes).
source "$(dirname "$0")/lib.sh"
run test-rules --help
expect_rc 0
for flag in --run --junit --coverage --coverage-min --max-samples --format --enable-feature --alertmanager; do expect_out "$flag"; done
expect_out "nsmon: {partial: true}"
expect_out "alertmanager_tests:"
expect_out "panel_tests:"
expect_out "not modelled: group_wait"
expect_out "Examples:"
expect_out "A failed test, or coverage below --coverage-min, fails whatever --fail-on says"
expect_out "Exit codes:"
run test-rules
expect_rc 2
