// Prometheus text format 0.0.4: valid and invalid lines, with the events they produce and the
// exact error positions.
#include "test_expfmt_support.hpp"

using namespace expfmt_test;

TEST_CASE("expfmt text: valid expositions") {
  const std::vector<Case> cases = {
      {"empty input", "", {}, {}},
      {"blank and comment lines only", "\n  \n# just a comment\n#no space comment\n", {}, {}},
      {"untyped sample without metadata", "up 1\n", {"F up ?", "S up/ up{} 1"}, {}},
      {"counter as prometheus_client writes it",
       "# HELP images_processed_total Images processed.\n"
       "# TYPE images_processed_total counter\n"
       "images_processed_total{model=\"yolo\"} 42.0\n"
       "# HELP images_processed_created Images processed.\n"
       "# TYPE images_processed_created gauge\n"
       "images_processed_created{model=\"yolo\"} 1.7e9\n",
       {"F images_processed_total counter help=\"Images processed.\"",
        "S images_processed_total/ images_processed_total{model=\"yolo\"} 42",
        "F images_processed_created gauge help=\"Images processed.\"",
        "S images_processed_created/ images_processed_created{model=\"yolo\"} 1.7e+09"},
       {}},
      {"histogram owns _bucket _sum _count; le as 1 or 1.0",
       "# TYPE lat histogram\n"
       "lat_bucket{le=\"1\"} 2\n"
       "lat_bucket{le=\"2.5\"} 3\n"
       "lat_bucket{le=\"+Inf\"} 4\n"
       "lat_sum 7.5\n"
       "lat_count 4\n",
       {"F lat histogram", "S lat/_bucket lat_bucket{le=\"1\"} 2", "S lat/_bucket lat_bucket{le=\"2.5\"} 3",
        "S lat/_bucket lat_bucket{le=\"+Inf\"} 4", "S lat/_sum lat_sum{} 7.5", "S lat/_count lat_count{} 4"},
       {}},
      {"summary owns quantiles, _sum and _count",
       "# TYPE rpc summary\nrpc{quantile=\"0.5\"} 0.1\nrpc{quantile=\"0.99\"} 1e-3\nrpc_sum 3\nrpc_count 9\n",
       {"F rpc summary", "S rpc/ rpc{quantile=\"0.5\"} 0.1", "S rpc/ rpc{quantile=\"0.99\"} 0.001",
        "S rpc/_sum rpc_sum{} 3", "S rpc/_count rpc_count{} 9"},
       {}},
      {"untyped type word", "# TYPE x untyped\nx 1\n", {"F x unknown", "S x/ x{} 1"}, {}},
      {"HELP without TYPE, then samples", "# HELP x Some help\nx 1\n", {"F x ? help=\"Some help\"", "S x/ x{} 1"}, {}},
      {"HELP escapes \\\\ and \\n", "# HELP x a\\\\b\\nc\nx 1\n", {"F x ? help=\"a\\\\b\\nc\"", "S x/ x{} 1"}, {}},
      {"empty HELP", "# HELP x\nx 1\n", {"F x ? help=\"\"", "S x/ x{} 1"}, {}},
      {"label value escapes", "x{a=\"q\\\"b\\\\s\\nn\"} 1\n", {"F x ?", "S x/ x{a=\"q\\\"b\\\\s\\nn\"} 1"}, {}},
      {"several escaped values in one line keep their own text",
       "x{a=\"\\\\1\",b=\"\\\"2\",c=\"3\\n\"} 1\n",
       {"F x ?", "S x/ x{a=\"\\\\1\",b=\"\\\"2\",c=\"3\\n\"} 1"},
       {}},
      {"# and braces inside a label value",
       "x{path=\"/a#b{c}\",q=\"# TYPE y gauge\"} 1\n",
       {"F x ?", "S x/ x{path=\"/a#b{c}\",q=\"# TYPE y gauge\"} 1"},
       {}},
      {"UTF-8 label value", "x{city=\"Zürich 東京\"} 1\n", {"F x ?", "S x/ x{city=\"Zürich 東京\"} 1"}, {}},
      {"special values",
       "a NaN\nb +Inf\nc -Inf\nd 1.5e+3\ne -2E-2\nf .5\ng 5.\nh inf\ni -infinity\n",
       {"F a ?", "S a/ a{} NaN", "F b ?", "S b/ b{} +Inf", "F c ?", "S c/ c{} -Inf", "F d ?", "S d/ d{} 1500", "F e ?",
        "S e/ e{} -0.02", "F f ?", "S f/ f{} 0.5", "F g ?", "S g/ g{} 5", "F h ?", "S h/ h{} +Inf", "F i ?",
        "S i/ i{} -Inf"},
       {}},
      {"timestamps are integer milliseconds",
       "x 1 1712345678901\ny 2 0\n",
       {"F x ?", "S x/ x{} 1 @1712345678901", "F y ?", "S y/ y{} 2 @0"},
       {}},
      {"blanks and tabs between tokens",
       "  x { a = \"1\" , b=\"2\" , }\t3 \t 17 \t\n",
       {"F x ?", "S x/ x{a=\"1\",b=\"2\"} 3 @17"},
       {}},
      {"trailing comma and empty braces",
       "x{a=\"1\",} 1\ny{} 2\n",
       {"F x ?", "S x/ x{a=\"1\"} 1", "F y ?", "S y/ y{} 2"},
       {}},
      {"value right after the closing brace", "x{a=\"1\"}1\n", {"F x ?", "S x/ x{a=\"1\"} 1"}, {}},
      {"colons in metric names",
       "job:rate5m:sum 1\n",
       {"F job:rate5m:sum ?", "S job:rate5m:sum/ job:rate5m:sum{} 1"},
       {}},
      {"family without samples is still announced",
       "# HELP a A\n# TYPE a gauge\n# HELP b B\nb 1\n",
       {"F a gauge help=\"A\"", "F b ? help=\"B\"", "S b/ b{} 1"},
       {}},
      {"# EOF is only a comment in the text format", "x 1\n# EOF\n", {"F x ?", "S x/ x{} 1"}, {}},
      {"# UNIT is only a comment in the text format",
       "# UNIT x_seconds seconds\nx_seconds 1\n",
       {"F x_seconds ?", "S x_seconds/ x_seconds{} 1"},
       {}},
      {"TYPE counter does not own foo_total in the text format",
       "# TYPE foo counter\nfoo_total 1\n",
       {"F foo counter", "F foo_total ?", "S foo_total/ foo_total{} 1"},
       {}},
      {"same label names with other values are another series",
       "x{a=\"1\",b=\"2\"} 1\nx{b=\"2\",a=\"2\"} 1\n",
       {"F x ?", "S x/ x{a=\"1\",b=\"2\"} 1", "S x/ x{b=\"2\",a=\"2\"} 1"},
       {}},
  };
  for (const auto& c : cases) check_case(c, Format::text);
}

TEST_CASE("expfmt text: invalid lines give errors with positions") {
  const std::vector<Case> cases = {
      {"bad value", "x 1x\n", {}, {{1, 3, "invalid sample value \"1x\""}}},
      {"missing value", "x\n", {}, {{1, 2, "expected a value"}}},
      // A long quote is cut where a word ends, with an ellipsis, never inside a word (issue 58).
      {"a long value cut between words",
       "x this-is-not-a-number-and-is-quite-long-indeed\n",
       {},
       {{1, 3, "invalid sample value \"this-is-not-a-number-and-is-quite-long…\""}}},
      {"one word longer than the cap is not quoted",
       "x 1234567890123456789012345678901234567890123456789x\n",
       {},
       {{1, 3, "invalid sample value (50 bytes without a break, too long to quote)"}}},
      {"hex floats are not numbers", "x 0x1p3\n", {}, {{1, 3, "invalid sample value"}}},
      {"underscores are not numbers", "x 1_000\n", {}, {{1, 3, "invalid sample value"}}},
      {"nan with sign is not a number", "x -NaN\n", {}, {{1, 3, "invalid sample value"}}},
      {"overflowing value", "x 1e400\n", {}, {{1, 3, "invalid sample value"}}},
      {"bad timestamp", "x 1 12.5\n", {}, {{1, 5, "invalid timestamp \"12.5\""}}},
      {"negative timestamp", "x 1 -5\n", {}, {{1, 5, "invalid timestamp"}}},
      {"timestamp out of int64", "x 1 99999999999999999999\n", {}, {{1, 5, "invalid timestamp"}}},
      {"text after timestamp", "x 1 2 3\n", {}, {{1, 7, "unexpected text after the timestamp"}}},
      {"exemplar in text format",
       "x_total 1 # {a=\"b\"} 1\n",
       {},
       {{1, 11, "exemplars are only allowed in OpenMetrics"}}},
      {"invalid metric name start", "1x 1\n", {}, {{1, 1, "expected metric name"}}},
      {"invalid character in metric name", "x-y 1\n", {}, {{1, 2, "invalid character \"-\" in metric name"}}},
      {"quoted metric name", "{\"x.y\"} 1\n", {}, {{1, 1, "quoted (UTF-8) metric names are not supported"}}},
      {"invalid label name", "x{1a=\"b\"} 1\n", {}, {{1, 3, "expected label name"}}},
      {"label name with colon", "x{a:b=\"c\"} 1\n", {}, {{1, 4, "expected '=' after label name \"a\""}}},
      {"missing equals", "x{a \"b\"} 1\n", {}, {{1, 5, "expected '='"}}},
      {"unquoted value", "x{a=b} 1\n", {}, {{1, 5, "expected '\"'"}}},
      {"unterminated value", "x{a=\"b} 1\n", {}, {{1, 5, "unterminated value of label \"a\""}}},
      {"value ending in a backslash", "x{a=\"b\\\n", {}, {{1, 5, "unterminated value"}}},
      {"unterminated label set", "x{a=\"b\",\n", {}, {{1, 2, "unterminated label set"}}},
      {"missing comma", "x{a=\"1\" b=\"2\"} 1\n", {}, {{1, 9, "expected ',' or '}'"}}},
      {"bad escape in label value", "x{a=\"\\t\"} 1\n", {}, {{1, 6, "invalid escape sequence"}}},
      {"invalid UTF-8 in label value", "x{a=\"ok\xff\"} 1\n", {}, {{1, 8, "invalid UTF-8"}}},
      {"overlong UTF-8 in label value", "x{a=\"\xc0\xaf\"} 1\n", {}, {{1, 6, "invalid UTF-8"}}},
      {"duplicate label name", "x{a=\"1\",b=\"2\",a=\"3\"} 1\n", {}, {{1, 15, "duplicate label name \"a\""}}},
      {"bad HELP escape (\\\" is OpenMetrics only)", "# HELP x say \\\"hi\\\"\n", {}, {{1, 14, "invalid escape"}}},
      {"invalid UTF-8 in HELP", "# HELP x bad \xe2\x82\n", {}, {{1, 14, "invalid UTF-8 in HELP"}}},
      {"invalid type", "# TYPE x info\n", {}, {{1, 10, "invalid metric type \"info\""}}},
      {"missing type", "# TYPE x\n", {}, {{1, 9, "invalid metric type \"\""}}},
      {"bad metric name in TYPE", "# TYPE 9x gauge\n", {}, {{1, 8, "expected metric name after # TYPE"}}},
      {"CRLF line endings", "x 1\r\n", {}, {{1, 4, "carriage return"}}},
      {"no newline at the end", "x 1\ny 2", {"F x ?", "S x/ x{} 1"}, {{2, 4, "does not end with a newline"}}},
      {"second TYPE",
       "# TYPE x gauge\n# TYPE x counter\nx 1\n",
       {"F x gauge", "S x/ x{} 1"},
       {{2, 1, "second # TYPE for \"x\" (first at line 1)"}}},
      {"second HELP", "# HELP x a\n# HELP x b\nx 1\n", {"F x ? help=\"a\"", "S x/ x{} 1"}, {{2, 1, "second # HELP"}}},
      {"TYPE after samples",
       "x 1\n# TYPE x gauge\n",
       {"F x ?", "S x/ x{} 1"},
       {{2, 1, "# TYPE for \"x\" after its samples"}}},
      {"family lines not contiguous",
       "a 1\nb 1\na 2\n",
       {"F a ?", "S a/ a{} 1", "F b ?", "S b/ b{} 1"},
       {{3, 1, "metric family \"a\" already appeared at line 1"}}},
      {"duplicate series",
       "x{a=\"1\",b=\"2\"} 1\nx{b=\"2\",a=\"1\"} 2\n",
       {"F x ?", "S x/ x{a=\"1\",b=\"2\"} 1"},
       {{2, 1, "duplicate series \"x\" (same name and labels as line 1)"}}},
      {"duplicate bucket: le 1 and 1.0 are the same bucket",
       "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\nh_bucket{le=\"+Inf\"} 1\n",
       {"F h histogram", "S h/_bucket h_bucket{le=\"1\"} 1", "S h/_bucket h_bucket{le=\"+Inf\"} 1"},
       {{3, 1, "duplicate series \"h_bucket\""}}},
      {"histogram bucket without le",
       "# TYPE h histogram\nh_bucket{x=\"1\"} 1\n",
       {"F h histogram"},
       {{2, 1, "histogram bucket sample without a \"le\" label"}}},
      {"histogram le not a float",
       "# TYPE h histogram\nh_bucket{le=\"big\"} 1\n",
       {"F h histogram"},
       {{2, 14, "invalid \"le\" value \"big\""}}},
      {"summary quantile not a float",
       "# TYPE s summary\ns{quantile=\"p99\"} 1\n",
       {"F s summary"},
       {{2, 13, "invalid \"quantile\" value"}}},
      {"summary sample without quantile",
       "# TYPE s summary\ns 1\n",
       {"F s summary"},
       {{2, 1, "without a \"quantile\" label"}}},
      {"histogram does not own its bare name",
       "# TYPE h histogram\nh 1\n",
       {"F h histogram"},
       {{2, 1, "sample \"h\" does not belong to histogram family \"h\" (expected h_bucket, h_count, h_sum)"}}},
      {"every bad line is reported and parsing goes on",
       "a 1\nb x\nc 3\nd{ 4\ne 5\n",
       {"F a ?", "S a/ a{} 1", "F c ?", "S c/ c{} 3", "F e ?", "S e/ e{} 5"},
       {{2, 3, "invalid sample value"}, {4, 4, "expected label name, got \"4\""}}},
  };
  for (const auto& c : cases) check_case(c, Format::text);
}

TEST_CASE("expfmt text: escaped label values stay valid while the sample is handed out") {
  // Decoded values live in scratch space; a long line with many escaped values must not move
  // earlier ones when later ones are decoded.
  std::string line = "x{";
  for (int i = 0; i < 200; ++i) line += "l" + std::to_string(i) + "=\"v\\\\" + std::to_string(i) + "\",";
  line += "} 1\n";
  struct H : Handler {
    bool ok = false;
    void on_sample(const SampleView& s) override {
      ok = s.labels.size() == 200;
      for (std::size_t i = 0; i < s.labels.size(); ++i) ok = ok && s.labels[i].value == "v\\" + std::to_string(i);
    }
  } h;
  const auto sum = parse(line, Format::text, h);
  CHECK(sum.ok());
  CHECK(h.ok);
}

TEST_CASE("expfmt text: views point into the input when nothing needs unescaping") {
  const std::string input = "# HELP m plain help\nm{a=\"b\"} 1\n";
  struct H : Handler {
    const std::string* in;
    bool inside = true;
    bool within(std::string_view v) const {
      return v.data() >= in->data() && v.data() + v.size() <= in->data() + in->size();
    }
    void on_family(const FamilyView& f) override { inside = inside && within(f.name) && within(f.help); }
    void on_sample(const SampleView& s) override {
      inside = inside && within(s.name) && within(s.labels[0].name) && within(s.labels[0].value);
    }
  } h;
  h.in = &input;
  CHECK(parse(input, Format::text, h).ok());
  CHECK(h.inside);
}

TEST_CASE("expfmt text: error cap stops parsing") {
  std::string bad;
  for (int i = 0; i < 50; ++i) bad += "x y\n";
  Recorder r;
  Options o;
  o.max_errors = 10;
  const auto sum = parse(bad, Format::text, r, o);
  CHECK(sum.errors.size() == 10);
  CHECK(sum.stopped_early);
  CHECK(sum.lines == 10);
}
