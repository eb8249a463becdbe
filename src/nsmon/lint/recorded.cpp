#include "nsmon/lint/recorded.hpp"

#include <memory>

#include "nsmon/promql/parser.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

std::map<std::string, RecordedMetric> recorded_metrics(const std::vector<RecordingRule>& rules,
                                                       const catalog::Catalog& cat, const TargetLabels* targets) {
  std::map<std::string, RecordedMetric> recorded;
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& r : rules) {
      Inference inf(cat, targets, recorded);
      RecordedMetric rm{r.rule->name.value, inf.run(*r.expr), r.rule->name.span};
      rm.shape.labels.insert("__name__");
      for (const auto* list : {&r.group->labels, &r.rule->labels})
        for (const auto& kv : *list) {
          rm.shape.set_label(kv.key.value);
          if (kv.value.value.find("{{") == std::string::npos) rm.shape.values[kv.key.value] = {kv.value.value};
        }
      rm.shape.filters = false;
      // Its NaN, as a reader of the series sees it.
      if (!rm.shape.nan.empty() && rm.shape.nan.rfind(rm.name, 0) != 0)
        rm.shape.nan = rm.name + " can be NaN: in its rule, " + rm.shape.nan;
      recorded[rm.name] = rm;
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
