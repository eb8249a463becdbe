#!/usr/bin/python3
"""Backfilled history of the application's metrics in a real Prometheus and VictoriaMetrics.

The fixture of the online checks (lint-rules --prometheus) and of backtest (issue 38). Interface
(kept stable; run it with /usr/bin/python3, which has python3-yaml):

  history.py up DIR [--hours H] [--step S] [--metrics all|rules] [--no-prometheus] [--no-victoria]
      Writes the history (DIR/history.om: OpenMetrics with timestamps in seconds, ending in
      `# EOF`; DIR/history.prom: the same as Prometheus text with timestamps in ms), loads it into
      Prometheus 2.42 (`promtool tsdb create-blocks-from openmetrics`, retention 100y) and into
      VictoriaMetrics 1.79 (its /api/v1/import/prometheus), starts both on free loopback ports,
      and starts a small exporter (this script's `serve`) that serves the history's last values
      with HELP and TYPE, scraped every 2 s by both as job "neurosymbolic-app" (so the servers
      also have targets, metadata, `up` and fresh samples now). Waits until both answer a query
      for the history and a first scrape. Prints shell assignments (also in DIR/servers.env):
        PROM_URL PROM_PID VM_URL VM_PID EXPORTER_URL EXPORTER_PID HISTORY_START HISTORY_END STEP
      (a server left out with --no-... has an empty URL and PID).
      DIR/planted.json describes the planted problems (all times Unix seconds):
        {"start", "end", "step", "scrape_interval",
         "stopped": {"metric", "labels", "last_seen"},     a metric that stopped being scraped
         "unseen_value": {"metric", "label", "value", "seen": [...]},  a label value never seen
         "never_existed": "gpu_temperature_celsius",       a metric no server has
         "unscraped_job": "trainer",                         a job no server scrapes
         "burst": {"metric", "labels", "start", "end", "rate"}}  errors_total rises at `rate`/s
      The burst makes HighErrorRate (rules/alert_rules.yml: rate(errors_total[5m]) > 0.1, for
      2m) fire once; its exact episode is what Prometheus's own evaluation gives on this data.
  history.py down DIR    stops what `up` started in DIR (by process id) and waits for them.
  history.py write DIR [--hours H] [--step S] [--metrics all|rules]   only the files, no server.
  history.py serve FILE PORT   (internal) the exporter of `up`.

--hours (default 6) is the length of the history, ending now (rounded down to the step);
--step (default 15, seconds) its sample spacing; --metrics rules keeps only the metrics
rules/alert_rules.yml reads (for long histories), all (default) every metric of
rules/catalog.yml. Values stay below every threshold of rules/alert_rules.yml except in the
burst. Nothing here contacts an address outside 127.0.0.1.
"""
import json
import math
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import yaml

from servers import start_server, tail

SRC = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
JOB, INSTANCE = "neurosymbolic-app", "localhost:8000"
TARGET = {"job": JOB, "instance": INSTANCE, "app": "neurosymbolic", "component": "main"}
SCRAPE_INTERVAL = 2
RULE_METRICS = {"training_loss", "validation_map", "inference_time_seconds", "errors_total", "cpu_usage_percent",
                "gpu_memory_allocated_bytes", "gpu_memory_reserved_bytes", "memory_available_bytes",
                "gpu_utilization_percent", "images_processed_total"}
# A value for each label the catalog leaves open.
OPEN_VALUES = {"model": "yolov8", "epoch": "3", "iou_threshold": "0.5", "phase": "train", "stage": "detect",
               "image_id": "img-1", "relationship_type": "spatial_left", "device_id": "0", "error_type": "ValueError",
               "app_name": "neurosymbolic", "version": "1.0.0", "python_version": "3.11"}
GAUGES = {"training_loss": 0.4, "validation_map": 0.6, "cpu_usage_percent": 40, "memory_usage_bytes": 4e9,
          "memory_available_bytes": 8e9, "gpu_memory_allocated_bytes": 4e9, "gpu_memory_reserved_bytes": 8e9,
          "gpu_utilization_percent": 55, "learning_rate": 0.001, "training_epochs_planned": 100}
STOPPED = "gpu_utilization_percent"
STOPPED_BEFORE_END = 2 * 3600  # or half the history if shorter
UNSEEN = ("images_processed_total", "status", "failed")
BURST_RATE = 1.0  # errors per second during the burst


def fmt_labels(labels):
    return "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else ""


def label_sets(m):
    """The label sets of a catalog metric: every fixed value, one value for the open labels."""
    sets = [dict(TARGET)]
    for name, spec in (m.get("labels") or {}).items():
        values = (spec or {}).get("values") or [OPEN_VALUES.get(name, "a")]
        if m["name"] == UNSEEN[0] and name == UNSEEN[1]:
            values = [v for v in values if v != UNSEEN[2]]
        sets = [dict(s, **{name: v}) for s in sets for v in values]
    return sets


class History:
    def __init__(self, hours, step, which):
        self.step = step
        self.end = int(time.time()) // step * step
        self.start = self.end - int(hours * 3600) // step * step
        span = self.end - self.start
        self.stopped_at = self.end - min(STOPPED_BEFORE_END, span // 2) // step * step
        # The burst: 20 minutes (or a sixth of the history), ending an hour (or a third) before the end.
        length = min(1200, span // 6) // step * step
        self.burst_end = self.end - min(3600, span // 3) // step * step
        self.burst_start = self.burst_end - length
        catalog = yaml.safe_load(open(os.path.join(SRC, "rules", "catalog.yml")))
        self.metrics = [m for m in catalog["metrics"] if which == "all" or m["name"] in RULE_METRICS]

    def burst_labels(self):
        return dict(TARGET, error_type="CudaOOM", stage="detect")

    def errors(self, t):
        """errors_total{error_type="CudaOOM"}: flat but for the burst."""
        if t <= self.burst_start: return 3.0
        return 3.0 + BURST_RATE * (min(t, self.burst_end) - self.burst_start)

    def families(self, t_last=None):
        """(family, type, help, [(sample name, labels, f(t))]) for every metric."""
        for m in self.metrics:
            name, kind, help_ = m["name"], m["type"], m.get("help", "")
            phase = float(sum(map(ord, name)) % 600)  # deterministic, unlike hash()
            if kind == "counter":
                fam = name[:-len("_total")] if name.endswith("_total") else name
                series = [(name, ls, (lambda t, k=i: 0.2 * (k + 1) * (t - self.start))) for i, ls in
                          enumerate(label_sets(m))]
                if name == "errors_total":
                    # Prolog errors in the symbolic stage, slowly: no series has CudaOOM there
                    # (server/selector-empty's transcript: each matcher alone matches some).
                    series = [(name, dict(ls, stage="detect"), lambda t: 0.001 * (t - self.start)) for ls in
                              label_sets(m)] + [(name, self.burst_labels(), self.errors),
                                                (name, dict(TARGET, error_type="PrologError", stage="symbolic"),
                                                 lambda t: 0.0005 * (t - self.start))]
                    series = [(n, {k: ls[k] for k in sorted(ls)}, f) for n, ls, f in series]
                yield fam, "counter", help_, dedupe(series)
            elif kind in ("gauge", "info"):
                base = 1.0 if kind == "info" else GAUGES.get(name, 10.0)
                amp = 0.0 if kind == "info" else 0.1 * base
                f = (lambda t, b=base, a=amp, p=phase: b + a * math.sin((t + p) / 3600 * 2 * math.pi))
                yield name, "gauge", help_, [(name, ls, f) for ls in label_sets(m)]
            elif kind == "histogram":
                buckets = [float(b) for b in m.get("buckets") or [0.1, 1, 10]]
                series = []
                for ls in label_sets(m):
                    rate = 2.0
                    count = (lambda t, r=rate: r * (t - self.start))
                    for i, le in enumerate(buckets + [math.inf]):
                        frac = 1.0 if le == math.inf else 1 - 0.5 ** (i + 1)
                        series.append((name + "_bucket", dict(ls, le=go_float(le)),
                                       (lambda t, c=count, fr=frac: math.floor(c(t) * fr))))
                    series.append((name + "_count", ls, (lambda t, c=count: math.floor(c(t)))))
                    if min(buckets) >= 0:  # a histogram with negative buckets has no _sum (OpenMetrics)
                        series.append((name + "_sum", ls, (lambda t, c=count, b=buckets: c(t) * b[0])))
                yield name, "histogram", help_, series
            elif kind == "summary":
                series = []
                for ls in label_sets(m):
                    series.append((name + "_count", ls, (lambda t: math.floor(1.0 * (t - self.start)))))
                    series.append((name + "_sum", ls, (lambda t: 0.5 * (t - self.start))))
                yield name, "summary", help_, series

    def times(self, name):
        t = self.start
        last = self.stopped_at if name == STOPPED else self.end
        while t <= last:
            yield t
            t += self.step

    def write(self, directory):
        with open(os.path.join(directory, "history.om"), "w") as om, \
                open(os.path.join(directory, "history.prom"), "w") as prom:
            for fam, kind, help_, series in self.families():
                om.write(f"# HELP {fam} {help_}\n# TYPE {fam} {kind}\n")
                for name, ls, f in series:
                    key = name + fmt_labels(ls)
                    for t in self.times(fam):
                        v = num(f(t))
                        om.write(f"{key} {v} {t}\n")
                        prom.write(f"{key} {v} {t * 1000}\n")
            om.write("# EOF\n")
        with open(os.path.join(directory, "live.prom"), "w") as live:
            for fam, kind, help_, series in self.families():
                if fam == STOPPED: continue
                # The text format names a counter's family with its _total, as prometheus_client does.
                typed = series[0][0] if kind == "counter" else fam
                live.write(f"# HELP {typed} {help_}\n# TYPE {typed} {kind}\n")
                for name, ls, f in series:
                    plain = {k: v for k, v in ls.items() if k not in TARGET}
                    live.write(f"{name}{fmt_labels(plain)} {num(f(self.end))}\n")
        seen = [v for v in ([s["values"] for n, s in self.labels_of(UNSEEN[0]).items() if n == UNSEEN[1]] or [[]])[0]
                if v != UNSEEN[2]]
        planted = {
            "start": self.start, "end": self.end, "step": self.step, "scrape_interval": SCRAPE_INTERVAL,
            "stopped": {"metric": STOPPED, "labels": dict(TARGET, device_id="0"), "last_seen": self.stopped_at},
            "unseen_value": {"metric": UNSEEN[0], "label": UNSEEN[1], "value": UNSEEN[2], "seen": seen},
            "never_existed": "gpu_temperature_celsius",
            "unscraped_job": "trainer",
            "burst": {"metric": "errors_total", "labels": self.burst_labels(), "start": self.burst_start,
                      "end": self.burst_end, "rate": BURST_RATE},
        }
        with open(os.path.join(directory, "planted.json"), "w") as f:
            json.dump(planted, f, indent=1, sort_keys=True)
        return planted

    def labels_of(self, metric):
        for m in self.metrics:
            if m["name"] == metric: return m.get("labels") or {}
        return {}


def dedupe(series):
    seen, out = set(), []
    for n, ls, f in series:
        key = n + fmt_labels(ls)
        if key not in seen:
            seen.add(key)
            out.append((n, ls, f))
    return out


def go_float(x):
    if x == math.inf: return "+Inf"
    return repr(float(x)) if float(x) != int(x) else str(int(x)) + ".0"


def num(v):
    return repr(float(v)) if v != int(v) else str(int(v))


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def wait_until(pred, seconds, what, proc=None, log=None):
    end = time.time() + seconds
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"history.py: {what}: the process exited; its log: {tail(log)}")
        try:
            if pred(): return
        except Exception:
            pass
        time.sleep(0.2)
    raise SystemExit(f"history.py: {what} did not happen within {seconds} s; log: {tail(log)}")


def scrape_config(directory, exporter_port):
    text = f"""global:
  scrape_interval: {SCRAPE_INTERVAL}s
scrape_configs:
  - job_name: {JOB}
    static_configs:
      - targets: ['127.0.0.1:{exporter_port}']
        labels: {{app: neurosymbolic, component: main}}
    relabel_configs:
      - {{target_label: instance, replacement: '{INSTANCE}'}}
"""
    path = os.path.join(directory, "scrape.yml")
    open(path, "w").write(text)
    return path


def has_history(url, planted):
    q = urllib.parse.urlencode({"query": "count(errors_total)", "time": planted["burst"]["end"]})
    data = json.loads(get(f"{url}/api/v1/query?{q}"))
    return data["status"] == "success" and len(data["data"]["result"]) == 1


def scraped(url):
    data = json.loads(get(f"{url}/api/v1/query?query=up"))
    return data["status"] == "success" and len(data["data"]["result"]) >= 1


def up(directory, hours, step, which, want_prom, want_vm):
    directory = os.path.abspath(directory)
    os.makedirs(directory, exist_ok=True)
    planted = History(hours, step, which).write(directory)
    env = {"PROM_URL": "", "PROM_PID": "", "VM_URL": "", "VM_PID": "", "HISTORY_START": planted["start"],
           "HISTORY_END": planted["end"], "STEP": step}
    pids = []

    def record():
        with open(os.path.join(directory, "servers.env"), "w") as f:
            f.write("".join(f"{k}={v}\n" for k, v in env.items()))
        with open(os.path.join(directory, "pids"), "w") as f:
            f.write("".join(f"{p}\n" for p in pids))

    try:
        exporter, url = start_server(
            lambda port: [sys.executable, os.path.abspath(__file__), "serve", os.path.join(directory, "live.prom"),
                          str(port)], "/metrics", os.path.join(directory, "exporter.log"), 20)
        pids.append(exporter.pid)
        env.update(EXPORTER_URL=url, EXPORTER_PID=exporter.pid)
        record()
        config = scrape_config(directory, urllib.parse.urlsplit(url).port)
        if want_prom:
            data = os.path.join(directory, "prom")
            subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics",
                            os.path.join(directory, "history.om"), data], check=True, stdout=subprocess.DEVNULL)
            log = os.path.join(directory, "prometheus.log")
            p, url = start_server(
                lambda port: ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={data}",
                              "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}"],
                "/-/ready", log)
            pids.append(p.pid)
            env.update(PROM_URL=url, PROM_PID=p.pid)
            record()
            wait_until(lambda: has_history(env["PROM_URL"], planted), 60, "Prometheus serving the history", p, log)
            wait_until(lambda: scraped(env["PROM_URL"]), 30, "Prometheus's first scrape", p, log)
        if want_vm:
            log = os.path.join(directory, "victoria-metrics.log")
            p, url = start_server(
                lambda port: ["victoria-metrics", f"-httpListenAddr=127.0.0.1:{port}",
                              f"-storageDataPath={os.path.join(directory, 'vm')}", f"-promscrape.config={config}",
                              "-retentionPeriod=100y", "-search.latencyOffset=0s", "-search.disableCache"],
                "/health", log)
            pids.append(p.pid)
            env.update(VM_URL=url, VM_PID=p.pid)
            record()
            with open(os.path.join(directory, "history.prom"), "rb") as f:
                req = urllib.request.Request(f"{env['VM_URL']}/api/v1/import/prometheus", data=f, method="POST")
                req.add_header("Content-Length", str(os.path.getsize(os.path.join(directory, "history.prom"))))
                urllib.request.urlopen(req, timeout=600).read()
            try:
                get(f"{env['VM_URL']}/internal/force_flush")
            except Exception:
                pass
            wait_until(lambda: has_history(env["VM_URL"], planted), 60, "VictoriaMetrics serving the history", p, log)
            wait_until(lambda: scraped(env["VM_URL"]), 30, "VictoriaMetrics's first scrape", p, log)
    except BaseException:
        down(directory)
        raise
    record()
    print("".join(f"{k}={v}\n" for k, v in env.items()), end="")


def down(directory):
    path = os.path.join(directory, "pids")
    if not os.path.exists(path): return
    pids = [int(line) for line in open(path) if line.strip()]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    end = time.time() + 15
    for pid in pids:
        while time.time() < end:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            # Our own child (the caller of `up` may be this process) must be reaped.
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.1)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    os.remove(path)


def serve(path, port):
    import http.server
    body = open(path, "rb").read()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def options(args):
    o = {"hours": 6.0, "step": 15, "metrics": "all", "prom": True, "vm": True}
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--hours": o["hours"], i = float(args[i + 1]), i + 1
        elif a == "--step": o["step"], i = int(args[i + 1]), i + 1
        elif a == "--metrics": o["metrics"], i = args[i + 1], i + 1
        elif a == "--no-prometheus": o["prom"] = False
        elif a == "--no-victoria": o["vm"] = False
        else: raise SystemExit(f"history.py: unknown option {a}")
        i += 1
    if o["metrics"] not in ("all", "rules"): raise SystemExit("history.py: --metrics wants all or rules")
    return o


def main(argv):
    if len(argv) < 3: raise SystemExit(__doc__)
    verb, target = argv[1], argv[2]
    if verb == "up":
        o = options(argv[3:])
        up(target, o["hours"], o["step"], o["metrics"], o["prom"], o["vm"])
    elif verb == "down":
        down(target)
    elif verb == "write":
        o = options(argv[3:])
        os.makedirs(target, exist_ok=True)
        json.dump(History(o["hours"], o["step"], o["metrics"]).write(target), sys.stdout, indent=1, sort_keys=True)
        print()
    elif verb == "serve":
        serve(target, int(argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
