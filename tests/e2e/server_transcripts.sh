#!/usr/bin/env bash
# The transcripts of the server/* checks' pages, re-run against a real Prometheus 2.42 loaded with
# tests/support/history.py's history (server_transcripts.py says how they are compared).
source "$(dirname "$0")/lib.sh"
for tool in prometheus promtool; do
  command -v $tool >/dev/null || { echo "$tool not installed: skipped"; exit 77; }
done
trap '/usr/bin/python3 "$SRC/tests/support/history.py" down "$TMP/h" || true; rm -rf "$TMP"' EXIT
/usr/bin/python3 "$SRC/tests/support/history.py" up "$TMP/h" --no-victoria >"$TMP/env" || fail "the fixture did not start"
source "$TMP/env"
/usr/bin/python3 "$SRC/tests/e2e/server_transcripts.py" "$NSMON" "$PROM_URL"
