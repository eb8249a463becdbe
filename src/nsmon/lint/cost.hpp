#pragma once
// What one evaluation of a rule reads: estimated offline from the catalog and the config, counted
// exactly by a server (Prometheus's stats=all), and the rules that read far more than the rest.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/promql/ast.hpp"
#include "nsmon/rules/config.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::lint {

struct Policy;

/// One evaluation of an expression: the series it reads and returns, the samples it reads.
struct Estimate {
  double series_read = 0;
  double series = 0; ///< returned
  double samples = 0;
};

/// The series a recording rule writes (as many as its expression returns) and how often.
struct RecordedSeries {
  double series = 0;
  std::int64_t interval_ms = 0;
  std::map<std::string, double> values; ///< distinct values of the labels it keeps, where known
};

/// The catalog has no series counts, so a selector counts, for each label it leaves open, the
/// values the label can take: its fixed values (those a matcher accepts), 1 for an open label and
/// kHighCardinality for a high-cardinality one; a _bucket series counts its buckets; each comes
/// from every static target of its job in the config (one without a config). A range reads a
/// sample per scrape interval of its job (the config's; Prometheus's default 1m without one) or
/// per evaluation of the recording rule it reads; a subquery reads its inside once per step.
/// Aggregations, functions and operators carry series counts through as Prometheus would (sum by
/// (l) keeps l's values, a one-to-one match the smaller side). No recursion: any depth is fine.
class CostModel {
public:
  static constexpr double kHighCardinality = 100;

  CostModel(const catalog::Catalog& cat, const rules::Config* cfg) : cat_(cat), cfg_(cfg) {}

  /// Learns what each recording rule writes, in as many passes as chains of recordings need
  /// (at most 8): rules reading recordings that read recordings.
  void learn(const std::vector<RecordingRule>& recordings);

  /// One evaluation of `e` in a group evaluated every `interval_ms`; nullopt when it reads a
  /// metric neither the catalog nor a recording rule knows (another exporter's: no guess).
  std::optional<Estimate> estimate(const promql::Expr& e, std::int64_t interval_ms) const;

  /// A group's evaluation interval: its own, the config's, or Prometheus's default 1m.
  std::int64_t interval_of(const rules::Group& g) const;

private:
  struct Node;
  Node evaluate(const promql::Expr& e, std::int64_t interval_ms) const;
  Node selector(const promql::VectorSelector& vs) const;
  struct Scrape {
    std::int64_t interval_ms;
    double targets;
  };
  Scrape scrape_of(const promql::VectorSelector& vs, bool every_job) const;

  const catalog::Catalog& cat_;
  const rules::Config* cfg_;
  std::map<std::string, RecordedSeries> recorded_;
};

/// One rule's cost: the estimate and, when a server answered, its exact count.
struct RuleCost {
  const rules::RuleFile* file = nullptr;
  const rules::Group* group = nullptr;
  const rules::Rule* rule = nullptr;
  std::int64_t interval_ms = 60000;     ///< the group's evaluation interval
  std::optional<Estimate> estimate;     ///< nullopt: a metric the catalog cannot count
  std::optional<double> server_samples; ///< the server's count (stats=all totalQueryableSamples)
  bool explained = false;               ///< rules/expensive-range said why: no second finding
};

/// rules/cost (from the estimates) or, when `exact`, server/cost (from the server's counts): the
/// rules reading at least the policy's cost_min_samples in one evaluation and at least
/// cost_ratio times the median rule's samples per second (a rule's samples over its group's
/// interval: a heavy rule in a slow group is the cheap form). Judged among three rules or more.
std::vector<core::Diagnostic> cost_outliers(const std::vector<RuleCost>& costs, const Policy& policy, bool exact,
                                            const rules::Config* cfg);

/// --cost: every rule, heaviest first (the server's count where there is one, else the
/// estimate), as a table and as JSON.
std::string render_cost_table(std::vector<RuleCost> costs);
nlohmann::ordered_json cost_json(std::vector<RuleCost> costs);

} // namespace nsmon::lint
