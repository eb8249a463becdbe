#!/usr/bin/env bash
# The seeds' two Alertmanager configs (tests/data/seed/, verbatim): the findings issue 16 names.
# The OctoLLM one does not load in Alertmanager (amtool: unsupported scheme "" for URL): an error.
source "$(dirname "$0")/lib.sh"
cd "$SRC/tests/data/seed"

run lint-alertmanager alertmanager-octollm.yml
expect_rc 1
expect_out "alertmanager-octollm.yml:4:18: error: slack_api_url: unsupported scheme \"\" for URL; Alertmanager refuses to load this [alertmanager/url]"
# A placeholder secret is one finding (the placeholder, by its field), not also an inline secret.
expect_out "alertmanager-octollm.yml:33:24: warning: auth_password looks like a placeholder (it says \"your ...\"), not a real value [alertmanager/placeholder]"
expect_out "alertmanager-octollm.yml:44:22: warning: service_key looks like a placeholder"
grep -q "inline-secret" <<<"$out" && fail "a placeholder called an inline secret: $out"
expect_out "info: match is deprecated (Alertmanager 0.22); matchers replaces it [alertmanager/deprecated-match]"
expect_out "help: matchers: ['severity=~\"warning|critical\"']"
expect_out "help: source_matchers: ['severity=\"critical\"']"
expect_out "alertmanager-octollm.yml:29:13: warning: \"team@example.com\" looks like a placeholder (example.com, .org and .net are reserved for documentation), not a real value [alertmanager/placeholder]"
expect_out "1 error, 6 warnings, 4 info in alertmanager-octollm.yml (3 receivers, 3 routes)"
# Secrets are masked in the quoted lines too.
grep -q "YOUR_" <<<"$out" && fail "a secret value was printed: $out"
expect_out "auth_password: '*************'"

run lint-alertmanager alertmanager.yml
expect_rc 1
expect_out "alertmanager.yml:28:24: warning: auth_password looks like a placeholder (a value to be replaced)"
expect_out "0 errors, 6 warnings, 2 info in alertmanager.yml (2 receivers, 3 routes)"
run lint-alertmanager --fail-on error alertmanager.yml
expect_rc 0

# The same findings in JSON, with the report's facts.
run lint-alertmanager --format json alertmanager-octollm.yml
expect_rc 1
expect_out '"check": "alertmanager/url"'
expect_out '"receivers": 3'
expect_out '"routes": 3'
