#!/usr/bin/env bash
# CI's guard: the committed dashboards/ is exactly what templates/ gives (gen-dashboards --check).
source "$(dirname "$0")/lib.sh"
cd "$SRC"
run gen-dashboards --check
expect_rc 0
expect_out "dashboards is up to date (6 dashboards from templates)"
