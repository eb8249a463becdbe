#!/usr/bin/python3
"""Helper of bench_slo_cost.sh: what generated SLO rules cost a real Prometheus.

  slo_cost.py data --mode smoke|full --end T --tsdb DIR RULES.yml...
    Synthesises what the rules read, ending at T (seconds, a multiple of 2h) and covering the SLO
    period (30d) plus an hour: the raw series of the metrics Sloth's examples use, at a realistic
    number of series and scrape interval, and every series a recording rule of RULES.yml records
    that some rule reads, at the rule evaluation interval. Backfills them into DIR with promtool
    (`tsdb create-blocks-from openmetrics`), one input file per 2h block (full) or per day
    (smoke): promtool 2.42 parses its whole input once per 2h block it writes, so one file for
    30 days would be parsed 360 times.
  slo_cost.py measure --server URL --end T --step S --runs N --sloth DIR --nsmon DIR SPEC...
    For each SPEC, the rules DIR/SPEC.yml of each side (Prometheus rule files, several documents,
    or PrometheusRule manifests: `spec.groups`): every rule's expression evaluated at T through
    /api/v1/query with stats=all. Samples read = data.stats.samples.totalQueryableSamples, plus
    what the inner evaluation of each subquery reads: Prometheus 2.42 counts only a subquery's
    output points when a function such as sum_over_time consumes it (prometheus/prometheus#16638),
    so the inner expression is evaluated again as a range query over the subquery's steps. Prints
    per rule group, per rule set (nsmon against Sloth) and the period rule against its form from
    raw series. Exits 1 when a query fails or a recording rule selects nothing (the data would not
    be what the rule reads, and an empty answer must never look cheap).
"""
import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

PERIOD = 30 * 86400  # the SLO period of every example (Sloth's default, and OpenSLO's timeWindows)
MARGIN = 3600  # data before the period's start: range windows and the 5m lookback
BLOCK = 7200  # promtool's block duration

# Intervals in seconds, how far back the data goes, and how many of each label value. full: a
# mid-size service (180 series of http_request_duration_seconds_count per job), a kube-apiserver
# (1,380 series: only the metrics and buckets the examples select), a home with 25 wifi clients
# (1,765 raw series in all), all scraped every minute, rules evaluated every minute, over the
# period and an hour. smoke, for CI: the same
# shapes with few series, coarse, over the last 3 days and an hour only (the longest window of a
# query of raw series in Sloth's rules): promtool spends tens of milliseconds on every 2h block it
# writes, even a nearly empty one, and 30 days are 361 blocks. Its reads over 30d read 3 days.
PROFILES = {
    "full": dict(scrape=60, eval=60, history=PERIOD + MARGIN, instances=6, handlers=5, codes=6,
                 api_instances=3, resources=10, api_codes=4, clients=25, chunk=BLOCK, jobs=2),
    "smoke": dict(scrape=120, eval=600, history=3 * 86400 + MARGIN, instances=2, handlers=2, codes=3,
                  api_instances=1, resources=2, api_codes=2, clients=5, chunk=12 * BLOCK, jobs=2),
}

HANDLERS = ["/api/v1/items", "/api/v1/orders", "/api/v1/users", "/healthz", "/metrics"]
HTTP_CODES = [("200", 20.0), ("500", 0.02), ("404", 0.5), ("429", 0.05), ("503", 0.01), ("304", 2.0)]
VERBS = ["GET", "LIST", "WATCH", "POST", "PUT", "PATCH", "DELETE"]
RESOURCES = ["pods", "services", "endpoints", "configmaps", "secrets", "nodes", "deployments",
             "replicasets", "leases", "events", "namespaces", "serviceaccounts"]
API_CODES = {"POST": [("201", 1.0), ("500", 0.002), ("409", 0.05), ("429", 0.001)],
             "WATCH": [("200", 0.1)]}
API_CODES_DEFAULT = [("200", 5.0), ("500", 0.005), ("404", 0.2), ("429", 0.002)]


def labels_text(name, labels):
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


class Series:
    """One synthetic series: its exposition name, every how many seconds it has a sample, and how
    its values go (a counter's mean increment per sample, a gauge's table, a constant)."""

    def __init__(self, text, interval, kind, rate=0.0, seed=0, value=""):
        self.text, self.interval, self.kind, self.seed, self.value = text, interval, kind, seed, value
        self.history = PERIOD + MARGIN  # seconds of samples before the end
        self.inc = max(rate * interval, 0.0)
        self.total = 0

    def lines(self, end, t0, t1):
        """Exposition lines for the timestamps in [t0, t1) on this series' grid (up to end)."""
        iv = self.interval
        start = end - self.history
        t1 = min(t1, end + 1)
        first = start + -(-(t0 - start) // iv) * iv
        ts = range(max(first, start), t1, iv)
        if not ts:
            return ""
        k0 = (ts[0] - start) // iv
        if self.kind == "counter":
            # Whole increments of about rate x interval, deterministic: counters stay exact.
            base = int(self.inc)
            spread = max(base // 2, 1) + 1
            frac = int((self.inc - base) * 1000)
            incs = [base + (k * 7919 + self.seed) % spread + ((k * 40503 + self.seed) % 1000 < frac)
                    for k in range(k0, k0 + len(ts))]
            values = list(itertools.accumulate(incs, initial=self.total))[1:]
            self.total = values[-1]
        elif self.kind == "gauge":
            values = [GAUGE[(k * 31 + self.seed) % len(GAUGE)] for k in range(k0, k0 + len(ts))]
        else:
            values = itertools.repeat(self.value)
        text = self.text
        return "".join([f"{text} {v} {t}\n" for v, t in zip(values, ts)])


# A wifi client's satisfaction: mostly good, now and then below 0.75 and rarely below 0.5.
GAUGE = [f"{0.99 - 0.6 * (((i * 7919) % 997) / 997) ** 4:.3f}" for i in range(997)]


def raw_series(p):
    out = []
    seed = itertools.count(1)
    for job in ("myservice", "myapp"):
        for i in range(p["instances"]):
            for h in HANDLERS[:p["handlers"]]:
                for code, rate in HTTP_CODES[:p["codes"]]:
                    labels = dict(job=job, instance=f"10.0.1.{i + 1}:8080", handler=h, method="GET", code=code)
                    out.append(Series(labels_text("http_request_duration_seconds_count", labels), p["scrape"],
                                      "counter", rate, next(seed)))
    for i in range(p["api_instances"]):
        instance = f"10.0.0.{i + 1}:6443"
        for verb in VERBS:
            for res in RESOURCES[:p["resources"]]:
                base = dict(job="apiserver", instance=instance, verb=verb, resource=res)
                for code, rate in API_CODES.get(verb, API_CODES_DEFAULT)[:p["api_codes"]]:
                    out.append(Series(labels_text("apiserver_request_total", dict(base, code=code)), p["scrape"],
                                      "counter", rate, next(seed)))
                out.append(Series(labels_text("apiserver_request_duration_seconds_count", base), p["scrape"],
                                  "counter", 5.0, next(seed)))
                # Only the buckets the examples select: no rule reads the others.
                for le, share in (("0.4", 0.97), ("5", 0.999)):
                    out.append(Series(labels_text("apiserver_request_duration_seconds_bucket", dict(base, le=le)),
                                      p["scrape"], "counter", 5.0 * share, next(seed)))
    for c in range(p["clients"]):
        labels = dict(job="unifipoller", name=f"client-{c + 1}", mac=f"02:00:00:00:{c // 256:02x}:{c % 256:02x}",
                      ap_name=f"ap-{c % 3 + 1}", site_name="default")
        out.append(Series(labels_text("unifipoller_client_satisfaction_ratio", labels), p["scrape"], "gauge",
                          seed=next(seed)))
    return out


# --- Rule files -------------------------------------------------------------------------------

class Rule:
    def __init__(self, group, rule):
        self.group = group
        self.kind = "record" if "record" in rule else "alert"
        self.name = str(rule.get("record") or rule.get("alert"))
        self.expr = str(rule["expr"])
        self.labels = {str(k): str(v) for k, v in (rule.get("labels") or {}).items()}


def load_rules(path):
    """Every rule of a rule file, in order: documents with `groups`, or PrometheusRule manifests."""
    rules = []
    with open(path) as f:
        for doc in yaml.safe_load_all(f):
            if not isinstance(doc, dict):
                continue
            groups = doc.get("groups")
            if groups is None and isinstance(doc.get("spec"), dict):
                groups = doc["spec"].get("groups")
            for g in groups or []:
                rules += [Rule(str(g["name"]), r) for r in g.get("rules") or []]
    return rules


IDENT = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def recorded_series(rule_files, interval):
    """One series per recording rule some rule reads, keyed so that the same SLO's recording from
    several files (Sloth's, nsmon's, a spec and its k8s twin) is one series, as in one Prometheus."""
    rules = [r for path in rule_files for r in load_rules(path)]
    read = {m for r in rules for m in IDENT.findall(r.expr)}
    series = {}
    for r in rules:
        if r.kind != "record" or r.name not in read:
            continue
        labels = {k: v for k, v in r.labels.items() if k not in ("cmd", "sloth_version")}
        if "sloth_id" in labels:
            key = (r.name, labels["sloth_id"], labels.get("sloth_window", ""))
        else:
            key = (r.name, tuple(sorted(labels.items())))
        if key not in series:
            value = "0.0004" if "sli_error" in r.name else "0.001"
            series[key] = Series(labels_text(r.name, labels), interval, "constant", value=value)
    return list(series.values())


def cmd_data(a):
    p = PROFILES[a.mode]
    end = a.end
    start = end - p["history"]
    assert end % BLOCK == 0 and BLOCK % p["scrape"] == 0 and BLOCK % p["eval"] == 0
    raw = raw_series(p)
    recorded = recorded_series(a.rules, p["eval"])
    series = raw + recorded
    for s in series:
        s.history = p["history"]
    os.makedirs(a.tsdb, exist_ok=True)
    t = time.monotonic()
    samples = 0
    running = []

    def reap(limit):
        while len(running) > limit:
            proc, path = running.pop(0)
            err = proc.communicate()[1]
            if proc.returncode != 0:
                sys.exit(f"promtool tsdb create-blocks-from openmetrics {path} failed ({proc.returncode}):\n"
                         f"{err.decode()[-2000:]}")
            os.remove(path)

    # Files are written while promtool reads the previous ones (at most `jobs` at once).
    for c0 in range(start - start % p["chunk"], end + 1, p["chunk"]):
        c1 = min(c0 + p["chunk"], end + 1)
        path = os.path.join(a.work, f"chunk-{c0}.om")
        with open(path, "w") as f:
            for s in series:
                text = s.lines(end, c0, c1)
                samples += text.count("\n")
                f.write(text)
            f.write("# EOF\n")
        reap(p["jobs"] - 1)
        running.append((subprocess.Popen(["promtool", "tsdb", "create-blocks-from", "openmetrics", "-q", path, a.tsdb],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), path))
    reap(0)
    print(f"data: {len(raw):,} raw series every {p['scrape']} s, {len(recorded):,} recorded series every "
          f"{p['eval']} s, over {span(p['history'])} to "
          f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime(end))} UTC: {samples:,} samples, backfilled in "
          f"{time.monotonic() - t:.1f} s")


def span(secs):
    return f"{secs // 86400}d{secs % 86400 // 3600}h"


# --- Measuring --------------------------------------------------------------------------------

DURATION = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
UNIT = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


def seconds(text):
    text = text.strip()
    parts = DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r}")
    return sum(int(n) * UNIT[u] for n, u in parts)


def brackets(expr):
    """Matching bracket positions outside string literals and comments."""
    match, stack, i = {}, [], 0
    while i < len(expr):
        c = expr[i]
        if c in "\"'`":
            i += 1
            while i < len(expr) and expr[i] != c:
                i += 2 if expr[i] == "\\" and c != "`" else 1
        elif c == "#":
            while i < len(expr) and expr[i] != "\n":
                i += 1
        elif c in "([{":
            stack.append(i)
        elif c in ")]}":
            o = stack.pop()
            match[o], match[i] = i, o
        i += 1
    return match


def subqueries(expr):
    """(inner expression, range, step or None) of each outermost subquery `X[range:step]`."""
    match = brackets(expr)

    def back(i):  # the last non-blank position before i
        i -= 1
        while i >= 0 and expr[i].isspace():
            i -= 1
        return i

    def word_before(i):  # (start, word) of an identifier ending at i, else (i + 1, "")
        s = i
        while s >= 0 and (expr[s].isalnum() or expr[s] in "_:"):
            s -= 1
        return s + 1, expr[s + 1:i + 1]

    def operand_start(o):
        j = back(o)
        if expr[j] == "}":  # name{matchers} or {matchers}
            s, _ = word_before(back(match[j]))
            return min(s, match[j])
        if expr[j] != ")":  # a bare metric name
            return word_before(j)[0]
        s = match[j]
        k = back(s)
        if k >= 0 and expr[k] == ")":  # agg by (labels) (expr)
            ws, w = word_before(back(match[k]))
            if w in ("by", "without"):
                return word_before(back(ws))[0]
            return s
        ws, w = word_before(k)
        if w in ("by", "without"):  # agg(expr) by (labels)
            return word_before(back(match[back(ws)]))[0]
        return ws if w else s

    found = []
    for o in sorted(i for i, c in enumerate(expr) if c == "[" and i in match):
        body = expr[o + 1:match[o]]
        if ":" not in body:
            continue
        start = operand_start(o)
        if any(s <= start and o < e for s, e, *_ in found):
            continue  # inside another subquery: its reads are part of that one's
        rng, _, step = body.partition(":")
        found.append((start, match[o], expr[start:o], seconds(rng), seconds(step) if step.strip() else None))
    return [(inner, rng, step) for _, _, inner, rng, step in found]


class Prometheus:
    def __init__(self, server, end, step, runs):
        self.server, self.end, self.step, self.runs = server, end, step, runs
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
        self.cache = {}

    def call(self, path, params):
        data = urllib.parse.urlencode(params).encode()
        try:
            with self.opener.open(urllib.request.Request(self.server + path, data=data), timeout=900) as r:
                body = json.load(r)
        except urllib.error.HTTPError as e:
            body = json.load(e)
        if body.get("status") != "success":
            raise RuntimeError(f"{body.get('errorType')}: {body.get('error')}")
        return body["data"]

    def cost(self, expr):
        """dict(samples, reported, peak, seconds, series) of one evaluation of expr at end."""
        if expr in self.cache:
            return self.cache[expr]
        best = None
        for _ in range(self.runs):
            d = self.call("/api/v1/query", dict(query=expr, time=self.end, stats="all"))
            st = d["stats"]
            c = dict(reported=st["samples"]["totalQueryableSamples"], peak=st["samples"]["peakSamples"],
                     seconds=st["timings"]["evalTotalTime"],
                     series=len(d["result"]) if d["resultType"] in ("vector", "matrix") else 1)
            if best is not None and best["reported"] != c["reported"]:
                raise RuntimeError(f"samples differ between runs: {best['reported']} and {c['reported']}")
            if best is None or c["seconds"] < best["seconds"]:
                best = c
        best["samples"] = best["reported"] + sum(self.subquery_reads(inner, rng, step or self.step)
                                                 for inner, rng, step in subqueries(expr))
        self.cache[expr] = best
        return best

    def subquery_reads(self, inner, rng, step):
        """What a subquery's inner evaluation reads beyond the output points Prometheus counts: the
        inner expression as range queries over the subquery's steps (at most 11,000 per query)."""
        first = -(-(self.end - rng) // step) * step
        extra = 0
        for s in range(first, self.end + 1, 10000 * step):
            e = min(s + 9999 * step, self.end)
            d = self.call("/api/v1/query_range", dict(query=inner, start=s, end=e, step=step, stats="all"))
            extra += d["stats"]["samples"]["totalQueryableSamples"] - sum(len(r["values"]) for r in d["result"])
        return extra


def n(x):
    return f"{x:,}"


def period_raw(expr, period="30d"):
    """The 5m SLI expression with its windows at the period: what Sloth generates for the period
    with disableOptimized, and what nsmon generated before bfb3565. Sloth renders {{.window}}
    into the user's queries; in its examples every [5m] and [5m:] comes from it."""
    return re.sub(r"\[5m(:[^\]]*)?\]", lambda m: f"[{period}{m.group(1) or ''}]", expr)


def cmd_measure(a):
    prom = Prometheus(a.server, a.end, a.step, a.runs)
    failures = []
    summary = []
    period_rows = {}

    def measure(rules, side, spec):
        out = []
        for r in rules:
            try:
                c = prom.cost(r.expr)
            except (RuntimeError, ValueError) as e:
                failures.append(f"{spec}: {side} {r.kind} {r.name} [{r.group}]: {e}")
                continue
            if r.kind == "record" and c["series"] == 0:
                failures.append(f"{spec}: {side} recording {r.name} [{r.group}] selects nothing at the end "
                                f"of the data: the synthetic series do not cover it (bench/slo_cost.py raw_series)")
            out.append((r, c))
        return out

    for spec in a.specs:
        sloth = measure(load_rules(os.path.join(a.sloth, spec + ".yml")), "Sloth", spec)
        nsmon_path = os.path.join(a.nsmon, spec + ".yml")
        refused = None
        if os.path.exists(nsmon_path):
            nsmon = measure(load_rules(nsmon_path), "nsmon", spec)
        else:
            nsmon = []
            log = os.path.join(a.nsmon, spec + ".log")
            lines = open(log).read().splitlines() if os.path.exists(log) else []
            refused = next((line for line in lines if "error" in line), lines[0] if lines else "no output")
        slos = list(dict.fromkeys(r.labels["sloth_id"] for r, _ in sloth if "sloth_id" in r.labels))
        print(f"\n== {spec}: {len(slos)} SLO{'s' if len(slos) != 1 else ''}, Sloth {len(sloth)} rules, "
              + (f"nsmon {len(nsmon)} rules" if refused is None else "nsmon refused it"))
        groups = list(dict.fromkeys([r.group for r, _ in sloth] + [r.group for r, _ in nsmon]))
        width = max(len(g) for g in groups + ["total"])
        tot = {side: sum(c["samples"] for _, c in rows) for side, rows in (("Sloth", sloth), ("nsmon", nsmon))}
        print(f"  {'group':<{width}}  {'Sloth rules':>11} {'samples':>12}  {'nsmon rules':>11} {'samples':>12}")

        def group_sum(side, g):
            rows = [c["samples"] for r, c in side if r.group == g]
            return (f"{len(rows):>11} {n(sum(rows)):>12}") if rows else f"{'':>11} {'-':>12}"

        for g in groups:
            print(f"  {g:<{width}}  {group_sum(sloth, g)}  {group_sum(nsmon, g)}")
        ratio = f"{tot['nsmon'] / tot['Sloth']:.2f}x" if refused is None and tot["Sloth"] else "-"
        print(f"  {'total':<{width}}  {len(sloth):>11} {n(tot['Sloth']):>12}  "
              + (f"{len(nsmon):>11} {n(tot['nsmon']):>12}   nsmon/Sloth {ratio}" if refused is None else
                 f"{'':>11} {'-':>12}"))
        for side, rows in (("Sloth", sloth), ("nsmon", nsmon)):
            if not rows:
                continue
            r, c = max(rows, key=lambda rc: rc[1]["samples"])
            reported = sum(c["reported"] for _, c in rows)
            print(f"  {side}: most expensive {r.name} [{r.group}]: {n(c['samples'])} samples "
                  f"({c['samples'] / max(tot[side], 1):.0%})\n"
                  f"         one evaluation {sum(c['seconds'] for _, c in rows) * 1000:.1f} ms (sum of evalTotalTime), "
                  f"peak {n(max(c['peak'] for _, c in rows))} samples"
                  + (f"; Prometheus reports {n(reported)} (subqueries' inner reads left out)"
                     if reported != tot[side] else ""))
        if refused is not None:
            print(f"  nsmon: {refused}")
        # The period rule of each SLO, against its form from raw series.
        for r, c in sloth:
            sid = r.labels.get("sloth_id")
            if r.kind != "record" or r.name != "slo:sli_error:ratio_rate5m" or sid in period_rows:
                continue
            opt = next((c2 for r2, c2 in sloth if r2.name == "slo:sli_error:ratio_rate30d"
                        and r2.labels.get("sloth_id") == sid), None)
            ns = next((c2 for r2, c2 in nsmon if r2.name == "slo:sli_error:ratio_rate30d"
                       and r2.labels.get("sloth_id") == sid), None)
            try:
                raw = prom.cost(period_raw(r.expr))
            except (RuntimeError, ValueError) as e:
                failures.append(f"{spec}: the period from raw series of {sid}: {e}")
                continue
            period_rows[sid] = (opt, ns, raw)
        summary.append((spec, slos, sloth, nsmon, refused))

    print("\nsamples read per evaluation of each rule set (stats=all at the data's end, subqueries with their "
          "inner reads; ms: the sum of evalTotalTime), and Sloth's set with its period rules from raw series:")
    print(f"  {'spec':<28} {'SLOs':>4}  {'Sloth rules':>11} {'samples':>11} {'ms':>7}  "
          f"{'nsmon rules':>11} {'samples':>11} {'ms':>7}  {'nsmon/Sloth':>11}  {'period raw':>11} {'/Sloth':>7}")
    both = [0, 0]  # the specs nsmon generates rules for: Sloth's samples, nsmon's
    for spec, slos, sloth, nsmon, refused in summary:
        s = sum(c["samples"] for _, c in sloth)
        ms = sum(c["seconds"] for _, c in sloth) * 1000
        if refused is None:
            t = sum(c["samples"] for _, c in nsmon)
            both[0] += s
            both[1] += t
            nms = sum(c["seconds"] for _, c in nsmon) * 1000
            right = f"{len(nsmon):>11} {n(t):>11} {nms:>7.1f}  {(t / s if s else 0):>10.2f}x"
        else:
            right = f"{'refused':>11} {'-':>11} {'-':>7}  {'-':>11}"
        rows = [period_rows[sid] for sid in slos if sid in period_rows]
        raw = s + sum(r["samples"] - (o["samples"] if o else 0) for o, _, r in rows)
        print(f"  {spec:<28} {len(slos):>4}  {len(sloth):>11} {n(s):>11} {ms:>7.1f}  {right}  "
              f"{n(raw):>11} {(raw / s if s else 0):>6.1f}x")
    print(f"  {'specs both generate':<28} {'':>4}  {'':>11} {n(both[0]):>11} {'':>7}  {'':>11} {n(both[1]):>11} "
          f"{'':>7}  {(both[1] / both[0] if both[0] else 0):>10.2f}x")

    print("\nthe period rule (slo:sli_error:ratio_rate30d) per SLO, samples per evaluation and ms: Sloth's (the 5m "
          "recording averaged over 30d),\nnsmon's, and from raw series over 30d (Sloth's disableOptimized; what "
          "nsmon generated before bfb3565):")
    print(f"  {'sloth_id':<46} {'Sloth':>8} {'ms':>6} {'nsmon':>8} {'ms':>6} {'from raw':>12} {'ms':>8} {'raw/Sloth':>9}")
    for sid, (opt, ns, raw) in period_rows.items():
        o = opt["samples"] if opt else 0
        def cols(c):
            return f"{n(c['samples']):>8} {c['seconds'] * 1000:>6.1f}" if c else f"{'-':>8} {'-':>6}"

        print(f"  {sid:<46} {cols(opt)} {cols(ns)} {n(raw['samples']):>12} {raw['seconds'] * 1000:>8.1f} "
              f"{(raw['samples'] / o if o else 0):>8.0f}x")

    if failures:
        print("\nbench: failed:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    if not any(refused is None for *_, refused in summary):
        print("bench: nsmon generated rules for none of the specs", file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data")
    d.add_argument("--mode", choices=PROFILES, required=True)
    d.add_argument("--end", type=int, required=True)
    d.add_argument("--tsdb", required=True)
    d.add_argument("--work", required=True)
    d.add_argument("rules", nargs="+")
    m = sub.add_parser("measure")
    m.add_argument("--server", required=True)
    m.add_argument("--end", type=int, required=True)
    m.add_argument("--step", type=int, required=True, help="the default subquery step: evaluation_interval")
    m.add_argument("--runs", type=int, default=1)
    m.add_argument("--sloth", required=True)
    m.add_argument("--nsmon", required=True)
    m.add_argument("specs", nargs="+")
    sub.add_parser("interval").add_argument("mode", choices=PROFILES)
    a = ap.parse_args()
    if a.cmd == "data":
        cmd_data(a)
    elif a.cmd == "interval":
        print(PROFILES[a.mode]["eval"])
    else:
        sys.exit(cmd_measure(a))


if __name__ == "__main__":
    main()
