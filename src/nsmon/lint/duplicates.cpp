// rules/duplicate-rule as promtool reports it (same name and labels twice in a file) names rules
// whose series can still never collide: the same recording rule split by a label its result keeps
// and its selectors fix to values no string shares (code=~"2.." and code=~"3.." under
// sum by (code)), as kube-prometheus's rules do; an alert whose result carries a label the other's
// lacks (job, or only instance after sum by (instance)): Alertmanager tells alerts apart by their
// labels; one condition split in two (x > 0, x == 0); a histogram read in its classic and its
// native form. Those findings are dropped here; the rest name the first rule that surely collides,
// else the first that may. Alerts of different names that copy one another are copies.cpp's.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <re2/re2.h>
#include <set>
#include <tuple>
#include <unordered_map>

#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/promql/regex.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {

// The constraint every selector of an expression puts on `label`, if they all put the same one:
// a value or a regex it must match (`negated`: one it must not).
std::optional<promql::Matcher> constraint(const promql::Expr& e, const std::string& label, bool negated = false) {
  std::optional<promql::Matcher> out;
  bool mixed = false;
  const auto ops = negated ? std::pair{promql::MatchOp::not_equal, promql::MatchOp::not_regex}
                           : std::pair{promql::MatchOp::equal, promql::MatchOp::regex};
  promql::walk(e, [&](const promql::Expr& n, auto) {
    if (n.kind != promql::NodeKind::vector_selector) return true;
    const promql::Matcher* m = nullptr;
    for (const auto& x : n.as<promql::VectorSelector>().matchers)
      if (x.name == label && (x.op == ops.first || x.op == ops.second)) m = &x;
    if (!m || (out && (out->op != m->op || out->value != m->value))) mixed = true;
    else out = *m;
    return true;
  });
  return mixed ? std::nullopt : out;
}

// The strings a matcher's value set spans, [min, max] in byte order (RE2's PossibleMatchRange).
bool range(const promql::Matcher& m, std::string& lo, std::string& hi) {
  if (m.op == promql::MatchOp::equal) {
    lo = hi = m.value;
    return true;
  }
  const RE2& re = labels::regex(m.value, labels::Dialect::prometheus);
  return re.ok() && re.PossibleMatchRange(&lo, &hi, 16);
}

// A regex's branches where it spells them as words: its top-level alternatives, and the words of
// its first group of plain words ("skia-(e|rpi).+" is "skia-e.+" or "skia-rpi.+"). One range over
// the whole regex spans from skia-e to skia-rpi, holding "skia-i-..." that no branch matches.
std::vector<std::string> branches(const std::string& p, int depth = 0) {
  // A flag group ((?i), (?s)) reaches into the alternatives after it: split, they would lose it.
  for (auto at = p.find("(?"); at != std::string::npos; at = p.find("(?", at + 1))
    if (at + 2 >= p.size() || p[at + 2] != ':') return {p};
  std::vector<std::string> top;
  std::size_t start = 0, open = std::string::npos, close = std::string::npos;
  int level = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') ++i;
    else if (in_class) in_class = c != ']';
    else if (c == '[') in_class = true;
    else if (c == '(') {
      if (level++ == 0 && open == std::string::npos) open = i;
    } else if (c == ')') {
      if (--level == 0 && close == std::string::npos) close = i;
    } else if (c == '|' && level == 0) {
      top.push_back(p.substr(start, i - start));
      start = i + 1;
    }
  }
  std::vector<std::string> words;
  if (!top.empty()) {
    top.push_back(p.substr(start));
    words = top;
  } else if (open != std::string::npos && close != std::string::npos &&
             (close + 1 == p.size() || std::string_view("?*+{").find(p[close + 1]) == std::string_view::npos)) {
    std::string inner = p.substr(open + 1, close - open - 1);
    if (util::starts_with(inner, "?:")) inner.erase(0, 2);
    if (inner.find('|') == std::string::npos || std::any_of(inner.begin(), inner.end(), [](unsigned char c) {
          return !std::isalnum(c) && c != '_' && c != '-' && c != '|';
        }))
      return {p};
    for (std::size_t b = 0, e = 0; e != std::string::npos; b = e + 1) {
      e = inner.find('|', b);
      words.push_back(p.substr(0, open) + inner.substr(b, e == std::string::npos ? e : e - b) + p.substr(close + 1));
    }
  } else return {p};
  if (depth >= 2 || words.size() > 16) return {p};
  std::vector<std::string> out;
  for (const auto& w : words)
    for (auto& b : branches(w, depth + 1)) out.push_back(std::move(b));
  return out;
}

bool disjoint(const promql::Matcher& a, const promql::Matcher& b) {
  auto pieces = [](const promql::Matcher& m) {
    if (m.op == promql::MatchOp::equal) return std::vector<promql::Matcher>{m};
    std::vector<promql::Matcher> out;
    for (auto& w : branches(m.value)) {
      promql::Matcher x = m;
      x.value = std::move(w);
      out.push_back(std::move(x));
    }
    return out;
  };
  for (const auto& x : pieces(a))
    for (const auto& y : pieces(b)) {
      std::string alo, ahi, blo, bhi;
      if (!range(x, alo, ahi) || !range(y, blo, bhi) || !(ahi < blo || bhi < alo)) return false;
    }
  return true;
}

// The values a matcher admits where it spells each out: its value for l="v", the words of
// l=~"v|w" (a regex is anchored, so a branch without metacharacters matches itself only); none
// for an empty value or any other regex.
std::vector<std::string> literal_values(const promql::Matcher& m) {
  if (m.op == promql::MatchOp::equal) return m.value.empty() ? std::vector<std::string>{} : std::vector{m.value};
  std::vector<std::string> words = branches(m.value);
  const bool literal = std::all_of(words.begin(), words.end(), [](const std::string& w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '_' || c == '-' || c == ':' || c == '/';
    });
  });
  return literal ? words : std::vector<std::string>{};
}

// One rule reads classic histograms' x_bucket series, the other the native histograms x:
// Prometheus stores a scraped histogram in one form, both only where scrape_classic_histograms
// asks for it, so the two rules never write the same series otherwise.
bool histogram_forms(const promql::Expr& a, const promql::Expr& b) {
  auto classic = promql::metric_names(a), native = promql::metric_names(b);
  if (classic.empty() || native.empty()) return false;
  if (!util::ends_with(*classic.begin(), "_bucket")) std::swap(classic, native);
  std::set<std::string> bases;
  for (const auto& n : classic) {
    if (!util::ends_with(n, "_bucket")) return false;
    bases.insert(n.substr(0, n.size() - 7));
  }
  return bases == native;
}

// `e OP number`, with the number on the right.
struct Condition {
  const promql::Expr* side = nullptr;
  promql::BinaryOp op{};
  double value = 0;
};
std::optional<Condition> condition(const promql::Expr& e) {
  const promql::Expr* root = unparen(&e);
  if (root->kind != promql::NodeKind::binary) return std::nullopt;
  const auto& b = root->as<promql::BinaryExpr>();
  if (!promql::is_comparison(b.op) || b.return_bool) return std::nullopt;
  auto number = [](const promql::Expr* x) -> std::optional<double> {
    x = unparen(x);
    if (x->kind == promql::NodeKind::number_literal) return x->as<promql::NumberLiteral>().value;
    return std::nullopt;
  };
  if (auto v = number(b.rhs)) return Condition{b.lhs, b.op, *v};
  if (auto v = number(b.lhs)) return Condition{b.rhs, flip(b.op), *v};
  return std::nullopt;
}

// Two conditions on the same expression, and a value of each stretch their numbers cut the line
// into: each condition is a half-line, a point or all but a point, so what holds at these values
// holds on the whole line.
struct ConditionPair {
  Condition a, b;
  std::array<double, 5> points{};
};
std::optional<ConditionPair> same_side(std::optional<Condition> ca, std::optional<Condition> cb) {
  if (!ca || !cb || promql::print(*ca->side) != promql::print(*cb->side)) return std::nullopt;
  const double lo = std::min(ca->value, cb->value), hi = std::max(ca->value, cb->value);
  return ConditionPair{*ca, *cb, {lo - 1, lo, (lo + hi) / 2, hi, hi + 1}};
}
std::optional<ConditionPair> same_side(const promql::Expr& a, const promql::Expr& b) {
  return same_side(condition(a), condition(b));
}

// `... and on (l) G` or `... unless on (l) G` above a result's series: each passes it by whether G
// has a series of its match key.
struct Gate {
  bool unless = false;
  std::string matching; ///< on/ignoring and its labels, as a key
  const promql::Expr* gate = nullptr;
};

// The conditions every series of `e` has passed, on series that keep their labels up to the
// result: e's own comparison, and those under arithmetic with a number ((x < 10) * 100 > 50), a
// further comparison, or the left side of and/unless, whose right sides are its gates. Not below
// an aggregation or a function, whose series are others.
struct Conditions {
  std::vector<Condition> compared;
  std::vector<Gate> gates;
};

// on/ignoring and its labels, sorted: two gates match series alike when their keys are equal.
std::string matching_key(const promql::VectorMatching& vm) {
  std::vector<std::string> labels = vm.labels;
  std::sort(labels.begin(), labels.end());
  std::string key = vm.on ? "on" : "ignoring";
  for (const auto& l : labels) key.append(1, ' ').append(l);
  return key;
}

Conditions conditions(const promql::Expr& e) {
  Conditions out;
  for (const promql::Expr* at = unparen(&e); at && at->kind == promql::NodeKind::binary;) {
    const auto& b = at->as<promql::BinaryExpr>();
    const bool lnum = b.lhs->type == promql::ValueType::scalar, rnum = b.rhs->type == promql::ValueType::scalar;
    if (auto c = condition(*at)) out.compared.push_back(*c);
    if (b.op == promql::BinaryOp::land || b.op == promql::BinaryOp::lunless) {
      std::string key;
      if (const promql::VectorMatching* vm = b.matching()) key = matching_key(*vm);
      out.gates.push_back({b.op == promql::BinaryOp::lunless, std::move(key), unparen(b.rhs)});
      at = unparen(b.lhs);
    } else if (!b.return_bool && lnum != rnum && b.op != promql::BinaryOp::lor) {
      at = unparen(lnum ? b.rhs : b.lhs);
    } else if (const promql::VectorMatching* vm = b.matching();
               vm && b.op != promql::BinaryOp::lor && !vm->fill_lhs && !vm->fill_rhs &&
               (vm->card == promql::Cardinality::many_to_one || (!vm->written && !b.return_bool))) {
      // Two vectors whose result keeps the left side's labels: a join (x + on (l) group_left
      // G) passes only the series G has a partner for, a gate as `and on (l) G` is; a default
      // one-to-one match (x / y) keeps x's series that y pairs.
      if (vm->card == promql::Cardinality::many_to_one) out.gates.push_back({false, matching_key(*vm), unparen(b.rhs)});
      at = unparen(b.lhs);
    } else {
      break;
    }
  }
  return out;
}

// Whether two conditions on the same expression pass no value both (x > 0 and x == 0).
bool exclusive(const Condition& x, const Condition& y) {
  auto p = same_side(x, y);
  return p && std::none_of(p->points.begin(), p->points.end(),
                           [&](double v) { return holds(p->a.op, v, p->a.value) && holds(p->b.op, v, p->b.value); });
}

// The same expression compared with numbers no value passes both times (x > 0 and x == 0), in
// the rules' conditions or under them ((x < 10) * 100 > 50 and (x > 10) * 100 > 10): a series is
// in at most one rule's result at a time. So too one gate taken by one rule and refused by the
// other (`and on () hour() >= 22`, `unless on () hour() >= 22`: a series has one match key, which
// the gate has or lacks), or two gates of one series that pass no value both (`and on () hour()
// >= 22`, `and on () hour() < 22`).
bool disjoint_conditions(const promql::Expr& a, const promql::Expr& b) {
  const Conditions ca = conditions(a), cb = conditions(b);
  auto exclusive_any = [](const std::vector<Condition>& xs, const std::vector<Condition>& ys) {
    return std::any_of(xs.begin(), xs.end(), [&](const Condition& x) {
      return std::any_of(ys.begin(), ys.end(), [&](const Condition& y) { return exclusive(x, y); });
    });
  };
  if (exclusive_any(ca.compared, cb.compared)) return true;
  // A gate matched on every label passes only the series whose twin in it passed its condition:
  // `(time() - ts > 86400) and (ts > 0)` beside `ts == 0` (cortex-jsonnet 90f451e) holds for a
  // series where ts is above 0, the other where it is 0, never both at once.
  auto gated_apart = [&](const Conditions& gated, const Conditions& other) {
    return std::any_of(gated.gates.begin(), gated.gates.end(), [&](const Gate& g) {
      return !g.unless && (g.matching.empty() || g.matching == "ignoring") &&
             exclusive_any(conditions(*g.gate).compared, other.compared);
    });
  };
  if (gated_apart(ca, cb) || gated_apart(cb, ca)) return true;
  for (const auto& x : ca.gates)
    for (const auto& y : cb.gates) {
      if (x.matching != y.matching) continue;
      if (x.unless != y.unless && promql::print(*x.gate) == promql::print(*y.gate)) return true;
      if (!x.unless && !y.unless && reads_no_series(*x.gate) && reads_no_series(*y.gate) &&
          exclusive_any(conditions(*x.gate).compared, conditions(*y.gate).compared))
        return true;
    }
  return false;
}

// The same expression where every value that passes one condition passes the other (x > 0.2 and
// x > 0.1): whenever the stricter rule fires, the other fires for the same series. The two
// conditions as written after the expression, the stricter first ("> 0.2", "> 0.1"): the
// implication goes one way only, and the finding says which.
std::optional<std::pair<std::string, std::string>> nested_conditions(const promql::Expr& a, const promql::Expr& b) {
  auto p = same_side(a, b);
  if (!p) return std::nullopt;
  auto within = [&](const Condition& in, const Condition& out) {
    return std::all_of(p->points.begin(), p->points.end(),
                       [&](double x) { return !holds(in.op, x, in.value) || holds(out.op, x, out.value); });
  };
  auto say = [](const Condition& c) {
    return std::string(promql::to_string(c.op)) + " " + text::go::format_float(c.value);
  };
  if (within(p->a, p->b)) return std::pair{say(p->a), say(p->b)};
  if (within(p->b, p->a)) return std::pair{say(p->b), say(p->a)};
  return std::nullopt;
}

// Whether an expression may set `label` itself (label_replace, label_join): then its selectors'
// matchers do not bound the label's values in its result.
bool sets_labels(const promql::Expr& e) {
  bool found = false;
  promql::walk(e, [&](const promql::Expr& n, auto) {
    if (n.kind == promql::NodeKind::call &&
        (n.as<promql::Call>().name == "label_replace" || n.as<promql::Call>().name == "label_join"))
      found = true;
    return !found;
  });
  return found;
}

// Whether every selector of each expression fixes `label` to non-empty values, and no value
// matches both: a selector that does selects only series that have the label, so the two read
// none in common.
bool fixed_apart(const promql::Expr& ei, const promql::Expr& ej, const std::string& label) {
  auto a = constraint(ei, label), b = constraint(ej, label);
  return a && b && !promql::matches_empty(*a) && !promql::matches_empty(*b) && disjoint(*a, *b);
}

// Whether two rules' results can share a series: never (`apart`), or only where the input lacks
// a label one rule keeps and the other's result provably lacks (`unless_absent`: the first keeps
// it by (verb), the other sums it away; whether the series carry it is not known).
enum class Apart { no, unless_absent, apart };

// Whether two rules' results can never share a series: a label both keep, fixed to disjoint
// values; a label every series of one carries and the other's lack; the two forms of one
// histogram; one expression under disjoint conditions. The rules' own labels (`fixed`) override
// what the expressions give, so they tell nothing apart.
Apart separated(const promql::Expr& ei, const promql::Expr& ej, Inference& inf,
                const std::map<std::string, std::string>& fixed, std::set<std::string>& lacking) {
  if (histogram_forms(ei, ej) || disjoint_conditions(ei, ej)) return Apart::apart;
  inf.run(ei); // both runs first: a run may move the shapes of earlier ones
  inf.run(ej);
  const Shape &si = inf.at(&ei), &sj = inf.at(&ej);
  // An alert drops __name__, a recording rule sets it: it tells no two results apart.
  auto ignored = [&](const std::string& l) { return l == "__name__" || fixed.count(l) > 0; };
  bool unless_absent = false;
  for (const auto& l : si.labels) {
    if (ignored(l)) continue;
    if (Inference::present(si, l) && inf.absent(sj, l)) return Apart::apart;
    if (inf.absent(sj, l)) {
      unless_absent = true;
      lacking.insert(l);
    }
    if (!sj.labels.count(l)) continue; // kept by both
    // Values the model knows on both sides and no value of both.
    auto vi = si.values.find(l), vj = sj.values.find(l);
    if (vi != si.values.end() && vj != sj.values.end() && Inference::present(si, l) && Inference::present(sj, l) &&
        std::none_of(vi->second.begin(), vi->second.end(), [&](const std::string& v) {
          return std::find(vj->second.begin(), vj->second.end(), v) != vj->second.end();
        }))
      return Apart::apart;
    if (fixed_apart(ei, ej, l)) return Apart::apart;
  }
  for (const auto& l : sj.labels) {
    if (ignored(l)) continue;
    if (Inference::present(sj, l) && inf.absent(si, l)) return Apart::apart;
    if (inf.absent(si, l)) {
      unless_absent = true;
      lacking.insert(l);
    }
  }
  // One side's selectors take l="v" (or l=~"v|w", words) and its result keeps l, the other's
  // refuse each of them (mode="iowait" and mode!="iowait" under sum without (cpu);
  // reason=~"ContainerCreating|PodInitializing" and a reason!~ listing both): the other's results
  // have another value of l or none, whether or not it keeps l (a != matcher does not say the
  // label is there).
  for (auto [pos, pos_shape, neg] : {std::tuple{&ei, &si, &ej}, std::tuple{&ej, &sj, &ei}})
    for (const auto& l : pos_shape->labels) {
      auto p = constraint(*pos, l), n = constraint(*neg, l, true);
      if (ignored(l) || !p || !n || sets_labels(*neg)) continue;
      const std::vector<std::string> values = literal_values(*p);
      if (!values.empty() && std::none_of(values.begin(), values.end(), [&](const std::string& v) {
            return labels::matches(*n, v, labels::Dialect::prometheus);
          }))
        return Apart::apart;
    }
  return unless_absent ? Apart::unless_absent : Apart::no;
}

// Whether the two expressions read apart series of their metrics: every selector of each fixes
// some label to values the other's selectors refuse (kube_node_status_condition{status="unknown"}
// and {status="false"}), whether or not the label survives to the results.
bool reads_apart(const promql::Expr& ei, const promql::Expr& ej) {
  std::set<std::string> names;
  promql::walk(ei, [&](const promql::Expr& n, auto) {
    if (n.kind == promql::NodeKind::vector_selector)
      for (const auto& m : n.as<promql::VectorSelector>().matchers) names.insert(m.name);
    return true;
  });
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& l) { return l != "__name__" && fixed_apart(ei, ej, l); });
}

} // namespace

void drop_disjoint_duplicates(std::vector<core::Diagnostic>& diags, const Input& input, const Options& options) {
  const std::map<std::string, RecordedMetric> recorded;
  Inference inf(*options.catalog, nullptr, recorded);
  // Per rule that repeats the name and labels of an earlier one (the loader's findings), by the
  // position of its name: the first earlier rule whose series it may write, or null. Rules read
  // through a YAML merge key share their name's position: their findings are interchangeable,
  // and take the decisions in file order.
  using Where = std::tuple<const rules::RuleFile*, int, int>;
  struct Partner {
    const rules::Rule* first = nullptr; ///< null: none may collide
    bool one_metric = false;            ///< both rules' expressions read one and the same metric
    /// One expression's condition implies the other's: the two, the stricter first.
    std::optional<std::pair<std::string, std::string>> nested;
    bool unless_absent = false;    ///< they collide only where the series lack a label one keeps
    std::set<std::string> lacking; ///< those labels
    bool other_group = false;      ///< the first is in another group
    bool same_expr = false;        ///< the two expressions are the same query
    int never_line = 0;            ///< the line of one of the two that never returns anything, or 0
  };
  std::map<Where, std::deque<Partner>> partner;
  std::set<const rules::RuleFile*> decided;
  auto decide = [&](const rules::RuleFile& f) {
    std::map<std::pair<std::string, std::map<std::string, std::string>>, std::vector<const rules::Rule*>> same;
    std::map<const rules::Rule*, const rules::Group*> group_of;
    for (const auto& g : f.groups)
      for (const auto& r : g.rules) {
        group_of[&r] = &g;
        if (!r.name.value.empty()) same[{r.name.value, static_labels(g, r)}].push_back(&r);
      }
    for (const auto& [key, list] : same) {
      if (list.size() < 2) continue;
      std::vector<promql::ParseResult> parsed;
      for (const auto* r : list) parsed.push_back(promql::parse(r->expr.value, options.parse));
      // Per rule, the line of its expression where it never returns anything, else 0.
      std::vector<int> never;
      for (std::size_t k = 0; k < list.size(); ++k)
        never.push_back(parsed[k].ok() && !inf.run(*parsed[k].expr()).empty.empty() ? list[k]->expr.span.line : 0);
      for (std::size_t i = 1; i < list.size(); ++i) {
        // The earlier rule to name: the first whose series surely meet this one's where both
        // fire, else the first that meets it only where the series lack a label one keeps
        // (KubeAPIErrorsHigh by (verb) > 5 collides with its > 10 twin, not with a sum() above it).
        Partner p;
        for (std::size_t j = 0; j < i; ++j) {
          std::set<std::string> lacking;
          const Apart apart = !parsed[i].ok() || !parsed[j].ok()
                                  ? Apart::no
                                  : separated(*parsed[j].expr(), *parsed[i].expr(), inf, key.second, lacking);
          if (apart == Apart::apart || (p.first && apart == Apart::unless_absent)) continue;
          p.first = list[j];
          p.unless_absent = apart == Apart::unless_absent;
          p.lacking = apart == Apart::unless_absent ? lacking : std::set<std::string>{};
          p.other_group = group_of[list[j]] != group_of[list[i]];
          // Apart series of one metric (status="unknown" and status="false" counted) meet only
          // after an aggregation, where both conditions hold at once: as other metrics do.
          p.one_metric = !parsed[i].ok() || !parsed[j].ok() ||
                         (promql::metric_names(*parsed[i].expr()).size() == 1 &&
                          promql::metric_names(*parsed[i].expr()) == promql::metric_names(*parsed[j].expr()) &&
                          !reads_apart(*parsed[i].expr(), *parsed[j].expr()));
          p.nested =
              parsed[i].ok() && parsed[j].ok() ? nested_conditions(*parsed[i].expr(), *parsed[j].expr()) : std::nullopt;
          p.same_expr =
              parsed[i].ok() && parsed[j].ok() && promql::print(*parsed[i].expr()) == promql::print(*parsed[j].expr());
          p.never_line = never[j] ? never[j] : never[i];
          if (!p.unless_absent) break;
        }
        partner[{&f, list[i]->name.span.line, list[i]->name.span.col}].push_back(p);
      }
    }
  };
  std::erase_if(diags, [&](core::Diagnostic& d) {
    if (d.check != core::CheckId("rules/duplicate-rule")) return false;
    const rules::RuleFile* file = nullptr;
    for (const auto& f : input.rule_files)
      if (f.path == d.span.file || (f.source && f.source->path() == d.span.file)) file = &f;
    if (!file) return false;
    if (decided.insert(file).second) decide(*file);
    auto it = partner.find({file, d.span.line, d.span.col});
    if (it == partner.end() || it->second.empty()) return false;
    const Partner p = it->second.front();
    it->second.pop_front();
    const rules::Rule* first = p.first;
    if (!first) return true;
    // The rule chosen above is the one to name.
    if (auto at = d.message.rfind("(first at line "); at != std::string::npos)
      d.message = d.message.substr(0, at) + "(first at line " + std::to_string(first->span.line) + ")";
    // One of the two never returns anything (its own finding says why: review64's wl4g copy of an
    // alert whose ratio is divided by 100 times its whole): as written they never meet, and the
    // name is repeated all the same (promtool's lint says so too): said, at info.
    if (p.never_line) {
      d.severity = core::Severity::info;
      d.message += util::concat({", but the expression at line ", std::to_string(p.never_line),
                                 " never returns anything: as written, the two never ",
                                 first->is_alert() ? "fire" : "write a series", " at once"});
      return false;
    }
    // Two alerts of one name and labels on one metric, with selectors and conditions not apart
    // (separated() above), fire for the same series: a warning. Otherwise (other metrics, or an
    // expression of several, whose outputs meet only where their series happen to give the same
    // labels at once: up == 0 against the same target's other series, stale then) it is often
    // meant, one alert fed by several conditions, and the rules alone seldom prove a collision:
    // said, at info. So with recording rules that write one name from other metrics, each case
    // of a whole (kube-prometheus' and castellum's cases by condition): a sample lost is the
    // collision, if their series meet. The same expression under conditions one of which implies
    // the other (a warning and a critical threshold without a label between them) fires both for
    // the same series whenever the stricter one fires: a warning, whatever it reads.
    if (first->is_alert() && !p.one_metric && p.nested) {
      d.message += util::concat({", on the same expression: every series that passes '", p.nested->first, "' passes '",
                                 p.nested->second,
                                 "' too, so both fire for it with the same labels and Alertmanager sees one alert"});
      return false;
    }
    // One rule keeps a label (by (verb)) that the other's result lacks: they meet only where the
    // series lack it, which the rules alone do not tell: the same, at info. Two groups evaluate
    // at their own times: the series holds both rules' samples, one after the other.
    // The same query written twice (the descheduler operator's copied recording rule) is no
    // other expression: the loader's finding says what it is.
    if ((!p.one_metric || p.unless_absent) && !p.same_expr) {
      d.severity = core::Severity::info;
      const std::string where = p.lacking.empty() ? ""
                                                  : "their series can have the same labels only where they lack " +
                                                        util::join(p.lacking, ", ") +
                                                        " (labels one rule keeps and the other's result lacks); ";
      d.message += first->is_alert() ? ", from another expression: " + where +
                                           "where both fire for the same labels at once, Alertmanager sees one alert"
                   : p.other_group
                       ? ", from another expression in another group: " + where +
                             "where both return a series with the same labels, that series holds both rules' "
                             "samples, each written at its group's evaluations"
                       : ", from another expression: " + where +
                             "where both return a series with the same labels at once, Prometheus keeps the first "
                             "rule's sample and drops the other's (duplicate sample for timestamp)";
    }
    return false;
  });
}

std::map<std::string, std::string> static_labels(const rules::Group& g, const rules::Rule& r) {
  std::map<std::string, std::string> out;
  for (const auto& kv : g.labels) out[kv.key.value] = kv.value.value;
  for (const auto& kv : r.labels) out[kv.key.value] = kv.value.value;
  return out;
}

bool reads_no_series(const promql::Expr& e) {
  bool found = false;
  promql::walk(e, [&](const promql::Expr& n, auto) {
    found = found || n.kind == promql::NodeKind::vector_selector || n.kind == promql::NodeKind::matrix_selector;
    return !found;
  });
  return !found;
}

} // namespace nsmon::lint
