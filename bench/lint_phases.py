#!/usr/bin/python3
"""Reads `perf script` output of nsmon lint-rules (recorded with --call-graph dwarf) on stdin and
prints the share of CPU samples per phase: each sample goes to the first phase of PHASES that one
of its frames belongs to (see bench/README.md, "Where lint-rules spends")."""
import collections
import re
import sys


# (phase, pattern on a frame): a sample belongs to the first phase one of its frames matches, so
# the order of this list is the priority (teardown and render before what they call).
PHASES = [
    ("teardown (destructors after the report)", re.compile(r"~Loaded|~Report\b|RuleFile::~RuleFile|~vector<nsmon::rules|__run_exit_handlers|_dl_fini|~ParsedRule|~ParseResult|~Arena|~Storage|Document::~Document|~Diagnostic")),
    ("render (text/json)", re.compile(r"render_text|render_json|render_github|render_sarif|cli::finish|ostream|basic_ostream|_IO_|fwrite|__GI___libc_write")),
    ("YAML parse", re.compile(r"yaml::parse|yaml::detail|YamlReader::parse")),
    ("read file + line index", re.compile(r"util::read_file|SourceFile::SourceFile")),
    ("PromQL parse", re.compile(r"promql::parse\b|promql::parse\(|ParserImpl")),
    ("rule model (loader checks, templates)", re.compile(r"load_rule_file|Loader::|check_template|make_text")),
    ("inference + checks", re.compile(r"Inference|RuleChecks|ExprChecks|Analysis::|lint::run|TargetLabels|all_series_names")),
    ("sort, policy, duplicates", re.compile(r"sort_diagnostics|apply_policy|drop_disjoint|sort_unique|describe_files")),
    ("catalog load", re.compile(r"catalog::|Catalog")),
    ("start-up (dynamic loader, CLI parsing)", re.compile(r"_dl_|CLI::|_start|dl_main|__libc_start|cli::main|init_cacheinfo")),
]

def main():
    counts = collections.Counter()
    total = 0
    stack = []
    def flush():
        nonlocal total
        if not stack: return
        total += 1
        phase = "other"
        for name, pat in PHASES:
            if any(pat.search(f) for f in stack):
                phase = name; break
        counts[phase] += 1
    for line in sys.stdin:
        if not line.strip():
            flush(); stack = []; continue
        if line.startswith((" ", "\t")):
            parts = line.strip().split(" ", 1)
            if len(parts) == 2: stack.append(parts[1])
        else:
            flush(); stack = []
    flush()
    for name, n in counts.most_common():
        print(f"{100.0 * n / total:5.1f}%  {name}")
    print(f"({total} samples)")

main()
