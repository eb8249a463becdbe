#!/usr/bin/env bash
# `# nsmon disable` comments in prometheus.yml as in rule files: before any content for the whole
# file, on a line for that line, just above an entry for its lines; a comment naming another
# command's check, or rules/unknown-disable itself, silences nothing and is said to.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
# A job whose scrape_timeout is over its interval: config/scrape-timeout, an error, at line 6.
# config TOP ABOVE_A ABOVE_B TIMEOUT_LINE_END INTERVAL_LINE_END
config() {
  printf '%s\nglobal: {scrape_interval: 15s}\nscrape_configs:\n%s  - job_name: a\n    scrape_interval: 5s%s\n    scrape_timeout: 10s%s\n    static_configs: [{targets: [localhost:1]}]\n%s  - job_name: b\n    static_configs: [{targets: [localhost:2]}]\n' \
    "$1" "${2-}" "${5-}" "${4-}" "${3-}" >prometheus.yml
}
silenced() { # silenced WHAT: no finding, exit 0
  run lint-rules --config prometheus.yml
  [ "$rc" = 0 ] && ! grep -q 'config/scrape-timeout' <<<"$out" || fail "$1: not silenced (exit $rc): $out"
}
kept() { # kept WHAT: the finding, exit 1
  run lint-rules --config prometheus.yml
  expect_rc 1
  grep -q 'prometheus.yml:6:21: error: scrape timeout 10s greater than scrape interval 5s' <<<"$out" || fail "$1: $out"
}
c='# nsmon disable config/scrape-timeout'
config '' '' '' '' ''
kept "no comment"
config "$c" '' '' '' ''
silenced "before any content"
config '' "  $c"$'\n' '' '' ''
silenced "just above job a"
config '# a config' '' "  $c"$'\n' '' ''
kept "just above job b"
config '# a config' '' '' "  $c" ''
silenced "on the finding's line"
config '# a config' '' '' '' "  $c"
kept "on another line of the job"

# A check of another command: known to nsmon, but no finding of lint-rules ever has it.
config "# nsmon disable metrics/reserved-suffix" ''
run lint-rules --config prometheus.yml
expect_out "prometheus.yml:1:17: warning: '# nsmon disable' names metrics/reserved-suffix, a check of nsmon lint-metrics, not of lint-rules: it silences nothing here [rules/unknown-disable]"
# The same in a rule file, and the check of the comments naming itself: said, whatever else the
# comment names, and not silenced by it.
printf 'groups:\n  - name: g\n    rules:\n      # nsmon disable rules/unknown-disable, alerts/no-comparisons\n      - alert: A\n        expr: up == 0\n        labels: {severity: warning}\n        annotations: {summary: s, description: d}\n' >rules.yml
run lint-rules rules.yml
expect_rc 1
expect_out "rules.yml:4:23: warning: '# nsmon disable' cannot silence rules/unknown-disable, the check of these comments [rules/unknown-disable]"
expect_out "rules.yml:4:46: warning: '# nsmon disable' names no check: alerts/no-comparisons [rules/unknown-disable]"
expect_out "help: did you mean alerts/no-comparison?"
# --disable still silences it, for every occurrence.
run lint-rules rules.yml --disable rules/unknown-disable
expect_rc 0
grep -q 'unknown-disable' <<<"$out" && fail "--disable rules/unknown-disable: $out"
echo ok
