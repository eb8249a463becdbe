#!/usr/bin/env bash
# A broken config file is reported like a compiler error (file:line:col, the line, a caret) with
# whatever may be a secret masked, and every command that reads settings exits 2; a bad NSMON_*
# value names the variable. --help and completion still work.
source "$(dirname "$0")/lib.sh"
export XDG_CONFIG_HOME="$TMP/xdg"
mkdir -p "$XDG_CONFIG_HOME/nsmon"
cfg="$XDG_CONFIG_HOME/nsmon/config.yml"
cat >"$cfg" <<'YAML'
server: http://prom:9090
bearer_token: s3cr3t-t0ken-value
timeout: soon
colour: never
YAML

run config show
expect_rc 2
expect_err "$cfg:2:1: error: secrets are not written in the config file: put it in a file and give the file's path with bearer_token_file [config/inline-secret]"
expect_err "  bearer_token: ******************"
expect_err "$cfg:3:10: error: timeout must be a duration such as 30s or 1m30s, not 'soon' [config/value]"
expect_err "$cfg:4:1: error: unknown field 'colour' in the config file [yaml/unknown-field]"
expect_err "help: did you mean 'color'?"
expect_err "nsmon: error: the config file $cfg is invalid"
! grep -q "s3cr3t" <<<"$err$out" || fail "the inline secret was printed: $err"

run lint-rules "$SRC/rules/alert_rules.yml"
expect_rc 2
expect_err "the config file $cfg is invalid"

run --help
expect_rc 0
run completion bash
expect_rc 0

printf 'color: never\n' >"$cfg"
NSMON_COLOR=sometimes run config show
expect_rc 2
expect_err "nsmon: error: NSMON_COLOR: color must be one of auto, always, never, not 'sometimes'"
