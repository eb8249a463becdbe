#!/usr/bin/env bash
# `nsmon lint-rules --help` explains the inputs, formats, policy file and exit codes, with examples.
source "$(dirname "$0")/lib.sh"
run lint-rules --help
expect_rc 0
for s in --config --policy --format --fail-on --list-checks --enable-feature "rules/prometheus.yml" \
  "github" "sarif" "# nsmon disable" "severity_label:" "required_annotations:" "Examples:" \
  "nsmon lint-rules --config rules/prometheus.yml" "Exit codes:" "  2    usage error"; do
  expect_out "$s"
done
