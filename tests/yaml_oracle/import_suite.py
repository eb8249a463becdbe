#!/usr/bin/env python3
"""Copies the single-document cases of the YAML test suite (yaml/yaml-test-suite, MIT) into
tests/data/yaml-test-suite/{valid,invalid}/<id>.yaml, unescaped as the suite's own
bin/YAMLTestSuite.pm does (its visible markers for spaces, tabs, CR, BOM, no final newline).

Usage: import_suite.py GIT_DIR [REF]   (GIT_DIR: a clone or mirror of yaml/yaml-test-suite)
A case is single-document when its event tree opens at most one document (+DOC)."""
import os
import re
import subprocess
import sys

import yaml

git_dir, ref = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "main")
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "yaml-test-suite")


def git(*args):
    return subprocess.run(["git", "-C", git_dir, *args], check=True, capture_output=True).stdout


def unescape(text):
    text = text.replace("␣", " ")
    text = re.sub("—*»", "\t", text)
    text = text.replace("←", "\r").replace("⇔", "\ufeff").replace("↵", "")
    return re.sub("∎\n\\Z", "", text)


files = [f for f in git("ls-tree", "--name-only", ref, "src/").decode().split("\n") if f.endswith(".yaml")]
for d in ("valid", "invalid"):
    os.makedirs(os.path.join(out, d), exist_ok=True)
    for f in os.listdir(os.path.join(out, d)):
        os.remove(os.path.join(out, d, f))
kept = 0
for f in sorted(files):
    name = os.path.basename(f)[:-5]
    tests = yaml.safe_load(git("show", f"{ref}:{f}").decode("utf-8"))
    if tests[0].get("skip"):
        continue
    cache = {}
    for i, t in enumerate(tests):
        for k in ("yaml", "tree"):
            if k not in t and k in cache:
                t[k] = cache[k]
        cache = dict(t)
        case = f"{name}-{i:02d}" if len(tests) > 1 else name
        if t.get("tree", "").count("+DOC") > 1:
            continue
        kind = "invalid" if "fail" in t else "valid"
        with open(os.path.join(out, kind, case + ".yaml"), "wb") as fh:
            fh.write(unescape(t["yaml"]).encode("utf-8"))
        kept += 1
print(f"{kept} single-document cases from {len(files)} files", file=sys.stderr)
