#!/usr/bin/env bash
# Rewrites the checked-in completion scripts from the binary's own command-line definition.
# Usage: completions/update.sh [NSMON]   (or: cmake --build build --target update-completions)
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
nsmon=${1:-$dir/../build/nsmon}
for shell in bash zsh fish; do
  case $shell in bash) file=nsmon.bash ;; zsh) file=_nsmon ;; fish) file=nsmon.fish ;; esac
  "$nsmon" completion "$shell" >"$dir/$file.tmp"
  mv "$dir/$file.tmp" "$dir/$file"
done
echo "completions: wrote $dir/nsmon.bash, $dir/_nsmon and $dir/nsmon.fish"
