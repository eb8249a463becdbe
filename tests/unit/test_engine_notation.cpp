// The series notation of promqltest `load` lines and promtool `input_series`: values as
// Prometheus's ParseSeriesDesc expands them, and its errors in its words at their byte offsets
// (the promtool 2.42 messages below were checked against `promtool test rules`; offsets are
// 0-based in the text given, promtool prints them 1-based in `series + " " + values`).
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "nsmon/engine/notation.hpp"

using namespace nsmon::engine;

namespace {

// The values as text: "_" for no sample, "stale" for the marker, numbers with %g.
std::string show(const std::vector<std::optional<double>>& vs) {
  std::string out;
  for (const auto& v : vs) {
    if (!out.empty()) out += ' ';
    if (!v) {
      out += '_';
    } else if (std::bit_cast<std::uint64_t>(*v) == 0x7ff0000000000002ULL) {
      out += "stale";
    } else {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", *v);
      out += buf;
    }
  }
  return out;
}

std::string values(std::string_view text) {
  auto r = parse_values(text);
  if (r.error) return "error@" + std::to_string(r.error->offset) + ": " + r.error->message;
  return show(r.values);
}

// Labels as `{a="b", c="d"}` without needing the engine's to_string (built separately).
std::string to_string_for_test(const Labels& ls) {
  std::string out = "{";
  for (const auto& [n, v] : ls) {
    if (out.size() > 1) out += ", ";
    out += n + "=\"" + v + "\"";
  }
  return out + "}";
}

std::string desc(std::string_view line) {
  auto r = parse_series_desc(line);
  if (r.error) return "error@" + std::to_string(r.error->offset) + ": " + r.error->message;
  return to_string_for_test(r.labels) + " " + show(r.values);
}

} // namespace

TEST_CASE("values expand as Prometheus expands them", "[notation]") {
  struct Case {
    const char* in;
    const char* want;
  };
  // clang-format off
  const Case cases[] = {
      {"1 2 3", "1 2 3"},
      {"", ""},
      {"   ", ""},
      {"1+2x3", "1 3 5 7"},            // n+1 values
      {"10-1x3", "10 9 8 7"},
      {"5x2", "5 5 5"},
      {"_x3", "_ _ _"},                // n blanks, not n+1
      {"_ 1 _", "_ 1 _"},
      {"stale", "stale"},
      {"1 stale 2", "1 stale 2"},
      {"-1 +2 -3x1", "-1 2 -3 -3"},
      {"-1-2x2", "-1 -3 -5"},
      {"1+0x0", "1"},
      {"Inf -Inf NaN inf nan", "inf -inf nan inf nan"},
      {"1e3 1.5E-3 .5 5.", "1000 0.0015 0.5 5"},
      {"1_000 010 08", "1000 8 8"},    // ParseInt base 0: octal; 08 falls back to ParseFloat
      {"0x3", "0 0 0 0"},              // never hexadecimal in a series: 0, x, 3
      {"1\t2\n3", "1 2 3"},
      {"0.1+0.1x2", "0.1 0.2 0.3"},
  };
  // clang-format on
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(values(c.in) == c.want);
  }
}

TEST_CASE("a+bxn accumulates like Prometheus (repeated addition, not a+i*b)", "[notation]") {
  auto r = parse_values("0.1+0.1x9");
  REQUIRE(!r.error);
  REQUIRE(r.values.size() == 10);
  double acc = 0.1;
  for (int i = 0; i < 9; ++i) acc += 0.1;
  CHECK(*r.values.back() == acc); // 0.9999999999999999, where 0.1+9*0.1 is 1
}

TEST_CASE("keep: values past it are read but not stored, and the cap applies to what is stored", "[notation]") {
  auto r = parse_values("0x10000000 1+1x99999999999", kMaxSeriesValues, 51);
  REQUIRE(!r.error);
  CHECK(r.values.size() == 51);
  r = parse_values("1 2+1x3 _x4 5", kMaxSeriesValues, 6); // 1 2 3 4 5 _ (_ _ _ 5 dropped)
  REQUIRE(!r.error);
  REQUIRE(r.values.size() == 6);
  CHECK(*r.values[4] == 5);
  CHECK(!r.values[5]);
  CHECK(parse_values("1x3 bad", kMaxSeriesValues, 2).error); // the syntax is still checked
  CHECK(parse_values("0x10000000").error);                   // without keep: the cap
  CHECK(parse_values("0x100", 10, 200).error);               // keep above the cap: the cap
}

TEST_CASE("stale is Prometheus's StaleNaN bit pattern, also when repeated", "[notation]") {
  auto r = parse_values("stale stale");
  REQUIRE(!r.error);
  REQUIRE(r.values.size() == 2);
  for (const auto& v : r.values) {
    CHECK(std::bit_cast<std::uint64_t>(*v) == 0x7ff0000000000002ULL);
    CHECK(is_stale_nan(*v));
  }
}

TEST_CASE("value errors in Prometheus's words with a byte offset", "[notation]") {
  struct Case {
    const char* in;
    const char* want;
  };
  // clang-format off
  const Case cases[] = {
      {"1 2 x", "error@4: unexpected \"x\""},
      {"1x", "error@2: unexpected end of input in series values"},
      {"1+x3", "error@2: unexpected \"x\" in series values"},
      {"foo", "error@0: unexpected identifier \"foo\" in series values, expected number or \"stale\""},
      {"Infinity", "error@0: unexpected identifier \"Infinity\" in series values, expected number or \"stale\""},
      {"1m", "error@0: bad number syntax: \"1\""},
      {"1x3.5", "error@2: invalid repetition in series values: strconv.ParseUint: parsing \"3.5\": invalid syntax"},
      {"1x99999999999999999999", "error@2: invalid repetition in series values: strconv.ParseUint: parsing \"99999999999999999999\": value out of range"},
      {"1xInf", "error@2: invalid repetition in series values: strconv.ParseUint: parsing \"Inf\": invalid syntax"},
      {"1xfoo", "error@2: unexpected identifier \"foo\" in series values"},
      {"1e", "error@0: bad number syntax: \"1e\""},
      {"1..2", "error@0: bad number syntax: \"1..\""},
      {"1,2", "error@1: unexpected character in series sequence: ','"},
      {"+-1", "error@1: unexpected <op:-> in series values"},
      {"1+2", "error@3: unexpected end of input in series values"},
      {"1x-3", "error@2: unexpected <op:-> in series values"},
      {"1e999", "error@0: error parsing number: strconv.ParseFloat: parsing \"1e999\": value out of range"},
      {"on", "error@0: unexpected <on>"},
      {"1 sum", "error@2: unexpected <aggr:sum>"},
      {"stalex3", "error@0: unexpected identifier \"stalex3\" in series values, expected number or \"stale\""},
      {"1 \xff", "error@2: unexpected character in series sequence: '\xef\xbf\xbd'"},
  };
  // clang-format on
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(values(c.in) == c.want);
  }
}

TEST_CASE("native histogram values are read as Prometheus's lexer reads them", "[notation]") {
  auto r = parse_values("1 {{schema:1 sum:-0.3 count:3.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 "
                        "n_buckets:[4.1 5] n_offset:-5 counter_reset_hint:gauge}} _ stale");
  REQUIRE_FALSE(r.error);
  REQUIRE(r.values.size() == 4);
  REQUIRE(r.histograms.size() == 4);
  CHECK_FALSE(r.histograms[0].h);
  const Histogram& h = *r.histograms[1].h;
  CHECK(h.schema == 1);
  CHECK(h.sum == -0.3);
  CHECK(h.count == 3.1);
  CHECK(h.zero_count == 7.1);
  CHECK(h.zero_threshold == 0.05);
  CHECK(h.hint == ResetHint::gauge);
  CHECK(r.histograms[1].hint_set);
  REQUIRE(h.positive.size() == 3);
  CHECK(h.positive[0].index == -3);
  CHECK(h.positive[2].count == 7);
  REQUIRE(h.negative.size() == 2);
  CHECK(h.negative[0].index == -5);
  CHECK_FALSE(r.values[2]);
  CHECK(is_stale_nan(*r.values[3]));
  CHECK(test_expression(h) == "{{schema:1 count:3.1 sum:-0.3 z_bucket:7.1 z_bucket_w:0.05 counter_reset_hint:gauge "
                              "offset:-3 buckets:[5.1 10 7] n_offset:-5 n_buckets:[4.1 5]}}");
}

TEST_CASE("histogram series expand: repeated, growing, shrinking", "[notation]") {
  auto rep = parse_values("{{sum:1 count:1 buckets:[1]}}x2");
  REQUIRE_FALSE(rep.error);
  CHECK(rep.histograms.size() == 3);
  auto up = parse_values("{{schema:0 sum:1 count:1 buckets:[1]}}+{{sum:2 count:3 buckets:[1 2]}}x2");
  REQUIRE_FALSE(up.error);
  REQUIRE(up.histograms.size() == 3);
  CHECK(test_expression(*up.histograms[2].h) == "{{count:7 sum:5 buckets:[3 4]}}");
  auto down = parse_values("{{count:10 sum:10 buckets:[10]}}-{{count:1 sum:1 buckets:[1]}}x1");
  REQUIRE_FALSE(down.error);
  CHECK(test_expression(*down.histograms[1].h) == "{{count:9 sum:9 buckets:[9]}}");
  // A lower schema cannot grow into a higher one, as in Prometheus.
  CHECK(parse_values("{{schema:0 count:1}}+{{schema:1 count:1}}x1").error.has_value() == false);
  CHECK(parse_values("{{schema:1 count:1}}+{{schema:0 count:1}}x1").error);
}

TEST_CASE("floats after histograms: one histogram entry per value, none for a float", "[notation]") {
  // fuzz_notation: `0+1x2` after a histogram left histograms one short of values.
  auto mixed = parse_values("{{count:1}}x1 0 0+1x2");
  REQUIRE_FALSE(mixed.error);
  REQUIRE(mixed.values.size() == 6);
  REQUIRE(mixed.histograms.size() == 6);
  CHECK(mixed.histograms[1].h);
  CHECK_FALSE(mixed.histograms[2].h);
  CHECK_FALSE(mixed.histograms[5].h);
  CHECK(*mixed.values[5] == 2);
}

TEST_CASE("malformed histograms are positioned errors", "[notation]") {
  struct Case {
    std::string in;
    std::size_t offset;
  };
  for (const auto& c : std::vector<Case>{{"1 {{schema:0 bogus:1}}", 13},
                                         {"{{sum}}", 5},
                                         {"{{buckets:[1 2}}", 14},
                                         {"{{schema:1.5}}", 9},
                                         {"{{schema:99}}", 13},
                                         {"{{sum:1", 7},
                                         {"{{offset:99999999999}}", 9},
                                         {"{{count:1}}+3x2", 12}}) {
    INFO(c.in);
    auto r = parse_values(c.in);
    REQUIRE(r.error);
    CHECK(r.error->offset == c.offset);
  }
}

TEST_CASE("too many values is an error, not an exhausted memory", "[notation]") {
  auto r = parse_values("1x99999999999");
  REQUIRE(r.error);
  CHECK(r.error->message.find("too many values") != std::string::npos);
  CHECK(parse_values("_x10 1x10", 21).error.has_value() == false);
  CHECK(parse_values("_x10 1x10", 20).error.has_value());
}

TEST_CASE("series descriptions: names, label sets, quoted UTF-8 names", "[notation]") {
  struct Case {
    const char* in;
    const char* want;
  };
  // clang-format off
  const Case cases[] = {
      {"metric 1 2", "{__name__=\"metric\"} 1 2"},
      {"metric{a=\"b\"} 1", "{__name__=\"metric\", a=\"b\"} 1"},
      {"metric{b='2',a=\"1\",} 1", "{__name__=\"metric\", a=\"1\", b=\"2\"} 1"},
      {"{__name__=\"m\", a=`x`} 1", "{__name__=\"m\", a=\"x\"} 1"},
      {"{\"my.metric\", \"a.b\"=\"c\"} _", "{__name__=\"my.metric\", a.b=\"c\"} _"},
      {"m{__name__=\"other\"} 1", "{__name__=\"m\"} 1"},
      {"m{a=\"\"} 1", "{__name__=\"m\"} 1"},
      {"sum{by=\"on\"} 1", "{__name__=\"sum\", by=\"on\"} 1"},
      {"a:b:c 1", "{__name__=\"a:b:c\"} 1"},
      {"{} 1", "{} 1"},
      {"m", "{__name__=\"m\"} "},
      {"m{a=\"\\u00e9\"} 1", "{__name__=\"m\", a=\"\xc3\xa9\"} 1"},
  };
  // clang-format on
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(desc(c.in) == c.want);
  }
}

TEST_CASE("series description errors in Prometheus's words", "[notation]") {
  struct Case {
    const char* in;
    const char* want;
  };
  // clang-format off
  const Case cases[] = {
      {"m{a=1} 1", "error@4: unexpected character inside braces: '1'"},
      {"m{a} 1", "error@3: unexpected \"}\" in label set, expected \"=\""},
      {"m{a=~\"x\"} 1", "error@3: unexpected <op:=~> in label set, expected \"=\""},
      {"m{,} 1", "error@2: unexpected \",\" in label set, expected identifier or \"}\""},
      {"m{a=\"1\" b=\"2\"} 1", "error@8: unexpected identifier \"b\" in label set, expected \",\" or \"}\""},
      {"m{a=b} 1", "error@4: unexpected identifier \"b\" in label set, expected string"},
      {"on 1", "error@0: unexpected <on> in series values"},
      {"m{a=\"1\"", "error@7: unexpected end of input inside braces"},
      {"m{a=\"1\",a=\"2\"} 1", "error@8: duplicate label name \"a\""},
      {"m{a=\"1\"}1", "error@8: unexpected number \"1\" in series values"},
  };
  // clang-format on
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(desc(c.in) == c.want);
  }
}

TEST_CASE("parse_series takes the description alone", "[notation]") {
  auto r = parse_series("up{job=\"a\"}");
  REQUIRE(!r.error);
  CHECK(r.labels == Labels{{"__name__", "up"}, {"job", "a"}});
  auto bad = parse_series("up{job=\"a\"} 1");
  REQUIRE(bad.error);
  CHECK(bad.error->offset == 12);
}

TEST_CASE("format_values: runs a+bxN, _xN and stale, read back to the same doubles", "[notation]") {
  using V = std::vector<std::optional<double>>;
  const double stale = stale_nan();
  CHECK(format_values(V{1, 2, 3, 4}) == "1+1x3");
  CHECK(format_values(V{5, 5, 5, std::nullopt, std::nullopt, std::nullopt, 7}) == "5+0x2 _x3 7");
  CHECK(format_values(V{10, 8, 6, std::nullopt, stale, 1}) == "10-2x2 _ stale 1");
  CHECK(format_values(V{1, 2}) == "1 2");
  // 0.1 added three times is not 0.3: the run stops where the reader's sum would differ.
  const V fractions{0, 0.1, 0.2, 0.3, 0.4};
  CHECK(format_values(fractions) == "0+0.1x2 0.3 0.4");
  for (const V& vs : {fractions, V{1, 2, 3, 4}, V{-1.5, INFINITY, -INFINITY, 3, 3, 3}, V{1e300, 1e300, 1e300, 2e-300},
                      V{std::nullopt, 0, -0.0, 2}}) {
    auto back = parse_values(format_values(vs));
    REQUIRE(!back.error);
    REQUIRE(back.values.size() == vs.size());
    for (std::size_t i = 0; i < vs.size(); ++i) {
      REQUIRE(back.values[i].has_value() == vs[i].has_value());
      if (vs[i]) CHECK(*back.values[i] == *vs[i]);
    }
  }
  CHECK(format_series({{"__name__", "up"}, {"job", "a\"b"}}) == "up{job=\"a\\\"b\"}");
}

TEST_CASE("hostile histograms stay cheap: far buckets, huge growing series, extreme indexes", "[notation]") {
  // Buckets two billion indexes apart print as index:count pairs, not as zeros between them.
  auto far = parse_values("{{offset:-2000000000 buckets:[1]}}+{{offset:2000000000 buckets:[1]}}x1");
  REQUIRE_FALSE(far.error);
  REQUIRE(far.histograms.size() == 2);
  CHECK(test_expression(*far.histograms[1].h) == "{{buckets:{-2000000000:1 2000000000:1}}}");
  // A growing series stores a histogram per value: bounded like the values themselves.
  CHECK(parse_values("{{buckets:[1 1 1 1]}}+{{buckets:[1 1 1 1]}}x1000000", 100'000).error);
  auto kept = parse_values("{{buckets:[1]}}+{{buckets:[1]}}x99999999", kMaxSeriesValues, 3);
  REQUIRE_FALSE(kept.error);
  CHECK(kept.histograms.size() == 3);
  CHECK(parse_values("{{offset:2147483647 buckets:[1 1]}}").error); // past the last index
  CHECK_FALSE(parse_values("{{schema:-4 offset:2147483647 buckets:[1]}}+{{schema:8 buckets:[1]}}x2").error);
}
