#!/usr/bin/env python3
"""Scores nsmon lint-rules on bugs that public projects shipped in their rule files and later fixed.

  python3 score.py NSMON [--strict]

Each case is a directory <project>-<short commit>/ holding before.yml (the rules as shipped, with
the bug) and after.yml (the same rules as the fix left them); README.md names the source of each.
A finding counts when its severity is warning or error and its check is not policy/* (the cases
keep the projects' own annotations and labels, which a team's policy need not like). A case is
caught when before.yml has a counted finding and after.yml has none: the fixed file is quiet.

Prints each case with the findings that decided it, then the counts. misses.txt names the cases
nsmon is known to miss, one a line with the reason after the name. later-fixes.txt names the
findings on an after.yml that are true because the project shipped the bug after the case's fix and
fixed it in a later commit that the line names (`case line:column check commit why`): they do not
count against the fixed file, nor does the same finding on before.yml count for the case (a bug that
outlived the fix is not the one the case holds). A line whose commit is `unfixed` names a true finding
on a bug the project never fixed. With --strict, exits 1 if an after.yml is flagged otherwise, a case
not in misses.txt is missed, a case in it is caught, or a later-fixes.txt line names no finding
(either list is stale); 0 otherwise.
"""
import json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))


def counted(nsmon, path):
    r = subprocess.run([nsmon, '--catalog', 'none', 'lint-rules', '--format', 'json', '--fail-on', 'never', path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'{nsmon} failed on {path} (exit {r.returncode}): {r.stderr.strip()}')
    return [f for f in json.loads(r.stdout)['findings']
            if f['severity'] in ('warning', 'error') and not f['check'].startswith('policy/')]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    nsmon, strict = sys.argv[1], '--strict' in sys.argv[2:]
    cases = sorted(d for d in os.listdir(HERE)
                   if os.path.isfile(os.path.join(HERE, d, 'before.yml')) and os.path.isfile(os.path.join(HERE, d, 'after.yml')))
    with open(os.path.join(HERE, 'misses.txt')) as f:
        known = {l.split()[0] for l in f if l.strip() and not l.startswith('#')}
    with open(os.path.join(HERE, 'later-fixes.txt')) as f:
        later = {tuple(l.split()[:3]): l.split()[3] for l in f if l.strip() and not l.startswith('#')}
    # One nsmon per file (a file linted with others would see their recording rules), a file per
    # core at a time: under ASan the corpus took most of CI's 300 s one file after the other.
    paths = [os.path.join(HERE, case, name) for case in cases for name in ('before.yml', 'after.yml')]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        findings = dict(zip(paths, pool.map(lambda path: counted(nsmon, path), paths)))
    caught = after_flagged = 0
    wrong = []
    for case in cases:
        after, shipped_on = [], set()
        for f in findings[os.path.join(HERE, case, 'after.yml')]:
            fixed_later = (case, f"{f['line']}:{f['column']}", f['check'])
            if fixed_later in later:
                # A bug that outlived the case's fix (fixed later, or never) is not the bug the case
                # holds: the same finding on before.yml does not catch the case either.
                later.pop(fixed_later)
                shipped_on.add((f['check'], f['message']))
                # The same claim at the same place whose explanation names the fix's new operator
                # (`sum by (topic)` made `min by (topic)`) is the same finding.
                shipped_on.add((f['check'], f"{f['line']}:{f['column']}", f['message'].split(': ')[0]))
                print(f"  later fix of {case}: after {f['line']}:{f['column']} [{f['check']}] {f['message']}")
            else:
                after.append(f)
        before = [f for f in findings[os.path.join(HERE, case, 'before.yml')]
                  if (f['check'], f['message']) not in shipped_on
                  and (f['check'], f"{f['line']}:{f['column']}", f['message'].split(': ')[0]) not in shipped_on]
        caught += bool(before) and not after
        after_flagged += bool(after)
        ok = bool(before) and not after
        if ok == (case in known):
            wrong.append(case)
        print(f"{'CAUGHT' if ok else 'MISSED'} {case}" + (' (after.yml flagged)' if after else '') +
              (' (misses.txt says missed)' if ok and case in known else ' (not in misses.txt)' if not ok and case not in known else ''))
        for name, found in (('before', before), ('after', after)):
            for f in found:
                print(f"  {name} {f['line']}:{f['column']} {f['severity']} [{f['check']}] {f['message']}")
    print(f'caught {caught} of {len(cases)}; after.yml flagged in {after_flagged}')
    if wrong:
        print('misses.txt disagrees on: ' + ', '.join(wrong))
    for case, at, check in sorted(later):
        print(f'later-fixes.txt names no finding: {case} {at} {check}')
    return 1 if strict and (wrong or after_flagged or later) else 0


if __name__ == '__main__':
    sys.exit(main())
