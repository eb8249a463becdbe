#pragma once
// backtest/: `nsmon backtest`: the alerts rule groups would have raised over a past range
// (`backtest.*`: each alerting rule's path, the server's (one range query at its group's step) or
// nsmon's engine (raw samples of its selectors, the recording rules the server lacks evaluated from
// their expressions); every group run by `ruletest::GroupEvaluator` at its own steps, its `Source`
// answering with the server's values; episodes, notifications and flaps, `summarize`), its table,
// timeline, JSON and `--compare` (`render.*`); no I/O: the caller sends the requests (`Ask`).
//
// nsmon backtest: the alerts a set of rule groups would have raised over a past time range, from
// the data a Prometheus-compatible server holds. Every rule goes through ruletest's
// GroupEvaluator (alerting.go's states: pending, firing after `for`, `keep_firing_for`, resolved),
// at its group's interval. The expression's value at each step comes from the server (one range
// query per alerting rule at the group's step) when the server can compute it, and from nsmon's
// engine over raw samples fetched from the server when it cannot (a recording rule it depends
// on is not on the server), or when asked to (`Options::engine_only`). No I/O: the caller sends
// the requests (`Ask`).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nsmon/labels/labels.hpp"
#include "nsmon/promapi/api.hpp"
#include "nsmon/ruletest/evaluator.hpp"

namespace nsmon::backtest {

/// Sends one API call and streams its answer through `reader`; returns the answer's status (an
/// error answer is the rule's failure, or the run's) and throws when the server cannot be reached
/// or does not answer as the API does (the caller names its server).
using Ask = std::function<promapi::Reply(const promapi::Call& call, const promapi::ReaderOptions& reader)>;

struct Options {
  std::int64_t start_ms = 0, end_ms = 0;
  bool engine_only = false;                 ///< evaluate every alerting rule with nsmon's engine
  std::int64_t lookback_ms = 5 * 60 * 1000; ///< the server's --query.lookback-delta (engine path)
  bool closed_windows = false;              ///< the engine path with Prometheus 2.x's windows
  std::string server = "the server";        ///< how messages name it (its URL, credentials masked)
};

/// One firing period of one alert instance.
struct Episode {
  labels::Labels labels;      ///< the alert's labels, alertname included
  std::int64_t active_at = 0; ///< pending since
  std::int64_t start = 0;     ///< firing since (the startsAt Alertmanager is sent)
  std::int64_t end = -1;      ///< resolved at; -1: still firing at the end of the range
};

enum class Path { server, engine };
const char* to_string(Path p);

/// What one alerting rule would have done.
struct AlertResult {
  std::string alertname, group, file;
  int line = 0;
  std::int64_t interval_ms = 0, for_ms = 0, keep_firing_for_ms = 0;
  Path path = Path::server;
  std::vector<std::string> evaluated; ///< recording rules nsmon evaluated for it (the server lacks them)
  std::vector<Episode> episodes;      ///< by start, then labels
  std::size_t failed_steps = 0;       ///< evaluations that failed (the rule's or the server's error)
  std::string first_error;
  /// The metric names the rule reads (through the recording rules the server lacks) whose data the
  /// server holds: `data_names` of them, and those it has no series of at all over the range.
  std::size_t data_names = 0;
  std::vector<std::string> missing;
  /// It reads metrics, and the server has none of them: its episodes say nothing of the rule.
  bool no_data() const { return data_names > 0 && missing.size() == data_names; }
};

struct Result {
  std::int64_t start_ms = 0, end_ms = 0; ///< the first and last evaluation
  std::vector<AlertResult> alerts;       ///< in file and group order
  std::size_t range_queries = 0, raw_queries = 0, other_queries = 0;
};

/// Backtests every alerting rule of `groups` (compiled with ruletest::compile_groups; each
/// group's interval is its step). Throws what `ask` throws.
Result run(const std::vector<ruletest::EvalGroup>& groups, const Options& options, const Ask& ask);

/// What an alert's episodes imply over the range.
struct Summary {
  std::int64_t firing_ms = 0;    ///< time any instance was firing, summed over instances
  std::size_t notifications = 0; ///< see summarize()
  std::size_t flaps = 0;         ///< episodes that began within `flap_ms` of the same labels' last end
};

/// Notifications are counted per alert instance, before Alertmanager's grouping merges several
/// into one message: one when an episode starts, and one more each `repeat_ms` it stays firing
/// (Alertmanager's repeat_interval, 4h by default); resolved notices are not counted.
Summary summarize(const AlertResult& a, std::int64_t end_ms, std::int64_t repeat_ms, std::int64_t flap_ms);

} // namespace nsmon::backtest
