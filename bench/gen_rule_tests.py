#!/usr/bin/env python3
"""Writes a rule unit-test file of COUNT tests by repeating the tests of TEMPLATE (a test file in
promtool's format, rules/alert_rules_test.yml by default) with fresh names and label values, its
rule_files (and nsmon's alertmanager:) made absolute. Used by bench/bench_test_rules.sh and
bench/bench_alert_path.sh.
Usage: gen_rule_tests.py COUNT [TEMPLATE]
"""
import os
import re
import sys


def main():
    count = int(sys.argv[1])
    template = sys.argv[2] if len(sys.argv) > 2 else "rules/alert_rules_test.yml"
    text = open(template).read()
    head, _, body = text.partition("\ntests:\n")
    base = os.path.dirname(os.path.abspath(template))
    head = re.sub(r"(?m)^(\s*-\s+)([^\s#][^\n]*\.ya?ml)\s*$",
                  lambda m: m.group(1) + os.path.join(base, m.group(2)), head)
    head = re.sub(r"rule_files: \[([^\]]*)\]",
                  lambda m: "rule_files: [" + ", ".join(os.path.join(base, f.strip()) for f in m.group(1).split(",")) + "]",
                  head)
    # nsmon's `alertmanager: FILE` (relative to the test file) made absolute too.
    body = re.sub(r"(?m)^(\s+alertmanager: )(\S+)$", lambda m: m.group(1) + os.path.join(base, m.group(2)), body)
    tests = re.split(r"(?m)^(?=  - )", body)
    tests = [t for t in tests if t.startswith("  - ")]
    out = [head, "\ntests:\n"]
    n = 0
    while n < count:
        for t in tests:
            if n >= count:
                break
            copy = re.sub(r"(?m)^  - name: (.*)$", lambda m: f"  - name: {m.group(1)} #{n}", t, count=1)
            if not copy.startswith("  - name:"):
                copy = "  - name: test #%d\n    " % n + copy[4:]
            # Fresh label values, the same in the series and the expectations.
            copy = copy.replace("yolo", f"yolo{n}").replace("node1", f"node{n}")
            out.append(copy)
            n += 1
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
