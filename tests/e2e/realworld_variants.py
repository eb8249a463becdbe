#!/usr/bin/env python3
"""Writes the inputs of tests/e2e/lint_realworld.sh: for each corpus file, the file for nsmon (as
it is: a rules file or PrometheusRule manifests) and the same rules as a plain rules file for
promtool (which cannot read manifests: spec.groups unwrapped), then deterministic mutations of
each, one syntax error each, in both forms. Usage: realworld_variants.py CORPUS OUT; prints one
line per case: NAME<TAB>NSMON_FILE<TAB>PROMTOOL_FILE."""
import copy, os, sys
import yaml


def group_lists(docs):
    """The lists of rule groups of a file's documents (one per PrometheusRule), and the form."""
    if len(docs) == 1 and isinstance(docs[0], dict) and "groups" in docs[0]:
        return [docs[0]["groups"]], "plain"
    return [d["spec"]["groups"] for d in docs if isinstance(d, dict) and d.get("kind") == "PrometheusRule"], "manifest"


def groups_of(docs):
    lists, form = group_lists(docs)
    return [g for l in lists for g in l], form


def first_rule(groups, key):
    for g in groups:
        for r in g.get("rules") or []:
            if key in r:
                return g, r
    return None, None


# Each mutation changes the groups in place and returns False when the file has nothing to mutate.
def m_expr(gs):
    _, r = first_rule(gs, "expr")
    if not r: return False
    r["expr"] = str(r["expr"]) + " )"; return True
def m_for(gs):
    _, r = first_rule(gs, "alert")
    if not r: return False
    r["for"] = "5x"; return True
def m_dup_group(lists):  # the first group twice in the same list (file or PrometheusRule)
    if not lists or not lists[0]: return False
    lists[0].append(copy.deepcopy(lists[0][0])); return True
def m_unknown_field(gs):
    _, r = first_rule(gs, "expr")
    if not r: return False
    r["exprs"] = "up"; return True
def m_label_name(gs):
    _, r = first_rule(gs, "expr")
    if not r: return False
    r.setdefault("labels", {})["bad-name"] = "x"; return True
def m_template(gs):
    _, r = first_rule(gs, "alert")
    if not r: return False
    r.setdefault("annotations", {})["summary"] = "{{ $labels.instance"; return True
def m_both(gs):
    g, r = first_rule(gs, "alert")
    if not r: return False
    r["record"] = "job:x:sum"; return True
def m_record_name(gs):
    _, r = first_rule(gs, "record")
    if not r: return False
    r["record"] = "not a name"; return True
def m_missing_expr(gs):
    _, r = first_rule(gs, "expr")
    if not r: return False
    del r["expr"]; return True
def m_valid_change(gs):  # a change both must accept: the verdict stays "valid"
    _, r = first_rule(gs, "expr")
    if not r: return False
    r["expr"] = "(" + str(r["expr"]) + ")"; return True

MUTATIONS = [m_expr, m_for, m_dup_group, m_unknown_field, m_label_name, m_template, m_both,
             m_record_name, m_missing_expr, m_valid_change]


# libyaml's loader and emitter when PyYAML has them: the same documents and text as PyYAML's own,
# many times faster (the emitter is most of this script's time).
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class NoAliases(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data):
        return True


def dump(path, docs):
    with open(path, "w") as f:
        yaml.dump_all(docs, f, Dumper=NoAliases, sort_keys=False, allow_unicode=True, width=1 << 20)


def main(corpus, out):
    for root, _, files in sorted(os.walk(corpus)):
        for name in sorted(files):
            if not name.endswith((".yml", ".yaml")):
                continue
            src = os.path.join(root, name)
            rel = os.path.relpath(src, corpus).replace("/", "__")
            with open(src) as f:
                docs = [d for d in yaml.load_all(f, Loader=Loader) if d is not None]
            groups, form = groups_of(docs)
            plain = os.path.join(out, rel + ".promtool.yml")
            dump(plain, [{"groups": groups}])
            print(f"{rel}\t{src}\t{plain}")
            for m in MUTATIONS:
                mdocs = copy.deepcopy(docs)
                if not m(group_lists(mdocs)[0] if m is m_dup_group else groups_of(mdocs)[0]):
                    continue
                mgroups, _ = groups_of(mdocs)
                case = f"{rel}~{m.__name__[2:]}"
                nsm = os.path.join(out, case + (".yaml" if form == "manifest" else ".yml"))
                dump(nsm, mdocs)
                pt = os.path.join(out, case + ".promtool.yml")
                dump(pt, [{"groups": mgroups}])
                print(f"{case}\t{nsm}\t{pt}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
