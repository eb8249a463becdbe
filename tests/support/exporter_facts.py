#!/usr/bin/python3
"""Checks rules/exporters.yml against what a real exporter serves.

  exporter_facts.py EXPORTERS_YML NAME VERSION SCRAPE_FILE

NAME is an exporter of the file (Alertmanager, Prometheus, node_exporter), VERSION the version that
served SCRAPE_FILE (its /metrics, text format). For every series of a metric the file lists: each
value of a label with a closed set is in the set; each label the file lists without `maybe` and
without a `since` newer than VERSION is there; and, for a closed exporter, no label of the series
is missing from the file's list for the metric. Where the file lists the exporter's renamed
metrics and VERSION is the renaming release or later: no old name is served, and at least one
replacement is (the renames are of this exporter). Where it lists the exporter's gauges: every
metric served whose name they cover has `# TYPE name gauge`, and at least one is served; each
series of an `always_one` metric has the value 1, and of a `zero_or_one` metric 0 or 1. Where it lists
the names the exporter's releases served (`served`): every name of the exporter's prefix served is
one of them (or a histogram's or summary's series of one), or under its user_prefixes or
open_prefixes. Where it lists families: each series of a family carries its labels. Where it lists
parts: for each pair served, every series of the part is at most the whole's series of the same labels
(and, unless the pair says `negative`, not below 0). Prints one line
per metric checked and exits 1
on the first disagreement, 2 when no metric of the file was served (nothing was checked).
"""
import re
import sys

import yaml


def version(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def series(text):
    """(name, {label: value}) of each sample line."""
    line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s')
    label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
    for line in text.splitlines():
        m = line_re.match(line)
        if m:
            yield m.group(1), dict(label_re.findall(m.group(2) or ""))


def values(text):
    """(name, value) of each sample line."""
    for line in text.splitlines():
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{.*\})?\s+(\S+)', line)
        if m:
            yield m.group(1), float(m.group(2))


def main():
    path, name, served, scrape = sys.argv[1:5]
    exporter = next(e for e in yaml.safe_load(open(path))["exporters"] if e["name"] == name)
    metrics = exporter["metrics"]
    seen = set()
    for metric, labels in series(open(scrape).read()):
        facts = metrics.get(metric)
        if facts is None:
            continue
        seen.add(metric)
        for label, fact in facts.items():
            fact = fact or {}
            value = labels.get(label)
            if value is None:
                if not fact.get("maybe") and version(fact.get("since", "0")) <= version(served):
                    sys.exit(f"{metric}: {name} {served} serves a series without {label}: {labels}")
            elif fact.get("values") and value not in fact["values"]:
                sys.exit(f"{metric}: {name} {served} writes {label}={value!r}, not in {fact['values']}")
        if exporter.get("closed"):
            extra = set(labels) - set(facts)
            if extra:
                sys.exit(f"{metric}: {name} {served} writes {sorted(extra)}, which the file does not list")
    renamed = exporter.get("renamed")
    if renamed and version(renamed["since"]) <= version(served):
        names = {m for m, _ in series(open(scrape).read())}
        old = set(renamed.get("names", {})) & names
        old |= {m for m in names for p in renamed.get("prefixes", {}) if m.startswith(p)}
        if old:
            sys.exit(f"{name} {served} serves {sorted(old)}, which the file says {renamed['since']} renamed")
        new = {re.sub(r"\{.*", "", n) for n in renamed.get("names", {}).values()} & names
        if not new:
            sys.exit(f"{name} {served} serves none of the renamed metrics' replacements")
        print(f"{name} {served}: none of the {len(renamed.get('names', {}))} names {renamed['since']} renamed is "
              f"served; {len(new)} replacements are")
    gauges = exporter.get("gauges")
    if gauges:
        types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", open(scrape).read(), re.M))
        covered = {m: t for m, t in types.items()
                   if m in gauges.get("names", [])
                   or (not m.endswith("_total") and any(m.startswith(p) for p in gauges.get("prefixes", [])))}
        wrong = {m: t for m, t in covered.items() if t != "gauge"}
        if wrong:
            sys.exit(f"{name} {served} types {wrong}, which the file says are gauges")
        if not covered:
            sys.exit(f"{name} {served} serves none of the metrics the file says are gauges")
        print(f"{name} {served}: the {len(covered)} metrics the file says are gauges are typed gauge")
        ones = [(m, v) for m, v in values(open(scrape).read()) if m in gauges.get("always_one", [])]
        wrong = [(m, v) for m, v in ones if v != 1]
        if wrong:
            sys.exit(f"{name} {served} writes {wrong[:3]}, which the file says are always 1")
        if gauges.get("always_one") and not ones:
            sys.exit(f"{name} {served} serves none of the metrics the file says are always 1")
        if ones:
            print(f"{name} {served}: the {len(ones)} series of {sorted({m for m, _ in ones})} are all 1")
        flags = [(m, v) for m, v in values(open(scrape).read()) if m in gauges.get("zero_or_one", [])]
        wrong = [(m, v) for m, v in flags if v not in (0, 1)]
        if wrong:
            sys.exit(f"{name} {served} writes {wrong[:3]}, which the file says are 0 or 1")
        if flags:
            print(f"{name} {served}: the {len(flags)} series of {sorted({m for m, _ in flags})} are 0 or 1")
    known, names = exporter.get("served"), set()
    if known:
        listed = set(known["names"]) | set(known.get("other_names", []))
        prefixes = known.get("user_prefixes", []) + known.get("open_prefixes", [])
        names = {m for m, _ in series(open(scrape).read()) if m.startswith(exporter["prefix"])}
        missing = sorted(m for m in names
                         if m not in listed and not any(m.startswith(p) for p in prefixes)
                         and not (re.sub(r"_(bucket|sum|count)$", "", m) in listed))
        if missing:
            sys.exit(f"{name} {served} serves {missing[:5]}, which the file's served names do not hold")
        print(f"{name} {served}: the {len(names)} names of {exporter['prefix']} it serves are among the served names")
    families = (exporter.get("families") or {}).get("prefixes", {})
    checked = 0
    for metric, labels in series(open(scrape).read()):
        for prefix, wanted in families.items():
            if metric.startswith(prefix):
                checked += 1
                if set(wanted) - set(labels):
                    sys.exit(f"{metric}: {name} {served} serves a series without {sorted(set(wanted) - set(labels))}")
    if families:
        print(f"{name} {served}: the {checked} series of its families carry their labels")
    samples = {}
    for line in open(scrape).read().splitlines():
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)', line)
        if m:
            samples.setdefault(m.group(1), {})[m.group(2) or ""] = float(m.group(3))
    pairs = []
    for pair in (exporter.get("parts") or {}).get("pairs", []):
        # A pair with prefixes is one per prefix, its part and whole each after it.
        for prefix in pair.get("prefixes", [""]):
            pairs.append(dict(pair, part=prefix + pair["part"], whole=prefix + pair["whole"]))
    for pair in pairs:
        part, whole = samples.get(pair["part"], {}), samples.get(pair["whole"], {})
        both = [k for k in part if k in whole]
        if not both:
            continue
        for k in both:
            if part[k] > whole[k] or (part[k] < 0 and not pair.get("negative")):
                sys.exit(f"{pair['part']}{k} is {part[k]}, {pair['whole']} {whole[k]}: the file says it is a part")
        checked += len(both)
        print(f"{name} {served}: the {len(both)} series of {pair['part']} are parts of {pair['whole']}")
    for metric in sorted(seen):
        print(f"{name} {served}: {metric} agrees")
    if not seen and not (known and names) and not checked:
        sys.exit(2)


if __name__ == "__main__":
    main()
