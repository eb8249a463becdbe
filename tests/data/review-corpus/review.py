#!/usr/bin/env python3
"""The reviewed verdicts on lint-rules' findings over this corpus (issue 56), and their check.

  review.py check NSMON          exit 1 unless every finding is reviewed, none is false, no true
                                 finding is lost, and each warning check is >= 95% true
  review.py todo NSMON [CHECK..] the findings not yet reviewed, as verdict rows to fill in
  review.py score NSMON          per check: findings, true, debatable, false

NSMON runs as a user with a mixed repository would: `--catalog none lint-rules --format json
--fail-on never` on every rule file here. A verdict is about one claim: the finding's check, its
place (path:line:column, from this directory) and its message. verdicts/<check, "/" as ".">.tsv
holds one row per claim, tab-separated:

  location  rule  verdict  message  why

verdict is `true`, `false` or `debatable`; `why` says how it was decided, naming the promtool test
under proofs/ where the claim is about what Prometheus does (a claim nothing proves is not true).
A false row stays after its fix: the claim must not come back. Lines starting with # are comments.
"""
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERDICTS = os.path.join(HERE, "verdicts")
KINDS = ("true", "false", "debatable")
PRECISION = 0.95


def rule_files():
    found = []
    for root, _, names in os.walk(HERE):
        if os.path.relpath(root, HERE).split(os.sep)[0] in ("verdicts", "proofs"):
            continue
        found += [os.path.join(root, n) for n in names if n.endswith((".yml", ".yaml"))]
    return sorted(found)


def findings(nsmon):
    files = [os.path.relpath(f, HERE) for f in rule_files()]
    run = subprocess.run([nsmon, "--catalog", "none", "lint-rules", "--format", "json",
                          "--fail-on", "never", *files], cwd=HERE, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"review.py: nsmon exited {run.returncode}: {run.stderr[:2000]}")
    out = []
    for f in json.loads(run.stdout)["findings"]:
        f["location"] = f"{f['file']}:{f.get('line', 0)}:{f.get('column', 0)}"
        f["message"] = " ".join(f["message"].split())
        out.append(f)
    return out


def key(check, location, message):
    return (check, location, message)


def verdicts():
    rows = {}
    if not os.path.isdir(VERDICTS):
        return rows
    for name in sorted(os.listdir(VERDICTS)):
        if not name.endswith(".tsv"):
            continue
        check = name[:-4].replace(".", "/", 1)
        path = os.path.join(VERDICTS, name)
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 5 or cols[2] not in KINDS or not cols[4].strip():
                sys.exit(f"{path}:{n}: want 5 tab-separated columns, a verdict of "
                         f"{'/'.join(KINDS)} and a why")
            k = key(check, cols[0], cols[3])
            if k in rows:
                sys.exit(f"{path}:{n}: this claim has a verdict already")
            rows[k] = {"rule": cols[1], "verdict": cols[2], "why": cols[4], "at": f"{name}:{n}"}
    return rows


def check(nsmon):
    rows, problems = verdicts(), []
    seen, per_check = set(), collections.defaultdict(collections.Counter)
    for f in findings(nsmon):
        k = key(f["check"], f["location"], f["message"])
        seen.add(k)
        row = rows.get(k)
        if row is None:
            problems.append(f"not reviewed: {f['check']} {f['location']}: {f['message']}")
            continue
        per_check[(f["check"], f["severity"])][row["verdict"]] += 1
        if row["verdict"] == "false":
            problems.append(f"false claim back ({row['at']}): {f['location']}: {f['message']}")
    for k, row in rows.items():
        if row["verdict"] == "true" and k not in seen:
            problems.append(f"true finding lost ({row['at']}): {k[1]}: {k[2]}")
    for (name, severity), c in sorted(per_check.items()):
        total = sum(c.values())
        if severity != "info" and c["true"] < PRECISION * total:
            problems.append(f"{name}: {c['true']} of {total} findings true, under {PRECISION:.0%}")
    for p in problems:
        print(p)
    print(f"review.py: {len(seen)} findings, {len(problems)} problems")
    return 1 if problems else 0


def todo(nsmon, only):
    rows, by_check = verdicts(), collections.defaultdict(list)
    for f in findings(nsmon):
        if (not only or f["check"] in only) and key(f["check"], f["location"], f["message"]) not in rows:
            by_check[f["check"]].append(f)
    for name, items in sorted(by_check.items()):
        print(f"# verdicts/{name.replace('/', '.')}.tsv: {len(items)} not reviewed")
        for f in items:
            print("\t".join([f["location"], f.get("rule") or "", "?", f["message"], ""]))
    return 0


def score(nsmon):
    rows = verdicts()
    per_check = collections.defaultdict(collections.Counter)
    for f in findings(nsmon):
        row = rows.get(key(f["check"], f["location"], f["message"]))
        per_check[f["check"]][row["verdict"] if row else "unreviewed"] += 1
    for name, c in sorted(per_check.items()):
        print(f"{name}\t{sum(c.values())} findings\t" +
              "\t".join(f"{k} {c[k]}" for k in (*KINDS, "unreviewed")))
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("check", "todo", "score"):
        sys.exit(__doc__)
    cmd, nsmon = sys.argv[1], os.path.abspath(sys.argv[2])
    sys.exit({"check": lambda: check(nsmon), "score": lambda: score(nsmon),
              "todo": lambda: todo(nsmon, set(sys.argv[3:]))}[cmd]())
