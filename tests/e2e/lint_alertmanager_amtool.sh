#!/usr/bin/env bash
# Differential against Debian's amtool check-config (package prometheus-alertmanager): every file
# amtool refuses, lint-alertmanager reports with an error; every file amtool loads, it reports
# without one, except the known differences below. Corpus: tests/data/alertmanager/ and the seeds.
source "$(dirname "$0")/lib.sh"
command -v amtool >/dev/null || { echo "amtool not installed: skipped"; exit 77; }

# Files on which nsmon's verdict differs from amtool 0.25's on purpose, and why.
declare -A known=(
  # Alertmanager loads an email config with both auth_password and auth_password_file, and uses
  # only one of them: nsmon calls that an error (alertmanager/secret-conflict).
  [secret-conflict.yml]=1
  # upstream/ (Alertmanager's config/testdata): fields added after 0.25 (mattermost and rocketchat
  # receivers, *_file twins of the telegram, wechat and email secrets), which amtool 0.25 refuses
  # as unknown and which Alertmanager's own tests load (config_test.go): nsmon reads 0.25 and later.
  [conf.mattermost-default-webhook-url-file.yml]=1
  [conf.mattermost-default-webhook-url.yml]=1
  [conf.rocketchat-default-token-file.yml]=1
  [conf.rocketchat-default-token.yml]=1
  [conf.smtp-password-global-and-local.yml]=1
  [conf.telegram-default-bot-token-file.yml]=1
  [conf.telegram-default-bot-token.yml]=1
  [conf.wechat-default-api-secret-file.yml]=1
)
refused=0 loaded=0 same=0
for f in "$SRC"/tests/data/alertmanager/*.yml "$SRC"/tests/data/alertmanager/upstream/*.yml \
  "$SRC"/tests/data/seed/alertmanager*.yml; do
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
