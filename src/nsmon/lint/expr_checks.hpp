#pragma once
#include <optional>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/promql/ast.hpp"
#include "nsmon/rules/config.hpp"

namespace nsmon::lint {

/// A histogram bucket bound as its le label reads: as prometheus_client writes it and Prometheus 3
/// normalises it, Go's shortest %g with ".0" added to a whole number ("1.0", "0.25", "1e+06",
/// "+Inf").
std::string le_label(double bound);

/// The checks of lint-rules that look at one PromQL expression on its own: catalog names, labels
/// and values, rate on gauges, histogram_quantile misuse, quantile ranges, vector matching, units,
/// raw counters in comparisons, rate windows (with a config). lint-rules runs them on every rule,
/// gen-dashboards on every panel query; each says where a finding goes through emit().
class ExprChecks {
public:
  /// `names`: every series name that can exist (catalog and recording rules), for suggestions.
  ExprChecks(const catalog::Catalog& cat, Inference& inf, const rules::Config* cfg,
             const std::vector<std::string>& names)
      : inf_(inf), cat_(cat), cfg_(cfg), names_(names) {}
  virtual ~ExprChecks() = default;

  /// Runs the checks on every node of `root`; Inference::run must have been called on it.
  void check(const promql::Expr& root);

protected:
  /// A finding at bytes `range` of the expression, at `severity` (the check's default, or lower
  /// where the claim rests on a convention only).
  virtual void emit(core::CheckId check, promql::PosRange range, std::string message, std::string suggestion,
                    core::Severity severity) = 0;
  /// A selector of a metric the catalog does not define and whose name is no near miss of one of
  /// the catalog's: another exporter's, most likely. By default a catalog/unknown-metric finding
  /// here; lint-rules collects them and reports them once per exporter (Analysis).
  virtual void foreign_metric(const promql::VectorSelector& vs, const std::string& name, promql::PosRange at,
                              std::string suggestion);
  /// A selector of a recording rule's name (level:metric:operations) that no rule of the files
  /// records. `sure`: the catalog does not know the name either (it judges every name); otherwise
  /// the name is another exporter's as far as the catalog goes (--catalog none), and only the
  /// rules of the files can tell. By default a finding here when sure; lint-rules collects them
  /// and reports once per name (Analysis).
  virtual void unrecorded(const promql::VectorSelector& vs, const std::string& name, promql::PosRange at, bool sure,
                          std::string suggestion);
  /// A selector of a name a well-known exporter renamed, or of one that replaced such names
  /// (catalog::Exporters::renamed): lint-rules judges them over all the files (Analysis).
  virtual void exporter_rename(const promql::VectorSelector&, const std::string&, promql::PosRange) {}
  /// A selector of a metric named as a well-known exporter's own (catalog::Exporters::by_prefix):
  /// lint-rules judges its job over all the files (Analysis).
  virtual void exporter_selector(const promql::VectorSelector&, const std::string&, promql::PosRange) {}
  /// A selector of one of the application's own metrics (lint-rules learns its jobs from them).
  virtual void app_selector(const promql::VectorSelector&) {}
  /// Whether another alert of the rule's group fires on absent() of the comparison at `filter`
  /// (of this expression's text): it covers the case where no series passes it.
  virtual bool absent_alerted(promql::PosRange) const { return false; }

  Inference& inf_;
  bool in_alert_ = false;     ///< the expression is an alert's (topk/bottomk flap)
  bool uses_absent_ = false;  ///< set by check(): the alert is absent() of series
  bool absent_stale_ = false; ///< ... of series one missed scrape marks stale (not up, scrape_*)
  bool metricsql_ = false;    ///< the expression runs on vmalert (a group nsmon knows is vmalert's)

private:
  class Impl;
  const catalog::Catalog& cat_;
  const rules::Config* cfg_;
  const std::vector<std::string>& names_;
};

} // namespace nsmon::lint
