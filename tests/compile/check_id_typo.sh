#!/usr/bin/env bash
# A check id that is not in core/checks.hpp's table does not compile: the same emit compiles with
# a real id and fails, naming unknown_check_id, with a mistyped one; a finding's check cannot be a
# string known only at run time.
# Usage: check_id_typo.sh CXX SRC_DIR
set -euo pipefail
cxx=$1 src=$2
tmp=$(mktemp -d /tmp/nsmon-checkid.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
emit() {
  printf '#include "nsmon/core/diagnostic.hpp"\nnsmon::core::Diagnostic d() { return nsmon::core::make_diagnostic(%s, {}, "m"); }\n' "$1" >"$tmp/t.cpp"
  "$cxx" -std=c++20 -fsyntax-only -I"$src/src" "$tmp/t.cpp" 2>"$tmp/err"
}
emit '"promql/rate-on-gauge"' || { cat "$tmp/err" >&2; echo "FAIL: a real check id does not compile" >&2; exit 1; }
if emit 'std::string("promql/rate-on-gauge")'; then echo "FAIL: a check id from a run-time string compiles" >&2; exit 1; fi
if emit '"promql/rate-on-gauges"'; then echo "FAIL: a mistyped check id compiles" >&2; exit 1; fi
grep -q "unknown_check_id" "$tmp/err" || { cat "$tmp/err" >&2; echo "FAIL: the error does not name unknown_check_id" >&2; exit 1; }
echo "a mistyped check id fails to compile"
