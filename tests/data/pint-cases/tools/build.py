#!/usr/bin/env python3
"""Builds tests/data/pint-cases from a checkout of cloudflare/pint (its git dir and a commit).

  python3 tools/build.py PINT_GIT_DIR COMMIT

Reads internal/checks/*_test.go (with tools/extract.go, Go's own parser: one record per checkTest
literal) and the go-snaps snapshots beside them (*_test.snap: what pint reported for each case),
keeps the offline cases of the checks that find real bugs (README.md says which and why), writes
one rule file per case under cases/, and MANIFEST.tsv. Run from tests/data/pint-cases.
"""
import collections, json, os, re, shutil, subprocess, sys, tempfile

import yaml

# (reporter, summary) of pint's problems that are bugs in a Prometheus rule file. Every other
# problem (pint policy, style, CI context, online checks) neither makes a case a bug case nor
# leaves it clean: such cases are dropped.
BUG = {
    ('alerts/comparison', 'always firing alert'),
    ('alerts/for', 'invalid duration'),
    ('alerts/template', 'template uses non-existent label'),
    ('alerts/template', 'value used in labels'),
    ('alerts/template', 'template syntax error'),
    ('alerts/template', 'template query syntax error'),
    ('group/interval', 'interval too long'),
    ('promql/fragile', 'fragile query'),
    ('promql/impossible', 'dead code in query'),
    ('promql/impossible', 'impossible label'),
    ('promql/impossible', 'orphaned label'),
    ('promql/nan', 'unsafe division in aggregation'),
    ('promql/series', 'unknown alert referenced'),
    ('promql/syntax', 'PromQL syntax error'),
    ('rule/duplicate', 'duplicated alerting rule'),
    ('rule/duplicate', 'duplicated recording rule'),
}
# The test files of those checks: their silent offline cases are the clean candidates.
CLEAN_FROM = {
    'alerts_comparison_test.go', 'alerts_for_test.go', 'alerts_template_test.go',
    'group_interval_test.go', 'promql_fragile_test.go', 'promql_impossible_test.go',
    'promql_nan_test.go', 'promql_syntax_test.go',
}


def go_test_name(func, desc, seen):
    """The name `go test` gives t.Run(desc) (spaces to _, repeats numbered #01...)."""
    base = ''.join('_' if ch.isspace() else ch for ch in desc)
    n = seen[(func, base)]
    seen[(func, base)] += 1
    if not base:
        return f'{func}/#{n:02d}'
    return f'{func}/{base}' if n == 0 else f'{func}/{base}#{n:02d}'


def strip_blocks(body):
    # content and output are block scalars PyYAML cannot always read (go-yaml's |4); not needed.
    out, skipping = [], False
    for line in body.split('\n'):
        if re.match(r'^  (content|output): [|>]', line):
            skipping = True
            continue
        if skipping and (line.strip() == '' or line.startswith('   ')):
            continue
        skipping = False
        out.append(line)
    return '\n'.join(out)


def read_snaps(src):
    snaps = {}
    for f in sorted(os.listdir(src)):
        if not f.endswith('.snap'):
            continue
        for chunk in re.split(r'\n---\n', open(os.path.join(src, f)).read()):
            chunk = chunk.strip('\n')
            if not chunk:
                continue
            m = re.match(r'\[(.*) - (\d+)\]\n', chunk)
            snaps.setdefault(m.group(1), {})[int(m.group(2))] = yaml.safe_load(strip_blocks(chunk[m.end():]))
    return snaps


def wrap(content, entries):
    """A Prometheus rule file holding the case's rules, the lines its content starts at."""
    lines = content.strip('\n').split('\n')
    lead = len(content) - len(content.lstrip('\n'))  # pint counts the content's leading newlines
    first = next(l for l in lines if l.strip())
    if first.startswith('groups:'):
        text, offset = '\n'.join(lines) + '\n', -lead
    elif first.lstrip().startswith('- name:'):
        text, offset = 'groups:\n' + '\n'.join(lines) + '\n', 1 - lead
    else:
        text = 'groups:\n- name: pint\n  rules:\n' + ''.join('  ' + l + '\n' if l else '\n' for l in lines)
        offset = 3 - lead
    if entries:
        text += '- name: pint-entries\n  rules:\n' + ''.join('  ' + l + '\n' if l else '\n' for l in entries.strip('\n').split('\n'))
    return text, offset


def rule_spans(text):
    """1-based line spans of each rule (a `- alert:`/`- record:` item) in a wrapped file."""
    starts = [i + 1 for i, l in enumerate(text.split('\n')) if re.match(r'^\s*- (alert|record):', l)]
    n = text.count('\n')
    return [(s, (starts[k + 1] - 1) if k + 1 < len(starts) else n) for k, s in enumerate(starts)]


def pint_comparison_would_flag(text):
    """An alert with no comparison, absent(), unless or and: pint's alerts/comparison says
    "always firing alert" (pint runs it on every rule; its tests only on their own cases)."""
    for g in yaml.safe_load(text)['groups']:
        for r in g.get('rules') or []:
            if 'alert' in r and not re.search(r'[<>]|==|!=|absent|unless|\band\b', str(r.get('expr', ''))):
                return True
    return False


def promtool_ok(text):
    with tempfile.NamedTemporaryFile('w', suffix='.yml', delete=False) as f:
        f.write(text)
    try:
        return subprocess.run(['promtool', 'check', 'rules', f.name], capture_output=True).returncode == 0
    finally:
        os.unlink(f.name)


def main():
    git_dir, commit = sys.argv[1:3]
    src = tempfile.mkdtemp()
    files = subprocess.run(['git', f'--git-dir={git_dir}', 'ls-tree', '--name-only', commit, 'internal/checks/'],
                           capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        if f.endswith('_test.go') or f.endswith('_test.snap'):
            with open(os.path.join(src, os.path.basename(f)), 'w') as out:
                out.write(subprocess.run(['git', f'--git-dir={git_dir}', 'show', f'{commit}:{f}'],
                                         capture_output=True, text=True, check=True).stdout)
    exe = os.path.join(src, 'extract')
    subprocess.run(['go', 'build', '-o', exe, 'tools/extract.go'], check=True)
    tests = sorted(os.path.join(src, f) for f in os.listdir(src) if f.endswith('_test.go'))
    cases = [json.loads(l) for l in subprocess.run([exe] + tests, capture_output=True, text=True, check=True).stdout.splitlines()]
    snaps = read_snaps(src)
    seen = collections.Counter()
    kept, dropped = {}, collections.Counter()
    for c in cases:
        name = go_test_name(c['func'], c['description'], seen)
        fields = c['fields']
        if c['content'] is None or 'mocks' in fields or 'otherProms' in fields:
            dropped['online (needs a Prometheus server or an HTTP peer)'] += 1
            continue
        if 'entries' in fields and c.get('entries') is None:
            dropped['other files built in Go code (entries not a literal)'] += 1
            continue
        if c.get('entries') is not None and c['entries'].strip() == c['content'].strip():
            dropped['entries are the rule itself (pint skips self)'] += 1
            continue
        problems = [p['problem'] for k in sorted(snaps[name]) for p in (snaps[name][k] or [])]
        bugs = [p for p in problems if (p['reporter'], p['summary']) in BUG]
        if problems and not bugs:
            dropped['pint reports only policy, style, CI-context or online problems'] += 1
            continue
        if not problems and c['file'] not in CLEAN_FROM:
            dropped['silent, but in the test of a policy or online check'] += 1
            continue
        if not problems and c.get('entries') is not None:
            dropped['silent only given pint\'s view of other files (entries)'] += 1
            continue
        text, offset = wrap(c['content'], c.get('entries'))
        key = text
        rec = kept.setdefault(key, {'text': text, 'sources': [], 'bugs': [], 'file': c['file']})
        rec['sources'].append(f"internal/checks/{c['file']}:{c['line']} {name}")
        for p in bugs:
            rec['bugs'].append({'reporter': p['reporter'], 'summary': p['summary'],
                                'first': p['lines']['first'] + offset, 'last': p['lines']['last'] + offset,
                                'message': ' | '.join(d['message'] for d in p.get('diagnostics') or [])})
    if os.path.isdir('cases'):
        shutil.rmtree('cases')
    rows = []
    counts = collections.Counter()
    for rec in kept.values():
        cls = 'bug' if rec['bugs'] else 'clean'
        if cls == 'clean' and not promtool_ok(rec['text']):
            dropped['silent, but promtool 2.42 refuses the file (syntax error or newer PromQL)'] += 1
            continue
        if cls == 'clean' and pint_comparison_would_flag(rec['text']):
            dropped['silent, but an alert with no condition (pint\'s alerts/comparison flags it)'] += 1
            continue
        stem = rec['file'].replace('_test.go', '')
        counts[(stem, cls)] += 1
        path = f"cases/{stem}/{cls}-{counts[(stem, cls)]:03d}.yml"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(rec['text'])
        spans = rule_spans(rec['text'])
        # The rules pint flags: the spans its problem's lines touch (a group-level problem, none).
        def flagged(b):
            return [f'{s}-{e}' for s, e in spans if s <= b['last'] and b['first'] <= e] or ['file']
        uniq = {(b['reporter'], b['summary'], b['message'], ','.join(flagged(b))) for b in rec['bugs']}
        for r, s, m, where in sorted(uniq) or [('', '', '', '')]:
            rows.append('\t'.join([path, cls, where, r, s, m.replace('\t', ' ').replace('\n', ' '), '; '.join(rec['sources'])]))
    with open('MANIFEST.tsv', 'w') as f:
        f.write('case\tclass\tflagged_rule_lines\tpint_check\tpint_summary\tpint_message\tsource\n')
        f.write('\n'.join(rows) + '\n')
    total = collections.Counter(cls for (_, cls) in counts.elements())
    print(json.dumps({'kept': dict(total), 'per_check': {f'{k[0]} {k[1]}': v for k, v in sorted(counts.items())},
                      'dropped': dict(dropped)}, indent=1))


if __name__ == '__main__':
    main()
