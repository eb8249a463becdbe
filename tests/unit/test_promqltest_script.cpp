// The promqltest script reader (tests/promqltest/script.*), used by the conformance runner: it
// reads Prometheus's own scripts without error, and each construct as test.go reads it. The `load`
// and expected-result lines go through the series notation (engine/notation), so this is also the
// notation on real input.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "script.hpp"

using namespace nsmon::promqltest;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

template <class T> std::vector<const T*> all(const Script& s) {
  std::vector<const T*> out;
  for (const auto& c : s.commands)
    if (const auto* x = std::get_if<T>(&c)) out.push_back(x);
  return out;
}

} // namespace

TEST_CASE("Prometheus's test scripts read without error, every eval found", "[promqltest]") {
  auto dir = std::filesystem::path(NSMON_SOURCE_DIR) / "tests/data/promqltest";
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".test") continue;
    ++files;
    std::string text = read(e.path());
    INFO(e.path().filename().string());
    Script s = parse_script(text);
    CHECK(!s.error);
    if (s.error) FAIL_CHECK(s.error->first << ": " << s.error->second);
    // Every line that starts with `eval` (after the indentation) is one eval statement.
    std::istringstream lines(text);
    std::string l;
    std::size_t evals = 0;
    while (std::getline(lines, l))
      evals += l.find_first_not_of(" \t") != std::string::npos && l.compare(l.find_first_not_of(" \t"), 4, "eval") == 0;
    CHECK(all<EvalCmd>(s).size() == evals);
  }
  CHECK(files == 21);
}

TEST_CASE("load, clear and eval as test.go reads them", "[promqltest]") {
  Script s = parse_script(R"(# a comment
load 5m
  up{job="a"} 0+10x2 _ stale
  up{job="b"} 1 2
  up{job="b"} 7

clear

eval instant at 10m sum(up)
  expect no_warn
  expect warn msg: PromQL warning: something (1:5)
  expect info regex: PromQL info: .*
  {} 20

eval_fail instant at 0m foo
  expected_fail_message vector cannot contain metrics with the same labelset

eval range from 0 to 10m step 5m up
  up{job="a"} 0 _ 20

eval instant at 1m 2 * 3
  6

eval instant at 50m ("Foo")
  expect string "Foo"

eval instant at 1m up[1m]
  expect range vector from 10s to 1m step 10s
  up{job="a"} 1 2 3 4 5 6

eval instant at 1m topk(1, up)
  expect ordered
  up{job="b"} 2
  up{job="a"} 1
)");
  REQUIRE(!s.error);
  REQUIRE(s.commands.size() == 9);
  const auto& load = std::get<LoadCmd>(s.commands[0]);
  CHECK(load.line == 2);
  CHECK(load.step_ms == 300'000);
  REQUIRE(load.series.size() == 2); // up{job="b"} twice: the last line wins
  CHECK(load.series[0].values.size() == 5);
  CHECK(!load.series[0].values[3]);
  CHECK(load.series[1].values.size() == 1);
  CHECK(*load.series[1].values[0] == 7);
  CHECK(std::holds_alternative<ClearCmd>(s.commands[1]));

  auto evals = all<EvalCmd>(s);
  REQUIRE(evals.size() == 7);
  const auto& e0 = *evals[0];
  CHECK(e0.line == 9);
  CHECK(e0.expr == "sum(up)");
  CHECK(e0.end == 600'000);
  CHECK(e0.expects.at(ExpectType::no_warn).size() == 1);
  CHECK(e0.expects.at(ExpectType::warn)[0].text == "PromQL warning: something (1:5)");
  CHECK(!e0.expects.at(ExpectType::warn)[0].regex);
  CHECK(e0.expects.at(ExpectType::info)[0].regex);
  REQUIRE(e0.series.size() == 1);
  CHECK(e0.series[0].labels.empty());

  CHECK(evals[1]->is_fail());
  CHECK(evals[1]->fail_message == "vector cannot contain metrics with the same labelset");

  CHECK(evals[2]->is_range);
  CHECK(evals[2]->step == 300'000);
  CHECK(evals[2]->series[0].values.size() == 3);

  REQUIRE(evals[3]->scalar);
  CHECK(*evals[3]->scalar == 6);
  CHECK(evals[4]->string == "Foo");
  CHECK(evals[4]->exclude_from_range);
  CHECK(evals[5]->range_vector);
  CHECK(evals[5]->start == 10'000);
  CHECK(evals[5]->series[0].values.size() == 6);
  CHECK(evals[6]->is_ordered());
  CHECK(evals[6]->series[0].pos == 1);
  CHECK(evals[6]->series[1].pos == 2);
}

TEST_CASE("native histograms and load_with_nhcb are loaded, start timestamps marked", "[promqltest]") {
  Script s = parse_script(R"(load 1m
  h{a="b"} {{schema:0 sum:1 count:1}}x3
  cumulative{t="x"}@st _ -30sx2
  cumulative{t="x"} 1 2 3

load_with_nhcb 1m
  req_bucket{le="1"} 1 2
  req_count 2 3

eval instant at 1m h
  {a="b"} {{schema:0 sum:1 count:1 counter_reset_hint:gauge}}
)");
  REQUIRE(!s.error);
  CHECK(s.native_histograms);
  const auto& l1 = std::get<LoadCmd>(s.commands[0]);
  REQUIRE(l1.unsupported.size() == 1);
  CHECK(l1.unsupported[0].reason == "start timestamps (@st)");
  REQUIRE(l1.series.size() == 2); // the samples of the @st series are loaded
  CHECK(l1.series[0].labels == Labels{{"__name__", "h"}, {"a", "b"}});
  REQUIRE(l1.series[0].histograms.size() == 4);
  CHECK(l1.series[0].histograms[3].h->count == 1);
  CHECK(l1.series[1].histograms.empty());
  // load_with_nhcb: the classic series, plus `req` as a native histogram with custom buckets.
  const auto& l2 = std::get<LoadCmd>(s.commands[1]);
  CHECK(l2.unsupported.empty());
  REQUIRE(l2.series.size() == 3);
  CHECK(l2.series[2].labels == Labels{{"__name__", "req"}});
  REQUIRE(l2.series[2].histograms.size() == 2);
  CHECK(nsmon::engine::test_expression(*l2.series[2].histograms[0].h) ==
        "{{schema:-53 count:2 custom_values:[1] buckets:[1 1]}}");
  CHECK(nsmon::engine::test_expression(*l2.series[2].histograms[1].h) ==
        "{{schema:-53 count:3 custom_values:[1] buckets:[2 1]}}");
  const auto& ev = std::get<EvalCmd>(s.commands[2]);
  CHECK(ev.skip.empty());
  REQUIRE(ev.series.size() == 1);
  REQUIRE(ev.series[0].histograms.size() == 1);
  CHECK(ev.series[0].histograms[0].hint_set);
}

TEST_CASE("script errors carry the line", "[promqltest]") {
  Script bad = parse_script("load 1m\n  m 1 2\n\nfrobnicate\n");
  REQUIRE(bad.error);
  CHECK(bad.error->first == 4);
  Script values = parse_script("load 1m\n  m 1 x\n");
  REQUIRE(values.error);
  CHECK(values.error->first == 2);
  CHECK(values.error->second == "5: parse error: unexpected \"x\"");
  Script step = parse_script("load 1q\n");
  REQUIRE(step.error);
  CHECK(step.error->second.find("invalid step definition") == 0);
}
