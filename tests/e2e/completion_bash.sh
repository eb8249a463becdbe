#!/usr/bin/env bash
# The installed bash completion, driven for real: bash sources completions/nsmon.bash (without the
# bash-completion package), COMP_WORDS/COMP_CWORD are set, _nsmon is called, COMPREPLY is checked.
source "$(dirname "$0")/lib.sh"
script="$SRC/completions/nsmon.bash"

# suggest WORD...: the suggestions for the last word (one per line, sorted).
suggest() {
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _nsmon nsmon "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$@" | sort
}
# expect_exactly "A B C" WORD...: the suggestions are exactly these.
expect_exactly() {
  local want got
  want=$(tr ' ' '\n' <<<"$1" | sort)
  shift
  got=$(suggest "$@")
  [ "$got" = "$want" ] || fail "completing '$*': expected [$(echo $want)], got [$(echo $got)]"
}
# expect_offers "A B" WORD...: the suggestions include these.
expect_offers() {
  local want=$1 got w
  shift
  got=$(suggest "$@")
  for w in $want; do grep -qxF -- "$w" <<<"$got" || fail "completing '$*': '$w' not offered; got [$(echo $got)]"; done
}

# Every subcommand that `nsmon --help` lists, and nothing else.
run --help
subs=$(awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}' <<<"$out")
[ -n "$subs" ] || fail "no subcommands in nsmon --help"
expect_exactly "$(echo $subs)" nsmon ""
expect_exactly "catalog" nsmon cat
expect_exactly "list show" nsmon catalog ""
expect_exactly "show" nsmon --catalog my.yml catalog sh # an option's value is skipped
expect_exactly "bash fish zsh" nsmon completion ""

# Options of a subcommand, with the global ones (they may follow the subcommand).
expect_offers "--format --fail-on --config --policy --list-checks --color --catalog --help" nsmon lint-rules --
got=$(suggest nsmon lint-rules --)
! grep -qx -- "--stage" <<<"$got" || fail "lint-rules offers catalog list's --stage"
expect_exactly "--stage" nsmon catalog list --st

# Values of --format, --fail-on, --color: from the CLI's own value sets.
expect_exactly "text json github sarif" nsmon lint-rules --format ""
expect_exactly "sarif" nsmon lint-rules --format s
expect_exactly "github" nsmon lint-rules --format = gi # --format=gi, as bash splits it
expect_exactly "table json" nsmon catalog list --format ""
expect_exactly "error warning info never" nsmon lint-metrics --fail-on ""
expect_exactly "auto always" nsmon catalog list --color a
expect_exactly "auto always never" nsmon --color ""

# Metric names from the catalog after `catalog show`; check ids after --disable.
expect_offers "gpu_memory_allocated_bytes gpu_memory_reserved_bytes" nsmon catalog show gpu_mem
got=$(suggest nsmon catalog show gpu_mem)
! grep -qv '^gpu_mem' <<<"$got" || fail "catalog show gpu_mem offers other names: $got"
expect_offers "inference_time_seconds inference_time_seconds_bucket" nsmon catalog show inference_time
expect_exactly "metrics/type metrics/type-in-name" nsmon lint-metrics --disable metrics/ty

# Files where a file is expected, commands after watch --.
mkdir -p "$TMP/w/sub" && touch "$TMP/w/prometheus.yml" "$TMP/w/policy.yml"
cd "$TMP/w"
expect_exactly "prometheus.yml" nsmon lint-rules --config pro
expect_exactly "policy.yml prometheus.yml sub" nsmon lint-rules ""
expect_offers "bash" nsmon watch -- bas

# Files after every option that names one (issue 39), and metric names inside an expression.
touch am.yml cases.yml
expect_exactly "cases.yml" nsmon routes test --cases ca
expect_exactly "am.yml" nsmon routes test --alertmanager a
expect_exactly "prometheus.yml" nsmon lint-alertmanager --config pr
expect_exactly "policy.yml" nsmon slo generate --out pol
expect_exactly "policy.yml" nsmon slo generate --policy pol
expect_offers "rate(gpu_memory_allocated_bytes rate(gpu_utilization_percent" nsmon query "rate(gpu_"
got=$(suggest nsmon query "rate(gpu_")
! grep -qv '^rate(gpu_' <<<"$got" || fail "query rate(gpu_ offers other names: $got"
