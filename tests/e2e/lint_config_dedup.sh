#!/usr/bin/env bash
# A rule file named on the command line and in prometheus.yml's rule_files (spelled differently)
# is linted once: each finding appears once and the file is counted once.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/cfg/rules"
cat >"$TMP/cfg/prometheus.yml" <<'YML'
global: {scrape_interval: 15s, evaluation_interval: 15s}
alerting:
  alertmanagers:
    - static_configs: [{targets: ['localhost:9093']}]
rule_files: ['rules/*.yml']
scrape_configs:
  - job_name: neurosymbolic-app
    static_configs: [{targets: ['localhost:8000']}]
YML
printf 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5 minutes\n' \
  >"$TMP/cfg/rules/a.yml"
cd "$TMP"
run lint-rules cfg/rules/a.yml ./cfg/rules/../rules/a.yml "$TMP/cfg/rules/a.yml" --config cfg/prometheus.yml
expect_rc 1
n=$(grep -c "\[rules/duration\]" <<<"$out")
[ "$n" -eq 1 ] || fail "the duration finding appears $n times: $out"
expect_out "cfg/rules/a.yml:6:14: error:"
expect_out "in 2 files (1 rule)"
# Only the config: the same file, found through the glob.
run lint-rules --config cfg/prometheus.yml
expect_rc 1
expect_out "cfg/rules/a.yml:6:14: error:"
expect_out "in 2 files (1 rule)"
