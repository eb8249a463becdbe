#!/usr/bin/env bash
# Hostile expositions (binary junk, NUL bytes, a 50 MB line, a million labels, deep escapes,
# a truncated scrape, an empty file) give findings and exit 0 or 1 — never a crash or a hang.
source "$(dirname "$0")/lib.sh"
no_crash() { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "$1: exit $rc (expected 0 or 1); stderr: ${err:0:300}"; }

head -c 300000 /dev/urandom >"$TMP/junk.txt"
run lint-metrics "$TMP/junk.txt"
no_crash "binary junk"
run lint-metrics "$TMP/junk.txt" --input-format openmetrics
no_crash "binary junk as OpenMetrics"

printf '# TYPE a gauge\na{x="\0"} 1\nb\0 2\n# EOF\n' >"$TMP/nul.txt"
run lint-metrics "$TMP/nul.txt"
no_crash "NUL bytes"

/usr/bin/python3 - "$TMP" <<'PY'
import sys
d = sys.argv[1]
open(d + "/long.txt", "w").write('x{a="' + "y" * (50 * 1024 * 1024) + '"} 1\n')
open(d + "/labels.txt", "w").write("x{" + ",".join('l%d="v"' % i for i in range(1000000)) + "} 1\n")
open(d + "/escapes.txt", "w").write('x{a="' + "\\\\" * 2000000 + '\\"} 1\n# HELP y ' + "\\n" * 100000 + "\n")
open(d + "/families.txt", "w").write("".join("# TYPE f%d counter\nf%d 1\n" % (i, i) for i in range(20000)))
PY
for f in long labels escapes families; do
  run lint-metrics "$TMP/$f.txt" --format json
  no_crash "$f"
done

head -c 5000 "$SRC/tests/golden/metrics/detector_openmetrics/input.txt" >"$TMP/truncated.txt"
run lint-metrics "$TMP/truncated.txt" --input-format openmetrics
no_crash "truncated"
expect_out "missing # EOF"
: >"$TMP/empty.txt"
run lint-metrics "$TMP/empty.txt" --no-catalog
expect_rc 0
echo ok
