#!/usr/bin/python3
"""An oracle for grafana/dashboard-linter (`dashboard-linter lint --strict FILE`), which cannot be
installed offline: its rules as its source (lint/rule_*.go, newest published version) implements
them, run over Grafana dashboard JSON files with the `.lint` file beside each one, as the linter
reads it (the directory of the dashboard; yaml.v3, so an entry's keys are its Go field names in
lower case: reason, dashboard, panel, alert, targetidx).

  dashboard_linter.py [--cache FILE] NSMON DASHBOARD.json...

Prints every result that --strict would fail on (an error or warning that no exclusion covers) as
`[rule] message`, and exits 1 if there is one. PromQL is parsed by `NSMON promql ast` (Prometheus
3.x's grammar, checked against Prometheus elsewhere); Grafana variables are expanded first as the
linter expands them (lint/variables.go: outside double-quoted strings only, globals to fixed
sample durations, a variable to its current value, first option or its own name). Each distinct
expression is parsed once, two at a time; --cache FILE keeps the trees across runs (a test that
runs the oracle many times), keyed by the expression's text.

Where the linter is laxer than its documented rule, the oracle keeps the documented rule, so that
passing here means passing there:
- panel-units-rule: an empty `mappings: []` exempts a panel in the linter (it unmarshals to a
  non-nil empty slice); here only a mapping that maps something does.
- panel-no-targets-rule: `targets: []` passes in the linter (a non-nil slice); here it does not.
- template-label-promql-rule: the linter accepts `label_values(up{...}, job)` because Prometheus's
  parser hands back the expression it reduced before the `, job`; here the part before the last
  top-level comma of label_values(...) must parse on its own.
On top of the linter, the `.lint` file itself is checked: known keys only (a misspelt `dashboard`
would widen an entry to every dashboard, `targetIdx` is silently ignored by yaml.v3), a reason for
every rule and entry, and no exclusion that excuses nothing.
"""
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import yaml

PROMETHEUS, LOKI = "prometheus", "loki"

# lint/variables.go's sample values of Grafana's global variables (the durations are what the
# rate-interval rule recognises $__rate_interval by).
GLOBALS = {
    "__rate_interval": "8869990787ms", "__interval": "4867856611ms", "__interval_ms": "7781188786",
    "__range_ms": "6737667980", "__range_s": "9397795485", "__range": "6069770749ms",
    "__dashboard": "AwREbnft", "__name": "name", "__org": "42", "__org.name": "orgname",
    "__user.id": "42", "__user.login": "user", "__user.email": "user@test.com",
    "timeFilter": "time > now() - 7d", "__timeFilter": "time > now() - 7d", "__auto": "12345ms",
    "__from": "1594671549254", "__to": "1594671549254",
}
RATE_INTERVAL_MS = 8869990787

# lint/rule_panel_units.go: Grafana's unit ids (packages/grafana-data/src/valueFormats/categories.ts).
VALID_UNITS = set("""
none string short percent percentunit humidity dB hex0x hex sci locale pixel accMS2 accFS2 accG
degree radian grad arcmin arcsec areaM2 areaF2 areaMI2 flops mflops gflops tflops pflops eflops
zflops yflops ppm conppb conngm3 conngNm3 conμgm3 conμgNm3 conmgm3 conmgNm3 congm3 congNm3 conmgdL
conmmolL currencyUSD currencyGBP currencyEUR currencyJPY currencyRUB currencyUAH currencyBRL
currencyDKK currencyISK currencyNOK currencySEK currencyCZK currencyCHF currencyPLN currencyBTC
currencymBTC currencyμBTC currencyZAR currencyINR currencyKRW currencyIDR currencyPHP currencyVND
bytes decbytes bits decbits kbytes deckbytes mbytes decmbytes gbytes decgbytes tbytes dectbytes
pbytes decpbytes pps binBps Bps binbps bps KiBs Kibits KBs Kbits MiBs Mibits MBs Mbits GiBs Gibits
GBs Gbits TiBs Tibits TBs Tbits PiBs Pibits PBs Pbits dateTimeAsIso dateTimeAsIsoNoDateIfToday
dateTimeAsUS dateTimeAsUSNoDateIfToday dateTimeAsLocal dateTimeAsLocalNoDateIfToday
dateTimeAsSystem dateTimeFromNow watt kwatt megwatt gwatt mwatt Wm2 voltamp kvoltamp voltampreact
kvoltampreact watth watthperkg kwatth kwattm amph kamph mamph joule ev amp kamp mamp volt kvolt
mvolt dBm ohm kohm Mohm farad µfarad nfarad pfarad ffarad henry mhenry µhenry lumens flowgpm
flowcms flowcfs flowcfm litreh flowlpm flowmlpm lux forceNm forcekNm forceN forcekN Hs KHs MHs GHs
THs PHs EHs massmg massg masslb masskg masst lengthmm lengthin lengthft lengthm lengthkm lengthmi
pressurembar pressurebar pressurekbar pressurepa pressurehpa pressurekpa pressurehg pressurepsi
radbq radci radgy radrad radsv radmsv radusv radrem radexpckg radr radsvh radmsvh radusvh rotrpm
rothz rotrads rotdegs celsius fahrenheit kelvin hertz ns µs ms s m h d dtdurationms dtdurations
dthms dtdhms timeticks clockms clocks cps ops reqps rps wps iops cpm opm rpm wpm mps mpm velocityms
velocitykmh velocitymph velocityknot mlitre litre m3 Nm3 dm3 gallons bool bool_yes_no bool_on_off
""".split())

# The panel types each rule looks at (lint/constants.go and the rules).
TITLED = {"stat", "singlestat", "graph", "table", "timeseries", "gauge"}  # title, units, targets
DATASOURCED = {"singlestat", "graph", "table", "timeseries"}  # panel-datasource-rule
WITH_QUERIES = {"singlestat", "gauge", "table", "stat", "state-timeline", "timeseries"}  # panelHasQueries


class BadDashboard(Exception):
    pass


def fail_parse(msg):
    raise BadDashboard(msg)


# --- the dashboard, as lint/lint.go reads it -------------------------------------------------------

def templates_of(d):
    out = []
    for t in (d.get("templating") or {}).get("list") or []:
        kind = t.get("type", "")
        q = t.get("query")
        query = ""
        # Template.UnmarshalJSON: every type but adhoc and custom needs a string or {query: ...}.
        if kind not in ("adhoc", "custom"):
            if isinstance(q, str):
                query = q
            elif isinstance(q, dict):
                query = q.get("query", "")
                if not isinstance(query, str):
                    fail_parse("template %r: query.query is not a string" % t.get("name"))
            else:
                fail_parse("invalid type for field 'query' of template %r: %r" % (t.get("name"), q))
        for key, want in (("multi", bool), ("refresh", int), ("allValue", str), ("name", str), ("label", str)):
            if t.get(key) is not None and not isinstance(t[key], want):
                fail_parse("template %r: %s is not a %s" % (t.get("name"), key, want.__name__))
        out.append(dict(t, _query=query))
    return out


def datasource_uid(raw):
    """lint.GetDataSource: a string, or {uid[, type]}; (uid, type) or an error text."""
    if raw is None:
        return ("", ""), None
    if isinstance(raw, str):
        return (raw, ""), None
    if isinstance(raw, dict):
        if "uid" not in raw:
            return ("", ""), "invalid type for field 'datasource': missing uid field"
        if not isinstance(raw["uid"], str):
            return ("", ""), "invalid type for field 'datasource': invalid uid field type, should be string"
        return (raw["uid"], raw.get("type", "")), None
    return ("", ""), "invalid type for field 'datasource': %r" % (raw,)


def panels_of(d):
    """Dashboard.GetPanels: the legacy rows' panels, then the panels, each followed by its nested ones."""
    def walk(p):
        yield p
        for c in p.get("panels") or []:
            yield from walk(c)
    out = []
    for row in d.get("rows") or []:
        for p in row.get("panels") or []:
            out.extend(walk(p))
    for p in d.get("panels") or []:
        out.extend(walk(p))
    return out


def template_datasource(templates):
    for t in templates:
        if t.get("type") == "datasource":
            return t
    return None


# --- Grafana variables and PromQL -------------------------------------------------------------------

VARIABLE = re.compile(r"\$(\w+)|\$\{([^}]+)\}|\[\[([^\[\]]+)\]\]")


def sample_value(text, templates):
    parts = text.split(":")
    if len(parts) > 3:
        raise ValueError("unknown variable format: " + text)
    name = parts[0]
    fmt = parts[-1] if len(parts) > 1 else ""
    if name in GLOBALS:
        return GLOBALS[name]
    if name.startswith("__auto_interval"):
        return "10s"
    for t in templates:
        if t.get("name") != name:
            continue
        rest = [o for o in templates if o.get("name") != name]
        cur = t.get("current") or {}
        value = cur.get("value")
        if isinstance(value, list):
            value = value[0] if value else ""
        if value:
            return expand(value, rest)
        options = t.get("options") or []
        if options:
            value = options[0].get("value")
            if isinstance(value, list):
                value = value[0] if value else ""
            return expand(value or "", rest)
    # The variable's name stands for its value, listed per format.
    values = [name] * 3
    return {"csv": ",".join(values), "raw": ",".join(values), "pipe": "|".join(values),
            "regex": "|".join(values), "glob": "{" + ",".join(values) + "}"}.get(fmt, name)


def expand(expr, templates):
    """lint/variables.go expandVariables: inside double quotes nothing is replaced."""
    parts = expr.split('"')
    for i in range(0, len(parts), 2):
        def one(m):
            return sample_value(next(g for g in m.groups() if g is not None), templates)
        parts[i] = VARIABLE.sub(one, parts[i])
    return '"'.join(parts)


class PromQL:
    """`nsmon promql ast` answers, one nsmon per distinct expression: kept in the file `cache_path`
    (if given) across runs, and fetched two at a time by prefetch()."""

    def __init__(self, nsmon, cache_path=None):
        self.nsmon = nsmon
        self.cache_path = cache_path
        self.cache = {}
        if cache_path and os.path.exists(cache_path):
            with open(cache_path, encoding="utf-8") as f:
                self.cache = {text: tuple(answer) for text, answer in json.load(f).items()}

    def ask(self, text):
        r = subprocess.run([self.nsmon, "--color", "never", "promql", "ast", "--format", "json"], input=text,
                           capture_output=True, text=True)
        if r.returncode == 0:
            return json.loads(r.stdout), None
        lines = [l for l in r.stderr.splitlines() if "error:" in l]
        return None, lines[0].split("error: ", 1)[1] if lines else r.stderr.strip()

    def prefetch(self, texts):
        missing = sorted(set(texts) - set(self.cache))
        with ThreadPoolExecutor(2) as pool:
            self.cache.update(zip(missing, pool.map(self.ask, missing)))

    def save(self):
        if self.cache_path:
            with open(self.cache_path + ".tmp", "w", encoding="utf-8") as f:
                json.dump(self.cache, f)
            os.replace(self.cache_path + ".tmp", self.cache_path)

    def parse(self, text):
        """The tree as `nsmon promql ast` prints it, or (None, error)."""
        if text not in self.cache:
            self.cache[text] = self.ask(text)
        return self.cache[text]


class Recorder:
    """A PromQL that only notes what the rules ask: which expressions they parse does not depend
    on the answers."""

    def __init__(self):
        self.texts = []

    def parse(self, text):
        self.texts.append(text)
        return None, "not parsed yet"


def children(node):
    for key in ("lhs", "rhs", "expr", "param", "selector"):
        if isinstance(node.get(key), dict):
            yield node[key]
    for a in node.get("args") or []:
        yield a


def walk(node, parents=()):
    yield node, parents
    for c in children(node):
        yield from walk(c, parents + (node,))


def duration_ms(text):
    units = {"ms": 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000, "w": 604800000, "y": 31536000000}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)(ms|[smhdwy])", text))


def selector_string_ends_total(vs):
    """Prometheus's VectorSelector.String() ends in _total only when it is the bare name."""
    return (vs.get("name", "").endswith("_total") and not vs.get("matchers") and vs.get("offset") is None
            and vs.get("at") is None)


# --- the rules --------------------------------------------------------------------------------------

def title_case(s):
    return s[:1].upper() + s[1:].lower() if s else s


def dashboard_rules(d, templates, promql):
    """(rule, severity, message) of the dashboard rules."""
    out = []
    title = d.get("title", "")

    def add(rule, message, severity="error"):
        out.append((rule, severity, "Dashboard '%s' %s" % (title, message)))

    ds = [t for t in templates if t.get("type", "").lower() == "datasource"]
    if not ds:
        add("template-datasource-rule", "does not have a templated data source")
    for t in ds:
        uid = t["_query"].lower() + "_datasource"
        label = title_case(t["_query"]) + " data source"
        names, labels = {uid}, {label}
        if len(ds) == 1:
            names.add("datasource")
            labels.add("Data source")
        if t.get("name", "") not in names:
            add("template-datasource-rule", "templated data source variable named '%s', should be named %s"
                % (t.get("name", ""), " or ".join("'%s'" % n for n in sorted(names))))
        if t.get("label", "") not in labels:
            add("template-datasource-rule", "templated data source variable labeled '%s', should be labeled %s"
                % (t.get("label", ""), " or ".join("'%s'" % n for n in sorted(labels))), "warning")

    tds = template_datasource(templates)
    if tds is not None and tds["_query"] == PROMETHEUS:
        for name in ("job", "instance"):
            rule = "template-%s-rule" % name
            t = next((t for t in templates if t.get("name") == name), None)
            if t is None:
                add(rule, "is missing the %s template" % name)
                continue
            (uid, _), err = datasource_uid(t.get("datasource"))
            if err:
                add(rule, "%s template has invalid datasource %s" % (name, err))
            if uid not in ("$datasource", "${datasource}", "$prometheus_datasource", "${prometheus_datasource}"):
                add(rule, "%s template should use datasource '$datasource', is currently '%s'" % (name, uid))
            if t.get("type") != "query":
                add(rule, "%s template should be a Prometheus query, is currently '%s'" % (name, t.get("type", "")))
            if t.get("label", "") != title_case(name):
                add(rule, "%s template should be a labeled '%s', is currently '%s'"
                    % (name, title_case(name), t.get("label", "")), "warning")
            if not t.get("multi"):
                add(rule, "%s template should be a multi select" % name)
            if (t.get("allValue") or "") != ".+":
                add(rule, "%s template allValue should be '.+', is currently '%s'" % (name, t.get("allValue") or ""))

        for t in templates:
            if t.get("type") != "query":
                continue
            m = re.search(r"([a-z_]+)\((.+)\)", t["_query"])
            if not m:
                add("template-label-promql-rule", "template '%s' invalid templated label '%s': invalid 'query'"
                    % (t.get("name"), t["_query"]))
                continue
            if m.group(1) not in ("label_names", "label_values", "metrics", "query_result"):
                add("template-label-promql-rule", "template '%s' invalid templated label '%s': invalid 'function': %s"
                    % (t.get("name"), t["_query"], m.group(1)))
                continue
            arg = m.group(2)
            if m.group(1) == "label_values":
                cut = last_top_level_comma(arg)
                if cut is not None:
                    arg = arg[:cut]
            _, err = promql.parse(expand(arg, templates))
            if err:
                add("template-label-promql-rule", "template '%s' invalid templated label '%s': %s"
                    % (t.get("name"), t["_query"], err))

    for t in templates:
        if t.get("type") == "query" and t.get("refresh", 0) != 2:
            add("template-on-time-change-reload-rule",
                "templated datasource variable named '%s', should be set to be refreshed 'On Time Range Change "
                "(value 2)', is currently '%s'" % (t.get("name"), t.get("refresh", 0)))

    if d.get("editable"):
        add("uneditable-dashboard", "is editable, it should be set to 'editable: false'")
    return out


def last_top_level_comma(s):
    depth, quote, last = 0, None, None
    for i, c in enumerate(s):
        if quote:
            if c == "\\":
                continue
            if c == quote:
                quote = None
        elif c in "\"'`":
            quote = c
        elif c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == "," and depth == 0:
            last = i
    return last


def panel_rules(d, templates, p):
    out = []
    title, ptitle, kind = d.get("title", ""), p.get("title", ""), p.get("type", "")

    def add(rule, message):
        who = "panel '%s'" % ptitle if ptitle else "panel with id '%s'" % p.get("id", 0)
        out.append((rule, "error", "Dashboard '%s', %s %s" % (title, who, message)))

    if kind in DATASOURCED:
        allowed = set()
        for t in templates:
            if t.get("type", "").lower() == "datasource":
                allowed |= {"$" + t.get("name", ""), "${%s}" % t.get("name", "")}
        (uid, _), err = datasource_uid(p.get("datasource"))
        if err:
            add("panel-datasource-rule", "has invalid datasource: %s'" % err)
        if uid not in allowed:
            add("panel-datasource-rule", "does not use a templated datasource, uses '%s'" % uid)

    if kind in TITLED:
        if not ptitle or not p.get("description"):
            add("panel-title-description-rule", "has missing title or description, currently has title '%s' and "
                "description: '%s'" % (ptitle, p.get("description", "")))
        if not p.get("targets"):
            add("panel-no-targets-rule", "has no targets")
        units(p, add)
    return out


def units(p, add):
    if p.get("type") == "stat" and ((p.get("options") or {}).get("reduceOptions") or {}).get("fields"):
        return  # a stat of non-numeric fields
    fc = p.get("fieldConfig") or {}
    unit = ""
    for o in fc.get("overrides") or []:
        for prop in o.get("properties") or []:
            if prop.get("id") == "mappings" and prop.get("value"):
                return
            if prop.get("id") == "unit":
                unit = prop.get("value") or ""
    if (fc.get("defaults") or {}).get("mappings"):
        return
    unit = unit or (fc.get("defaults") or {}).get("unit") or ""
    if unit not in VALID_UNITS:
        add("panel-units-rule", "has no or invalid units defined: '%s'" % unit)


def target_rules(d, templates, p, idx, t, promql):
    out = []
    title, ptitle = d.get("title", ""), p.get("title", "")
    expr = t.get("expr") or ""

    def add(rule, message):
        out.append((rule, "error", "Dashboard '%s', panel '%s', target idx '%d' %s" % (title, ptitle, idx, message)))

    tds = template_datasource(templates)
    if tds is None or tds["_query"] != PROMETHEUS:
        return out  # the target rules of Prometheus need the templated Prometheus data source
    tree, err = promql.parse(expand(expr, templates))

    if p.get("type") in WITH_QUERIES:
        if not expr and (t.get("panelId") or 0) > 0 and not any(q.get("id") == t["panelId"] for q in d.get("panels") or []):
            add("target-promql-rule", "Invalid panel reference in target")
        if err:
            add("target-promql-rule", "invalid PromQL query '%s': %s" % (expr, err))
        elif tree:
            for node, parents in walk(tree):
                if node["node"] != "MatrixSelector" or duration_ms(node["range"]) == RATE_INTERVAL_MS or not parents:
                    continue
                parent = parents[-1]
                if parent["node"] != "Call":
                    add("target-rate-interval-rule", "invalid PromQL query '%s': $__rate_interval used in non-rate "
                        "function" % expr)
                    break
                if parent["function"] in ("rate", "irate"):
                    add("target-rate-interval-rule", "invalid PromQL query '%s': should use $__rate_interval" % expr)
                    break

    if tree:
        for name in ("job", "instance"):
            for node, _ in walk(tree):
                if node["node"] != "VectorSelector":
                    continue
                mine = [m for m in node["matchers"] if m["name"] == name]
                if not any(m["op"] == "=~" and m["value"] == "$" + name for m in mine):
                    add("target-%s-rule" % name, "invalid PromQL query '%s': %s selector not found" % (expr, name)
                        if not mine else "invalid PromQL query '%s': %s selector is %s%s\"%s\", not =~\"$%s\""
                        % (expr, name, name, mine[-1]["op"], mine[-1]["value"], name))
        for node, parents in walk(tree):
            if node["node"] != "VectorSelector" or not selector_string_ends_total(node):
                continue
            ok = (len(parents) >= 2 and parents[-1]["node"] == "MatrixSelector" and parents[-2]["node"] == "Call"
                  and parents[-2]["function"] in ("rate", "irate", "increase"))
            if not ok:
                add("target-counter-agg-rule", "counter metric '%s' is not aggregated with rate, irate, or increase"
                    % node["name"])
                break
    return out


# --- the .lint file ---------------------------------------------------------------------------------

ENTRY_KEYS = {"reason", "dashboard", "panel", "alert", "targetidx"}


def load_config(path, problems):
    if not os.path.exists(path):
        return {"exclusions": {}, "warnings": {}}
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    if raw is None:  # comments only: yaml.v3's Decoder.Decode returns io.EOF and the linter stops
        problems.append("%s: no YAML document (the linter fails to load it: EOF)" % path)
        raw = {}
    for key in raw:
        if key not in ("exclusions", "warnings"):
            problems.append("%s: unknown key '%s' (yaml.v3 ignores it)" % (path, key))
    config = {"exclusions": raw.get("exclusions") or {}, "warnings": raw.get("warnings") or {}}
    for section, rules in config.items():
        for rule, body in rules.items():
            where = "%s: %s.%s" % (path, section, rule)
            if body is None:
                problems.append(where + ": no reason")
                continue
            for key in body:
                if key not in ("reason", "entries"):
                    problems.append("%s: unknown key '%s'" % (where, key))
            if not body.get("reason"):
                problems.append(where + ": no reason")
            for i, e in enumerate(body.get("entries") or []):
                for key in e:
                    if key not in ENTRY_KEYS:
                        problems.append("%s entry %d: unknown key '%s' (yaml.v3 reads lower-case field names: %s)"
                                        % (where, i, key, ", ".join(sorted(ENTRY_KEYS))))
                if not e.get("reason"):
                    problems.append("%s entry %d: no reason" % (where, i))
    return config


def entry_matches(e, dashboard, panel, target):
    """ConfigurationEntry.IsMatch."""
    if e.get("dashboard") and e["dashboard"] != dashboard:
        return False
    if e.get("panel") and panel is not None and e["panel"] != panel:
        return False
    if target is not None and e.get("targetidx") not in (None, ""):
        try:
            if int(str(e["targetidx"])) != target:
                return False
        except ValueError:
            pass
    return True


def covering(section, rule, dashboard, panel, target):
    """ConfigurationFile.Apply: which entries (or the whole rule, as -1) cover one result context."""
    if rule not in section:
        return None
    body = section[rule]
    entries = (body or {}).get("entries") or []
    if not entries:
        return [-1]
    hits = [i for i, e in enumerate(entries) if entry_matches(e, dashboard, panel, target)]
    return hits or None


def results(d, templates, promql):
    """(panel title, target index, rule results) of every context of one dashboard."""
    contexts = [(None, None, dashboard_rules(d, templates, promql))]
    for p in panels_of(d):
        contexts.append((p.get("title", ""), None, panel_rules(d, templates, p)))
        for i, t in enumerate(p.get("targets") or []):
            contexts.append((p.get("title", ""), i, target_rules(d, templates, p, i, t, promql)))
    return contexts


def main(argv):
    cache_path = None
    if argv[1:2] == ["--cache"] and len(argv) > 2:
        cache_path = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    promql = PromQL(argv[1], cache_path)
    dashboards = []
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        try:
            dashboards.append((path, d, templates_of(d)))
        except BadDashboard as e:
            dashboards.append((path, d, e))
    # The rules run once on a recorder to learn every expression they parse, so that the nsmon
    # runs they need can go two at a time.
    recorder = Recorder()
    for _, d, templates in dashboards:
        if not isinstance(templates, BadDashboard):
            results(d, templates, recorder)
    promql.prefetch(recorder.texts)
    promql.save()

    failures, problems, used, configs = [], [], {}, {}
    checked = 0
    for path, d, templates in dashboards:
        lint_path = os.path.join(os.path.dirname(path), ".lint")
        if lint_path not in configs:
            configs[lint_path] = load_config(lint_path, problems)
            used[lint_path] = set()
        config = configs[lint_path]
        if isinstance(templates, BadDashboard):
            failures.append("[parse] %s: failed to parse dashboard: %s" % (path, templates))
            continue
        checked += 1
        title = d.get("title", "")
        for panel, target, results_here in results(d, templates, promql):
            for rule, severity, message in results_here:
                excluded = covering(config["exclusions"], rule, title, panel, target)
                warned = covering(config["warnings"], rule, title, panel, target)
                for section, hits in (("exclusions", excluded), ("warnings", warned)):
                    for i in hits or []:
                        used[lint_path].add((section, rule, i))
                # A warning entry wins over an exclusion (Apply runs the warnings second), and
                # --strict fails on warnings as on errors.
                if warned is not None or excluded is None:
                    failures.append("[%s] %s%s" % (rule, message, " (a warning)" if warned is not None or
                                                   severity == "warning" else ""))
    for lint_path, config in configs.items():
        for section, rules in config.items():
            for rule, body in rules.items():
                entries = (body or {}).get("entries") or []
                for i in (range(len(entries)) if entries else [-1]):
                    if (section, rule, i) not in used[lint_path]:
                        what = "entry %d (%s)" % (i, entries[i]) if i >= 0 else "the whole rule"
                        problems.append("%s: %s.%s %s excuses nothing" % (lint_path, section, rule, what))
    for line in failures + problems:
        print(line)
    print("dashboard-linter oracle: %d dashboards, %d results --strict fails on, %d .lint problems"
          % (checked, len(failures), len(problems)))
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
