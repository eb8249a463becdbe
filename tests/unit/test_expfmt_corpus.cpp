// Real expositions captured by tests/data/expfmt/capture.sh (node exporter, Prometheus, a Python
// prometheus_client app): each parses without errors, and the families, types and sample counts
// agree with a naive line count of the same file.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "nsmon/expfmt/model.hpp"

using namespace nsmon::expfmt;

namespace {

std::string read(const std::string& name) {
  const std::string path = std::string(NSMON_SOURCE_DIR) + "/tests/data/expfmt/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The naive view of a client_golang text exposition: every family has a # TYPE line and every
/// other non-comment line is a sample.
struct NaiveCount {
  std::map<std::string, std::string> types; // family -> type word
  std::size_t samples = 0;
};

NaiveCount naive(const std::string& text) {
  NaiveCount n;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      n.types[name] = type == "untyped" ? "unknown" : type;
    } else if (!line.empty() && line[0] != '#') {
      ++n.samples;
    }
  }
  return n;
}

void check_against_naive(const std::string& file) {
  INFO(file);
  const std::string text = read(file);
  const Exposition e = parse_all(text, Format::text);
  for (const auto& err : e.errors) UNSCOPED_INFO(err.line << ":" << err.column << ": " << err.message);
  CHECK(e.errors.empty());
  const NaiveCount n = naive(text);
  CHECK(e.families.size() == n.types.size());
  CHECK(e.sample_count() == n.samples);
  for (const auto& f : e.families) {
    INFO(f.name);
    CHECK(f.has_type);
    CHECK_FALSE(f.help.empty());
    CHECK(to_string(f.type) == n.types.at(f.name));
    CHECK_FALSE(f.samples.empty());
  }
}

} // namespace

TEST_CASE("expfmt corpus: node exporter and Prometheus match a naive count") {
  check_against_naive("node_exporter.txt");
  check_against_naive("prometheus.txt");
}

TEST_CASE("expfmt corpus: node exporter spot checks") {
  const Exposition e = parse_all(read("node_exporter.txt"), Format::text);
  const Family* cpu = e.find("node_cpu_seconds_total");
  REQUIRE(cpu);
  CHECK(cpu->type == MetricType::counter);
  REQUIRE_FALSE(cpu->samples.empty());
  CHECK(cpu->samples[0].label("cpu"));
  CHECK(cpu->samples[0].label("mode"));
  const Family* gc = e.find("go_gc_duration_seconds");
  REQUIRE(gc);
  CHECK(gc->type == MetricType::summary);
  CHECK(gc->samples.size() == 7); // 5 quantiles, _sum, _count
  CHECK(*gc->samples[0].label("quantile") == "0");
  CHECK(gc->samples.back().suffix == "_count");
}

TEST_CASE("expfmt corpus: Prometheus histograms") {
  const Exposition e = parse_all(read("prometheus.txt"), Format::text);
  std::size_t histograms = 0;
  for (const auto& f : e.families) {
    if (f.type != MetricType::histogram) continue;
    ++histograms;
    // Every label set ends with a +Inf bucket whose value is the _count that follows.
    for (std::size_t i = 0; i < f.samples.size(); ++i) {
      const Sample& s = f.samples[i];
      if (s.suffix == "_bucket") CHECK(s.label("le"));
      if (s.suffix == "_count") {
        REQUIRE(i >= 2);
        const Sample& inf = f.samples[i - 2]; // client_golang: ..., +Inf bucket, _sum, _count
        CHECK(inf.suffix == "_bucket");
        CHECK(*inf.label("le") == "+Inf");
        CHECK(inf.value == s.value);
      }
    }
  }
  CHECK(histograms == 7);
}

TEST_CASE("expfmt corpus: prometheus_client text format") {
  const Exposition e = parse_all(read("python_client.txt"), Format::text);
  CHECK(e.errors.empty());
  std::vector<std::string> got;
  for (const auto& f : e.families)
    got.push_back(f.name + " " + to_string(f.type) + " " + std::to_string(f.samples.size()));
  CHECK(got == std::vector<std::string>{
                   "images_processed_total counter 3", "images_processed_created gauge 3", "queue_depth gauge 1",
                   "inference_seconds histogram 18", "inference_seconds_created gauge 2", "frame_bytes summary 2",
                   "frame_bytes_created gauge 1", "detector_build_info gauge 1", "pipeline_state gauge 3"});
  const Family* q = e.find("queue_depth");
  REQUIRE(q);
  CHECK(q->help == "Frames waiting.\nSecond line with a backslash \\.");
  const Family* images = e.find("images_processed_total");
  REQUIRE(images);
  CHECK(*images->samples[1].label("source") == "path \"C:\\cams\\2\"\nline2");
  CHECK(*e.find("detector_build_info")->samples[0].label("notes") == "# not a comment");
}

TEST_CASE("expfmt corpus: prometheus_client OpenMetrics") {
  const Exposition e = parse_all(read("python_client.om.txt"), Format::openmetrics);
  for (const auto& err : e.errors) UNSCOPED_INFO(err.line << ":" << err.column << ": " << err.message);
  CHECK(e.errors.empty());
  CHECK(e.eof);
  std::vector<std::string> got;
  std::size_t exemplars = 0;
  for (const auto& f : e.families) {
    got.push_back(f.name + " " + to_string(f.type) + " " + std::to_string(f.samples.size()));
    for (const auto& s : f.samples) exemplars += s.exemplar ? 1 : 0;
  }
  CHECK(got == std::vector<std::string>{"images_processed counter 6", "queue_depth gauge 1",
                                        "inference_seconds histogram 20", "frame_bytes summary 3",
                                        "detector_build info 1", "pipeline_state stateset 3"});
  CHECK(exemplars == 2);
  const Family* lat = e.find("inference_seconds");
  REQUIRE(lat);
  CHECK(lat->unit == "seconds");
  const Family* images = e.find("images_processed");
  REQUIRE(images);
  CHECK(images->samples[1].suffix == "_created");
  CHECK(images->samples[1].value > 1.5e9);
  const Sample& ex = images->samples[4];
  REQUIRE(ex.exemplar);
  CHECK(ex.exemplar->labels[0].name == "trace_id");
  CHECK(ex.exemplar->labels[0].value == "4bf92f3577b34da6");
  CHECK(ex.exemplar->timestamp_ms > 1'500'000'000'000);
  const Family* state = e.find("pipeline_state");
  REQUIRE(state);
  CHECK(*state->samples[1].label("pipeline_state") == "running");
  CHECK(state->samples[1].value == 1);
}

TEST_CASE("expfmt corpus: the text form is not OpenMetrics and vice versa") {
  // Parsing with the wrong format must fail loudly, not half-succeed silently.
  CHECK_FALSE(parse_all(read("python_client.txt"), Format::openmetrics).errors.empty());
  CHECK_FALSE(parse_all(read("python_client.om.txt"), Format::text).errors.empty());
}
