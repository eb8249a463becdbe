#!/usr/bin/env python3
"""The series notation against promtool (Debian's, Prometheus 2.42): each case is a promtool unit
test whose input series is written in the notation; nsmon expands it (promqltest_runner --expand)
and the test expects, at every step, the sample that expansion gives (the last value at or before
the step within the 5m lookback; nothing after a stale marker). promtool passing the test means both
read the values alike (promtool compares exactly); 30 more cases are generated from a fixed seed. A
case nsmon refuses must be refused by promtool too, and the words and column are compared (2.42's
lexer is older, so they may differ). Cases where Prometheus 3.x's lexer reads differently from 2.42's are listed
in KNOWN with the reason. Exit 0 all agree, 1 a disagreement, 77 promtool missing.

  tests/promqltest/notation_differential.py --runner build/tests/promqltest_runner
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile

CASES = [
    # (series, values)
    ("m", "1 2 3"),
    ("m", "1+2x3"),
    ("m", "10-1x3"),
    ("m", "5x2"),
    ("m", "_x3 1"),
    ("m", "_ 1 _ 2"),
    ("m", "1 stale 2"),
    ("m", "1 stale _ 2"),
    ("m", "-1 +2 -3x1"),
    ("m", "-1-2x2"),
    ("m", "1+0x0"),
    ("m", "Inf -Inf"),
    ("m", "1e3 1.5E-3 .5 5."),
    ("m", "010 08 0"),
    ("m", "0x3"),
    ("m", "0.1+0.1x9"),
    ("m", "1.5-0.25x6"),
    ("m", "1e308+1e308x1"),
    ("m", "3 _x2 stale _x2 4"),
    ('m{a="b"}', "1 2"),
    ('{__name__="m"}', "1 2"),
    ('m{a="b",}', "1"),
    ("m", "1x"),
    ("m", "1+x3"),
    ("m", "foo"),
    ("m", "1m"),
    ("m", "1x3.5"),
    ("m", "1,2"),
    ("m", "+-1"),
    ("m", "1+2"),
    ("m", "1 2 x"),
    ("m", "stalex3"),
    ("m", "1xInf"),
    ("m", "1xfoo"),
    ("m", "Infinity"),
    ("m{a=1}", "1"),
    ("m{a}", "1"),
    ("on", "1"),
]



def generated(n, seed=14):
    """n value sequences of random items (fixed seed): numbers, a+bxn, a-bxn, axn, _, _xn, stale."""
    import random
    rnd = random.Random(seed)
    num = lambda: rnd.choice(["%d" % rnd.randint(-50, 50), "%.2f" % rnd.uniform(-10, 10), "%de%d" % (rnd.randint(1, 9), rnd.randint(-3, 3))])
    items = [
        lambda: num(),
        lambda: "%s+%sx%d" % (num(), num().lstrip("-"), rnd.randint(0, 6)),
        lambda: "%s-%sx%d" % (num(), num().lstrip("-"), rnd.randint(0, 6)),
        lambda: "%sx%d" % (num(), rnd.randint(0, 4)),
        lambda: "_",
        lambda: "_x%d" % rnd.randint(0, 4),
        lambda: "stale",
    ]
    return [("m", " ".join(rnd.choice(items)() for _ in range(rnd.randint(1, 6)))) for _ in range(n)]


CASES += generated(30)

# Cases where Prometheus 3.x (which nsmon follows) and promtool 2.42 differ, and why.
KNOWN = {
    ("m", "1_000"): "3.x's lexer reads digit separators in numbers (1_000); 2.42's does not",
    ('{"m"}', "1 2"): "quoted (UTF-8) metric names in braces are Prometheus 3.0's; 2.42 refuses them",
}
CASES += list(KNOWN)


def expand(runner, series, values):
    r = subprocess.run([runner, "--expand", series + " " + values], capture_output=True, text=True)
    lines = r.stdout.splitlines()
    if r.returncode != 0:
        return None, lines[0] if lines else r.stderr
    return lines[0], lines[1:]


def steps(values):
    """Per step: the expected value of the selector (None: no sample), skipping undecidable steps."""
    out = []
    for i in range(len(values)):
        want = "absent"
        for j in range(i, -1, -1):
            if values[j] == "_":
                continue
            if i - j >= 5:  # at or beyond the lookback's edge (2.42 and 3.x differ there)
                want = "skip" if i - j == 5 else "absent"
            elif values[j] == "stale":
                want = "absent"
            else:
                want = float(values[j])
            break
        if isinstance(want, float) and (math.isnan(want) or math.isinf(want)):
            want = "skip"  # promtool's comparison of NaN/Inf is not what this tests
        out.append(want)
    return out


def test_file(series, values, labels, expected):
    lines = ["rule_files: [empty.yml]", "tests:", "  - interval: 1m", "    input_series:",
             "      - series: " + yaml_quote(series), "        values: " + yaml_quote(values),
             "    promql_expr_test:"]
    for i, want in enumerate(expected):
        if want == "skip":
            continue
        samples = "[]" if want == "absent" else "[{labels: %s, value: %r}]" % (yaml_quote(labels), want)
        lines += ["      - expr: m", "        eval_time: %dm" % i, "        exp_samples: " + samples]
    if lines[-1] == "    promql_expr_test:":
        lines += ["      - expr: vector(1)", "        eval_time: 0m", "        exp_samples: [{value: 1}]"]
    return "\n".join(lines) + "\n"


def yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--promtool", default="/usr/bin/promtool")
    args = ap.parse_args()
    if not shutil.which(args.promtool):
        print("promtool not installed: skipped")
        return 77
    bad = 0
    refused = same_messages = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "t.yml")
        with open(os.path.join(tmp, "empty.yml"), "w") as f:
            f.write("groups: []\n")
        for series, values in CASES:
            labels, vals = expand(args.runner, series, values)
            nsmon_ok = labels is not None
            expected = steps(vals) if nsmon_ok else []
            with open(path, "w") as f:
                f.write(test_file(series, values, labels or "", expected))
            r = subprocess.run([args.promtool, "test", "rules", path], capture_output=True, text=True)
            out = r.stdout + r.stderr
            promtool_parse_error = "parse error" in out
            if nsmon_ok:
                agree = r.returncode == 0
                detail = "" if agree else out.strip().splitlines()[-1]
            else:
                agree = promtool_parse_error
                # The same words at the same place? (promtool: "1:COL: parse error: MSG", COL 1-based.)
                offset, _, msg = vals.partition(": ")
                same = "1:%d: parse error: %s" % (int(offset[len("error@"):]) + 1, msg) in out
                same_messages += same
                refused += 1
                detail = "nsmon: %s; promtool: %s" % (vals, "same words and column" if same else
                                                      (out.strip().splitlines()[-1] if promtool_parse_error else "accepted"))
            known = KNOWN.get((series, values))
            verdict = "agree" if agree else ("known difference: " + known if known else "DISAGREE")
            if not agree and not known:
                bad += 1
            print("%-10s %-22s %-8s %s %s" % (series, values, "ok" if nsmon_ok else "refused", verdict, detail))
    print("%d cases, %d unexpected disagreements; of the %d refused, %d with promtool's words at its column"
          % (len(CASES), bad, refused, same_messages))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
