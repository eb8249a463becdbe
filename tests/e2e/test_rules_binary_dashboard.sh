#!/usr/bin/env bash
# A test file whose dashboards: names a binary file (issue 58, item 9): the error names the file
# and says it is not text (UTF-8), at the line of the test file that names it, and the panel test
# that looks for a dashboard in it no longer says "in the templates of dashboards: (, )". A test
# input that does not load exits 2 (README's table), and no raw byte reaches the terminal.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
head -c 300 "$NSMON" >elf.yml               # starts with 0x7F "ELF", NUL bytes after
printf 'title: x\n\xff\xfe rows: []\n' >latin.yml # invalid UTF-8, no NUL
for tpl in elf.yml latin.yml; do
  cat >t.yml <<EOF2
dashboards: [$tpl]
tests:
  - name: x
    interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: '1x5'
    panel_tests:
      - eval_time: 1m
        dashboard: nsmon-errors
        panel: Errors by stage
        exp_series: []
EOF2
  run test-rules t.yml
  expect_rc 2
  expect_err "t.yml:1:14: error: the dashboard template $tpl is not text (UTF-8) [ruletest/invalid]"
  expect_err "t.yml:10:20: error: no dashboard 'nsmon-errors' in the templates of dashboards: (none loaded) [ruletest/invalid]"
  grep -qF '(, )' <<<"$err" && fail "$tpl: empty names listed: $err"
  /usr/bin/python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' <"$TMP/err" || fail "$tpl: raw bytes on stderr"
done
