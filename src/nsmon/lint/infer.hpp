#pragma once
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/label_set.hpp"
#include "nsmon/lint/target_labels.hpp"
#include "nsmon/promql/ast.hpp"
#include "nsmon/rules/config.hpp"

namespace nsmon::lint {

/// Whether values behave like a counter (only go up) or not.
enum class ValueKind { unknown, counter, gauge };

/// What the linter knows about the result of an expression node. A label is "proved absent"
/// (Inference::absent) or not known to be; only the former is a finding.
struct Shape {
  bool labels_known = false; ///< no result series carries a label outside `labels`
  LabelSet labels;           ///< labels result series may carry (all of them if labels_known)
  LabelSet maybe;            ///< those of `labels` that some result series may lack
  /// Beyond `labels`, only target labels that the config does not name (no config, service
  /// discovery, labelmap) may appear: never one of the catalog's own label names.
  bool targets_open = false;
  std::map<std::string, std::string> dropped; ///< labels the config removes from every series, and where
  ValueKind kind = ValueKind::unknown;
  std::string unit;        ///< the catalog unit while it survives (seconds, bytes, percent, ratio)
  std::string bucket_unit; ///< a histogram's buckets: the unit of their le bounds, which a quantile takes
  std::string unit_of;     ///< whose unit it is, for messages ("confidence_scores", "the quantile of ...")
  bool filters = false;    ///< may return fewer series than its input (comparison, absent, ...)
  bool aggregated = false; ///< the values are an aggregation across series
};

/// A recording rule, as a metric other rules can use.
struct RecordedMetric {
  std::string name;
  Shape shape;
  core::Span span;
};

/// What a vector selector's metric name refers to.
struct SeriesInfo {
  enum class Origin { catalog, recording, external, unknown, none } origin = Origin::unknown;
  std::string name;
  const catalog::Metric* metric = nullptr; ///< catalog
  std::string suffix;                      ///< catalog: "_bucket", "_total", ...
  bool exists = true;                      ///< catalog: false for a histogram's base name
  const RecordedMetric* recorded = nullptr;
};

/// Infers label sets, counter-ness and units bottom-up, without recursion.
class Inference {
public:
  /// `targets`: the config's target labels, built once per run; nullptr: no config.
  Inference(const catalog::Catalog& cat, const TargetLabels* targets,
            const std::map<std::string, RecordedMetric>& recorded)
      : cat_(cat), targets_(targets), recorded_(recorded) {
    if (!targets_) {
      own_targets_ = std::make_unique<TargetLabels>(cat, nullptr);
      targets_ = own_targets_.get();
    }
  }

  SeriesInfo series(const promql::VectorSelector& vs) const;
  /// Labels every series of a catalog metric carries once scraped (catalog labels, le, target labels).
  LabelSet scraped_labels(const catalog::Metric& m, const std::string& suffix) const;

  /// Computes shapes for every node of the tree; returns the root's.
  Shape run(const promql::Expr& root);
  /// The shape of a node of a tree run() saw (nothing known for others); valid until the next run().
  const Shape& at(const promql::Expr* e) const;
  /// Whether no series of `s` can carry `label` (a closed label set without it, a label the
  /// config drops, or a catalog label name where only unknown target labels may be added).
  bool absent(const Shape& s, const std::string& label) const;

private:
  Shape leaf(const promql::VectorSelector& vs) const;
  Shape node(const promql::Expr& e) const;
  Shape call(const promql::Call& c) const;
  Shape binary(const promql::BinaryExpr& b) const;
  Shape aggregate(const promql::AggregateExpr& a) const;

  const catalog::Catalog& cat_;
  const TargetLabels* targets_;
  std::unique_ptr<TargetLabels> own_targets_;
  const std::map<std::string, RecordedMetric>& recorded_;
  std::vector<Shape> shapes_;                                      ///< of the nodes run() saw
  std::vector<std::pair<const promql::Expr*, std::size_t>> index_; ///< node -> shape, by node
};

/// `e` with parentheses removed.
const promql::Expr* unparen(const promql::Expr* e);

/// Whether a function turns counter samples into per-second or total increases.
bool is_rate_function(std::string_view name);

} // namespace nsmon::lint
