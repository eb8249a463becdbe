#pragma once
// Shared by the test_expfmt_*.cpp files: prints parse events in a compact, diffable form, the
// way Prometheus's parse tests print the AST.
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "nsmon/expfmt/parser.hpp"

namespace expfmt_test {

using namespace nsmon::expfmt;

inline std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

inline std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '"' || c == '\\') out += '\\', out += c;
    else out += c;
  }
  return out + "\"";
}

inline std::string labels(std::span<const LabelView> ls) {
  std::string out = "{";
  for (const auto& l : ls) {
    if (out.size() > 1) out += ",";
    out += std::string(l.name) + "=" + quote(l.value);
  }
  return out + "}";
}

/// Records events as lines:
///   F <name> <type|?> [help="..."] [unit=...]
///   S <family>/<suffix> <name>{labels} <value> [@<ts>] [# {labels} <value> [@<ts>]]
struct Recorder : Handler {
  std::vector<std::string> events;
  void on_family(const FamilyView& f) override {
    std::string e = "F " + std::string(f.name) + " " + (f.has_type ? to_string(f.type) : "?");
    if (f.has_help) e += " help=" + quote(f.help);
    if (!f.unit.empty()) e += " unit=" + std::string(f.unit);
    events.push_back(e);
  }
  void on_sample(const SampleView& s) override {
    std::string e = "S " + std::string(s.family) + "/" + std::string(s.suffix) + " " + std::string(s.name) +
                    labels(s.labels) + " " + num(s.value);
    if (s.timestamp_ms) e += " @" + std::to_string(*s.timestamp_ms);
    if (s.exemplar) {
      e += " # " + labels(s.exemplar->labels) + " " + num(s.exemplar->value);
      if (s.exemplar->timestamp_ms) e += " @" + std::to_string(*s.exemplar->timestamp_ms);
    }
    events.push_back(e);
  }
};

inline std::vector<std::string> errors_of(const ParseSummary& sum) {
  std::vector<std::string> out;
  for (const auto& e : sum.errors)
    out.push_back(std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message);
  return out;
}

/// Expected error: position and a piece of the message.
struct ErrorSpec {
  int line;
  int column;
  std::string contains;
};

struct Case {
  std::string name;
  std::string input;
  std::vector<std::string> events;
  std::vector<ErrorSpec> errors;
};

inline void check_case(const Case& c, Format f) {
  INFO("case: " << c.name << "\ninput:\n" << c.input);
  Recorder r;
  const ParseSummary sum = parse(c.input, f, r);
  const auto errs = errors_of(sum);
  INFO("errors:\n"
       << [&] {
            std::string s;
            for (const auto& e : errs) s += "  " + e + "\n";
            return s;
          }());
  CHECK(r.events == c.events);
  REQUIRE(sum.errors.size() == c.errors.size());
  for (std::size_t i = 0; i < c.errors.size(); ++i) {
    CHECK(sum.errors[i].line == c.errors[i].line);
    CHECK(sum.errors[i].column == c.errors[i].column);
    CHECK_THAT(sum.errors[i].message, Catch::Matchers::Contains(c.errors[i].contains));
  }
}

} // namespace expfmt_test
