#include <catch2/catch.hpp>
#include <cmath>
#include <optional>

#include "nsmon/core/yaml.hpp"
#include "nsmon/text/duration.hpp"

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
  REQUIRE(offsets.size() == node.scalar().size());
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

TEST_CASE("positions inside aliased and merged YAML scalars map back to the anchor's text", "[yaml]") {
  // An alias: the value is the anchored node, its bytes are where the anchor's text is.
  CHECK(pos_of("e: &e rate(x[5m]) > 1\nexpr: *e\n", 5) == "1:12");
  CHECK(pos_of("e: &e |\n  sum(\n    rate(x[5m]))\nexpr: *e\n", 12) == "3:10"); // byte 12 is 'x'
  // A merged entry (yaml.v3's and yaml.v2's merge alike): the anchored map's own text.
  CHECK(pos_of("base: &b\n  expr: rate(x[5m]) > 1\n<<: *b\n", 5) == "2:14");
  CHECK(pos_of("a: &a {x: 1}\nb: &b {expr: \"rate(x[5m])\"}\n<<: [*a, *b]\n", 5) == "2:20");
}

TEST_CASE("findings on aliased and merged content point at the anchor's text", "[yaml]") {
  for (auto dialect : {yaml::Dialect::v3, yaml::Dialect::v2}) {
    core::SourceFile src("f.yml", "d: &d\n  severity: 1\nm:\n  <<: *d\n  x: *d\n");
    std::vector<core::Diagnostic> diags;
    core::YamlReader y(src, diags);
    auto root = y.parse(dialect);
    REQUIRE(root);
    // The merged value and the value through an alias are the anchored nodes.
    auto merged = (*root)["m"]["severity"];
    auto aliased = (*root)["m"]["x"]["severity"];
    y.report(merged, "yaml/type", "merged");
    y.report(aliased, "yaml/type", "aliased");
    y.report((*root)["m"]["x"], "yaml/type", "alias");
    REQUIRE(diags.size() == 3);
    CHECK(diags[0].span.line == 2);
    CHECK(diags[0].span.col == 13);
    CHECK(diags[1].span.line == 2);
    CHECK(diags[1].span.col == 13);
    CHECK(diags[2].span.line == 1); // the anchored map starts at its anchor
    CHECK(diags[2].span.col == 4);
  }
  // A duplicate key inside an anchored map is reported where it is written, once, though the
  // map is merged elsewhere.
  core::SourceFile src("f.yml", "d: &d\n  a: 1\n  a: 2\nm:\n  <<: *d\n");
  std::vector<core::Diagnostic> diags;
  core::YamlReader y(src, diags);
  REQUIRE(y.parse(yaml::Dialect::v2));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].check == "yaml/duplicate-key");
  CHECK(diags[0].span.line == 3);
  CHECK(diags[0].span.col == 3);
}

TEST_CASE("Prometheus durations", "[duration]") {
  using text::parse_duration;
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
  CHECK(text::format_duration(5400000) == "1h30m");
  CHECK(text::format_duration(0) == "0s");
  CHECK(text::format_duration(500) == "500ms");
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

TEST_CASE("YamlReader::number reads numbers as YAML does: .inf is one, inf is a string", "[yaml]") {
  core::SourceFile src("f.yml", "a: [1.5, -2, 1e3, .inf, -.Inf, .nan, inf, nan, -infinity, 0x1p3, 1e999]\n");
  std::vector<core::Diagnostic> diags;
  core::YamlReader y(src, diags);
  auto root = y.parse();
  REQUIRE(root);
  std::vector<std::optional<double>> got;
  for (const auto& item : (*root)["a"]) got.push_back(y.number(item, "a"));
  REQUIRE(got.size() == 11);
  CHECK(got[0] == 1.5);
  CHECK(got[1] == -2);
  CHECK(got[2] == 1000);
  CHECK((got[3] && std::isinf(*got[3]) && *got[3] > 0));
  CHECK((got[4] && std::isinf(*got[4]) && *got[4] < 0));
  CHECK((got[5] && std::isnan(*got[5])));
  for (std::size_t i = 6; i < got.size(); ++i) CHECK(!got[i]); // strings to YAML; out of range
  CHECK(diags.size() == 5);
}
