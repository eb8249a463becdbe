#pragma once
// catalog/: the metric catalog model and loader; the embedded default catalog.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::catalog {

enum class MetricType { counter, gauge, histogram, summary, info };
const char* to_string(MetricType t);
std::optional<MetricType> parse_metric_type(std::string_view s);

/// What one value of a label stands for, where it is more than a dimension: a `sequence` numbers
/// successive states of one thing (epoch: one series per epoch, the last the current one), an
/// `entity` is one of many short-lived things (image_id: one series per image). Aggregating across
/// such a label picks one state or mixes things: a query that does must say what it means.
enum class LabelRole { none, sequence, entity };

struct Label {
  std::string name;
  std::vector<std::string> values; ///< the fixed value set; empty when open
  bool high_cardinality = false;
  LabelRole role = LabelRole::none;
  std::string help;
};

struct Metric {
  std::string name; ///< the name as exported (counters include _total)
  MetricType type = MetricType::gauge;
  std::string help;
  std::string unit;  ///< seconds, bytes, percent, ratio, count, none
  std::string stage; ///< training, inference, symbolic, knowledge_graph, system, errors, app
  std::string source;
  std::vector<Label> labels;
  std::vector<double> buckets; ///< histograms, without +Inf
  std::vector<std::string> renamed_from;
  std::string extension;    ///< why it was added, when it is not in the seeds
  bool prometheus = false;  ///< a series Prometheus itself adds (up, ALERTS, ...)
  bool open_labels = false; ///< may carry labels beyond `labels` (ALERTS carries rule labels)
  core::Span span;          ///< where it is defined

  const Label* label(std::string_view n) const;
};

/// How a series name seen on the wire or in PromQL relates to a catalog metric.
struct SeriesRef {
  const Metric* metric = nullptr;
  /// "", "_bucket", "_sum", "_count", "_created", "_info": a view of the catalog's index, valid
  /// while the catalog is neither changed nor reindexed (lint resolves a name per selector, often
  /// several times: a copy each time cost more than the look-up).
  std::string_view suffix;
  bool exists = true; ///< false when the name is the metric's but no such series is exported
                      ///< (a histogram's base name, a summary's base name)
};

/// The metric catalog: the contract between the detector and every nsmon check.
class Catalog {
public:
  std::vector<Metric> metrics;            ///< the application's
  std::vector<Metric> prometheus_series;  ///< added by Prometheus
  std::vector<std::string> target_labels; ///< job, instance
  std::vector<std::string> external_prefixes;
  /// The scrape jobs the application's metrics are usually scraped under: without a config, a
  /// selector pinned to another job is about another exporter.
  std::vector<std::string> jobs;
  std::string path; ///< where it was loaded from ("<embedded>" for the default)

  /// A metric (application or Prometheus) by its catalog name.
  const Metric* find(std::string_view name) const;
  /// The metric that `old_name` was renamed to, if any.
  const Metric* renamed_to(std::string_view old_name) const;
  /// Resolves a series name (h_bucket, c_total, c_created, app_info_info, up, ...).
  std::optional<SeriesRef> resolve(std::string_view series) const;
  /// The series names a metric appears as on the wire, in exposition order.
  static std::vector<std::string> wire_names(const Metric& m);
  /// Whether a name belongs to an external namespace that is allowed unchecked.
  bool is_external(std::string_view name) const;
  /// Every series name that can exist (for suggestions and completion).
  std::vector<std::string> all_series_names() const;

  /// Rebuilds the name index used by find() and resolve(); load() calls it. Call it again after
  /// changing `metrics` or `prometheus_series` by hand.
  void reindex();

private:
  struct Entry {
    bool prometheus = false;
    std::size_t index = 0;
    std::string suffix;
    bool exists = true;
  };
  std::unordered_map<std::string, Entry, util::StringHash, std::equal_to<>> by_series_;
  std::unordered_map<std::string, std::size_t, util::StringHash, std::equal_to<>> by_old_name_;
  const Metric& metric_at(const Entry& e) const { return (e.prometheus ? prometheus_series : metrics)[e.index]; }
};

/// Loads a catalog from YAML text. Problems are appended to `diags` with file:line:col;
/// the result holds whatever was valid. Never throws for bad content.
Catalog load(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);

/// The catalog compiled into the binary (rules/catalog.yml at build time).
const Catalog& embedded();
/// `--catalog none`: no metric of its own, every name external (structure and semantic checks only).
const Catalog& none();
/// The embedded catalog's text.
std::string_view embedded_text();

} // namespace nsmon::catalog
