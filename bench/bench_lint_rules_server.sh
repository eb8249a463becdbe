#!/usr/bin/env bash
# lint-rules --prometheus on N generated rules (default 1,000) against tests/support/history.py's
# Prometheus 2.42 and VictoriaMetrics 1.79 (6 h of the application's metrics): nsmon's wall time
# and requests, side by side with one instant query per selector sent one after another (what a
# linter that asks `count(selector)` for each selector, as pint's promql/series does, costs at
# least), best of 3 runs each; the ratio is printed.
#   bash bench/bench_lint_rules_server.sh build/nsmon [N]
set -euo pipefail
nsmon=$(realpath "${1:?usage: bench_lint_rules_server.sh NSMON [N]}")
n=${2:-1000}
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup lint-server
trap '/usr/bin/python3 tests/support/history.py down "$work/h" || true; bench_cleanup' EXIT
/usr/bin/python3 tests/support/history.py up "$work/h" >"$work/env"
source "$work/env"
# N alerting rules over the catalog's metrics: one selector each, with matchers on their labels;
# one rule in 20 names a value the history never has (a finding to explain).
/usr/bin/python3 - "$n" >"$work/rules.yml" <<'PY'
import re, sys
n = int(sys.argv[1])
# I: a matcher that makes every rule's selector distinct and still matches the history's series
sels = ['cpu_usage_percent{I}', 'memory_available_bytes{I}', 'gpu_memory_allocated_bytes{device_id="0",I}',
        'validation_map{model="yolov8",I}', 'training_loss{model="yolov8",I}',
        'rate(errors_total{error_type="ValueError",I}[5m])', 'rate(images_processed_total{status="success",I}[5m])',
        'rate(predictions_total{model="yolov8",I}[5m])', 'rate(inference_time_seconds_count{use_sahi="true",I}[5m])',
        'histogram_quantile(0.9, sum by (le) (rate(inference_time_seconds_bucket{model="yolov8",I}[5m])))']
print("groups:\n  - name: bench\n    rules:")
for i in range(n):
    s = sels[i % len(sels)].replace("I", f'instance=~"localhost:8000|h{i}"')
    if i % 20 == 19: s = 'rate(images_processed_total{status="failed",stage="s%d"}[5m])' % i
    # a distinct threshold per rule: distinct expressions, distinct cost queries
    print(f"      - alert: Bench{i}\n        expr: {s} > {i}\n        for: 5m\n        labels: {{severity: warning}}\n"
          f"        annotations: {{summary: s, description: d}}")
PY
echo "rules: $n ($(wc -c <"$work/rules.yml") bytes)"
printf '| server | nsmon | wall / CPU | requests (cost queries) | findings | one query per selector, in turn | queries | ratio wall |\n|---|---|---|---|---|---|---|---|\n'
for server in "$PROM_URL" "$VM_URL"; do
for mode in --no-cost default; do
  best=""
  for run in 1 2 3; do
    set +e
    /usr/bin/python3 bench/timed.py "$work/t" "$nsmon" lint-rules --prometheus "$server" "$work/rules.yml" --format json ${mode/default/} \
      >"$work/out.json" 2>"$work/err"
    rc=$?
    set -e
    expect_run "nsmon lint-rules --prometheus" "$rc" "1" '"server_requests"' "$work/out.json"
    t=$(cut -d' ' -f1 "$work/t")
    cpu=$(awk '{printf "%.3f", $2 + $3}' "$work/t")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t best_cpu=$cpu; fi
  done
  read -r requests cost findings < <(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%d (%d)" % (d["summary"]["server_requests"], d["summary"]["server_cost_queries"]), len([f for f in d["findings"] if f["check"].startswith("server/")]))' "$work/out.json")
  [ "$findings" -ge $((n / 20)) ] || { echo "bench: expected at least $((n / 20)) server findings, got $findings" >&2; exit 1; }
  # The baseline: every distinct selector of the rules asked alone, one after another.
  read -r base queries < <(/usr/bin/python3 - "$work/rules.yml" "$server" <<'PY'
import json, re, sys, time, urllib.parse, urllib.request
text = open(sys.argv[1]).read()
sels = sorted(set(re.findall(r'[a-z_]+(?:\{[^}]*\})?(?=\[|\)| >)', "".join(re.findall(r"expr: (.*)", text)))) - {"le", "sum", "rate", "by"})
best = None
for _ in range(3):
    t0 = time.perf_counter()
    for s in sels:
        body = urllib.parse.urlencode({"query": f"count({s})"}).encode()
        d = json.loads(urllib.request.urlopen(f"{sys.argv[2]}/api/v1/query", data=body, timeout=30).read())
        assert d["status"] == "success", d
    t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
print(f"{best:.3f} {len(sels)}")
PY
  )
  ratio=$(awk "BEGIN{printf \"%.1f\", $base / $best}")
  printf '| %s | %s | %.3f / %s s | %s | %s | %s s | %s | %sx |\n' \
    "$( [ "$server" = "$PROM_URL" ] && echo Prometheus 2.42 || echo VictoriaMetrics 1.79)" "$mode" "$best" "$best_cpu" \
    "$requests $cost" "$findings" "$base" "$queries" "$ratio"
done
done
