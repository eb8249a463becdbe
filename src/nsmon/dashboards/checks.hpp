#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/dashboards/model.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/lint.hpp"

namespace nsmon::dashboards {

/// The checks gen-dashboards adds to lint-rules' expression checks (the dashboards section of
/// core::kChecks), sorted by id.
const std::vector<lint::CheckInfo>& checks();

/// Whether `id` is one of Grafana's unit ids (the list of Grafana's unit schema, embedded).
bool is_grafana_unit(std::string_view id);

/// The Grafana unit id for a catalog unit ("seconds" -> "s", "ratio" -> "percentunit", ...), or
/// "" when there is none.
std::string grafana_unit(std::string_view catalog_unit);

/// Checks a loaded template against the catalog and the dashboard-linter rules: every query
/// parsed with Grafana's variables substituted and run through lint-rules' expression checks,
/// legends against the labels the query keeps, units, titles and descriptions, data sources,
/// variables, $__rate_interval, raw counters. Sets each panel's grafana_unit. Findings are
/// positioned in the template files. `recorded`: the series of the template's `rules:` files
/// (lint::recorded_metrics), which its queries may read like catalog metrics.
/// `facts`: the alerts and SLOs of the template's `rules:` and `slos:` files, which descriptions
/// (`{alert:NAME}`, `{slo:NAME}`) and `slo:` thresholds take their words and numbers from.
void check(Template& t, const catalog::Catalog& cat, const std::map<std::string, lint::RecordedMetric>& recorded,
           const RuleFacts& facts, std::vector<core::Diagnostic>& out);
void check(Template& t, const catalog::Catalog& cat, std::vector<core::Diagnostic>& out);

} // namespace nsmon::dashboards
