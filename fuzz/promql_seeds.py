#!/usr/bin/python3
"""Writes the PromQL fuzzer's seed corpus: one file per expression of tests/promql/corpus and of
the differential test's generator. Usage: promql_seeds.py OUTDIR"""
import hashlib
import os
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "promql")
sys.path.insert(0, root)
import generate  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
exprs = []
for name in sorted(os.listdir(os.path.join(root, "corpus"))):
    with open(os.path.join(root, "corpus", name), encoding="utf-8") as f:
        exprs += [l for l in f.read().split("\n") if l and not l.startswith("%%")]
exprs += generate.generate(2000, 7)
for e in exprs:
    data = e.encode()
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)
print(f"{len(exprs)} seeds in {out}")
