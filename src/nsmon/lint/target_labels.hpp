#pragma once
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/label_set.hpp"
#include "nsmon/promql/ast.hpp"
#include "nsmon/rules/config.hpp"

// Which labels the series of each scrape job carry, read from prometheus.yml the way Prometheus
// builds them: static_configs labels, service discovery, relabel_configs, honor_labels and
// metric_relabel_configs. Without a config, target labels other than job and instance are unknown.

namespace nsmon::lint {

/// What is known about one label on the series of a scrape job.
enum class Presence { absent, maybe, present };

/// The labels of a job's series: the named ones with what is known of each, and whether names
/// that are not listed may appear (service discovery, labelmap, a templated target_label).
struct LabelFacts {
  std::map<std::string, Presence> named;
  bool open = false;
  /// Labels a labeldrop or labelkeep removed, with where (for the finding's message).
  LabelMap<std::string> dropped;

  Presence presence(const std::string& name) const;
  void set(const std::string& name, Presence p);
  /// One relabel rule, as Prometheus's relabel.Process applies it (series drops aside);
  /// `where` names the list, for dropped labels.
  void apply(const rules::RelabelRule& r, const std::string& where);

private:
  void open_all();
};

/// The target labels of every job of a config, built once per run and shared by the rules.
class TargetLabels {
public:
  struct Job {
    std::string name;      ///< empty for the stand-in job of "no config"
    bool name_kept = true; ///< the job label is job_name (no relabel rule may rewrite it)
    LabelFacts targets;    ///< after relabel_configs: on up, scrape_* and every scraped series
    const rules::ScrapeJob* job = nullptr;
  };

  TargetLabels(const catalog::Catalog& cat, const rules::Config* cfg);

  /// The jobs whose series a selector may select, narrowed by its job="..."/job!="..." matchers
  /// (all jobs when no job is left: another check's business).
  std::vector<const Job*> jobs_for(const promql::VectorSelector& vs) const;
  /// The labels of a job's scraped series whose exposition carries `own`: the target labels (a
  /// clash renames the exposed label exported_<name> unless honor_labels), then
  /// metric_relabel_configs.
  LabelFacts scraped(const Job& j, const std::set<std::string>& own) const;
  /// scraped() for the series of a catalog metric (own: its labels, and le for a histogram's
  /// _bucket), computed once per job and metric: every selector of the metric asks. Thread-safe;
  /// the result lives as long as this object.
  const LabelFacts& scraped(const Job& j, const catalog::Metric& m, bool bucket) const;
  /// What the series of a catalog metric (its buckets, when `bucket`) carry across the jobs that
  /// may scrape them (jobs_for a selector): `labels` any of them carries, with __name__; `maybe`
  /// those that some lack; `dropped` those a relabel rule removed from all; `open` whether labels
  /// not named may appear. Computed once per metric and jobs: thread-safe, lives as long as this.
  struct Selected {
    LabelSet labels, maybe;
    LabelMap<std::string> dropped;
    bool open = false;
  };
  const Selected& selected(const catalog::Metric& m, bool bucket, const std::vector<const Job*>& jobs) const;
  /// One of the catalog's own label names. No unknown target label has one of these names: it
  /// would rename the application's labels to exported_<name> (or, with honor_labels, be lost).
  bool in_vocabulary(const std::string& name) const { return vocabulary_.count(name) > 0; }
  /// Every job of the config (one stand-in job without a config).
  const std::vector<Job>& jobs() const { return jobs_; }

private:
  std::vector<Job> jobs_;
  std::set<std::string> vocabulary_;
  mutable std::mutex memo_mutex_;
  mutable std::map<std::tuple<const Job*, const catalog::Metric*, bool>, LabelFacts> memo_;
  mutable std::mutex selected_mutex_; // taken before memo_mutex_ (selected() calls scraped())
  mutable std::map<std::tuple<const catalog::Metric*, bool, std::vector<const Job*>>, Selected> selected_;
};

} // namespace nsmon::lint
