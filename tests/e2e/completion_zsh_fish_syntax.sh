#!/usr/bin/env bash
# The zsh and fish completion scripts parse (zsh -n, fish -n). Skipped (77) when neither shell is
# installed; bash's is driven for real by completion_bash.sh.
source "$(dirname "$0")/lib.sh"
checked=0
if command -v zsh >/dev/null; then
  zsh -n "$SRC/completions/_nsmon" || fail "zsh -n rejects completions/_nsmon"
  # Its logic, with zsh's completion builtins replaced by functions that print what they are given.
  got=$(zsh -f -c '
    compdef() { }
    _describe() { shift 3; local i; for i in "${(@P)1}"; do print -r -- "${i%%:*}"; done }
    compadd() { [[ $1 == -- ]] && shift; print -l -- "$@" }
    _files() { print -- "<files>" }
    compset() { }
    source "$1"
    try() { words=("$@"); CURRENT=$#words; _nsmon | tr "\n" " "; print }
    try nsmon catalog ""
    try nsmon --catalog x.yml lint-rules --format ""
    try nsmon lint-rules --fail-on=""
    try nsmon lint-rules --config ""
    try nsmon catalog show ""' _ "$SRC/completions/_nsmon")
  expected="list show 
text json github sarif 
error warning info never 
<files> "
  [ "$(head -4 <<<"$got")" = "$expected" ] || fail "zsh completion: got [$got]"
  grep -q "gpu_memory_allocated_bytes" <<<"$(tail -1 <<<"$got")" || fail "zsh: no metric names after catalog show"
  checked=1
fi
if command -v fish >/dev/null; then
  fish -n "$SRC/completions/nsmon.fish" || fail "fish -n rejects completions/nsmon.fish"
  # Loading it defines the completions: fish lists nsmon's subcommands for "nsmon ".
  got=$(fish -c "source $SRC/completions/nsmon.fish; complete -C 'nsmon cat'") || fail "fish cannot load it"
  grep -q '^catalog' <<<"$got" || fail "fish does not complete 'nsmon cat' to catalog: $got"
  got=$(fish -c "source $SRC/completions/nsmon.fish; complete -C 'nsmon lint-rules --format '" | cut -f1 | sort | tr '\n' ' ')
  [ "$got" = "github json sarif text " ] || fail "fish: lint-rules --format values: [$got]"
  got=$(fish -c "source $SRC/completions/nsmon.fish; complete -C 'nsmon catalog list --color a'" | cut -f1 | sort | tr '\n' ' ')
  [ "$got" = "always auto " ] || fail "fish: --color after a subcommand: [$got]"
  checked=1
fi
[ "$checked" = 1 ] || { echo "SKIP: neither zsh nor fish is installed"; exit 77; }
