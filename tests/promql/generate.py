#!/usr/bin/python3
"""Generates PromQL expressions for the differential test: well-typed random expressions built
from the grammar, combinations of them, and mutations (tokens dropped, repeated, swapped or
inserted; characters dropped or inserted) that probe the parser's error paths.

Deterministic for a given seed. `generate.py N [SEED]` prints N expressions, one per line.
"""

import random
import re
import sys

METRICS = ["foo", "bar", "http_requests_total", "node_cpu_seconds_total", "job:rate5m:sum", "up",
           "process_resident_memory_bytes", "detector_inference_seconds_bucket", "a", "x1"]
KEYWORD_METRICS = ["sum", "by", "offset", "start", "end", "step", "range", "group", "limitk", "fill", "max_of"]
LABELS = ["job", "instance", "le", "code", "method", "a", "b", "mode", "on", "by", "bool"]
VALUES = ["api", "node", "0.5", "", "5..", "a.b", "é", "x y", "GET"]
REGEXES = [".*", ".+", "5..", "a|b", "(a|b)c", "[0-9]+", "foo.*bar", "(", "a**", "[a", "\\\\d", "x{2,1}",
           "", "a|", "(?i)get", "\\\\C", "(?P<n>a)"]
DURATIONS = ["5m", "1h", "30s", "1h30m", "1d", "2w", "1y", "500ms", "90s", "1m30s", "10m", "0s", "1h1h", "5mm"]
NUMBERS = ["1", "0", "0.5", "100", "1e3", "2.5e-3", "0x1f", "-1", "Inf", "NaN", ".5", "5.", "010", "1_000"]
STRINGS = ['"a"', "'b'", "`c`", '"label"', '""', '"$1"', '"(.*)"']

# name: (argument types, variadic, return type); s scalar, v vector, m matrix, S string
FUNCS = {
    "abs": ("v", 0, "v"), "absent": ("v", 0, "v"), "absent_over_time": ("m", 0, "v"), "ceil": ("v", 0, "v"),
    "changes": ("m", 0, "v"), "clamp": ("vss", 0, "v"), "clamp_max": ("vs", 0, "v"), "clamp_min": ("vs", 0, "v"),
    "day_of_month": ("v", 1, "v"), "day_of_week": ("v", 1, "v"), "days_in_month": ("v", 1, "v"),
    "delta": ("m", 0, "v"), "deriv": ("m", 0, "v"), "exp": ("v", 0, "v"), "floor": ("v", 0, "v"),
    "histogram_quantile": ("sv", 0, "v"), "histogram_count": ("v", 0, "v"), "histogram_sum": ("v", 0, "v"),
    "histogram_fraction": ("ssv", 0, "v"), "hour": ("v", 1, "v"), "idelta": ("m", 0, "v"),
    "increase": ("m", 0, "v"), "irate": ("m", 0, "v"), "label_replace": ("vSSSS", 0, "v"),
    "label_join": ("vSSS", -1, "v"), "ln": ("v", 0, "v"), "log2": ("v", 0, "v"), "minute": ("v", 1, "v"),
    "month": ("v", 1, "v"), "pi": ("", 0, "s"), "predict_linear": ("ms", 0, "v"), "rate": ("m", 0, "v"),
    "resets": ("m", 0, "v"), "round": ("vs", 1, "v"), "scalar": ("v", 0, "s"), "sgn": ("v", 0, "v"),
    "sort": ("v", 0, "v"), "sort_desc": ("v", 0, "v"), "sqrt": ("v", 0, "v"), "time": ("", 0, "s"),
    "timestamp": ("v", 0, "v"), "vector": ("s", 0, "v"), "year": ("v", 1, "v"),
    "avg_over_time": ("m", 0, "v"), "max_over_time": ("m", 0, "v"), "sum_over_time": ("m", 0, "v"),
    "quantile_over_time": ("sm", 0, "v"), "last_over_time": ("m", 0, "v"), "present_over_time": ("m", 0, "v"),
    "stddev_over_time": ("m", 0, "v"), "deg": ("v", 0, "v"), "sinh": ("v", 0, "v"), "atanh": ("v", 0, "v"),
}
AGGS = ["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"]
PARAM_AGGS = {"topk": "s", "bottomk": "s", "quantile": "s", "count_values": "S"}
ARITH = ["+", "-", "*", "/", "%", "^", "atan2"]
COMPARE = ["==", "!=", ">", "<", ">=", "<="]
SETOPS = ["and", "or", "unless"]


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def pick(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    def matcher(self):
        label = self.pick(LABELS)
        if self.chance(0.1):
            label = '"' + self.pick(["a.b", "job", "x-y"]) + '"'
        op = self.pick(["=", "!=", "=~", "!~"])
        val = self.pick(REGEXES) if "~" in op else self.pick(VALUES)
        q = self.pick(['"', '"', "'"])
        return f"{label}{op}{q}{val}{q}"

    def selector(self):
        name = self.pick(METRICS) if not self.chance(0.08) else self.pick(KEYWORD_METRICS)
        if self.chance(0.5):
            ms = ",".join(self.matcher() for _ in range(self.r.randint(0, 3)))
            if self.chance(0.1):
                ms += ","
            if self.chance(0.15):
                return "{" + ms + "}"
            return name + "{" + ms + "}"
        return name

    def modifiers(self, allow_at=True):
        s = ""
        if self.chance(0.15):
            s += " offset " + self.pick(["", "-"]) + self.pick(DURATIONS)
        if allow_at and self.chance(0.08):
            s += " @ " + self.pick(["100", "1609746000", "start()", "end()", "-5", "1.5"])
        if self.chance(0.05):
            s += " offset " + self.pick(DURATIONS)
        return s

    def scalar(self, d):
        c = self.r.random()
        if d > 3 or c < 0.5:
            return self.pick(NUMBERS)
        if c < 0.6:
            return self.pick(["time()", "pi()"])
        if c < 0.7:
            return f"scalar({self.vector(d + 1)})"
        if c < 0.85:
            return f"{self.scalar(d + 1)} {self.pick(ARITH + [c + ' bool' for c in COMPARE])} {self.scalar(d + 1)}"
        if c < 0.92:
            return f"({self.scalar(d + 1)})"
        return "-" + self.scalar(d + 1)

    def matrix(self, d):
        if d > 3 or self.chance(0.7):
            return f"{self.selector()}[{self.pick(DURATIONS)}]{self.modifiers()}"
        step = self.pick(["", self.pick(DURATIONS)])
        return f"{self.vector(d + 1, simple=True)}[{self.pick(DURATIONS)}:{step}]{self.modifiers()}"

    def call(self, name, d):
        args, variadic, _ = FUNCS[name]
        n = len(args)
        if variadic and n and self.chance(0.3):
            n = n - 1 if variadic == 1 else n + self.r.randint(0, 2)
        out = []
        for i in range(n):
            t = args[min(i, len(args) - 1)] if args else "v"
            out.append(self.of_type(t, d + 1))
        return f"{name}({', '.join(out)})"

    def grouping(self):
        labels = ", ".join(self.pick(LABELS) for _ in range(self.r.randint(0, 3)))
        return f"{self.pick(['by', 'without'])} ({labels})"

    def vector(self, d, simple=False):
        c = self.r.random()
        if d > 3 or c < 0.3:
            return self.selector() + self.modifiers()
        if simple and c < 0.5:
            return f"({self.vector(d + 1)})"
        if c < 0.5:
            name = self.pick([f for f, v in FUNCS.items() if v[2] == "v"])
            return self.call(name, d)
        if c < 0.65:
            if self.chance(0.3):
                op = self.pick(list(PARAM_AGGS))
                param = self.of_type(PARAM_AGGS[op], d + 1)
                inner = f"{param}, {self.vector(d + 1)}"
            else:
                op, inner = self.pick(AGGS), self.vector(d + 1)
            g = self.grouping() if self.chance(0.5) else ""
            if g and self.chance(0.5):
                return f"{op} {g} ({inner})"
            return f"{op}({inner}){' ' + g if g else ''}"
        if c < 0.85:
            op = self.pick(ARITH + COMPARE + SETOPS)
            mod = ""
            if op in COMPARE and self.chance(0.3):
                mod += " bool"
            if self.chance(0.3):
                labels = ", ".join(self.pick(LABELS) for _ in range(self.r.randint(0, 2)))
                mod += f" {self.pick(['on', 'ignoring'])}({labels})"
                if op not in SETOPS and self.chance(0.4):
                    mod += f" {self.pick(['group_left', 'group_right'])}"
                    if self.chance(0.5):
                        mod += f"({self.pick(LABELS)})"
            lhs = self.vector(d + 1)
            rhs = self.of_type(self.pick(["v", "v", "s"]), d + 1)
            if self.chance(0.3):
                lhs, rhs = rhs, lhs
            return f"{lhs} {op}{mod} {rhs}"
        if c < 0.93:
            return f"({self.vector(d + 1)})"
        return "-" + self.vector(d + 1)

    def of_type(self, t, d):
        if t == "s":
            return self.scalar(d)
        if t == "m":
            return self.matrix(d)
        if t == "S":
            return self.pick(STRINGS)
        return self.vector(d)

    def expression(self):
        return self.of_type(self.pick("vvvvsm"), 0)


TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`|[A-Za-z_:][\w:]*|\d[\w.]*|\.\d+|[=!<>]=|=~|!~|\S')
INSERTS = ["(", ")", "[", "]", "{", "}", ",", ":", "@", "offset", "by", "bool", "on", "5m", "1", '"x"', "+", "==",
           "group_left", "sum", "foo", "without", "=", "=~", "-", "#", "'", "`", "start()", "1h:"]


def mutate(g, expr):
    toks = TOKEN.findall(expr)
    for _ in range(g.r.randint(1, 3)):
        if not toks:
            break
        i = g.r.randrange(len(toks))
        c = g.r.random()
        if c < 0.3:
            del toks[i]
        elif c < 0.45:
            toks.insert(i, toks[i])
        elif c < 0.6 and i + 1 < len(toks):
            toks[i], toks[i + 1] = toks[i + 1], toks[i]
        elif c < 0.85:
            toks.insert(i, g.pick(INSERTS))
        else:
            toks[i] = g.pick(INSERTS)
    out = ""
    for t in toks:
        sep = " " if out and g.chance(0.7) else ""
        out += sep + t
    if g.chance(0.15) and out:
        i = g.r.randrange(len(out))
        out = out[:i] + out[i + 1:] if g.chance(0.5) else out[:i] + g.pick("(){}[],:\"'=~!@ ") + out[i:]
    return out


def generate(n, seed):
    g = Gen(random.Random(seed))
    out = []
    while len(out) < n:
        e = g.expression()
        c = g.r.random()
        if c < 0.45:
            out.append(e)
        elif c < 0.55:
            out.append(f"{e} {g.pick(ARITH + SETOPS)} {g.expression()}")
        else:
            out.append(mutate(g, e))
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for e in generate(n, int(sys.argv[2]) if len(sys.argv) > 2 else 1):
        print(e)
