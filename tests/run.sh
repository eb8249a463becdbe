#!/usr/bin/env bash
# Quick start (b): set up (packages, build) and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/bootstrap.sh
ctest --test-dir build --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" "$@"
