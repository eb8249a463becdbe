#!/usr/bin/env bash
# Differential against Debian's amtool check-config (package prometheus-alertmanager): every file
# amtool refuses, lint-alertmanager reports with an error; every file amtool loads, it reports
# without one, except the known differences below. nsmon's default target is amtool's version,
# 0.25. Corpus: tests/data/alertmanager/ (with Alertmanager's config/testdata in upstream/), the
# public configs of tests/data/alertmanager-public/ and the seeds.
source "$(dirname "$0")/lib.sh"
command -v amtool >/dev/null || { echo "amtool not installed: skipped"; exit 77; }

# Files on which nsmon's verdict differs from amtool 0.25's on purpose, and why.
declare -A known=(
  # Alertmanager loads an email config with both auth_password and auth_password_file, and uses
  # only one of them: nsmon calls that an error (alertmanager/secret-conflict).
  [secret-conflict.yml]=1
)
# Alertmanager's config/testdata files with fields added after 0.25 (mattermost and rocketchat
# receivers, *_file twins of the telegram, wechat and email secrets): amtool 0.25 refuses them,
# and so does nsmon by default; Alertmanager's own tests load them, and so does nsmon for the
# newest version it knows.
newer=(conf.mattermost-default-webhook-url-file.yml conf.mattermost-default-webhook-url.yml
  conf.rocketchat-default-token-file.yml conf.rocketchat-default-token.yml conf.smtp-password-global-and-local.yml
  conf.telegram-default-bot-token-file.yml conf.telegram-default-bot-token.yml conf.wechat-default-api-secret-file.yml)
for name in "${newer[@]}"; do
  f=$SRC/tests/data/alertmanager/upstream/$name
  "$NSMON" lint-alertmanager --fail-on error "$f" >"$TMP/nsmon" 2>&1 && fail "$name: loads for 0.25"
  grep -q 'alertmanager/newer-field' "$TMP/nsmon" || fail "$name: no newer-field finding: $(cat "$TMP/nsmon")"
  "$NSMON" lint-alertmanager --alertmanager-version latest --fail-on error "$f" >"$TMP/nsmon" 2>&1 ||
    fail "$name: refused for the newest version: $(cat "$TMP/nsmon")"
done
refused=0 loaded=0 same=0
for f in "$SRC"/tests/data/alertmanager/*.yml "$SRC"/tests/data/alertmanager/upstream/*.yml \
  "$SRC"/tests/data/alertmanager-public/*.yml "$SRC"/tests/data/seed/alertmanager*.yml; do
  name=$(basename "$f")
  amtool check-config "$f" >"$TMP/amtool" 2>&1 && am=0 || am=1
  set +e
  "$NSMON" lint-alertmanager --fail-on error "$f" >"$TMP/nsmon" 2>&1
  ns=$?
  set -e
  [ "$ns" -le 1 ] || fail "$name: nsmon exited $ns: $(cat "$TMP/nsmon")"
  if [ -n "${known[$name]-}" ]; then
    [ "$ns" -ne "$am" ] || fail "$name: listed as a known difference, but nsmon and amtool agree (exit $ns)"
    continue
  fi
  same=$((same + 1))
  if [ "$am" -eq 1 ]; then
    refused=$((refused + 1))
    [ "$ns" -eq 1 ] || fail "$name: amtool refuses it ($(grep -o 'FAILED.*' "$TMP/amtool")), nsmon reports no error"
  else
    loaded=$((loaded + 1))
    [ "$ns" -eq 0 ] || fail "$name: amtool loads it, nsmon reports an error: $(cat "$TMP/nsmon")"
  fi
done
echo "same verdict as amtool 0.25 on $same files ($refused refused by both, $loaded loaded by both);" \
  "${#known[@]} known difference(s)"
[ "$refused" -ge 45 ] || fail "the corpus shrank: only $refused refused files"
