// The parser reuses work between consecutive samples (labels whose raw text repeats, the metric
// name, the duplicate-name check). These tests check that a line parses the same way in a long
// exposition as it does alone, and that duplicate series are exactly the naive ones.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "test_expfmt_support.hpp"

using namespace expfmt_test;

namespace {

struct LineResult {
  std::string sample; // labels as printed, or "" when the line had an error
  std::string error;  // "col: message" or ""
};

/// Records, per line, the sample printed or the first error.
std::map<int, LineResult> per_line(const std::string& input, Format f) {
  struct H : Handler {
    std::map<int, LineResult>* out;
    void on_sample(const SampleView& s) override { (*out)[s.line].sample = labels(s.labels) + " " + num(s.value); }
  } h;
  std::map<int, LineResult> out;
  h.out = &out;
  Options o;
  o.max_errors = 1'000'000;
  const auto sum = parse(input, f, h, o);
  for (const auto& e : sum.errors)
    if (out[e.line].error.empty()) out[e.line].error = std::to_string(e.column) + ": " + e.message;
  return out;
}

std::string random_line(std::mt19937& rng, bool text) {
  static const char* names[] = {"a", "b", "le", "quantile", "camera"};
  static const char* values[] = {"1", "1.0", "x\\\"y", "long-value-1234567890", "", "\\\\", "+Inf", "cam-0001"};
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::string line = "x{";
  const std::size_t count = pick(5);
  for (std::size_t i = 0; i < count; ++i) {
    if (i) line += text && pick(6) == 0 ? " , " : ",";
    line += names[pick(5)];
    line += text && pick(8) == 0 ? " = " : "=";
    line += "\"";
    line += values[pick(8)];
    line += "\"";
  }
  switch (pick(12)) {
  case 0: line += ",}"; break;         // trailing comma: text only
  case 1: line += "} "; break;         // missing value
  case 2: line += ",a=\"1\" 2"; break; // unterminated set
  case 3: line += "\"} 1"; break;      // stray quote
  default: line += "} " + std::to_string(pick(3)); break;
  }
  return line + "\n";
}

} // namespace

TEST_CASE("expfmt consistency: a line parses the same in context as alone") {
  for (const Format f : {Format::text, Format::openmetrics}) {
    std::mt19937 rng(f == Format::text ? 7 : 11);
    std::vector<std::string> lines;
    std::string input;
    for (int i = 0; i < 3000; ++i) {
      lines.push_back(random_line(rng, f == Format::text));
      // Repeat lines with small edits so that label prefixes are shared often.
      if (i > 0 && rng() % 3 == 0)
        lines.back() = lines[lines.size() - 2].substr(0, lines[lines.size() - 2].size() / 2) +
                       lines.back().substr(lines.back().size() / 2);
      input += lines.back();
    }
    if (f == Format::openmetrics) input += "# EOF\n";
    const auto full = per_line(input, f);

    // Naive duplicate detection: sorted (name, value) pairs of every accepted sample.
    std::set<std::vector<std::pair<std::string, std::string>>> seen;
    std::set<int> naive_dups;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const int line_no = static_cast<int>(i) + 1;
      std::string alone = lines[i];
      if (f == Format::openmetrics) alone += "# EOF\n";
      struct H : Handler {
        std::vector<std::pair<std::string, std::string>> set;
        bool got = false;
        void on_sample(const SampleView& s) override {
          got = true;
          for (const auto& l : s.labels) set.emplace_back(l.name, l.value);
          std::sort(set.begin(), set.end());
        }
      } h;
      parse(alone, f, h);
      const auto a = per_line(alone, f);
      INFO(to_string(f) << " line " << line_no << ": " << lines[i]);
      const auto it = full.find(line_no);
      const LineResult in_context = it == full.end() ? LineResult{} : it->second;
      const LineResult by_itself = a.count(1) ? a.at(1) : LineResult{};
      if (h.got && !seen.insert(h.set).second) {
        naive_dups.insert(line_no);
        CHECK_THAT(in_context.error, Catch::Matchers::Contains("duplicate series"));
        continue;
      }
      CHECK(in_context.sample == by_itself.sample);
      CHECK(in_context.error == by_itself.error);
    }
    std::set<int> dups;
    for (const auto& [line, r] : full)
      if (r.error.find("duplicate series") != std::string::npos) dups.insert(line);
    CHECK(dups == naive_dups);
    CHECK(naive_dups.size() > 10); // the generator does produce duplicates
  }
}

TEST_CASE("expfmt consistency: reused labels after a line with an error") {
  // The second line shares its label text with a line whose value was bad; its duplicate label
  // names must still be found, and the third line is checked against the second.
  const std::string input =
      "x{a=\"1\",a=\"2\"} bad\nx{a=\"1\",a=\"2\"} 1\nx{a=\"1\",b=\"2\"} 1\nx{a=\"1\",b=\"2\"} 2\n";
  Recorder r;
  const auto sum = parse(input, Format::text, r);
  REQUIRE(sum.errors.size() == 3);
  CHECK(sum.errors[0].line == 1);
  CHECK_THAT(sum.errors[0].message, Catch::Matchers::Contains("invalid sample value"));
  CHECK(sum.errors[1].line == 2);
  CHECK_THAT(sum.errors[1].message, Catch::Matchers::Contains("duplicate label name \"a\""));
  CHECK(sum.errors[2].line == 4);
  CHECK_THAT(sum.errors[2].message, Catch::Matchers::Contains("duplicate series"));
  CHECK(r.events == std::vector<std::string>{"F x ?", "S x/ x{a=\"1\",b=\"2\"} 1"});
}

TEST_CASE("expfmt consistency: escaped values are decoded afresh on every line") {
  const std::string input = "x{a=\"q\\\"1\",b=\"1\"} 1\nx{a=\"q\\\"1\",b=\"2\"} 1\nx{a=\"q\\\"1\",b=\"3\"} 1\n";
  Recorder r;
  CHECK(parse(input, Format::text, r).ok());
  CHECK(r.events == std::vector<std::string>{"F x ?", "S x/ x{a=\"q\\\"1\",b=\"1\"} 1",
                                             "S x/ x{a=\"q\\\"1\",b=\"2\"} 1", "S x/ x{a=\"q\\\"1\",b=\"3\"} 1"});
}
