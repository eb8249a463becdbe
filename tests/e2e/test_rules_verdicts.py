#!/usr/bin/python3
"""Each file's verdict from `nsmon test-rules`, with one process for all the files that load.

Usage: test_rules_verdicts.py NSMON [OPTION...] -- FILE...

Prints, for each FILE in order, FILE<TAB>EXIT<TAB>MESSAGE: EXIT is the status that
`nsmon test-rules OPTION... FILE` gives on that file alone (0 pass, 1 a test failed or a finding at
--fail-on, 2 the file or a rule file it loads is invalid), MESSAGE the first line of its first
error ("" when none).

A process start costs much under ASan, so the files are run together (--format json) and each
file's verdict is read from the findings whose "file" it is. That is the verdict alone only if
nothing crosses files, which is checked: every finding must name one of the files, and the report
must count them all; otherwise the script fails. test-rules loads every file first and runs
nothing when one is invalid (exit 2, the errors on stderr at their file:line): the test files
named there, and those whose rule_files load a rule file named there, are run alone (each for its
own exit and message), and the others together again.
"""
import glob
import json
import os
import re
import subprocess
import sys

RANK = {"info": 1, "warning": 2, "error": 3}
# --fail-on's threshold: exit 1 at a finding at least this severe (test-rules --help).
FAIL_ON = {"info": 1, "warning": 2, "error": 3, "never": 4}


def rule_files(test_file):
    """The real paths of the rule files a unit-test file loads: its rule_files globs, relative to
    its folder (what peer.py's loaded_by does for promtool)."""
    import yaml
    try:
        with open(test_file, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except Exception:
        return set()
    patterns = doc.get("rule_files") if isinstance(doc, dict) else None
    found = set()
    for p in patterns if isinstance(patterns, list) else []:
        if isinstance(p, str):
            found |= {os.path.realpath(m) for m in glob.glob(os.path.join(os.path.dirname(test_file), p))}
    return found


def run(nsmon, options, files, fmt):
    return subprocess.run([nsmon, "test-rules", "--format", fmt] + options + files,
                          capture_output=True, text=True)


def first_line(text):
    return next((l for l in text.splitlines() if "error" in l), "")


def alone(nsmon, options, f):
    p = run(nsmon, options, [f], "text")
    return p.returncode, first_line(p.stdout + p.stderr)


def together(nsmon, options, files, threshold):
    """{file: (exit, message)} from one run, or the files the run names as invalid (exit 2)."""
    p = run(nsmon, options, files, "json")
    if p.returncode == 2:
        named = {os.path.realpath(m.group(1)) for m in re.finditer(r"^(.+?):\d+:\d+: error: ", p.stderr, re.M)}
        invalid = [f for f in files if os.path.realpath(f) in named or rule_files(f) & named]
        if not invalid:
            sys.exit(f"test-rules exit 2 names no file of the run: {p.stderr}")
        return invalid
    if p.returncode not in (0, 1):
        sys.exit(f"test-rules exited {p.returncode}: {p.stderr[-3000:]}")
    try:
        report = json.loads(p.stdout)
    except ValueError:
        sys.exit(f"test-rules (exit {p.returncode}) wrote no JSON report: {p.stdout[-2000:]}{p.stderr[-3000:]}")
    if report["summary"]["files"] != len(files):
        sys.exit(f"test-rules counted {report['summary']['files']} files of {len(files)}")
    verdicts = {f: (0, "") for f in files}
    for finding in report["findings"]:
        f = finding["file"]
        if f not in verdicts:
            sys.exit(f"a finding in {f}, not one of the files run: its test file is not known: {finding}")
        if RANK[finding["severity"]] >= threshold and verdicts[f][0] == 0:
            where = f"{f}:{finding['line']}:{finding['column']}"
            verdicts[f] = (1, f"{where}: {finding['severity']}: {finding['message'].splitlines()[0]}")
    return verdicts


def main():
    if "--" not in sys.argv[2:]:
        sys.exit("usage: test_rules_verdicts.py NSMON [OPTION...] -- FILE...")
    nsmon = sys.argv[1]
    cut = sys.argv.index("--", 2)
    options, files = sys.argv[2:cut], sys.argv[cut + 1:]
    if "--format" in options:
        sys.exit("test_rules_verdicts.py chooses --format itself")
    threshold = FAIL_ON[options[options.index("--fail-on") + 1]] if "--fail-on" in options else FAIL_ON["warning"]
    verdicts, left = {}, list(files)
    while left:
        got = together(nsmon, options, left, threshold)
        if isinstance(got, dict):
            verdicts.update(got)
            break
        for f in got:
            verdicts[f] = alone(nsmon, options, f)
        left = [f for f in left if f not in got]
    for f in files:
        print(f"{f}\t{verdicts[f][0]}\t{verdicts[f][1]}")


if __name__ == "__main__":
    main()
