#pragma once
// Dashboard tests (nsmon extension of the unit-test file): the templates of `dashboards:`
// loaded as gen-dashboards loads them, each panel test's panel found and its queries made what
// Grafana sends (variables interpolated), and the legends Grafana draws.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/ruletest/runner.hpp"

namespace nsmon::ruletest {

/// Loads the templates `file.dashboards` names (relative to the test file) into `p.dashboards`,
/// their text added to `sources`; every problem is a positioned error in `diags`. Reads files.
/// With options.check_dashboard, each is then made what gen-dashboards renders.
void load_dashboards(PreparedFile& p, const RunOptions& options, core::SourceSet& sources,
                     std::vector<core::Diagnostic>& diags);

/// The panel of `t`, its queries interpolated as Grafana would at eval_time (variables, $__range,
/// $__rate_interval from `interval_ms`, the test's scrape interval) and parsed. An unknown
/// dashboard, panel or variable, or a query that does not parse, is a positioned error.
PreparedFile::PanelRun prepare_panel_test(const PreparedFile& p, const PanelTest& t, std::int64_t interval_ms,
                                          const RunOptions& options, std::vector<core::Diagnostic>& diags);

/// What Grafana makes of a query with format heatmap (a histogram's buckets): the series sorted by
/// `le` and each one's value less the bucket below it (of the same other labels), so that each
/// bucket shows its own count. A value whose `le` is not a number is left as it is.
void as_buckets(std::vector<engine::Sample>& series);
/// The same at every step of a range query's result.
void as_buckets(std::vector<engine::Series>& matrix);

/// What a stat, gauge or bargauge shows of a series of a range query: Grafana's reducer
/// (`lastNotNull`, `last`, `mean`, `max`, `min`, `sum`, `count`) over its values, a step the
/// series has no sample at being a null. NaN when nothing is left to reduce.
double reduce(std::string_view reducer, const std::vector<std::optional<double>>& values);

/// The colour a panel's thresholds give `v`: the last step whose value is at most `v`, the base
/// colour below the first step (and for NaN, which no comparison holds for).
std::string threshold_color(const dashboards::Panel& p, double v);

/// A series' name in the panel, as Grafana renders a legendFormat: `{{label}}` replaced by the
/// label's value ("" when absent); an empty format (Grafana's auto): `name{a="b", ...}`, or the
/// query itself for a series without labels.
std::string render_legend(std::string_view format, const labels::Labels& ls, std::string_view query);

} // namespace nsmon::ruletest
