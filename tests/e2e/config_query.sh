#!/usr/bin/env bash
# nsmon query takes its server, auth and format from the config file, under NSMON_* and flags,
# against a real Prometheus.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/query_peers.bash"
start_peers
t=$(date +%s)
export XDG_CONFIG_HOME="$TMP/xdg"
mkdir -p "$XDG_CONFIG_HOME/nsmon"
printf 'T0KEN-FROM-FILE\n' >"$XDG_CONFIG_HOME/nsmon/token"
cat >"$XDG_CONFIG_HOME/nsmon/config.yml" <<YAML
server: $PROM
bearer_token_file: token
tenant: team-e2e
format:
  query: jsonl
YAML

# The server and the format from the config file; the token file relative to it.
run --color never query --time "$t" --verbose images_processed_total
expect_rc 0
/usr/bin/python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 2, lines
for l in lines: assert json.loads(l)["metric"]["__name__"] == "images_processed_total", l
' <<<"$out" || fail "config format jsonl: $out"
expect_err "Authorization: Bearer"
expect_err "X-Scope-OrgID: team-e2e"
! grep -q "T0KEN-FROM-FILE" <<<"$out$err" || fail "the token was printed: $err"

# NSMON_PROMETHEUS_URL beats the config file; --server and --format beat both.
NSMON_PROMETHEUS_URL=http://127.0.0.1:1 run query --time "$t" images_processed_total
expect_rc 3
expect_err "127.0.0.1:1"
NSMON_PROMETHEUS_URL=http://127.0.0.1:1 run query --server "$PROM" --time "$t" --format csv images_processed_total
expect_rc 0
[ "$(wc -l <<<"$out")" = 3 ] || fail "--format csv over the config's jsonl: $out"
# --prometheus, the other commands' spelling, is the same flag.
NSMON_PROMETHEUS_URL=http://127.0.0.1:1 run query --prometheus "$PROM" --time "$t" --format csv images_processed_total
expect_rc 0
[ "$(wc -l <<<"$out")" = 3 ] || fail "--prometheus: $out"

# A verb takes the same settings.
run query buildinfo
expect_rc 0
expect_out '"version"'
