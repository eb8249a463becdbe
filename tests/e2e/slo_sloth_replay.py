#!/usr/bin/python3
"""Helper of slo_sloth_replay.sh: replays SLO rule files on synthetic traffic with promtool and with
`nsmon test-rules`, and compares in which evaluations each alert fires.

Usage: slo_sloth_replay.py [--scenario NAME]... [--store FILE] [--reuse DIR] NSMON SLOTH_GEN_DIR
                          NSMON_RULES_DIR WORK_DIR EXAMPLE...
  EXAMPLE is a file name in both rule directories (getting-started.yml, ...); --scenario replays
  only the scenarios named (default: all); --store FILE: promtool's answers from this store of
  tests/support/peer.py (default: the real promtool); --reuse DIR: the results of an earlier run
  in DIR for the replays whose test and rule files are the same, byte for byte.
Exit 0 when every comparison agrees, 1 on a difference, 2 when a tool's output cannot be read.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import subprocess
import sys

import yaml

STEP = 5  # minutes between rule evaluations: the resolution of "the same minutes"
MINUTES = 30 * 60  # 30 hours: every alert fires and clears; the cost grows with its square
CLIENTS = 5  # wifi clients of unifipoller: the subqueries of home-wifi cost per client and step


# --- Synthetic traffic --------------------------------------------------------------------------
# A scenario is a function minute -> state; a state gives the per-minute increments of every
# counter and the value of every gauge for that minute. Rates are whole numbers of requests per
# minute, so that counters stay exact in float64 and both tools expand the series notation to the
# same values.
#
# Why every change of traffic lands on a minute = 3 (mod 5): evaluations are at multiples of 5
# minutes. Prometheus 2.x range windows include a sample on their start, 3.x (nsmon) exclude it;
# so do the lookback of an instant selector and subquery steps. A lone request on the sample at a
# window's start would be seen by 2.x in one evaluation and by 3.x in none: an alert of one
# evaluation on one side only, which the tolerance (an edge moved by one evaluation) does not
# cover. Threshold crossings still fall where the arithmetic puts them, so edges one evaluation
# apart remain (2.x resolves one evaluation later, having one more sample in its windows).


def base(m):
    """Normal operation: every SLO met with margin (the 99.99% ones too)."""
    return {
        "http_total": 20000, "http_err": 1,  # 0.005% errors
        "api_total": 5000, "api_err": 1, "api_slow": 10,  # 0.02%, 0.2% slower than 0.4s
        "wifi": [0.99] * (CLIENTS - 1) + [0.9],  # one mediocre client: bad for nobody
    }


def outage(m):
    """A sharp outage: 40% errors, slow API, most wifi clients bad, for 30 minutes at 8h."""
    s = base(m)
    if 483 <= m < 513:
        s.update(http_err=8000, api_err=2000, api_slow=2000, wifi=[0.4] * 3 + [0.99] * 2)
    return s


def slow_burn(m):
    """A slow burn from 3h to 20h: a few times the 99.9% budgets (and well over the 99.99% ones),
    then back to normal."""
    s = base(m)
    if 183 <= m < 1203:
        s.update(http_err=80,  # 0.4%: 4x a 99.9% budget, 40x a 99.99% one
                 api_err=20, api_slow=200,  # 0.4%, 4% (4x the 99% latency budget)
                 wifi=[0.7, 0.99, 0.99, 0.99, 0.9])  # 1 in 5 < 0.75: 4x the 95% budget
    return s


def flapping(m):
    """Recovery after flapping: from 8h, 15-minute bursts of 5% errors every 2 hours for 12
    hours, then a full recovery (no errors at all) that the long windows take hours to forget."""
    s = base(m)
    if 483 <= m < 1203:
        if (m - 483) % 120 < 15:
            s.update(http_err=1000, api_err=250, api_slow=1000, wifi=[0.45] * 2 + [0.99] * 3)
    elif m >= 1203:
        s.update(http_err=0, api_err=0, api_slow=0, wifi=[0.99] * CLIENTS)
    return s


def low_traffic(m):
    """Low traffic: six requests an hour, one wifi client connected 20 minutes an hour, a few
    failed requests in hours 10, 11 and 20. Requests land on minutes 3, 13, 23, ... (mod 60)."""
    hour, minute = divmod(m, 60)
    req = 1 if minute % 10 == 3 else 0
    err = 1 if req and hour in (10, 11, 20) and minute in (13, 33) else 0
    # One client, connected in minutes 23..42 of each hour, unhappy for a while from 14h to 20h.
    wifi = [None] * CLIENTS
    if 23 <= minute < 43:
        wifi[0] = 0.4 if 14 <= hour < 20 and minute < 33 else 0.97
    return {"http_total": req, "http_err": err, "api_total": req, "api_err": err,
            "api_slow": err, "wifi": wifi}


SCENARIOS = {"outage": outage, "slow-burn": slow_burn, "flapping-recovery": flapping,
             "low-traffic": low_traffic}


def split(total, parts):
    """Whole-number shares of total in the proportions of parts (the last takes the rest)."""
    out, left = [], total
    for p in parts[:-1]:
        out.append(total * p // sum(parts))
        left -= out[-1]
    return out + [left]


def series_of(scenario):
    """{series selector: its value at each minute}: counters from 0, gauges (None: absent)."""
    states = [scenario(m) for m in range(MINUTES + 1)]
    inc = {}

    def add(name, m, value):
        inc.setdefault(name, [0] * (MINUTES + 1))[m] = value

    for m, s in enumerate(states):
        # Errors of getting-started & co: code=~"(5..|429)"; 404 is not an error.
        e500, e503, e429 = split(s["http_err"], [3, 1, 1])
        ok = s["http_total"] - s["http_err"]
        ok200, ok404 = split(ok, [19, 1]) if ok >= 20 else (ok, 0)
        for code, v in {"200": ok200, "404": ok404, "500": e500, "503": e503, "429": e429}.items():
            add(f'http_request_duration_seconds_count{{job="myservice",code="{code}"}}', m, v)
        # Another job fails all the time: a rule that forgot job="myservice" would page.
        add('http_request_duration_seconds_count{job="other",code="500"}', m, 50)
        # kubernetes-apiserver.yml: availability on apiserver_request_total{code}, latency on
        # duration buckets of every verb but WATCH (always slower than 0.4s here).
        a500, a429 = split(s["api_err"], [1, 1])
        aok = s["api_total"] - s["api_err"]
        a200, a201 = split(aok, [4, 1]) if aok >= 5 else (aok, 0)
        for code, v in (("200", a200), ("201", a201), ("500", a500), ("429", a429)):
            add(f'apiserver_request_total{{code="{code}"}}', m, v)
        slow = min(s["api_slow"], s["api_total"])
        get_n, list_n = split(s["api_total"], [3, 1])
        get_slow, list_slow = split(slow, [3, 1])
        for verb, total, slow_n in (("GET", get_n, get_slow), ("LIST", list_n, list_slow),
                                    ("WATCH", 100, 100)):
            name = "apiserver_request_duration_seconds"
            add(f'{name}_count{{verb="{verb}"}}', m, total)
            for le, fast in (("0.4", total - slow_n), ("5", total - slow_n // 2), ("+Inf", total)):
                add(f'{name}_bucket{{verb="{verb}",le="{le}"}}', m, fast)
    out = {}
    for name, incs in inc.items():
        values, v = [], 0
        for m, d in enumerate(incs):
            v += d if m else 0  # a counter starts at 0 at minute 0
            values.append(v)
        out[name] = values
    for c in range(CLIENTS):
        gauge = f'unifipoller_client_satisfaction_ratio{{name="client{c}"}}'
        out[gauge] = [s["wifi"][c] for s in states]
    return out


def notation(values):
    """promtool's series notation: `a+bxn` for a run of n+1 values growing by b, `_` absent."""
    parts, i = [], 0
    fmt = lambda x: repr(int(x)) if float(x).is_integer() else repr(x)
    while i < len(values):
        if values[i] is None:
            j = i
            while j + 1 < len(values) and values[j + 1] is None:
                j += 1
            parts.append(f"_x{j - i + 1}" if j > i else "_")
        elif i + 1 < len(values) and values[i + 1] is not None:
            d = values[i + 1] - values[i]
            j = i + 1
            while j + 1 < len(values) and values[j + 1] is not None \
                    and values[j + 1] - values[j] == d:
                j += 1
            parts.append(f"{fmt(values[i])}{'+' if d >= 0 else '-'}{fmt(abs(d))}x{j - i}")
        else:
            j = i
            parts.append(fmt(values[i]))
        i = j + 1
    return " ".join(parts)


# --- Rule files ---------------------------------------------------------------------------------
ORDER = ("sloth-slo-sli-recordings-", "sloth-slo-meta-recordings-", "sloth-slo-alerts-")


def groups_of(path):
    """All rule groups of a file of one or more documents, each a rule file (`groups`) or a
    PrometheusRule (`spec.groups`). Sloth's extra label cmd="examplesgen.sh" is dropped: it is an
    option of the run that made the examples, not part of what Sloth generates."""
    groups = []
    with open(path, encoding="utf-8") as f:
        for doc in yaml.safe_load_all(f):
            if not doc:
                continue
            body = doc["spec"] if "groups" in (doc.get("spec") or {}) else doc
            for g in body.get("groups") or []:
                for r in g.get("rules") or []:
                    labels = r.get("labels") or {}
                    labels.pop("cmd", None)
                    bad = [k for k, v in labels.items() if not isinstance(v, str)]
                    if bad:  # YAML 1.1 would have turned an unquoted yes/no into a boolean
                        raise SystemExit(f"{path}: rule labels {bad} are not strings")
                groups.append(g)
    return groups


def eval_order(groups):
    """sli, then meta, then alerts: promtool's own group order is arbitrary (SLOTH-OUTPUT.md §12),
    and a meta or alert group run before the sli group would read the previous step's ratios."""
    rank = lambda g: next((i for i, p in enumerate(ORDER) if g["name"].startswith(p)), 1)
    return [g["name"] for g in sorted(groups, key=rank)]


def write_case(rules_path, groups, series, test_path):
    with open(rules_path, "w", encoding="utf-8") as f:
        yaml.safe_dump({"groups": groups}, f, sort_keys=False, width=10**6)
    test = {
        "rule_files": [os.path.basename(rules_path)],
        "evaluation_interval": f"{STEP}m",
        "group_eval_order": eval_order(groups),
        "tests": [{
            "interval": "1m",
            "input_series": [{"series": s, "values": notation(v)} for s, v in series.items()],
            # Every alert, pending or firing, at every evaluation, expected to be absent: the
            # failure report of each tool lists what is there.
            "promql_expr_test": [{"expr": "ALERTS", "eval_time": f"{t}m", "exp_samples": []}
                                 for t in range(STEP, MINUTES + 1, STEP)],
        }],
    }
    with open(test_path, "w", encoding="utf-8") as f:
        yaml.safe_dump(test, f, sort_keys=False, width=10**6)


# --- Running the tools and reading their reports ------------------------------------------------
UNITS = {"y": 525600, "w": 10080, "d": 1440, "h": 60, "m": 1, "s": 1 / 60, "ms": 1 / 60000}
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
SAMPLE = re.compile(r'\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\}')


def minutes(duration):
    """Go's duration as both tools print it (1d2h5m) in minutes."""
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|[ywdhms])", duration)
    return round(sum(float(n) * UNITS[u] for n, u in parts))


def alerts_in(text):
    """The label sets of the ALERTS samples in `{...} v, {...} v` or `+ {...} v` text."""
    found = []
    for m in SAMPLE.finditer(text):
        labels = dict(LABEL.findall(m.group(1)))
        labels.pop("__name__", None)
        found.append(tuple(sorted(labels.items())))
    return found


def read_promtool(out):
    """{alert label set: {minute}} from promtool's report; every line must be accounted for."""
    fired, lines, i = {}, out.splitlines(), 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or line.startswith("Unit Testing:") or line in ("FAILED:", "SUCCESS"):
            i += 1
            continue
        m = re.fullmatch(r'expr: "ALERTS", time: (\S+),', line)
        if not (m and i + 2 < len(lines) and lines[i + 1].strip() == "exp: nil"
                and lines[i + 2].strip().startswith("got: ")):
            raise ValueError(f"unexpected promtool output: {lines[i]!r}")
        for a in alerts_in(lines[i + 2]):
            fired.setdefault(a, set()).add(minutes(m.group(1)))
        i += 3
    return fired


def read_nsmon(findings):
    """{alert label set: {minute}} from the findings of one test file in nsmon's JSON report."""
    fired = {}
    for f in findings:
        m = re.match(r"test '[^']*': expr: \"ALERTS\", time: (\S+): expected 0 samples, got (\d+)",
                     f["message"])
        if f["check"] != "ruletest/failed" or not m:
            raise ValueError(f"unexpected nsmon finding: {f['check']}: {f['message']}")
        got = alerts_in("\n".join(line for line in f["message"].splitlines()
                                   if line.strip().startswith("+ {")))
        if len(got) != int(m.group(2)):
            raise ValueError(f"{m.group(2)} samples announced, {len(got)} listed: {f['message']}")
        for a in got:
            fired.setdefault(a, set()).add(minutes(m.group(1)))
    return fired


class Unreadable(Exception):
    pass


PEER = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support",
                                    "peer.py"))


def replay_promtool(store, test_path):
    """promtool on one test file, run in its folder as its users run it; exit 1 is expected
    whenever an alert fires. With a store, peer.py gives promtool's stored answer (keyed by the
    test file and the rule file it loads), or asks promtool and stores it."""
    cwd, name = os.path.dirname(test_path), os.path.basename(test_path)
    cmd = ["promtool", "test", "rules", name]
    if store:
        cmd = ["/usr/bin/python3", PEER, "--store", store] + cmd
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    try:
        if p.returncode not in (0, 1):
            raise ValueError(f"exit {p.returncode}")
        return read_promtool(p.stdout + p.stderr)  # promtool prints its failures on stderr
    except ValueError as e:
        raise Unreadable(f"{' '.join(cmd)} (in {cwd}): {e}\n{p.stdout[-3000:]}{p.stderr[-3000:]}")


def replay_nsmon(nsmon, work, test_paths):
    """nsmon test-rules on every test file in one process (a start costs much under ASan; it
    runs the tests on every core, in the order given): {test path: what fired}."""
    names = [os.path.relpath(t, work) for t in test_paths]
    cmd = [nsmon, "test-rules", "--format", "json", *names]
    p = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    try:
        if p.returncode not in (0, 1):
            raise ValueError(f"exit {p.returncode}")
        report = json.loads(p.stdout)
        summary = report["summary"]
        if (summary["files"], summary["tests"]) != (len(names), len(names)):
            raise ValueError(f"{summary['files']} files and {summary['tests']} tests run of "
                             f"{len(names)} (one test each)")
        findings = {n: [] for n in names}
        for f in report["findings"]:
            if f.get("file") not in findings:
                raise ValueError(f"a finding of no file given: {f}")
            findings[f["file"]].append(f)
        return {t: read_nsmon(findings[n]) for t, n in zip(test_paths, names)}
    except (ValueError, KeyError) as e:
        raise Unreadable(f"nsmon test-rules (in {work}, {len(names)} files): {e}\n"
                         f"{p.stdout[-3000:]}{p.stderr[-3000:]}")


def case_key(tool, case_dir):
    """A replay's result is a function of the tool and the test and rule files' bytes."""
    h = hashlib.sha256(tool.encode())
    for name in ("test.yml", "rules.yml"):
        with open(os.path.join(case_dir, name), "rb") as f:
            h.update(b"\0" + f.read())
    return h.hexdigest()


def load_results(path):
    """{case key: {alert label set: {minute}}} as save_results wrote it; {} if there is none."""
    try:
        with open(path, encoding="utf-8") as f:
            saved = json.load(f)
    except FileNotFoundError:
        return {}
    return {k: {tuple(map(tuple, a)): set(t) for a, t in v} for k, v in saved.items()}


def save_results(path, results):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({k: sorted([list(map(list, a)), sorted(t)] for a, t in v.items())
                   for k, v in results.items()}, f)


# --- Comparison ---------------------------------------------------------------------------------
def near(t, times):
    return t in times or t - STEP in times or t + STEP in times


def differences(a, b):
    """Evaluations where one side fires an alert and the other fires it in none of the evaluation
    itself, the one before or the one after (one evaluation of tolerance at every edge)."""
    return sorted(t for t in a if not near(t, b)), sorted(t for t in b if not near(t, a))


def spans(times):
    """[5, 10, 15, 40] -> '5-15m, 40m' (evaluation minutes)."""
    out, times = [], sorted(times)
    for t in times:
        if out and t == out[-1][1] + STEP:
            out[-1][1] = t
        else:
            out.append([t, t])
    return ", ".join(f"{a}-{b}m" if a != b else f"{a}m" for a, b in out) or "-"


def short(alert):
    d = dict(alert)
    what = ",".join(d.get(k, "?") for k in ("sloth_id", "sloth_severity", "alertstate"))
    return f"{d.get('alertname')}{{{what}}}"


def rules_key(groups):
    """Rule sets that replay alike: the same rules but for the labels of sloth_slo_info, which no
    rule reads (Sloth's sloth_version, sloth_mode and sloth_spec differ between a spec's forms and
    between Sloth and nsmon)."""
    text = json.dumps(groups, sort_keys=True)
    if "sloth_slo_info" in text.replace('"record": "sloth_slo_info"', ""):
        return text  # read by some rule after all: nothing is set aside
    return json.dumps([dict(g, rules=[dict(r, labels={}) if r.get("record") == "sloth_slo_info"
                                      else r for r in g["rules"]]) for g in groups], sort_keys=True)


COMPARISONS = (  # (what, left run, right run)
    ("(i) rules: Sloth vs nsmon, both on promtool", "sloth@promtool", "nsmon@promtool"),
    ("(ii) engine: promtool vs nsmon, nsmon's rules", "nsmon@promtool", "nsmon@nsmon"),
    ("(iii) engine: promtool vs nsmon, Sloth's rules", "sloth@promtool", "sloth@nsmon"),
)
RUNS = ("sloth@promtool", "nsmon@promtool", "nsmon@nsmon", "sloth@nsmon")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", action="append", choices=list(SCENARIOS))
    ap.add_argument("--store")
    ap.add_argument("--reuse")
    ap.add_argument("nsmon")
    ap.add_argument("sloth_dir")
    ap.add_argument("ours_dir")
    ap.add_argument("work")
    ap.add_argument("examples", nargs="+")
    args = ap.parse_args()
    # The tools run in other folders: a relative path to nsmon must not break.
    nsmon = os.path.abspath(args.nsmon) if os.sep in args.nsmon else args.nsmon
    sloth_dir, ours_dir, work, examples = args.sloth_dir, args.ours_dir, args.work, args.examples
    store = os.path.abspath(args.store) if args.store else None
    scenarios = {k: v for k, v in SCENARIOS.items() if not args.scenario or k in args.scenario}
    # Each distinct rule set is replayed once: Sloth's and nsmon's rules for an example when they
    # are the same (then comparison (i) holds by construction and (iii) repeats (ii)), and the
    # k8s-* forms, which give the rules of their prometheus/v1 twins.
    units, unit_of = {}, {}
    for ex in examples:
        for side, src in (("sloth", sloth_dir), ("nsmon", ours_dir)):
            groups = groups_of(os.path.join(src, ex))
            key = rules_key(groups)
            if key not in units:
                units[key] = (f"u{len(units)}-{ex.rsplit('.', 1)[0]}-{side}", groups)
            unit_of[(ex, side)] = units[key][0]
    # A rule set without alerting rules (no-alerts.yml) fires nothing on any engine: not replayed.
    silent = {unit for unit, groups in units.values()
              if not any("alert" in r for g in groups for r in g["rules"])}
    jobs = []  # (unit, scenario, tool), case folder
    for scen_name, scenario in scenarios.items():
        series = series_of(scenario)
        for unit, groups in units.values():
            if unit in silent:
                continue
            d = os.path.join(work, scen_name, unit)
            os.makedirs(d)
            write_case(f"{d}/rules.yml", groups, series, f"{d}/test.yml")
            for tool in ("promtool", "nsmon"):
                jobs.append(((unit, scen_name, tool), d))
    # A replay done before on the same files (--reuse) is not done again.
    known = load_results(os.path.join(args.reuse, "results.json")) if args.reuse else {}
    keys = {key: case_key(key[2], d) for key, d in jobs}
    results = {key: known[keys[key]] for key, _ in jobs if keys[key] in known}
    todo = [(key, d) for key, d in jobs if key not in results]
    # nsmon's files longest first (the subqueries of home-wifi), so that both cores stay busy to
    # the end; promtool's answers alongside.
    ours = sorted((d for key, d in todo if key[2] == "nsmon"), key=lambda d: "wifi" not in d)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {key: pool.submit(replay_promtool, store, f"{d}/test.yml")
                   for key, d in todo if key[2] == "promtool"}
        try:
            fired = replay_nsmon(nsmon, work, [f"{d}/test.yml" for d in ours]) if ours else {}
            results.update({key: f.result() for key, f in futures.items()})
        except Unreadable as e:
            pool.shutdown(cancel_futures=True)
            sys.stderr.write(f"{e}\n")
            sys.exit(2)
    results.update({key: fired[f"{d}/test.yml"] for key, d in todo if key[2] == "nsmon"})
    save_results(os.path.join(work, "results.json"), {keys[key]: results[key] for key, _ in jobs})
    for unit in silent:
        for scen_name in scenarios:
            results[(unit, scen_name, "promtool")] = results[(unit, scen_name, "nsmon")] = {}
    # Guard against agreeing on nothing (traffic that misses the rules' metrics, or a report read
    # as empty): every replayed rule set must fire some alert under each tool.
    for unit, groups in units.values():
        for tool in ("promtool", "nsmon"):
            if unit not in silent and not any(results[(unit, sc, tool)] for sc in scenarios):
                sys.exit(f"{unit}: no alert fires in any scenario under {tool}: "
                         "the replay shows nothing")

    # One row per example, scenario and alert: the minutes it fires (evaluations x 5m) per run,
    # and whether each comparison agrees exactly (=), within one evaluation at an edge (~) or not
    # (X). A difference is listed once however many examples share the rule sets.
    failures, rows = {}, [("example", "scenario", "alert", *RUNS, "i", "ii", "iii")]
    for ex in examples:
        stem = ex.rsplit(".", 1)[0]
        for scen_name in scenarios:
            res = {}
            for run in RUNS:
                side, tool = run.split("@")
                res[run] = results[(unit_of[(ex, side)], scen_name, tool)]
            alerts = sorted(set().union(*res.values()))
            if not alerts:
                note = ("(no alerting rules on either side: not replayed)"
                        if {unit_of[(ex, "sloth")], unit_of[(ex, "nsmon")]} <= silent
                        else "(no alert fires in any run)")
                rows.append((stem, scen_name, note))
            for alert in alerts:
                marks = []
                for what, left, right in COMPARISONS:
                    a, b = res[left].get(alert, set()), res[right].get(alert, set())
                    only_a, only_b = differences(a, b)
                    marks.append("=" if a == b else "~" if not (only_a or only_b) else "X")
                    if only_a or only_b:
                        units_lr = tuple(unit_of[(ex, r.split("@")[0])] + "@" + r.split("@")[1]
                                         for r in (left, right))
                        failures.setdefault((units_lr, scen_name, alert), (
                            f"{what}: {stem}, {scen_name}: {short(alert)}\n"
                            f"    labels {{{', '.join(f'{k}={v!r}' for k, v in alert)}}}\n"
                            f"    fires only under {left} at {spans(only_a)}\n"
                            f"    fires only under {right} at {spans(only_b)}\n"
                            f"    {left}: {spans(a)}\n    {right}: {spans(b)}"))
                rows.append((stem, scen_name, short(alert),
                             *(f"{len(res[r].get(alert, ())) * STEP}m" for r in RUNS), *marks))
    widths = [max(len(r[i]) for r in rows if len(r) > i) for i in range(len(rows[0]))]
    for r in rows:
        if len(r) == 3:
            print(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}")
            continue
        print("  ".join(f"{c:<{w}}" if i < 3 else f"{c:>{w}}"
                        for i, (c, w) in enumerate(zip(r, widths))))
    print(f"{len(examples)} examples x {len(scenarios)} scenarios; {len(units)} distinct rule "
          f"sets, {len(jobs)} replays ({len(jobs) - len(todo)} reused); = same evaluations, ~ "
          "within one evaluation at an edge, X differ")
    if failures:
        print("\nDIFFERENCES (alert labels as ALERTS has them; times in minutes from the start):\n"
              + "\n".join(failures.values()))
        sys.exit(1)


if __name__ == "__main__":
    main()
