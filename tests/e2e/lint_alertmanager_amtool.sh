#!/usr/bin/env bash
# Differential against Debian's amtool check-config (package prometheus-alertmanager): every file
# amtool refuses, lint-alertmanager reports with an error; every file amtool loads, it reports
# without one, except the known differences below. Corpus: tests/data/alertmanager/ and the seeds.
source "$(dirname "$0")/lib.sh"
command -v amtool >/dev/null || { echo "amtool not installed: skipped"; exit 77; }

# Files amtool loads on which nsmon reports an error on purpose, and why.
declare -A known=(
  # Alertmanager loads an email config with both auth_password and auth_password_file, and uses
  # only one of them: nsmon calls that an error (alertmanager/secret-conflict).
  [secret-conflict.yml]=1
)
refused=0 loaded=0
for f in "$SRC"/tests/data/alertmanager/*.yml "$SRC"/tests/data/seed/alertmanager*.yml; do
  name=$(basename "$f")
  amtool check-config "$f" >"$TMP/amtool" 2>&1 && am=0 || am=1
  set +e
  "$NSMON" lint-alertmanager --fail-on error "$f" >"$TMP/nsmon" 2>&1
  ns=$?
  set -e
  [ "$ns" -le 1 ] || fail "$name: nsmon exited $ns: $(cat "$TMP/nsmon")"
  if [ "$am" -eq 1 ]; then
    refused=$((refused + 1))
    [ "$ns" -eq 1 ] || fail "$name: amtool refuses it ($(grep -o 'FAILED.*' "$TMP/amtool")), nsmon reports no error"
  elif [ -z "${known[$name]-}" ]; then
    loaded=$((loaded + 1))
    [ "$ns" -eq 0 ] || fail "$name: amtool loads it, nsmon reports an error: $(cat "$TMP/nsmon")"
  else
    [ "$ns" -eq 1 ] || fail "$name: listed as a known difference, but nsmon reports no error"
  fi
done
echo "amtool refused $refused files, nsmon reported an error on each; $loaded files loaded by both; ${#known[@]} known difference(s)"
[ "$refused" -ge 20 ] || fail "the corpus shrank: only $refused refused files"
