#!/usr/bin/env python3
"""Proves the examples of every check's page (docs/checks/, embedded in nsmon; `nsmon explain`).

For every check id nsmon has:
  - the page exists, and every id that a command's --list-checks prints is among them;
  - a server/* check shows a transcript; every other check has a bad and a good example;
  - the bad example, its files written into an empty directory and its command run there, reports
    the check ("[id]" in the output); with `--disable id`, where the page says that silences it,
    it does not;
  - the good example exits 0 and does not report the check.

Usage: explain_examples.py NSMON [ID ...]            the built-in pages (all, or these ids)
       explain_examples.py NSMON --file PAGE ...     pages being written, read from their files
Exit 1 with one line per failure. The pages are independent: they are proven two at a time.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

NSMON = os.path.abspath(sys.argv[1])
# Not the developer's settings: no config file, no NSMON_* variable.
ENV = {k: v for k, v in os.environ.items() if not k.startswith("NSMON_")}
ENV.update(NO_COLOR="1", COLUMNS="200", XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="nsmon-explain-xdg-"))


def nsmon(args, cwd=None, env=None):
    return subprocess.run([NSMON] + args, cwd=cwd, env=env or ENV, capture_output=True, text=True, timeout=120)


def run_example(ex, extra=()):
    """Writes the example's files into a fresh directory, runs its command there. The directory is
    also XDG_CONFIG_HOME: an example's nsmon/config.yml is nsmon's config file."""
    with tempfile.TemporaryDirectory(prefix="nsmon-explain-") as d:
        env = dict(ENV, XDG_CONFIG_HOME=d)
        for name, content in ex["files"].items():
            path = os.path.join(d, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(content)
        return nsmon(ex["command"] + list(extra), cwd=d, env=env)


def prove(page):
    """The failures of one page."""
    failures = []
    cid = page["id"]
    if "what" not in page:
        failures.append(f"{cid}: no page ({page['page']})")
        return failures
    if cid.startswith("server/"):
        if "$ nsmon " not in page.get("transcript", ""):
            failures.append(f"{cid}: a server check's page shows a transcript with a `$ nsmon` line")
        return failures
    for kind in ("bad", "good"):
        if kind not in page:
            failures.append(f"{cid}: no {kind} example")
    if "bad" not in page or "good" not in page:
        return failures
    tag = f"[{cid}]"
    bad = run_example(page["bad"])
    out = bad.stdout + bad.stderr
    if tag not in out:
        failures.append(f"{cid}: the bad example does not report it (exit {bad.returncode}):\n{out[-2000:]}")
    else:
        silencing = page["severity_and_silencing"]
        if f"--disable {cid}" in silencing:
            quiet = run_example(page["bad"], ["--disable", cid])
            if tag in quiet.stdout + quiet.stderr:
                failures.append(f"{cid}: the bad example still reports it with --disable {cid}")
        if f"severity: {{{cid}: error}}" in silencing and "--policy" not in page["bad"]["command"]:
            # A policy file that turns it off.
            files = dict(page["bad"]["files"], **{"nsmon-policy.yml": f"severity: {{{cid}: off}}\n"})
            quiet = run_example(dict(page["bad"], files=files), ["--policy", "nsmon-policy.yml"])
            if tag in quiet.stdout + quiet.stderr:
                failures.append(f"{cid}: the bad example still reports it with a policy of severity {cid}: off")
        if f"# nsmon disable {cid}" in silencing:
            # The comment at the top of every YAML file of the example silences it there.
            commented = dict(page["bad"], files={
                name: (f"# nsmon disable {cid}\n" + text if name.endswith((".yml", ".yaml")) else text)
                for name, text in page["bad"]["files"].items()})
            quiet = run_example(commented)
            if tag in quiet.stdout + quiet.stderr:
                failures.append(f"{cid}: the bad example still reports it under `# nsmon disable {cid}`")
    good = run_example(page["good"])
    out = good.stdout + good.stderr
    if tag in out:
        failures.append(f"{cid}: the good example reports it:\n{out[-2000:]}")
    elif good.returncode != 0:
        failures.append(f"{cid}: the good example exits {good.returncode}, not 0:\n{out[-2000:]}")
    for rel in page.get("related", []):
        if rel not in known:
            failures.append(f"{cid}: Related names {rel}, which is no check")
    return failures


def explain_and_prove(args, what):
    """(1 if `nsmon explain ARGS` gave a page else 0, the failures of fetching and proving it)."""
    r = nsmon(["explain"] + args + ["--format", "json"])
    if r.returncode != 0:
        return 0, [f"{what}: {r.stderr.strip()}"]
    return 1, prove(json.loads(r.stdout))


failures = []
listing = json.loads(nsmon(["explain", "--format", "json"]).stdout)
known = {c["id"] for c in listing}
args = sys.argv[2:]
if args[:1] == ["--file"]:
    jobs = [(["--file", f], f) for f in args[1:]]
else:
    ids = args or sorted(known)
    # Every id a command lists is one explain knows (and so, below, has a proven page).
    if not args:
        for cmd in (["lint-rules"], ["lint-metrics"], ["lint-alertmanager"]):
            r = nsmon(cmd + ["--list-checks"])
            firsts = [line.split()[0] for line in r.stdout.splitlines() if line.split()]
            listed = [w for w in firsts if re.fullmatch(r"[a-z-]+/[a-z0-9-]+", w)]
            if not listed:
                failures.append(f"{' '.join(cmd)} --list-checks lists no check id")
            for w in listed:
                if w not in known:
                    failures.append(f"{' '.join(cmd)} --list-checks lists {w}, which explain does not know")
    jobs = [([cid], cid) for cid in ids]

pages = 0
with ThreadPoolExecutor(2) as pool:
    for found, page_failures in pool.map(lambda job: explain_and_prove(*job), jobs):
        pages += found
        failures += page_failures
for f in failures:
    print("FAIL " + f)
print(f"{pages} pages, {len(failures)} failures")
sys.exit(1 if failures else 0)
