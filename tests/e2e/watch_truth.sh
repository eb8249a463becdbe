#!/usr/bin/env bash
# nsmon watch on the simulated detector: the jsonl figures, the plain lines and the summary match
# the ground truth the detector writes (--truth), including the latency quantiles, recomputed here
# from every observation with Prometheus's histogram_quantile algorithm.
source "$(dirname "$0")/lib.sh"
det=(/usr/bin/python3 "$SRC/examples/detector/detector.py" --epochs 4 --images 60 --speed 200 --seed 7 --linger 2)

port=$(free_port)
set +e
"$NSMON" watch --format jsonl --interval 0.3 --metrics-url "http://127.0.0.1:$port/metrics" -- \
  "${det[@]}" --port "$port" --truth "$TMP/truth.json" >"$TMP/out.jsonl" 2>"$TMP/err"
rc=$?
set -e
err=$(cat "$TMP/err")
expect_rc 0
expect_err "[detector.py] done"

/usr/bin/python3 - "$TMP/truth.json" "$TMP/out.jsonl" <<'PY'
import json, math, sys
truth = json.load(open(sys.argv[1]))
records = [json.loads(l) for l in open(sys.argv[2])]
stats = [r for r in records if r["type"] == "stats"]
summary = records[-1]
assert summary["type"] == "summary", summary
assert all(r["type"] == "stats" for r in records[:-1])
last = [r for r in stats if r["scrape"]["state"] == "ok"][-1]
t, i, e = last["training"], last["inference"], truth["epochs"]
problems = []
def same(what, ours, want, rel=1e-9):
    ok = (ours is None and want is None) or (ours is not None and want is not None and
          math.isclose(float(ours), float(want), rel_tol=rel, abs_tol=1e-12))
    if not ok: problems.append(f"{what}: nsmon {ours!r}, truth {want!r}")

assert truth["completed"], truth["exit_reason"]
same("epoch", t["epoch"], len(e)); same("epochs planned", t["epochs_planned"], truth["epochs_planned"])
if t["loss_history"] != [x["loss"] for x in e]: problems.append(f"loss history {t['loss_history']}")
same("loss", t["loss"], e[-1]["loss"]); same("best loss", t["best_loss"], truth["best_loss"])
same("mAP", t["map"], e[-1]["map"]); same("best mAP", t["best_map"], truth["best_map"])
same("learning rate", t["learning_rate"], e[-1]["lr"])
same("mean epoch seconds", t["epoch_seconds"], sum(x["duration_seconds"] for x in e) / len(e))
img = truth["images"]
same("images", i["images"], img["processed"]); same("success", i["success"], img["success"])
same("failed", i["failed"], img["failed"]); same("success rate", i["success_rate"], img["success"] / img["processed"])
same("detections", i["detections"], truth["detections_total"])
same("detections per image", i["detections_per_image"], truth["detections_total"] / img["success"])
errors = {k: v for k, v in truth["errors"].items() if v > 0}
if {k: int(v) for k, v in last["errors"]["by_type"].items()} != errors: problems.append(f"errors {last['errors']}")
same("errors total", last["errors"]["total"], sum(truth["errors"].values()))
same("failed prolog queries", last["errors"]["failed_prolog_queries"], truth["failed_prolog_queries"])
g = truth["gauges"]
for ours, key in [("cpu_percent", "cpu_usage_percent"), ("memory_used_bytes", "memory_usage_bytes"),
                  ("memory_available_bytes", "memory_available_bytes"), ("gpu_utilization_percent", "gpu_utilization_percent"),
                  ("gpu_memory_allocated_bytes", "gpu_memory_allocated_bytes"), ("gpu_memory_reserved_bytes", "gpu_memory_reserved_bytes")]:
    same(ours, last["system"][ours], g[key])
li = truth["last_image"]
same("detections before NMS", last["symbolic"]["detections_before_nms"], li["detections_before_nms"])
same("detections after NMS", last["symbolic"]["detections_after_nms"], li["detections_after_nms"])
same("graph nodes", last["knowledge_graph"]["nodes"], li["graph_nodes"])
same("graph edges", last["knowledge_graph"]["edges"], li["graph_edges"])
same("uptime", last["uptime_seconds"], truth["app_uptime_seconds"])

# Latency since start: histogram_quantile over every observation, bucketed as the catalog says.
bounds = [0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, math.inf]
obs = truth["inference_time_seconds"]["true"] + truth["inference_time_seconds"]["false"]
counts = [sum(1 for o in obs if o <= b) for b in bounds]
def bucket_quantile(q):  # Prometheus 2.42 promql/quantile.go
    rank = q * counts[-1]
    b = next(k for k in range(len(bounds) - 1) if counts[k] >= rank) if counts[-2] >= rank else len(bounds) - 1
    if b == len(bounds) - 1: return bounds[-2], True
    start, count = (0.0, counts[0]) if b == 0 else (bounds[b - 1], counts[b] - counts[b - 1])
    r = rank - (0 if b == 0 else counts[b - 1])
    return start + (bounds[b] - start) * (r / count), False
lat = i["latency_total"]
same("observations", lat["observations"], len(obs))
for q, key in [(0.5, "p50"), (0.95, "p95"), (0.99, "p99")]:
    want, capped = bucket_quantile(q)
    same(key, lat[key], want, rel=1e-12)
    if lat[key + "_capped"] != capped: problems.append(f"{key} capped: nsmon {lat[key + '_capped']}, truth {capped}")

s = summary
if s["exit_code"] != 0 or s["never_served"] or s["result"] != 0: problems.append(f"summary {s}")
same("summary images", s["inference"]["images"], img["processed"])
same("summary best loss", s["training"]["best_loss"], truth["best_loss"])
same("summary p95", s["inference"]["p95_seconds"], bucket_quantile(0.95)[0], rel=1e-12)
if stats[0]["scrape"]["state"] not in ("waiting", "ok"): problems.append(f"first record {stats[0]['scrape']}")
if problems: sys.exit("\n".join(["jsonl differs from the truth:"] + problems))
print(f"jsonl matches the truth: {len(stats)} records, {len(e)} epochs, {img['processed']} images, p95 {lat['p95']}")
PY

# The same run in plain lines: the last stats line and the summary say what the truth says.
port=$(free_port)
set +e
"$NSMON" watch --format plain --interval 0.3 --metrics-url "http://127.0.0.1:$port/metrics" -- \
  "${det[@]}" --port "$port" >"$TMP/plain.txt" 2>"$TMP/err"
rc=$?
set -e
err=$(cat "$TMP/err")
expect_rc 0
grep -q $'\033' "$TMP/plain.txt" && fail "escape codes in plain output"
/usr/bin/python3 - "$TMP/truth.json" "$TMP/plain.txt" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
lines = [l for l in text.splitlines() if l.startswith("[") and "] epoch" in l]
last, e, img = lines[-1], truth["epochs"], truth["images"]
want = [f"epoch {len(e)}/{truth['epochs_planned']}", f"loss {e[-1]['loss']:.4f}", f"mAP {e[-1]['map']:.4f}",
        f"images {img['processed']} ", f"ok {100 * img['success'] / img['processed']:.1f}%",
        f"det {truth['detections_total']:,} "]
missing = [w for w in want if w not in last]
summary = text[text.index("nsmon watch: "):]
want_summary = [f"{len(e)}/{truth['epochs_planned']} epochs", f"final loss {e[-1]['loss']:.4f} (best {truth['best_loss']:.4f})",
                f"{img['processed']} images ({img['success']} ok, {img['failed']} failed", f"{truth['detections_total']:,} detections",
                "exited with status 0"]
missing += [w for w in want_summary if w not in summary]
if "[detector.py] epoch 1/4" not in text: missing.append("the detector's own lines with their prefix")
if missing: sys.exit(f"plain output lacks {missing}:\n{last}\n{summary}")
print("plain lines match the truth:", last)
PY
