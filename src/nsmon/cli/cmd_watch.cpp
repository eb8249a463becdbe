#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/report.hpp"
#include "nsmon/cli/rule_inputs.hpp"
#include "nsmon/cli/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/http/client.hpp"
#include "nsmon/promapi/api.hpp"
#include "nsmon/ruletest/loader.hpp"
#include "nsmon/util/url.hpp"
#include "nsmon/watch/record.hpp"
#include "nsmon/watch/rule_watch.hpp"
#include "nsmon/watch/session.hpp"
#include "nsmon/watch/sinks.hpp"

namespace nsmon::cli {

namespace {

struct WatchOptions {
  std::vector<std::string> command;
  std::string metrics_url = "http://127.0.0.1:8000/metrics";
  std::string prometheus;
  std::string selector;
  std::string format = "auto";
  std::string every = "interval";
  double interval = 2;
  double grace = 10;
  double kill_after = 3;
  double timeout = 0;
  double rate_window = 10;
  double duration = 0;
  double total_images = 0;
  std::string prefix;
  std::vector<std::string> rules;
  std::vector<std::string> asserts;
  double evaluation_interval = 60;
  double rules_window = 0;
  double rules_memory_mib = 256;
  std::string job = "nsmon-watch";
  std::string fail_on_alert;
  CLI::Option* fail_on_alert_opt = nullptr;
  bool stop_on_alert = false;
  bool attach = false;
  std::vector<std::string> record;
  std::string alertmanager;
};

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

// The instance label Prometheus gives the target: host:port of the URL.
std::string instance_of(const std::string& url) {
  std::string s = url;
  if (auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  s = s.substr(0, s.find('/'));
  if (auto at = s.rfind('@'); at != std::string::npos) s = s.substr(at + 1);
  if (s.find(':') == std::string::npos || (s.front() == '[' && s.back() == ']'))
    s += url.rfind("https://", 0) == 0 ? ":443" : ":80";
  return s;
}

// --rules/--assert: everything loaded and checked before the command starts (exit 2 otherwise).
struct Rules {
  std::unique_ptr<ruletest::LoadedRules> loaded;
  std::unique_ptr<watch::RuleWatch> watch;
  std::shared_ptr<const ruletest::AlertmanagerSetup> alertmanager; ///< --alertmanager, for --record
};
Rules load_rules(const WatchOptions& o, const Context& ctx) {
  Rules r;
  const bool wanted = !o.rules.empty() || !o.asserts.empty();
  const bool fail = o.fail_on_alert_opt && o.fail_on_alert_opt->count() > 0;
  if (!wanted) {
    if (fail || o.stop_on_alert || !o.record.empty())
      throw UsageError("--fail-on-alert, --stop-on-alert and --record go with --rules or --assert");
    return r;
  }
  if (!o.prometheus.empty()) throw UsageError("--rules and --assert read the endpoint itself: not with --prometheus");
  if (o.evaluation_interval < 1) throw UsageError("--evaluation-interval must be at least 1s");
  std::optional<int> rank;
  if (fail || o.stop_on_alert) {
    rank = 0;
    if (!o.fail_on_alert.empty() && o.fail_on_alert != "any") {
      rank = watch::severity_rank(o.fail_on_alert);
      if (*rank == 0)
        throw UsageError("--fail-on-alert: unknown severity '" + o.fail_on_alert +
                         "' (any, info, warning, error, critical, page)");
    }
  }
  for (const auto& f : o.record)
    if (!watch::record_format(f))
      throw UsageError("--record " + f + ": the name must end in .yml or .yaml (a test) or .om or .txt (OpenMetrics)");
  if (!o.alertmanager.empty()) {
    if (std::none_of(o.record.begin(), o.record.end(),
                     [](const std::string& f) { return watch::record_format(f) == watch::RecordFormat::test; }))
      throw UsageError("--alertmanager goes with --record FILE.yml: the recorded test carries what Alertmanager does");
    r.alertmanager = load_alertmanager_setup(o.alertmanager, alertmanager_version(ctx.settings));
  }
  const std::vector<std::string> files = expand_paths(o.rules, FileKind::rules);
  r.loaded =
      ruletest::load_rules(files, o.asserts, ms(o.evaluation_interval).count(), {.schema = rule_schema(ctx.settings)});
  const bool one_file = files.size() == 1 && o.asserts.empty();
  check_loaded(std::move(r.loaded->diags), r.loaded->sources, one_file ? "rule file" : "input",
               one_file ? files[0] : "of --rules/--assert", core::Severity::error);
  watch::RuleWatchOptions ro;
  ro.default_interval_ms = ms(o.evaluation_interval).count();
  ro.window_ms = ms(o.rules_window).count();
  ro.max_bytes = static_cast<std::size_t>(o.rules_memory_mib * 1024 * 1024);
  ro.job = o.job;
  ro.instance = instance_of(o.metrics_url);
  ro.fail_rank = rank;
  ro.keep_all = !o.record.empty();
  r.watch = std::make_unique<watch::RuleWatch>(*r.loaded, ro);
  return r;
}

int run_watch(const WatchOptions& o, const Context& ctx) {
  // Usage first: nothing is started before the command line is known to make sense.
  if (o.interval < 0.05) throw UsageError("--interval must be at least 50ms");
  if (!o.prometheus.empty() && o.metrics_url != "http://127.0.0.1:8000/metrics")
    throw UsageError("--metrics-url and --prometheus are two ways to read the stats: give one");
  if (!o.selector.empty() && o.prometheus.empty()) throw UsageError("--selector goes with --prometheus");
  if (!o.prometheus.empty() && !promapi::valid_server_url(o.prometheus))
    throw UsageError("--prometheus must be an http:// or https:// URL without query, not '" +
                     util::redact_url(o.prometheus) + "'");
  Rules rules = load_rules(o, ctx);
  const bool tty = core::is_terminal(1);
  const char* term = std::getenv("TERM");
  const bool dumb = term && std::string(term) == "dumb";
  std::string format = o.format;
  if (format == "auto") format = tty && !dumb ? "live" : "plain";
  if (format == "live" && !tty) throw UsageError("--format live needs a terminal on standard output");

  const double timeout = o.timeout > 0 ? o.timeout : std::clamp(o.interval, 1.0, 10.0);
  std::unique_ptr<watch::Source> source;
  if (o.prometheus.empty()) {
    source = watch::endpoint_source(http::make_curl_client(), o.metrics_url, timeout, !!rules.watch);
  } else {
    // The server is reached as `nsmon query` reaches it (auth and tenant from the settings); no
    // retries: the next interval's query is the retry.
    http::ClientOptions co = server_auth(ctx.settings);
    co.retries = 0;
    source = watch::prometheus_source(http::make_curl_client(co), o.prometheus, o.selector, timeout);
  }

  watch::SessionOptions so;
  so.command = o.command;
  so.interval = ms(o.interval);
  so.grace = ms(o.grace);
  so.kill_after = ms(o.kill_after);
  so.rate_window = o.rate_window;
  if (o.duration > 0) so.duration = o.duration;
  if (o.total_images > 0) so.planned_images = o.total_images;
  so.rules = rules.watch.get();
  so.stop_on_failure = o.stop_on_alert;
  so.attach = o.attach || !o.prometheus.empty(); // a server is never the command's endpoint

  const std::string name = o.command.empty() ? source->describe() : watch::command_name(o.command);
  const std::string prefix = o.prefix.empty() ? "[" + name + "] " : o.prefix;
  const bool color = ctx.color(1);
  const bool per_epoch = o.every == "epoch";
  std::unique_ptr<watch::Sink> sink;
  if (format == "jsonl") sink = watch::jsonl_sink(prefix, per_epoch);
  else if (format == "live") sink = watch::live_sink(name, color, !!rules.watch);
  else sink = watch::plain_sink(prefix, per_epoch, color && format != "plain");
  try {
    int result = watch::run_session(so, std::move(source), *sink);
    for (const auto& f : o.record) {
      watch::write_record(*rules.watch, so.interval.count(), f, {o.alertmanager, rules.alertmanager.get()});
      std::cerr << "nsmon: recorded the run's samples in " + f + "\n";
    }
    return result;
  } catch (const Error& e) {
    sink.reset(); // the terminal first, then the message
    print_error(e.what());
    return o.command.empty() ? exit_code_for(e) : kCannotRun;
  }
}

constexpr const char* kWatchHelp = R"(Running:
  nsmon watch [options] -- COMMAND [ARGS...]   starts COMMAND (no shell) and shows its stats
  nsmon watch [options]                        attaches to a detector that is already running

  The command's metrics endpoint (--metrics-url) is scraped every --interval; until it answers,
  nsmon says it is waiting (those probes are not failed scrapes). A scrape that fails or does not
  parse is shown as such and watching goes on. Each line the command writes asks for a scrape out
  of turn (at most one per 100ms), so the summary holds the command's final figures when it
  serves them after its last line (the example detector does, for --linger, 1s by default).
  An endpoint that answers before the command is started or after it ended, or whose
  process_start_time_seconds is before the command's start, is another process's (a leftover on
  the port): nsmon says so (with its pid when it listens on this machine), counts nothing it
  serves as the run's, and fails the run. --attach says that the endpoint is meant to be another
  process's: its figures are the run's, a last scrape after the command exited included.
  The command's stdout and stderr are shown (with a prefix in logs, above the status block on a
  terminal). Ctrl-C, SIGTERM and SIGHUP are forwarded to the command; a second Ctrl-C, or --grace
  without it ending, sends SIGTERM to its process group, and --kill-after later SIGKILL. nsmon
  always reaps it and leaves nothing running. Every time option takes a Prometheus duration
  (500ms, 2s, 1m30s) or plain seconds (2, 0.5).
  --prometheus URL reads the same stats from a Prometheus server that scrapes the detector
  (--selector narrows it down, e.g. --selector 'job="neurosymbolic-app"'), reached as nsmon
  query reaches it: a path prefix kept, the token, basic auth and tenant of the settings.

Output (--format):
  live    (a terminal) a status block pinned at the bottom, redrawn in place, resized with the
          window; the command's output scrolls above it; the terminal is restored at the end
  plain   (not a terminal: CI logs, | tee) one compact line per interval (--every epoch: per
          epoch), the command's lines prefixed with [NAME], no escape codes
  jsonl   one JSON object per interval with every figure ("type": "stats"), then the summary
          ("type": "summary"); the command's output goes to stderr
  auto    live on a terminal (unless TERM=dumb), plain otherwise
  Colour follows --color, NO_COLOR and CLICOLOR_FORCE. A summary ends every run.

Figures (each shown only when the detector exports its metrics):
  training   epoch / planned, loss and its trend, best loss, mAP and its trend, learning rate,
             mean epoch time, ETA
  inference  images (and progress with --total-images), images/s over --rate-window, success
             rate, detections, latency p50/p95/p99 from inference_time_seconds bucket deltas,
             computed as Prometheus's histogram_quantile (">10 s": above the top bucket)
  symbolic   NMS, Prolog and graph construction times; system: CPU, RAM, GPU; errors by type
  A series these read that no scrape held is named in the summary ("missing"), with the cause the
  scrape shows (training_loss_total: a gauge exported as a counter), or without a guess.

Rules (--rules FILE, --assert EXPR):
  The samples of the metric names the rules and assertions select are kept (every sample when a
  selector names no metric, and with --record), with job=--job and instance=host:port of
  --metrics-url, up, and staleness markers for series that went away, as Prometheus stores them;
  the rule groups are evaluated on them at their interval (--evaluation-interval for groups
  without one), on multiples of it, as Prometheus's rule manager does: recording rules written
  back, alerts pending, firing after `for`, kept by keep_firing_for, resolved; labels and
  annotations expanded. The
  store keeps --rules-window (default: what the rules read back — ranges, offsets, subqueries, the
  5m lookback — at least 15m); older samples are dropped after each scrape, and when the store's
  estimate passes --rules-memory (default 256 MiB) the window is shortened (a quarter at a time,
  never under 2m) and the oldest samples go. --assert EXPR must hold on every scrape with data: it
  fails when it returns nothing (a scalar: 0) while a series it selects exists, and is not checked
  while none does; one never checked in the whole run fails it (it held on nothing). Rule
  files and assertions are loaded first: one that does not load is an error at file:line:col and
  nothing is started (exit 2). Transitions are shown: a line each (plain, and above the live block,
  which has an Alerts line), "type": "alert" / "assert" objects in jsonl, and in the summary which
  alert fired when and for how long.
  --fail-on-alert [SEVERITY]  exit 4 when an alert of at least SEVERITY fires (info < warning <
                              error < critical < page; without SEVERITY: any); a failed --assert
                              always exits 4
  --stop-on-alert             also stop the command then (SIGTERM, --grace, --kill-after)
  --record FILE.yml|FILE.om   at the end, the kept samples as a rule unit test (input_series on
                              the scrape interval and the alerts they fire: `nsmon test-rules
                              FILE.yml`, `promtool test rules FILE.yml`) or as OpenMetrics (for
                              `promtool tsdb create-blocks-from openmetrics FILE.om DIR`)
  --alertmanager FILE         with --record FILE.yml, the test also carries what this
                              alertmanager.yml does with the alerts firing at each recorded time
                              (nsmon.alertmanager_tests: notifications, groups, rendered text,
                              inhibition) and starts at the run's time (start_timestamp), so the
                              incident becomes a whole-path regression test for `nsmon test-rules`

Examples:
  nsmon watch -- examples/detector/detector.py --epochs 5
  nsmon watch --rules rules/alert_rules.yml --fail-on-alert critical --stop-on-alert -- ./train.sh
  nsmon watch --assert 'max(training_loss) < 10' --record incident.yml -- ./train.sh
  nsmon watch --format jsonl --interval 1 -- ./train.sh > stats.jsonl
  nsmon watch --metrics-url http://10.0.0.5:8000/metrics --every epoch
  nsmon watch --prometheus http://localhost:9090 --selector 'job="neurosymbolic-app"'

With a command, nsmon exits with the command's status (128 + signal when it was killed), except
4 when its rules failed the run (whatever the command's status), and 3 if the command exited 0
when the endpoint was another process's (without --attach) or when a gate (--fail-on-alert,
--assert) never had a good scrape: a gate that saw nothing does not pass. Attached: 0 at the end
(--duration, or the endpoint went away), 3 when the endpoint never answered, 128 + signal when
interrupted.)";

} // namespace

Run define_watch(CLI::App& cmd) {
  auto o = std::make_shared<WatchOptions>();
  cmd.add_option("COMMAND", o->command, "The command to run and watch (after --)");
  cmd.add_option("--metrics-url", o->metrics_url, "Metrics endpoint to scrape (default http://127.0.0.1:8000/metrics)")
      ->option_text("URL");
  cmd.add_option("--prometheus", o->prometheus, "Read the stats from this Prometheus server instead")
      ->option_text("URL");
  cmd.add_option("--selector", o->selector, "Label matchers for --prometheus, e.g. job=\"neurosymbolic-app\"")
      ->option_text("MATCHERS");
  add_duration_option(cmd, "--interval", o->interval, "Time between scrapes (default 2s)");
  cmd.add_option("--format", o->format, "Output: auto, live, plain, jsonl")
      ->check(CLI::IsMember({"auto", "live", "plain", "jsonl"}))
      ->default_str("auto");
  cmd.add_option("--every", o->every, "Plain and jsonl output: a line per interval or per epoch")
      ->check(CLI::IsMember({"interval", "epoch"}))
      ->default_str("interval");
  add_duration_option(cmd, "--grace", o->grace,
                      "Time the command has after a forwarded signal before SIGTERM (default 10s)");
  add_duration_option(cmd, "--kill-after", o->kill_after, "Time between SIGTERM and SIGKILL (default 3s)");
  add_duration_option(cmd, "--timeout", o->timeout, "Time a scrape may take (default: the interval, 1s to 10s)")
      ->check(CLI::PositiveNumber);
  add_duration_option(cmd, "--rate-window", o->rate_window,
                      "Time images/s and the latency quantiles cover (default 10s)")
      ->check(CLI::PositiveNumber);
  add_duration_option(cmd, "--duration", o->duration, "Stop after this long (the command gets SIGTERM)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--total-images", o->total_images, "Images the inference run will process (for progress and ETA)")
      ->check(CLI::PositiveNumber)
      ->option_text("N");
  cmd.add_option("--prefix", o->prefix, "Prefix of the command's lines in plain and jsonl output (default [NAME] )")
      ->option_text("TEXT");
  // One value per occurrence: a list option would take the `--` before the command as its end.
  cmd.add_option("--rules", o->rules,
                 "Rule files (or directories of them) to evaluate on the scraped samples, as Prometheus would "
                 "(repeatable, or a,b)")
      ->option_text("PATH")
      ->allow_extra_args(false)
      ->delimiter(',')
      ->check(CLI::ExistingPath);
  add_rule_schema_option(cmd);
  cmd.add_option("--assert", o->asserts, "A PromQL condition that must hold while the run lasts (repeatable)")
      ->option_text("EXPR")
      ->allow_extra_args(false);
  add_duration_option(cmd, "--evaluation-interval", o->evaluation_interval,
                      "Interval of rule groups without their own (default 1m, as Prometheus)");
  add_duration_option(cmd, "--rules-window", o->rules_window,
                      "Samples kept for the rules (default: what they read back, at least 15m)");
  cmd.add_option("--rules-memory", o->rules_memory_mib, "Memory the kept samples may take, in MiB (default 256)")
      ->check(CLI::PositiveNumber)
      ->option_text("MIB");
  cmd.add_option("--job", o->job, "The job label of the scraped samples (default nsmon-watch)")->option_text("NAME");
  o->fail_on_alert_opt = cmd.add_option("--fail-on-alert", o->fail_on_alert,
                                        "End with exit code 4 when an alert of at least SEVERITY fires (default: any)")
                             ->expected(0, 1)
                             ->option_text("[SEVERITY]");
  cmd.add_flag("--attach", o->attach,
               "With a command: the endpoint is another process's on purpose (its figures are the run's)");
  cmd.add_flag("--stop-on-alert", o->stop_on_alert,
               "Also stop the command (SIGTERM, then the --grace/--kill-after path) when it fires");
  cmd.add_option("--alertmanager", o->alertmanager,
                 "With --record FILE.yml: the recorded test also carries what this alertmanager.yml does with the "
                 "alerts (nsmon.alertmanager_tests)")
      ->option_text("FILE");
  cmd.add_option("--record", o->record, "Write the kept samples as a rule test (.yml) or OpenMetrics (.om)")
      ->option_text("FILE")
      ->allow_extra_args(false);
  cmd.footer(std::string(kWatchHelp) + "\n\n" +
             exit_codes_help({kOk, kUsage, kUnreachable, kAlertFired, kCannotRun, kInterrupted}));
  return [o](const Context& ctx) { return run_watch(*o, ctx); };
}

} // namespace nsmon::cli
