#!/usr/bin/python3
"""The scenario library: the detector's series, shaped as rules/catalog.yml says, in named
situations that the dashboards must show truly (issue 57).

  scenarios.py list                         one line per scenario: NAME  what it is
  scenarios.py series NAME                  its series in promtool's notation (input_series YAML)
  scenarios.py openmetrics NAME START       its samples as OpenMetrics with timestamps from START
                                            (Unix seconds), for `promtool tsdb create-blocks-from`
  scenarios.py tests OUT_DIR                one test-rules file per scenario that has panel tests
                                            (tests/scenarios/panels.yml), into OUT_DIR
  scenarios.py matrix                       the Markdown matrix panel x scenario -> what it shows

Each scenario is a function that fills a Run: one sample per step (`step` minutes, which is the
scrape interval) for each series, None where the series is absent. Histograms take their bucket
bounds from the catalog, so that a change of the catalog's buckets changes every scenario.
Panel tests (tests/scenarios/panels.yml) name the scenario they read; `tests` writes them out
as test-rules files whose input_series are the scenario's.
"""

import itertools
import math
import os
import random
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
APP = "neurosymbolic-app"


def catalog_buckets():
    with open(os.path.join(ROOT, "rules", "catalog.yml"), encoding="utf-8") as f:
        return {m["name"]: m["buckets"] for m in yaml.safe_load(f)["metrics"] if "buckets" in m}


BUCKETS = catalog_buckets()


class Run:
    """The series of one scenario: `minutes` long, a sample every `step` minutes."""

    def __init__(self, minutes, step=1):
        self.steps = minutes // step + 1
        self.step = step
        self.series = {}   # (name, sorted label items) -> [value or None] per step

    def times(self):
        return [i * self.step for i in range(self.steps)]

    def _get(self, name, labels):
        key = (name, tuple(sorted(labels.items())))
        return self.series.setdefault(key, [None] * self.steps)

    def gauge(self, name, labels, value_at):
        """value_at(minute) -> value or None (absent)."""
        values = self._get(name, labels)
        for i, t in enumerate(self.times()):
            values[i] = value_at(t)

    def counter(self, name, labels, rate_at, up=lambda t: True):
        """A counter that grows by rate_at(minute) per minute, from 0; rate_at may return
        "reset" (the process restarted: the counter starts again from 0)."""
        values = self._get(name, labels)
        total = 0.0
        for i, t in enumerate(self.times()):
            r = rate_at(t)
            if r == "reset":
                total = 0.0
            elif i > 0:
                total += r * self.step
            values[i] = round(total, 6) if up(t) else None

    def histogram(self, name, labels, per_minute, observe, up=lambda t: True, reset=lambda t: False,
                  with_sum=True):
        """A histogram with the catalog's buckets: per_minute(t) observations a minute, each
        drawn by observe(t, rng); _bucket, _count and (with_sum) _sum series."""
        bounds = BUCKETS[name] + [math.inf]
        rng = random.Random(f"{name}{sorted(labels.items())}")
        counts = [0] * len(bounds)
        total = count = 0.0
        series = {b: self._get(f"{name}_bucket", {**labels, "le": le_text(b)}) for b in bounds}
        s_count = self._get(f"{name}_count", labels)
        s_sum = self._get(f"{name}_sum", labels) if with_sum else [None] * self.steps
        for i, t in enumerate(self.times()):
            if reset(t):
                counts, total, count = [0] * len(bounds), 0.0, 0
            elif i > 0:
                for _ in range(round(per_minute(t) * self.step)):
                    v = observe(t, rng)
                    for j, b in enumerate(bounds):
                        if v <= b:
                            counts[j] += 1
                    total += v
                    count += 1
            present = up(t)
            for j, b in enumerate(bounds):
                series[b][i] = counts[j] if present else None
            s_count[i] = count if present else None
            s_sum[i] = round(total, 6) if present else None


def le_text(b):
    return "+Inf" if b == math.inf else repr(float(b))


# ------------------------------------------------------------------------------ the app's parts
#
# Each helper adds one part of the detector's exposition for one instance; a scenario composes
# them with its own rates, times and faults. `up(t)` says whether the target answers at minute t
# (its series are absent when it does not).

def targets(run, app_instances, app_up=lambda inst, t: True):
    """up of every target of rules/prometheus.yml: the app's instances, Prometheus itself and
    node-exporter (which stay up)."""
    for inst in app_instances:
        run.gauge("up", {"job": APP, "instance": inst}, lambda t, inst=inst: 1 if app_up(inst, t) else 0)
    run.gauge("up", {"job": "prometheus", "instance": "localhost:9090"}, lambda t: 1)
    run.gauge("up", {"job": "node-exporter", "instance": "localhost:9100"}, lambda t: 1)


def inference(run, inst, model="yolo", images=lambda t: 60, failed=0.002, latency=None, up=lambda t: True,
              reset=lambda t: False, errors=lambda t: 0, error_stage="inference", stages=True):
    """Images processed, their latency (seconds, drawn by latency(t, rng)), errors and (with
    `stages`) detections, SAHI slices and pipeline stages; `images(t)` a minute, of which a share
    `failed` fails."""
    base = {"job": APP, "instance": inst}
    latency = latency or (lambda t, rng: rng.lognormvariate(math.log(0.25), 0.4))

    def counter(name, labels, rate):
        run.counter(name, {**base, **labels}, lambda t: "reset" if reset(t) else rate(t), up)
    counter("images_processed_total", {"stage": "inference", "status": "success"},
            lambda t: images(t) * (1 - failed))
    counter("images_processed_total", {"stage": "inference", "status": "failed"}, lambda t: images(t) * failed)
    counter("errors_total", {"error_type": "TimeoutError", "stage": error_stage},
            lambda t: images(t) * failed + errors(t))
    for sahi, share in (("true", 0.75), ("false", 0.25)):
        run.histogram("inference_time_seconds", {**base, "model": model, "use_sahi": sahi},
                      lambda t, share=share: images(t) * share, latency, up, reset)
    if not stages:
        return
    run.histogram("detections_per_image", {**base, "model": model}, images,
                  lambda t, rng: rng.choice([8, 12, 20, 30]), up, reset)
    run.histogram("sahi_slices_per_image", base, lambda t: images(t) * 0.75, lambda t, rng: 4, up, reset)
    for stage, median in (("preprocess", 1.8), ("symbolic", 2.7), ("eval", 2.2)):
        run.histogram("pipeline_stage_duration_seconds", {**base, "stage": stage}, lambda t: images(t) / 6,
                      lambda t, rng, m=median: rng.uniform(0.9 * m, 1.1 * m), up, reset)


def training(run, inst, model="yolo", planned=10, epoch_minutes=5, first_epoch=1, losses=None,
             maps=None, up=lambda t: True):
    """A training run: epoch e (from first_epoch) finishes at minute (e - first_epoch + 1) x
    epoch_minutes; training_loss keeps one series per finished epoch (a run resumed from a
    checkpoint exports only the epochs it ran), training_epoch the latest finished epoch,
    validation_map its mAP (maps(e) at IoU 0.5, 0.6 of it at 0.75); the learning rate is 0.01
    for the first half of the planned epochs, 0.001 after; while it trains, 20 training
    batches of 0.3 s and 4 validation batches of 0.15 s a minute."""
    base = {"job": APP, "instance": inst, "model": model}
    losses = losses or (lambda e: round(2.5 / e, 4))
    maps = maps or (lambda e: round(0.1 + 0.05 * e, 4))

    def finished(t):   # the latest epoch finished at minute t, or None
        n = int(t // epoch_minutes)
        return min(first_epoch + n - 1, planned) if n >= 1 else None
    for e in range(first_epoch, planned + 1):
        run.gauge("training_loss", {**base, "epoch": str(e)},
                  lambda t, e=e: losses(e) if up(t) and finished(t) is not None and finished(t) >= e else None)
    run.gauge("training_epoch", base, lambda t: finished(t) if up(t) and finished(t) is not None else None)
    run.gauge("training_epochs_planned", base, lambda t: planned if up(t) else None)
    run.counter("training_duration_seconds_count", base,
                lambda t: (1 / epoch_minutes) if (finished(t) or 0) < planned else 0, up)
    run.counter("training_duration_seconds_sum", base,
                lambda t: 60.0 if (finished(t) or 0) < planned else 0, up)
    for iou, share in (("0.5", 1), ("0.75", 0.6)):
        run.gauge("validation_map", {**base, "iou_threshold": iou},
                  lambda t, share=share: round(maps(finished(t)) * share, 4)
                  if up(t) and finished(t) is not None else None)
    epoch_now = lambda t: min(first_epoch + int(t // epoch_minutes), planned)   # the latest started
    run.gauge("learning_rate", base, lambda t: (0.01 if epoch_now(t) <= planned // 2 else 0.001) if up(t) else None)
    training_now = lambda t: (finished(t) or 0) < planned
    for phase, per_minute, seconds in (("train", 20, 0.3), ("val", 4, 0.15)):
        run.histogram("batch_processing_seconds", {**base, "phase": phase},
                      lambda t, n=per_minute: n if training_now(t) else 0, lambda t, rng, s=seconds: s, up)


def gpu(run, inst, allocated=lambda t: 4e9, utilization=lambda t: 90):
    run.gauge("gpu_memory_allocated_bytes", {"job": APP, "instance": inst, "device_id": "0"}, allocated)
    run.gauge("gpu_memory_reserved_bytes", {"job": APP, "instance": inst, "device_id": "0"},
              lambda t: max(6e9, allocated(t) * 1.2))
    run.gauge("gpu_utilization_percent", {"job": APP, "instance": inst, "device_id": "0"}, utilization)


# ------------------------------------------------------------------------------ the symbolic stage,
# the knowledge graph and the host
#
# What examples/detector exports besides inference, in shapes whose true values a test can say
# by hand: fixed values, or values drawn within one bucket, so that every quantile's bucket is known.

def cycle(values):
    """observe() that takes `values` in turn: whole cycles a minute keep each value's share exact."""
    it = itertools.cycle(values)
    return lambda t, rng: next(it)


def latest_image(run, name, labels, value, images, up, reset):
    """A gauge of the latest image (image_id="current", as examples/detector sets it): absent
    until the process has processed an image, then that image's value while the target is up,
    however long ago it was processed."""
    seen = [False]

    def at(t):
        if reset(t):
            seen[0] = False
        elif t > 0 and images(t) > 0:
            seen[0] = True
        return value if up(t) and seen[0] else None
    run.gauge(name, {**labels, "image_id": "current"}, at)


def symbolic(run, inst, model="yolo", images=lambda t: 60, failed=0.002, up=lambda t: True,
             reset=lambda t: False, nms=(30, 12), prolog_failed=0.01,
             confidence=(0.2,) + (0.6,) * 4 + (0.8,) * 10 + (0.92,) * 5):
    """The symbolic stage and the knowledge graph of the images that do not fail (`images(t)` a
    minute, as inference() has them, of which a share `failed` fails before it): each image's
    detections before and after NMS (`nms`; NMS takes 2-8 ms), its confidence scores
    (`confidence`, one image's worth), 3 Prolog queries of 5 ms of which a share
    `prolog_failed` fails, 4 confidence adjustments (-0.2, -0.04, +0.02, +0.2; no _sum, the
    buckets being negative), and a knowledge graph of a node per kept detection and 5 edges
    (2 spatial_left, 2 spatial_right, 1 near relationships), built in 0.2-0.4 s."""
    base = {"job": APP, "instance": inst}
    done = lambda t: images(t) * (1 - failed)
    whole = lambda t: round(done(t))   # histograms observe whole images: whole cycles of values

    def counter(name, labels, rate):
        run.counter(name, {**base, **labels}, lambda t: "reset" if reset(t) else rate(t), up)

    def histogram(name, labels, per_image, observe, with_sum=True):
        run.histogram(name, {**base, **labels}, lambda t: whole(t) * per_image, observe, up, reset, with_sum)
    before, after = nms
    histogram("confidence_scores", {"model": model}, len(confidence), cycle(confidence))
    histogram("nms_filtering_seconds", {}, 1, lambda t, rng: rng.uniform(0.002, 0.008))
    latest_image(run, "detections_before_nms", base, before, images, up, reset)
    latest_image(run, "detections_after_nms", base, after, images, up, reset)
    histogram("prolog_query_seconds", {}, 3, lambda t, rng: 0.005)
    counter("failed_prolog_queries_total", {}, lambda t: whole(t) * 3 * prolog_failed)
    histogram("confidence_adjustment_delta", {}, 4, cycle([-0.2, -0.04, 0.02, 0.2]), with_sum=False)
    histogram("graph_construction_seconds", {}, 1, lambda t, rng: rng.uniform(0.2, 0.4))
    latest_image(run, "graph_nodes_count", base, after, images, up, reset)
    latest_image(run, "graph_edges_count", base, 5, images, up, reset)
    for kind, per_image in (("spatial_left", 2), ("spatial_right", 2), ("near", 1)):
        counter("relationships_extracted_total", {"relationship_type": kind},
                lambda t, n=per_image: done(t) * n)


def system(run, inst, up=lambda t: True, reset=lambda t: False, cpu=lambda t: 50):
    """The detector's system collector (psutil, as examples/detector's): the host's CPU usage
    (`cpu(t)` percent), 6 GiB used and 10 GiB available, and 1 MB/s read and 0.2 MB/s written,
    counted from the detector's start (a restart starts the counters from 0)."""
    base = {"job": APP, "instance": inst}
    run.gauge("cpu_usage_percent", base, lambda t: cpu(t) if up(t) else None)
    run.gauge("memory_usage_bytes", base, lambda t: 6 * 2 ** 30 if up(t) else None)
    run.gauge("memory_available_bytes", base, lambda t: 10 * 2 ** 30 if up(t) else None)
    run.counter("disk_read_bytes_total", base, lambda t: "reset" if reset(t) else 60e6, up)
    run.counter("disk_write_bytes_total", base, lambda t: "reset" if reset(t) else 12e6, up)


def host(run):
    """node-exporter's view of the host (instance localhost:9100, as targets() scrapes it), which
    goes on whatever the detector does: two CPUs each 60% idle, 30% user and 10% system, 12 GiB
    available, 1.5 MB/s received and 0.5 MB/s sent on eth0 and 2 MB/s each way on lo."""
    base = {"job": "node-exporter", "instance": "localhost:9100"}
    for cpu in ("0", "1"):
        for mode, share in (("idle", 0.6), ("user", 0.3), ("system", 0.1)):
            run.counter("node_cpu_seconds_total", {**base, "cpu": cpu, "mode": mode}, lambda t, s=share: 60 * s)
    run.gauge("node_memory_MemAvailable_bytes", base, lambda t: 12 * 2 ** 30)
    for device, received, sent in (("eth0", 1.5e6, 0.5e6), ("lo", 2e6, 2e6)):
        run.counter("node_network_receive_bytes_total", {**base, "device": device}, lambda t, r=received: 60 * r)
        run.counter("node_network_transmit_bytes_total", {**base, "device": device}, lambda t, r=sent: 60 * r)


# ------------------------------------------------------------------------------ the scenarios

A, B, C = "app-a:8000", "app-b:8000", "app-c:8000"
SCENARIOS = {}


def scenario(description):
    def add(fn):
        SCENARIOS[fn.__name__.replace("_", "-")] = (description, fn)
        return fn
    return add


@scenario("one instance, 60 images a minute, 0.2% failing, training 10 epochs of 5 minutes")
def healthy():
    run = Run(60)
    targets(run, [A])
    inference(run, A)
    symbolic(run, A)
    system(run, A)
    host(run)
    training(run, A)
    gpu(run, A)
    return run


@scenario("60 images a minute for 30 minutes, then none (counters flat, the target up)")
def idle():
    run = Run(60)
    targets(run, [A])
    inference(run, A, images=lambda t: 60 if t <= 30 else 0)
    symbolic(run, A, images=lambda t: 60 if t <= 30 else 0)
    system(run, A)
    return run


@scenario("the detector restarts at minute 30: every counter starts again from 0")
def restart():
    run = Run(60)
    targets(run, [A])
    inference(run, A, reset=lambda t: t == 30)
    symbolic(run, A, reset=lambda t: t == 30)
    system(run, A, reset=lambda t: t == 30)
    run.gauge("app_uptime_seconds", {"job": APP, "instance": A}, lambda t: 60 * (t if t < 30 else t - 30))
    return run


@scenario("training resumed from a checkpoint at epoch 14 of 16: only epochs 14-16 exported")
def resume():
    run = Run(20)
    targets(run, [A])
    training(run, A, planned=16, first_epoch=14, losses=lambda e: round(0.1 + 0.01 * (16 - e), 4))
    return run


@scenario("one model trained on two instances, at epoch 3 and at epoch 6 of 8")
def two_instances():
    run = Run(30)
    targets(run, [A, B])
    training(run, A, planned=8, epoch_minutes=10)
    training(run, B, planned=8, epoch_minutes=5)
    return run


@scenario("two models (yolo on one instance, detr on another), yolo 4x slower")
def two_models():
    run = Run(30)
    targets(run, [A, B])
    inference(run, A, model="yolo", latency=lambda t, rng: rng.uniform(1.2, 1.8))
    inference(run, B, model="detr", latency=lambda t, rng: rng.uniform(0.2, 0.4))
    symbolic(run, A, model="yolo")
    symbolic(run, B, model="detr", nms=(25, 20), confidence=(0.6,) * 2 + (0.92,) * 18)
    return run


@scenario("three replicas (hosts at 40%, 60% and 85% CPU); replica c stops answering at minute 30")
def replica_down():
    run = Run(60)
    down = lambda inst, t: not (inst == C and t >= 30)
    targets(run, [A, B, C], down)
    for inst in (A, B, C):
        inference(run, inst, up=lambda t, inst=inst: down(inst, t))
    for inst, cpu in ((A, 40), (B, 60), (C, 85)):
        system(run, inst, up=lambda t, inst=inst: down(inst, t), cpu=lambda t, cpu=cpu: cpu)
    return run


@scenario("the detector stops answering at minute 30; Prometheus and node-exporter stay up")
def app_down():
    run = Run(60)
    down = lambda inst, t: t < 30
    targets(run, [A], down)
    inference(run, A, up=lambda t: t < 30)
    symbolic(run, A, up=lambda t: t < 30)
    system(run, A, up=lambda t: t < 30)
    host(run)
    return run


@scenario("2% of the images take 8 s from minute 20 to 40: p99 only")
def p99_spike():
    run = Run(60)
    targets(run, [A])

    def latency(t, rng):
        slow = 20 <= t < 40 and rng.random() < 0.02
        return 8.0 if slow else rng.lognormvariate(math.log(0.25), 0.3)
    inference(run, A, latency=latency)
    return run


@scenario("30 extra errors a minute in the symbolic stage from minute 20 to 30")
def error_burst():
    run = Run(60)
    targets(run, [A])
    inference(run, A, errors=lambda t: 30 if 20 <= t < 30 else 0, error_stage="symbolic")
    return run


@scenario("the training loss falls for 5 epochs, then grows tenfold each epoch")
def loss_divergence():
    run = Run(50)
    targets(run, [A])
    training(run, A, planned=10, losses=lambda e: round(2.5 / e if e <= 5 else 0.5 * 10 ** (e - 5), 4),
             maps=lambda e: round(0.1 + 0.05 * e if e <= 5 else 0.35 - 0.05 * (e - 5), 4))
    return run


@scenario("GPU memory allocated grows by 40 MiB a minute and is never released")
def gpu_memory_leak():
    run = Run(60)
    targets(run, [A])
    gpu(run, A, allocated=lambda t: 4e9 + t * 40 * 2 ** 20)
    return run


@scenario("two days and two hours, idle every night from 00:00 to 08:00; 0.5% of images fail")
def slo_30d_idle():
    run = Run(2 * 24 * 60 + 120)
    targets(run, [A])
    busy = lambda t: (t % 1440) >= 480
    inference(run, A, images=lambda t: 200 if busy(t) else 0, failed=0.005,
              latency=lambda t, rng: 0.25, stages=False)
    return run


# ------------------------------------------------------------------------------ the SLOs' series
#
# What the SLOs of rules/slos.yml read that two scenarios above do not export: the symbolic
# stage's Prolog queries (the symbolic-queries SLO's events), which symbolic() gives the others.
# error-burst's burst fails Prolog queries; slo-30d-idle's two days take only them (symbolic()'s
# every per-image histogram over two days would take minutes to draw).

def symbolic_queries(run, inst, queries=lambda t: 60, failed=0.01, errors=lambda t: 0, up=lambda t: True):
    """The Prolog queries of the symbolic stage: queries(t) a minute (one an image), of which a
    share `failed` fails, and errors(t) more a minute fail; prolog_query_seconds counts them
    all (failed or not, each takes its time), failed_prolog_queries_total the failed ones."""
    base = {"job": APP, "instance": inst}
    run.histogram("prolog_query_seconds", base, queries, lambda t, rng: rng.uniform(0.002, 0.02), up)
    run.counter("failed_prolog_queries_total", base, lambda t: queries(t) * failed + errors(t), up)


def with_series(name, add):
    """Scenario `name`, its run also holding add(run)'s series."""
    description, fn = SCENARIOS[name]

    def run():
        r = fn()
        add(r)
        return r
    SCENARIOS[name] = (description, run)


with_series("error-burst", lambda run: symbolic_queries(run, A, errors=lambda t: 30 if 20 <= t < 30 else 0))
with_series("slo-30d-idle",
            lambda run: symbolic_queries(run, A, queries=lambda t: 200 if (t % 1440) >= 480 else 0, failed=0.02))


# ------------------------------------------------------------------------------ output

def label_text(labels):
    return ", ".join(f'{k}="{v}"' for k, v in labels)


def number(v):
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def notation(values):
    """promtool's input_series values: one per step, `_` for none. A run of whole numbers that
    grows by a constant whole step is written `a+bxn` (promtool adds b n times, exact for whole
    numbers); other values one by one, so that every value stays exact."""
    out, i = [], 0
    while i < len(values):
        v = values[i]
        if v is None:
            j = i
            while j + 1 < len(values) and values[j + 1] is None:
                j += 1
            out.append("_" if j == i else f"_x{j - i + 1}")
            i = j + 1
            continue
        j = i
        whole = lambda x: x is not None and float(x).is_integer()
        if whole(v) and i + 1 < len(values) and whole(values[i + 1]):
            d = values[i + 1] - v
            while j + 1 < len(values) and whole(values[j + 1]) and values[j + 1] - values[j] == d:
                j += 1
        if j - i >= 2:
            out.append(f"{number(v)}{'+' if d >= 0 else '-'}{number(abs(d))}x{j - i}")
            i = j + 1
        else:
            out.append(number(v))
            i += 1
    return " ".join(out)


def series_yaml(run):
    return [{"series": f"{name}{{{label_text(labels)}}}", "values": notation(values)}
            for (name, labels), values in sorted(run.series.items())]


def openmetrics(run, start):
    lines = []
    by_name = {}
    for (name, labels), values in sorted(run.series.items()):
        by_name.setdefault(name, []).append((labels, values))
    for name, all_series in by_name.items():
        lines.append(f"# TYPE {name} gauge")   # backfilling keeps samples, not types
        for labels, values in all_series:
            for i, v in enumerate(values):
                if v is not None:
                    # OpenMetrics: no space between labels.
                    inner = ",".join(f'{k}="{v}"' for k, v in labels)
                    lines.append(f"{name}{{{inner}}} {v:.17g} {start + i * run.step * 60}")
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def load_panels():
    with open(os.path.join(HERE, "panels.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def groups(doc):
    """The groups of panel tests of panels.yml, each run as one test file: (name, scenario,
    rule files, tests), sorted by name. A group of `scenarios:` is named by its scenario and
    reads the scenario's rule_files:; one of the SLO block (`slo:`) names its scenario and its
    own rule files, so that one scenario is seen with and without the SLO rules."""
    out = [(name, name, doc.get("rule_files", {}).get(name, []), tests) for name, tests in doc["scenarios"].items()]
    out += [(name, g["scenario"], g.get("rule_files", []), g["tests"]) for name, g in doc.get("slo", {}).items()]
    return sorted(out)


def write_tests(out_dir):
    doc = load_panels()
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for name, scenario_name, rules, tests in groups(doc):
        run = SCENARIOS[scenario_name][1]()
        panel_tests = []
        for t in tests:
            t = dict(t)
            t.pop("shows", None)
            panel_tests.append(t)
        test = {"dashboards": [os.path.join(ROOT, "templates", f) for f in doc["dashboards"]],
                "evaluation_interval": f"{run.step}m",
                "tests": [{"name": name, "interval": f"{run.step}m", "input_series": series_yaml(run),
                           "panel_tests": panel_tests}]}
        if rules:
            test["rule_files"] = [os.path.join(ROOT, r) for r in rules]
        path = os.path.join(out_dir, f"{name}.yml")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            yaml.safe_dump(test, f, sort_keys=False, width=200)
        os.replace(path + ".tmp", path)
        written.append(path)
    print("\n".join(written))


def dashboard_panels():
    """(uid, row, title, exprs) of every panel of the committed dashboards (dashboards/*.json),
    in their order; row is the title of the row a panel sits in, up to its first colon ('' for
    none)."""
    import glob
    import json
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "dashboards", "*.json"))):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        row = ""
        for p in d["panels"]:
            if p["type"] == "row":
                row = p["title"].split(":")[0]
            else:
                out.append((d["uid"], row, p["title"], tuple(t["expr"] for t in p.get("targets", []))))
    return out


def matrix():
    """Markdown: every panel of the committed dashboards, and what it shows in each scenario that
    has a panel test of it (`shows:`, at each eval_time). A panel no scenario tests says which
    scenarios export a series it reads, or that none does."""
    doc = load_panels()
    panels = dashboard_panels()
    titles = [(uid, title) for uid, _, title, _ in panels]
    exported = {name: {series for series, _ in fn().series} for name, (_, fn) in SCENARIOS.items()}
    for name, files in doc.get("rule_files", {}).items():   # and what their tests' rules write
        for path in files:
            with open(os.path.join(ROOT, path), encoding="utf-8") as f:
                rules = [r for g in yaml.safe_load(f)["groups"] for r in g["rules"]]
            exported[name] |= {r.get("record", "ALERTS") for r in rules}
    cells = {}
    for group, scenario_name, rules, tests in groups(doc):
        # A group of the SLO block says whether the SLO rules were loaded.
        name = group if group in doc["scenarios"] else \
            f"{scenario_name} ({'with' if rules else 'without'} the SLO rules)"
        for t in tests:
            key = next(p for p in panels if p[0] == t["dashboard"] and p[2] == t["panel"]
                       and p[1].startswith(t.get("row", "")))
            cells.setdefault(key, {}).setdefault(name, []).append(f"{t.get('shows', '')} (at {t['eval_time']})")
    out = ["| panel | scenario | what it shows |", "|---|---|---|"]
    for key in panels:
        uid, row, title, exprs = key
        panel = f"{uid}: {title}" + (f" ({row})" if titles.count((uid, title)) > 1 else "")
        for i, (name, shows) in enumerate(sorted(cells.get(key, {}).items())):
            text = "; ".join(shows).replace("|", "/")
            out.append(f"| {panel if i == 0 else ''} | {name} | {text} |")
        if key not in cells:
            words = set(re.findall(r"[a-zA-Z_:][\w:]*", " ".join(exprs)))
            reading = sorted(n for n, series in exported.items() if words & series)
            out.append(f"| {panel} | | no panel test; " + (
                f"its series are in: {', '.join(reading)} |" if reading else
                "no scenario has its series |"))
    return "\n".join(out) + "\n"


def main(argv):
    if argv[1:2] == ["list"]:
        for name, (description, _) in SCENARIOS.items():
            print(f"{name}  {description}")
        return 0
    if argv[1:2] == ["series"] and len(argv) == 3 and argv[2] in SCENARIOS:
        yaml.safe_dump(series_yaml(SCENARIOS[argv[2]][1]()), sys.stdout, sort_keys=False, width=200)
        return 0
    if argv[1:2] == ["openmetrics"] and len(argv) == 4 and argv[2] in SCENARIOS:
        sys.stdout.write(openmetrics(SCENARIOS[argv[2]][1](), int(argv[3])))
        return 0
    if argv[1:2] == ["tests"] and len(argv) == 3:
        write_tests(argv[2])
        return 0
    if argv[1:2] == ["matrix"]:
        sys.stdout.write(matrix())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
