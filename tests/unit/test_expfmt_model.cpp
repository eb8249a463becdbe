// The owning model (parse_all), content-type detection and number parsing.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "nsmon/expfmt/model.hpp"

using namespace nsmon::expfmt;

TEST_CASE("expfmt: format from content type") {
  CHECK(format_from_content_type("application/openmetrics-text; version=1.0.0; charset=utf-8") == Format::openmetrics);
  CHECK(format_from_content_type("application/openmetrics-text") == Format::openmetrics);
  CHECK(format_from_content_type(" Application/OpenMetrics-Text ;version=0.0.1") == Format::openmetrics);
  CHECK(format_from_content_type("text/plain; version=0.0.4; charset=utf-8") == Format::text);
  CHECK(format_from_content_type("text/plain") == Format::text);
  CHECK(format_from_content_type("") == Format::text);
  CHECK(format_from_content_type("application/openmetrics-textx") == Format::text);
  CHECK(format_from_content_type(content_type(Format::openmetrics)) == Format::openmetrics);
  CHECK(format_from_content_type(content_type(Format::text)) == Format::text);
}

TEST_CASE("expfmt: parse_value") {
  struct Row {
    const char* in;
    double want;
  };
  const Row ok[] = {{"0", 0},
                    {"1", 1},
                    {"-1", -1},
                    {"+1", 1},
                    {"1.5", 1.5},
                    {".5", 0.5},
                    {"5.", 5},
                    {"1e3", 1000},
                    {"1E3", 1000},
                    {"1e+3", 1000},
                    {"1e-3", 1e-3},
                    {"-0.0", -0.0},
                    {"1.7976931348623157e308", 1.7976931348623157e308},
                    {"4.9e-324", 4.9e-324},
                    {"1e-400", 0}};
  for (const auto& r : ok) {
    INFO(r.in);
    const auto v = parse_value(r.in);
    REQUIRE(v);
    CHECK(*v == r.want);
  }
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(*parse_value("+Inf") == inf);
  CHECK(*parse_value("Inf") == inf);
  CHECK(*parse_value("inf") == inf);
  CHECK(*parse_value("-Inf") == -inf);
  CHECK(*parse_value("+Infinity") == inf);
  CHECK(*parse_value("-INFINITY") == -inf);
  CHECK(std::isnan(*parse_value("NaN")));
  CHECK(std::isnan(*parse_value("nan")));
  for (const char* bad : {"",     "+",    "-",      ".",    "e3", "1e", "1e+", "1.2.3", "0x10",  "0x1p3",  "1_000",
                          "+NaN", "-nan", "nan(1)", "infx", "In", "1 ", " 1",  "1,5",   "1e400", "-1e400", "١"}) {
    INFO(bad);
    CHECK_FALSE(parse_value(bad));
  }
}

TEST_CASE("expfmt: parse_all builds families with their samples") {
  const auto e = parse_all("# HELP lat Request \\\"latency\\\".\n"
                           "# TYPE lat histogram\n"
                           "# UNIT lat \n"
                           "lat_bucket{path=\"/a\",le=\"1\"} 1 # {trace_id=\"t\\\\1\"} 0.4 1700000000.5\n"
                           "lat_bucket{path=\"/a\",le=\"+Inf\"} 2\n"
                           "lat_count{path=\"/a\"} 2\n"
                           "lat_sum{path=\"/a\"} 3\n"
                           "up 1\n"
                           "# EOF\n",
                           Format::openmetrics);
  CHECK(e.errors.empty());
  CHECK(e.eof);
  REQUIRE(e.families.size() == 2);
  const Family* lat = e.find("lat");
  REQUIRE(lat);
  CHECK(lat->type == MetricType::histogram);
  CHECK(lat->has_type);
  CHECK(lat->help == "Request \"latency\".");
  CHECK(lat->unit.empty());
  CHECK(lat->line == 1);
  REQUIRE(lat->samples.size() == 4);
  const Sample& b = lat->samples[0];
  CHECK(b.name == "lat_bucket");
  CHECK(b.suffix == "_bucket");
  CHECK(b.line == 4);
  REQUIRE(b.label("le"));
  CHECK(*b.label("le") == "1");
  CHECK(*b.label("path") == "/a");
  CHECK(b.label("nope") == nullptr);
  REQUIRE(b.exemplar);
  CHECK(b.exemplar->labels == std::vector<Label>{{"trace_id", "t\\1"}});
  CHECK(b.exemplar->value == 0.4);
  CHECK(b.exemplar->timestamp_ms == 1700000000500);
  CHECK_FALSE(lat->samples[1].exemplar);
  CHECK(lat->samples[3].suffix == "_sum");
  const Family* up = e.find("up");
  REQUIRE(up);
  CHECK(up->type == MetricType::unknown);
  CHECK_FALSE(up->has_type);
  CHECK(e.sample_count() == 5);
  CHECK(e.find("missing") == nullptr);
}

TEST_CASE("expfmt: parse_all keeps going after errors and owns its strings") {
  Exposition e;
  {
    std::string text = "a{x=\"1\"} 1\nbad line\nb{y=\"q\\nq\"} 2\n";
    e = parse_all(text, Format::text);
    text.assign(text.size(), '!'); // the model must not point into the input
  }
  REQUIRE(e.errors.size() == 1);
  CHECK(e.errors[0].line == 2);
  CHECK(e.errors[0].column == 5); // the value "line"
  REQUIRE(e.families.size() == 2);
  CHECK(e.families[0].samples[0].labels == std::vector<Label>{{"x", "1"}});
  CHECK(e.families[1].samples[0].labels == std::vector<Label>{{"y", "q\nq"}});
  CHECK_FALSE(e.eof);
}

TEST_CASE("expfmt: type names") {
  CHECK(std::string(to_string(MetricType::gaugehistogram)) == "gaugehistogram");
  CHECK(std::string(to_string(MetricType::unknown)) == "unknown");
  CHECK(std::string(to_string(Format::openmetrics)) == "openmetrics");
}
