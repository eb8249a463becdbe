#!/usr/bin/python3
"""The scenarios and checks of tests/e2e/dashboards_prometheus.sh (see its header).

  dashboards_prometheus.py scenarios               one line per scenario: NAME DETECTOR-OPTIONS...
  dashboards_prometheus.py scale-rules IN OUT      IN with each group's interval 1s and for: / 60
  dashboards_prometheus.py check RUN.json          the checks, against a Prometheus that scraped them

A check takes a panel of the generated dashboards (dashboards/*.json) by its dashboard uid and
title, sends its queries as Grafana would send them for one scenario's detector, and compares
what comes back with that detector's --truth file. Adding a check is one row of CHECKS and,
when no function fits, one small function; adding a scenario is one row of SCENARIOS.
"""

import glob
import json
import math
import re
import sys
import time
import urllib.parse
import urllib.request

import yaml

# ------------------------------------------------------------------------------------ the run
#
# Each scenario is one detector with one failure switch, all run at once, each long enough for
# the windows below. Every detector trains for at least ~2.4 s of wall time before its first
# image, so Prometheus's first sample of every inference counter is 0 (see increase_bounds).
SCENARIOS = [
    ("loss-divergence", "--epochs 6 --images 0 --speed 200 --loss-spike 4"),
    ("loss-plateau", "--epochs 8 --images 0 --speed 200 --loss-plateau 4"),
    ("training-slowdown", "--epochs 10 --images 0 --speed 400 --training-slowdown 5"),
    ("latency-spike", "--epochs 1 --images 100 --speed 50 --latency-spike 21"),
    ("throughput-drop", "--epochs 1 --images 140 --speed 50 --throughput-drop 121"),
    ("error-burst", "--epochs 2 --images 300 --speed 100 --error-burst 11"),
    ("gpu-leak", "--epochs 3 --images 60 --speed 100 --gpu-leak"),
    ("prolog-failures", "--epochs 2 --images 60 --speed 100 --prolog-failures 0.3"),
    ("graph-growth", "--epochs 1 --images 150 --speed 50 --graph-growth"),
]

# What Grafana would send. Prometheus scrapes every SCRAPE seconds, and the data source is
# configured with that scrape interval; a panel interval of 9 s (a 2 h range at ~800 points)
# makes Grafana's $__rate_interval max(9 s + 1 s, 4 x 1 s) = 10 s. $__range is the dashboard's
# time range, set to the whole run (from before Prometheus started to the query time).
SCRAPE = 1.0
INTERVAL = 9.0
RATE_INTERVAL = max(INTERVAL + SCRAPE, 4 * SCRAPE)
# Prometheus's samples are SCRAPE apart, but a scrape can start late on a loaded machine and the
# detector's registry is read a little after the sample's timestamp: GAP bounds the time between
# two samples, LAG the time between a sample's timestamp and the read it holds.
GAP = SCRAPE + 0.5
LAG = 0.25


# ------------------------------------------------------------------------------------ tolerances
#
# Prometheus's rate() over [T-w, T] takes the samples s1..sn in the window and divides their
# increase by the time they span (sn - s1), then extrapolates towards the window's edges (by at
# most the distance to an edge, never past the counter's zero point) and divides by w; so
#     increase / w  <=  rate  <=  increase / (sn - s1),   with  sn - s1 >= w - 2 GAP.
# The increase holds the events the detector recorded after the read of s1 and up to that of sn:
# every event in [T - w + GAP + LAG, T - GAP] surely, no event outside (T - w, T + LAG].

def window_events(events, T, w):
    """(surely counted, possibly counted) events of a rate window [T-w, T]; events are (t, x)."""
    sure = [x for t, x in events if T - w + GAP + LAG < t <= T - GAP]
    maybe = [x for t, x in events if T - w < t <= T + LAG]
    return sure, maybe


def rate_bounds(events, T, w):
    """Bounds of rate() over [T-w, T] of a counter that counts the events' amounts."""
    sure, maybe = window_events(events, T, w)
    return sum(sure) / w, sum(maybe) / (w - 2 * GAP)


def increase_bounds(n, T, started_at):
    """increase() over a window longer than the series' whole life.

    The series' first sample is 0 (the counter exists from the detector's start, and the
    inference counters count nothing before the first image, seconds after the first scrape), so Prometheus does not extrapolate before it; after the
    last sample it extrapolates by at most 1.1 x the mean sample distance. The samples span at
    least from the first scrape (GAP after the detector started) to T - GAP.
    """
    span = (T - GAP) - (started_at + GAP)
    return n, n * (span + 1.1 * GAP) / span


def bucket_quantile(q, buckets):
    """Prometheus's histogram_quantile on [(upper bound, cumulative count)], +Inf last."""
    buckets = sorted(buckets)
    total = buckets[-1][1]
    if total == 0:
        return math.nan
    rank = q * total
    b = next(i for i, (_, c) in enumerate(buckets) if c >= rank)
    if b == len(buckets) - 1:
        return buckets[-2][0]
    if b == 0 and buckets[0][0] <= 0:
        return buckets[0][0]
    start, end, count = 0.0, buckets[b][0], buckets[b][1]
    if b > 0:
        start = buckets[b - 1][0]
        count -= buckets[b - 1][1]
        rank -= buckets[b - 1][1]
    return start + (end - start) * (rank / count)


def window_cuts(events, T, w):
    """Each (x, y] that can be the span of a rate window [T-w, T]'s events: x from T-w to the
    read of the window's first sample, y from the read of the sample before T's to T's."""
    def cuts(lo, hi):
        return sorted({lo, hi} | {t for t, _ in events if lo <= t <= hi})
    return [(x, y) for x in cuts(T - w, T - w + GAP + LAG) for y in cuts(T - GAP, T + LAG)]


def ratio_range(numerator, denominator, T, w):
    """Bounds of rate(a[w]) / rate(b[w]) for two counters of one target, from their events.

    a and b have the same sample times, so rate() extrapolates both by the same factor and the
    ratio is that of their increases over the same span of events, but for the one case where
    their factors differ: a counter that starts from (near) 0 in the window is extrapolated only
    to its zero point, when that is nearer than the window's start (its value before the window
    under GAP / (w - 2 GAP) of its increase). Then the ratio moves by at most w / (w - 2 GAP).
    """
    values = []
    for x, y in window_cuts(numerator + denominator, T, w):
        inc = [sum(v for t, v in e if x < t <= y) for e in (numerator, denominator)]
        before = [sum(v for t, v in e if t <= x) for e in (numerator, denominator)]
        if inc[1] == 0:
            continue
        slack = 1.0
        if any(i > 0 and b * (w - 2 * GAP) < i * GAP for i, b in zip(inc, before)):
            slack = w / (w - 2 * GAP)
        values += [inc[0] / inc[1] / slack, inc[0] / inc[1] * slack]
    return (min(values), max(values)) if values else (math.nan, math.nan)


def quantile_range(q, events, T, w, bounds):
    """The interval of bucket bounds a histogram_quantile over [T-w, T] can show.

    The window holds the observations recorded after the read of its first sample and up to
    that of its last: each (x, y] with x in [T-w, T-w+GAP+LAG] and y in [T-GAP, T+LAG]. Every
    such set gives one quantile; the panel's value must lie in the buckets they fall in, not
    just between them: rate() extrapolates each bucket's series on its own (a bucket whose
    count starts at 0 in the window is not extrapolated before it), which moves an interpolated
    value inside its bucket.
    """
    edges = sorted(bounds) + [math.inf]

    values = []
    for x, y in window_cuts(events, T, w):
        window = [v for t, v in events if x < t <= y]
        buckets = [(le, sum(1 for v in window if v <= le)) for le in edges]
        values.append(bucket_quantile(q, buckets))
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return None

    def bucket(v):
        i = next(i for i, le in enumerate(edges) if v <= le)
        return (edges[i - 1] if i else 0.0), edges[i]
    return bucket(min(values))[0], bucket(max(values))[1], min(values), max(values)


# ------------------------------------------------------------------------------------ panels

class Skip(Exception):
    pass


class Mismatch(Exception):
    pass


class Dashboards:
    def __init__(self, folder):
        self.folder = folder
        self.by_uid = {}
        for path in sorted(glob.glob(f"{folder}/*.json")):
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
            self.by_uid[d.get("uid")] = d

    def panel(self, uid, titles, row=None):
        """The panel titled one of `titles` (the first that exists), in the row whose title
        starts with `row` if given; Skip when there is none yet."""
        d = self.by_uid.get(uid)
        if d is None:
            raise Skip(f"no dashboard {uid} in {self.folder}")
        found = {}
        current_row = ""
        for p in d.get("panels", []):
            if p.get("type") == "row":
                current_row = p.get("title", "")
                inner = p.get("panels", [])
            else:
                inner = [p]
            for q in inner:
                if row is None or current_row.startswith(row):
                    found.setdefault(q.get("title"), []).append(q)
        for title in titles:
            if title in found:
                if len(found[title]) > 1:
                    raise Mismatch(f"{len(found[title])} panels titled {title!r} in {uid}"
                                   + (f", row {row}" if row else ""))
                return d, found[title][0]
        raise Skip(f"no panel {' or '.join(map(repr, titles))} in {d.get('title')} ({uid}) yet")


class Prometheus:
    def __init__(self, url):
        self.url = url
        self.sent = []    # (query, time, answer) of the current check, for its failure message

    def query(self, expr, at):
        data = urllib.parse.urlencode({"query": expr, "time": f"{at:.3f}"}).encode()
        with urllib.request.urlopen(f"{self.url}/api/v1/query", data, timeout=10) as r:
            answer = json.load(r)
        if answer.get("status") != "success":
            raise Mismatch(f"Prometheus refused {expr}: {answer}")
        result = answer["data"]["result"]
        self.sent.append((expr, at, result))
        return result


def legend(fmt, labels):
    if not fmt or fmt == "__auto":
        inner = ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k != "__name__")
        return labels.get("__name__", "") + "{" + inner + "}"
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), fmt)


class Probe:
    """One scenario's view of one panel: its queries as Grafana sends them, at any time."""

    def __init__(self, ctx, scenario, dashboard, panel):
        self.ctx, self.scenario, self.dashboard, self.panel = ctx, scenario, dashboard, panel
        self.truth = ctx.truth[scenario]
        self.variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}

    def interpolate(self, expr, at):
        """Grafana's variables with "All" selected, but $instance this scenario's detector."""
        range_s = max(1, round(at - self.ctx.run["range_from"]))
        builtins = {"__rate_interval": f"{RATE_INTERVAL:g}s", "__interval": f"{INTERVAL:g}s",
                    "__interval_ms": str(int(INTERVAL * 1000)), "__range": f"{range_s}s",
                    "__range_s": str(range_s), "__range_ms": str(range_s * 1000)}

        def value(name):
            if name in builtins:
                return builtins[name]
            if name == "instance":
                # Grafana escapes a regex variable's value for Prometheus (a dot becomes \\.).
                return re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\\\1", self.ctx.instance[self.scenario])
            v = self.variables.get(name)
            if v is None:
                raise Mismatch(f"the query names ${name}, which the dashboard does not define")
            if v.get("type") == "datasource":
                return "prometheus"
            return v.get("allValue") or ".*"
        pattern = r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)"
        return re.sub(pattern, lambda m: value(m.group(1) or m.group(2) or m.group(3)), expr)

    def series(self, at):
        """The panel's series at time `at`: [(legend, labels, the target's expr, value)]."""
        shown = []
        for target in self.panel.get("targets", []):
            if target.get("hide"):
                continue
            expr = self.interpolate(target["expr"], at)
            for series in self.ctx.prom.query(expr, at):
                shown.append((legend(target.get("legendFormat"), series["metric"]),
                              series["metric"], expr, float(series["value"][1])))
        return shown

    def rows(self, at):
        """The label sets of the panel's series at time `at` (a table's rows)."""
        return [labels for _, labels, _, _ in self.series(at)]

    def pick(self, at, metric=None, **labels):
        """The value of the one series that is of `metric` and has `labels`, from its labels or
        from its query's selector (after an aggregation only the query says which it is).
        Legends are the dashboard's wording, so they do not pick."""
        def has(series_labels, expr):
            if metric and not (series_labels.get("__name__") == metric
                               or re.search(r"(?<![\w:])" + re.escape(metric) + r"(?![\w:])", expr)):
                return False
            return all(series_labels.get(k) == v or f'{k}="{v}"' in expr for k, v in labels.items())
        shown = self.series(at)
        found = [value for _, series_labels, expr, value in shown if has(series_labels, expr)]
        if len(found) != 1:
            want = " ".join([metric or ""] + [f"{k}={v}" for k, v in labels.items()]).strip()
            raise Mismatch(f"{len(found)} series of {want or 'the panel'} at {at:.3f}; the panel "
                           f"shows {[(n, v) for n, _, _, v in shown]}")
        return found[0]

    # Times of the run, from the truth file (wall clock).
    @property
    def end(self):
        """After the run, once Prometheus has its last figures (a scrape after the last change,
        read after its timestamp; one scrape more in case one came late)."""
        return self.truth["finished_at"] + 2 * GAP + LAG

    def images(self):
        return self.truth["timeline"]["images"]

    def last_image(self):
        return self.images()[-1]["t"]

    def image_time(self, i):
        return self.images()[i - 1]["t"]


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-12)


def within(name, value, lo, hi, why):
    if not lo <= value <= hi:
        raise Mismatch(f"{name} is {value:g}, truth says [{lo:g}, {hi:g}] ({why})")
    return f"{name} {value:g} in [{lo:g}, {hi:g}]"


# ------------------------------------------------------------------------------------ checks
#
# Each function gets the Probe of its row's panel and returns a line saying what it saw, or
# raises Mismatch with what the truth says.

def last_epoch_loss(p):
    loss = p.truth["epochs"][-1]["loss"]
    got = p.pick(p.end, model=p.truth["model"])
    if not close(got, loss):
        raise Mismatch(f"shows {got}, the last epoch's loss is {loss} "
                       f"(best {p.truth['best_loss']}, epochs {[e['loss'] for e in p.truth['epochs']]})")
    return f"last epoch's loss {got}"


def best_loss(p):
    got = p.pick(p.end, model=p.truth["model"])
    if not close(got, p.truth["best_loss"]):
        raise Mismatch(f"shows {got}, the best loss is {p.truth['best_loss']}")
    return f"best loss {got}"


def loss_change_3_epochs(p):
    losses = [e["loss"] for e in p.truth["epochs"]]
    change = losses[-1] / losses[-4] - 1
    got = p.pick(p.end, model=p.truth["model"])
    # The panel's unit says whether it shows a ratio or a percentage.
    unit = p.panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
    scale = 100 if unit == "percent" else 1
    if abs(got - change * scale) > 1e-9 * scale or abs(change) > 0.01:
        raise Mismatch(f"shows {got} (unit {unit}); the loss went {losses[-4]} -> {losses[-1]}: "
                       f"{change:+.4%}, within +-1 % on a plateau")
    return f"change {got:g} (unit {unit}), truth {change:+.4%}"


def histogram_p95(metric, events_of, **labels):
    """The panel's p95 of `metric` for `labels`, against the truth's observations (t, value)."""
    def check(p):
        T = p.end
        r = quantile_range(0.95, events_of(p.truth), T, RATE_INTERVAL, p.ctx.buckets[metric])
        got = p.pick(T, **labels)
        name = " ".join(f"{k}={v}" for k, v in labels.items())
        if r is None:
            raise Mismatch(f"truth has no {name} observations in the window")
        lo, hi, tmin, tmax = r
        return within(f"p95 {name}", got, lo, hi,
                      f"the window's true p95 is {tmin:g}..{tmax:g}; bucket resolution")
    return check


def sahi_events(value):
    def events(truth):
        return [(x["t"], x["inference_seconds"]) for x in truth["timeline"]["images"]
                if x["status"] == "success" and x["use_sahi"] == value]
    return events


def train_batches(truth):
    return [(b["t"], v) for b in truth["timeline"]["batches"] if b["phase"] == "train"
            for v in b["seconds"]]


def sahi_above(p):
    sahi, plain = p.pick(p.end, use_sahi="true"), p.pick(p.end, use_sahi="false")
    if not sahi > 3 * plain:
        raise Mismatch(f"SAHI p95 {sahi} should be far (> 3x) above the p95 without, {plain}")
    return f"SAHI p95 {sahi:g} > 3 x {plain:g}"


def images_per_second(p):
    drop = p.truth["faults"]["throughput_drop"]
    events = [(x["t"], 1) for x in p.images()]
    before, after = p.image_time(drop), p.last_image()
    lines = []
    seen = {}
    for name, T in (("before the drop", before), ("at the end", after)):
        got = sum(value for *_, value in p.series(T))
        lo, hi = rate_bounds(events, T, RATE_INTERVAL)
        lines.append(within(f"images/s {name}", got, lo, hi, "images the detector recorded in the window"))
        seen[name] = got
    if not seen["at the end"] < seen["before the drop"] / 2:
        raise Mismatch(f"images/s did not drop: {seen}")
    return "; ".join(lines)


def errors_by_stage(p):
    burst = p.truth["faults"]["error_burst"]
    T = p.last_image()
    shown = {labels.get("stage"): value for _, labels, _, value in p.series(T)}
    top = max(shown, key=shown.get) if shown else None
    if top != burst["stage"]:
        raise Mismatch(f"the burst's stage {burst['stage']} should be highest: {shown}")
    events = [(x["t"], 1) for x in p.images() if x.get("stage") == burst["stage"]]
    lo, hi = rate_bounds(events, T, RATE_INTERVAL)
    return within(f"errors/s in {top}", shown[top], lo, hi, "errors the detector recorded in the window")


def errors_in_range(p):
    n = sum(p.truth["errors"].values())
    lo, hi = increase_bounds(n, p.end, p.truth["started_at"])
    return within("errors in range", p.pick(p.end), lo, hi, "increase() extrapolation")


def high_error_rate_firing(p):
    burst = p.truth["faults"]["error_burst"]
    instance = p.ctx.instance[p.scenario]
    rows = p.rows(p.ctx.now)
    for r in rows:
        if (r.get("alertname") == "HighErrorRate" and r.get("alertstate", "firing") == "firing"
                and r.get("instance", instance) == instance and r.get("stage") == burst["stage"]):
            return f"HighErrorRate firing for {instance} stage {burst['stage']}"
    raise Mismatch(f"no firing HighErrorRate for instance {instance}, stage {burst['stage']}; "
                   f"rows: {[{k: v for k, v in r.items() if k in ('alertname', 'alertstate', 'instance', 'stage')} for r in rows]}")


def service_error_ratio(ctx, at):
    """The inference-success SLI's error ratio over the whole service: the SLO rules sum every
    detector, so it comes from every scenario's truth. Each detector's failed and total series
    share their sample times and start at 0, so rate() scales both by the same factor: a
    detector's ratio is exact, only the weights between detectors move, each by at most the
    factor of increase_bounds."""
    failed = [t["images"]["failed"] for t in ctx.truth.values()]
    total = [t["images"]["processed"] for t in ctx.truth.values()]
    factor = max(increase_bounds(1, at, t["started_at"])[1] for t in ctx.truth.values())
    return sum(failed) / (sum(total) * factor), sum(failed) * factor / sum(total)


def burn_rate_5m(p):
    T = p.ctx.now
    lo, hi = service_error_ratio(p.ctx, T)
    got = p.pick(T, "slo:sli_error:ratio_rate5m")
    line = within("5m burn rate", got, lo / 0.01, hi / 0.01,
                  "failed / processed images of all detectors, / the 1 % error budget")
    if lo / 0.01 > 14.4 and not got > 14.4:
        raise Mismatch(f"5m burn rate {got} should be above 14.4 (fast burn)")
    return line + (" > 14.4: fast burn" if got > 14.4 else "")


def burn_alerts_firing(p):
    T = p.ctx.now
    lo, _ = service_error_ratio(p.ctx, T)
    got = p.pick(T)
    # The 1h/5m page fires above 14.4 x the budget with >= 60 images an hour (all of the run's).
    if lo > 14.4 * 0.01 and not got >= 1:
        raise Mismatch(f"{got} burn-rate alerts firing, but the error ratio {lo:.3f} > 0.144")
    return f"{got:g} burn-rate alerts firing (error ratio >= {lo:.3f})"


def gpu_memory(p):
    g = p.truth["gauges"]
    first = p.truth["gpu_memory_allocated_first"]
    alloc = p.pick(p.end, "gpu_memory_allocated_bytes", device_id="0")
    reserved = p.pick(p.end, "gpu_memory_reserved_bytes", device_id="0")
    if alloc != g["gpu_memory_allocated_bytes"] or reserved != g["gpu_memory_reserved_bytes"]:
        raise Mismatch(f"at the end shows allocated {alloc}, reserved {reserved}; truth: allocated "
                       f"{g['gpu_memory_allocated_bytes']}, reserved {g['gpu_memory_reserved_bytes']}")
    # After the second epoch (the first can end before Prometheus's first scrape of it).
    early = p.pick(p.truth["timeline"]["epochs"][1]["t"], "gpu_memory_allocated_bytes", device_id="0")
    if not first <= early < alloc:
        raise Mismatch(f"allocated after epoch 2 is {early}: not between the first value {first} "
                       f"and the last {alloc}")
    return f"allocated {early:.4g} after epoch 2 -> {alloc:.4g} at the end (= truth)"


def failed_prolog_queries(p):
    n = p.truth["failed_prolog_queries"]
    lo, hi = increase_bounds(n, p.end, p.truth["started_at"])
    return within("failed Prolog queries", p.pick(p.end), lo, hi, "increase() extrapolation")


def window_of(p):
    exprs = " ".join(t["expr"] for t in p.panel.get("targets", []))
    return "$__range" if "$__range" in exprs else "$__rate_interval"


def ratio_bounds(p, T, numerator, denominator):
    """Bounds of a ratio of two rates (or increases) of the panel's window, from the truth's
    per-image events ((t, amount) lists)."""
    if window_of(p) == "$__range":
        n, d = sum(x for _, x in numerator), sum(x for _, x in denominator)
        f = increase_bounds(1, T, p.truth["started_at"])[1]
        return n / (d * f), n * f / d
    return ratio_range(numerator, denominator, T, RATE_INTERVAL)


def prolog_failure_ratio(p):
    T = p.last_image()
    imgs = [x for x in p.images() if x["status"] == "success"]
    lo, hi = ratio_bounds(p, T, [(x["t"], x["failed_prolog_queries"]) for x in imgs],
                          [(x["t"], x["prolog_queries"]) for x in imgs])
    return within("Prolog failure ratio", p.pick(T), lo, hi,
                  f"failed / all queries in the window (--prolog-failures {p.truth['faults']['prolog_failures']})")


def relationships_per_image(p):
    imgs = [x for x in p.images() if x["status"] == "success"]
    values, lines = [], []
    for T in (imgs[len(imgs) // 3]["t"], p.last_image()):
        lo, hi = ratio_bounds(p, T, [(x["t"], x["relationships"]) for x in imgs], [(x["t"], 1) for x in imgs])
        values.append(p.pick(T))
        lines.append(within(f"relationships/image at {T:.1f}", values[-1], lo, hi, "from the images in the window"))
    if not values[1] > values[0]:
        raise Mismatch(f"relationships per image did not rise: {values}")
    return "; ".join(lines)


def graph_size(p):
    last = p.truth["last_image"]
    nodes, edges = p.pick(p.end, "graph_nodes_count"), p.pick(p.end, "graph_edges_count")
    if nodes != last["graph_nodes"] or edges != last["graph_edges"]:
        raise Mismatch(f"shows {nodes:g} nodes, {edges:g} edges; the last image's graph has "
                       f"{last['graph_nodes']} nodes, {last['graph_edges']} edges")
    return f"last graph {nodes:g} nodes, {edges:g} edges (= truth)"


FIRING_ALERTS = ["Firing alerts", "Active alerts"]

# (scenario, dashboard uid, panel title(s), check[, row]): the row prefix picks one of several
# panels of the same title (the SLO dashboard has one row per SLO).
CHECKS = [
    ("loss-divergence", "nsmon-training", "Training loss", last_epoch_loss),
    ("loss-divergence", "nsmon-training", "Best training loss", best_loss),
    ("loss-plateau", "nsmon-training", "Training loss", last_epoch_loss),
    ("loss-plateau", "nsmon-training", "Loss change over 3 epochs", loss_change_3_epochs),
    ("training-slowdown", "nsmon-training", "Batch time p95",
     histogram_p95("batch_processing_seconds", train_batches, phase="train")),
    ("latency-spike", "nsmon-inference", "Latency p95 with and without SAHI",
     histogram_p95("inference_time_seconds", sahi_events("true"), use_sahi="true")),
    ("latency-spike", "nsmon-inference", "Latency p95 with and without SAHI",
     histogram_p95("inference_time_seconds", sahi_events("false"), use_sahi="false")),
    ("latency-spike", "nsmon-inference", "Latency p95 with and without SAHI", sahi_above),
    ("throughput-drop", "nsmon-inference", "Images per second", images_per_second),
    ("error-burst", "nsmon-errors", "Errors by stage", errors_by_stage),
    ("error-burst", "nsmon-errors", "Errors in range", errors_in_range),
    ("error-burst", "nsmon-errors", FIRING_ALERTS, high_error_rate_firing),
    ("error-burst", "nsmon-slo-neurosymbolic-app", "Burn rate now", burn_rate_5m, "inference-success"),
    ("error-burst", "nsmon-slo-neurosymbolic-app", "Burn-rate alerts firing", burn_alerts_firing,
     "inference-success"),
    ("gpu-leak", "nsmon-system", "GPU memory", gpu_memory),
    ("gpu-leak", "nsmon-training", "GPU memory", gpu_memory),
    ("prolog-failures", "nsmon-pipeline", "Failed Prolog queries", failed_prolog_queries),
    ("prolog-failures", "nsmon-pipeline", "Prolog failure ratio", prolog_failure_ratio),
    ("graph-growth", "nsmon-pipeline", "Relationships per image", relationships_per_image),
    ("graph-growth", "nsmon-pipeline", "Graph size", graph_size),
]


class Context:
    def __init__(self, run):
        self.run = run
        self.prom = Prometheus(run["prometheus"])
        self.dashboards = Dashboards(run["dashboards"])
        self.instance = {name: s["instance"] for name, s in run["scenarios"].items()}
        self.truth = {}
        for name, s in run["scenarios"].items():
            with open(s["truth"], encoding="utf-8") as f:
                self.truth[name] = json.load(f)
        with open(run["catalog"], encoding="utf-8") as f:
            self.buckets = {m["name"]: m["buckets"] for m in yaml.safe_load(f)["metrics"]
                            if "buckets" in m}
        # Query times must be in Prometheus's past: wait for the latest one a check uses. `now`
        # (for the alerts and the SLO's recordings) is later by a scrape and an evaluation (1 s),
        # so the rules have seen every detector's final figures.
        latest = max(t["finished_at"] for t in self.truth.values()) + 2 * GAP + LAG
        time.sleep(max(0.0, latest + GAP + 1.0 - time.time()))
        self.now = time.time()


def check(run_file):
    with open(run_file, encoding="utf-8") as f:
        ctx = Context(json.load(f))
    failed = skipped = passed = 0
    for row in CHECKS:
        scenario, uid, titles, fn = row[:4]
        titles = [titles] if isinstance(titles, str) else titles
        where = f"{scenario} | {uid} | {titles[0]}"
        ctx.prom.sent = []
        try:
            dashboard, panel = ctx.dashboards.panel(uid, titles, row[4] if len(row) > 4 else None)
            where = f"{scenario} | {dashboard.get('title')} ({uid}) | {panel.get('title')}"
            line = fn(Probe(ctx, scenario, dashboard, panel))
            print(f"ok    {where}: {line}")
            passed += 1
        except Skip as e:
            print(f"SKIP  {where}: {e}")
            skipped += 1
        except Exception as e:   # a Mismatch, or a check that could not read what it needs
            failed += 1
            print(f"FAIL  {where}: {'' if isinstance(e, Mismatch) else type(e).__name__ + ': '}{e}")
            printed = set()
            for expr, at, result in ctx.prom.sent:
                if (expr, at) in printed:
                    continue
                printed.add((expr, at))
                answer = [(s["metric"], s["value"][1]) for s in result]
                print(f"      query at {at:.3f}: {expr}\n      Prometheus: {json.dumps(answer)[:1500]}")
            faults = {k: v for k, v in ctx.truth[scenario]["faults"].items() if v}
            print(f"      detector: {ctx.instance[scenario]} {json.dumps(faults)}, run "
                  f"{ctx.truth[scenario]['started_at']:.3f}..{ctx.truth[scenario]['finished_at']:.3f}")
    print(f"{passed} checks passed, {skipped} skipped, {failed} failed")
    return 1 if failed else 0


def scale_rules(src, dst):
    """A copy of an alerting rule file that runs 60 times faster: each group's interval 1s and
    each for: divided by 60 (2m -> 2s); the expressions are kept as they are."""
    units = {"s": 1, "m": 60, "h": 3600}

    def scaled(m):
        seconds = sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([smh])", m.group(2)))
        return f"{m.group(1)}{max(1, round(seconds / 60))}s"
    with open(src, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"(?m)^(\s+interval:\s*)(\S+)", lambda m: m.group(1) + "1s", text)
    text = re.sub(r"(?m)^(\s+for:\s*)([0-9smh]+)\s*$", scaled, text)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    if argv[1:2] == ["scenarios"]:
        for name, options in SCENARIOS:
            print(name, options)
        return 0
    if argv[1:2] == ["scale-rules"] and len(argv) == 4:
        scale_rules(argv[2], argv[3])
        return 0
    if argv[1:2] == ["check"] and len(argv) == 3:
        return check(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
