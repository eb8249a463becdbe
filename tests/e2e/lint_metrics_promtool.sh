#!/usr/bin/env bash
# lint-metrics reports exactly promtool check metrics' naming problems (same metric, same words),
# on stored scrapes and on live ones from real peers: the simulated detector, Debian's
# prometheus-node-exporter and Prometheus's own /metrics. Each live scrape is also checked in
# both formats (OpenMetrics where the peer serves it): nsmon's parser finds no syntax error.
source "$(dirname "$0")/lib.sh"
command -v promtool >/dev/null || { echo "promtool not installed: skipped"; exit 77; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

# same_as_promtool STORE|live FILE...: for each FILE, the (metric, problem) pairs of both tools are
# the same set. promtool's answer is the one stored in STORE (tests/support/peer.py), or, for a
# live scrape, whose text changes from run to run and so cannot be stored, the real promtool's (it
# comes with the prometheus package whose server this test starts).
same_as_promtool() {
  /usr/bin/python3 - "$SRC" "$NSMON" "$@" <<'PY'
import json, os, subprocess, sys
src, nsmon, store, paths = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sys.path.insert(0, os.path.join(src, "tests", "e2e"))
import peer_batch
store = None if store == "live" else peer_batch.peer.Store(os.path.abspath(store))
def promtool(path):
    data = open(path, "rb").read()
    if store is not None:
        return peer_batch.answer(store, ["promtool", "check", "metrics"], data)
    p = subprocess.run(["promtool", "check", "metrics"], input=data, capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()
status = 0
for path in paths:
    _, out, err = promtool(path)
    theirs = set()
    for line in (out + err).splitlines():
        if line.startswith("error while linting"):
            sys.exit(f"promtool cannot parse {path}: {line}")
        name, _, text = line.partition(" ")
        if text:
            theirs.add((name, text))
    out = subprocess.run([nsmon, "lint-metrics", "--no-catalog", "--format", "json", "--input-format", "text", path],
                         capture_output=True, text=True)
    ours = set()
    for f in json.loads(out.stdout)["findings"]:
        if f["check"] == "metrics/syntax":
            sys.exit(f"nsmon cannot parse {path}: {f['line']}:{f['column']}: {f['message']}")
        name, _, text = f["message"].partition(": ")
        ours.add((name, text))
    for x in sorted(theirs - ours): print("  only promtool:", x)
    for x in sorted(ours - theirs): print("  only nsmon:", x)
    print(f"{path}: {len(theirs)} promtool problems, nsmon {'the same' if theirs == ours else 'DIFFERENT'}")
    status |= theirs != ours
sys.exit(status)
PY
}

same_as_promtool "$SRC/tests/e2e/peers/lint_metrics_promtool.json" \
  "$SRC"/tests/golden/metrics/{naming,detector_text}/input.txt "$SRC"/tests/data/expfmt/{node_exporter,prometheus,python_client}.txt ||
  fail "differs from promtool on a stored exposition"

# Live peers on loopback ports. The detector's run is over when its truth file is written; then
# its scrape no longer changes.
start_peer detector metrics /usr/bin/python3 "$SRC/examples/detector/detector.py" --port "{port}" --epochs 1 \
  --images 20 --speed 400 --linger 120 --quiet --truth "$TMP/truth.json"
pids+=("$peer_pid") det_port=$peer_port
start_peer node metrics prometheus-node-exporter --web.listen-address="127.0.0.1:{port}"
pids+=("$peer_pid") node_port=$peer_port
printf 'global: {scrape_interval: 1s}\nscrape_configs: []\n' >"$TMP/prometheus.yml"
start_peer prometheus metrics prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
  --web.listen-address="127.0.0.1:{port}" --log.level=warn
pids+=("$peer_pid") prom_port=$peer_port
for _ in $(seq 1 300); do [ -s "$TMP/truth.json" ] && break; sleep 0.2; done
[ -s "$TMP/truth.json" ] || fail "the detector's run did not end in 60 s: $(tail -5 "$TMP/detector.log")"
# Each port is the peer started on it (not another test's server).
serves() { grep -q "^$2" <<<"$(curl -fsS "http://127.0.0.1:$1/metrics")"; }
serves "$det_port" images_processed_total || fail "no detector on port $det_port"
serves "$node_port" node_exporter_build_info || fail "no node exporter on port $node_port"
serves "$prom_port" prometheus_build_info || fail "no Prometheus on port $prom_port"
urls=("http://127.0.0.1:$det_port/metrics" "http://127.0.0.1:$node_port/metrics" "http://127.0.0.1:$prom_port/metrics")
n=0
for url in "${urls[@]}"; do
  n=$((n + 1))
  curl -fsS "$url" >"$TMP/live$n.txt"
done
same_as_promtool live "$TMP"/live{1,2,3}.txt || fail "differs from promtool on a live scrape (${urls[*]})"
for url in "${urls[@]}"; do
  for fmt in text openmetrics; do
    run lint-metrics "$url" --no-catalog --input-format "$fmt" --format json
    grep -q '"check": "metrics/syntax"' <<<"$out" && fail "$url ($fmt): syntax findings: $out"
    grep -q '"series": [1-9]' <<<"$out" || fail "$url ($fmt): no series: $out"
  done
done
# The detector against the catalog, as the server chooses the format (OpenMetrics): no error.
run lint-metrics "http://127.0.0.1:$det_port/metrics" --fail-on error
expect_rc 0
expect_out "(47 families"
echo "ok: lint-metrics agrees with promtool on $((5 + n)) expositions"
