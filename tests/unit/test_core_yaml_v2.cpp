// core/yaml_v2: scalars typed as Go's yaml.v2 resolves them (resolve.go), and the typed-field
// check built on it. The whole-tree comparison with yaml.v2 itself is tests/yaml_oracle (v2 set).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "nsmon/core/yaml_v2.hpp"

using namespace nsmon;

namespace {

// "tag value" of the scalar `v:` in `text`, as yaml.v2 would decode it into interface{}.
std::string typed(const std::string& scalar) {
  auto doc = yaml::parse("v: " + scalar + "\n");
  REQUIRE(doc);
  auto r = core::yaml_v2::resolve(doc.root()["v"]);
  std::string out(r.tag);
  if (r.tag == "!!bool") out += r.boolean ? " true" : " false";
  if (r.tag == "!!int") out += " " + (r.is_unsigned ? std::to_string(r.uinteger) : std::to_string(r.integer));
  if (r.tag == "!!float") out += std::isnan(r.number) ? " nan" : " " + std::to_string(r.number);
  if (!r.refused_tag.empty()) out += " refused as " + std::string(r.refused_tag);
  return out;
}

} // namespace

TEST_CASE("yaml_v2::resolve types scalars as yaml.v2 does", "[yaml]") {
  // YAML 1.1 booleans, quoted text is text.
  CHECK(typed("yes") == "!!bool true");
  CHECK(typed("Off") == "!!bool false");
  CHECK(typed("y") == "!!bool true");
  CHECK(typed("'true'") == "!!str");
  CHECK(typed("maybe") == "!!str");
  // Integers: strconv.ParseInt(s, 0, 64) after removing '_': prefixes, octal, signs.
  CHECK(typed("0x1F") == "!!int 31");
  CHECK(typed("0o17") == "!!int 15");
  CHECK(typed("017") == "!!int 15");
  CHECK(typed("-0b11") == "!!int -3");
  CHECK(typed("1_000") == "!!int 1000");
  CHECK(typed("+5") == "!!int 5");
  CHECK(typed("-9223372036854775808") == "!!int -9223372036854775808");
  // Above int64: ParseUint; above uint64 or with a sign: a float if it looks like one.
  CHECK(typed("18446744073709551615") == "!!int 18446744073709551615");
  CHECK(typed("18446744073709551616") == "!!float 18446744073709551616.000000");
  CHECK(typed("-9223372036854775809") == "!!float -9223372036854775808.000000");
  // 08 is no octal number but matches yaml.v2's float pattern.
  CHECK(typed("08") == "!!float 8.000000");
  // Floats: yaml.v2's pattern, out of range is text; the special values.
  CHECK(typed(".5") == "!!float 0.500000");
  CHECK(typed("1e3") == "!!float 1000.000000");
  CHECK(typed("1.5e") == "!!str");
  CHECK(typed("1.2.3") == "!!str");
  CHECK(typed("1-2") == "!!str");
  CHECK(typed("1e999") == "!!str");
  CHECK(typed(".NaN") == "!!float nan");
  CHECK(typed(".Nan") == "!!str");
  CHECK(typed("-.inf") == "!!float -inf");
  // Timestamps: dates that exist, with yaml.v2's layouts.
  CHECK(typed("2001-12-14") == "!!timestamp");
  CHECK(typed("2000-02-29") == "!!timestamp");
  CHECK(typed("2001-02-29") == "!!str");
  CHECK(typed("2001-12-14T21:59:43.10-05:00") == "!!timestamp");
  CHECK(typed("2001-12-14 21:59:43") == "!!timestamp");
  CHECK(typed("2001-12-14 21:59:43 +5") == "!!str");
  // Null, and explicit tags: resolved when the text fits, refused when it does not.
  CHECK(typed("~") == "!!null");
  CHECK(typed("!!str 1") == "!!str");
  CHECK(typed("!!int '12'") == "!!int 12");
  CHECK(typed("!!float 1") == "!!float 1.000000");
  CHECK(typed("!!int abc") == "!!str refused as !!int");
  CHECK(typed("!!bool maybe") == "!!str refused as !!bool");
  CHECK(typed("!custom 7") == "!!str");
}

TEST_CASE("yaml_v2::check_scalars reports what yaml.v2 cannot decode into a field", "[yaml]") {
  auto check = [](const std::string& text) {
    core::SourceFile src("p.yml", text);
    std::vector<core::Diagnostic> diags;
    core::YamlReader y(src, diags);
    auto root = y.parse(yaml::Dialect::v2);
    REQUIRE(root);
    static const core::yaml_v2::Field fields[] = {
        {"on", core::yaml_v2::Type::boolean}, {"n", core::yaml_v2::Type::int_}, {"u", core::yaml_v2::Type::uint64}};
    static const std::string_view free_form[] = {"labels"};
    core::yaml_v2::check_scalars(y, *root, fields, free_form);
    std::string out;
    for (const auto& d : diags)
      out += std::to_string(d.span.line) + ":" + std::to_string(d.span.col) + " " + d.message + "\n";
    return out;
  };
  CHECK(check("on: yes\nn: 0x10\nu: 1e3\n").empty());
  CHECK(check("on: 'true'\n") == "1:5 cannot unmarshal !!str `true` into bool (on)\n");
  CHECK(check("n: 9223372036854775808\n") == "1:4 cannot unmarshal !!int `9223372036854775808` into int (n)\n");
  CHECK(check("u: -1\n") == "1:4 cannot unmarshal !!int `-1` into uint64 (u)\n");
  CHECK(check("n: .inf\n") == "1:4 cannot unmarshal !!float `.inf` into int (n)\n");
  CHECK(check("n: 2001-12-14\n") == "1:4 cannot unmarshal !!timestamp `2001-12-14` into int (n)\n");
  // Names under a free-form key are no fields; a refused tag is refused anywhere.
  CHECK(check("labels: {on: maybe}\n").empty());
  CHECK(check("labels: {x: !!int abc}\n") == "1:13 cannot decode !!str `abc` as a !!int\n");
  CHECK(check("!!int floats: xor\n") == "1:1 cannot decode !!str `floats` as a !!int\n"); // found by fuzz_yaml
  // A merged value is checked where it is written (the anchor's text).
  CHECK(check("d: &d {n: x}\nj:\n  n: 1\n  <<: *d\n") == "1:11 cannot unmarshal !!str `x` into int (n)\n");
  // An alias bomb is walked once per node, not once per path.
  std::string bomb = "A: &A [yes, yes]\n";
  for (char c = 'B'; c <= 'Z'; ++c)
    bomb += std::string(1, c) + ": &" + std::string(1, c) + " [*" + std::string(1, static_cast<char>(c - 1)) + ", *" +
            std::string(1, static_cast<char>(c - 1)) + "]\n";
  CHECK(check(bomb).empty());
}
