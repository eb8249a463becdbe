#!/usr/bin/python3
"""Generates nsmon's PromQL parser tables from promql.grammar.

Usage: gen_tables.py promql.grammar ../parser_tables.inc

An LALR(1) table generator that behaves like classic yacc (and so like goyacc, which generates
Prometheus's parser), because the parser must report syntax errors where Prometheus does:

- shift/reduce conflicts are settled by precedence: a rule takes the precedence of the last
  terminal in its body (or of its %prec token); if the token or the rule has none, shift wins;
  on equal precedence %left reduces, %right shifts and %nonassoc makes the entry an error;
- reduce/reduce conflicts go to the rule written first;
- in each state the reduction used for the most lookahead tokens becomes the default action,
  unless the state can shift `error` (then errors are detected at once);
- a state without any shift whose only action is its default reduction reduces without
  reading a lookahead token.

The output is plain C++ data: dense action and goto tables, the rules, and an enum of the
semantic actions named in the grammar.
"""

import re
import sys
from collections import defaultdict


class Grammar:
    def __init__(self):
        self.terminals = ["$end", "error"]
        self.prec = {}  # terminal -> (level, assoc)
        self.nonterminals = []
        self.rules = []  # (lhs, [symbols], action or None, prec_token or None)
        self.start = None

    def is_terminal(self, s):
        return s in self.term_index

    def finish(self):
        self.term_index = {t: i for i, t in enumerate(self.terminals)}
        nts = []
        for lhs, _, _, _ in self.rules:
            if lhs not in nts:
                nts.append(lhs)
        self.nonterminals = ["$accept"] + nts
        self.nt_index = {n: i for i, n in enumerate(self.nonterminals)}
        # Rule 0: $accept -> start $end
        self.rules.insert(0, ("$accept", [self.start, "$end"], None, None))
        for lhs, rhs, _, _ in self.rules:
            for s in rhs:
                if s not in self.term_index and s not in self.nt_index:
                    raise SystemExit(f"unknown symbol {s} in rule for {lhs}")

    def rule_prec(self, r):
        lhs, rhs, _, prec_tok = self.rules[r]
        if prec_tok is not None:
            return self.prec.get(prec_tok, (0, None))
        level = (0, None)
        for s in rhs:
            if s in self.term_index:
                level = self.prec.get(s, (0, None))
        return level


def parse_grammar(text):
    g = Grammar()
    head, _, body = text.partition("\n%%\n")
    level = 0
    for line in head.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if words[0] == "%token":
            g.terminals.extend(words[1:])
        elif words[0] in ("%left", "%right", "%nonassoc"):
            level += 1
            for t in words[1:]:
                g.prec[t] = (level, words[0][1:])
        else:
            raise SystemExit(f"bad declaration: {line}")
    body = "\n".join(l.split("#", 1)[0] for l in body.splitlines())
    for m in re.finditer(r"([a-z_]+)\s*:(.*?);", body, re.S):
        lhs = m.group(1)
        if g.start is None:
            g.start = lhs
        for alt in m.group(2).split("|"):
            words = alt.split()
            action = None
            prec_tok = None
            syms = []
            i = 0
            while i < len(words):
                w = words[i]
                if w.startswith("@"):
                    action = w[1:]
                elif w == "%prec":
                    prec_tok = words[i + 1]
                    i += 1
                else:
                    syms.append(w)
                i += 1
            g.rules.append((lhs, syms, action, prec_tok))
    g.finish()
    return g


def compute_first(g):
    nullable = set()
    first = defaultdict(set)
    changed = True
    while changed:
        changed = False
        for lhs, rhs, _, _ in g.rules:
            if lhs not in nullable and all(s in nullable for s in rhs):
                nullable.add(lhs)
                changed = True
            for s in rhs:
                add = {s} if g.is_terminal(s) else first[s]
                if not add <= first[lhs]:
                    first[lhs] |= add
                    changed = True
                if s not in nullable:
                    break
    return nullable, first


def first_of_seq(g, seq, nullable, first):
    out = set()
    for s in seq:
        if g.is_terminal(s):
            out.add(s)
            return out, False
        out |= first[s]
        if s not in nullable:
            return out, False
    return out, True


def build(g):
    nullable, first = compute_first(g)
    by_lhs = defaultdict(list)
    for i, (lhs, _, _, _) in enumerate(g.rules):
        by_lhs[lhs].append(i)

    def closure0(items):
        result = list(items)
        seen = set(items)
        k = 0
        while k < len(result):
            r, d = result[k]
            k += 1
            rhs = g.rules[r][1]
            if d < len(rhs) and not g.is_terminal(rhs[d]):
                for r2 in by_lhs[rhs[d]]:
                    if (r2, 0) not in seen:
                        seen.add((r2, 0))
                        result.append((r2, 0))
        return result

    # LR(0) collection.
    states = [tuple(sorted([(0, 0)]))]
    index = {states[0]: 0}
    transitions = []
    k = 0
    while k < len(states):
        items = closure0(states[k])
        moves = {}
        order = []
        for r, d in items:
            rhs = g.rules[r][1]
            if d < len(rhs):
                x = rhs[d]
                if x == "$end":
                    continue
                if x not in moves:
                    moves[x] = []
                    order.append(x)
                moves[x].append((r, d + 1))
        trans = {}
        for x in order:
            kern = tuple(sorted(set(moves[x])))
            if kern not in index:
                index[kern] = len(states)
                states.append(kern)
            trans[x] = index[kern]
        transitions.append(trans)
        k += 1

    # LALR(1) lookaheads by propagation (dragon book 4.7.5).
    la = [{item: set() for item in st} for st in states]
    la[0][(0, 0)] = set()  # $end is part of rule 0 itself
    propagate = defaultdict(list)
    DUMMY = "#"

    def closure1(items):
        # items: dict item -> set(lookaheads)
        result = {i: set(s) for i, s in items.items()}
        work = list(result.keys())
        while work:
            r, d = work.pop()
            rhs = g.rules[r][1]
            if d < len(rhs) and not g.is_terminal(rhs[d]):
                f, eps = first_of_seq(g, rhs[d + 1:], nullable, first)
                las = set(f)
                if eps:
                    las |= result[(r, d)]
                for r2 in by_lhs[rhs[d]]:
                    it = (r2, 0)
                    if it not in result:
                        result[it] = set()
                    if not las <= result[it]:
                        result[it] |= las
                        work.append(it)
        return result

    for s, kern in enumerate(states):
        for item in kern:
            cl = closure1({item: {DUMMY}})
            for (r, d), las in cl.items():
                rhs = g.rules[r][1]
                if d < len(rhs) and rhs[d] != "$end":
                    t = transitions[s][rhs[d]]
                    for a in las:
                        if a == DUMMY:
                            propagate[(s, item)].append((t, (r, d + 1)))
                        else:
                            la[t][(r, d + 1)].add(a)
    changed = True
    while changed:
        changed = False
        for (s, item), targets in propagate.items():
            src = la[s][item]
            for t, it2 in targets:
                if not src <= la[t][it2]:
                    la[t][it2] |= src
                    changed = True

    # Actions, resolved the yacc way.
    nterm = len(g.terminals)
    SHIFT, REDUCE, ERR, ACCEPT = "s", "r", "e", "a"
    actions = []
    defaults = []
    conflicts = {"sr": 0, "rr": 0}
    for s, kern in enumerate(states):
        row = [None] * nterm
        for x, t in transitions[s].items():
            if g.is_terminal(x):
                row[g.term_index[x]] = (SHIFT, t)
        if (0, 1) in kern:
            row[g.term_index["$end"]] = (ACCEPT, 0)
        full = closure1({it: la[s][it] for it in kern})
        reduce_items = sorted([it for it in full if it[1] == len(g.rules[it[0]][1])],
                              key=lambda it: (it not in kern, it[0]))
        for r, d in reduce_items:
            if r == 0:
                continue
            for a in sorted(full[(r, d)], key=lambda x: g.term_index[x]):
                ti = g.term_index[a]
                cur = row[ti]
                if cur is None:
                    row[ti] = (REDUCE, r)
                elif cur[0] == REDUCE:
                    conflicts["rr"] += 1
                    if r < cur[1]:
                        row[ti] = (REDUCE, r)
                else:
                    # shift (or accept, or an error entry from %nonassoc): decide by precedence
                    tl, tassoc = g.prec.get(a, (0, None))
                    rl, _ = g.rule_prec(r)
                    if tl == 0 or rl == 0:
                        conflicts["sr"] += 1
                        continue
                    if tl == rl:
                        choice = tassoc
                    elif tl > rl:
                        choice = "right"
                    else:
                        choice = "left"
                    if choice == "nonassoc":
                        row[ti] = (ERR, 0)
                    elif choice == "left":
                        row[ti] = (REDUCE, r)
        # Default reduction: the most frequent one (first in token order on ties), none if the
        # state shifts `error`.
        best, best_count = -1, 0
        for ti in range(nterm):
            a = row[ti]
            if a is None or a[0] != REDUCE or a[1] == best:
                continue
            count = sum(1 for b in row if b == a)
            if count > best_count:
                best, best_count = a[1], count
        err_shift = row[g.term_index["error"]]
        if err_shift is not None and err_shift[0] == SHIFT:
            best = -1
        if best >= 0:
            row = [None if a == (REDUCE, best) else a for a in row]
        actions.append(row)
        defaults.append(best)

    gotos = []
    for s in range(len(states)):
        gotos.append({x: t for x, t in transitions[s].items() if not g.is_terminal(x)})
    return states, actions, defaults, gotos, conflicts


def emit(g, states, actions, defaults, gotos, out_path):
    nterm = len(g.terminals)
    nnt = len(g.nonterminals)
    action_names = []
    for _, _, a, _ in g.rules:
        if a and a not in action_names:
            action_names.append(a)
    lines = []
    w = lines.append
    w("// Generated by src/nsmon/promql/grammar/gen_tables.py from promql.grammar. Do not edit.")
    w("// NOLINTBEGIN")
    w(f"inline constexpr int kNumTerminals = {nterm};")
    w(f"inline constexpr int kNumNonterminals = {nnt};")
    w(f"inline constexpr int kNumStates = {len(states)};")
    w(f"inline constexpr int kNumRules = {len(g.rules)};")
    w(f"inline constexpr int kErrorTerminal = {g.term_index['error']};")
    w(f"inline constexpr int kEndTerminal = {g.term_index['$end']};")
    w("")
    w("/// Terminal numbers used by the tables, in grammar order.")
    w("enum class Term : int {")
    for i, t in enumerate(g.terminals):
        name = {"$end": "end_of_stream", "error": "error_token", "EOF": "EOF_TOKEN"}.get(t, t)
        w(f"  {name} = {i},")
    w("};")
    w("")
    w("enum class Action : int {")
    w("  none = 0,")
    for a in action_names:
        w(f"  {a},")
    w("};")
    w("")
    w("struct Rule {")
    w("  int lhs;        ///< nonterminal number")
    w("  int length;     ///< symbols on the right-hand side")
    w("  Action action;  ///< none: $$ = $1")
    w("  const char* text;")
    w("};")
    w("")
    w("inline constexpr Rule kRules[kNumRules] = {")
    for lhs, rhs, a, _ in g.rules:
        text = f"{lhs}: {' '.join(rhs)}".replace('"', "'")
        w(f"  {{{g.nt_index[lhs]}, {len(rhs)}, Action::{a or 'none'}, \"{text}\"}},")
    w("};")
    w("")
    w("// Action entries: 0 = use the state's default, >0 = shift to state (v-1), -1 = error,")
    w("// -2 = accept, <= -3 = reduce by rule (-v-3).")
    w("inline constexpr short kActions[kNumStates][kNumTerminals] = {")
    for row in actions:
        vals = []
        for a in row:
            if a is None:
                vals.append(0)
            elif a[0] == "s":
                vals.append(a[1] + 1)
            elif a[0] == "e":
                vals.append(-1)
            elif a[0] == "a":
                vals.append(-2)
            else:
                vals.append(-a[1] - 3)
        w("  {" + ",".join(str(v) for v in vals) + "},")
    w("};")
    w("")
    w("/// Default reduction of each state (-1: a syntax error).")
    w("inline constexpr short kDefaultReduce[kNumStates] = {")
    for i in range(0, len(defaults), 20):
        w("  " + ",".join(str(d) for d in defaults[i:i + 20]) + ",")
    w("};")
    w("")
    w("/// Whether a state looks at the next token before acting (yacc reduces without it in")
    w("/// states that cannot shift and have no per-token reduction).")
    w("inline constexpr bool kNeedsLookahead[kNumStates] = {")
    flags = []
    for row in actions:
        flags.append("true" if any(a is not None for a in row) else "false")
    for i in range(0, len(flags), 16):
        w("  " + ",".join(flags[i:i + 16]) + ",")
    w("};")
    w("")
    w("/// Goto table: state after reducing to a nonterminal (-1: none).")
    w("inline constexpr short kGoto[kNumStates][kNumNonterminals] = {")
    for gt in gotos:
        row = [-1] * nnt
        for x, t in gt.items():
            row[g.nt_index[x]] = t
        w("  {" + ",".join(str(v) for v in row) + "},")
    w("};")
    w("// NOLINTEND")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    g = parse_grammar(open(sys.argv[1]).read())
    states, actions, defaults, gotos, conflicts = build(g)
    emit(g, states, actions, defaults, gotos, sys.argv[2])
    print(f"{len(states)} states, {len(g.rules)} rules, {len(g.terminals)} terminals, "
          f"{conflicts['sr']} shift/reduce and {conflicts['rr']} reduce/reduce conflicts resolved")


if __name__ == "__main__":
    main()
