// The PromQL engine against Prometheus 3.x semantics; every expected number is worked out by hand
// from Prometheus's rules (promql/engine.go, functions.go, quantile.go) in the comment next to it.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "nsmon/engine/engine.hpp"
#include "nsmon/promql/parser.hpp"

using namespace nsmon;
using engine::Labels;

namespace {

constexpr std::int64_t s = 1000; // one second in ms

struct Fixture {
  engine::Storage storage;
  promql::ParseOptions parse_options;

  Fixture() { parse_options.experimental_functions = parse_options.extended_range_selectors = true; }

  // Values every `step` seconds from t=0; NaN entries are skipped.
  void load(const Labels& ls, std::int64_t step, std::initializer_list<double> values) {
    std::int64_t t = 0;
    for (double v : values) {
      if (!std::isnan(v) || engine::is_stale_nan(v)) storage.add(ls, t, v);
      t += step * s;
    }
  }

  engine::Result at(const std::string& expr, std::int64_t t) {
    auto parsed = promql::parse(expr, parse_options);
    REQUIRE(parsed.ok());
    return engine::instant(*parsed.expr(), storage, t);
  }

  // The instant vector as "labels value" lines, in the engine's order.
  std::string vec(const std::string& expr, std::int64_t t) {
    auto r = at(expr, t);
    if (r.error) return "error: " + *r.error;
    if (r.value.type == promql::ValueType::scalar) return "scalar " + engine::format_value(r.value.scalar);
    std::string out;
    for (const auto& x : r.value.vector) out += engine::to_string(x.labels) + " " + engine::format_value(x.v) + "\n";
    return out;
  }
};

const double kNone = std::nan("");

} // namespace

TEST_CASE("engine: values print as Prometheus prints them", "[engine]") {
  CHECK(engine::format_value(1e6) == "1e+06");
  CHECK(engine::format_value(100000) == "100000");
  CHECK(engine::format_value(0.1) == "0.1");
  CHECK(engine::format_value(0.00001) == "1e-05");
  CHECK(engine::format_value(1.0 / 6) == "0.16666666666666666");
  CHECK(engine::format_value(std::nan("")) == "NaN");
  CHECK(engine::format_value(HUGE_VAL) == "+Inf");
  CHECK(engine::format_value(-HUGE_VAL) == "-Inf");
  CHECK(engine::to_string({{"__name__", "up"}, {"job", "a\"b"}}) == "{__name__=\"up\", job=\"a\\\"b\"}");
  CHECK(engine::is_stale_nan(engine::stale_nan()));
  CHECK_FALSE(engine::is_stale_nan(std::nan("")));
}

TEST_CASE("engine: the storage refuses out-of-order points and selects by matchers", "[engine]") {
  engine::Storage st;
  CHECK(st.add({{"__name__", "up"}, {"job", "a"}}, 10, 1));
  CHECK_FALSE(st.add({{"__name__", "up"}, {"job", "a"}}, 10, 2));
  CHECK(st.add({{"__name__", "up"}, {"job", "b"}}, 10, 1));
  CHECK(st.series_count() == 2);
  CHECK(st.point_count() == 2);
  std::vector<promql::Matcher> ms{{{"__name__", promql::MatchOp::equal, "up"}, {}},
                                  {{"job", promql::MatchOp::regex, "a|c"}, {}}};
  auto sel = st.select(ms);
  REQUIRE(sel.size() == 1);
  CHECK(engine::get(sel[0]->labels, "job") == "a");
  CHECK(st.drop_before(11) == 2);
  CHECK(st.series_count() == 0); // series left without points go
  CHECK(st.select(ms).empty());
  // Unsorted names are sorted; an empty value is no label.
  CHECK(st.add({{"job", "a"}, {"__name__", "up"}, {"x", ""}}, 20, 3));
  CHECK(st.add({{"__name__", "up"}, {"job", "b"}}, 20, 1));
  CHECK(st.series_count() == 2);
  CHECK(st.drop_before(20) == 0);
  CHECK(st.select(ms).size() == 1);
}

TEST_CASE("engine: lookback is left-open (t-5m to t), staleness ends a series, offset and @ move the read time",
          "[engine]") {
  Fixture f;
  f.load({{"__name__", "m"}}, 60, {1, 2});
  f.load({{"__name__", "gone"}}, 60, {1, engine::stale_nan()});
  CHECK(f.vec("m", 30 * s) == "{__name__=\"m\"} 1\n");
  CHECK(f.vec("m", 359 * s) == "{__name__=\"m\"} 2\n");
  CHECK(f.vec("m", 360 * s).empty()); // the sample at 60s is exactly on the window's open start
  CHECK(f.vec("gone", 30 * s) == "{__name__=\"gone\"} 1\n");
  CHECK(f.vec("gone", 90 * s).empty());
  CHECK(f.vec("m offset 1m", 90 * s) == "{__name__=\"m\"} 1\n");
  CHECK(f.vec("m @ 30", 1000 * s) == "{__name__=\"m\"} 1\n");
  CHECK(f.vec("m @ 100 offset 1m", 0) == "{__name__=\"m\"} 1\n");
  CHECK(f.vec("-m", 90 * s) == "{} -2\n");
  CHECK(f.vec("timestamp(m)", 90 * s) == "{} 60\n");
  CHECK(f.vec("timestamp(m + 0)", 90 * s) == "{} 90\n");
}

TEST_CASE("engine: range windows are left-open and skip stale markers", "[engine]") {
  Fixture f;
  f.load({{"__name__", "m"}}, 60, {1, 2, engine::stale_nan(), 4});
  CHECK(f.vec("count_over_time(m[2m])", 120 * s) == "{} 1\n"); // 0s is on the open edge, 120s stale
  CHECK(f.vec("count_over_time(m[3m])", 180 * s) == "{} 2\n"); // 60s and 180s
  CHECK(f.vec("last_over_time(m[1m])", 150 * s).empty());      // (90s, 150s] holds only the marker
  CHECK(f.vec("last_over_time(m[5m])", 150 * s) == "{__name__=\"m\"} 2\n");
  CHECK(f.vec("m", 150 * s).empty());
}

TEST_CASE("engine: rate, increase and delta extrapolate as Prometheus", "[engine]") {
  Fixture f;
  // A counter growing by 10 every minute from 0 at t=0 to 100 at t=600s.
  f.load({{"__name__", "c_total"}}, 60, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100});
  // Window (300s, 600s]: 60..100 at 360..600s. Increase 40 over 240s; the first sample is 60s from
  // the start (< 1.1 x the 60s average) so it extrapolates to the start: 40 * 300/240 = 50.
  CHECK(f.vec("increase(c_total[5m])", 600 * s) == "{} 50\n");
  CHECK(f.vec("rate(c_total[5m])", 600 * s) == "{} 0.16666666666666666\n");
  // A series that starts inside the window: 5, 15, 25 at 480, 540, 600s. The start is 180s away
  // (> 66s), so only half an interval (30s) is added, and the zero point (120 * 5/20 = 30s) agrees:
  // 20 * 150/120 = 25.
  f.load({{"__name__", "late_total"}}, 60, {kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, 5, 15, 25});
  CHECK(f.vec("increase(late_total[5m])", 600 * s) == "{} 25\n");
  CHECK(f.vec("rate(late_total[5m])", 600 * s) == "{} 0.08333333333333333\n");
  // Counter reset: 10, 20, 5 at 0, 60, 120s: increase 20 - 10 + 20 = 15 over 120s; the window
  // (-60s, 120s] starts 60s before the first sample (< 66s) but the zero point is 120 * 10/15 = 80s
  // away, so 60s is added: 15 * 180/120 = 22.5.
  f.load({{"__name__", "r_total"}}, 60, {10, 20, 5});
  CHECK(f.vec("increase(r_total[3m])", 120 * s) == "{} 22.5\n");
  CHECK(f.vec("resets(r_total[3m])", 120 * s) == "{} 1\n");
  // delta on a gauge does not stop at zero: 10, 20, 5 -> -5 * 180/120 = -7.5.
  CHECK(f.vec("delta(r_total[3m])", 120 * s) == "{} -7.5\n");
  CHECK(f.vec("irate(r_total[3m])", 120 * s) == "{} 0.08333333333333333\n"); // reset: 5 / 60s
  CHECK(f.vec("idelta(r_total[3m])", 120 * s) == "{} -15\n");
  // One sample is not enough.
  CHECK(f.vec("rate(c_total[1m])", 600 * s).empty());
}

TEST_CASE("engine: rate of a metric that is not a counter is an info", "[engine]") {
  Fixture f;
  f.load({{"__name__", "gauge"}}, 60, {1, 2, 3});
  auto r = f.at("rate(gauge[5m])", 120 * s);
  REQUIRE(r.infos.size() == 1);
  CHECK(r.infos[0] ==
        "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"gauge\"");
}

TEST_CASE("engine: vector matching and its errors in Prometheus's words", "[engine]") {
  Fixture f;
  f.load({{"__name__", "a"}, {"job", "x"}, {"i", "1"}}, 60, {1});
  f.load({{"__name__", "a"}, {"job", "x"}, {"i", "2"}}, 60, {2});
  f.load({{"__name__", "b"}, {"job", "x"}}, 60, {10});
  f.load({{"__name__", "b"}, {"job", "x"}, {"k", "v"}}, 60, {20});
  CHECK(f.vec("a + on(job) group_left b{k=\"\"}", 0) == "{i=\"1\", job=\"x\"} 11\n{i=\"2\", job=\"x\"} 12\n");
  CHECK(f.vec("a > on(job) group_left b{k=\"\"} - 8.5", 0) == "{__name__=\"a\", i=\"2\", job=\"x\"} 2\n");
  CHECK(f.vec("a + on(job) b{k=\"\"}", 0) ==
        "error: multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
  CHECK(f.vec("a + on(job) group_left b", 0) ==
        "error: found duplicate series for the match group {job=\"x\"} on the right hand-side of the operation: "
        "[{__name__=\"b\", job=\"x\", k=\"v\"}, {__name__=\"b\", job=\"x\"}];many-to-many matching not allowed: "
        "matching labels must be unique on one side");
  CHECK(f.vec("b{k=\"\"} + on(job) group_right a", 0) == "{i=\"1\", job=\"x\"} 11\n{i=\"2\", job=\"x\"} 12\n");
  CHECK(f.vec("a == bool on(job) group_left b{k=\"\"} - 9", 0) == "{i=\"1\", job=\"x\"} 1\n{i=\"2\", job=\"x\"} 0\n");
  CHECK(f.vec("a and on(i) a{i=\"2\"}", 0) == "{__name__=\"a\", i=\"2\", job=\"x\"} 2\n");
  CHECK(f.vec("a unless on(i) a{i=\"2\"}", 0) == "{__name__=\"a\", i=\"1\", job=\"x\"} 1\n");
  CHECK(f.vec("a{i=\"1\"} or b", 0) == "{__name__=\"a\", i=\"1\", job=\"x\"} 1\n{__name__=\"b\", job=\"x\"} "
                                       "10\n{__name__=\"b\", job=\"x\", k=\"v\"} 20\n");
  CHECK(f.vec("a > 1", 0) == "{__name__=\"a\", i=\"2\", job=\"x\"} 2\n");
  CHECK(f.vec("1 < a", 0) == "{__name__=\"a\", i=\"2\", job=\"x\"} 2\n");
  CHECK(f.vec("a > bool 1", 0) == "{i=\"1\", job=\"x\"} 0\n{i=\"2\", job=\"x\"} 1\n");
  CHECK(f.vec("2 ^ 3 % 5", 0) == "scalar 3");
  CHECK(f.vec("a * 0 + on() group_left vector(1)", 0) == "{i=\"1\", job=\"x\"} 1\n{i=\"2\", job=\"x\"} 1\n");
}

TEST_CASE("engine: aggregations", "[engine]") {
  Fixture f;
  f.load({{"__name__", "m"}, {"g", "a"}, {"i", "1"}}, 60, {1});
  f.load({{"__name__", "m"}, {"g", "a"}, {"i", "2"}}, 60, {2});
  f.load({{"__name__", "m"}, {"g", "b"}, {"i", "3"}}, 60, {6});
  f.load({{"__name__", "m"}, {"g", "b"}, {"i", "4"}}, 60, {kNone});
  f.storage.add({{"__name__", "m"}, {"g", "b"}, {"i", "4"}}, 0, std::nan(""));
  CHECK(f.vec("sum by (g) (m{i!=\"4\"})", 0) == "{g=\"a\"} 3\n{g=\"b\"} 6\n");
  CHECK(f.vec("sum without (i) (m)", 0) == "{g=\"a\"} 3\n{g=\"b\"} NaN\n");
  CHECK(f.vec("max by (g) (m)", 0) == "{g=\"a\"} 2\n{g=\"b\"} 6\n"); // NaN loses
  CHECK(f.vec("avg(m{i!=\"4\"})", 0) == "{} 3\n");
  CHECK(f.vec("count(m)", 0) == "{} 4\n");
  CHECK(f.vec("group by (g) (m)", 0) == "{g=\"a\"} 1\n{g=\"b\"} 1\n");
  CHECK(f.vec("stddev(m{i!=\"4\"})", 0) == "{} 2.160246899469287\n"); // sqrt(14/3)
  CHECK(f.vec("stdvar by (g) (m{g=\"a\"})", 0) == "{g=\"a\"} 0.25\n");
  CHECK(f.vec("quantile(0.5, m{i!=\"4\"})", 0) == "{} 2\n");
  CHECK(f.vec("quantile(0.75, m{i!=\"4\"})", 0) == "{} 4\n"); // rank 1.5 between 2 and 6
  CHECK(f.vec("topk(2, m)", 0) == "{__name__=\"m\", g=\"b\", i=\"3\"} 6\n{__name__=\"m\", g=\"a\", i=\"2\"} 2\n");
  CHECK(f.vec("bottomk by (g) (1, m)", 0) ==
        "{__name__=\"m\", g=\"a\", i=\"1\"} 1\n{__name__=\"m\", g=\"b\", i=\"3\"} 6\n");
  CHECK(f.vec("count_values(\"v\", m{g=\"a\"})", 0) == "{v=\"1\"} 1\n{v=\"2\"} 1\n");
  CHECK(f.vec("count_values by (g) (\"g\", m{g=\"a\"} * 0)", 0) == "{g=\"0\"} 2\n");
  CHECK(f.vec("limitk(1, m{g=\"a\"})", 0) == "{__name__=\"m\", g=\"a\", i=\"1\"} 1\n");
  CHECK(f.vec("topk(0, m)", 0).empty());
  auto q = f.at("quantile(2, m)", 0);
  REQUIRE(q.warnings.size() == 1);
  CHECK(q.warnings[0] == "PromQL warning: quantile value should be between 0 and 1, got 2");
}

TEST_CASE("engine: histogram_quantile on classic buckets", "[engine]") {
  Fixture f;
  f.load({{"__name__", "h_bucket"}, {"le", "0.1"}}, 60, {10});
  f.load({{"__name__", "h_bucket"}, {"le", "0.5"}}, 60, {20});
  f.load({{"__name__", "h_bucket"}, {"le", "+Inf"}}, 60, {30});
  // rank 15 falls in (0.1, 0.5] holding 10 observations, 5 of them needed: 0.1 + 0.4 * 5/10
  // (0.30000000000000004 in doubles, as Prometheus prints it too).
  CHECK(f.vec("histogram_quantile(0.5, h_bucket)", 0) == "{} 0.30000000000000004\n");
  // Above the last finite bucket: its upper bound.
  CHECK(f.vec("histogram_quantile(0.9, h_bucket)", 0) == "{} 0.5\n");
  // The first bucket starts at 0: rank 3 of 10 in (0, 0.1].
  CHECK(f.vec("histogram_quantile(0.1, h_bucket)", 0) == "{} 0.03\n");
  CHECK(f.vec("histogram_quantile(2, h_bucket)", 0) == "{} +Inf\n");
  // Fraction of observations up to 0.3: 10 + 10 * (0.2/0.4) = 15 of 30.
  CHECK(f.vec("histogram_fraction(0, 0.3, h_bucket)", 0) == "{} 0.5\n");

  Fixture g;
  g.load({{"__name__", "h_bucket"}, {"le", "0.1"}}, 60, {10});
  g.load({{"__name__", "h_bucket"}, {"le", "0.5"}}, 60, {8}); // not monotonic: read as 10
  g.load({{"__name__", "h_bucket"}, {"le", "+Inf"}}, 60, {30});
  auto r = g.at("histogram_quantile(0.5, h_bucket)", 0);
  REQUIRE(r.value.vector.size() == 1);
  CHECK(r.value.vector[0].v == 0.5);
  CHECK(r.infos.size() == 1);

  // histogram_quantiles: one series per quantile, named as OpenMetrics writes floats.
  CHECK(f.vec("histogram_quantiles(h_bucket, \"q\", 0.5, 1)", 0) ==
        "{q=\"0.5\"} 0.30000000000000004\n{q=\"1.0\"} 0.5\n");
  f.load({{"__name__", "h_bucket"}, {"le", "x"}}, 60, {5});
  auto bad = f.at("histogram_quantile(0.5, h_bucket)", 0);
  REQUIRE(bad.value.vector.size() == 1);
  CHECK(bad.value.vector[0].v == Approx(0.3));
  REQUIRE(bad.warnings.size() == 1);
  CHECK(bad.warnings[0] == "PromQL warning: bucket label \"le\" is missing or has a malformed value of \"x\"");

  Fixture n;
  n.load({{"__name__", "h_bucket"}, {"le", "1"}}, 60, {10});
  CHECK(n.vec("histogram_quantile(0.5, h_bucket)", 0) == "{} NaN\n"); // no +Inf bucket
}

TEST_CASE("engine: subqueries step on absolute multiples of their step", "[engine]") {
  Fixture f;
  f.load({{"__name__", "m"}}, 10, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  // At 125s, m[1m:30s] reads m at 90s and 120s (multiples of 30s in (65s, 125s]).
  CHECK(f.vec("count_over_time(m[1m:30s])", 125 * s) == "{} 2\n");
  CHECK(f.vec("sum_over_time(m[1m:30s])", 125 * s) == "{} 21\n"); // 9 + 12
  // Default step 1m: 60s and 120s in (5s, 125s].
  CHECK(f.vec("sum_over_time(m[2m:])", 125 * s) == "{} 18\n");
  CHECK(f.vec("max_over_time(rate(m[30s])[1m:30s])", 120 * s) == "{} 0.1\n");
  CHECK(f.vec("last_over_time(m[1m:30s] offset 30s)", 125 * s) == "{__name__=\"m\"} 9\n");
}

// test-rules keeps a subquery's steps between its evaluations (Options::reuse_subqueries). Here a
// store grows as test-rules grows it (the inputs up to t, then a rule's output at t written after
// the queries at t, and series that start late and go stale), and each query with its steps reused
// must answer, annotate and fail exactly as a fresh evaluation of the same store.
TEST_CASE("engine: reused subquery steps answer as fresh ones while samples arrive", "[engine]") {
  engine::Storage storage;
  promql::ParseOptions po;
  const std::vector<std::string> exprs = {
      "sum_over_time((x + 1)[10m:1m])",
      "max_over_time(r[7m:2m])",                          // r's point at t is written after the query at t
      "count_over_time((x offset 3m)[10m:])",             // a positive offset reads only the past
      "sum_over_time(rate(x[3m])[6m:1m])",                // x is no counter: an info each evaluation
      "max_over_time(max_over_time(late[2m:1m])[5m:1m])", // a subquery in a subquery, a series that starts late
      "count_over_time((x @ 900)[10m:1m])",               // @: not reused
      "sum_over_time(vector(time())[5m:1m])",
      "count_over_time(sum by (g) (x)[4m:1m])"};
  std::vector<std::shared_ptr<promql::ParseResult>> parsed;
  for (const auto& e : exprs) {
    parsed.push_back(std::make_shared<promql::ParseResult>(promql::parse(e, po)));
    REQUIRE(parsed.back()->ok());
  }
  engine::Options fresh, reuse;
  reuse.reuse_subqueries = true;
  auto show = [](const engine::Result& r) {
    std::string out = r.error ? "error: " + *r.error + "\n" : "";
    for (const auto& x : r.value.vector) out += engine::to_string(x.labels) + " " + engine::format_value(x.v) + "\n";
    for (const auto& w : r.warnings) out += "warning: " + w + "\n";
    for (const auto& i : r.infos) out += "info: " + i + "\n";
    return out;
  };
  std::size_t answers = 0;
  for (std::int64_t t = 0; t <= 40 * 60 * s; t += 60 * s) {
    const std::int64_t m = t / (60 * s);
    storage.add({{"__name__", "x"}, {"g", "a"}}, t, static_cast<double>(m % 7));
    if (m % 5 != 0) storage.add({{"__name__", "x"}, {"g", "b"}}, t, static_cast<double>(m * m));
    if (m >= 12 && m < 20) storage.add({{"__name__", "late"}}, t, static_cast<double>(40 - m));
    if (m == 20) storage.add({{"__name__", "late"}}, t, engine::stale_nan());
    for (std::size_t k = 0; k < exprs.size(); ++k) {
      INFO(exprs[k] << " at " << m << "m");
      std::string want = show(engine::instant(*parsed[k]->expr(), storage, t, fresh));
      CHECK(show(engine::instant(*parsed[k]->expr(), storage, t, reuse)) == want);
      answers += want.empty() ? 0 : 1;
    }
    storage.add({{"__name__", "r"}}, t, static_cast<double>((m * 37) % 11)); // a recording rule's output
  }
  CHECK(answers > exprs.size() * 30); // the queries answered: the comparison is not of empty results
  // A budget too small fails a query whose steps are reused as it fails a fresh one.
  fresh.max_samples = reuse.max_samples = 40;
  const auto& big = *parsed[0]->expr();
  CHECK(show(engine::instant(big, storage, 40 * 60 * s, reuse)) ==
        show(engine::instant(big, storage, 40 * 60 * s, fresh)));
  CHECK(
      show(engine::instant(big, storage, 40 * 60 * s, reuse)).rfind("error: query processing would load too many", 0) ==
      0);
}

TEST_CASE("engine: functions", "[engine]") {
  Fixture f;
  f.load({{"__name__", "m"}, {"src", "a-1"}}, 60, {-2.5});
  CHECK(f.vec("abs(m)", 0) == "{src=\"a-1\"} 2.5\n");
  CHECK(f.vec("round(m)", 0) == "{src=\"a-1\"} -2\n"); // ties round up
  CHECK(f.vec("clamp(m, -1, 1)", 0) == "{src=\"a-1\"} -1\n");
  CHECK(f.vec("clamp(m, 1, -1)", 0).empty());
  CHECK(f.vec("sgn(m)", 0) == "{src=\"a-1\"} -1\n");
  CHECK(f.vec("label_replace(m, \"dst\", \"$1-$2x\", \"src\", \"(.*)-(.*)\")", 0) ==
        "{__name__=\"m\", dst=\"a-\", src=\"a-1\"} -2.5\n"); // $2x is the group named "2x": empty
  CHECK(f.vec("label_replace(m, \"dst\", \"${2}x\", \"src\", \"(.*)-(.*)\")", 0) ==
        "{__name__=\"m\", dst=\"1x\", src=\"a-1\"} -2.5\n");
  CHECK(f.vec("label_replace(m, \"dst\", \"y\", \"src\", \"b.*\")", 0) == "{__name__=\"m\", src=\"a-1\"} -2.5\n");
  CHECK(f.vec("label_join(m, \"dst\", \",\", \"src\", \"__name__\")", 0) ==
        "{__name__=\"m\", dst=\"a-1,m\", src=\"a-1\"} -2.5\n");
  CHECK(f.vec("absent(nothing{job=\"x\", a=~\"y\"})", 0) == "{job=\"x\"} 1\n");
  CHECK(f.vec("absent(m)", 0).empty());
  CHECK(f.vec("absent_over_time(nothing{job=\"x\"}[1m])", 0) == "{job=\"x\"} 1\n");
  CHECK(f.vec("scalar(m)", 0) == "scalar -2.5");
  CHECK(f.vec("scalar(nothing)", 0) == "scalar NaN");
  CHECK(f.vec("vector(time())", 90 * s) == "{} 90\n");
  // 2024-02-29T13:45:00Z = 1709214300: a Thursday, the 60th day, in a 29-day month.
  CHECK(f.vec("day_of_week(vector(1709214300))", 0) == "{} 4\n");
  CHECK(f.vec("day_of_year(vector(1709214300))", 0) == "{} 60\n");
  CHECK(f.vec("days_in_month(vector(1709214300))", 0) == "{} 29\n");
  CHECK(f.vec("hour(vector(1709214300)) * 100 + minute(vector(1709214300))", 0) == "{} 1345\n");
  CHECK(f.vec("year()", 0) == "{} 1970\n");
}

TEST_CASE("engine: functions over ranges", "[engine]") {
  Fixture f;
  f.load({{"__name__", "g"}}, 60, {1, 3, 5, 7, 9}); // +2 a minute
  CHECK(f.vec("deriv(g[5m])", 240 * s) == "{} 0.03333333333333333\n");
  CHECK(f.vec("predict_linear(g[5m], 60)", 240 * s) == "{} 11\n");
  CHECK(f.vec("avg_over_time(g[5m])", 240 * s) == "{} 5\n");
  CHECK(f.vec("quantile_over_time(0.25, g[5m])", 240 * s) == "{} 3\n");
  CHECK(f.vec("stddev_over_time(g[5m])", 240 * s) == "{} 2.8284271247461903\n"); // sqrt(8)
  CHECK(f.vec("mad_over_time(g[5m])", 240 * s) == "{} 2\n");
  CHECK(f.vec("changes(g[5m])", 240 * s) == "{} 4\n");
  CHECK(f.vec("min_over_time(g[2m])", 240 * s) == "{} 7\n");
  CHECK(f.vec("present_over_time(g[1m])", 240 * s) == "{} 1\n");
  // Holt-Winters on a straight line reproduces it.
  CHECK(f.vec("double_exponential_smoothing(g[5m], 0.5, 0.5)", 240 * s) == "{} 9\n");
  CHECK(f.vec("double_exponential_smoothing(g[5m], 1, 0.5)", 240 * s) ==
        "error: invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000");
}

TEST_CASE("engine: duplicate labelsets after dropping the name are an error", "[engine]") {
  Fixture f;
  f.load({{"__name__", "a_total"}, {"job", "x"}}, 60, {1, 2});
  f.load({{"__name__", "b_total"}, {"job", "x"}}, 60, {1, 2});
  CHECK(f.vec("rate({__name__=~\".*_total\"}[5m])", 60 * s) ==
        "error: vector cannot contain metrics with the same labelset");
  CHECK(f.vec("{__name__=~\".*_total\"} + 1", 60 * s) == "error: vector cannot contain metrics with the same labelset");
  CHECK(f.vec("sort_desc({__name__=~\".*_total\"} > 0)", 60 * s) ==
        "{__name__=\"a_total\", job=\"x\"} 2\n{__name__=\"b_total\", job=\"x\"} 2\n");
}

TEST_CASE("engine: range queries evaluate every step", "[engine]") {
  Fixture f;
  f.load({{"__name__", "m"}, {"a", "1"}}, 60, {1, 2, 3});
  auto parsed = promql::parse("m * 2");
  auto r = engine::range(*parsed.expr(), f.storage, 0, 240 * s, 60 * s);
  REQUIRE_FALSE(r.error);
  REQUIRE(r.value.matrix.size() == 1);
  CHECK(engine::to_string(r.value.matrix[0].labels) == "{a=\"1\"}");
  // 0..120s: the samples; 180s and 240s: the last one within the 5m lookback.
  std::vector<double> got;
  for (const auto& p : r.value.matrix[0].points) got.push_back(p.v);
  CHECK(got == std::vector<double>{2, 4, 6, 6, 6});
  auto bad = promql::parse("m[1m]");
  CHECK(*engine::range(*bad.expr(), f.storage, 0, 60 * s, 60 * s).error ==
        "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
  auto scalar = promql::parse("time()");
  auto rs = engine::range(*scalar.expr(), f.storage, 0, 120 * s, 60 * s);
  REQUIRE(rs.value.matrix.size() == 1);
  CHECK(rs.value.matrix[0].points.size() == 3);
  CHECK(rs.value.matrix[0].points[2].v == 120);
}

TEST_CASE("engine: work is bounded", "[engine]") {
  Fixture f;
  f.load({{"__name__", "m"}}, 60, {1, 2, 3});
  engine::Options o;
  o.max_samples = 1000;
  auto parsed = promql::parse("sum_over_time(m[1d:1s])");
  auto r = engine::instant(*parsed.expr(), f.storage, 0, o);
  REQUIRE(r.error);
  CHECK(*r.error == "query processing would load too many samples into memory in query execution");
  // Extreme times (the parser reads @ 1e17 as the lowest int64, as Go converts it) are clamped,
  // not overflowed: nothing is there.
  CHECK(f.vec("m @ 1e17", 0).empty());
  CHECK(f.vec("sum_over_time(m[5m] @ 1e17)", 0).empty());
  CHECK(f.vec("max_over_time(m[10m:1m] @ 1e17 offset 106751d)", 0).empty());
  CHECK(f.vec("m smoothed @ 1e17", 0).empty());
  std::string deep(5000, '(');
  deep += "1" + std::string(5000, ')');
  auto d = promql::parse(deep);
  REQUIRE(d.ok());
  CHECK(engine::instant(*d.expr(), f.storage, 0).error);
  promql::ParseOptions durations;
  durations.duration_expressions = true;
  std::string sum;
  for (int i = 0; i < 5000; ++i) sum += "(1s+";
  sum += "1s" + std::string(5000, ')');
  auto dd = promql::parse("m offset " + sum, durations);
  REQUIRE(dd.ok());
  auto dr = engine::instant(*dd.expr(), f.storage, 0);
  REQUIRE(dr.error);
  CHECK(*dr.error == "duration expression nested deeper than 1000 levels");
}

TEST_CASE("engine: delayed name removal keeps __name__ until the end of the query", "[engine]") {
  Fixture f;
  f.load({{"__name__", "a_total"}, {"env", "1"}}, 60, {0, 60, 120});
  f.load({{"__name__", "b_total"}, {"env", "1"}}, 60, {0, 60, 120});
  auto eval = [&](const std::string& expr, bool delayed) {
    engine::Options o;
    o.delayed_name_removal = delayed;
    auto parsed = promql::parse(expr);
    REQUIRE(parsed.ok());
    auto r = engine::instant(*parsed.expr(), f.storage, 120 * s, o);
    if (r.error) return "error: " + *r.error;
    std::string out;
    for (const auto& x : r.value.vector) out += engine::to_string(x.labels) + " " + engine::format_value(x.v) + "\n";
    return out;
  };
  const std::string relabel = R"q(label_replace(rate({env="1"}[5m]), "n", "$1", "__name__", "(.+)"))q";
  // Without the feature rate() drops the names at once: two identical label sets.
  CHECK(eval(relabel, false) == "error: vector cannot contain metrics with the same labelset");
  // With it, label_replace still sees them, and the names go at the end. (Each rate: 120 over the
  // 120s the samples cover, not extrapolated since the counter started at 0, per 300s: 0.4.)
  CHECK(eval(relabel, true) == "{env=\"1\", n=\"a_total\"} 0.4\n{env=\"1\", n=\"b_total\"} 0.4\n");
  // sum by (__name__) groups by names that are then dropped: duplicates at the end.
  CHECK(eval("sum by (__name__) (rate({env=\"1\"}[5m]))", true) ==
        "error: vector cannot contain metrics with the same labelset");
  CHECK(eval("sum by (env) (rate({env=\"1\"}[5m]))", true) == "{env=\"1\"} 0.8\n");
  CHECK(eval("label_replace(-{env=\"1\"}, \"__name__\", \"neg_$1\", \"__name__\", \"(.+)\")", true) ==
        "{__name__=\"neg_a_total\", env=\"1\"} -120\n{__name__=\"neg_b_total\", env=\"1\"} -120\n");
}

TEST_CASE("engine: dropping the name drops the type and unit labels too", "[engine]") {
  Fixture f;
  f.load({{"__name__", "r_total"}, {"__type__", "counter"}, {"__unit__", "request"}, {"job", "x"}}, 60, {3});
  CHECK(f.vec("r_total * 2", 0) == "{job=\"x\"} 6\n");
  CHECK(f.vec("+r_total", 0) == "{__name__=\"r_total\", __type__=\"counter\", __unit__=\"request\", job=\"x\"} 3\n");
}

TEST_CASE("engine: annotations carry the position of what they are about when the query text is given", "[engine]") {
  Fixture f;
  f.load({{"__name__", "g"}}, 60, {1, 2, 3});
  const std::string q = "sum(rate(g[5m]))";
  auto parsed = promql::parse(q);
  engine::Options o;
  o.query = q;
  auto r = engine::instant(*parsed.expr(), f.storage, 120 * s, o);
  REQUIRE(r.infos.size() == 1);
  CHECK(r.infos[0] ==
        "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"g\" (1:10)");
  const std::string sq = "sort(g)";
  auto sorted = promql::parse(sq);
  o.query = sq;
  auto rr = engine::range(*sorted.expr(), f.storage, 0, 60 * s, 60 * s, o);
  REQUIRE(rr.warnings.size() == 1);
  CHECK(rr.warnings[0] ==
        "PromQL warning: sort is ineffective for range queries since results are always ordered by labels (1:1)");
}

TEST_CASE("engine: anchored and smoothed range selectors (experimental)", "[engine]") {
  Fixture f;
  f.load({{"__name__", "c_total"}}, 60, {0, 10, 20, 30, 40});
  // Window (90s, 150s]: anchored starts from the sample at or before 90s (10 at 60s) and ends at
  // the last one (20 at 120s); no extrapolation.
  CHECK(f.vec("increase(c_total[1m] anchored)", 150 * s) == "{} 10\n");
  // Smoothed interpolates at both edges: 15 at 90s, 25 at 150s.
  CHECK(f.vec("increase(c_total[1m] smoothed)", 150 * s) == "{} 10\n");
  CHECK(f.vec("rate(c_total[1m] smoothed)", 150 * s) == "{} 0.16666666666666666\n");
  CHECK(f.vec("c_total smoothed", 90 * s) == "{__name__=\"c_total\"} 15\n");
  CHECK(f.vec("changes(c_total[1m] anchored)", 150 * s) == "{} 1\n");
  CHECK(f.vec("max_over_time(c_total[1m] anchored)", 150 * s) ==
        "error: anchored modifier can only be used with: changes, delta, increase, rate, resets - not with "
        "max_over_time");
  auto r = f.at("c_total[1m] anchored", 150 * s);
  REQUIRE(r.value.matrix.size() == 1);
  const auto& p = r.value.matrix[0].points;
  REQUIRE(p.size() == 3); // the start (90s, picked from 60s), 120s, the end (150s, picked from 120s)
  CHECK(p[0].t == 90 * s);
  CHECK(p[0].v == 10);
  CHECK(p[1].v == 20);
  CHECK(p[2].t == 150 * s);
  CHECK(p[2].v == 20);
}
