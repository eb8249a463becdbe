#!/usr/bin/env bash
# The checked-in completion scripts are exactly what the binary generates from its own CLI
# definition: a new subcommand or option makes this fail until completions/ is regenerated.
source "$(dirname "$0")/lib.sh"
for pair in "bash nsmon.bash" "zsh _nsmon" "fish nsmon.fish"; do
  read -r shell file <<<"$pair"
  run completion "$shell"
  expect_rc 0
  if ! diff -u "$SRC/completions/$file" "$TMP/out" >"$TMP/diff"; then
    head -40 "$TMP/diff" >&2
    fail "completions/$file differs from 'nsmon completion $shell'; regenerate with" \
      "'cmake --build build --target update-completions' (or completions/update.sh build/nsmon) and commit"
  fi
done
run completion tcsh
expect_rc 2
