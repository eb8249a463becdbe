#!/usr/bin/env bash
# Cross-check of the exposition corpus: promtool (Prometheus's own client_golang parser) accepts
# every text-format file that nsmon's parser accepts (lint findings are fine, parse errors not).
set -euo pipefail
dir=$(cd "$(dirname "$0")/../data/expfmt" && pwd)
if ! command -v promtool >/dev/null; then
  echo "promtool not installed: skipped"
  exit 77
fi
n=0
for f in "$dir"/*.txt; do
  case "$f" in *.om.txt) continue ;; esac
  if promtool check metrics <"$f" 2>&1 | grep -q 'error while linting'; then
    echo "FAIL: promtool cannot parse $f"
    exit 1
  fi
  n=$((n + 1))
done
echo "promtool parsed $n corpus files"
