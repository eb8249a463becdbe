#!/usr/bin/env bash
# `nsmon config show` prints every effective setting with its origin: flags > NSMON_* > the config
# file under $XDG_CONFIG_HOME > defaults; secrets masked, file paths shown, files never read.
source "$(dirname "$0")/lib.sh"
export XDG_CONFIG_HOME="$TMP/xdg"

run config show
expect_rc 0
expect_out "config file: $TMP/xdg/nsmon/config.yml (not found: defaults apply)"
grep -qE '^server +http://localhost:9090 +default$' <<<"$out" || fail "default server: $out"
grep -qE '^color +auto +default$' <<<"$out" || fail "default color: $out"

mkdir -p "$XDG_CONFIG_HOME/nsmon"
cat >"$XDG_CONFIG_HOME/nsmon/config.yml" <<'YAML'
server: http://prom.example:9090/prometheus
bearer_token_file: token.txt
tenant: from-file
timeout: 45s
color: never
format:
  lint: json
YAML
echo "T0P-SECRET-TOKEN" >"$XDG_CONFIG_HOME/nsmon/token.txt"

export NSMON_TENANT=from-env NSMON_BASIC_AUTH_PASSWORD=hunter2-pass
run --color always config show
unset NSMON_TENANT NSMON_BASIC_AUTH_PASSWORD
expect_rc 0
cfg="$TMP/xdg/nsmon/config.yml"
expect_out "config file: $cfg"
grep -qE "^server +http://prom.example:9090/prometheus +config $cfg:1:1\$" <<<"$out" || fail "server: $out"
grep -qE "^bearer_token_file +$TMP/xdg/nsmon/token.txt +config $cfg:2:1\$" <<<"$out" || fail "token file: $out"
grep -qE '^tenant +from-env +env NSMON_TENANT$' <<<"$out" || fail "tenant: $out"
grep -qE "^timeout +45s +config $cfg:4:1\$" <<<"$out" || fail "timeout: $out"
grep -qE '^color +always +flag --color$' <<<"$out" || fail "color: $out"
grep -qE "^format.lint +json +config $cfg:7:3\$" <<<"$out" || fail "format.lint: $out"
grep -qE '^basic_auth.password +\*{8} +env NSMON_BASIC_AUTH_PASSWORD$' <<<"$out" || fail "password: $out"
grep -qE '^format.query +\(not set\) +default$' <<<"$out" || fail "format.query: $out"
! grep -q "hunter2-pass\|T0P-SECRET" <<<"$out$err" || fail "a secret was printed: $out"

# The same as JSON for scripts.
export NSMON_COLOR=always
run config show --format json
unset NSMON_COLOR
expect_rc 0
/usr/bin/python3 - "$cfg" <<PY || fail "json: $out"
import json, sys
d = json.loads('''$out''')
cfg = sys.argv[1]
s = d["settings"]
assert d["config_file"] == {"path": cfg, "exists": True}, d["config_file"]
assert s["server"] == {"value": "http://prom.example:9090/prometheus", "origin": "config", "where": cfg + ":1:1", "env": "NSMON_PROMETHEUS_URL"}, s["server"]
assert s["color"]["value"] == "always" and s["color"]["origin"] == "env" and s["color"]["where"] == "NSMON_COLOR"
assert s["tenant"]["value"] == "from-file" and s["tenant"]["origin"] == "config"
assert s["basic_auth.password"] == {"value": None, "origin": "default", "where": None, "env": "NSMON_BASIC_AUTH_PASSWORD"}
assert s["timeout"]["value"] == "45s"
PY

# Without XDG_CONFIG_HOME, ~/.config/nsmon/config.yml.
unset XDG_CONFIG_HOME
HOME="$TMP/home" run config show
expect_out "config file: $TMP/home/.config/nsmon/config.yml (not found: defaults apply)"
