#pragma once
// The series recording rules write, as metrics other expressions can read (lint-rules' rules,
// gen-dashboards' panels): each with the shape of its rule's result and the labels it adds.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/promql/ast.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::lint {

/// A recording rule with its parsed expression.
struct RecordingRule {
  const rules::Group* group;
  const rules::Rule* rule;
  const promql::Expr* expr;
};

/// The metrics `root` selects, a recording rule's name replaced by what its rules read (and kept
/// too where an exporter may have the name): two expressions that read the same scraped series
/// (RecordedMetric::reads, labels/duplicate-match-group).
std::set<std::string> scraped_reads(const promql::Expr& root, const std::map<std::string, RecordedMetric>& recorded);

/// Two passes, so that a rule may read another's series whatever their order in the files.
std::map<std::string, RecordedMetric> recorded_metrics(const std::vector<RecordingRule>& rules,
                                                       const catalog::Catalog& cat, const TargetLabels* targets);

/// The same for loaded rule files: their recording rules are parsed here (those that do not parse
/// are left out; lint-rules reports them).
std::map<std::string, RecordedMetric> recorded_metrics(const std::vector<rules::RuleFile>& files,
                                                       const catalog::Catalog& cat);

} // namespace nsmon::lint
