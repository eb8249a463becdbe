// Hostile scrapes: huge lines, a million labels, invalid UTF-8, NUL bytes, truncation at every
// byte. The parser must answer with errors (line:column, short messages), never crash or hang.
#include "test_expfmt_support.hpp"

using namespace expfmt_test;

namespace {

std::size_t longest_message(const ParseSummary& sum) {
  std::size_t n = 0;
  for (const auto& e : sum.errors) n = std::max(n, e.message.size());
  return n;
}

} // namespace

TEST_CASE("expfmt hostile: 10 MB single lines") {
  const std::size_t big = 10u << 20;
  SECTION("a huge but valid label value") {
    const std::string input = "x{a=\"" + std::string(big, 'v') + "\"} 1\n";
    struct H : Handler {
      std::size_t len = 0;
      void on_sample(const SampleView& s) override { len = s.labels[0].value.size(); }
    } h;
    const auto sum = parse(input, Format::text, h);
    CHECK(sum.ok());
    CHECK(h.len == big);
  }
  SECTION("a huge escaped label value") {
    std::string value;
    for (std::size_t i = 0; i < big / 2; ++i) value += "\\n";
    const std::string input = "x{a=\"" + value + "\"} 1\n# EOF\n";
    struct H : Handler {
      bool ok = false;
      void on_sample(const SampleView& s) override {
        ok = s.labels[0].value.size() == value_len &&
             s.labels[0].value.find_first_not_of('\n') == std::string_view::npos;
      }
      std::size_t value_len = 0;
    } h;
    h.value_len = big / 2;
    CHECK(parse(input, Format::openmetrics, h).ok());
    CHECK(h.ok);
  }
  SECTION("10 MB of garbage without a newline") {
    const std::string input(big, '%');
    Recorder r;
    const auto sum = parse(input, Format::text, r);
    REQUIRE(sum.errors.size() == 1);
    CHECK(sum.errors[0].line == 1);
    CHECK(sum.errors[0].column == static_cast<int>(big) + 1);
    CHECK(r.events.empty());
  }
  SECTION("a huge metric name and a huge value token") {
    const std::string input = std::string(big, 'n') + " " + std::string(big, '9') + "x\n";
    Recorder r;
    const auto sum = parse(input, Format::text, r);
    REQUIRE(sum.errors.size() == 1);
    CHECK(sum.errors[0].column == static_cast<int>(big) + 2);
    CHECK(longest_message(sum) < 200); // the message quotes only a short excerpt
  }
  SECTION("a million opening braces (no recursion to exhaust)") {
    const std::string input = "x" + std::string(1'000'000, '{') + "\n";
    Recorder r;
    const auto sum = parse(input, Format::text, r);
    REQUIRE(sum.errors.size() == 1);
    CHECK(sum.errors[0].column == 3);
  }
}

// 200,000 labels: enough that a check quadratic in the label count would never finish, few
// enough that the sanitizer build parses them in seconds.
TEST_CASE("expfmt hostile: 200,000 labels in one sample") {
  std::string input = "x{";
  for (int i = 0; i < 200'000; ++i) input += "l" + std::to_string(i) + "=\"v\",";
  input += "} 1\n";
  SECTION("the default limit rejects it with one error") {
    Recorder r;
    const auto sum = parse(input, Format::text, r);
    REQUIRE(sum.errors.size() == 1);
    CHECK_THAT(sum.errors[0].message, Catch::Matchers::Contains("too many labels (more than 10000)"));
    CHECK(sum.errors[0].column == static_cast<int>(input.find("l10000=")) + 1);
    CHECK(r.events.empty());
  }
  SECTION("with the limit raised it parses, and a duplicate is still found") {
    Options o;
    o.max_labels = 2'000'000;
    struct H : Handler {
      std::size_t n = 0;
      void on_sample(const SampleView& s) override { n = s.labels.size(); }
    } h;
    CHECK(parse(input, Format::text, h, o).ok());
    CHECK(h.n == 200'000);

    const std::string dup = input.substr(0, input.size() - 4) + "l777=\"w\"} 1\n";
    Recorder r;
    const auto sum = parse(dup, Format::text, r, o);
    REQUIRE(sum.errors.size() == 1);
    CHECK_THAT(sum.errors[0].message, Catch::Matchers::Contains("duplicate label name \"l777\""));
    CHECK(sum.errors[0].column == static_cast<int>(dup.rfind("l777=")) + 1);
  }
}

TEST_CASE("expfmt hostile: invalid UTF-8 and NUL bytes") {
  using namespace std::string_literals;
  const std::vector<Case> cases = {
      {"lone continuation byte in a label value", "x{a=\"\x80\"} 1\n", {}, {{1, 6, "invalid UTF-8"}}},
      {"surrogate code point", "x{a=\"\xed\xa0\x80\"} 1\n", {}, {{1, 6, "invalid UTF-8"}}},
      {"beyond U+10FFFF", "x{a=\"\xf4\x90\x80\x80\"} 1\n", {}, {{1, 6, "invalid UTF-8"}}},
      {"truncated sequence before the quote", "x{a=\"ab\xe6\x97\"} 1\n", {}, {{1, 8, "invalid UTF-8"}}},
      {"high bytes in a metric name", "m\xc3\xa9tric 1\n", {}, {{1, 2, "invalid character \"\\xc3\""}}},
      {"invalid UTF-8 in a comment is just a comment", "# \xff\xfe\nx 1\n", {"F x ?", "S x/ x{} 1"}, {}},
      {"NUL in a metric name", "x\0y 1\n"s, {}, {{1, 2, "invalid character \"\\x00\""}}},
      {"NUL as the value", "x \0\n"s, {}, {{1, 3, "invalid sample value \"\\x00\""}}},
      {"NUL at the start of a line", "\0\n"s, {}, {{1, 1, "expected metric name, got \"\\x00\""}}},
      {"NUL inside a label value is valid UTF-8", "x{a=\"a\0b\"} 1\n"s, {"F x ?", "S x/ x{a=\"a\0b\"} 1"s}, {}},
  };
  for (const auto& c : cases) check_case(c, Format::text);

  SECTION("a megabyte of NUL bytes") {
    Recorder r;
    const auto sum = parse(std::string(1 << 20, '\0'), Format::openmetrics, r);
    REQUIRE(sum.errors.size() == 2);
    CHECK_THAT(sum.errors[0].message, Catch::Matchers::Contains("does not end with a newline"));
    CHECK_THAT(sum.errors[1].message, Catch::Matchers::Contains("missing # EOF"));
  }
  SECTION("random binary lines: every one is an error, parsing stops at the cap") {
    std::string input;
    std::uint32_t seed = 12345;
    for (int line = 0; line < 5000; ++line) {
      input += '\x01'; // never a valid start
      for (int i = 0; i < 30; ++i) {
        seed = seed * 1664525u + 1013904223u;
        const char c = static_cast<char>(seed >> 24);
        input += c == '\n' ? ' ' : c;
      }
      input += '\n';
    }
    Recorder r;
    const auto sum = parse(input, Format::text, r);
    CHECK(sum.errors.size() == 1000);
    CHECK(sum.stopped_early);
    CHECK(sum.errors.back().line == 1000);
    CHECK(r.events.empty());
  }
}

TEST_CASE("expfmt hostile: truncation at every byte offset") {
  const std::string text_input = "# HELP req Requests \\\\ served.\n"
                                 "# TYPE req counter\n"
                                 "req{code=\"200\",path=\"/a\\\"b\"} 1027 1395066363000\n"
                                 "req{code=\"400\",path=\"/\"} 3\n"
                                 "# TYPE lat histogram\n"
                                 "lat_bucket{le=\"0.5\"} 1\n"
                                 "lat_bucket{le=\"+Inf\"} 2\n"
                                 "lat_sum 0.7\n"
                                 "lat_count 2\n";
  const std::string om_input = "# HELP req Requests.\n"
                               "# TYPE req counter\n"
                               "# UNIT req \n"
                               "req_total{code=\"200\"} 1027 1395066363.5 # {trace_id=\"x\"} 1 1395066363\n"
                               "req_created{code=\"200\"} 1395066000\n"
                               "# TYPE mode stateset\n"
                               "mode{mode=\"a\"} 1\n"
                               "# TYPE build info\n"
                               "build_info{v=\"1\"} 1\n"
                               "# EOF\n";
  for (const auto& [input, format] : {std::pair{text_input, Format::text}, std::pair{om_input, Format::openmetrics}}) {
    Recorder full;
    REQUIRE(parse(input, format, full).ok());
    for (std::size_t cut = 0; cut < input.size(); ++cut) {
      const std::string part = input.substr(0, cut);
      INFO("format " << to_string(format) << ", cut at " << cut << ":\n" << part);
      Recorder r;
      const auto sum = parse(part, format, r);
      // Events are a prefix of the full parse: nothing invented, nothing half-read. (A family cut
      // inside its metadata block is announced with what it had, so compare families by name.)
      REQUIRE(r.events.size() <= full.events.size());
      auto key = [](const std::string& e) { return e[0] == 'F' ? e.substr(0, e.find(' ', 2)) : e; };
      for (std::size_t i = 0; i < r.events.size(); ++i) CHECK(key(r.events[i]) == key(full.events[i]));
      const bool at_line_boundary = cut == 0 || input[cut - 1] == '\n';
      if (format == Format::openmetrics) {
        // Only the cut that drops just the final newline keeps "# EOF" (which may end the input).
        const bool complete = part.size() >= 6 && part.substr(part.size() - 6) == "\n# EOF";
        CHECK(sum.ok() == complete);
        if (!complete) CHECK_THAT(sum.errors.back().message, Catch::Matchers::Contains("missing # EOF"));
      } else {
        CHECK(sum.ok() == at_line_boundary);
      }
      for (const auto& e : sum.errors) {
        CHECK(e.line >= 1);
        CHECK(e.column >= 1);
      }
    }
  }
}

TEST_CASE("expfmt hostile: a hundred thousand one-sample families") {
  std::string input;
  for (int i = 0; i < 100'000; ++i) input += "f" + std::to_string(i) + " " + std::to_string(i) + "\n";
  input += "f5 1\n"; // not contiguous: must still be caught among 100k names
  struct H : Handler {
    std::size_t families = 0;
    void on_family(const FamilyView&) override { ++families; }
  } h;
  const auto sum = parse(input, Format::text, h);
  CHECK(h.families == 100'000);
  REQUIRE(sum.errors.size() == 1);
  CHECK(sum.errors[0].line == 100'001);
}
