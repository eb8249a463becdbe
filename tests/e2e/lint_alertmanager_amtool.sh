#!/usr/bin/env bash
# Differential against Debian's amtool check-config (package prometheus-alertmanager): every file
# amtool refuses, lint-alertmanager reports with an error; every file amtool loads, it reports
# without one, except the known differences below. nsmon's default target is amtool's version,
# 0.25. Corpus: tests/data/alertmanager/ (with Alertmanager's config/testdata in upstream/), the
# public configs of tests/data/alertmanager-public/ and the seeds. amtool's answers are stored
# beside each corpus, in its amtool-answers.json (tests/support/peer.py).
source "$(dirname "$0")/lib.sh"

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

# Each corpus's answers from its store, in one process each; nsmon's runs (one file each) on every
# core, the newer files also for the newest version.
files=() amtool=() # amtool[i]: where the answer about files[i] is, $TMP/amtool-CORPUS/N
for corpus in alertmanager alertmanager-public seed; do
  case $corpus in
    alertmanager) these=("$SRC"/tests/data/alertmanager/*.yml "$SRC"/tests/data/alertmanager/upstream/*.yml) ;;
    alertmanager-public) these=("$SRC"/tests/data/alertmanager-public/*.yml) ;;
    seed) these=("$SRC"/tests/data/seed/alertmanager*.yml) ;;
  esac
  for n in "${!these[@]}"; do files+=("${these[n]}") amtool+=("$TMP/amtool-$corpus/$((n + 1))"); done
  for f in "${these[@]}"; do printf '\t\tamtool\tcheck-config\t%s\n' "$f"; done |
    /usr/bin/python3 "$SRC/tests/e2e/peer_batch.py" --store "$SRC/tests/data/$corpus/amtool-answers.json" "$TMP/amtool-$corpus"
done
/usr/bin/python3 "$SRC/tests/e2e/run_each.py" "$TMP/nsmon" "$NSMON" lint-alertmanager --fail-on error -- "${files[@]}"
/usr/bin/python3 "$SRC/tests/e2e/run_each.py" "$TMP/latest" "$NSMON" lint-alertmanager --alertmanager-version latest \
  --fail-on error -- "${newer[@]/#/$SRC/tests/data/alertmanager/upstream/}"

declare -A nsmon_of # a file's number in nsmon's runs
for n in "${!files[@]}"; do nsmon_of[${files[n]}]=$((n + 1)); done
n=0
for name in "${newer[@]}"; do
  n=$((n + 1))
  i=${nsmon_of[$SRC/tests/data/alertmanager/upstream/$name]-}
  [ -n "$i" ] || fail "$name: not in tests/data/alertmanager/upstream"
  [ "$(<"$TMP/nsmon/$i.rc")" -ne 0 ] || fail "$name: loads for 0.25"
  cat "$TMP/nsmon/$i".{out,err} | grep -q 'alertmanager/newer-field' || fail "$name: no newer-field finding: $(cat "$TMP/nsmon/$i".{out,err})"
  [ "$(<"$TMP/latest/$n.rc")" -eq 0 ] || fail "$name: refused for the newest version: $(cat "$TMP/latest/$n".{out,err})"
done
refused=0 loaded=0 same=0
for n in "${!files[@]}"; do
  i=$((n + 1))
  name=$(basename "${files[n]}")
  am=$(<"${amtool[n]}.rc")
  [ "$am" -eq 0 ] || am=1
  ns=$(<"$TMP/nsmon/$i.rc")
  [ "$ns" -le 1 ] || fail "$name: nsmon exited $ns: $(cat "$TMP/nsmon/$i".{out,err})"
  if [ -n "${known[$name]-}" ]; then
    [ "$ns" -ne "$am" ] || fail "$name: listed as a known difference, but nsmon and amtool agree (exit $ns)"
    continue
  fi
  same=$((same + 1))
  if [ "$am" -eq 1 ]; then
    refused=$((refused + 1))
    [ "$ns" -eq 1 ] || fail "$name: amtool refuses it ($(cat "${amtool[n]}".{out,err} | grep -o 'FAILED.*')), nsmon reports no error"
  else
    loaded=$((loaded + 1))
    [ "$ns" -eq 0 ] || fail "$name: amtool loads it, nsmon reports an error: $(cat "$TMP/nsmon/$i".{out,err})"
  fi
done
echo "same verdict as amtool 0.25 on $same files ($refused refused by both, $loaded loaded by both);" \
  "${#known[@]} known difference(s)"
[ "$refused" -ge 45 ] || fail "the corpus shrank: only $refused refused files"
