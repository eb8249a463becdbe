#!/usr/bin/env bash
# time_intervals entries as Alertmanager checks them at load (timeinterval.go): nsmon's verdict and
# words against amtool 0.25's on each case, one entry per file.
source "$(dirname "$0")/lib.sh"
command -v amtool >/dev/null || { echo "amtool not installed: skipped"; exit 77; }
cases=(
  "weekdays: ['monday:friday']" "weekdays: ['funday']" "weekdays: ['friday:monday']" "weekdays: ['Monday']"
  "weekdays: ['mon:tue:wed']" "days_of_month: ['1:5', '-3:-1']" "days_of_month: ['0']" "days_of_month: ['-3:5']"
  "days_of_month: ['20:3']" "days_of_month: ['x']" "months: ['january:march', '11']" "months: ['jan']"
  "months: ['may:march']" "years: ['2025:2020']" "years: ['2020:2030']"
  "times: [{start_time: '09:00', end_time: '17:00'}]" "times: [{start_time: '9:00', end_time: '17:00'}]"
  "times: [{start_time: '17:00', end_time: '09:00'}]" "times: [{start_time: '00:00', end_time: '24:00'}]"
  "times: [{start_time: '09:00'}]" "times: [{start_time: '24:01', end_time: '25:00'}]"
)
for c in "${cases[@]}"; do
  printf 'route:\n  receiver: r\n  routes: [{receiver: r, matchers: [a=b], mute_time_intervals: [t]}]\n' >"$TMP/c.yml"
  printf 'receivers: [{name: r}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - %s\n' "$c" >>"$TMP/c.yml"
  amtool check-config "$TMP/c.yml" >"$TMP/am" 2>&1 && am=0 || am=1
  set +e
  "$NSMON" lint-alertmanager --fail-on error "$TMP/c.yml" >"$TMP/ns" 2>&1
  ns=$?
  set -e
  [ "$ns" -eq "$am" ] || fail "$c: amtool exit $am, nsmon exit $ns: $(cat "$TMP/ns")"
  if [ "$am" -eq 1 ]; then # the same words: amtool's message is in nsmon's
    words=$(grep -o 'FAILED: .*' "$TMP/am" | sed 's/^FAILED: //')
    grep -qF "$words" "$TMP/ns" || fail "$c: amtool says '$words'; nsmon: $(cat "$TMP/ns")"
  fi
done
echo "${#cases[@]} time interval cases: the same verdict and words as amtool 0.25"
