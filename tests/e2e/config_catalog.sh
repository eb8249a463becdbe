#!/usr/bin/env bash
# The global --catalog comes from the config file (relative to it) or NSMON_CATALOG too; the flag wins.
source "$(dirname "$0")/lib.sh"
export XDG_CONFIG_HOME="$TMP/xdg"
mkdir -p "$XDG_CONFIG_HOME/nsmon"
sed 's/^\(\s*type:\s*\)gauge\s*$/\1gauge2/' "$SRC/rules/catalog.yml" >"$XDG_CONFIG_HOME/nsmon/broken.yml"
printf 'catalog: broken.yml\n' >"$XDG_CONFIG_HOME/nsmon/config.yml"

run catalog list
expect_rc 2
expect_err "$XDG_CONFIG_HOME/nsmon/broken.yml:"
expect_err "nsmon: error: the catalog $XDG_CONFIG_HOME/nsmon/broken.yml is invalid"
run config show
grep -qE "^catalog +$XDG_CONFIG_HOME/nsmon/broken.yml +config $XDG_CONFIG_HOME/nsmon/config.yml:1:1\$" <<<"$out" ||
  fail "config show: $out"

run --catalog "$SRC/rules/catalog.yml" catalog show training_loss
expect_rc 0
NSMON_CATALOG="$SRC/rules/catalog.yml" run catalog show training_loss
expect_rc 0
expect_out "defined: $SRC/rules/catalog.yml:"
