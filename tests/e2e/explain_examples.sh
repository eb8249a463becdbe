#!/usr/bin/env bash
# Every check has a page (docs/checks/) whose bad example reports it and whose good example does not:
# explain_examples.py runs them all on the binary's embedded pages.
source "$(dirname "$0")/lib.sh"
/usr/bin/python3 "$SRC/tests/e2e/explain_examples.py" "$NSMON"
