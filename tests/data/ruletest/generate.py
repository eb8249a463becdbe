#!/usr/bin/env python3
"""Writes random rule unit-test files for the promtool differential (test_rules_promtool.sh).

Each file tests one small rule file (a threshold alert with `for`, a recording rule, an alert on
the recorded series) over random 0/10 series; the expectations are the right answer under a
simple model about half the time and a wrong one otherwise, so that both verdicts occur. Only
what Prometheus 2.42 and 3.x agree on is used: explicit intervals, no gaps (lookback windows
differ on their start), instant selectors.
Usage: generate.py OUTDIR COUNT SEED
"""
import os
import random
import sys

RULES = """groups:
  - name: gen
    rules:
      - alert: High
        expr: m > 5
        for: {for_}m
        labels:
          severity: page
        annotations:
          summary: "{{{{ $labels.i }}}} is {{{{ $value }}}}"
      - record: m:x2
        expr: m * 2
      - alert: DoubleHigh
        expr: m:x2 >= 20
"""


def firing(values, step, hold):
    """Whether m > 5 has held at every evaluation over the last `hold` minutes at `step`."""
    if step >= len(values):
        return False
    start = step - hold
    return start >= 0 and all(v > 5 for v in values[start:step + 1])


def main():
    out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for n in range(count):
        hold = rnd.choice([0, 1, 2, 3])
        with open(os.path.join(out, f"gen_{n:03d}_rules.yml"), "w") as f:
            f.write(RULES.format(for_=hold))
        steps = rnd.randint(3, 12)
        series = {str(i): [rnd.choice([0, 10, 10]) for _ in range(steps)] for i in range(rnd.randint(1, 3))}
        lines = [f"rule_files: [gen_{n:03d}_rules.yml]", "evaluation_interval: 1m", "tests:"]
        lines += [f"  - name: gen {n}", "    interval: 1m", "    input_series:"]
        for i, vals in series.items():
            lines += [f"      - series: 'm{{i=\"{i}\"}}'", f"        values: '{' '.join(map(str, vals))}'"]
        lines.append("    alert_rule_test:")
        for _ in range(rnd.randint(1, 3)):
            step = rnd.randint(0, steps - 1)
            right = rnd.random() < 0.5
            exp = [i for i, vals in series.items() if firing(vals, step, hold)]
            if not right:
                exp = [i for i in series if i not in exp] or list(series)[:1]
            lines += [f"      - eval_time: {step}m", "        alertname: High", "        exp_alerts:"]
            if not exp:
                lines[-1] += " []"
            for i in exp:
                v = series[i][step]
                lines += ["          - exp_labels: {severity: page, i: '" + i + "'}",
                          f"            exp_annotations: {{summary: '{i} is {v}'}}"]
        lines.append("    promql_expr_test:")
        step = rnd.randint(0, steps - 1)
        lines += ["      - expr: m:x2", f"        eval_time: {step}m", "        exp_samples:"]
        for i, vals in series.items():
            value = vals[step] * 2 + (0 if rnd.random() < 0.8 else 1)
            lines += [f"          - labels: 'm:x2{{i=\"{i}\"}}'", f"            value: {value}"]
        with open(os.path.join(out, f"gen_{n:03d}_test.yml"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
