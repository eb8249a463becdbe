#include "nsmon/lint/recorded.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "nsmon/promql/parser.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {
// Whether the expression scales its values by a number (x * 100, x / 0.01): what it records is
// then not the ratio its name may promise.
bool scaled(const promql::Expr& root, const Inference& inf) {
  bool found = false;
  promql::walk(root, [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
    if (n.kind != promql::NodeKind::binary) return !found;
    const auto& b = n.as<promql::BinaryExpr>();
    auto l = inf.constant(b.lhs), r = inf.constant(b.rhs);
    if (b.op == promql::BinaryOp::mul) found = found || (l && std::fabs(*l) > 1) || (r && std::fabs(*r) > 1);
    if (b.op == promql::BinaryOp::div) found = found || (r && std::fabs(*r) < 1);
    return !found;
  });
  return found;
}

// The series of a name that several rules record are those of every rule, as `or` takes them: a
// label all the rules give is certain, one some give a maybe; the label set is closed only where
// every rule's is.
void either(Shape& s, const Shape& other, const Inference& inf) {
  const Shape mine = s;
  for (const auto& x : other.labels) s.labels.insert(x);
  for (const auto& x : s.labels)
    if (!mine.labels.count(x) || !other.labels.count(x) || mine.maybe.count(x) || other.maybe.count(x))
      s.maybe.insert(x);
  s.labels_known = mine.labels_known && other.labels_known;
  s.targets_open =
      !s.labels_known && (mine.labels_known || mine.targets_open) && (other.labels_known || other.targets_open);
  erase_if(s.dropped, [&](const auto& kv) { return !other.dropped.count(kv.first); });
  for (auto it = s.unwritten.begin(); it != s.unwritten.end();)
    it = other.unwritten.count(*it) ? std::next(it) : s.unwritten.erase(it);
  erase_if(s.removed, [&](const auto& kv) { return !inf.absent(other, kv.first); });
  for (const auto& [x, why] : other.removed)
    if (inf.absent(mine, x)) s.removed.emplace(x, why);
  // Not "lacking": a selector may pick the series of some of the rules only (by="instance", a
  // label the rules set), so a label one rule does not give is not surely missing from what it
  // reads.
  erase_if(s.lacking, [&](const auto& kv) { return !other.lacking.count(kv.first); });
  for (auto it = s.values.begin(); it != s.values.end();) {
    auto o = other.values.find(it->first);
    if (o == other.values.end()) {
      it = s.values.erase(it);
      continue;
    }
    it->second.insert(it->second.end(), o->second.begin(), o->second.end());
    std::sort(it->second.begin(), it->second.end());
    it->second.erase(std::unique(it->second.begin(), it->second.end()), it->second.end());
    ++it;
  }
  if (s.empty.empty() || other.empty.empty()) s.empty.clear();
  if (s.nan.empty()) s.nan = other.nan, s.nan_at = other.nan_at, s.nan_inf = other.nan_inf;
  s.closed_by = s.labels_known ? mine.closed_by : "";
  s.aggregated = mine.aggregated && other.aggregated;
}

// What a selector of a recorded name reads. A rule may record a name that is scraped too: pint's
// cases record `foo` from `sum(foo / bar)`, kubermatic records container_cpu_usage_seconds_total
// from itself (to give the VPA a job of its own); what the rules' results lack then says nothing
// about the scraped series.
// - A name with a colon is a recording rule's: Prometheus reserves colons for them, exporters and
//   instrumentation do not use them ("Metric and label naming"). A rule of such a name that reads
//   it accumulates its own output (gardener's probe_failure:run:time:total reads itself [10m]).
// - Any other name may be an exporter's. A rule that reads its own name adds copies to the scraped
//   series: the selector is judged as the scraped metric. Otherwise only a catalog that lists what
//   is scraped can say that nothing scrapes the name: it neither declares it nor leaves it to
//   another exporter (`--catalog none` leaves every name); where it cannot, a selector reads both.
RecordedMetric::Source source_of(const std::string& name, bool self_read, const catalog::Catalog& cat) {
  if (name.find(':') != std::string::npos) return RecordedMetric::Source::rules;
  if (self_read) return RecordedMetric::Source::scraped;
  return cat.resolve(name) || cat.is_external(name) ? RecordedMetric::Source::both : RecordedMetric::Source::rules;
}

bool reads_name(const promql::Expr& root, const std::string& name) {
  bool found = false;
  promql::walk(root, [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
    found = found || (n.kind == promql::NodeKind::vector_selector &&
                      promql::metric_name(n.as<promql::VectorSelector>()) == name);
    return !found;
  });
  return found;
}

} // namespace

std::set<std::string> scraped_reads(const promql::Expr& root, const std::map<std::string, RecordedMetric>& recorded) {
  std::set<std::string> out;
  promql::walk(root, [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
    if (n.kind != promql::NodeKind::vector_selector) return true;
    std::string name = promql::metric_name(n.as<promql::VectorSelector>());
    auto it = recorded.find(name);
    if (it != recorded.end() && it->second.source != RecordedMetric::Source::scraped)
      out.insert(it->second.reads.begin(), it->second.reads.end());
    if (it == recorded.end() || it->second.source != RecordedMetric::Source::rules) out.insert(std::move(name));
    return true;
  });
  return out;
}

void combine_recorded(Shape& s, const Shape& other, const Inference& inf) {
  either(s, other, inf);
  if (s.adds_up != other.adds_up) s.adds_up = nullptr;
  if (other.lo < s.lo || (other.lo == s.lo && !other.lo_open))
    s.lo = other.lo, s.lo_open = other.lo_open, s.range_of = other.range_of;
  if (other.hi > s.hi || (other.hi == s.hi && !other.hi_open))
    s.hi = other.hi, s.hi_open = other.hi_open, s.range_of = other.range_of;
}

std::map<std::string, RecordedMetric> recorded_metrics(const std::vector<RecordingRule>& rules,
                                                       const catalog::Catalog& cat, const TargetLabels* targets) {
  std::map<std::string, RecordedMetric> recorded;
  std::set<std::string> self_read; // names a rule of theirs reads
  for (const auto& r : rules)
    if (reads_name(*r.expr, r.rule->name.value)) self_read.insert(r.rule->name.value);
  for (int pass = 0; pass < 2; ++pass) {
    std::set<std::string> seen; // this pass's names: several rules may record one name
    for (const auto& r : rules) {
      Inference inf(cat, targets, recorded);
      // As the checks read it: a name another directory's rules record may reach this rule's
      // Prometheus with labels its rule does not show (telemetry's _id, external labels), and so
      // may what this rule records from it.
      inf.read_in(r.rule->name.span.file.str(), r.group->ruler == rules::Schema::thanos);
      inf.scoped(r.group->scope);
      RecordedMetric rm{r.rule->name.value, inf.run(*r.expr), r.rule->name.span};
      rm.source = source_of(rm.name, self_read.count(rm.name) > 0, cat);
      if (rm.source != RecordedMetric::Source::scraped) rm.reads = scraped_reads(*r.expr, recorded);
      // The name's promise where the expression proves no range (a ratio of two counters).
      rm.scaled = scaled(*r.expr, inf);
      if (RawFlow flow = raw_flow(inf, r.expr); flow.counter) rm.raw = std::make_shared<const RawFlow>(std::move(flow));
      if (std::string why = ratio_by_name(rm.name); !why.empty() && !rm.scaled) narrow_to_ratio(rm.shape, why);
      rm.shape.labels.insert("__name__");
      for (const auto* list : {&r.group->labels, &r.rule->labels})
        for (const auto& kv : *list) {
          rm.shape.set_label(kv.key.value);
          if (kv.value.value.find("{{") == std::string::npos) rm.shape.values[kv.key.value] = {kv.value.value};
        }
      for (const auto& l : r.group->scope) rm.shape.set_label(l); // the ruler's, with its values
      rm.filters = rm.shape.filters;
      rm.shape.filters = false;
      // Its NaN, as a reader of the series sees it.
      if (!rm.shape.nan.empty() && rm.shape.nan.rfind(rm.name, 0) != 0)
        rm.shape.nan =
            rm.name + (rm.shape.nan_inf ? " can be NaN or infinite" : " can be NaN") + ": in its rule, " + rm.shape.nan;
      // Its range, likewise; the rules of one name together take the values of each.
      if (const std::string why = rm.shape.range_of.text(); !why.empty() && why.rfind(rm.name, 0) != 0) {
        const bool zero_whole = rm.shape.range_of.zero_whole; // a NaN of 0 / 0 stays one when recorded
        rm.shape.range_of = RangeReason(rm.name + ": in its rule, " + why, rm.shape.range_of.comparison);
        rm.shape.range_of.zero_whole = zero_whole;
      }
      if (!seen.insert(rm.name).second) {
        const RecordedMetric& before = recorded[rm.name];
        rm.parts = before.parts.empty() ? std::vector<Shape>{before.shape} : before.parts;
        rm.parts.push_back(rm.shape);
        auto dir = [](const std::string& f) { return f.substr(0, f.rfind('/') + 1); };
        rm.several_dirs = before.several_dirs || dir(before.span.file.str()) != dir(rm.span.file.str());
        rm.several_files = before.several_files || before.span.file.str() != rm.span.file.str();
        rm.filters = rm.filters && before.filters;
        rm.scaled = rm.scaled || before.scaled;
        rm.reads.insert(before.reads.begin(), before.reads.end());
        combine_recorded(rm.shape, before.shape, inf);
      }
      recorded[rm.name] = rm;
    }
  }
  return recorded;
}

std::map<std::string, RecordedMetric> recorded_metrics(const std::vector<rules::RuleFile>& files,
                                                       const catalog::Catalog& cat) {
  std::vector<std::unique_ptr<promql::ParseResult>> parsed;
  std::vector<RecordingRule> rules;
  for (const auto& f : files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules) {
        if (r.is_alert() || util::trim(r.expr.value).empty()) continue;
        parsed.push_back(std::make_unique<promql::ParseResult>(promql::parse(r.expr.value)));
        if (parsed.back()->ok()) rules.push_back({&g, &r, parsed.back()->expr()});
      }
  const TargetLabels targets(cat, nullptr);
  return recorded_metrics(rules, cat, &targets);
}

} // namespace nsmon::lint
