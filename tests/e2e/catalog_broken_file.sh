#!/usr/bin/env bash
# A malformed catalog gives file:line:col errors with the source line, exits 2, never crashes.
source "$(dirname "$0")/lib.sh"
cat >"$TMP/cat.yml" <<'YML'
catalog_version: 1
metrics:
  - name: training_loss
    type: gauge2
    help: Training loss
    unit: none
    stage: training
YML
run --catalog "$TMP/cat.yml" catalog list
expect_rc 2
expect_err "$TMP/cat.yml:4:11: error: unknown metric type 'gauge2'"
expect_err "    type: gauge2"
expect_err "help: did you mean 'gauge'?"
[ -z "$out" ] || fail "printed a listing from a broken catalog"
printf 'metrics: [\n  - {name: x' >"$TMP/trunc.yml"
run --catalog "$TMP/trunc.yml" catalog list
expect_rc 2
expect_err "$TMP/trunc.yml:"
expect_err "[yaml/syntax]"
head -c 20000 /dev/urandom >"$TMP/junk.yml"
run --catalog "$TMP/junk.yml" catalog list
expect_rc 2
run --catalog "$TMP/missing.yml" catalog list
expect_rc 2
expect_err "cannot read $TMP/missing.yml: No such file or directory"
# The embedded catalog works from any directory.
cd /
run catalog show training_loss
expect_rc 0
