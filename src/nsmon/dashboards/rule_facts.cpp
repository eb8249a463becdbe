#include "nsmon/dashboards/rule_facts.hpp"

#include "nsmon/text/duration.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::dashboards {

RuleFacts rule_facts(const std::vector<rules::RuleFile>& files) {
  RuleFacts facts;
  for (const auto& file : files)
    for (const auto& g : file.groups)
      for (const auto& rule : g.rules) {
        if (!rule.is_alert()) continue;
        auto& a = facts.alerts[rule.name.value];
        a.expr = std::string(util::trim(rule.expr.value));
        if (rule.for_ && rule.for_->ms > 0) a.for_ = text::format_duration(rule.for_->ms);
        for (const auto& kv : rule.labels)
          if (kv.key.value == "severity") a.severity = kv.value.value;
      }
  return facts;
}

} // namespace nsmon::dashboards
