#!/usr/bin/env bash
# Quick start (b): set up (packages, build) and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/bootstrap.sh
# The dev preset builds into build/, the others into build/<preset> (CMakePresets.json).
preset=${NSMON_PRESET:-dev}
dir=build
[ "$preset" = dev ] || dir=build/$preset
# Twice as many tests as cores: most e2e tests wait on live peers; the tests that keep two cores
# busy count twice (PROCESSORS in tests/CMakeLists.txt).
ctest --test-dir "$dir" --output-on-failure -j"$((2 * $(nproc 2>/dev/null || echo 2)))" "$@"
