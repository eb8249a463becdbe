#!/usr/bin/env bash
# lint-rules and lint-metrics take their default format and colour from the config file and
# NSMON_*; a flag still wins.
source "$(dirname "$0")/lib.sh"
unset NSMON_LINT_FORMAT NSMON_COLOR
export XDG_CONFIG_HOME="$TMP/xdg"
mkdir -p "$XDG_CONFIG_HOME/nsmon"
printf 'format:\n  lint: github\n' >"$XDG_CONFIG_HOME/nsmon/config.yml"
seed="$SRC/tests/data/seed/alert_rules.yml"

run lint-rules "$seed"
expect_rc 1
expect_out "::error file=$seed,line=59"
run lint-rules --format text "$seed"
expect_out "$seed:59:15: error:"
NSMON_LINT_FORMAT=json run lint-rules "$seed"
expect_out '"findings": ['
run lint-metrics --no-catalog "$SRC/tests/golden/metrics/detector_text/input.txt" # promtool's two naming warnings
expect_out "::warning file="
run lint-rules --list-checks # prints text, whatever the default format
expect_rc 0

printf 'color: always\n' >"$XDG_CONFIG_HOME/nsmon/config.yml"
run lint-rules "$seed"
grep -q $'\033\\[' "$TMP/out" || fail "color: always in the config file gave no colour"
run --color never lint-rules "$seed"
! grep -q $'\033\\[' "$TMP/out" || fail "--color never still coloured"
