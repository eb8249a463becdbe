#!/usr/bin/env bash
# lint-alertmanager exit codes and words, as lint-rules': 0 clean, 1 findings at or above --fail-on
# (default warning), 2 for usage errors (no file and no rules/alertmanager.yml) and unreadable input.
source "$(dirname "$0")/lib.sh"
cat >"$TMP/clean.yml" <<'YML'
route:
  receiver: team
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
receivers:
  - name: team
    webhook_configs:
      - url: http://team-hook.monitoring.svc:8080/alerts
  - name: pager
    pagerduty_configs:
      - routing_key_file: /etc/alertmanager/pagerduty-key
YML
run lint-alertmanager "$TMP/clean.yml"
expect_rc 0
[ "$out" = "no problems found in $TMP/clean.yml (2 receivers, 2 routes) for Alertmanager 0.25" ] ||
  fail "clean output: $out"
[ -z "$err" ] || fail "clean run wrote on stderr: $err"

# The deprecated match: is information (every Alertmanager still reads it): exit 0 by default.
sed 's/matchers: \[.*\]/match: {severity: critical}/' "$TMP/clean.yml" >"$TMP/info.yml"
run lint-alertmanager "$TMP/info.yml"
expect_rc 0
expect_out "[alertmanager/deprecated-match]"
expect_out "0 errors, 0 warnings, 1 info in $TMP/info.yml (2 receivers, 2 routes)"
run lint-alertmanager --fail-on info "$TMP/info.yml"
expect_rc 1

# A receiver no route uses is a warning.
cat "$TMP/clean.yml" - <<<"  - name: spare" >"$TMP/warn.yml"
run lint-alertmanager "$TMP/warn.yml"
expect_rc 1
expect_out "[alertmanager/unused-receiver]"
expect_out "0 errors, 1 warning, 0 info in $TMP/warn.yml (3 receivers, 2 routes)"
run lint-alertmanager --fail-on error "$TMP/warn.yml"
expect_rc 0

sed 's/receiver: pager/receiver: pagr/' "$TMP/clean.yml" >"$TMP/error.yml"
run lint-alertmanager --fail-on error "$TMP/error.yml"
expect_rc 1
expect_out 'undefined receiver "pagr" used in route [alertmanager/undefined-receiver]'
expect_out 'help: did you mean "pager"?'
run lint-alertmanager --fail-on never "$TMP/error.yml"
expect_rc 0

# Broken YAML is a finding; a missing file or a bad flag value is a usage error.
printf 'route: [\n' >"$TMP/broken.yml"
run lint-alertmanager "$TMP/broken.yml"
expect_rc 1
expect_out "[yaml/syntax]"
run lint-alertmanager "$TMP/missing.yml"
expect_rc 2
expect_err "nsmon: error:"
run lint-alertmanager --fail-on sometimes "$TMP/clean.yml"
expect_rc 2

# No FILE: rules/alertmanager.yml of the current directory, else a usage error like lint-rules'.
cd "$TMP"
run lint-alertmanager
expect_rc 2
expect_err "nothing to lint: give an alertmanager.yml (there is no rules/alertmanager.yml in the current directory, nor in "
mkdir rules && cp clean.yml rules/alertmanager.yml
run lint-alertmanager
expect_rc 0
expect_out "in rules/alertmanager.yml (2 receivers, 2 routes)"

# Standard input.
run lint-alertmanager - <"$TMP/warn.yml"
expect_rc 1
expect_out "<stdin>:13:11: warning: receiver \"spare\" is not used by any route"
