#!/usr/bin/python3
"""The panel tests of tests/scenarios/panels.yml on a real Prometheus, through the committed
dashboards (dashboards/*.json) as Grafana queries them (tests/e2e/dashboards_scenarios_prometheus.sh).

  dashboards_scenarios_prometheus.py SRC TMP     (DASHBOARDS=DIR: another folder of dashboards,
                                                 e.g. an older commit's, to see what it fails)

For each group of panel tests (scenarios.groups: a scenario, with or without rule files): its
scenario's samples (scenarios.py openmetrics) backfilled with `promtool tsdb
create-blocks-from openmetrics`, a Prometheus started on them; when the group reads rule files,
their recording rules backfilled with `promtool tsdb create-blocks-from rules`, one
level of dependency at a time (a rule that reads another's series waits for its blocks:
Prometheus restarted in between). Then each panel test: the panel found in the JSON by
dashboard uid, row and title; its targets interpolated as Grafana does (variables at All, the
built-ins from the scrape interval and `interval:`); an instant query, or a range query aligned
to its step and reduced by the panel's reducer (stat, gauge, bargauge); compared by legend with
the expected value, colour (the JSON's threshold steps), unit and points.

ALERTS: `promtool tsdb create-blocks-from rules` ignores alerting rules ("Alerts are currently
ignored if they are in the recording rule file", Prometheus's docs/storage.md), so the firing
alerts are asked of Prometheus's own rule evaluation another way: `promtool test rules` (the
rules package the server runs: `for:`, label templates, the recording rules the alerts read) on
the scenario's series, one alert_rule_test per alerting rule and step expecting nothing, and the
alerts it reports firing are written as ALERTS{alertstate="firing", ...} = 1 at that step and
backfilled with the samples. What that cannot give: the rules evaluated at the scenario's step
or rule_step (not the group's interval), no pending alerts, and no staleness marker when an alert
resolves (OpenMetrics has none), so a resolved alert's series lingers for the 5m lookback: a test
of ALERTS within 5m after one resolved is skipped, and says so.
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import yaml

SRC, TMP = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "tests", "scenarios"))
sys.path.insert(0, os.path.join(SRC, "tests", "e2e"))
sys.path.insert(0, os.path.join(SRC, "tests", "support"))
import scenarios  # noqa: E402
from dashboards_prometheus import Dashboards, Mismatch, Skip, legend  # noqa: E402
from servers import start_server  # noqa: E402

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
# promtool's rule backfill evaluates a group where Prometheus would: at the slots of the group's
# interval shifted by its offset, a hash of the group's name and file (Group.EvalTimestamp). A
# recording read at a minute is the one of the last slot before it, and a slot between two scrapes
# holds other samples in its 5m window than the minute does: with the file under $TMP, the offset
# changed from run to run, and a noisy 5m burn rate read 0.25 or 0.33 where the rules give 0.267
# at the minute. So every level is backfilled as the group RULE_GROUP of the file rules.yml (run
# in the scenario's folder), whose offset is 0.02 ms (xxhash of "file\xffrules.yml\xffname\xff
# aligned-8533768\xff", as labels.Hash writes it, modulo 300 s and 60 s; Prometheus reads the
# evaluation times to the millisecond): its slots are the scrapes' minutes, the instants at which
# promtool test rules and nsmon evaluate, and aligned() checks that the recordings sit there.
RULE_GROUP = "aligned-8533768"


def rule_step(run):
    """The rules' evaluation interval in seconds: the scrape interval; 5m for a run over a day
    (two days of 1m steps of the SLO rules' 1d and 3d windows take promtool minutes), whose tests
    read at multiples of 5m (a slot) and ratios of sums of recordings, which are the same at 5m
    steps for the SLO windows' smooth series."""
    return 300 if run.steps * run.step > 24 * 60 else run.step * 60


def seconds(text):
    """A Prometheus duration (the tests' 25m, promtool's 2d2h) in whole seconds."""
    return sum(int(n) * UNITS[u] for n, u in re.findall(r"(\d+)([smhdwy])(?!s)", str(text)))


class Prometheus:
    def __init__(self, data):
        self.data, self.proc = data, None

    def start(self):
        config = os.path.join(self.data, "..", "prometheus.yml")
        with open(config, "w", encoding="utf-8") as f:
            f.write("global: {scrape_interval: 1m, evaluation_interval: 1m}\n")
        self.proc, self.url = start_server(
            lambda port: ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={self.data}",
                          "--storage.tsdb.retention.time=90d", f"--web.listen-address=127.0.0.1:{port}",
                          "--log.level=warn"], "/-/ready", os.path.join(self.data, "..", "prometheus.log"), 30)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None

    def api(self, path, **params):
        data = urllib.parse.urlencode(params).encode()
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}", data, timeout=30) as r:
            answer = json.load(r)
        if answer.get("status") != "success":
            raise Mismatch(f"Prometheus refused {params}: {answer}")
        return answer["data"]["result"]


def aligned(prom, records, start, end, step):
    """Fails unless every recording of `records` sits on the scrapes' minutes, every `step`
    seconds from `start` (see RULE_GROUP)."""
    for record in records:
        result = prom.api("query", query=f"{record}[{end - start}s]", time=end)
        off = sorted({int(float(t) * 1000) for s in result for t, _ in s["values"]
                      if (int(float(t) * 1000) - start * 1000) % (step * 1000)})
        if off:
            raise SystemExit(f"{record} evaluated off the {step} s slots from {start}: at {off[:3]} (ms): "
                             f"the offset of rule group {RULE_GROUP} is not 0")


def rule_levels(path):
    """The recording rules of `path` by level: 1 reads only scraped series, n + 1 reads a rule
    of level n."""
    with open(path, encoding="utf-8") as f:
        groups = yaml.safe_load(f)["groups"]
    rules = [r for g in groups for r in g["rules"] if "record" in r]
    names = {r["record"] for r in rules}
    level = {}

    def of(rule):
        key = id(rule)
        if key not in level:
            used = [n for n in names if re.search(r"(?<![\w:])" + re.escape(n) + r"(?![\w:])", rule["expr"])]
            level[key] = 1 + max((of(r) for r in rules if r["record"] in used and r is not rule), default=0)
        return level[key]
    out = {}
    for r in rules:
        out.setdefault(of(r), []).append(r)
    return [out[k] for k in sorted(out)]


def firing_alerts(run, rule_files, work):
    """The alerts promtool's rule evaluation reports firing in `run` (see the module's doc):
    {(seconds from the start, labels as a sorted tuple)}, and the seconds between evaluations."""
    alerting = []
    for path in rule_files:
        with open(path, encoding="utf-8") as f:
            alerting += [r for g in yaml.safe_load(f)["groups"] for r in g["rules"] if "alert" in r]
    if not alerting:
        return set(), run.step * 60
    # At each scrape step when a rule has a for:, so that its firing starts when Prometheus's
    # would (to the step); else at the recording rules' step (rule_step): an alert without for:
    # fires at an evaluation exactly when its expression holds then, and two days of 1m
    # evaluations of the SLO rules take promtool minutes.
    every = run.step if any(r.get("for") for r in alerting) else max(run.step, rule_step(run) // 60)
    test = {"rule_files": rule_files, "evaluation_interval": f"{every}m",
            "tests": [{"interval": f"{run.step}m", "input_series": scenarios.series_yaml(run),
                       "alert_rule_test": [{"eval_time": f"{t}m", "alertname": a, "exp_alerts": []}
                                           for t in run.times() if t % every == 0
                                           for a in sorted({r["alert"] for r in alerting})]}]}
    path = os.path.join(work, "alerts_test.yml")
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(test, f, sort_keys=False, width=200)
    out = subprocess.run(["promtool", "test", "rules", path], capture_output=True, text=True)
    # promtool reports the failed tests on stderr; exit 1 is also a rule file it refuses, with
    # no failed test.
    if out.returncode not in (0, 1) or out.returncode == 1 and "FAILED:" not in out.stderr:
        raise SystemExit(f"promtool test rules {path}: exit {out.returncode}: {out.stdout} {out.stderr}")
    fired, at = set(), None
    for line in out.stderr.splitlines():
        m = re.match(r"\s*alertname: \S+, time: (\S+),", line)
        if m:
            at = seconds(m.group(1))
        m = re.match(r"\s*Labels:\{(.*)\}\s*$", line)
        if m:
            labels = re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(1))
            fired.add((at, tuple(sorted(labels + [("alertstate", "firing")]))))
    return fired, every * 60


def alerts_openmetrics(fired, start):
    """The ALERTS samples of `fired` (firing_alerts) as OpenMetrics, one series after another."""
    lines = ["# TYPE ALERTS gauge"]
    for labels in sorted({ls for _, ls in fired}):
        inner = ",".join(f'{k}="{v}"' for k, v in labels)
        lines += [f"ALERTS{{{inner}}} 1 {start + t}" for t in sorted(t for t, ls in fired if ls == labels)]
    return "\n".join(lines) + "\n# EOF\n"


def buckets(result):
    """A result of cumulative buckets as a target of format heatmap shows it (Grafana's
    data source): each bucket's own count, the one before it (in le order, per other labels)
    subtracted, at each time."""
    groups = {}
    for s in result:
        rest = tuple(sorted((k, v) for k, v in s["metric"].items() if k != "le"))
        groups.setdefault(rest, []).append(s)
    for series in groups.values():
        series.sort(key=lambda s: float(s["metric"]["le"]))
        for before, s in reversed(list(zip(series, series[1:]))):
            if "value" in s:
                s["value"] = [s["value"][0], str(float(s["value"][1]) - float(before["value"][1]))]
            else:
                prev = dict(before["values"])
                s["values"] = [[x, str(float(v) - float(prev[x]))] if x in prev else [x, v] for x, v in s["values"]]
    return result


def reduce(reducer, values):
    """Grafana's reducers, as nsmon's panel tests apply them (src/nsmon/ruletest/panels.cpp)."""
    present = [v for v in values if v is not None]
    if reducer == "last":
        return values[-1] if values and values[-1] is not None else math.nan
    if reducer == "lastNotNull":
        return next((v for v in reversed(present) if not math.isnan(v)), math.nan)
    if reducer == "count":
        return float(len(present))
    if not present:
        return math.nan
    if reducer in ("sum", "mean"):
        return sum(present) / (1 if reducer == "sum" else len(present))
    numbers = [v for v in present if not math.isnan(v)]
    return (max if reducer == "max" else min)(numbers) if numbers else math.nan


def color(panel, v):
    steps = panel.get("fieldConfig", {}).get("defaults", {}).get("thresholds", {}).get("steps", [])
    shown = None
    for s in steps:
        if s.get("value") is None or v >= s["value"]:
            shown = s["color"]
    return shown


def same(e, g):
    if math.isnan(e) or math.isnan(g):
        return math.isnan(e) and math.isnan(g)
    return abs(e - g) <= 1e-9 * max(abs(e), abs(g), 1e-12)


def check(prom, dashboards, start, step, test, alerts):
    """One panel test against the committed JSON on `prom`; a line saying what it saw."""
    d, panel = dashboards.panel(test["dashboard"], [test["panel"]], test.get("row"))
    targets = [t for t in panel.get("targets", []) if not t.get("hide")]
    T = start + seconds(test["eval_time"])
    if any("ALERTS" in t["expr"] for t in targets):
        # An alert that stopped firing (at the evaluation after its last sample) within the 5m
        # lookback still shows: no staleness marker.
        fired, every = alerts
        last = {}
        for t, labels in fired:
            if t <= T - start:
                last[labels] = max(last.get(labels, t), t)
        if any(t + every <= T - start < t + 300 for t in last.values()):
            raise Skip("an alert resolved within 5m before: the backfill has no staleness marker")
    range_s = seconds(test.get("range", test["eval_time"]))
    interval = max(seconds(test.get("interval", f"{step}s")), step)
    builtins = {"__interval": f"{interval}s", "__interval_ms": str(interval * 1000),
                "__rate_interval": f"{max(interval + step, 4 * step)}s",
                "__rate_interval_ms": str(max(interval + step, 4 * step) * 1000),
                "__range": f"{range_s}s", "__range_s": str(range_s), "__range_ms": str(range_s * 1000)}
    variables = {v["name"]: v for v in d.get("templating", {}).get("list", [])}

    def value(name):
        if name in builtins:
            return builtins[name]
        v = variables[name]
        return "prometheus" if v.get("type") == "datasource" else (v.get("allValue") or ".*")
    pattern = r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)"
    reduces = panel.get("type") in ("stat", "gauge", "bargauge")
    reducer = (panel.get("options", {}).get("reduceOptions", {}).get("calcs") or ["lastNotNull"])[0]
    end = T - T % interval
    first = (T - range_s) - (T - range_s) % interval
    got = {}
    for t in targets:
        expr = re.sub(pattern, lambda m: value(m.group(1) or m.group(2) or m.group(3)), t["expr"])
        shown = buckets if t.get("format") == "heatmap" else (lambda result: result)
        if t.get("instant"):
            for s in shown(prom.api("query", query=expr, time=T)):
                got[legend(t.get("legendFormat"), s["metric"])] = {"value": float(s["value"][1]), "points": {}}
            continue
        for s in shown(prom.api("query_range", query=expr, start=first, end=end, step=interval)):
            at = {int(float(x)): float(v) for x, v in s["values"]}
            values = [at.get(x) for x in range(first, end + 1, interval)]
            got[legend(t.get("legendFormat"), s["metric"])] = {
                "value": reduce(reducer, values) if reduces else values[-1], "points": at}
    want = {e["legend"]: e for e in test.get("exp_series") or []}
    if sorted(want) != sorted(got):
        raise Mismatch(f"series {sorted(got)}, expected {sorted(want)}: {got}")
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
    if "unit" in test and unit != test["unit"]:
        raise Mismatch(f"unit {unit}, expected {test['unit']}")
    seen = []
    for name, e in want.items():
        g = got[name]
        if "value" in e and (g["value"] is None or not same(float(e["value"]), g["value"])):
            raise Mismatch(f"{name}: {g['value']}, expected {e['value']}")
        if "color" in e and color(panel, g["value"]) != e["color"]:
            raise Mismatch(f"{name}: colour {color(panel, g['value'])} of {g['value']}, expected {e['color']}")
        for p in e.get("points", []):
            v = g["points"].get(start + seconds(p["at"]))
            if v is None or not same(float(p["value"]), v):
                raise Mismatch(f"{name} at {p['at']}: {v}, expected {p['value']}")
        # A graph's series may have no point at eval_time (a line that ended): "none".
        shown = "none" if g["value"] is None else f"{g['value']:g}"
        seen.append(f"{name} {shown}" + (f" {e['color']}" if "color" in e else ""))
    return "; ".join(seen) or "no series"


def main():
    with open(os.path.join(SRC, "tests", "scenarios", "panels.yml"), encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    dashboards = Dashboards(os.environ.get("DASHBOARDS") or os.path.join(SRC, "dashboards"))
    failed = passed = skipped = 0
    for name, scenario_name, rule_paths, tests in scenarios.groups(doc):
        run = scenarios.SCENARIOS[scenario_name][1]()
        step = run.step * 60
        minutes = (run.steps - 1) * run.step
        # On a 2h boundary, as the TSDB's blocks are: a start on any hour put the scenario across
        # the backfilled blocks' edges differently in odd and even hours, and six SLO checks read
        # a minute of data less (or more) in odd hours.
        start = int(time.time()) // 7200 * 7200 - minutes * 60 - 3 * 3600
        work = os.path.join(TMP, name)
        data = os.path.join(work, "data")
        os.makedirs(work)
        samples = os.path.join(work, "samples.om")
        with open(samples, "w", encoding="utf-8") as f:
            f.write(scenarios.openmetrics(run, start))
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", samples, data],
                       check=True, stdout=subprocess.DEVNULL)
        rule_files = [os.path.join(SRC, r) for r in rule_paths]
        alerts = firing_alerts(run, rule_files, work)
        fired = alerts[0]
        if fired:
            path = os.path.join(work, "alerts.om")
            with open(path, "w", encoding="utf-8") as f:
                f.write(alerts_openmetrics(fired, start))
            subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", path, data],
                           check=True, stdout=subprocess.DEVNULL)
        prom = Prometheus(data)
        try:
            prom.start()
            for rules in rule_paths:
                for level in rule_levels(os.path.join(SRC, rules)):
                    with open(os.path.join(work, "rules.yml"), "w", encoding="utf-8") as f:
                        yaml.safe_dump({"groups": [{"name": RULE_GROUP, "rules": level}]}, f)
                    subprocess.run(["promtool", "tsdb", "create-blocks-from", "rules", "--quiet",
                                    f"--start={start}", f"--end={start + minutes * 60}",
                                    f"--url={prom.url}", f"--eval-interval={rule_step(run)}s",
                                    f"--output-dir={data}", "rules.yml"], check=True, cwd=work)
                    prom.stop()
                    prom.start()
                    aligned(prom, {r["record"] for r in level}, start, start + minutes * 60, rule_step(run))
            for test in tests:
                where = f"{name} | {test['dashboard']} | {test.get('row', '') and test['row'] + ' | '}{test['panel']} at {test['eval_time']}"
                try:
                    print(f"ok    {where}: {check(prom, dashboards, start, step, test, alerts)}")
                    passed += 1
                except Skip as e:
                    print(f"SKIP  {where}: {e}")
                    skipped += 1
                except Exception as e:
                    print(f"FAIL  {where}: {type(e).__name__}: {e}")
                    failed += 1
        finally:
            prom.stop()
        shutil.rmtree(data, ignore_errors=True)
    print(f"{passed} panel tests passed on Prometheus, {skipped} skipped, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
