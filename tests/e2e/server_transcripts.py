#!/usr/bin/env python3
"""Re-runs the transcript of every server/* check's page (docs/checks/server/, embedded in nsmon)
against a real Prometheus 2.42 holding tests/support/history.py's history, and compares its output.

A transcript is the page's `## Transcript`: the files its command reads, as ```yaml file=NAME
blocks, and a ```console block: the `$ nsmon ARGS` line, then the output. The files are written
into an empty directory, the command is run there with its server (http://localhost:9090) replaced
by the fixture's, and the output must be the page's, but for what must vary: loopback ports,
RFC 3339 times, "(... ago)", and the samples a rule reads (server/cost), which grow as the fixture
keeps scraping.

Usage: server_transcripts.py NSMON PROM_URL      exit 1 with a diff per page that differs
"""
import difflib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

NSMON, PROM_URL = os.path.abspath(sys.argv[1]), sys.argv[2]
ENV = {k: v for k, v in os.environ.items() if not k.startswith("NSMON_")}
ENV.update(NO_COLOR="1", COLUMNS="200", HOME="/nonexistent")
ENV.pop("XDG_CONFIG_HOME", None)


def normalise(text):
    text = re.sub(r"(127\.0\.0\.1|localhost):[0-9]{4,5}\b", r"\1:PORT", text)
    text = re.sub(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z", "TIME", text)
    text = re.sub(r"\([0-9a-z.]+ ago\)", "(AGO)", text)
    # server/cost: what one evaluation reads grows with the seconds the fixture has been scraping.
    text = re.sub(r"reads [0-9,]+ samples", "reads N samples", text)
    return re.sub(r"[0-9]+ times the median", "N times the median", text)


def blocks(markdown):
    """[(info string, text)] of the fenced blocks."""
    return [(m.group(1).strip(), m.group(2)) for m in re.finditer(r"^```([^\n]*)\n(.*?)^```$", markdown, re.M | re.S)]


def prove(cid):
    page = json.loads(subprocess.run([NSMON, "explain", cid, "--format", "json"], env=ENV, capture_output=True,
                                     text=True, check=True).stdout)
    transcript = page.get("transcript", "")
    files, session = {}, None
    for info, text in blocks(transcript):
        m = re.search(r"\bfile=(\S+)$", info)
        if m:
            files[m.group(1)] = text
        elif info == "console" and text.startswith("$ nsmon "):
            session = text
    if session is None:
        return [f"{cid}: the transcript has no ```console block starting with `$ nsmon`"]
    if not files:
        return [f"{cid}: the transcript's files are no ```yaml file=NAME blocks"]
    command, expected = session.split("\n", 1)
    args = [a.replace("http://localhost:9090", PROM_URL) for a in shlex.split(command[len("$ nsmon "):])]
    with tempfile.TemporaryDirectory(prefix="nsmon-transcript-") as d:
        for name, text in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        r = subprocess.run([NSMON] + args, cwd=d, env=ENV, capture_output=True, text=True, timeout=120)
    got = r.stdout + r.stderr
    if normalise(got) == normalise(expected):
        return []
    diff = difflib.unified_diff(expected.splitlines(), got.splitlines(), "the page", "a run", lineterm="")
    return [f"{cid}: the transcript differs from a run (exit {r.returncode}):\n" + "\n".join(diff)]


listing = json.loads(subprocess.run([NSMON, "explain", "--format", "json"], env=ENV, capture_output=True, text=True,
                                    check=True).stdout)
ids = sorted(c["id"] for c in listing if c["id"].startswith("server/"))
failures = [f for cid in ids for f in prove(cid)]
for f in failures:
    print("FAIL " + f)
print(f"{len(ids)} transcripts, {len(failures)} failures")
sys.exit(1 if failures or not ids else 0)
