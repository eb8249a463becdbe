#pragma once
// promql/: MetricsQL, VictoriaMetrics' dialect of PromQL that vmalert evaluates, as far as nsmon
// needs it: to tell an expression that PromQL refuses because it is MetricsQL from one that is
// wrong in both. nsmon does not lint MetricsQL.
#include <string>
#include <string_view>

namespace nsmon::promql {

/// How an expression that PromQL refuses reads as MetricsQL.
struct MetricsqlReading {
  /// It parses as PromQL, types aside, once MetricsQL's extensions are read: its functions (by
  /// name, with any arguments), `keep_metric_names`, the `default`, `if` and `ifnot` operators,
  /// an aggregation's `limit N`. MetricsQL converts between types where PromQL refuses (`rate(x)`,
  /// `sum(x[5m])`), so PromQL's type errors do not count. A `WITH` template is only checked for
  /// balanced brackets.
  bool parses = false;
  /// The first extension it uses ("lag", "keep_metric_names", "default", "WITH"); empty when
  /// only PromQL's type rules refuse it.
  std::string extension;
};

/// How `expr` reads as MetricsQL (metricsql's function tables at commit cc09923d, 2026-04-22).
MetricsqlReading read_metricsql(std::string_view expr);

} // namespace nsmon::promql
