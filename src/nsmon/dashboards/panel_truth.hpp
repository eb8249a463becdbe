#pragma once
// What a panel shows against what it seems to show (issue 57), checked statically for each
// parsed query and then for the panel: a dashboard variable applied to series without its label,
// or ignored by a panel on series without it (`dashboards/variable-label`); a quantile that blends
// what a variable selects into one line (`dashboards/quantile-blend`); a threshold that a
// quantile's buckets cannot resolve, or a latency SLO the panel names whose bound is no bucket bound
// of its histogram (`dashboards/bucket-threshold`); a threshold that contradicts
// the SLO or alert the description cites (`dashboards/threshold-cited`); a recorded series that the
// prometheus.yml beside its rule file does not load (`dashboards/rule-not-loaded`). check() runs
// them; lint-rules' expression checks and the dashboard-linter rules stay in checks.cpp.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/dashboards/model.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/promql/ast.hpp"

namespace nsmon::dashboards {

/// An `{alert:NAME}` or `{slo:NAME}` of a panel's description, where it was written.
struct Citation {
  std::string kind; ///< "alert" or "slo"
  std::string name;
  core::Span span;
};

class PanelTruth {
public:
  using SpanOf = std::function<core::Span(promql::PosRange)>;
  PanelTruth(const Template& t, const catalog::Catalog& cat, const RuleFacts& facts,
             std::vector<core::Diagnostic>& out);

  /// Before the queries of `p`.
  void begin(const Panel& p);
  /// One parsed query of the panel: its tree, the shapes `inf` found for it, its positions.
  void query(const promql::Expr& root, const lint::Inference& inf, const SpanOf& span);
  /// After the queries, once the panel's unit is known; `cited`: what its description names.
  void end(const std::vector<Citation>& cited);

private:
  struct LabelVariable {
    std::string variable, label;
    bool multi = true;
  };
  // Per label variable, what the panel's selectors do with it.
  struct Use {
    bool filtered = false;            ///< a matcher of the label with the variable
    bool may_carry = false;           ///< a selector without it whose series carry the label
    bool unknown = false;             ///< a selector whose series nobody says carry the label or not
    std::vector<std::string> without; ///< selectors whose series cannot carry the label
  };

  void matchers(const promql::VectorSelector& vs, const lint::Inference& inf, const SpanOf& span);
  void blend(const promql::Expr& quantile, const promql::Expr& input, const lint::Inference& inf, const SpanOf& span);
  void buckets(const promql::Call& c, const promql::Expr& root, const lint::Inference& inf, const SpanOf& span);
  void loaded(const promql::VectorSelector& vs, const lint::Inference& inf, const SpanOf& span);
  void slo_bound(const std::string& slo, const core::Span& at);
  const LabelVariable* variable_of(const promql::Matcher& m) const;

  const Template& t_;
  const catalog::Catalog& cat_;
  const RuleFacts& facts_;
  std::vector<core::Diagnostic>& out_;
  std::vector<LabelVariable> variables_; ///< the dashboard's variables of a label other than job, instance
  const Panel* p_ = nullptr;
  std::map<std::string, Use> uses_; ///< by variable, for the panel
  std::set<std::string> metrics_;   ///< the metric names the panel's selectors read
};

} // namespace nsmon::dashboards
