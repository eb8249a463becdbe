// watch --rules: the scraped samples in the bounded store, the groups evaluated when due, alert
// transitions, assertions, load errors, and --record's test replayed by the test-rules runner.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "nsmon/ruletest/runner.hpp"
#include "nsmon/watch/record.hpp"
#include "nsmon/watch/render.hpp"
#include "nsmon/watch/rule_watch.hpp"

using namespace nsmon;
using namespace nsmon::watch;
using nsmon::ruletest::load_rules;

namespace {

struct TempDir {
  std::filesystem::path dir;
  explicit TempDir(const std::string& name) {
    dir = std::filesystem::temp_directory_path() / ("nsmon-watch-rules-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  ~TempDir() { std::filesystem::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

const char* kRules = R"(groups:
  - name: training
    interval: 10s
    rules:
      - record: job:training_loss:max
        expr: max by (job) (training_loss)
      - alert: LossHigh
        expr: job:training_loss:max > 5
        for: 20s
        keep_firing_for: 10s
        labels: {severity: critical}
        annotations: {summary: "loss of {{ $labels.job }} is {{ $value }}"}
      - alert: LossSomewhatHigh
        expr: max by (job) (training_loss) > 2
        labels: {severity: warning}
)";

std::string scrape(double loss) {
  return "# TYPE training_loss gauge\ntraining_loss{model=\"m\"} " + std::to_string(loss) + "\n";
}

constexpr std::int64_t S = 1'000'000; // the run's start; the 10s group's first slot is 1'010'000

// Scrapes every 5 s with `loss(k)` and evaluates after each; the events of the whole run.
template <class F> std::vector<RuleEvent> feed(RuleWatch& rw, int scrapes, F loss) {
  std::vector<RuleEvent> all;
  for (int k = 0; k < scrapes; ++k) {
    const std::int64_t t = S + 5000 * k;
    for (auto& e : rw.scraped(scrape(loss(k)), expfmt::Format::text, t)) all.push_back(e);
    for (auto& e : rw.evaluate(t)) all.push_back(e);
  }
  return all;
}

std::vector<std::string> describe(const std::vector<RuleEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    out.push_back(std::to_string(e.t) + " " + to_string(e.kind) + " " +
                  (e.alert.name.empty() ? e.subject : e.alert.name));
  return out;
}

RuleWatchOptions options() {
  RuleWatchOptions o;
  o.start_ms = S;
  o.instance = "127.0.0.1:8000";
  return o;
}

// loss 1 until 20 s, 8 until 65 s, 1 after.
double spike(int k) { return k >= 4 && k <= 13 ? 8 : 1; }

} // namespace

TEST_CASE("watch rules: pending, firing after `for`, keep_firing_for, resolved, at the group's slots",
          "[watch][watch_rules]") {
  TempDir tmp("states");
  auto loaded = load_rules({tmp.write("rules.yml", kRules)}, {}, 60'000);
  REQUIRE(loaded->diags.empty());
  RuleWatch rw(*loaded, options());
  CHECK(rw.next_due() == 1'010'000);
  auto events = feed(rw, 20, spike);
  CHECK(describe(events) == std::vector<std::string>{
                                "1020000 pending LossHigh",
                                "1020000 firing LossSomewhatHigh", // no `for`: firing at once
                                "1040000 firing LossHigh",         // 20 s later
                                "1070000 resolved LossSomewhatHigh",
                                "1080000 resolved LossHigh", // kept firing 10 s after the condition ended
                            });
  const auto& firing = events[2].alert;
  CHECK(firing.severity == "critical");
  CHECK(engine::get(firing.labels, "job") == "nsmon-watch");
  CHECK(engine::get(firing.annotations, "summary") == "loss of nsmon-watch is 8");
  CHECK(firing.active_at == 1'020'000);
  CHECK(firing.fired_at == 1'040'000);
  const RulesStatus& st = rw.status();
  CHECK(st.active.empty());
  REQUIRE(st.history.size() == 2);
  CHECK(st.history[0].name == "LossHigh");
  CHECK(st.history[0].fired_at == 1'040'000);
  CHECK(st.history[0].resolved_at == 1'080'000);
  CHECK(st.evaluations == 9); // 1'010'000 .. 1'090'000
  CHECK_FALSE(st.failed);     // no --fail-on-alert
  // The store holds what Prometheus's would: the scraped series with job and instance, up, the
  // recording rule's series and ALERTS.
  std::vector<promql::Matcher> rec{{{"__name__", promql::MatchOp::equal, "job:training_loss:max"}, {}}};
  REQUIRE(rw.storage().select(rec).size() == 1);
  std::vector<promql::Matcher> loss{{{"__name__", promql::MatchOp::equal, "training_loss"}, {}}};
  auto s = rw.storage().select(loss);
  REQUIRE(s.size() == 1);
  CHECK(engine::to_string(s[0]->labels) ==
        R"({__name__="training_loss", instance="127.0.0.1:8000", job="nsmon-watch", model="m"})");
  CHECK(rw.written_by_rules("ALERTS"));
  CHECK(rw.written_by_rules("job:training_loss:max"));
  CHECK_FALSE(rw.written_by_rules("training_loss"));
}

TEST_CASE("watch rules: --fail-on-alert by severity rank", "[watch][watch_rules]") {
  TempDir tmp("fail");
  auto loaded = load_rules({tmp.write("rules.yml", kRules)}, {}, 60'000);
  CHECK(severity_rank("info") < severity_rank("warning"));
  CHECK(severity_rank("warning") < severity_rank("critical"));
  CHECK(severity_rank("whatever") == 0);
  SECTION("critical: the warning fires first but does not fail the run") {
    auto o = options();
    o.fail_rank = severity_rank("critical");
    RuleWatch rw(*loaded, o);
    feed(rw, 8, spike); // up to 1'035'000: LossHigh pending only
    CHECK_FALSE(rw.status().failed);
    feed(rw, 10, spike);
    CHECK(rw.status().failed);
    CHECK(rw.status().failure == "alert LossHigh (critical) fired");
  }
  SECTION("any") {
    auto o = options();
    o.fail_rank = 0;
    RuleWatch rw(*loaded, o);
    feed(rw, 5, spike);
    CHECK(rw.status().failure == "alert LossSomewhatHigh (warning) fired");
  }
}

TEST_CASE("watch rules: a series gone from the scrape is stale, a failed scrape makes up 0", "[watch][watch_rules]") {
  TempDir tmp("stale");
  auto loaded = load_rules({}, {"up == 1"}, 60'000);
  REQUIRE(loaded->diags.empty());
  auto o = options();
  o.keep_all = true; // `up == 1` alone selects neither `a` nor `b`
  RuleWatch rw(*loaded, o);
  rw.scraped("a 1\nb 2\n", expfmt::Format::text, S);
  rw.scraped("a 1\n", expfmt::Format::text, S + 1000);
  auto eval = [&](const char* q, std::int64_t t) {
    auto p = promql::parse(q);
    return engine::instant(*p.expr(), rw.storage(), t).value.vector.size();
  };
  CHECK(eval("b", S + 500) == 1);
  CHECK(eval("b", S + 1500) == 0); // the stale marker ends it at once, not after 5 minutes
  CHECK(eval("a", S + 1500) == 1);
  auto events = rw.scrape_failed(S + 2000);
  CHECK(eval("a", S + 2500) == 0);
  REQUIRE(events.size() == 1); // up == 1 no longer holds
  CHECK(events[0].kind == RuleEvent::Kind::assert_failed);
  CHECK(rw.status().failed);
}

TEST_CASE("watch rules: a sample with its own timestamp is stored at that time and never marked stale",
          "[watch][watch_rules]") {
  auto loaded = load_rules({}, {}, 60'000);
  REQUIRE(loaded->diags.empty());
  auto o = options();
  o.keep_all = true; // no rule selects `a` or `b`
  RuleWatch rw(*loaded, o);
  // `a` says it was taken 30 s before the scrape; `b` has no timestamp.
  rw.scraped("a 1 " + std::to_string(S - 30'000) + "\nb 2\n", expfmt::Format::text, S);
  auto eval = [&](const char* q, std::int64_t t) {
    auto p = promql::parse(q);
    return engine::instant(*p.expr(), rw.storage(), t).value.vector.size();
  };
  CHECK(eval("a", S - 20'000) == 1); // there before the scrape: its own time
  CHECK(eval("b", S - 20'000) == 0);
  // Both gone from the next scrape: only `b` gets a staleness marker.
  rw.scraped("c 3\n", expfmt::Format::text, S + 1000);
  CHECK(eval("b", S + 1500) == 0);
  CHECK(eval("a", S + 1500) == 1); // until the 5m lookback from its own time
  CHECK(eval("a", S - 30'000 + 5 * 60'000 + 1) == 0);
  // An older timestamp than the series' last point is out of order: dropped.
  rw.scraped("a 9 " + std::to_string(S - 40'000) + "\n", expfmt::Format::text, S + 2000);
  REQUIRE(engine::get(rw.storage().all().begin()->first, "__name__") == "a");
  CHECK(rw.storage().all().begin()->second.points.size() == 1);
}

TEST_CASE("watch rules: the store keeps the series of the metric names the rules and assertions select",
          "[watch][watch_rules]") {
  TempDir tmp("selected");
  auto loaded =
      load_rules({tmp.write("rules.yml", kRules)}, {"rate(images_total[1m]) >= 0", "{__name__=\"gpu\"} < 1"}, 60'000);
  REQUIRE(loaded->diags.empty());
  auto names = selected_names(*loaded);
  REQUIRE(names);
  CHECK(*names == std::vector<std::string>{"gpu", "images_total", "job:training_loss:max", "training_loss"});
  const std::string body = "training_loss 1\nimages_total 3\ngpu 0.5\nother{x=\"1\"} 2\nother{x=\"2\"} 2\n";
  auto stored = [](const RuleWatch& rw) {
    std::vector<std::string> out;
    for (const auto& [ls, series] : rw.storage().all()) out.push_back(engine::get(ls, "__name__"));
    std::sort(out.begin(), out.end());
    return out;
  };
  RuleWatch rw(*loaded, options());
  rw.scraped(body, expfmt::Format::text, S);
  rw.scraped(body, expfmt::Format::text, S + 1000);
  CHECK(stored(rw) == std::vector<std::string>{"gpu", "images_total", "training_loss", "up"});
  // --record keeps everything; so does a selector without a metric name.
  auto o = options();
  o.keep_all = true;
  RuleWatch all(*loaded, o);
  all.scraped(body, expfmt::Format::text, S);
  CHECK(stored(all) == std::vector<std::string>{"gpu", "images_total", "other", "other", "training_loss", "up"});
  auto nameless = load_rules({}, {"count({x=\"1\"}) >= 0"}, 60'000);
  CHECK_FALSE(selected_names(*nameless));
  RuleWatch any(*nameless, options());
  any.scraped(body, expfmt::Format::text, S);
  CHECK(stored(any).size() == 6);
}

TEST_CASE("watch rules: an assertion holds until its metric says otherwise, and again after", "[watch][watch_rules]") {
  TempDir tmp("assert");
  auto loaded = load_rules({}, {"max(training_loss) < 5"}, 60'000);
  REQUIRE(loaded->diags.empty());
  RuleWatch rw(*loaded, options());
  // Before the metric exists there is nothing to check.
  CHECK(rw.scraped("other 1\n", expfmt::Format::text, S).empty());
  CHECK(rw.scraped(scrape(1), expfmt::Format::text, S + 1000).empty());
  auto failed = rw.scraped(scrape(7), expfmt::Format::text, S + 2000);
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].kind == RuleEvent::Kind::assert_failed);
  CHECK(failed[0].subject == "max(training_loss) < 5");
  CHECK(failed[0].message == "returned nothing");
  CHECK(rw.scraped(scrape(8), expfmt::Format::text, S + 3000).empty()); // still failing: no new event
  auto again = rw.scraped(scrape(1), expfmt::Format::text, S + 4000);
  REQUIRE(again.size() == 1);
  CHECK(again[0].kind == RuleEvent::Kind::assert_holds);
  // The run stays failed: the condition did not hold for the whole run.
  CHECK(rw.status().failed);
  CHECK(rw.status().failure == "assertion failed: max(training_loss) < 5");
  CHECK(rw.status().failed_asserts == std::vector<std::string>{"max(training_loss) < 5"});
}

TEST_CASE("watch rules: an assertion never checked on data fails the run at its end, and gates",
          "[watch][watch_rules]") {
  auto loaded = load_rules({}, {"max(training_loss) < 5", "max(gpu) < 10"}, 60'000);
  REQUIRE(loaded->diags.empty());
  RuleWatch rw(*loaded, options());
  CHECK(rw.gate());
  // training_loss exported as a counter: its series is training_loss_total, never training_loss.
  CHECK(rw.scraped("training_loss_total 1\ngpu 3\n", expfmt::Format::text, S).empty());
  CHECK(rw.scraped("training_loss_total 2\ngpu 4\n", expfmt::Format::text, S + 1000).empty());
  CHECK_FALSE(rw.status().failed);
  rw.finish();
  CHECK(rw.status().failed);
  CHECK(rw.status().failure == "assertion never checked on data: max(training_loss) < 5");
  CHECK(rw.status().unchecked_asserts == std::vector<std::string>{"max(training_loss) < 5"});
  CHECK(rw.status().failed_asserts.empty());
  // Checked once, then the endpoint refuses as the command exits: stale series are no data, so
  // the assertion neither fails nor becomes unchecked.
  RuleWatch held(*loaded, options());
  CHECK(held.scraped("training_loss 1\ngpu 3\n", expfmt::Format::text, S).empty());
  CHECK(held.scrape_failed(S + 1000).empty());
  held.finish();
  CHECK_FALSE(held.status().failed);
  CHECK(held.status().unchecked_asserts.empty());
  // Rules alone, without --fail-on-alert or an assertion, only show: no gate.
  auto shown = load_rules({}, {}, 60'000);
  CHECK_FALSE(RuleWatch(*shown, options()).gate());
}

TEST_CASE("watch rules: a rule file that does not load or an assertion that does not parse is positioned",
          "[watch][watch_rules]") {
  TempDir tmp("errors");
  auto bad = tmp.write("bad.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x[5m]\n");
  auto loaded = load_rules({bad}, {"sum(up", "up"}, 60'000);
  REQUIRE(loaded->diags.size() >= 2);
  bool in_file = false, in_assert = false;
  for (const auto& d : loaded->diags) {
    if (d.span.file == bad && d.span.line == 5 && d.span.col > 14) in_file = true;
    if (d.span.file == "--assert 1" && d.span.line == 1 && d.span.col == 7) in_assert = true;
    CHECK(d.check == "promql/syntax");
  }
  CHECK(in_file);
  CHECK(in_assert);
  auto strings = load_rules({}, {"\"text\""}, 60'000);
  REQUIRE(strings->diags.size() == 1);
  CHECK(strings->diags[0].message == "an assertion must be an instant vector or a scalar");
  CHECK_THROWS(load_rules({(tmp.dir / "missing.yml").string()}, {}, 60'000));
}

TEST_CASE("watch rules: the store keeps the window, then less when over the memory limit", "[watch][watch_rules]") {
  TempDir tmp("window");
  auto loaded = load_rules({tmp.write("rules.yml", kRules)}, {}, 60'000);
  CHECK(reach_ms(*loaded) == 5 * 60'000); // only the lookback
  auto o = options();
  RuleWatch rw(*loaded, o);
  CHECK(rw.status().window_ms == 15 * 60'000); // at least 15m
  o.window_ms = 60'000;
  RuleWatch small(*loaded, o);
  for (int k = 0; k < 60; ++k) small.scraped(scrape(1), expfmt::Format::text, S + 5000 * k);
  // 60 s at one scrape per 5 s: 12 or 13 points of each of training_loss and up.
  CHECK(small.storage().point_count() <= 26);
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "m{i=\"" + std::to_string(i) + "\"} 1\n";
  o.window_ms = 3'600'000;
  o.max_bytes = 1u << 20;
  o.keep_all = true; // the rules do not select `m`
  RuleWatch tight(*loaded, o);
  for (int k = 0; k < 40; ++k) tight.scraped(many, expfmt::Format::text, S + 5000 * k);
  CHECK(tight.status().window_ms < 3'600'000); // shortened to fit
  CHECK(tight.status().window_ms >= 2 * 60'000);
  auto reach = load_rules({}, {"rate(x[1h] offset 10m) > 0", "max_over_time(y[2h:1m]) > 0"}, 60'000);
  CHECK(reach_ms(*reach) == 2 * 3'600'000 + 5 * 60'000);
}

TEST_CASE("watch rules: transitions as plain lines, jsonl objects, the live block and the summary",
          "[watch][watch_rules]") {
  TempDir tmp("render");
  auto loaded = load_rules({tmp.write("rules.yml", kRules)}, {}, 60'000);
  auto o = options();
  o.fail_rank = severity_rank("critical");
  RuleWatch rw(*loaded, o);
  auto events = feed(rw, 10, spike); // up to 1'045'000: LossHigh firing
  REQUIRE(events.size() == 3);
  CHECK(rule_event_line(events[2], S) == "[   40s] alert LossHigh firing (critical) value 8: loss of nsmon-watch is 8");
  auto j = nlohmann::json::parse(rule_event_json(events[2]));
  CHECK(j["type"] == "alert");
  CHECK(j["event"] == "firing");
  CHECK(j["time"] == 1040.0);
  CHECK(j["alert"]["labels"]["alertname"] == "LossHigh");
  CHECK(j["alert"]["active_at"] == 1020.0);
  auto parts = alert_parts(rw.status(), true, 1'045'000);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0] == "\033[1;31mLossHigh firing 5.0s\033[0m"); // critical: red, firing first
  CHECK(parts[1].find("\033[33mLossSomewhatHigh firing") == 0);
  auto text = rules_summary_text(rw.status(), false, 1'050'000);
  CHECK(text.find("LossHigh (critical) fired at 40s, still firing at the end (10s)") != std::string::npos);
  CHECK(text.find("result     alert LossHigh (critical) fired") != std::string::npos);
  auto js = nlohmann::json::parse(rules_summary_json(rw.status()));
  CHECK(js["failed"] == true);
  CHECK(js["alerts"].size() == 2);
}

TEST_CASE("watch --record: the run as a rule test that the test-rules runner passes, and as OpenMetrics",
          "[watch][watch_rules]") {
  TempDir tmp("record");
  auto rules = tmp.write("rules.yml", kRules);
  auto loaded = load_rules({rules}, {}, 60'000);
  RuleWatch rw(*loaded, options());
  // Scrapes 1.2 s after the evaluation slots, jittering by a few milliseconds, as real ones do.
  for (int k = 0; k < 20; ++k) {
    const std::int64_t t = S + 5000 * k + 1200 + (k % 3) * 7;
    rw.scraped(scrape(spike(k)), expfmt::Format::text, t);
    rw.evaluate(t);
  }
  const std::string path = (tmp.dir / "incident.yml").string();
  write_record(rw, 5000, path);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("rule_files:\n  - 'rules.yml'\n") != std::string::npos); // relative to the test
  CHECK(text.find("evaluation_interval: 10s") != std::string::npos);
  CHECK(text.find("series: 'training_loss{instance=\"127.0.0.1:8000\",job=\"nsmon-watch\",model=\"m\"}'\n"
                  "        values: '_ 1+0x3 8+0x9 1+0x5'") != std::string::npos);
  CHECK(text.find("job:training_loss:max") == std::string::npos); // written by the rules: not input
  // Fired at 1'050'000 in the run (the 8 scraped at 1'021'200 was first seen at 1'030'000).
  CHECK(rw.status().history.at(0).fired_at == 1'050'000);
  CHECK(text.find("eval_time: 50s\n        alertname: 'LossHigh'\n        exp_alerts:\n          - exp_labels:") !=
        std::string::npos);

  core::SourceSet sources;
  std::vector<core::Diagnostic> diags;
  const core::SourceFile& src = sources.add(path, text);
  ruletest::RunOptions ro;
  auto prepared = ruletest::prepare(src, ro, sources, diags);
  REQUIRE(diags.empty());
  REQUIRE(prepared->file.tests.size() == 1);
  auto result = ruletest::run_test(*prepared, 0, ro);
  for (const auto& f : result.failures) INFO(f.message);
  CHECK(result.passed());
  CHECK(result.produced[0][1]); // LossHigh fired in the replay too

  auto om = record_openmetrics(rw);
  CHECK(om.find("training_loss{instance=\"127.0.0.1:8000\",job=\"nsmon-watch\",model=\"m\"} 8 1031.200\n") !=
        std::string::npos);
  CHECK(om.find("ALERTS") == std::string::npos);
  CHECK(om.substr(om.size() - 6) == "# EOF\n");
  CHECK(record_format("a.yml") == RecordFormat::test);
  CHECK(record_format("a.om") == RecordFormat::openmetrics);
  CHECK_FALSE(record_format("a.json"));
}

TEST_CASE("watch --record: a sample stamped far from the run is left out, not stepped to", "[watch][watch_rules]") {
  // An exporter's own timestamps in 2100 (or seconds read as milliseconds): the recorded test
  // once made a step for every 5 s in between (the fuzzer's 28 GB allocation).
  TempDir tmp("record_far");
  auto loaded = load_rules({tmp.write("rules.yml", kRules)}, {}, 60'000);
  RuleWatch rw(*loaded, options());
  for (int k = 0; k < 4; ++k) {
    const std::int64_t t = S + 5000 * k;
    rw.scraped(scrape(1) + "training_loss{model=\"far\"} 3 4102444800000\n", expfmt::Format::text, t);
    rw.evaluate(t);
  }
  const std::string text = record_test(rw, 5000, (tmp.dir / "run.yml").string(), {});
  INFO(text);
  CHECK(text.size() < 2000);
  CHECK(text.find("model=\"m\"") != std::string::npos);
  CHECK(text.find("model=\"far\"") == std::string::npos);
}

TEST_CASE("watch --record --alertmanager: the recorded test carries what Alertmanager does, and passes",
          "[watch][watch_rules]") {
  TempDir tmp("record_am");
  auto rules = tmp.write("rules.yml", kRules);
  const std::string am_text = R"(route:
  receiver: mail
  group_by: [alertname]
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
receivers:
  - name: mail
  - name: pager
    webhook_configs:
      - url: http://127.0.0.1:9/hook
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [job]
)";
  auto am_path = tmp.write("am.yml", am_text);
  core::SourceFile am_src(am_path, am_text);
  std::vector<core::Diagnostic> am_diags;
  auto setup = std::make_shared<ruletest::AlertmanagerSetup>();
  setup->cfg = alertmanager::load_config(am_src, am_diags);
  REQUIRE(am_diags.empty());
  setup->templates = alertmanager::templates_from_text("");
  auto loaded = load_rules({rules}, {}, 60'000);
  RuleWatch rw(*loaded, options());
  for (int k = 0; k < 20; ++k) {
    const std::int64_t t = S + 5000 * k + 1200;
    rw.scraped(scrape(spike(k)), expfmt::Format::text, t);
    rw.evaluate(t);
  }
  const std::string path = (tmp.dir / "incident.yml").string();
  const std::string text = record_test(rw, 5000, path, {am_path, setup.get()});
  INFO(text);
  CHECK(text.find("    start_timestamp: 1000\n") != std::string::npos); // the run's time
  CHECK(text.find("    nsmon:\n      alertmanager: 'am.yml'\n      alertmanager_tests:\n") != std::string::npos);
  // LossHigh pages; LossSomewhatHigh (warning, same job) is inhibited by it.
  CHECK(text.find("            - receiver: \"pager\"\n              group_labels: {alertname: \"LossHigh\"}") !=
        std::string::npos);
  CHECK(text.find("            - alert: {alertname: \"LossSomewhatHigh\"") != std::string::npos);

  // Replayed with the config, it passes; with the page routed elsewhere, it fails.
  for (bool changed : {false, true}) {
    core::SourceSet sources;
    std::vector<core::Diagnostic> diags;
    const core::SourceFile& src = sources.add(path, text);
    ruletest::RunOptions ro;
    auto prepared = ruletest::prepare(src, ro, sources, diags);
    REQUIRE(diags.empty());
    REQUIRE(prepared->tests.at(0).alertmanager_path == am_path);
    auto other = std::make_shared<ruletest::AlertmanagerSetup>(*setup);
    if (changed) other->cfg.route->routes.at(0).receiver->value = "mail";
    prepared->tests[0].alertmanager = other;
    auto result = ruletest::run_test(*prepared, 0, ro);
    for (const auto& f : result.failures) INFO(f.message);
    CHECK(result.passed() == !changed);
  }
}
