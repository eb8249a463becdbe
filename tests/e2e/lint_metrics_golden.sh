#!/usr/bin/env bash
# lint-metrics golden cases (tests/golden/metrics/*): the detector's own scrapes in both formats,
# planted bugs of every catalog check, and promtool's naming rules.
source "$(dirname "$0")/lib.sh"
bash "$SRC/tests/golden/run_metrics.sh"
