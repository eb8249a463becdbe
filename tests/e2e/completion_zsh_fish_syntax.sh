#!/usr/bin/env bash
# The zsh and fish completion scripts parse (zsh -n, fish -n). Skipped (77) when neither shell is
# installed; bash's is driven for real by completion_bash.sh.
source "$(dirname "$0")/lib.sh"
checked=0
if command -v zsh >/dev/null; then
  zsh -n "$SRC/completions/_nsmon" || fail "zsh -n rejects completions/_nsmon"
  checked=1
fi
if command -v fish >/dev/null; then
  fish -n "$SRC/completions/nsmon.fish" || fail "fish -n rejects completions/nsmon.fish"
  # Loading it defines the completions: fish lists nsmon's subcommands for "nsmon ".
  got=$(fish -c "source $SRC/completions/nsmon.fish; complete -C 'nsmon cat'") || fail "fish cannot load it"
  grep -q '^catalog' <<<"$got" || fail "fish does not complete 'nsmon cat' to catalog: $got"
  checked=1
fi
[ "$checked" = 1 ] || { echo "SKIP: neither zsh nor fish is installed"; exit 77; }
