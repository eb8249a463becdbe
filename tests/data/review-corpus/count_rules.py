#!/usr/bin/python3
"""Count the alerting and recording rules in Prometheus rule files.

Reads plain rule files (`groups:` at the top) and PrometheusRule and VMRule manifests (`spec.groups`),
including multi-document files and `kind: List`. Prints alert, record, whether rule groups were
found, and the path, one line a file, then the totals.

    python3 count_rules.py $(find . -name '*.yml' -o -name '*.yaml')
"""
import sys

import yaml


def groups_of(doc):
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("groups"), list):
        return doc["groups"]
    spec = doc.get("spec")
    if doc.get("kind") in ("PrometheusRule", "VMRule") and isinstance(spec, dict) and isinstance(spec.get("groups"), list):
        return spec["groups"]
    return None


def count_text(text):
    a = r = 0
    ok = False
    for doc in yaml.safe_load_all(text):
        if isinstance(doc, dict) and doc.get("kind") == "List":
            docs = doc.get("items") or []
        else:
            docs = [doc]
        for d in docs:
            gs = groups_of(d)
            if gs is None:
                continue
            ok = True
            for g in gs:
                for rule in g.get("rules") or []:
                    if "alert" in rule:
                        a += 1
                    elif "record" in rule:
                        r += 1
    return ok, a, r


if __name__ == "__main__":
    ta = tr = 0
    for p in sys.argv[1:]:
        with open(p, encoding="utf-8") as f:
            ok, a, r = count_text(f.read())
        print(f"{a}\t{r}\t{'ok' if ok else 'NO-GROUPS'}\t{p}")
        ta += a
        tr += r
    print(f"{ta}\t{tr}\tTOTAL")
