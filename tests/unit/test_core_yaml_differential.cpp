// Differential test: nsmon's YAML parser against yaml-cpp 0.7, the parser nsmon used before. Both
// must build the same tree (kinds, scalar values, tags, key order, line/column/offset of every
// node) for every YAML file of the repository and for the documents below; where both fail, at
// the same place. Built only into nsmon_yaml_differential, which links yaml-cpp (see
// tests/CMakeLists.txt); in the main unit-test binary this file is empty.
//
// Where nsmon differs from yaml-cpp, on purpose:
//  1. Text that is not UTF-8 YAML (NUL and other control bytes, invalid UTF-8, C1 controls,
//     U+FFFE/U+FFFF) is an error with its position; yaml-cpp reads any bytes, and a NUL or 0x04
//     byte even ends its input silently.
//  2. Content after the top-level node is an error: yaml-cpp returns the first node and ignores
//     the rest, so "- a\nb: 1" read as [a] and a misindented rule file lost its tail.
//  3. An alias inside the node it refers to (&a [*a]) is an error; yaml-cpp builds a cycle.
//  4. \N and \_ in double quotes give U+0085 and U+00A0 in UTF-8; yaml-cpp gives the single
//     bytes 0x85 and 0xA0, which are not UTF-8.
//  5. A quoted scalar cut off by the end of the input is an error; yaml-cpp reads "a: \"x\n" as
//     "x ".
//  6. Nesting: yaml-cpp gives up at 500 levels, nsmon at 1000 (yaml::kMaxDepth).
//  7. Merge keys (`<<: *a`, `<<: [*a, *b]`) are resolved as Go's yaml.v3 resolves them, which is
//     how Prometheus reads rule files; yaml-cpp keeps `<<` as an ordinary key.
//  8. Error messages are nsmon's; where yaml-cpp's were clear they are kept word for word.
// 10. What Go's yaml.v3 refuses and yaml-cpp reads is refused (tests/yaml_oracle compares nsmon
//     with yaml.v3 itself, on the YAML test suite too, which is why this test skips
//     tests/data/yaml-test-suite): %YAML other than 1.1 and unknown directives, anchor names
//     outside [0-9A-Za-z_-], empty flow entries, "\/", a value with no key, a tab where a simple
//     key may start, a map or list as a key; duplicate keys are recorded (Document::duplicates)
//     and reported by YamlReader.
// 11. !!binary scalars are decoded from base64, as Go's yaml decodes them (invalid data refused);
//     yaml-cpp keeps the text (test_yaml_compare.hpp skips their values; the Go oracle checks them).
//  9. A word at the indentation of a block map's keys at the end of the input ("a: 1\nb") is
//     refused, as yaml.v3 refuses it; yaml-cpp reads b: null.
#ifdef NSMON_YAML_DIFFERENTIAL
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "nsmon/core/yaml_tree.hpp"
#include "test_yaml_compare.hpp"

using namespace nsmon;

namespace {

enum class Expect { same, both_fail, ours_fails, value_differs, merged };

struct Case {
  const char* name;
  std::string text;
  Expect expect = Expect::same;
};

struct Outcome {
  bool y_ok = false;
  bool y_deep = false;
  YAML::Node y;
  YAML::Mark y_mark;
  std::string y_msg;
  yaml::Document ours;
};

Outcome run_both(const std::string& text) {
  Outcome o;
  try {
    o.y = YAML::Load(text);
    o.y_ok = true;
  } catch (const YAML::DeepRecursion& e) {
    o.y_deep = true;
    o.y_mark = e.mark;
  } catch (const YAML::Exception& e) {
    o.y_mark = e.mark;
    o.y_msg = e.msg;
  }
  o.ours = yaml::parse(text);
  return o;
}

// "" if both parsers agree, else what differs.
std::string agreement(const std::string& text) {
  Outcome o = run_both(text);
  if (o.y_ok && o.ours) return yaml_compare::Comparer().compare(o.y, o.ours.root());
  // Invalid base64 in a !!binary scalar: refused as Go's yaml refuses it (difference 11).
  if (o.y_ok && o.ours.error()->message.find("!!binary value contains invalid base64 data") != std::string::npos)
    return "";
  if (o.y_ok) return "nsmon fails: " + o.ours.error()->message;
  if (o.ours) return "yaml-cpp fails: " + o.y_msg;
  const auto& e = *o.ours.error();
  if (e.line != o.y_mark.line || e.column != o.y_mark.column)
    return "errors differ: yaml-cpp " + std::to_string(o.y_mark.line) + ":" + std::to_string(o.y_mark.column) + " " +
           o.y_msg + "; nsmon " + std::to_string(e.line) + ":" + std::to_string(e.column) + " " + e.message;
  return "";
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A rule file shaped like the benchmark's (bench/bench_yaml.cpp), small enough for a debug build.
std::string generated_rules(int alerts) {
  std::string s = "groups:\n";
  for (int i = 0; i < alerts; ++i) {
    if (i % 50 == 0) s += "  - name: group_" + std::to_string(i / 50) + "\n    interval: 1m\n    rules:\n";
    std::string n = std::to_string(i);
    s += "      - alert: HighErrorRate" + n + "\n";
    if (i % 3 == 0)
      s += "        expr: |\n          sum by (job) (rate(http_requests_total{code=~\"5..\",job=\"svc" + n +
           "\"}[5m]))\n            / sum by (job) (rate(http_requests_total{job=\"svc" + n + "\"}[5m])) > 0.05\n";
    else if (i % 3 == 1) s += "        expr: 'rate(errors_total{instance=\"host" + n + "\"}[5m]) > 0.1'\n";
    else s += "        expr: up{job=\"svc" + n + "\"} == 0\n";
    s += "        for: 5m\n        labels:\n          severity: " + std::string(i % 2 ? "warning" : "critical") +
         "\n          team: \"team-" + std::to_string(i % 7) + "\"\n";
    s += "        annotations:\n          summary: \"Error rate of {{ $labels.job }} is {{ $value | humanizePercentage "
         "}}\"\n";
    s += "          description: >-\n            The service svc" + n +
         " returns errors\n            for more than five minutes.\n";
    if (i % 10 == 0)
      s += "          runbook_url: https://runbooks.example.com/alerts#high-error-rate  # see the wiki\n";
  }
  return s;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      // Block mappings and sequences.
      {"block map", "a: 1\nb: two\nc: 3.5\n"},
      {"nested map", "a:\n  b:\n    c: d\n  e: f\ng: h\n"},
      {"block seq", "- a\n- b\n-   c\n"},
      {"seq of maps (compact items)", "- name: a\n  value: 1\n- name: b\n  value: 2\n"},
      {"seq at the parent key's indent", "key:\n- a\n- b\nother: 1\n"},
      {"nested seqs", "- - a\n  - b\n- - c\n"},
      {"empty items and values", "a:\n  - b\n  -\n  - c\nd:\ne: ~\n"},
      {"missing value at the end", "a: 1\nb:"},
      {"map in seq in map", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n"},
      {"deeper indent for seq", "a:\n    - x\n    - y\nb: z\n"},
      {"key with spaces", "a key with spaces: v\n\"quoted key\": w\n'single': x\n"},
      {"colon in values", "url: http://example.com:8080/x\ntime: 12:30:00\nk: a:b\n"},
      {"null forms", "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: 'null'\ng: \"~\"\nh: nul\n"},
      {"duplicate keys kept", "a: 1\nb: 2\na: 3\n"},
      {"windows line ends", "a: 1\r\nb:\r\n  - x\r\n  - y\r\nc: |\r\n  text\r\n  more\r\n"},
      {"lone carriage return", "a: b\rc\n"},
      {"tabs as separation", "a:\tb\nc: d\t# comment\n"},
      {"merge key resolved (difference 7)", "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n", Expect::merged},
      // Flow collections.
      {"flow map", "{a: 1, b: [x, y, {c: d}], e: , f}\n"},
      {"flow seq", "[a, b, c]\n"},
      {"trailing commas", "[a, b, ]\n---\n"},
      {"trailing comma in map", "{a: 1, }\n"},
      {"empty entry", "[a, , b]\n", Expect::ours_fails}, // difference 10
      {"multi-line flow", "labels: {\n  severity: critical,\n  team: core\n}\nlist: [\n  a,\n  b\n]\n"},
      {"nested flow", "[[a, [b, [c]]], {x: {y: {z: []}}}]\n"},
      {"flow pair in seq", "[a: 1, b]\n"},
      {"json style", "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}\n"},
      {"empty flow", "a: []\nb: {}\n"},
      {"flow in block seq", "- [a, b]\n- {c: d}\n"},
      {"plain multi-line in flow", "[a\n  b, c]\n"},
      // Plain scalars.
      {"plain folding", "plain: this is\n  a multi-line\n  plain scalar\n\n  with a blank line\nnext: x\n"},
      {"plain with hash", "a: b#c\nd: e # comment\n"},
      {"plain top level", "just text\n"},
      {"plain top level multi-line", "one\ntwo\n\nthree\n"},
      {"plain with quotes inside", "a: it's \"fine\"\n"},
      {"plain ending at document marker", "a\n---\nb\n"},
      // Quoted scalars.
      {"single quoted", "s: 'it''s\n  folded\n\n  here'\n"},
      {"double quoted escapes",
       "d: \"\\x41 \\u00e9 \\U0001F600 \\t \\n \\\\ \\\" \\L \\P \\e \\0 \\a \\b \\v \\f \\r \\  end\"\n"},
      {"escapes \\N and \\_", "d: \"\\N \\_\"\n", Expect::value_differs},
      {"escaped line break", "d: \"line one \\\n  continued\"\n"},
      {"double quoted folding", "d: \"a\n  b\n\n  c  \n  d\"\n"},
      {"quoted empty", "a: ''\nb: \"\"\n"},
      {"quoted key and json value", "{\"a\":\"b\"}\n"},
      {"promql in quotes", "expr: \"sum by (job) (rate(x{a=\\\"b\\\"}[5m])) > 0\"\n"},
      // Block scalars.
      {"literal", "lit: |\n  a\n   b\n  c\n\nnext: 1\n"},
      {"literal keep", "keep: |+\n  x\n\n\nnext: 1\n"},
      {"literal strip", "strip: |-\n  y\n\nnext: 1\n"},
      {"folded", "fold: >\n  a\n  b\n\n  c\n   d\n  e\n"},
      {"folded keep and strip", "a: >+\n  x\n\nb: >-\n  y\n  z\n"},
      {"explicit indentation", "ind: |2\n   two\n  one\n"},
      {"indentation then chomping", "a: |1-\n  x\n"},
      {"chomping then indentation", "a: >-2\n   x\n"},
      {"block scalar with comment", "a: | # comment\n  text\n"},
      {"block scalar at end of input", "a: |\n  text"},
      {"empty block scalar", "a: |\nb: >\n"},
      {"leading blank lines", "a: |\n\n\n  text\n"},
      {"block scalar in seq", "- |\n  a\n  b\n- >\n  c\n  d\n"},
      {"top-level block scalar", "--- |\n  text\n  more\n"},
      {"more indented folded lines", "a: >\n  one\n    two\n  three\n\n    four\n"},
      // Comments and documents.
      {"comments everywhere", "# head\na: 1 # tail\n# between\nb:\n  # inside\n  - x # item\n# end\n"},
      {"only comments", "# nothing here\n"},
      {"empty", ""},
      {"only whitespace", "  \n\n"},
      {"document start", "---\na: 1\n"},
      {"document end", "a: 1\n...\n"},
      {"second document ignored", "a: 1\n---\nb: 2\n"},
      {"document marker only", "---\n"},
      {"directives", "%YAML 1.1\n---\na: 1\n"},
      {"YAML 1.2 directive", "%YAML 1.2\n---\na: 1\n", Expect::ours_fails}, // difference 10
      {"tag directive", "%TAG !e! tag:example.com,2000:\n---\nx: !e!foo bar\n"},
      {"document start with scalar", "--- text\n"},
      // Anchors, aliases and tags.
      {"anchors and aliases", "- &a anchored\n- *a\n- &m {x: 1}\n- *m\n"},
      {"anchor on a key", "&k key: v\nother: *k\n"},
      {"anchored map", "base: &base\n  a: 1\n  b: 2\nuse: *base\n"},
      {"anchor redefined", "- &a 1\n- *a\n- &a 2\n- *a\n"},
      {"anchored null", "a: &n\nb: *n\n"},
      {"tags", "t: !!str 123\nu: !foo bar\nv: !<tag:x> y\nw: ! z\nx: !!map {a: b}\nn: !!null ~\n"},
      {"tag and anchor", "a: !!str &x 1\nb: &y !!str 2\nc: *x\n"},
      {"tagged empty", "a: !!str\nb: 1\n"},
      {"tagged collections", "a: !!seq\n- x\nb: !!map\n  c: d\n"},
      // Explicit keys (yaml-cpp reads them; nsmon does too, the same way).
      {"explicit key", "? complex\n: value\n"},
      {"explicit key without value", "? a\n? b\n"},
      // Errors: both must fail, at the same place.
      {"unterminated flow seq", "x: [a, b\n", Expect::both_fail},
      {"unterminated flow map", "labels: {severity: critical\nannotations:\n  summary: x\n", Expect::both_fail},
      {"value after value", "key: value: other\n", Expect::both_fail},
      {"bad indentation", "a: b\n c: d\n", Expect::both_fail},
      {"misaligned map", "a:\n  b: 1\n c: 2\n", Expect::both_fail},
      {"tab indentation", "a:\n\tb: 1\n", Expect::both_fail},
      {"unknown escape", "a: \"\\q\"\n", Expect::both_fail},
      {"bad hex escape", "a: \"\\xZZ\"\n", Expect::both_fail},
      {"surrogate escape", "a: \"\\uD800\"\n", Expect::both_fail},
      {"undefined alias", "a: *nope\n", Expect::both_fail},
      {"two anchors", "a: &x &y 1\n", Expect::both_fail},
      {"two tags", "a: !!str !!int 1\n", Expect::both_fail},
      {"flow end in block", "a: ]\n", Expect::both_fail},
      {"block entry in flow", "[- a]\n", Expect::both_fail},
      {"document marker in quotes", "a: \"x\n---\ny\"\n", Expect::both_fail},
      {"zero indentation indicator", "a: |0\n  x\n", Expect::both_fail},
      {"text after block indicator", "a: | x\n  y\n", Expect::both_fail},
      {"reserved indicator", "a: @b\n", Expect::both_fail},
      {"bad YAML version", "%YAML 2.0\n---\na: 1\n", Expect::both_fail},
      {"repeated YAML directive", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", Expect::both_fail},
      {"bad anchor character", "a: &x[ 1\n", Expect::both_fail},
      // nsmon's deliberate errors (see the top of this file).
      {"content after a sequence", "- a\nb: 1\n", Expect::ours_fails},
      {"content after a flow node", "[a]\nfoo\n", Expect::ours_fails},
      {"json key then plain", "\"a\":b\n", Expect::ours_fails},
      {"content after a scalar", "'a'\nb: c\n", Expect::ours_fails},
      {"unterminated double quote", "a: \"unterminated\n", Expect::ours_fails},
      {"unterminated single quote", "- 'a\n- b\n", Expect::ours_fails},
  };
  return all;
}

} // namespace

TEST_CASE("YAML differential: every YAML file of the repository", "[yaml][differential]") {
  namespace fs = std::filesystem;
  int files = 0;
  for (auto it = fs::recursive_directory_iterator(NSMON_SOURCE_DIR); it != fs::recursive_directory_iterator(); ++it) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && (name.rfind("build", 0) == 0 || name == ".git" || name == "yaml-test-suite")) {
      it.disable_recursion_pending();
      continue;
    }
    std::string ext = it->path().extension().string();
    if (!it->is_regular_file() || (ext != ".yml" && ext != ".yaml")) continue;
    ++files;
    INFO(it->path().string());
    CHECK(agreement(read(it->path())) == "");
  }
  CHECK(files >= 30);
}

TEST_CASE("YAML differential: a generated rule file", "[yaml][differential]") {
  CHECK(agreement(generated_rules(300)) == "");
}

TEST_CASE("YAML differential: tricky documents", "[yaml][differential]") {
  for (const auto& c : cases()) {
    INFO(c.name << ": " << c.text);
    Outcome o = run_both(c.text);
    switch (c.expect) {
    case Expect::same:
      CHECK(o.y_ok);
      CHECK(agreement(c.text) == "");
      break;
    case Expect::both_fail:
      CHECK(!o.y_ok);
      CHECK(!o.ours);
      // Where nsmon refuses as yaml.v3 does (difference 10), the place may differ from yaml-cpp's.
      if (!o.ours && !yaml_compare::deliberate_error(o.ours.error()->message)) CHECK(agreement(c.text) == "");
      break;
    case Expect::ours_fails:
      CHECK(o.y_ok);
      REQUIRE(!o.ours);
      CHECK(yaml_compare::deliberate_error(o.ours.error()->message));
      break;
    case Expect::merged: {
      // yaml-cpp has derived: {<<: {x: 1}, y: 2}; nsmon, like yaml.v3, derived: {y: 2, x: 1}.
      REQUIRE(o.y_ok);
      REQUIRE(o.ours);
      CHECK(o.y["derived"]["<<"]["x"].as<std::string>() == "1");
      CHECK(!o.ours.root()["derived"]["<<"]);
      CHECK(o.ours.root()["derived"]["x"].Scalar() == "1");
      CHECK(o.ours.root()["derived"]["y"].Scalar() == "2");
      break;
    }
    case Expect::value_differs:
      // Same tree once yaml-cpp's stray bytes are read as the code points they stand for.
      REQUIRE(o.y_ok);
      REQUIRE(o.ours);
      CHECK(yaml_compare::Comparer().compare(o.y, o.ours.root()) == "");
      break;
    }
  }
}

TEST_CASE("YAML differential: deep nesting", "[yaml][differential]") {
  // yaml-cpp stops at 500 levels, nsmon at 1000; below both, the trees agree.
  CHECK(agreement(std::string(400, '[') + std::string(400, ']')) == "");
  std::string deep = std::string(700, '[') + std::string(700, ']');
  Outcome o = run_both(deep);
  CHECK(o.y_deep);
  CHECK(o.ours);
  o = run_both(std::string(1200, '['));
  CHECK(!o.ours);
  CHECK(o.ours.error()->message.find("nesting is too deep") != std::string::npos);
}

TEST_CASE("YAML differential: the comparison notices differences", "[yaml][differential]") {
  // Guards the guard: a comparison that always agreed would make the tests above worthless.
  auto y = YAML::Load("a: [1, 2]\n");
  CHECK(yaml_compare::Comparer().compare(y, yaml::parse("a: [1, 3]\n").root()) != "");
  CHECK(yaml_compare::Comparer().compare(y, yaml::parse("a:  [1, 2]\n").root()) != "");
  CHECK(yaml_compare::Comparer().compare(y, yaml::parse("a: ['1', 2]\n").root()) != "");
  CHECK(yaml_compare::Comparer().compare(y, yaml::parse("b: [1, 2]\n").root()) != "");
  CHECK(yaml_compare::Comparer().compare(y, yaml::parse("a: [1, 2, 3]\n").root()) != "");
  CHECK(yaml_compare::Comparer().compare(y, yaml::parse("a: [1, 2]\n").root()) == "");
}
#endif
