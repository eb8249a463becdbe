// rules/duplicate-rule as promtool reports it (same name and labels twice in a file) names rules
// whose series can still never collide: the same recording rule split by a label its result keeps
// and its selectors fix to values no string shares (code=~"2.." and code=~"3.." under
// sum by (code)), as kube-prometheus's rules do. Those findings are dropped here.
#include <re2/re2.h>

#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/promql/parser.hpp"

namespace nsmon::lint {

namespace {

// The constraint every selector of an expression puts on `label`, if they all put the same one.
std::optional<promql::Matcher> constraint(const promql::Expr& e, const std::string& label) {
  std::optional<promql::Matcher> out;
  bool mixed = false;
  promql::walk(e, [&](const promql::Expr& n, auto) {
    if (n.kind != promql::NodeKind::vector_selector) return true;
    const promql::Matcher* m = nullptr;
    for (const auto& x : n.as<promql::VectorSelector>().matchers)
      if (x.name == label && (x.op == promql::MatchOp::equal || x.op == promql::MatchOp::regex)) m = &x;
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

bool matches_empty(const promql::Matcher& m) {
  if (m.op == promql::MatchOp::equal) return m.value.empty();
  const RE2& re = labels::regex(m.value, labels::Dialect::prometheus);
  return !re.ok() || RE2::FullMatch("", re);
}

bool disjoint(const promql::Matcher& a, const promql::Matcher& b) {
  std::string alo, ahi, blo, bhi;
  if (!range(a, alo, ahi) || !range(b, blo, bhi)) return false;
  return ahi < blo || bhi < alo;
}

} // namespace

void drop_disjoint_duplicates(std::vector<core::Diagnostic>& diags, const Input& input, const Options& options) {
  std::erase_if(diags, [&](const core::Diagnostic& d) {
    if (d.check != core::CheckId("rules/duplicate-rule")) return false;
    // The rules of this file with the finding's name, in any group (promtool compares them all):
    // they must be pairwise separable.
    std::vector<const rules::Rule*> same;
    for (const auto& f : input.rule_files) {
      if (f.path != d.span.file && (!f.source || f.source->path() != d.span.file)) continue;
      for (const auto& g : f.groups)
        for (const auto& r : g.rules)
          if (r.name.value == d.rule) same.push_back(&r);
    }
    if (same.size() < 2) return false;
    std::vector<promql::ParseResult> parsed;
    for (const auto* r : same) {
      parsed.push_back(promql::parse(r->expr.value, options.parse));
      if (!parsed.back().ok()) return false;
    }
    const std::map<std::string, RecordedMetric> recorded;
    Inference inf(*options.catalog, nullptr, recorded);
    for (std::size_t i = 0; i < parsed.size(); ++i)
      for (std::size_t j = i + 1; j < parsed.size(); ++j) {
        Shape si = inf.run(*parsed[i].expr()), sj = inf.run(*parsed[j].expr());
        bool separated = false;
        for (const auto& l : si.labels) {
          if (!sj.labels.count(l)) continue; // kept by both
          // Values the model knows on both sides and no value of both.
          auto vi = si.values.find(l), vj = sj.values.find(l);
          if (vi != si.values.end() && vj != sj.values.end() && Inference::present(si, l) &&
              Inference::present(sj, l) &&
              std::none_of(vi->second.begin(), vi->second.end(), [&](const std::string& v) {
                return std::find(vj->second.begin(), vj->second.end(), v) != vj->second.end();
              })) {
            separated = true;
            continue;
          }
          // A selector that fixes the label to non-empty values selects only series that have it.
          auto a = constraint(*parsed[i].expr(), l), b = constraint(*parsed[j].expr(), l);
          separated = separated || (a && b && !matches_empty(*a) && !matches_empty(*b) && disjoint(*a, *b));
        }
        if (!separated) return false;
      }
    return true;
  });
}

} // namespace nsmon::lint
