#include <catch2/catch.hpp>

#include "nsmon/core/yaml.hpp"
#include "nsmon/util/duration.hpp"

using namespace nsmon;

namespace {
// Parses `text`, takes the scalar at key `expr`, and returns "line:col" of value byte `index`.
std::string pos_of(const std::string& text, std::size_t index) {
  core::SourceFile src("f.yml", text);
  std::vector<core::Diagnostic> diags;
  core::YamlReader y(src, diags);
  auto root = y.parse();
  REQUIRE(root);
  auto node = (*root)["expr"];
  auto offsets = y.value_offsets(node);
  REQUIRE(offsets.size() == node.Scalar().size());
  auto lc = src.line_col(offsets.at(index));
  return std::to_string(lc.line) + ":" + std::to_string(lc.col);
}
} // namespace

TEST_CASE("positions inside YAML scalars map back to the file", "[yaml]") {
  // value: "rate(x[5m]) > 1"; byte 5 is 'x'
  CHECK(pos_of("expr: rate(x[5m]) > 1\n", 5) == "1:12");
  CHECK(pos_of("expr: \"rate(x[5m]) > 1\"\n", 5) == "1:13");
  CHECK(pos_of("expr: 'rate(x[5m]) > 1'\n", 5) == "1:13");
  // Escapes before the position shift it in the file but not in the value.
  CHECK(pos_of("expr: \"a{b=\\\"c\\\"} > x\"\n", 9) == "1:19"); // value a{b="c"} > x ; byte 9 is '>'
  CHECK(pos_of("expr: 'a{b=''c''} > x'\n", 9) == "1:19");
  // Literal block: lines keep their newlines, indentation is skipped.
  std::string lit = "expr: |\n  sum by (le) (\n    rate(x[5m])\n  )\n";
  CHECK(pos_of(lit, 0) == "2:3");
  CHECK(pos_of(lit, 21) == "3:10"); // value "sum by (le) (\n  rate(x[5m])\n)\n": byte 21 is 'x'
  // Folded block and multi-line plain scalars: line breaks became spaces.
  CHECK(pos_of("expr: >\n  rate(x[5m])\n  > 1\n", 12) == "3:3");
  CHECK(pos_of("expr: rate(x[5m])\n  > 1\n", 12) == "2:3");
  // Double-quoted across lines.
  CHECK(pos_of("expr: \"rate(x[5m])\n  > 1\"\n", 12) == "2:3");
}

TEST_CASE("Prometheus durations", "[duration]") {
  using util::parse_duration;
  CHECK(parse_duration("5m") == 300000);
  CHECK(parse_duration("1h30m") == 5400000);
  CHECK(parse_duration("500ms") == 500);
  CHECK(parse_duration("1m30s500ms") == 90500);
  CHECK(parse_duration("0") == 0);
  CHECK(parse_duration("2d") == 2 * 86400000LL);
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("5"));
  CHECK_FALSE(parse_duration("30m1h"));
  CHECK_FALSE(parse_duration("1h1h"));
  CHECK_FALSE(parse_duration("5 m"));
  CHECK_FALSE(parse_duration("-5m"));
  CHECK_FALSE(parse_duration("1.5h"));
  CHECK_FALSE(parse_duration("99999999999999999999y"));
  CHECK(util::format_duration(5400000) == "1h30m");
  CHECK(util::format_duration(0) == "0s");
  CHECK(util::format_duration(500) == "500ms");
}

TEST_CASE("YamlReader reports every duplicate key once, where it is", "[yaml]") {
  core::SourceFile src("f.yml", "a: 1\nb: {x: 1, x: 2}\na: 3\n");
  std::vector<core::Diagnostic> diags;
  core::YamlReader y(src, diags);
  auto root = y.parse();
  REQUIRE(root);
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].check == "yaml/duplicate-key");
  CHECK(diags[0].span.line == 2);
  CHECK(diags[0].span.col == 11);
  CHECK(diags[0].message == "duplicate key 'x' (already defined at line 2)");
  CHECK(diags[1].span.line == 3);
  // A loader's own report of the same key is folded into the first one.
  y.check_mapping(*root, {"a", "b"}, "the file");
  CHECK(diags.size() == 2);
}
