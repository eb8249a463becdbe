#!/usr/bin/env bash
# The --fail-on default that a subcommand's --help prints is what it does (issue 48: `promql check
# --help` said "default warning" and a warning exited 0). For every subcommand with --fail-on
# (found in the help tree, so a new one needs a row here), an input whose worst finding is known
# exits the same without the flag as with `--fail-on DEFAULT`, and as that default says: 1 when
# the finding is at least as severe, 0 when not.
source "$(dirname "$0")/lib.sh"
cd "$TMP"

cat >rules.yml <<'EOF'
groups:
  - name: g
    rules:
      - alert: GpuHot
        expr: gpu_utilization_percent > 95
        labels: {severity: warning}
        annotations: {summary: hot}
EOF
printf '# TYPE my_thing gauge\nmy_thing 1\n' >scrape.prom
cat >am.yml <<'EOF'
route:
  receiver: a
receivers:
  - name: a
  - name: unused
EOF
printf 'cases:\n  - labels: {alertname: X}\n    receivers: [nobody]\n' >cases.yml
printf 'rule_files: []\ntests: []\n' >no_tests.yml
cat >slo.yml <<'EOF'
version: nsmon/v1
service: app
slos:
  - name: inference-success
    objective: 0.99
    sli:
      errors: errors_total
      total: images_processed_total
EOF
mkdir templates
cat >templates/w.yml <<'EOF'
uid: w
title: W
variables: [datasource]
rows:
  - title: Row
    panels:
      - type: timeseries
        title: Up
        description: Whether the targets are up.
        unit: none
        queries:
          - expr: up
EOF

# subcommand | its arguments | the severity of the input's worst finding
rows=(
  "lint-rules|rules.yml|warning"
  "lint-metrics|--no-catalog scrape.prom|warning"
  "lint-alertmanager|am.yml|warning"
  "test-rules|no_tests.yml|warning"
  "routes test|--alertmanager am.yml --cases cases.yml|error"
  "slo generate|slo.yml --out slo_rules.yml|info"
  "gen-dashboards|--templates templates --out dashboards|warning"
  "promql check|rate(gpu_utilization_percent[5m])|warning"
)
rank() { case $1 in info) echo 1 ;; warning) echo 2 ;; error) echo 3 ;; never) echo 4 ;; esac; }

# The subcommands with --fail-on, from the help tree.
with_fail_on=()
run --help
for sub in $(sed -n '/^Subcommands:$/,/^$/p' <<<"$out" | awk 'NF > 1 {print $1}'); do
  run "$sub" --help
  nested=$(sed -n '/^Subcommands:$/,/^$/p' <<<"$out" | awk 'NF > 1 {print $1}')
  if [ -z "$nested" ]; then
    grep -q -- '--fail-on SEVERITY' <<<"$out" && with_fail_on+=("$sub")
    continue
  fi
  for n in $nested; do
    run "$sub" "$n" --help
    grep -q -- '--fail-on SEVERITY' <<<"$out" && with_fail_on+=("$sub $n")
  done
done
[ "${#with_fail_on[@]}" -ge 8 ] || fail "only ${#with_fail_on[@]} subcommands with --fail-on found: ${with_fail_on[*]}"

for sub in "${with_fail_on[@]}"; do
  row=""
  for r in "${rows[@]}"; do [ "${r%%|*}" = "$sub" ] && row=$r; done
  [ -n "$row" ] || fail "$sub has --fail-on but no row in this test"
  IFS='|' read -r _ args worst <<<"$row"
  # shellcheck disable=SC2086 # the words of the subcommand
  run $sub --help
  default=$(sed -nE 's/.*--fail-on SEVERITY .*\(default ([a-z]+)\)$/\1/p' <<<"$out")
  [ -n "$default" ] || fail "$sub --help does not give --fail-on's default: $(grep -- --fail-on <<<"$out")"
  want=0
  [ "$(rank "$worst")" -ge "$(rank "$default")" ] && want=1
  rm -rf dashboards slo_rules.yml
  # shellcheck disable=SC2086
  run $sub $args
  [ "$rc" -eq "$want" ] || fail "$sub: --help says --fail-on defaults to $default, the input's worst finding is a $worst: exit $want expected, got $rc; stderr: $err"
  rm -rf dashboards slo_rules.yml
  # shellcheck disable=SC2086
  run $sub --fail-on "$default" $args
  [ "$rc" -eq "$want" ] || fail "$sub --fail-on $default: exit $want expected, got $rc"
  # The input does hold that finding: at its severity, it fails.
  rm -rf dashboards slo_rules.yml
  # shellcheck disable=SC2086
  run $sub --fail-on "$worst" $args
  [ "$rc" -eq 1 ] || fail "$sub --fail-on $worst: the input should fail, got $rc; stderr: $err"
done
echo ok
