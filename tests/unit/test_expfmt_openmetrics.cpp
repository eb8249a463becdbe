// OpenMetrics 1.0: family membership by suffix, exemplars, # UNIT, # EOF, info, stateset and the
// stricter syntax (single spaces, no comments, no blank lines).
#include "test_expfmt_support.hpp"

using namespace expfmt_test;

TEST_CASE("expfmt openmetrics: valid expositions") {
  const std::vector<Case> cases = {
      {"only # EOF", "# EOF\n", {}, {}},
      {"# EOF without a final newline", "x 1\n# EOF", {"F x ?", "S x/ x{} 1"}, {}},
      {"counter with unit, _created, exemplar and timestamps",
       "# TYPE req_seconds counter\n"
       "# UNIT req_seconds seconds\n"
       "# HELP req_seconds Time \\\"spent\\\"\\nin requests.\n"
       "req_seconds_total{a=\"b\"} 1.5 1520879607.789 # {trace_id=\"KOO5S4vxi0o\"} 0.67 1520879602.5\n"
       "req_seconds_created{a=\"b\"} 1520430000.123\n"
       "# EOF\n",
       {"F req_seconds counter help=\"Time \\\"spent\\\"\\nin requests.\" unit=seconds",
        "S req_seconds/_total req_seconds_total{a=\"b\"} 1.5 @1520879607789 # {trace_id=\"KOO5S4vxi0o\"} 0.67 "
        "@1520879602500",
        "S req_seconds/_created req_seconds_created{a=\"b\"} 1520430000.123"},
       {}},
      {"histogram with exemplar on a bucket",
       "# TYPE lat histogram\n"
       "lat_bucket{le=\"0.1\"} 1 # {trace_id=\"a\"} 0.05\n"
       "lat_bucket{le=\"+Inf\"} 2\n"
       "lat_count 2\n"
       "lat_sum 1.05\n"
       "lat_created 1.7e9\n"
       "# EOF\n",
       {"F lat histogram", "S lat/_bucket lat_bucket{le=\"0.1\"} 1 # {trace_id=\"a\"} 0.05",
        "S lat/_bucket lat_bucket{le=\"+Inf\"} 2", "S lat/_count lat_count{} 2", "S lat/_sum lat_sum{} 1.05",
        "S lat/_created lat_created{} 1.7e+09"},
       {}},
      {"gaugehistogram owns _gcount and _gsum",
       "# TYPE q gaugehistogram\nq_bucket{le=\"+Inf\"} 3\nq_gcount 3\nq_gsum 9\n# EOF\n",
       {"F q gaugehistogram", "S q/_bucket q_bucket{le=\"+Inf\"} 3", "S q/_gcount q_gcount{} 3",
        "S q/_gsum q_gsum{} 9"},
       {}},
      {"summary",
       "# TYPE rpc summary\nrpc{quantile=\"0.5\"} 0.2\nrpc_count 10\nrpc_sum 2\nrpc_created 1.7e9\n# EOF\n",
       {"F rpc summary", "S rpc/ rpc{quantile=\"0.5\"} 0.2", "S rpc/_count rpc_count{} 10", "S rpc/_sum rpc_sum{} 2",
        "S rpc/_created rpc_created{} 1.7e+09"},
       {}},
      {"info",
       "# TYPE build info\nbuild_info{version=\"1.2.3\"} 1\n# EOF\n",
       {"F build info", "S build/_info build_info{version=\"1.2.3\"} 1"},
       {}},
      {"stateset",
       "# TYPE mode stateset\nmode{mode=\"fast\"} 1\nmode{mode=\"slow\"} 0\n# EOF\n",
       {"F mode stateset", "S mode/ mode{mode=\"fast\"} 1", "S mode/ mode{mode=\"slow\"} 0"},
       {}},
      {"unknown type word", "# TYPE x unknown\nx 1\n# EOF\n", {"F x unknown", "S x/ x{} 1"}, {}},
      {"timestamps are seconds",
       "a 1 1\nb 1 1.5\nc 1 -1.5\nd 1 1e3\ne 1 0.0009\n# EOF\n",
       {"F a ?", "S a/ a{} 1 @1000", "F b ?", "S b/ b{} 1 @1500", "F c ?", "S c/ c{} 1 @-1500", "F d ?",
        "S d/ d{} 1 @1000000", "F e ?", "S e/ e{} 1 @0"},
       {}},
      {"special values, case-insensitive",
       "a NaN\nb +inf\nc -Inf\n# EOF\n",
       {"F a ?", "S a/ a{} NaN", "F b ?", "S b/ b{} +Inf", "F c ?", "S c/ c{} -Inf"},
       {}},
      {"empty HELP and UNIT", "# HELP x \n# UNIT x \nx 1\n# EOF\n", {"F x ? help=\"\"", "S x/ x{} 1"}, {}},
      {"empty label set and # in values",
       "x{} 1\ny{a=\"# EOF\"} 2\n# EOF\n",
       {"F x ?", "S x/ x{} 1", "F y ?", "S y/ y{a=\"# EOF\"} 2"},
       {}},
      {"families without samples", "# TYPE a gauge\n# TYPE b counter\n# EOF\n", {"F a gauge", "F b counter"}, {}},
  };
  for (const auto& c : cases) check_case(c, Format::openmetrics);
}

TEST_CASE("expfmt openmetrics: invalid expositions") {
  const std::vector<Case> cases = {
      {"empty input", "", {}, {{1, 1, "missing # EOF"}}},
      {"missing # EOF", "x 1\n", {"F x ?", "S x/ x{} 1"}, {{2, 1, "missing # EOF"}}},
      {"truncated last line", "x 1", {}, {{1, 4, "does not end with a newline"}, {1, 4, "missing # EOF"}}},
      {"content after # EOF", "# EOF\nx 1\n", {}, {{2, 1, "unexpected content after # EOF"}}},
      {"blank line after # EOF", "# EOF\n\n", {}, {{2, 1, "unexpected content after # EOF"}}},
      {"text after # EOF", "# EOF \n", {}, {{1, 6, "unexpected text after # EOF"}, {2, 1, "missing # EOF"}}},
      {"plain comments", "# hello\n# EOF\n", {}, {{1, 1, "comments are not allowed"}}},
      {"blank line", "x 1\n\n# EOF\n", {"F x ?", "S x/ x{} 1"}, {{2, 1, "empty line"}}},
      {"leading space", " x 1\n# EOF\n", {}, {{1, 1, "leading whitespace"}}},
      {"two spaces before the value", "x  1\n# EOF\n", {}, {{1, 3, "expected a value"}}},
      {"tab separator", "x\t1\n# EOF\n", {}, {{1, 2, "invalid character \"\\x09\" in metric name"}}},
      {"trailing space", "x 1 \n# EOF\n", {}, {{1, 5, "invalid timestamp \"\""}}},
      {"trailing comma in labels", "x{a=\"b\",} 1\n# EOF\n", {}, {{1, 8, "trailing comma"}}},
      {"HELP without a space after the name",
       "# HELP x\n# EOF\n",
       {},
       {{1, 9, "expected a space after the metric name"}}},
      {"untyped is a text-format word", "# TYPE x untyped\n# EOF\n", {}, {{1, 10, "invalid metric type \"untyped\""}}},
      {"counter sample without _total",
       "# TYPE c counter\nc 1\n# EOF\n",
       {"F c counter"},
       {{2, 1, "sample \"c\" does not belong to counter family \"c\" (expected c_total, c_created)"}}},
      {"text-format style counter family name",
       "# TYPE c_total counter\nc_total 1\n# EOF\n",
       {"F c_total counter"},
       {{2, 1, "(expected c_total_total, c_total_created)"}}},
      {"info sample without _info", "# TYPE b info\nb 1\n# EOF\n", {"F b info"}, {{2, 1, "expected b_info"}}},
      {"metadata after samples",
       "# TYPE x gauge\nx 1\n# HELP x h\n# EOF\n",
       {"F x gauge", "S x/ x{} 1"},
       {{3, 1, "# HELP for \"x\" after its samples"}}},
      {"second UNIT", "# UNIT x_s s\n# UNIT x_s s\n# EOF\n", {"F x_s ? unit=s"}, {{2, 1, "second # UNIT"}}},
      {"interleaved families",
       "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n",
       {"F a gauge", "S a/ a{} 1", "F b gauge", "S b/ b{} 1"},
       {{5, 1, "metric family \"a\" already appeared at line 1"}}},
      {"unit is not a suffix",
       "# TYPE x_bytes gauge\n# UNIT x_bytes seconds\n# EOF\n",
       {"F x_bytes gauge"},
       {{2, 16, "unit \"seconds\" is not a suffix of metric name \"x_bytes\""}}},
      {"exemplar on a gauge",
       "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n",
       {"F g gauge"},
       {{2, 1, "exemplars are only allowed on counter _total and histogram _bucket"}}},
      {"exemplar on _created",
       "# TYPE c counter\nc_created 1 # {a=\"b\"} 1\n# EOF\n",
       {"F c counter"},
       {{2, 1, "exemplars are only allowed"}}},
      {"exemplar labels longer than 128 characters",
       "# TYPE c counter\nc_total 1 # {trace_id=\"" + std::string(121, 'x') + "\"} 1\n# EOF\n",
       {"F c counter"},
       {{2, 1, "exemplar labels are 129 characters long"}}},
      {"exemplar without value",
       "# TYPE c counter\nc_total 1 # {a=\"b\"}\n# EOF\n",
       {"F c counter"},
       {{2, 20, "expected a single space and the exemplar value"}}},
      {"exemplar without space after #", "c_total 1 #{a=\"b\"} 1\n# EOF\n", {}, {{1, 11, "expected \"# {\""}}},
      {"duplicate exemplar label",
       "# TYPE c counter\nc_total 1 # {a=\"1\",a=\"2\"} 1\n# EOF\n",
       {"F c counter"},
       {{2, 20, "duplicate exemplar label name \"a\""}}},
      {"bad exemplar timestamp",
       "# TYPE c counter\nc_total 1 # {a=\"1\"} 1 x\n# EOF\n",
       {"F c counter"},
       {{2, 23, "invalid timestamp \"x\""}}},
      {"NaN timestamp", "x 1 NaN\n# EOF\n", {}, {{1, 5, "invalid timestamp \"NaN\""}}},
      {"timestamp out of range", "x 1 1e300\n# EOF\n", {}, {{1, 5, "timestamp \"1e300\" is out of range"}}},
      {"junk after timestamp", "x 1 1.5 2\n# EOF\n", {}, {{1, 8, "expected an exemplar"}}},
      {"stateset value must be a boolean",
       "# TYPE m stateset\nm{m=\"a\"} 2\n# EOF\n",
       {"F m stateset"},
       {{2, 1, "stateset value must be 0 or 1"}}},
      {"stateset needs the family label",
       "# TYPE m stateset\nm{state=\"a\"} 1\n# EOF\n",
       {"F m stateset"},
       {{2, 1, "stateset sample without a label named \"m\""}}},
      {"info value must be 1",
       "# TYPE b info\nb_info{v=\"1\"} 2\n# EOF\n",
       {"F b info"},
       {{2, 1, "info value must be 1"}}},
      {"bad HELP escape", "# HELP x a\\tb\n# EOF\n", {}, {{1, 11, "invalid escape sequence in HELP"}}},
      {"duplicate bucket with le 1 vs 1.0",
       "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n# EOF\n",
       {"F h histogram", "S h/_bucket h_bucket{le=\"1\"} 1"},
       {{3, 1, "duplicate series \"h_bucket\""}}},
      {"duplicate quantile with 0.5 vs 5e-1",
       "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"5e-1\"} 1\n# EOF\n",
       {"F s summary", "S s/ s{quantile=\"0.5\"} 1"},
       {{3, 1, "duplicate series \"s\""}}},
  };
  for (const auto& c : cases) check_case(c, Format::openmetrics);
}

TEST_CASE("expfmt openmetrics: same series name in two families is not a duplicate") {
  // Duplicate detection is scoped to a family; the same labels under another name are fine.
  Recorder r;
  const auto sum = parse("a{x=\"1\"} 1\nb{x=\"1\"} 1\n# EOF\n", Format::openmetrics, r);
  CHECK(sum.ok());
  CHECK(r.events.size() == 4);
}

TEST_CASE("expfmt openmetrics: duplicate detection can be turned off") {
  Recorder r;
  Options o;
  o.check_duplicates = false;
  const auto sum = parse("x 1\nx 2\n# EOF\n", Format::openmetrics, r, o);
  CHECK(sum.ok());
  CHECK(r.events == std::vector<std::string>{"F x ?", "S x/ x{} 1", "S x/ x{} 2"});
}
