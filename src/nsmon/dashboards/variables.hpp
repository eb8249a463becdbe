#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/promql/ast.hpp"

namespace nsmon::dashboards {

struct Variable;

/// The `allValue` of a variable: what Grafana writes for its "All" option. `.+` for the built-in
/// label variables (job, instance, model) of type query: every series that has the label, also
/// one whose value appeared after the dashboard loaded, as grafana/dashboard-linter's
/// template-job-rule and template-instance-rule want. Empty for the others: Grafana then writes
/// the variable's current values as a regex, `(a|b|c)`.
std::string all_value(const Variable& v);

/// A Grafana variable reference in a query: `$name`, `${name}`, `${name:format}` or the
/// deprecated `[[name]]`.
struct VariableRef {
  std::string name;
  std::size_t begin = 0, end = 0; ///< bytes in the original query
  bool in_string = false;         ///< inside a PromQL string (a matcher value)
  bool in_range = false;          ///< inside [...] (a range or subquery window)
};

/// A query with its Grafana variables replaced so that the PromQL front end can parse it, and
/// the way back from the parsed text to the original bytes.
///
/// Inside strings a reference stays as it is (`job=~"$job"` is a valid matcher); in `[...]` it
/// becomes the duration `5m`; elsewhere the number `1`.
struct Substituted {
  std::string text;
  std::vector<VariableRef> refs;
  /// The bytes [begin, end) of the original query that the parsed bytes [range) came from.
  promql::PosRange original(promql::PosRange range) const;

  std::vector<std::size_t> from_begin, from_end; ///< per byte of `text`
};

Substituted substitute_variables(std::string_view query);

/// `query` with each variable reference (as substitute_variables finds them) replaced by
/// `value(ref)`: the text Grafana writes there (dashboard tests evaluate the result).
std::string interpolate(std::string_view query, const std::function<std::string(const VariableRef&)>& value);

/// A value of a multi-value or "All" variable as Grafana's Prometheus data source writes it into
/// a matcher's string (prometheusSpecialRegexEscape): regex metacharacters escaped with `\\`.
std::string prometheus_regex_escape(std::string_view value);

/// Grafana's global variables ($__rate_interval, $__range, ...).
bool is_global_variable(std::string_view name);

/// The label names a legend format uses: `{{label}}`, with their byte ranges in the legend.
struct LegendRef {
  std::string label;
  std::size_t begin = 0, end = 0;
};
std::vector<LegendRef> legend_labels(std::string_view legend);

} // namespace nsmon::dashboards
