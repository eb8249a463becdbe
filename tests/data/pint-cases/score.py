#!/usr/bin/env python3
"""Scores nsmon lint-rules on pint's offline test cases (README.md, MANIFEST.tsv).

  python3 score.py NSMON [--max-clean-flagged N]

Runs `NSMON --catalog none lint-rules --format json` on every case file and counts
- clean cases flagged: a finding of severity warning or error, other than policy/* (pint's cases
  carry no annotations or severity label: the team-policy checks would flag every alert);
- bug cases caught: such a finding on a rule pint flags (MANIFEST's flagged_rule_lines; `file`
  for a group-level problem, where any finding in the file counts).
Prints each false flag and each miss with what nsmon and pint said, then the counts. Exits 1 when
more than N clean cases are falsely flagged (default: never): a flag whose every finding is listed
in clean-flags-true.tsv (reviewed true in REVIEW.md: pint has no such check) is not
false; 0 otherwise. The catch count never fails.
"""
import collections, csv, json, os, subprocess, sys

# The nsmon checks that say what each pint check says: a catch by one of them is a catch of the
# same bug, any other finding on the rule is a catch by coincidence (counted apart).
SAME = {
    'alerts/comparison': {'alerts/no-comparison', 'promql/always-true'},
    'alerts/for': {'rules/duration'},
    'alerts/template': {'labels/template-label-lost', 'labels/copied-label-absent', 'rules/template',
                        'alerts/value-in-labels'},
    'group/interval': {'alerts/group-interval'},
    'promql/fragile': {'alerts/topk'},
    'promql/impossible': {'labels/impossible-match', 'labels/removed-label', 'labels/copied-label-absent',
                          'labels/template-label-lost', 'promql/impossible', 'promql/always-true',
                          'promql/fallback-removed'},
    'promql/nan': {'promql/nan-in-aggregation'},
    'promql/series': {'alerts/undefined-alert'},
    'promql/syntax': {'promql/syntax', 'yaml/syntax'},
    'rule/duplicate': {'rules/duplicate-rule'},
}
HERE = os.path.dirname(os.path.abspath(__file__))


def counted(f):
    return f['severity'] in ('warning', 'error') and not f['check'].startswith('policy/')


def lint(nsmon, path):
    r = subprocess.run([nsmon, '--catalog', 'none', 'lint-rules', '--format', 'json', path],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f'{nsmon} failed on {path} (exit {r.returncode}): {r.stderr.strip()}')
    return json.loads(r.stdout)['findings']


def main():
    nsmon = sys.argv[1]
    limit = int(sys.argv[sys.argv.index('--max-clean-flagged') + 1]) if '--max-clean-flagged' in sys.argv else None
    cases = collections.OrderedDict()
    with open(os.path.join(HERE, 'MANIFEST.tsv')) as f:
        for row in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE):
            c = cases.setdefault(row['case'], {'class': row['class'], 'pint': []})
            if row['class'] == 'bug':
                c['pint'].append(row)
    # Findings on clean cases reviewed true (REVIEW.md): pint has no such check, nsmon is right.
    reviewed = set()
    with open(os.path.join(HERE, 'clean-flags-true.tsv')) as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                case, check, why = line.rstrip('\n').split('\t')
                reviewed.add((case, check))
    clean = bug = flagged = false_flags = caught = same = info_only = 0
    by = collections.defaultdict(collections.Counter)  # pint check -> nsmon checks that caught it
    for path, c in cases.items():
        findings = lint(nsmon, os.path.join(HERE, path))
        shown = [f for f in findings if counted(f)]
        if c['class'] == 'clean':
            clean += 1
            if shown:
                flagged += 1
                true = all((path, f['check']) in reviewed for f in shown)
                false_flags += not true
                print(f"{'FLAG REVIEWED TRUE' if true else 'FALSE FLAG'} {path}")
                for f in shown:
                    print(f"  nsmon {f['line']}:{f['column']} {f['severity']} [{f['check']}] {f['message']}")
            continue
        bug += 1
        spans = []
        for row in c['pint']:
            for s in row['flagged_rule_lines'].split(','):
                spans.append(None if s == 'file' else tuple(map(int, s.split('-'))))

        # A duplicate is a pair: pint names the case's rule, nsmon the later of the two.
        dup = any(row['pint_check'] == 'rule/duplicate' for row in c['pint'])

        def on_flagged(f):
            if dup and f['check'] == 'rules/duplicate-rule':
                return True
            return any(s is None or s[0] <= f['line'] <= s[1] for s in spans)
        hits = [f for f in shown if on_flagged(f)]
        if hits:
            caught += 1
            if any(f['check'] in SAME.get(row['pint_check'], ()) for f in hits for row in c['pint']):
                same += 1
            else:
                print(f'CAUGHT BY ANOTHER CHECK {path}')
                for row in c['pint']:
                    print(f"  pint {row['flagged_rule_lines']} [{row['pint_check']}] {row['pint_summary']}: {row['pint_message']}")
                for f in hits:
                    print(f"  nsmon {f['line']}:{f['column']} {f['severity']} [{f['check']}] {f['message']}")
            for row in c['pint']:
                by[row['pint_check']].update({f['check'] for f in hits})
            continue
        print(f'MISS {path}')
        for row in c['pint']:
            print(f"  pint {row['flagged_rule_lines']} [{row['pint_check']}] {row['pint_summary']}: {row['pint_message']}")
        for f in findings:
            print(f"  nsmon {f['line']}:{f['column']} {f['severity']} [{f['check']}] {f['message']}")
        if any(on_flagged(f) and f['severity'] == 'info' for f in findings):
            info_only += 1
    for check, hit in sorted(by.items()):
        print(f"caught {check}: " + ', '.join(f'{k} {v}' for k, v in hit.most_common()))
    print(f'clean cases flagged: {flagged} of {clean} ({flagged - false_flags} with findings reviewed true, '
          f'{false_flags} false)')
    print(f'bug cases caught: {caught} of {bug} (missed {bug - caught}, {info_only} of them with an info finding on the rule; '
          f'{same} by a check that says what pint says)')
    if limit is not None and false_flags > limit:
        print(f'FAIL: more than {limit} clean cases falsely flagged', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
