// nsmon query's streamed output: sample times are written exactly as util::format_number writes
// them (its integer shortcut must agree with std::to_chars's shortest form, scientific included).
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "nsmon/cli/cmd_query.hpp"
#include "nsmon/util/strings.hpp"

using nsmon::cli::query::append_time;

TEST_CASE("query output: sample times as format_number writes them", "[query]") {
  std::vector<double> times = {0,
                               1,
                               5,
                               10,
                               100,
                               1000,
                               10000,
                               100000,
                               1000000,
                               1700000000,
                               1714564800,
                               1795287015,
                               1795287000,
                               1795200000,
                               12345678900000,
                               9007199254740991.0,
                               9007199254740992.0,
                               1e20,
                               0.5,
                               1714564800.125,
                               -1,
                               -1700000000,
                               -0.0,
                               std::nan(""),
                               HUGE_VAL,
                               -HUGE_VAL};
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) {
    auto digits = 1 + rng() % 16;
    std::uint64_t v = rng() % 10;
    for (std::uint64_t d = 1; d < digits; ++d) v = v * 10 + (rng() % 3 == 0 ? 0 : rng() % 10); // many zeros
    times.push_back(static_cast<double>(v));
  }
  for (double t : times) {
    std::string got = "x";
    append_time(got, t);
    INFO(got);
    REQUIRE(got == "x" + nsmon::util::format_number(t));
  }
  std::string s;
  append_time(s, 1700000000);
  CHECK(s == "1.7e+09"); // to_chars's shortest form, as before
}

TEST_CASE("query output: a range query's table has LAST, MIN, MAX and SAMPLES per series", "[query]") {
  using nsmon::cli::query::series_table;
  using nsmon::cli::query::Unit;
  using nsmon::promapi::Series;
  Series a, b, empty;
  a.labels = {{"__name__", "training_loss"}, {"model", "yolo"}};
  a.samples = {{1, "0.9"}, {2, "0.2"}, {3, "NaN"}, {4, "0.5"}};
  b.labels = {{"__name__", "training_loss"}, {"model", "sahi"}, {"run", "7"}};
  b.samples = {{1, "3"}};
  empty.labels = {{"model", "none"}};
  auto t = series_table({a, b, empty}, true, nsmon::catalog::Catalog{}, Unit::none);
  CHECK(t.header == std::vector<std::string>{"NAME", "model", "run", "LAST", "MIN", "MAX", "SAMPLES"});
  REQUIRE(t.rows.size() == 3);
  // The last sample is shown as written; NaN counts as a sample but not for MIN/MAX.
  CHECK(t.rows[0] == std::vector<std::string>{"training_loss", "yolo", "", "0.5", "0.2", "0.9", "4"});
  CHECK(t.rows[1] == std::vector<std::string>{"training_loss", "sahi", "7", "3", "3", "3", "1"});
  CHECK(t.rows[2] == std::vector<std::string>{"", "none", "", "", "", "", "0"});
  // An instant query: one VALUE column instead.
  t = series_table({a}, false, nsmon::catalog::Catalog{}, Unit::none);
  CHECK(t.header == std::vector<std::string>{"NAME", "model", "VALUE"});
  CHECK(t.rows[0] == std::vector<std::string>{"training_loss", "yolo", "0.5"});
}

TEST_CASE("query output: infinities, csv quoting, label escaping, --check's operators", "[query]") {
  using namespace nsmon::cli::query;
  CHECK(humanize(-HUGE_VAL, Unit::none) == "-Inf");
  CHECK(humanize(HUGE_VAL, Unit::seconds) == "+Inf");
  // RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled.
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  // A series in PromQL selector syntax: quotes, backslashes and newlines escaped.
  nsmon::promapi::Series s;
  s.labels = {{"__name__", "up"}, {"path", "C:\\tmp \"x\"\ny"}};
  CHECK(series_name(s) == "up{path=\"C:\\\\tmp \\\"x\\\"\\ny\"}");
  // --check: each operator at, below and above its bound.
  auto holds = [](const char* check, double v) { return parse_check(check).holds(v); };
  CHECK(holds("<= 1", 1));
  CHECK_FALSE(holds("<= 1", 1.5));
  CHECK_FALSE(holds("< 1", 1));
  CHECK(holds(">= 1", 1));
  CHECK_FALSE(holds("> 1", 1));
  CHECK(holds("== 1", 1));
  CHECK(holds("!= 1", 2));
  CHECK_FALSE(holds("!= 1", 1));
}

TEST_CASE("query output: one number format per table column", "[query]") {
  using namespace nsmon::cli::query;
  // Issue 58: 6.877e+04, 4,294,967,296 and 0.09985 in one column. One value needs scientific
  // notation: all get it, with four significant digits.
  CHECK(number_column({68770.4, 4294967296, 0.09985}) ==
        std::vector<std::string>{"6.877e+04", "4.295e+09", "9.985e-02"});
  // All within [0.001, 1e6): plain decimals, four significant digits, separators.
  CHECK(number_column({68770.4, 0.09985, 3, -1234.56}) == std::vector<std::string>{"68,770", "0.09985", "3", "-1,235"});
  // Counts: exact, with separators, however large.
  CHECK(number_column({4294967296, 12, 0}) == std::vector<std::string>{"4,294,967,296", "12", "0"});
  CHECK(number_column({NAN, 0.5, HUGE_VAL}) == std::vector<std::string>{"NaN", "0.5", "+Inf"});
  // In a table: the value column is formatted as one and right-aligned.
  nsmon::promapi::Series a, b, c;
  a.labels = {{"__name__", "x"}, {"i", "a"}};
  a.samples = {{1, "68770.4"}};
  b.labels = {{"__name__", "x"}, {"i", "b"}};
  b.samples = {{1, "4294967296"}};
  c.labels = {{"__name__", "x"}, {"i", "c"}};
  c.samples = {{1, "0.09985"}};
  auto t = series_table({a, b, c}, false, nsmon::catalog::Catalog{}, Unit::none);
  CHECK(render(t, "table") == "NAME  i      VALUE\n"
                              "x     a  6.877e+04\n"
                              "x     b  4.295e+09\n"
                              "x     c  9.985e-02\n");
}
