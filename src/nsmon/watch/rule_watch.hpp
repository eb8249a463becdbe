#pragma once
// watch --rules. `watch/rule_watch.*` is the glue between a watch session and the engine:
// `session.cpp` hands it each scrape (every sample, from the same parse as the stats:
// `endpoint_source(..., keep_samples)` has `parse_snapshot` fill a `ScrapedSamples`, each sample
// named by its exposition text; stamped with the wall-clock time the fetch started) and asks it to
// evaluate when `next_due()` has passed; it stores every sample in its `engine::Storage` (a series
// found by that text, one hash lookup) with Prometheus's target labels (at its own timestamp when
// the exposition gives one), `up` and staleness markers, runs
// `ruletest::GroupEvaluator::eval_group` for each group on its slots (multiples of its interval),
// diffs the evaluator's alerts into `RuleEvent`s (pending, firing, resolved, assertion verdicts,
// rule errors) for the sinks, and keeps the store bounded (`trim`: the window, then the memory
// estimate). `watch/record.*` writes the store as a rule test (re-evaluated with the same evaluator
// for its expected alerts) or OpenMetrics. `cli/cmd_watch.cpp` only loads the files (`load_rules`,
// positioned errors through `check_loaded`) and picks the exit code (`kAlertFired`).
//
// `watch --rules`: the scraped samples kept in a bounded engine::Storage, the rule groups evaluated
// when they are due as Prometheus's rule manager evaluates them (ruletest::GroupEvaluator:
// recording rules written back, pending/firing with `for`, keep_firing_for, resolved, templates
// expanded), the --assert conditions, and what changed, for the sinks.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nsmon/engine/engine.hpp"
#include "nsmon/expfmt/parser.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/ruletest/evaluator.hpp"
#include "nsmon/ruletest/loader.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/watch/snapshot.hpp"

namespace nsmon::watch {

/// Milliseconds since the epoch (Prometheus's sample and evaluation times).
std::int64_t now_ms();

/// Severity order for --fail-on-alert: info < warning < error < critical < page; 0 for any other
/// value (or none).
int severity_rank(std::string_view severity);

/// One alert instance and what happened to it during the run (the summary's rows and the live
/// block's alert line).
struct AlertRecord {
  std::string name;
  std::string severity;
  engine::Labels labels; ///< alertname included
  engine::Labels annotations;
  std::string state; ///< "pending", "firing", "inactive" (resolved)
  double value = 0;
  std::int64_t active_at = 0; ///< ms
  std::int64_t fired_at = -1;
  std::int64_t resolved_at = -1;
};

/// A transition, an assertion verdict or a rule error, stamped with the evaluation time.
struct RuleEvent {
  enum class Kind { pending, firing, resolved, assert_failed, assert_holds, rule_error };
  Kind kind = Kind::pending;
  std::int64_t t = 0;  ///< evaluation time (ms)
  AlertRecord alert;   ///< pending, firing, resolved
  std::string subject; ///< the assertion's text, or "group/rule" of a rule error
  std::string message; ///< a rule error's, or what an assertion returned
};
const char* to_string(RuleEvent::Kind k);

/// What the sinks show: the alerts now pending or firing, every alert instance seen, assertions.
struct RulesStatus {
  std::vector<AlertRecord> active;  ///< pending and firing now, firing first, by severity
  std::vector<AlertRecord> history; ///< every instance that was pending or firing, in order of activation
  std::vector<std::string> failed_asserts;
  /// Never checked on data: each time, none of the series it selects had been scraped. At the
  /// end of the run (RuleWatch::finish) such an assertion fails the run: it held on nothing.
  std::vector<std::string> unchecked_asserts;
  std::size_t asserts = 0;
  std::size_t evaluations = 0; ///< group evaluations
  std::size_t rule_errors = 0;
  std::size_t series = 0, points = 0;
  std::int64_t window_ms = 0; ///< what the store keeps now (less than asked when memory ran short)
  std::int64_t start_ms = 0;  ///< when the run started (ms)
  bool failed = false;        ///< an alert at --fail-on-alert or an assertion failed
  std::string failure;        ///< why, in words
};

struct RuleWatchOptions {
  std::int64_t default_interval_ms = 60'000; ///< groups without `interval` (Prometheus's evaluation_interval)
  std::int64_t window_ms = 0;                ///< 0: what the rules read back, at least 15m
  std::size_t max_bytes = 256u << 20;        ///< the store's memory estimate
  std::string job = "nsmon-watch";           ///< target labels added to every scraped sample
  std::string instance;
  std::optional<int> fail_rank; ///< fail when an alert of at least this severity rank fires (0: any)
  engine::Labels external_labels;
  std::int64_t start_ms = 0; ///< the run's start (ms); 0: now (tests give a fixed time)
  /// Keep every scraped series (--record), not only those of the metric names the rules and
  /// assertions select.
  bool keep_all = false;
};

/// How far back the rules and assertions read (ranges, offsets, subqueries, the 5m lookback).
std::int64_t reach_ms(const ruletest::LoadedRules& loaded);

/// The metric names the rules and assertions select (sorted, unique); nullopt when a selector
/// names none (`{job="x"}`, `{__name__=~"..."}`): then every series may be read.
std::optional<std::vector<std::string>> selected_names(const ruletest::LoadedRules& loaded);

class RuleWatch {
public:
  /// `loaded` must outlive the RuleWatch.
  RuleWatch(const ruletest::LoadedRules& loaded, RuleWatchOptions options);
  ~RuleWatch();

  /// A scrape that started at `t`: every sample (with job and instance added, `up` = 1) at `t`,
  /// or at its own timestamp when the exposition gives one; stale markers for the series the
  /// previous scrape had (without a timestamp) and this one has not. The assertions are
  /// checked at `t`: the verdicts that changed.
  std::vector<RuleEvent> scraped(const ScrapedSamples& samples, std::int64_t t);
  /// The same for an exposition (parse_snapshot's samples); malformed lines are skipped.
  std::vector<RuleEvent> scraped(std::string_view body, expfmt::Format format, std::int64_t t);
  /// A failed scrape at `t`: `up` = 0 and every series of the previous scrape stale.
  std::vector<RuleEvent> scrape_failed(std::int64_t t);

  /// When the next group is due (ms).
  std::int64_t next_due() const;
  /// Evaluates the groups due at or before `now`, each at its slot time; the alerts' transitions
  /// and the rules' errors, in time order.
  std::vector<RuleEvent> evaluate(std::int64_t now);

  /// The run is over: an assertion never checked on data fails it (RulesStatus::unchecked_asserts).
  void finish();
  /// --fail-on-alert or an assertion: the run's exit status says whether the rules held.
  bool gate() const { return o_.fail_rank.has_value() || !loaded_.asserts.empty(); }

  const RulesStatus& status() const { return status_; }
  /// The store (for --record).
  const engine::Storage& storage() const { return storage_; }
  /// Names the rules write (records, ALERTS, ALERTS_FOR_STATE): not scraped, not recorded.
  bool written_by_rules(const std::string& name) const;
  const ruletest::LoadedRules& loaded() const { return loaded_; }
  /// The interval between two evaluations of the most frequent group.
  std::int64_t min_interval_ms() const;
  /// The times an evaluation of the run could read (ms): from the longest window the rules read
  /// before the first scrape to the last scrape. A sample stamped outside them by its exporter
  /// (seconds read as milliseconds, a clock years off) was never read. {INT64_MAX, INT64_MIN}
  /// before any scrape.
  std::pair<std::int64_t, std::int64_t> readable_span() const;

private:
  void trim(std::int64_t now);
  engine::Labels target_labels(std::string_view key) const;
  void begin_scrape(std::int64_t t);
  std::vector<RuleEvent> end_scrape(std::int64_t t, double up_value);
  void mark_stale(std::int64_t t);
  void check_asserts(std::int64_t t, std::vector<RuleEvent>& events);
  void update_alerts(std::int64_t t, std::vector<RuleEvent>& events);

  const ruletest::LoadedRules& loaded_;
  RuleWatchOptions o_;
  engine::Storage storage_;
  std::unique_ptr<ruletest::GroupEvaluator> eval_;
  std::vector<std::int64_t> next_; ///< per group: the next slot
  struct Scraped {
    engine::Series* series = nullptr; ///< null: a series no rule or assertion selects, not kept
    std::uint64_t seen = 0;           ///< the last scrape (generation_) that had it
  };
  /// Scraped series by the text that names them in the exposition (ScrapedSamples::key).
  std::unordered_map<std::string, Scraped, util::StringHash, std::equal_to<>> scraped_;
  std::uint64_t generation_ = 1;       ///< 1 + scrapes so far, failed ones included (a seen of 0: never)
  std::size_t seen_ = 0;               ///< series this scrape (generation_) had
  std::size_t kept_ = 0;               ///< of those, the ones the previous scrape had too
  std::size_t seen_before_ = 0;        ///< series the previous scrape had
  std::int64_t oldest_ms_ = INT64_MAX; ///< no point of the store is older (a lower bound)
  std::vector<std::string> written_;   ///< names the rules write (sorted)
  /// The metric names kept from scrapes (sorted); nullopt: all (keep_all, or a selector without one).
  std::optional<std::vector<std::string>> kept_names_;
  std::vector<AlertRecord> known_; ///< by alert key: the last state seen
  std::vector<bool> assert_failed_;
  std::vector<bool> assert_checked_; ///< evaluated at least once with series to check
  std::int64_t window_ms_ = 0;
  std::int64_t first_scrape_ms_ = INT64_MAX, last_scrape_ms_ = INT64_MIN;
  bool shrunk_ = false;
  RulesStatus status_;
};

} // namespace nsmon::watch
