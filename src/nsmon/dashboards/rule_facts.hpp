#pragma once
// What a template's `rules:` and `slos:` files say that its descriptions and thresholds would
// otherwise repeat by hand (STYLE: words that restate a rule are generated from the rule).
#include <vector>

#include "nsmon/dashboards/model.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::dashboards {

/// The alerts of `files` by name: expression, for, severity label. (The SLOs come from slo/'s
/// specs, which the caller reads: slo/ lies above this folder.)
RuleFacts rule_facts(const std::vector<rules::RuleFile>& files);

} // namespace nsmon::dashboards
