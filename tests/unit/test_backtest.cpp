// nsmon backtest: episodes from a server's history, against a fake server that answers the API
// calls with nsmon's engine over a known store (so the server path and the engine path see the
// same data), for, keep_firing_for, query_offset, missing recording rules, long ranges in parts,
// error answers, the counts and the JSON.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "nsmon/backtest/backtest.hpp"
#include "nsmon/backtest/render.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/engine/engine.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/text/time.hpp"

using namespace nsmon;

namespace {

constexpr std::int64_t T0 = 1'699'999'200'000; // 2023-11-14T22:00:00Z, a whole hour
constexpr std::int64_t M = 60'000;

std::string param(const promapi::Call& c, const std::string& name) {
  for (const auto& [k, v] : c.params)
    if (k == name) return v;
  return "";
}

std::int64_t ms_of(const std::string& seconds) { return std::llround(std::stod(seconds) * 1000); }

// A Prometheus that evaluates with nsmon's engine over `storage`; every call is counted.
struct FakeServer {
  engine::Storage storage;
  std::vector<std::string> calls;
  std::string fail_query;  ///< a query answered with an error
  bool fail_names = false; ///< label values answered with an error

  promapi::Reply answer(const promapi::Call& c, const promapi::ReaderOptions& ro) {
    calls.push_back(c.path + " " + param(c, "query"));
    promapi::Reply reply;
    reply.status = "success";
    if (c.path.rfind("label/", 0) == 0 && fail_names) {
      reply.status = "error";
      reply.error_type = "bad_data";
      reply.error = "match[] is not supported";
      return reply;
    }
    if (c.path.rfind("label/", 0) == 0) {
      nlohmann::json names = nlohmann::json::array();
      for (const auto& [ls, s] : storage.all()) names.push_back(engine::get(ls, "__name__"));
      if (ro.data_sink) ro.data_sink(names.dump());
      return reply;
    }
    const std::string q = param(c, "query");
    if (q == fail_query) {
      reply.status = "error";
      reply.error_type = "execution";
      reply.error = "many-to-many matching not allowed";
      return reply;
    }
    promql::ParseResult parsed = promql::parse(q);
    REQUIRE(parsed.ok());
    engine::Result r = c.path == "query_range" ? engine::range(*parsed.expr(), storage, ms_of(param(c, "start")),
                                                               ms_of(param(c, "end")), ms_of(param(c, "step")))
                                               : engine::instant(*parsed.expr(), storage, ms_of(param(c, "time")));
    REQUIRE(!r.error);
    for (const auto& s : r.value.matrix) {
      promapi::Series out;
      out.labels.assign(s.labels.begin(), s.labels.end());
      for (const auto& p : s.points)
        out.samples.push_back({static_cast<double>(p.t) / 1000, engine::format_value(p.v)});
      ro.on_series(out);
    }
    return reply;
  }
  backtest::Ask ask() {
    return [this](const promapi::Call& c, const promapi::ReaderOptions& ro) { return answer(c, ro); };
  }
};

// `value(minute)` every 15 s from T0 - 10m to T0 + 3h.
template <class F> void fill(engine::Storage& st, const engine::Labels& ls, F value) {
  for (std::int64_t t = T0 - 10 * M; t <= T0 + 180 * M; t += 15'000)
    st.add(ls, t, value(static_cast<double>(t - T0) / M));
}

struct Rules {
  core::SourceSet sources;
  std::vector<rules::RuleFile> files; ///< the groups point into them
  std::vector<ruletest::EvalGroup> groups;
  explicit Rules(const std::string& yaml) {
    std::vector<core::Diagnostic> diags;
    files.push_back(rules::load_rule_file(sources.add("rules.yml", yaml), diags));
    // As the backtest command loads rules (ruletest::load_for_evaluation): only errors stop it (a
    // group's query_offset is an info, newer than Prometheus 2.42).
    std::erase_if(diags, [](const core::Diagnostic& d) { return d.severity != core::Severity::error; });
    groups = ruletest::compile_groups(files, M, {}, diags);
    REQUIRE(diags.empty());
  }
};

backtest::Result run(const Rules& r, FakeServer& server, bool engine_only = false, std::int64_t end = T0 + 120 * M) {
  backtest::Options o;
  o.start_ms = T0;
  o.end_ms = end;
  o.engine_only = engine_only;
  return backtest::run(r.groups, o, server.ask());
}

// One line per episode: "labels active start end", in minutes from T0.
std::vector<std::string> describe(const backtest::AlertResult& a) {
  std::vector<std::string> out;
  for (const auto& e : a.episodes)
    out.push_back(engine::to_string(e.labels) + " " + std::to_string((e.active_at - T0) / M) + " " +
                  std::to_string((e.start - T0) / M) + " " + (e.end < 0 ? "open" : std::to_string((e.end - T0) / M)));
  return out;
}

const engine::Labels kSeries{{"__name__", "errors"}, {"job", "app"}};

double burst(double minute) { return minute >= 30 && minute < 50 ? 1 : 0; }

} // namespace

TEST_CASE("backtest: a burst is one episode, firing after `for`, resolved when it ends", "[backtest]") {
  FakeServer server;
  fill(server.storage, kSeries, burst);
  Rules r(R"(groups:
  - name: g
    rules:
      - alert: Burst
        expr: errors > 0.5
        for: 5m
        labels: {severity: page}
)");
  auto res = run(r, server);
  REQUIRE(res.alerts.size() == 1);
  CHECK(res.alerts[0].path == backtest::Path::server);
  CHECK(describe(res.alerts[0]) ==
        std::vector<std::string>{R"({alertname="Burst", job="app", severity="page"} 30 35 50)"});
  CHECK(res.range_queries == 1);
  CHECK(res.raw_queries == 0);
  // nsmon's engine on the raw samples finds the same episode.
  FakeServer again;
  fill(again.storage, kSeries, burst);
  auto eng = run(r, again, true);
  CHECK(eng.alerts[0].path == backtest::Path::engine);
  CHECK(describe(eng.alerts[0]) == describe(res.alerts[0]));
  CHECK(eng.raw_queries == 1);
}

TEST_CASE("backtest: keep_firing_for bridges a short gap, without it the alert flaps", "[backtest]") {
  FakeServer server;
  // 30-40, a 3-minute gap, 43-50.
  fill(server.storage, kSeries, [](double m) { return (m >= 30 && m < 40) || (m >= 43 && m < 50) ? 1.0 : 0.0; });
  Rules r(R"(groups:
  - name: g
    rules:
      - alert: Kept
        expr: errors > 0.5
        keep_firing_for: 5m
      - alert: Plain
        expr: errors > 0.5
)");
  auto res = run(r, server);
  REQUIRE(res.alerts.size() == 2);
  CHECK(describe(res.alerts[0]) == std::vector<std::string>{R"({alertname="Kept", job="app"} 30 30 55)"});
  CHECK(describe(res.alerts[1]) == std::vector<std::string>{R"({alertname="Plain", job="app"} 30 30 40)",
                                                            R"({alertname="Plain", job="app"} 43 43 50)"});
  auto s = backtest::summarize(res.alerts[1], res.end_ms, 4 * 60 * M, 15 * M);
  CHECK(s.flaps == 1);
  CHECK(s.notifications == 2);
  CHECK(s.firing_ms == 17 * M);
  CHECK(backtest::summarize(res.alerts[1], res.end_ms, 4 * 60 * M, 2 * M).flaps == 0);
}

TEST_CASE("backtest: a group's query_offset shifts what each evaluation sees", "[backtest]") {
  FakeServer server;
  fill(server.storage, kSeries, burst);
  Rules r(R"(groups:
  - name: g
    interval: 1m
    query_offset: 2m
    rules:
      - alert: Late
        expr: errors > 0.5
)");
  auto res = run(r, server);
  CHECK(describe(res.alerts[0]) == std::vector<std::string>{R"({alertname="Late", job="app"} 32 32 52)"});
  FakeServer again;
  fill(again.storage, kSeries, burst);
  CHECK(describe(run(r, again, true).alerts[0]) == describe(res.alerts[0]));
}

TEST_CASE("backtest: a recording rule the server lacks is evaluated by nsmon, one it has is read", "[backtest]") {
  const char* yaml = R"(groups:
  - name: g
    rules:
      - record: job:errors:max
        expr: max by (job) (errors)
      - alert: FromRecorded
        expr: job:errors:max > 0.5
        for: 2m
      - alert: Direct
        expr: errors > 0.5
)";
  Rules r(yaml);
  FakeServer server;
  fill(server.storage, kSeries, burst);
  auto res = run(r, server);
  REQUIRE(res.alerts.size() == 2);
  CHECK(res.alerts[0].path == backtest::Path::engine);
  CHECK(res.alerts[0].evaluated == std::vector<std::string>{"job:errors:max"});
  CHECK(describe(res.alerts[0]) == std::vector<std::string>{R"({alertname="FromRecorded", job="app"} 30 32 50)"});
  CHECK(res.alerts[1].path == backtest::Path::server);
  CHECK(res.other_queries == 1);

  FakeServer with;
  fill(with.storage, kSeries, burst);
  fill(with.storage, {{"__name__", "job:errors:max"}, {"job", "app"}}, burst);
  auto read = run(r, with);
  CHECK(read.alerts[0].path == backtest::Path::server);
  CHECK(read.alerts[0].evaluated.empty());
  CHECK(describe(read.alerts[0]) == describe(res.alerts[0]));
}

TEST_CASE("backtest: more steps than a range query takes go in parts, an episode across them is one", "[backtest]") {
  Rules r(R"(groups:
  - name: g
    interval: 1s
    rules:
      - alert: Fine
        expr: errors > 0.5
)");
  // 3 hours at 1s: 10,801 steps in two parts, the second from 10,000 s (2h46m40s), inside the burst.
  FakeServer across;
  fill(across.storage, kSeries, [](double m) { return m >= 160 && m < 170 ? 1.0 : 0.0; });
  auto res = run(r, across, false, T0 + 180 * M);
  CHECK(res.range_queries == 2);
  REQUIRE(res.alerts[0].episodes.size() == 1);
  CHECK(res.alerts[0].episodes[0].start == T0 + 160 * M);
  CHECK(res.alerts[0].episodes[0].end == T0 + 170 * M);
}

TEST_CASE("backtest: an error answer fails the rule's evaluations, not the run, a still-firing alert is open",
          "[backtest]") {
  FakeServer server;
  fill(server.storage, kSeries, [](double m) { return m >= 100 ? 1.0 : 0.0; });
  server.fail_query = "errors > bad";
  Rules r(R"(groups:
  - name: g
    rules:
      - alert: Broken
        expr: errors > bad
      - alert: Open
        expr: errors > 0.5
        for: 10m
)");
  auto res = run(r, server);
  CHECK(res.alerts[0].failed_steps == 121);
  CHECK(res.alerts[0].first_error == "the server answered: execution: many-to-many matching not allowed");
  CHECK(describe(res.alerts[1]) == std::vector<std::string>{R"({alertname="Open", job="app"} 100 110 open)"});
  auto doc = nlohmann::json::parse(backtest::render_json(res, nullptr, {}));
  CHECK(doc["alerts"][1]["episodes"][0]["end"].is_null());
  CHECK(doc["alerts"][1]["episodes"][0]["start"] == text::format_rfc3339_ms(T0 + 110 * M, text::Fraction::millis));
  CHECK(doc["alerts"][1]["episodes"][0]["labels"]["job"] == "app");
  CHECK(doc["alerts"][1]["firing_seconds"] == 600);
  // A transport failure is the caller's to report.
  backtest::Options o;
  o.start_ms = T0;
  o.end_ms = T0 + M;
  backtest::Ask down = [](const promapi::Call&, const promapi::ReaderOptions&) -> promapi::Reply {
    throw ServerError("connection refused");
  };
  CHECK_THROWS_AS(backtest::run(r.groups, o, down), ServerError);
}

TEST_CASE("backtest: notifications repeat while an episode fires, RFC 3339 times", "[backtest]") {
  backtest::AlertResult a;
  a.episodes.push_back({{{"alertname", "X"}}, 0, 0, 9 * 3600 * 1000});
  a.episodes.push_back({{{"alertname", "X"}}, 0, 10 * 3600 * 1000, -1});
  auto s = backtest::summarize(a, 11 * 3600 * 1000, 4 * 3600 * 1000, 15 * M);
  CHECK(s.notifications == 3 + 1);
  CHECK(s.firing_ms == 10 * 3600 * 1000);
  CHECK(s.flaps == 0);
  CHECK(text::format_rfc3339_ms(T0) == "2023-11-14T22:00:00Z");
  CHECK(text::format_rfc3339_ms(T0 + 250, text::Fraction::millis) == "2023-11-14T22:00:00.250Z");
}

TEST_CASE("backtest: the timeline marks the cells an episode touches, --compare shows old and new", "[backtest]") {
  backtest::Result old, now;
  old.start_ms = now.start_ms = T0;
  old.end_ms = now.end_ms = T0 + 100 * M;
  backtest::AlertResult a;
  a.alertname = "A";
  a.episodes.push_back({{{"alertname", "A"}}, T0 + 10 * M, T0 + 10 * M, T0 + 20 * M});
  old.alerts.push_back(a);
  a.episodes.push_back({{{"alertname", "A"}}, T0 + 90 * M, T0 + 90 * M, -1});
  now.alerts.push_back(a);
  backtest::RenderOptions o;
  o.width = 14; // "A" + " |" + 10 cells + "|"
  const std::string timeline = backtest::render_timeline(now, o);
  CHECK(timeline.substr(0, timeline.find('\n')) == "A |·█·······█|");
  const std::string cmp = backtest::render_compare(old, now, o);
  CHECK(cmp.find("A      1 -> 2    10m -> 20m  1 -> 2         0 -> 0") != std::string::npos);
  CHECK(cmp.find("A |·█········|") != std::string::npos);
}

// A server without the metrics a rule reads (the wrong server or port, a range before the data):
// its 0 episodes say nothing, and the table, the notes and the JSON say why.
TEST_CASE("backtest: the metrics a rule reads that the server has no series of", "[backtest]") {
  const char* yaml = R"(groups:
  - name: g
    rules:
      - record: job:latency:max
        expr: max by (job) (latency)
      - alert: Errors
        expr: errors > 0.5
      - alert: Ratio
        expr: errors / requests > 0.1
      - alert: Latency
        expr: job:latency:max > 2
      - alert: Constant
        expr: vector(1) > 2
)";
  Rules r(yaml);
  FakeServer server;
  fill(server.storage, kSeries, burst);
  auto res = run(r, server);
  REQUIRE(res.alerts.size() == 4);
  CHECK(res.alerts[0].missing.empty());
  CHECK_FALSE(res.alerts[0].no_data());
  CHECK(res.alerts[1].missing == std::vector<std::string>{"requests"});
  CHECK(res.alerts[1].data_names == 2);
  CHECK_FALSE(res.alerts[1].no_data());
  // Through a recording rule the server lacks: the series nsmon evaluates it from.
  CHECK(res.alerts[2].missing == std::vector<std::string>{"latency"});
  CHECK(res.alerts[2].no_data());
  CHECK(res.alerts[3].data_names == 0);
  CHECK_FALSE(res.alerts[3].no_data());
  const std::string text = backtest::render_text(res, {});
  CHECK(text.find("Ratio: the server has no series of requests in the range (1 of the 2 metrics it reads have "
                  "data)") != std::string::npos);
  CHECK(text.find("Latency: the server has no series of latency in the range, nor of anything else it reads: its "
                  "0 episodes say nothing about it") != std::string::npos);
  CHECK(text.find("no data") != std::string::npos);
  auto doc = nlohmann::json::parse(backtest::render_json(res, nullptr, {}));
  CHECK(doc["alerts"][2]["no_data"] == true);
  CHECK(doc["alerts"][2]["metrics_without_data"] == nlohmann::json::array({"latency"}));
  CHECK(doc["alerts"][0]["no_data"] == false);
}

TEST_CASE("backtest: a server that cannot list its metric names", "[backtest]") {
  FakeServer server;
  server.fail_names = true;
  fill(server.storage, kSeries, burst);
  // Rules of scraped metrics alone run as the server answers them; none is said to lack data.
  Rules scraped(R"(groups:
  - name: g
    rules:
      - alert: Ratio
        expr: errors / requests > 0.1
)");
  auto res = run(scraped, server);
  CHECK(res.alerts[0].missing.empty());
  CHECK_FALSE(res.alerts[0].no_data());
  // Where an alert reads a recording rule, whether the server holds its series decides the path.
  Rules recorded(R"(groups:
  - name: g
    rules:
      - record: job:errors:max
        expr: max by (job) (errors)
      - alert: Errors
        expr: job:errors:max > 0.5
)");
  CHECK_THROWS_WITH(run(recorded, server),
                    Catch::Contains("cannot list metric names: bad_data: match[] is not supported"));
}
