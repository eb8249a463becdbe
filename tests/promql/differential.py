#!/usr/bin/python3
"""Differential test: nsmon's PromQL parser against Prometheus's, through Debian's promtool.

For every expression of the corpus (tests/promql/corpus/*.txt plus generated ones), both say
whether it is valid: promtool by `promtool check rules` on a rules file with one recording rule
per expression, nsmon by `nsmon promql check --each-line`. Any disagreement on accept/reject fails
the test, unless it is a documented deliberate difference: Debian's promtool is Prometheus 2.42,
nsmon follows Prometheus 3.x, and known_differences.txt lists the syntax that changed (with the
reason). An expression is excused only when known_expressions.tsv names it exactly, under a key
whose patterns match it and the rejecting side's message; a listed expression that no longer
disagrees fails the test too, so the list stays exact. --write-known rewrites the list from the
current run (disagreements that match a key's patterns), for review with git diff.
Error messages are compared too and reported, but only accept/reject must agree.

Exit status: 0 agreement, 1 disagreement, 77 promtool missing (CTest skips).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load_corpus(paths):
    exprs = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f.read().split("\n"):
                if line == "" or line.startswith("%%"):
                    continue
                exprs.append(line)
    return exprs


def usable(expr):
    # Expressions must survive a YAML double-quoted string and one-line files.
    return all(c in "\t" or (0x20 <= ord(c) and ord(c) != 0x7F and not 0xD800 <= ord(c) <= 0xDFFF) for c in expr)


def yaml_quote(s):
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) > 0x7E:
            out.append("\\u%04x" % ord(c) if ord(c) < 0x10000 else "\\U%08x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


RULE_ERR = re.compile(r'group "g", rule (\d+), "r\d+": could not parse expression: (.*)$')


def promtool_batch(promtool, exprs, tmpdir):
    """Returns {index: error or None} for the batch, or None if promtool's output can't be mapped."""
    path = os.path.join(tmpdir, "rules.yml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("groups:\n- name: g\n  rules:\n")
        for i, e in enumerate(exprs):
            f.write(f"  - record: r{i}\n    expr: {yaml_quote(e)}\n")
    p = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True, errors="replace")
    out = p.stdout + p.stderr
    if p.returncode not in (0, 1):
        return None
    result = {i: None for i in range(len(exprs))}
    other = []
    for line in out.splitlines():
        m = RULE_ERR.search(line)
        if m:
            result[int(m.group(1)) - 1] = m.group(2)
        elif "rule" in line and ("group" in line or "FAILED" not in line) and line.strip().startswith(path):
            other.append(line)
    if p.returncode == 1 and all(v is None for v in result.values()):
        return None  # a file-level failure: nothing could be attributed
    if other:
        return None
    return result


def promtool_verdicts(promtool, exprs, tmpdir):
    # Large batches first; a batch whose output cannot be attributed is split in halves.
    verdicts = {}
    pending = [(0, len(exprs))]
    while pending:
        lo, hi = pending.pop()
        res = promtool_batch(promtool, exprs[lo:hi], tmpdir)
        if res is None:
            if hi - lo == 1:
                verdicts[lo] = "promtool failed on this expression"
                continue
            mid = (lo + hi) // 2
            pending += [(lo, mid), (mid, hi)]
            continue
        for i, v in res.items():
            verdicts[lo + i] = v
    return [verdicts[i] for i in range(len(exprs))]


def nsmon_verdicts(nsmon, exprs, tmpdir):
    path = os.path.join(tmpdir, "exprs.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(exprs) + "\n")
    with open(path, "rb") as f:
        p = subprocess.run([nsmon, "promql", "check", "--each-line"], stdin=f, capture_output=True)
    if p.returncode not in (0, 1):
        sys.exit(f"nsmon failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
    result = [None] * len(exprs)
    for line in p.stdout.decode("utf-8", errors="replace").splitlines():
        n, _, msg = line.partition(": ")
        result[int(n) - 1] = msg
    return result


def load_known(path):
    known = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, verdict, expr_pattern, msg_pattern, reason = line.split("\t", 4)
            known.append((key, verdict, re.compile(expr_pattern), re.compile(msg_pattern), reason))
    return known


KNOWN_EXPRS = os.path.join(HERE, "known_expressions.tsv")


def load_known_exprs(path):
    """known_expressions.tsv: KEY<TAB>expression as a JSON string, one per line."""
    listed = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    key, _, expr = line.rstrip("\n").partition("\t")
                    listed[json.loads(expr)] = key
    return listed


def write_known_exprs(path, excused):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("# Expressions on which promtool 2.42 and nsmon (Prometheus 3.x) disagree on purpose, each\n"
                "# under its key in known_differences.txt. Written by differential.py --write-known;\n"
                "# review every added line.\n")
        for expr, key in sorted(excused.items(), key=lambda x: (x[1], x[0])):
            f.write(f"{key}\t{json.dumps(expr, ensure_ascii=False)}\n")
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nsmon", required=True)
    ap.add_argument("--promtool", default="/usr/bin/promtool")
    ap.add_argument("--generated", type=int, default=20000, help="number of generated expressions")
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--show", type=int, default=30, help="disagreements to print")
    ap.add_argument("--messages", action="store_true", help="also list differing error messages")
    ap.add_argument("--write-known", action="store_true", help="rewrite known_expressions.tsv from this run")
    ap.add_argument("corpus", nargs="*")
    args = ap.parse_args()
    if not os.access(args.promtool, os.X_OK):
        print(f"SKIP: {args.promtool} not found")
        return 77

    sys.path.insert(0, HERE)
    import generate

    files = args.corpus or sorted(os.path.join(HERE, "corpus", f) for f in os.listdir(os.path.join(HERE, "corpus")))
    exprs = load_corpus(files)
    exprs += generate.generate(args.generated, args.seed)
    exprs = [e for e in dict.fromkeys(exprs) if e and usable(e)]
    known = load_known(os.path.join(HERE, "known_differences.txt"))
    listed = load_known_exprs(KNOWN_EXPRS)

    with tempfile.TemporaryDirectory() as tmp:
        theirs = promtool_verdicts(args.promtool, exprs, tmp)
        ours = nsmon_verdicts(args.nsmon, exprs, tmp)

    agree = documented = 0
    same_message = both_rejected = 0
    unexplained = []
    excused = {}
    reasons = {}
    msg_diffs = []
    for e, t, o in zip(exprs, theirs, ours):
        if (t is None) == (o is None):
            agree += 1
            if t is not None:
                both_rejected += 1
                if t == o:
                    same_message += 1
                else:
                    msg_diffs.append((e, t, o))
            continue
        verdict = "3.x-accepts" if o is None else "3.x-rejects"
        msg = t if o is None else o
        matching = {k: r for k, v, ep, mp, r in known if v == verdict and ep.search(e) and mp.search(msg)}
        key = listed.get(e) if not args.write_known else next(iter(matching), None)
        if key in matching:
            documented += 1
            excused[e] = key
            reasons[matching[key]] = reasons.get(matching[key], 0) + 1
        else:
            unexplained.append((e, t, o))
    stale = sorted(e for e in listed if e in set(exprs) and e not in excused) if not args.write_known else []
    if args.write_known:
        write_known_exprs(KNOWN_EXPRS, excused)
        print(f"wrote {len(excused)} expressions to {KNOWN_EXPRS}")

    n = len(exprs)
    print(f"{n} expressions: {agree} agree on accept/reject, {documented} documented 3.x differences, "
          f"{len(unexplained)} unexplained")
    print(f"  ({agree - both_rejected} accepted by both, {both_rejected} rejected by both)")
    print(f"error messages: {same_message} of {both_rejected} rejected by both are word for word the same")
    for r, c in sorted(reasons.items(), key=lambda x: -x[1]):
        print(f"  {c:5d}  {r}")
    if args.messages:
        for e, t, o in msg_diffs[: args.show]:
            print(f"  message differs: {e!r}\n    promtool: {t}\n    nsmon:    {o}")
    for e, t, o in unexplained[: args.show]:
        print(f"DISAGREE: {e!r}\n    promtool: {t or 'valid'}\n    nsmon:    {o or 'valid'}")
    for e in stale[: args.show]:
        print(f"LISTED BUT NOT A DIFFERENCE ANY MORE: {e!r} (known_expressions.tsv: {listed[e]})")
    if unexplained or stale:
        print(f"FAILED: {len(unexplained)} unexplained disagreements, {len(stale)} stale listed expressions")
        return 1
    print("OK: nsmon and promtool agree wherever 2.42's syntax is 3.x's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
