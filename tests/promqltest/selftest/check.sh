#!/usr/bin/env bash
# The runner's self-test: runs promqltest_runner on runner_selftest.test and checks that exactly the
# evals under a "# fail" comment fail, and the one under "# skipped" is skipped.
# Usage: check.sh RUNNER
set -euo pipefail
runner=${1:?usage: check.sh RUNNER}
dir=$(cd "$(dirname "$0")" && pwd)
file=$dir/runner_selftest.test
out=$("$runner" --dir "$dir" || true)
want_fail=$(awk '/^# fail/ { f = 1; next } /^eval/ { if (f) print NR; f = 0 }' "$file" | xargs)
want_skip=$(awk '/^# skipped/ { f = 1; next } /^eval/ { if (f) print NR; f = 0 }' "$file" | xargs)
want_pass=$(awk '/^# pass/ { f = 1; next } /^eval/ { if (f) print NR; f = 0 }' "$file" | wc -l)
got_fail=$(sed -nE 's/^runner_selftest\.test:([0-9]+): FAIL .*/\1/p' <<<"$out" | xargs)
status=0
if [ "$got_fail" != "$want_fail" ]; then
  echo "failed evals: got lines [$got_fail], want [$want_fail]"
  status=1
fi
row="| runner_selftest.test | $(($(wc -w <<<"$want_fail") + $(wc -w <<<"$want_skip") + want_pass)) | $want_pass | $(wc -w <<<"$want_fail") | $(wc -w <<<"$want_skip") |"
if ! grep -qF "$row" <<<"$out"; then
  echo "summary: want a row starting with $row"
  status=1
fi
[ $status = 0 ] || echo "$out"
exit $status
