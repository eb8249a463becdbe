#!/usr/bin/python3
"""Simulated YOLO+SAHI object detector with a Prolog stage and a knowledge graph.

It exposes on /metrics every metric of rules/catalog.yml (built from the catalog, never listed
here), runs a simulated training and then a simulated inference over N images, and can write a
ground-truth JSON file (--truth) to compare with what a scraper or Prometheus computes.
All values come from random.Random(--seed); only the wall-clock sleeps vary. Durations in the
metrics are simulated seconds; the wall time spent is simulated time / --speed.
See README.md next to this file.
"""

import argparse
import json
import math
import os
import random
import re
import signal
import sys
import tempfile
import time

import yaml
from prometheus_client import Counter, Gauge, Histogram, Info, Summary, start_http_server

APP_NAME = "neurosymbolic-object-detection"
APP_VERSION = "1.0.0"
GIB = 1024 ** 3
MIB = 1024 ** 2
HOST_MEMORY = 32 * GIB
EPOCH_CHUNKS = 8           # sleeps (and system gauge updates) per training epoch
MIN_IMAGE_WALL = 0.005     # wall seconds spent per image at least, whatever --speed
SAHI_SHARE = 0.75          # share of images sliced with SAHI (use_sahi="true")
FAILURE_RATE = 0.02
ERROR_STAGES = {"TimeoutError": "inference", "ValueError": "preprocess", "PrologError": "symbolic"}
STAGE_ERRORS = {stage: error_type for error_type, stage in ERROR_STAGES.items()}
RELATIONSHIPS = ["spatial_left", "spatial_right", "above", "below", "near"]
STAGE_MEDIAN = {"preprocess": 0.8, "symbolic": 2.5, "eval": 1.2}   # simulated s per image
# Failure switches (see --help and README.md).
PLATEAU_NOISE = 0.001      # --loss-plateau: the loss stays within +-0.1 % of the plateau epoch's
SPIKE_FACTOR = 10          # --latency-spike: SAHI inference takes 10x longer
DROP_FACTOR = 5            # --throughput-drop: an image takes 5x the wall time
SLOWDOWN_FACTOR = 3        # --training-slowdown: batches and epochs take 3x longer
BURST_SHARE = 0.5          # --error-burst: half the images fail
LEAK_STEP = 40 * MIB       # --gpu-leak: bytes never released per system update
GROWTH_IMAGES = 50         # --graph-growth: the graph grows by the base size every 50 images
TYPES = {"counter": Counter, "gauge": Gauge, "histogram": Histogram, "summary": Summary,
         "info": Info}
DEFAULT_CATALOG = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "..", "..", "rules", "catalog.yml")


def warn(message):
    print(f"detector: warning: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ catalog

class CatalogError(Exception):
    pass


def load_catalog(path):
    """Return the list of metric entries of the catalog, checked enough to build metrics."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except OSError as e:
        raise CatalogError(f"cannot read {path}: {e.strerror}")
    except yaml.YAMLError as e:
        raise CatalogError(f"{path} is not valid YAML: {e}")
    if not isinstance(doc, dict) or not isinstance(doc.get("metrics"), list) or not doc["metrics"]:
        raise CatalogError(f"{path}: no non-empty 'metrics:' list")
    entries, seen = [], set()
    for i, m in enumerate(doc["metrics"]):
        if not isinstance(m, dict) or not isinstance(m.get("name"), str):
            raise CatalogError(f"{path}: metrics[{i}] has no name")
        where = f"{path}: metric {m['name']}"
        if m["name"] in seen:
            raise CatalogError(f"{where} is listed twice")
        seen.add(m["name"])
        if m.get("type") not in TYPES:
            raise CatalogError(f"{where}: type must be one of {', '.join(TYPES)}")
        if not isinstance(m.get("help"), str):
            raise CatalogError(f"{where}: help must be a string")
        if not isinstance(m.get("labels") or {}, dict):
            raise CatalogError(f"{where}: labels must be a mapping")
        buckets = m.get("buckets")
        if m["type"] == "histogram" and not (
                isinstance(buckets, list) and buckets
                and all(isinstance(b, (int, float)) for b in buckets)):
            raise CatalogError(f"{where}: a histogram needs a list of numeric buckets")
        entries.append(m)
    return entries


class CatalogMetric:
    """A prometheus_client metric built from one catalog entry.

    labels() refuses values outside the catalog's fixed `values` sets; info() checks its keys.
    Anything else (inc, set, observe on unlabelled metrics) goes to the prometheus_client object.
    """

    def __init__(self, entry):
        self.name = entry["name"]
        self.spec = {k: (v or {}) for k, v in (entry.get("labels") or {}).items()}
        kind = entry["type"]
        # For an info metric the catalog's labels are the keys of the info dict.
        label_names = () if kind == "info" else tuple(self.spec)
        extra = {"buckets": entry["buckets"]} if kind == "histogram" else {}
        try:
            self.metric = TYPES[kind](self.name, entry["help"], label_names, **extra)
        except ValueError as e:
            raise CatalogError(f"metric {self.name}: {e}")

    def labels(self, **values):
        for key, value in values.items():
            allowed = self.spec.get(key, {}).get("values")
            if allowed is not None and value not in [str(v) for v in allowed]:
                raise ValueError(f"{self.name}: {key}={value!r} is not in the catalog's {allowed}")
        return self.metric.labels(**values)

    def allowed(self, label):
        return [str(v) for v in self.spec[label]["values"]]

    def info(self, values):
        if sorted(values) != sorted(self.spec):
            raise ValueError(f"{self.name}: info keys {sorted(values)} != catalog {sorted(self.spec)}")
        self.metric.info(values)

    def __getattr__(self, attr):
        return getattr(self.metric, attr)


class Missing:
    """Stands in for a metric the simulation uses but the catalog lacks: does nothing."""

    def labels(self, **values):
        return self

    def allowed(self, label):
        return []

    def __getattr__(self, attr):
        return lambda *args, **kwargs: None


class Metrics(dict):
    def __missing__(self, name):
        self[name] = Missing()
        return self[name]


def build_metrics(entries):
    return Metrics((e["name"], CatalogMetric(e)) for e in entries)


def check_coverage(metrics):
    """Warn about catalog metrics this script never touches, and the reverse.

    The simulation always names a metric by a literal key of M, so reading this file tells
    which catalog names it uses.
    """
    with open(os.path.abspath(__file__), encoding="utf-8") as f:
        used = set(re.findall(r'M\["(\w+)"\]', f.read()))
    for name in metrics:
        if name not in used:
            warn(f"catalog metric {name} is not simulated and will have no samples")
    for name in sorted(used - set(metrics)):
        warn(f"metric {name} is not in the catalog; the simulation skips it")


# ------------------------------------------------------------------------------ signals, sleep

class Stop(Exception):
    def __init__(self, code, message, reason):
        super().__init__(message)
        self.code, self.message, self.reason = code, message, reason


pending_signal = []


def on_signal(signum, frame):
    pending_signal.append(signum)


def sleep_wall(seconds):
    """Sleep in small slices; a pending SIGINT/SIGTERM raises Stop here, between two updates."""
    end = time.monotonic() + seconds
    while True:
        if pending_signal:
            if pending_signal[0] == signal.SIGINT:
                raise Stop(130, "interrupted", "interrupted")
            raise Stop(143, "terminated", "terminated")
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.05))


# ------------------------------------------------------------------------------ simulation

class Run:
    def __init__(self, args, metrics):
        self.args = args
        self.M = metrics
        self.rng = random.Random(args.seed)
        # The failure switches draw from their own generator, so that a run with a switch has the
        # same values as the run without it wherever the switch does not act.
        self.faults = random.Random(args.seed * 7919 + 17)
        self.clock = 0.0          # simulated seconds since start (app_uptime_seconds)
        self.completed = False
        self.leaked = 0           # --gpu-leak: bytes held so far
        self.leak_base = None     # --gpu-leak: the first allocation, the leak grows from there
        self.truth = {
            "completed": False, "exit_reason": None, "seed": args.seed, "model": args.model,
            "speed": args.speed, "crash_at": args.crash_at, "started_at": time.time(),
            "finished_at": None, "epochs_planned": args.epochs, "epochs": [],
            "best_loss": None, "best_map": None,
            "batch_seconds": {"train": {"count": 0, "sum": 0.0}, "val": {"count": 0, "sum": 0.0}},
            "images": {"planned": args.images, "processed": 0, "success": 0, "failed": 0},
            "use_sahi": {"true": 0, "false": 0}, "inference_time_seconds": {"true": [], "false": []},
            "detections_total": 0, "detections_before_nms_total": 0, "predictions_total": 0,
            "confidence_observations": 0, "sahi_slices_total": 0,
            "last_image": None, "errors": {k: 0 for k in ERROR_STAGES}, "error_stages": ERROR_STAGES,
            "failed_predictions": 0, "failed_prolog_queries": 0,
            "relationships": {k: 0 for k in RELATIONSHIPS},
            "gauges": {}, "disk": {"read_bytes": 0, "write_bytes": 0}, "app_uptime_seconds": 0.0,
            "faults": {
                "loss_spike": args.loss_spike, "loss_plateau": args.loss_plateau,
                "latency_spike": args.latency_spike, "throughput_drop": args.throughput_drop,
                "training_slowdown": args.training_slowdown,
                "error_burst": None if args.error_burst is None else {
                    "image": args.error_burst[0], "stage": args.error_burst[1],
                    "error_type": STAGE_ERRORS[args.error_burst[1]], "share": BURST_SHARE},
                "gpu_leak": args.gpu_leak, "prolog_failures": args.prolog_failures,
                "graph_growth": args.graph_growth,
            },
            "prolog_queries": 0,
            "gpu_memory_allocated_first": None,
            "timeline": {"epochs": [], "batches": [], "images": []},
        }

    def say(self, line):
        if not self.args.quiet:
            print(line, flush=True)

    def pass_time(self, sim_seconds, min_wall=0.0):
        sleep_wall(max(sim_seconds / self.args.speed, min_wall))
        self.clock += sim_seconds
        self.M["app_uptime_seconds"].set(round(self.clock, 6))

    def crash_if(self, where):
        if self.args.crash_at != where:
            return
        self.write_truth("crash")
        print(f"simulated crash at {where}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        if self.args.crash_mode == "signal":
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(3)

    def write_truth(self, reason):
        if not self.args.truth:
            return
        self.truth.update(completed=self.completed, exit_reason=reason, finished_at=time.time(),
                          app_uptime_seconds=round(self.clock, 6))
        path = os.path.abspath(self.args.truth)
        fd, tmp = tempfile.mkstemp(prefix=".truth-", dir=os.path.dirname(path))
        with os.fdopen(fd, "w") as f:
            json.dump(self.truth, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    def lognormal(self, median, sigma):
        return median * math.exp(self.rng.gauss(0, sigma))

    # ---------------------------------------------------------------- system gauges
    def update_system(self, phase, read_bytes, write_bytes):
        M, r, dev = self.M, self.rng, "0"
        busy = phase == "train"
        alloc = int((r.uniform(6.0, 9.0) if busy else r.uniform(2.0, 3.5)) * GIB)
        if self.args.gpu_leak:   # never released: the first allocation plus all that leaked since
            if self.leak_base is None:
                self.leak_base = alloc
            else:
                self.leaked += LEAK_STEP
            alloc = self.leak_base + self.leaked
        gauges = {
            "gpu_memory_allocated_bytes": alloc,
            "gpu_memory_reserved_bytes": alloc + int(r.uniform(0.5, 2.0) * GIB),
            "gpu_utilization_percent": round(r.uniform(85, 99) if busy else r.uniform(40, 85), 2),
            "cpu_usage_percent": round(r.uniform(35, 70) if busy else r.uniform(20, 50), 2),
            "memory_usage_bytes": int(r.uniform(4, 8) * GIB),
        }
        gauges["memory_available_bytes"] = (HOST_MEMORY - gauges["memory_usage_bytes"]
                                            - int(r.uniform(4, 10) * GIB))
        M["gpu_memory_allocated_bytes"].labels(device_id=dev).set(gauges["gpu_memory_allocated_bytes"])
        M["gpu_memory_reserved_bytes"].labels(device_id=dev).set(gauges["gpu_memory_reserved_bytes"])
        M["gpu_utilization_percent"].labels(device_id=dev).set(gauges["gpu_utilization_percent"])
        M["cpu_usage_percent"].set(gauges["cpu_usage_percent"])
        M["memory_usage_bytes"].set(gauges["memory_usage_bytes"])
        M["memory_available_bytes"].set(gauges["memory_available_bytes"])
        M["disk_read_bytes_total"].inc(read_bytes)
        M["disk_write_bytes_total"].inc(write_bytes)
        self.truth["gauges"] = gauges
        if self.truth["gpu_memory_allocated_first"] is None:
            self.truth["gpu_memory_allocated_first"] = alloc
        self.truth["disk"]["read_bytes"] += read_bytes
        self.truth["disk"]["write_bytes"] += write_bytes

    # ---------------------------------------------------------------- start
    def start(self):
        M, model = self.M, self.args.model
        M["app_info"].info({"app_name": APP_NAME, "version": APP_VERSION, "model": model,
                            "python_version": sys.version.split()[0]})
        M["training_epochs_planned"].labels(model=model).set(self.args.epochs)
        # Give every known label set a sample from the start (counters at 0, empty histograms).
        for status in M["images_processed_total"].allowed("status"):
            M["images_processed_total"].labels(stage="inference", status=status)
        for error_type, stage in ERROR_STAGES.items():
            M["errors_total"].labels(error_type=error_type, stage=stage)
        for kind in RELATIONSHIPS:
            M["relationships_extracted_total"].labels(relationship_type=kind)
        for use_sahi in M["inference_time_seconds"].allowed("use_sahi"):
            M["inference_time_seconds"].labels(model=model, use_sahi=use_sahi)
        M["predictions_total"].labels(model=model, stage="inference")
        self.update_system("train", 0, 0)

    # ---------------------------------------------------------------- training
    def learning_rate(self, epoch):
        """Linear warm-up, then cosine decay from 0.01 to 0.0001."""
        epochs, base = self.args.epochs, 0.01
        warm = max(1, min(3, epochs // 5))
        if epoch <= warm:
            return round(base * epoch / (warm + 1), 8)
        t = (epoch - warm) / max(1, epochs - warm)
        return round(base * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * t))), 8)

    def slowed(self, epoch):
        return self.args.training_slowdown is not None and epoch >= self.args.training_slowdown

    def observe_batches(self, phase, count, median, epoch):
        observed = []
        for _ in range(count):
            seconds = self.lognormal(median, 0.4)
            seconds = round(seconds * SLOWDOWN_FACTOR if self.slowed(epoch) else seconds, 6)
            self.M["batch_processing_seconds"].labels(model=self.args.model, phase=phase).observe(seconds)
            self.truth["batch_seconds"][phase]["count"] += 1
            self.truth["batch_seconds"][phase]["sum"] += seconds
            observed.append(seconds)
        self.truth["timeline"]["batches"].append(
            {"t": round(time.time(), 3), "epoch": epoch, "phase": phase, "seconds": observed})

    def train_epoch(self, epoch):
        M, r, model, epochs = self.M, self.rng, self.args.model, self.args.epochs
        lr = self.learning_rate(epoch)
        M["learning_rate"].labels(model=model).set(lr)
        duration = r.uniform(120, 380)
        duration = round(duration * SLOWDOWN_FACTOR if self.slowed(epoch) else duration, 3)
        for chunk in range(1, EPOCH_CHUNKS + 1):
            if chunk == EPOCH_CHUNKS // 2 + 1:
                self.crash_if(f"epoch:{epoch}")
            self.pass_time(duration / EPOCH_CHUNKS)
            if chunk < EPOCH_CHUNKS:
                self.observe_batches("train", 3, 0.35, epoch)
            else:
                self.observe_batches("val", 4, 0.15, epoch)
            write = int(r.uniform(50, 60) * MIB) if chunk == EPOCH_CHUNKS else 0  # checkpoint
            self.update_system("train", int(r.uniform(40, 160) * MIB), write)
        progress = (epoch - 1) / max(1, epochs - 1)
        loss = round((0.3 + 2.2 * math.exp(-3.5 * progress)) * (1 + r.gauss(0, 0.03)), 4)
        if self.args.loss_spike and epoch >= self.args.loss_spike:  # a diverging run: x10 per epoch
            loss = round(loss * 10 ** (epoch - self.args.loss_spike + 1), 4)
        plateau = self.args.loss_plateau
        if plateau is not None and epoch > plateau:   # stuck: the plateau epoch's loss, +-0.1 %
            base = self.truth["epochs"][plateau - 1]["loss"]
            loss = round(base * (1 + self.faults.uniform(-PLATEAU_NOISE, PLATEAU_NOISE)), 4)
        rise = (1 - math.exp(-3.5 * progress)) / (1 - math.exp(-3.5))
        vmap = round(min(1.0, max(0.0, 0.1 + 0.7 * rise + r.gauss(0, 0.015))), 4)
        M["training_loss"].labels(model=model, epoch=str(epoch)).set(loss)
        M["training_epoch"].labels(model=model).set(epoch)
        M["validation_map"].labels(model=model, iou_threshold="0.5").set(vmap)
        M["map_score"].observe(vmap)
        M["training_duration_seconds"].labels(model=model).observe(duration)
        t = self.truth
        t["epochs"].append({"epoch": epoch, "loss": loss, "map": vmap, "lr": lr,
                            "duration_seconds": duration})
        t["timeline"]["epochs"].append({"t": round(time.time(), 3), "epoch": epoch, "loss": loss})
        t["best_loss"] = loss if t["best_loss"] is None else min(t["best_loss"], loss)
        t["best_map"] = vmap if t["best_map"] is None else max(t["best_map"], vmap)
        self.say(f"epoch {epoch}/{epochs} loss={loss:.4f} mAP={vmap:.4f} lr={lr:.5f}")

    def train(self):
        for epoch in range(1, self.args.epochs + 1):
            self.train_epoch(epoch)

    # ---------------------------------------------------------------- inference
    def stage_seconds(self, stage):
        return round(self.lognormal(STAGE_MEDIAN[stage], 0.5), 6)

    def inference_seconds(self, sahi):
        if self.rng.random() < 0.03:                       # the slow tail
            return round(self.rng.uniform(2.0, 12.0), 6)
        return round(min(1.5, self.lognormal(0.3 if sahi else 0.12, 0.55)), 6)

    def fail_image(self, i, error_type):
        M, t = self.M, self.truth
        stage = ERROR_STAGES[error_type]
        M["images_processed_total"].labels(stage="inference", status="failed").inc()
        M["errors_total"].labels(error_type=error_type, stage=stage).inc()
        M["failed_predictions_total"].inc()
        if error_type == "PrologError":
            M["failed_prolog_queries_total"].inc()
            t["failed_prolog_queries"] += 1
        t["errors"][error_type] += 1
        t["failed_predictions"] += 1
        t["images"]["failed"] += 1
        self.log_image = {"image": i, "status": "failed", "error_type": error_type, "stage": stage}
        return self.stage_seconds("preprocess") + (10.0 if error_type == "TimeoutError" else 0.0)

    def process_image(self, i):
        """Simulate one successful image (the i-th); return its simulated duration."""
        M, r, t, model, a = self.M, self.rng, self.truth, self.args.model, self.args
        sahi = "true" if r.random() < SAHI_SHARE else "false"
        seconds = self.inference_seconds(sahi == "true")
        if sahi == "true" and a.latency_spike is not None and i >= a.latency_spike:
            seconds = round(seconds * SPIKE_FACTOR, 6)
        M["inference_time_seconds"].labels(model=model, use_sahi=sahi).observe(seconds)
        t["inference_time_seconds"][sahi].append(seconds)
        t["use_sahi"][sahi] += 1
        if sahi == "true":
            slices = r.randint(2, 8) * r.randint(2, 8)
            M["sahi_slices_per_image"].observe(slices)
            t["sahi_slices_total"] += slices
        after = 0 if r.random() < 0.02 else min(1200, int(self.lognormal(35, 0.8)))
        before = after + int(after * r.uniform(0.5, 2.0)) + r.randint(0, 10)
        M["detections_per_image"].labels(model=model).observe(after)
        M["predictions_total"].labels(model=model, stage="inference").inc(after)
        for _ in range(min(after, 50)):
            M["confidence_scores"].labels(model=model).observe(round(r.betavariate(5, 2), 6))
        t["confidence_observations"] += min(after, 50)
        # Symbolic stage: NMS, Prolog queries, confidence adjustments.
        M["nms_filtering_seconds"].observe(round(0.0005 + before * r.uniform(2e-5, 1e-4), 6))
        M["detections_before_nms"].labels(image_id="current").set(before)
        M["detections_after_nms"].labels(image_id="current").set(after)
        queries, failed_queries = r.randint(1, 3), 0
        for _ in range(queries):
            M["prolog_query_seconds"].observe(round(self.lognormal(0.004, 1.0), 6))
            if a.prolog_failures is not None and self.faults.random() < a.prolog_failures:
                M["failed_prolog_queries_total"].inc()
                failed_queries += 1
        t["prolog_queries"] += queries
        t["failed_prolog_queries"] += failed_queries
        for _ in range(min(after, 20)):
            delta = round(min(0.6, max(-0.6, r.gauss(0, 0.1))), 6)
            M["confidence_adjustment_delta"].observe(delta)
        # Knowledge graph.
        growth = 1 + (i - 1) / GROWTH_IMAGES if a.graph_growth else 1
        edges = 0
        for kind in RELATIONSHIPS:
            count = round(r.randint(0, after // 2) * growth)
            M["relationships_extracted_total"].labels(relationship_type=kind).inc(count)
            t["relationships"][kind] += count
            edges += count
        nodes = round((after + r.randint(0, 5)) * growth)
        graph = round((0.05 + nodes * 0.004 + edges * 0.001) * r.uniform(0.8, 1.3), 6)
        M["graph_construction_seconds"].observe(graph)
        M["graph_nodes_count"].labels(image_id="current").set(nodes)
        M["graph_edges_count"].labels(image_id="current").set(edges)
        total = seconds + graph
        for stage in M["pipeline_stage_duration_seconds"].allowed("stage"):
            stage_time = self.stage_seconds(stage)
            M["pipeline_stage_duration_seconds"].labels(stage=stage).observe(stage_time)
            total += stage_time
        M["images_processed_total"].labels(stage="inference", status="success").inc()
        t["images"]["success"] += 1
        t["detections_total"] += after
        t["detections_before_nms_total"] += before
        t["predictions_total"] += after
        t["last_image"] = {"detections_before_nms": before, "detections_after_nms": after,
                           "graph_nodes": nodes, "graph_edges": edges}
        self.log_image = {"image": i, "status": "success", "use_sahi": sahi,
                          "inference_seconds": seconds, "detections": after,
                          "prolog_queries": queries, "failed_prolog_queries": failed_queries,
                          "relationships": edges, "graph_nodes": nodes, "graph_edges": edges}
        return total

    def infer(self):
        r, n = self.rng, self.args.images
        failures = max(1, round(n * FAILURE_RATE)) if n >= 10 else 0
        failing = {i: r.choice(sorted(ERROR_STAGES)) for i in r.sample(range(1, n + 1), failures)}
        step = max(1, n // 10)
        burst, drop = self.args.error_burst, self.args.throughput_drop
        for i in range(1, n + 1):
            self.crash_if(f"image:{i}")
            error_type = failing.get(i)
            if burst is not None and i >= burst[0]:
                # Drawn for every image of the burst, so the draws do not depend on `failing`.
                if self.faults.random() < BURST_SHARE and error_type is None:
                    error_type = STAGE_ERRORS[burst[1]]
            if error_type is not None:
                sim_seconds = self.fail_image(i, error_type)
            else:
                sim_seconds = self.process_image(i)
            self.truth["images"]["processed"] += 1
            self.update_system("infer", int(r.uniform(2, 8) * MIB), int(r.uniform(20, 200) * 1024))
            # When this image's metrics were all set (wall clock): a scrape after it sees them.
            self.truth["timeline"]["images"].append(dict(self.log_image, t=round(time.time(), 3)))
            if i % step == 0 or i == n:
                imgs = self.truth["images"]
                self.say(f"image {i}/{n} success={imgs['success']} failed={imgs['failed']} "
                         f"detections={self.truth['detections_total']}")
            if drop is not None and i >= drop:   # starved: each image takes DROP_FACTOR x longer
                self.pass_time(sim_seconds * DROP_FACTOR, MIN_IMAGE_WALL * DROP_FACTOR)
            else:
                self.pass_time(sim_seconds, MIN_IMAGE_WALL)


# ------------------------------------------------------------------------------ main

def crash_point(text):
    m = re.fullmatch(r"(epoch|image):([1-9][0-9]*)", text)
    if not m:
        raise argparse.ArgumentTypeError("expected epoch:K or image:K with K >= 1")
    return text


def positive(text):
    if not re.fullmatch(r"[1-9][0-9]*", text):
        raise argparse.ArgumentTypeError("expected an integer >= 1")
    return int(text)


def burst_point(text):
    m = re.fullmatch(r"([1-9][0-9]*)(?::(\w+))?", text)
    if not m:
        raise argparse.ArgumentTypeError("expected IMAGE or IMAGE:STAGE with IMAGE >= 1")
    stage = m.group(2) or ERROR_STAGES["TimeoutError"]
    if stage not in STAGE_ERRORS:
        raise argparse.ArgumentTypeError(f"STAGE must be one of {', '.join(STAGE_ERRORS)}")
    return int(m.group(1)), stage


def ratio(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("expected a number from 0 to 1")
    return value


def parse_args():
    p = argparse.ArgumentParser(
        description="Simulated YOLO+SAHI detector (training, then inference with a Prolog stage "
                    "and a knowledge graph) exposing the metrics of rules/catalog.yml on /metrics.",
        epilog="Exit status: 0 done, 2 bad option/catalog/port in use, 3 simulated crash, "
               "130 SIGINT, 143 SIGTERM.")
    p.add_argument("--port", type=int, default=8000, help="HTTP port of /metrics (default 8000)")
    p.add_argument("--addr", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    p.add_argument("--epochs", type=int, default=10, help="training epochs (default 10)")
    p.add_argument("--images", type=int, default=200, help="images to run inference on (default 200)")
    p.add_argument("--speed", type=float, default=100.0,
                   help="time scale: wall seconds = simulated seconds / SPEED (default 100, "
                        "a default run takes about 35 s)")
    p.add_argument("--seed", type=int, default=1, help="random seed, all values depend on it (default 1)")
    p.add_argument("--model", default="yolov11m-obb", help="model label value (default yolov11m-obb)")
    p.add_argument("--catalog", metavar="FILE", default=DEFAULT_CATALOG,
                   help="metric catalog (default ../../rules/catalog.yml next to this script)")
    p.add_argument("--truth", metavar="FILE", help="write the ground truth JSON here (atomically)")
    p.add_argument("--crash-at", metavar="WHEN", type=crash_point,
                   help="die mid-run: epoch:K (half-way through epoch K) or image:K "
                        "(on reaching image K, K-1 images done)")
    faults = p.add_argument_group(
        "failure switches", "each is recorded under \"faults\" in the --truth file; the values it "
        "does not touch stay those of the same run without it")
    faults.add_argument("--loss-spike", type=int, metavar="EPOCH",
                        help="the training diverges from epoch EPOCH on: the loss x10 per epoch (an alert to fire)")
    faults.add_argument("--loss-plateau", type=positive, metavar="EPOCH",
                        help="the loss stops improving after epoch EPOCH: later epochs keep its loss "
                             f"within +-{PLATEAU_NOISE * 100:g} %%")
    faults.add_argument("--training-slowdown", type=positive, metavar="EPOCH",
                        help=f"from epoch EPOCH on, batches and epochs take {SLOWDOWN_FACTOR}x longer "
                             "(simulated and wall time)")
    faults.add_argument("--latency-spike", type=positive, metavar="IMAGE",
                        help=f"from image IMAGE on, inference with SAHI takes {SPIKE_FACTOR}x longer "
                             "(images without SAHI unchanged)")
    faults.add_argument("--throughput-drop", type=positive, metavar="IMAGE",
                        help=f"from image IMAGE on, each image takes {DROP_FACTOR}x the wall time (the "
                             "input starves: images per second drop, latencies unchanged)")
    faults.add_argument("--error-burst", type=burst_point, metavar="IMAGE[:STAGE]",
                        help=f"from image IMAGE on, {BURST_SHARE * 100:g} %% of the images fail in STAGE with "
                             "its error type (inference: TimeoutError (default), preprocess: "
                             "ValueError, symbolic: PrologError)")
    faults.add_argument("--gpu-leak", action="store_true",
                        help=f"GPU memory is never released: allocated grows by {LEAK_STEP // MIB} MiB "
                             "per system update from the first value, reserved follows")
    faults.add_argument("--prolog-failures", type=ratio, metavar="RATIO",
                        help="that share of the Prolog queries fails (failed_prolog_queries_total; "
                             "prolog_query_seconds counts every query)")
    faults.add_argument("--graph-growth", action="store_true",
                        help="the knowledge graph of image i has 1 + (i-1)/"
                             f"{GROWTH_IMAGES} times the nodes and relationships")
    p.add_argument("--crash-mode", choices=["exit", "signal"], default="exit",
                   help="exit: exit status 3 after 'simulated crash' on stderr; "
                        "signal: kill itself with SIGKILL (default exit)")
    p.add_argument("--linger", type=float, default=1.0, metavar="SECONDS",
                   help="keep serving /metrics this long after the run, so that a watcher's last "
                        "scrape sees the final figures (default 1)")
    p.add_argument("--startup-delay", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long before the HTTP endpoint comes up (default 0)")
    p.add_argument("--ignore-signals", action="store_true", help="ignore SIGINT and SIGTERM")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stdout")
    args = p.parse_args()
    if args.epochs < 0 or args.images < 0:
        p.error("--epochs and --images must be >= 0")
    if args.speed <= 0:
        p.error("--speed must be > 0")
    if args.linger < 0 or args.startup_delay < 0:
        p.error("--linger and --startup-delay must be >= 0")
    if args.truth and not os.path.isdir(os.path.dirname(os.path.abspath(args.truth))):
        p.error(f"--truth {args.truth}: the directory does not exist")
    if args.crash_at:
        kind, k = args.crash_at.split(":")
        if int(k) > (args.epochs if kind == "epoch" else args.images):
            p.error(f"--crash-at {args.crash_at} is beyond the run")
    for option, value, bound in [
            ("--loss-plateau", args.loss_plateau, "--epochs"),
            ("--training-slowdown", args.training_slowdown, "--epochs"),
            ("--latency-spike", args.latency_spike, "--images"),
            ("--throughput-drop", args.throughput_drop, "--images"),
            ("--error-burst", args.error_burst and args.error_burst[0], "--images")]:
        last = args.epochs if bound == "--epochs" else args.images
        if value is not None and value > last:
            p.error(f"{option} {value} is beyond the run ({bound} {last})")
    return args


def main():
    args = parse_args()
    try:
        metrics = build_metrics(load_catalog(args.catalog))
    except CatalogError as e:
        print(f"detector: bad catalog: {e}", file=sys.stderr)
        return 2
    check_coverage(metrics)
    handler = signal.SIG_IGN if args.ignore_signals else on_signal
    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    run = Run(args, metrics)
    try:
        sleep_wall(args.startup_delay)
        try:
            start_http_server(args.port, addr=args.addr)
        except OSError as e:
            print(f"detector: cannot listen on {args.addr}:{args.port}: {e.strerror or e}",
                  file=sys.stderr)
            return 2
        run.say(f"serving http://{args.addr}:{args.port}/metrics")
        run.start()
        run.train()
        run.infer()
        run.completed = True
        run.write_truth("completed")
        run.say("done")
        sleep_wall(args.linger)
    except Stop as stop:
        print(stop.message, file=sys.stderr, flush=True)
        if not run.completed:
            run.write_truth(stop.reason)
        return stop.code
    return 0


if __name__ == "__main__":
    code = main()
    # Leave without the interpreter's teardown: the metrics server is a daemon thread that goes on
    # answering while modules are torn down, and a scrape in that moment reads a half-emptied
    # registry as a complete page. Exiting at once closes its socket instead (a refused or cut
    # scrape, which a scraper can tell from data).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
