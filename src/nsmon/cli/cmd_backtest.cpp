// nsmon backtest: how often the alerting rules of some rule files would have fired over a past
// range, from the data a Prometheus-compatible server holds (backtest/); --compare runs an old
// version of the rules over the same range and shows both.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include "nsmon/backtest/backtest.hpp"
#include "nsmon/backtest/render.hpp"
#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/report.hpp"
#include "nsmon/cli/rule_inputs.hpp"
#include "nsmon/cli/server.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/core/yaml.hpp"
#include "nsmon/promapi/time.hpp"
#include "nsmon/rules/config.hpp"
#include "nsmon/ruletest/loader.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/time.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::cli {

namespace {

struct BacktestOptions {
  std::vector<std::string> files, compare;
  rules::Schema schema = rules::Schema::automatic; ///< --rule-schema, through the settings
  std::string config;
  std::string since, start, end;
  double evaluation_interval = 60, repeat_interval = 4 * 3600, flap_window = 15 * 60, lookback_delta = 300;
  bool engine = false;
  // Debian 12's Prometheus (2.42), as every version default of nsmon is Debian 12's peer.
  std::string prometheus_version = "2";
  std::string format = "table";
  ServerOptions conn;
};

std::int64_t to_ms(double seconds) { return static_cast<std::int64_t>(std::llround(seconds * 1000)); }

// The rule files, loaded and compiled; what Prometheus would refuse stops the run (exit 2).
std::unique_ptr<ruletest::LoadedRules> load(const std::vector<std::string>& files, const BacktestOptions& o) {
  auto loaded = ruletest::load_rules(files, {}, to_ms(o.evaluation_interval), {.schema = o.schema});
  check_loaded(std::move(loaded->diags), loaded->sources, files.size() == 1 ? "rule file" : "input",
               files.size() == 1 ? files[0] : "of the rule files", core::Severity::error);
  return loaded;
}

std::pair<std::int64_t, std::int64_t> time_range(const BacktestOptions& o) {
  const double now = promapi::now_seconds();
  if (!o.start.empty() && !o.since.empty()) throw UsageError("give --since or --start, not both");
  const double end = time_flag(o.end, "--end", now).value_or(now);
  double start = 0;
  if (!o.start.empty()) start = *time_flag(o.start, "--start", now);
  else {
    auto d = promapi::parse_step(o.since.empty() ? "7d" : o.since);
    if (!d) throw UsageError("--since wants a duration such as 7d or 12h, not '" + o.since + "'");
    start = end - *d;
  }
  if (end <= start) throw UsageError("the range ends before it starts");
  // Whole seconds: the range is shown, and steps fall on whole intervals anyway.
  return {to_ms(std::floor(start)), to_ms(std::floor(end))};
}

// --config: prometheus.yml's evaluation_interval for groups without one, and its rule files when
// none are named.
void read_config(BacktestOptions& o, bool interval_given) {
  core::SourceSet sources;
  std::vector<core::Diagnostic> diags;
  const rules::Config cfg =
      rules::load_config(sources.add(o.config, util::read_file(o.config, yaml::kInputPadding)), diags);
  std::vector<std::string> named = rules::resolve_rule_files(cfg, diags);
  check_loaded(std::move(diags), sources, "config", o.config, core::Severity::error);
  if (!interval_given) o.evaluation_interval = static_cast<double>(cfg.evaluation_interval_ms) / 1000;
  if (o.files.empty()) o.files = std::move(named);
}

int run_backtest(BacktestOptions& o, const Context& ctx) {
  if (!o.config.empty()) read_config(o, ctx.cmd.get_option("--evaluation-interval")->count() > 0);
  o.schema = rule_schema(ctx.settings);
  o.files = expand_paths(o.files, FileKind::rules);
  o.compare = expand_paths(o.compare, FileKind::rules);
  if (o.files.empty())
    throw UsageError(o.config.empty()
                         ? "give the rule files to backtest, or --config prometheus.yml"
                         : o.config + " names no rule files (rule_files): give the rule files to backtest");
  if (o.evaluation_interval < 1) throw UsageError("--evaluation-interval must be at least 1s");
  take_server_settings(ctx.settings, o.conn);
  // Not given: $NSMON_PROMETHEUS_URL or the config file's server, as query reads it.
  if (o.conn.url.empty()) o.conn.url = ctx.settings.get("server").value;
  if (o.conn.url.empty()) throw UsageError("backtest reads the server's history: give --prometheus URL");
  // Everything local first: a broken rule file or flag ends the run before any request.
  const auto [start_ms, end_ms] = time_range(o);
  auto now = load(o.files, o);
  std::unique_ptr<ruletest::LoadedRules> old;
  if (!o.compare.empty()) old = load(o.compare, o);

  Session session = connect(o.conn, "--prometheus");
  double server_seconds = 0;
  backtest::Ask ask = [&](const promapi::Call& call, const promapi::ReaderOptions& ro) {
    auto t0 = std::chrono::steady_clock::now();
    promapi::Answer a = call_server(session, call, ro);
    server_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return a.reply;
  };
  backtest::Options bo;
  bo.start_ms = start_ms;
  bo.end_ms = end_ms;
  bo.engine_only = o.engine;
  bo.lookback_ms = to_ms(o.lookback_delta);
  bo.closed_windows = o.prometheus_version == "2";
  bo.server = util::redact_url(session.server);
  auto t0 = std::chrono::steady_clock::now();
  backtest::Result result = backtest::run(now->groups, bo, ask);
  std::optional<backtest::Result> old_result;
  if (old) old_result = backtest::run(old->groups, bo, ask);
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  backtest::RenderOptions ro;
  ro.repeat_ms = to_ms(o.repeat_interval);
  ro.flap_ms = to_ms(o.flap_window);
  ro.width = static_cast<int>(core::layout_size(1).cols);
  if (o.format == "json") std::cout << backtest::render_json(result, old_result ? &*old_result : nullptr, ro);
  else if (old_result) std::cout << backtest::render_compare(*old_result, result, ro);
  else std::cout << backtest::render_text(result, ro);
  std::cout.flush();
  const std::size_t requests =
      result.range_queries + result.raw_queries + result.other_queries +
      (old_result ? old_result->range_queries + old_result->raw_queries + old_result->other_queries : 0);
  // Milliseconds: a backtest against a server on loopback takes a few of them, which "%.2fs"
  // printed as 0.00s.
  auto took = [](double s) { return text::format_duration(std::llround(s * 1000)); };
  std::fprintf(stderr, "nsmon: %zu requests to %s took %s of %s (nsmon's engine under Prometheus %s.x semantics)\n",
               requests, util::redact_url(session.server).c_str(), took(server_seconds).c_str(), took(total).c_str(),
               o.prometheus_version.c_str());
  // A server that holds none of the metrics the rules read (a wrong server, port or range) gave a
  // backtest of nothing, which must not pass for a quiet one.
  const auto& alerts = result.alerts;
  if (std::any_of(alerts.begin(), alerts.end(), [](const auto& a) { return a.data_names > 0; }) &&
      std::all_of(alerts.begin(), alerts.end(), [](const auto& a) { return a.data_names == 0 || a.no_data(); })) {
    std::fprintf(stderr,
                 "nsmon: %s has none of the metrics the rules read from %s to %s: nothing was backtested (a "
                 "wrong server, or a range without the data?)\n",
                 util::redact_url(session.server).c_str(), text::format_rfc3339_ms(start_ms).c_str(),
                 text::format_rfc3339_ms(end_ms).c_str());
    return kFindings;
  }
  // A rule that could not be evaluated (the server's error answer, or the rule's own) makes the
  // backtest incomplete: exit 1, as a failed query does.
  for (const auto* r : {&result, old_result ? &*old_result : nullptr})
    for (const auto& a : r ? r->alerts : std::vector<backtest::AlertResult>{})
      if (a.failed_steps) return kFindings;
  return kOk;
}

constexpr const char* kBacktestHelp = R"(
What is asked of the server:
  For each alerting rule, its expression as range queries (/api/v1/query_range) from the start to
  the end at its group's interval (one query per 10,000 steps: 7 days at 1m is one), shifted by
  the group's query_offset. First, one /api/v1/label/__name__/values call asks which of the
  metric names the alerts read (and the recording rules of the files they read) the server holds
  over the range. A rule whose metrics the server has no series of shows "no data" as its
  episodes, with a note; when no rule has any data (a wrong server, port or range), the backtest
  checked nothing, and exits 1 saying so. An
  alerting rule that reads a recording rule the server lacks (or every one, with --engine) is
  evaluated by nsmon's engine instead: each selector it reads is fetched raw once, as an instant
  query of SELECTOR[RANGE] (the whole range plus the lookback and the rule's own ranges), and
  the missing recording rules are evaluated from their expressions. The table's EVALUATED BY
  column says which path each rule took. With --compare, the old rules are asked the same way.

How alerts are followed:
  Every group is evaluated at its interval (else --evaluation-interval, or --config's
  evaluation_interval) on times that are
  multiples of it, as Prometheus's rule manager evaluates it: an alert is pending from its first
  evaluation, firing once it has been pending for `for`, and resolved at the first evaluation
  without it, or `keep_firing_for` later. The range starts with no alert pending (as a
  Prometheus started at the start). An episode is one instance (label set) firing from its start
  to its resolution; "still firing" at the end of the range.
  Notifications are counted per alert instance, before Alertmanager's grouping merges several
  into one message: one when an episode starts, one more each --repeat-interval it keeps firing;
  resolved notices are not counted. A flap is an episode that starts less than --flap-window
  after the same instance's previous episode ended.
  The engine path reads raw samples, which carry no staleness markers: a series that stopped is
  seen for the lookback (--lookback-delta) after its last sample, where the server would end it
  at once. Its windows are Prometheus 3.x's (x[5m] leaves out a sample exactly 5m old); against
  a 2.x server, --prometheus-version 2 takes 2.x's, which keep it.

Output (--format):
  table   the alerts (path, interval, for, episodes, time firing, notifications, flaps), every
          episode, then a timeline of when each alert fired; the requests and the time they took
          go to stderr
  json    {"range": {...}, "alerts": [{"alertname", "group", "file", "line", "evaluated_by",
          "episodes": [{"labels", "active_at", "start", "end" (null: still firing),
          "duration_seconds"}], "firing_seconds", "notifications", "flaps", "no_data",
          "metrics_without_data", ...}], "old": {...}
          with --compare, "queries": {...}}

Examples:
  nsmon backtest rules/alert_rules.yml --prometheus http://localhost:9090 --since 7d
  nsmon backtest new.yml --compare old.yml --prometheus http://localhost:9090 --since 2d
  nsmon backtest --config prometheus.yml --prometheus http://vm:8428/prometheus --start 2026-11-01T00:00:00Z -o json

)";

} // namespace

Run define_backtest(CLI::App& cmd) {
  auto o = std::make_shared<BacktestOptions>();
  cmd.footer(std::string(kBacktestHelp) + exit_codes_help({kOk, kFindings, kUsage, kUnreachable}));
  cmd.add_option("RULES", o->files, "Rule files whose alerting rules are backtested, or directories of them")
      ->option_text("FILE...");
  cmd.add_option("--since", o->since, "Backtest the last DURATION (default 7d): --start now-DURATION")
      ->option_text("DURATION");
  cmd.add_option("--start", o->start, "Start of the range: RFC 3339, Unix seconds, or relative (now-2d)")
      ->option_text("TIME");
  cmd.add_option("--end", o->end, "End of the range (default: now)")->option_text("TIME");
  cmd.add_option("--compare", o->compare, "Old rule files: backtest them too and show both side by side")
      ->option_text("FILE")
      ->allow_extra_args(false);
  cmd.add_option("--config", o->config,
                 "prometheus.yml: its evaluation_interval for groups without one, its rule_files when no RULES")
      ->option_text("FILE");
  cmd.add_flag("--engine", o->engine, "Evaluate every rule with nsmon's engine on raw samples from the server");
  add_rule_schema_option(cmd);
  add_duration_option(cmd, "--evaluation-interval", o->evaluation_interval,
                      "Interval of groups without one (Prometheus's evaluation_interval, default 1m)");
  add_duration_option(cmd, "--repeat-interval", o->repeat_interval,
                      "Alertmanager's repeat_interval, for the notification count (default 4h)");
  add_duration_option(cmd, "--flap-window", o->flap_window,
                      "An episode starting this soon after the last one ended is a flap (default 15m)");
  cmd.add_option("--prometheus-version", o->prometheus_version,
                 "Window semantics of the engine path: 2 (default, Debian 12's Prometheus: closed) or 3 "
                 "(left-open: a 3.x server)")
      ->check(CLI::IsMember({"2", "3"}))
      ->type_name("2|3");
  add_duration_option(cmd, "--lookback-delta", o->lookback_delta,
                      "The server's --query.lookback-delta, for the engine path (default 5m)");
  cmd.add_option("-o,--format", o->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  add_server_options(&cmd, o->conn, "--prometheus",
                     "The Prometheus-compatible server holding the history, path prefix allowed (default: "
                     "$NSMON_PROMETHEUS_URL, else http://localhost:9090)");
  return [o](const Context& ctx) { return run_backtest(*o, ctx); };
}

} // namespace nsmon::cli
