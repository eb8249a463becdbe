// nsmon's YAML parser on its own: the node API, values of every construct, exact value offsets,
// positioned errors, hostile input. The comparison with Go's yaml is tests/yaml_oracle.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "nsmon/core/yaml_tree.hpp"

using namespace nsmon;

namespace {

std::string where(const yaml::Node& n) {
  auto m = n.mark();
  return std::to_string(m.line) + ":" + std::to_string(m.column);
}

std::string error_of(const std::string& text) {
  auto doc = yaml::parse(text);
  if (doc) return "ok";
  const auto& e = *doc.error();
  return std::to_string(e.line) + ":" + std::to_string(e.column) + " " + e.message;
}

// Compact rendering of a tree: scalars, [..] for sequences, {k: v} for maps, ~ for null.
std::string render(const yaml::Node& n) {
  if (n.is_null()) return "~";
  if (n.is_scalar()) return "'" + std::string(n.scalar()) + "'";
  std::string out = n.is_map() ? "{" : "[";
  bool first = true;
  for (auto it = n.begin(); it != n.end(); ++it) {
    out += first ? "" : ", ";
    first = false;
    out += n.is_map() ? render(it->first) + ": " + render(it->second) : render(*it);
  }
  return out + (n.is_map() ? "}" : "]");
}

std::string tree(const std::string& text) {
  auto doc = yaml::parse(text);
  return doc ? render(doc.root()) : "error: " + doc.error()->message;
}

std::string value(const std::string& text) {
  auto doc = yaml::parse(text);
  REQUIRE(doc);
  return std::string(doc.root()["v"].scalar());
}

// The value offsets of key `v`, checked byte for byte against the text: a byte comes from the
// same byte, or from the escape or line break that produced it.
std::vector<std::size_t> checked_offsets(const std::string& text, const yaml::Document& doc, const yaml::Node& n) {
  auto offsets = doc.value_offsets(n);
  REQUIRE(offsets.size() == n.scalar().size());
  // A !!binary scalar's value is the decoded bytes: no byte comes from one byte of the text, each
  // offset points into its base64 text.
  if (n.tag() == "tag:yaml.org,2002:binary") {
    for (auto o : offsets) CHECK((o >= static_cast<std::size_t>(n.mark().pos) && o < text.size()));
    return offsets;
  }
  // The first byte that breaks the rule, checked once: an assertion per byte costs the corpus
  // walk below millions of Catch assertions.
  auto wrong = [&](std::size_t i) {
    if (offsets[i] >= text.size() || (i > 0 && offsets[i] < offsets[i - 1])) return true;
    char v = n.scalar()[i], t = text[offsets[i]];
    bool same = v == t, from_break = (v == ' ' || v == '\n') && (t == '\n' || t == '\r'),
         from_escape = t == '\\' || t == '\'';
    return !(same || from_break || from_escape);
  };
  std::size_t first_wrong = 0;
  while (first_wrong < offsets.size() && !wrong(first_wrong)) ++first_wrong;
  INFO("byte " << first_wrong << " of '" << n.scalar() << "' at offset "
               << (first_wrong < offsets.size() ? offsets[first_wrong] : 0));
  CHECK(first_wrong == offsets.size());
  return offsets;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void check_all_scalars(const std::string& text, const yaml::Document& doc, const yaml::Node& n, int& count) {
  if (n.is_scalar()) {
    ++count;
    checked_offsets(text, doc, n);
  }
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (n.is_map()) {
      check_all_scalars(text, doc, it->first, count);
      check_all_scalars(text, doc, it->second, count);
    } else {
      check_all_scalars(text, doc, *it, count);
    }
  }
}

} // namespace

TEST_CASE("yaml::Node API", "[yaml]") {
  auto doc = yaml::parse("a: 1\nb:\nc: [x, y]\na: 2\nd: {e: f}\n");
  REQUIRE(doc);
  yaml::Node root = doc.root();
  CHECK(root.is_map());
  CHECK(root.size() == 5);
  // The first matching key wins; duplicates stay visible to iteration.
  CHECK(root["a"].scalar() == "1");
  std::vector<std::string> keys;
  for (auto it = root.begin(); it != root.end(); ++it) keys.push_back(std::string(it->first.scalar()));
  CHECK(keys == std::vector<std::string>{"a", "b", "c", "a", "d"});
  // A missing key is undefined; a key without value is a defined null.
  CHECK(!root["zz"]);
  CHECK(!root["zz"].is_defined());
  CHECK(!root["zz"].is_null());
  CHECK(root["zz"].mark().is_null());
  CHECK(root["zz"].scalar().empty());
  CHECK(root["zz"].size() == 0);
  CHECK(!root["zz"]["deeper"]);
  CHECK(root["b"]);
  CHECK(root["b"].is_null());
  CHECK(!root["b"].is_scalar());
  // Sequences iterate over their items.
  std::string items;
  for (const auto& item : root["c"]) items += item.scalar();
  CHECK(items == "xy");
  CHECK(root["c"].at(1).scalar() == "y");
  CHECK(!root["c"].at(2));
  CHECK(!root["c"]["x"]);
  CHECK(root["d"]["e"].scalar() == "f");
  CHECK(root["a"].scalar() == "1");
  // Nodes are handles: copies refer to the same node.
  yaml::Node copy = root["d"];
  CHECK(copy.is(root["d"]));
  CHECK(!copy.is(root["c"]));
  // Marks are 0-based, like YAML::Mark.
  CHECK(where(root) == "0:0");
  CHECK(where(root["c"]) == "2:3");
  CHECK(where(root["c"].at(1)) == "2:7");
  CHECK(root["c"].at(1).mark().pos == 15);
}

TEST_CASE("yaml::Node tags tell plain scalars from quoted ones", "[yaml]") {
  auto doc = yaml::parse("p: x\ns: 'x'\nd: \"x\"\nl: |\n  x\nf: >\n  x\nt: !!str x\nu: !mine x\nn: ~\nm: {}\n");
  REQUIRE(doc);
  auto r = doc.root();
  CHECK(r["p"].tag() == "?");
  CHECK(r["s"].tag() == "!");
  CHECK(r["d"].tag() == "!");
  CHECK(r["l"].tag() == "!");
  CHECK(r["f"].tag() == "!");
  CHECK(r["t"].tag() == "tag:yaml.org,2002:str");
  CHECK(r["u"].tag() == "!mine");
  CHECK(r["n"].tag().empty());
  CHECK(r["m"].tag() == "?");
  CHECK(r["p"].style() == yaml::ScalarStyle::plain);
  CHECK(r["s"].style() == yaml::ScalarStyle::single_quoted);
  CHECK(r["d"].style() == yaml::ScalarStyle::double_quoted);
  CHECK(r["l"].style() == yaml::ScalarStyle::literal);
  CHECK(r["f"].style() == yaml::ScalarStyle::folded);
}

TEST_CASE("yaml::parse builds the tree of every construct", "[yaml]") {
  struct Case {
    std::string text, expected;
  };
  std::vector<Case> cases = {
      {"", "~"},
      {"# only a comment\n", "~"},
      {"---\n", "~"},
      {"a: 1\n", "{'a': '1'}"},
      {"- a\n- b: c\n  d: e\n- - x\n  - y\n", "['a', {'b': 'c', 'd': 'e'}, ['x', 'y']]"},
      {"key:\n- a\n- b\nother: 1\n", "{'key': ['a', 'b'], 'other': '1'}"},
      {"{a: 1, b: [x, y, {c: d}], e: , f}\n", "{'a': '1', 'b': ['x', 'y', {'c': 'd'}], 'e': ~, 'f': ~}"},
      {"[a, b, ]\n", "['a', 'b']"},
      {"{a: 1, }\n", "{'a': '1'}"},
      {"[a: 1, b]\n", "[{'a': '1'}, 'b']"},
      {"labels: {\n  severity: critical,\n  team: core\n}\n", "{'labels': {'severity': 'critical', 'team': 'core'}}"},
      {"a: ~\nb: null\nc: 'null'\nd:\n", "{'a': ~, 'b': ~, 'c': 'null', 'd': ~}"},
      {"- &a x\n- *a\n- &m {k: v}\n- *m\n", "['x', 'x', {'k': 'v'}, {'k': 'v'}]"},
      {"base: &b {x: 1}\nd:\n  <<: *b\n", "{'base': {'x': '1'}, 'd': {'x': '1'}}"}, // merge keys resolved (yaml.v3)
      {"t: !!str 123\nn: !!null ~\n", "{'t': '123', 'n': '~'}"},
      {"? a\n: b\n", "{'a': 'b'}"},
      {"a: 1\n---\nb: 2\n", "{'a': '1'}"},
      {"%YAML 1.1\n---\na: 1\n...\n", "{'a': '1'}"},
      {"%YAML 1.2\n---\na: 1\n", "error: YAML version 1.2 is not supported (Go's yaml reads %YAML 1.1 only)"},
      {"%FOO bar\n---\na: 1\n", "error: unknown directive %FOO (only %YAML and %TAG exist)"},
      {"a: 1\r\nb: 2\r\n", "{'a': '1', 'b': '2'}"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(tree(c.text) == c.expected);
  }
}

TEST_CASE("yaml::parse decodes scalars", "[yaml]") {
  // Plain scalars fold lines; blank lines become newlines.
  CHECK(value("v: this is\n  a multi-line\n\n  plain scalar\n") == "this is a multi-line\nplain scalar");
  CHECK(value("v: a # comment\n") == "a");
  CHECK(value("v: a#b\n") == "a#b");
  // Single quotes: '' is a quote; lines fold.
  CHECK(value("v: 'it''s\n  folded\n\n  here'\n") == "it's folded\nhere");
  // Double quotes: every escape, and escaped line breaks.
  CHECK(value("v: \"\\x41\\u00e9\\U0001F600\\t\\n\\\\\\\"\\e\\a\\b\\v\\f\\r\\ \\L\\P\"\n") ==
        "A\xC3\xA9\xF0\x9F\x98\x80\t\n\\\"\x1B\x07\x08\x0B\x0C\x0D \xE2\x80\xA8\xE2\x80\xA9");
  CHECK(value("v: \"\\N\\_\"\n") == "\xC2\x85\xC2\xA0");
  CHECK(value("v: \"a\\0b\"\n") == std::string("a\0b", 3));
  CHECK(value("v: \"one \\\n  two\"\n") == "one two");
  CHECK(value("v: \"a\n  b\n\n  c\"\n") == "a b\nc");
  // Block scalars: clip, keep, strip; folding; explicit indentation.
  CHECK(value("v: |\n  a\n   b\n\nnext: 1\n") == "a\n b\n");
  CHECK(value("v: |+\n  a\n\n\nnext: 1\n") == "a\n\n\n");
  CHECK(value("v: |-\n  a\n\nnext: 1\n") == "a");
  CHECK(value("v: >\n  a\n  b\n\n  c\n   d\n  e\n") == "a b\nc\n d\ne\n");
  CHECK(value("v: >-\n  a\n  b\n") == "a b");
  CHECK(value("v: |2\n   two\n  one\n") == " two\none\n");
  CHECK(value("v: | # comment\n  text\n") == "text\n");
  CHECK(value("v: |\n  text") == "text");
  CHECK(value("v: |\nw: x\n").empty());
}

TEST_CASE("yaml::Document::value_offsets maps every value byte to the text", "[yaml]") {
  auto at = [](const std::string& text, std::size_t byte) {
    auto doc = yaml::parse(text);
    REQUIRE(doc);
    auto offsets = checked_offsets(text, doc, doc.root()["v"]);
    REQUIRE(byte < offsets.size());
    return offsets[byte];
  };
  CHECK(at("v: rate(x[5m]) > 1\n", 5) == 8);
  CHECK(at("v: \"rate(x[5m])\"\n", 5) == 9);
  CHECK(at("v: \"a\\\"b\"\n", 1) == 5);    // the escaped quote maps to its backslash
  CHECK(at("v: \"a\\\"b\"\n", 2) == 7);    // and the next byte after it
  CHECK(at("v: \"\\u00e9x\"\n", 1) == 4);  // both bytes of é map to the escape
  CHECK(at("v: \"\\u00e9x\"\n", 2) == 10); // x
  CHECK(at("v: 'it''s'\n", 2) == 6);       // '' maps to its first quote
  CHECK(at("v: 'it''s'\n", 3) == 8);
  CHECK(at("v: |\n  sum(\n    x)\n", 7) == 16);   // x, indented in a literal block
  CHECK(at("v: |\n  sum(\n    x)\n", 4) == 11);   // the kept line break
  CHECK(at("v: >\n  rate(x)\n  > 1\n", 7) == 14); // the folded break became a space
  CHECK(at("v: >\n  rate(x)\n  > 1\n", 8) == 17); // '>' on the next line
  CHECK(at("v: rate(x)\n  > 1\n", 7) == 10);      // plain scalars fold the same way
  CHECK(at("v: rate(x)\n  > 1\n", 8) == 13);
  CHECK(at("v: \"one \\\n  two\"\n", 4) == 12); // after an escaped line break
  CHECK(at("v: |\r\n  a\r\n  b\r\n", 2) == 13); // CRLF line ends
  CHECK(at("\xEF\xBB\xBFv: abc\n", 1) == 7);    // a byte order mark stays in the offsets
  // Non-scalars and empty scalars have no offsets.
  auto doc = yaml::parse("v: [a]\nw: ''\n");
  CHECK(doc.value_offsets(doc.root()["v"]).empty());
  CHECK(doc.value_offsets(doc.root()["w"]).empty());
  CHECK(doc.value_offsets(doc.root()["missing"]).empty());
}

TEST_CASE("yaml::Document::value_offsets holds for every scalar of the repository's YAML", "[yaml]") {
  namespace fs = std::filesystem;
  int scalars = 0;
  for (const char* dir : {"rules", "tests/data", "tests/golden", "fuzz/corpus"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(NSMON_SOURCE_DIR) / dir)) {
      if (!e.is_regular_file() || (e.path().extension() != ".yml" && e.path().extension() != ".yaml")) continue;
      INFO(e.path().string());
      std::string text = read(e.path());
      auto doc = yaml::parse(text);
      if (doc) check_all_scalars(text, doc, doc.root(), scalars);
    }
  }
  CHECK(scalars > 1000);
}

TEST_CASE("yaml::parse reports errors with positions", "[yaml]") {
  // Syntax errors, at yaml-cpp's positions (0-based).
  CHECK(error_of("labels: {severity: critical\nannotations:\n  x: y\n") == "1:11 end of map flow not found");
  CHECK(error_of("a: b\n c: d\n") == "1:2 illegal map value");
  CHECK(error_of("a: \"\\q\"\n") == "0:6 unknown escape character: q");
  // \u and \U escapes name a Unicode scalar value: no surrogate half, nothing above U+10FFFF (as Go's yaml).
  CHECK(error_of("a: \"\\uD800\"\n") == "0:10 invalid unicode code point in escape");
  CHECK(error_of("a: \"\\uDFFF\"\n") == "0:10 invalid unicode code point in escape");
  CHECK(error_of("a: \"\\U00110000\"\n") == "0:14 invalid unicode code point in escape");
  CHECK(error_of("a: \"\\uD7FF \\uE000 \\U0010FFFF\"\n") == "ok");
  CHECK(error_of("a: *nope\n") == "0:3 the referenced anchor is not defined");
  // Text that is not UTF-8 YAML.
  CHECK(error_of(std::string("a: b\nc: d\0e\n", 12)) ==
        "1:4 NUL byte: this is not UTF-8 text (a binary file, or UTF-16?)");
  CHECK(error_of(std::string("a: \x01\n")) == "0:3 control character 0x01 is not allowed in YAML");
  CHECK(error_of("a: \xFF\n") == "0:3 byte 0xFF is not valid UTF-8");
  CHECK(error_of("a: \xC3(\n") == "0:3 byte 0xC3 starts an invalid UTF-8 sequence");
  CHECK(error_of("a: \xC0\xAF\n") == "0:3 byte 0xC0 starts an invalid UTF-8 sequence");     // overlong
  CHECK(error_of("a: \xED\xA0\x80\n") == "0:3 byte 0xED starts an invalid UTF-8 sequence"); // surrogate
  CHECK(error_of("a: \xC2\x80\n") == "0:3 character U+80 is not allowed in YAML");
  CHECK(error_of("a: \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xC2\x85\n") == "ok");
  // A bad byte anywhere in a longer text (checked 64 bytes at a time where all are plain): found
  // where it is, also after multi-byte characters that straddle a block's end.
  std::string text;
  for (int i = 0; i < 12; ++i) text += "key" + std::to_string(i) + ": caf\xC3\xA9 \xE2\x82\xAC value\n";
  REQUIRE(error_of(text) == "ok");
  for (std::size_t p = 0; p < text.size(); ++p) {
    if ((static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) continue; // inside a character
    std::string bad = text;
    bad[p] = '\x01';
    std::size_t line_start = bad.rfind('\n', p) == std::string::npos ? 0 : bad.rfind('\n', p) + 1;
    INFO(p);
    CHECK(error_of(bad) == std::to_string(std::count(bad.begin(), bad.begin() + static_cast<long>(p), '\n')) + ":" +
                               std::to_string(p - line_start) + " control character 0x01 is not allowed in YAML");
  }
  // What yaml-cpp let pass.
  CHECK(error_of("- a\nb: 1\n") == "1:0 unexpected content after the end of the document (wrong indentation?)");
  CHECK(error_of("a: \"unterminated\n") == "1:0 missing closing quote (the input ends inside a quoted scalar)");
  CHECK(error_of("&a [*a]\n") == "0:4 alias *a refers to a node that contains it");
  CHECK(error_of("a: &a {b: [*a]}\n") == "0:11 alias *a refers to a node that contains it");
  CHECK(error_of("a: 1\n...\nanything: [\n") == "ok"); // a second document is not read
}

TEST_CASE("yaml::parse survives hostile input", "[yaml]") {
  // Deep nesting is an error, not a stack overflow.
  CHECK(error_of("groups: " + std::string(200000, '[')).find("nesting is too deep") != std::string::npos);
  std::string maps;
  for (int i = 0; i < 5000; ++i) maps += "{a: ";
  CHECK(error_of(maps + std::string(5000, '}')).find("nesting is too deep") != std::string::npos);
  std::string deep_block;
  for (int i = 0; i < 1500; ++i) deep_block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  CHECK(error_of(deep_block).find("nesting is too deep") != std::string::npos);
  CHECK(error_of(std::string(999, '[') + std::string(999, ']')) == "ok");
  // A large scalar.
  std::string big = "a: \"" + std::string(5 << 20, 'x') + "\"\n";
  auto doc = yaml::parse(big);
  REQUIRE(doc);
  CHECK(doc.root()["a"].scalar().size() == (5u << 20));
  // Many aliases to a large node stay cheap: aliases share the node.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    std::string prev = "*" + std::string(1, static_cast<char>(c - 1));
    laughs += std::string(1, c) + ": &" + c + " [" + prev;
    for (int i = 0; i < 9; ++i) laughs += ", " + prev;
    laughs += "]\n";
  }
  auto lol = yaml::parse(laughs);
  REQUIRE(lol);
  CHECK(lol.root()["k"].at(9).is(lol.root()["j"]));
  // Random bytes, and random edits of a real file: a tree or an error, never a crash or hang.
  std::mt19937 rng(42);
  std::string real = read(std::filesystem::path(NSMON_SOURCE_DIR) / "rules" / "alert_rules.yml");
  for (int i = 0; i < 2000; ++i) {
    std::string s = real;
    if (i % 2) {
      s.assign(static_cast<std::size_t>(rng() % 300), '\0');
      for (auto& c : s) c = static_cast<char>(rng() % 256);
    } else {
      for (int k = 0; k < 5; ++k) s[rng() % s.size()] = "-:[]{}'\"|>#&*!?,\n \t"[rng() % 19];
    }
    (void)yaml::parse(s);
  }
  // Every truncation of a real file.
  for (std::size_t n = 0; n <= real.size(); n += 7) (void)yaml::parse(real.substr(0, n));
  SUCCEED();
}

TEST_CASE("yaml::Document copies share their nodes", "[yaml]") {
  yaml::Node kept;
  yaml::Document copy;
  {
    auto doc = yaml::parse("a: [1, 2]\n");
    copy = doc;
    kept = doc.root()["a"];
  }
  // The original is gone; the copy keeps the nodes alive.
  CHECK(kept.size() == 2);
  CHECK(copy.root()["a"].is(kept));
  CHECK(copy.value_offsets(kept.at(1)) == std::vector<std::size_t>{7});
}

TEST_CASE("yaml::parse resolves merge keys as Go's yaml.v3 does", "[yaml]") {
  // One map: its entries join, explicit keys win wherever they stand.
  CHECK(tree("p: &p {severity: page, team: a}\nq: {<<: *p, component: x}\n") ==
        "{'p': {'severity': 'page', 'team': 'a'}, 'q': {'component': 'x', 'severity': 'page', 'team': 'a'}}");
  CHECK(tree("p: &p {a: 1, b: 2}\nq: {b: 3, <<: *p}\n") == "{'p': {'a': '1', 'b': '2'}, 'q': {'b': '3', 'a': '1'}}");
  // A list of maps: earlier maps win over later ones.
  CHECK(tree("x: &x {a: 1}\ny: &y {a: 2, b: 2}\nz:\n  <<: [*x, *y]\n") ==
        "{'x': {'a': '1'}, 'y': {'a': '2', 'b': '2'}, 'z': {'a': '1', 'b': '2'}}");
  // Merged entries keep the anchor's positions.
  auto doc = yaml::parse("p: &p\n  severity: page\nq:\n  <<: *p\n  c: x\n");
  REQUIRE(doc);
  CHECK(where(doc.root()["q"]["severity"]) == "1:12");
  // A quoted "<<" is an ordinary key; a merge of a scalar is an error.
  CHECK(tree("q: {\"<<\": 1}\n") == "{'q': {'<<': '1'}}");
  CHECK(error_of("a: &a 1\nq: {<<: *a}\n") == "1:4 map merge requires map or sequence of maps as the value");
  CHECK(error_of("a: &a 1\nq:\n  <<: [*a]\n") == "2:2 map merge requires map or sequence of maps as the value");
}

TEST_CASE("yaml::parse resolves merge keys as Go's yaml.v2 does with Dialect::v2", "[yaml]") {
  auto v2 = [](const std::string& text) {
    auto doc = yaml::parse(text, yaml::Dialect::v2);
    return doc ? render(doc.root()) : doc.error()->message;
  };
  // In the order written: a key before the merge loses to the merged value, a key after it wins
  // (yaml.v3 lets the explicit key win in both places).
  CHECK(v2("p: &p {a: 1, b: 2}\nq: {b: 3, <<: *p}\n") == "{'p': {'a': '1', 'b': '2'}, 'q': {'b': '2', 'a': '1'}}");
  CHECK(tree("p: &p {a: 1, b: 2}\nq: {b: 3, <<: *p}\n") == "{'p': {'a': '1', 'b': '2'}, 'q': {'b': '3', 'a': '1'}}");
  CHECK(v2("p: &p {a: 1, b: 2}\nq: {<<: *p, b: 3}\n") == "{'p': {'a': '1', 'b': '2'}, 'q': {'a': '1', 'b': '3'}}");
  // A list: earlier maps win over later ones, as in yaml.v3; then a later key wins.
  CHECK(v2("x: &x {a: 1}\ny: &y {a: 2, b: 2}\nz: {b: 0, <<: [*x, *y], c: 3}\n") ==
        "{'x': {'a': '1'}, 'y': {'a': '2', 'b': '2'}, 'z': {'b': '2', 'a': '1', 'c': '3'}}");
  // Merged entries keep the anchor's positions; the winning explicit key keeps its own.
  auto doc = yaml::parse("p: &p\n  severity: page\n  team: a\nq:\n  team: b\n  <<: *p\n", yaml::Dialect::v2);
  REQUIRE(doc);
  CHECK(where(doc.root()["q"]["severity"]) == "1:12");
  CHECK(where(doc.root()["q"]["team"]) == "2:8");
  // The same value checks as yaml.v3's.
  CHECK(v2("a: &a 1\nq: {<<: *a}\n") == "map merge requires map or sequence of maps as the value");
}

TEST_CASE("yaml::parse: a byte order mark, and a key without ':'", "[yaml]") {
  auto doc = yaml::parse("\xEF\xBB\xBFgroups:\n  - name: g\n");
  REQUIRE(doc);
  CHECK(where(doc.root()["groups"]) == "1:2");
  CHECK(where(doc.root().begin()->first) == "0:0"); // columns of line 1 do not count the BOM
  CHECK(error_of("a: 1\nb\n") == "1:0 could not find expected ':'");
  CHECK(error_of("groups:\n  - name: g\n    rules: []\nb\n") == "3:0 could not find expected ':'");
  // In a nested map too, at the end of the input, before a comment or before the next key (the
  // differential fuzz target found the nested case: it was read as b: null).
  CHECK(error_of("otlp:\n met:\n metatrue\n") == "2:1 could not find expected ':'");
  CHECK(error_of("o:\n  a: 1\n  b # c\n") == "2:2 could not find expected ':'");
  CHECK(error_of("o:\n  a: 1\n  b\nc: 1\n") == "2:2 could not find expected ':'");
  CHECK(tree("a: b\n  c\n") == "{'a': 'b c'}"); // a value over two lines is no key
  CHECK(tree("a:\n  b\n") == "{'a': 'b'}");     // more indented: the value of a
  CHECK(tree("b\n") == "'b'");                  // a document that is one word
}

TEST_CASE("yaml::parse: what Go's yaml.v3 refuses (duplicate keys, names, directives, empty entries)", "[yaml]") {
  // A key written twice is recorded (the tree stays whole), with both positions; keys that a
  // merge brings in are not duplicates.
  auto doc = yaml::parse("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n");
  REQUIRE(doc);
  REQUIRE(doc.duplicates().size() == 2);
  CHECK(where(doc.duplicates()[0].key) == "3:2"); // the inner map ends first
  CHECK(where(doc.duplicates()[0].first) == "2:2");
  CHECK(where(doc.duplicates()[1].key) == "4:0");
  CHECK(yaml::parse("p: &p {a: 1}\nq: {<<: *p, a: 2}\n").duplicates().empty());
  CHECK(yaml::parse("p: &p {a: 1}\nq: {<<: *p, <<: *p}\n").duplicates().size() == 1);
  CHECK(yaml::parse("{1: a, '1': b}\n").duplicates().size() == 1); // the same text, as yaml.v3 compares
  // A large map is checked by hash (hostile input stays linear).
  std::string big;
  for (int i = 0; i < 1000; ++i) big += "k" + std::to_string(i) + ": v\n";
  CHECK(yaml::parse(big).duplicates().empty());
  CHECK(yaml::parse(big + "k7: again\n").duplicates().size() == 1);
  // Keys that are maps or lists: no Go map or struct can hold them.
  CHECK(error_of("? [a]\n: b\n") == "0:2 a list cannot be a key");
  CHECK(error_of("{{a: 1}: b}\n") == "0:1 a map cannot be a key");
  // Anchor names: letters, digits, '_' and '-'; "&a:b" is the anchor a before ":b".
  CHECK(tree("a: &x:y 1\n") == "{'a': ':y 1'}");
  CHECK(error_of("a: &\xC3\xA9 1\n").find("did not find expected alphabetic or numeric character") !=
        std::string::npos);
  // Empty entries of flow collections; "\/" (YAML 1.2 only).
  CHECK(error_of("[a, , b]\n") == "0:4 did not find expected node content");
  CHECK(error_of("[, a]\n") == "0:1 did not find expected node content");
  CHECK(error_of("{a: 1, , b: 2}\n") == "0:7 did not find expected node content");
  CHECK(tree("[a, b, ]\n") == "['a', 'b']");
  CHECK(error_of("a: \"\\/\"\n") == "0:6 unknown escape character: /");
  // A value with no key.
  CHECK(error_of(": a\n") == "0:0 did not find expected key");
  CHECK(error_of("a: 1\n: b\n") == "1:0 did not find expected key");
  CHECK(error_of("- [: a]\n") == "0:3 did not find expected node content");
  CHECK(error_of("{a: 1, : b}\n") == "0:7 did not find expected node content");
  // Tabs separate where no simple key may start, as in Go's yaml; elsewhere they are refused.
  CHECK(tree("a:\tb\n") == "{'a': 'b'}");
  CHECK(tree("a: 1\t# c\n") == "{'a': '1'}");
  CHECK(tree("k: [a,\n\tb]\n") == "{'k': ['a', 'b']}");
  CHECK(error_of("- \tb\n") == "0:2 found a tab character where an indentation space is expected");
  CHECK(error_of("a:\n\t- b\n") == "1:0 found a tab character where an indentation space is expected");
  // CRLF line ends: positions as with LF.
  auto crlf = yaml::parse("a: 1\r\nb:\r\n  c: x\r\n");
  REQUIRE(crlf);
  CHECK(where(crlf.root()["b"]["c"]) == "2:5");
}

TEST_CASE("yaml::parse: a tag ends at a blank, a line break or the end (found by fuzz_yaml)", "[yaml]") {
  CHECK(error_of("otlp:\n  !!str\\U0001F600 x\n") == "1:7 did not find expected whitespace or line break after a tag");
  CHECK(error_of("a: !!str\"x\"\n") == "0:8 did not find expected whitespace or line break after a tag");
  CHECK(tree("a: [!!str , b]\n") == "{'a': ['', 'b']}"); // in a flow, ',' ends it too
  CHECK(tree("a: !!str\nb: !!str x\n") == "{'a': '', 'b': 'x'}");
}

TEST_CASE("yaml: !!binary scalars are decoded as Go's yaml decodes them", "[yaml]") {
  CHECK(value("v: !!binary aGVsbG8=\n") == "hello");
  CHECK(value("v: !!binary \"/w==\"\n") == "\xff");
  CHECK(value("v: !!binary |\n  aGVs\n  bG8=\n") == "hello"); // line breaks are ignored
  CHECK(value("v: !!binary ''\n").empty());
  for (const char* bad :
       {"v: !!binary \"/w==$1\"\n", "v: !!binary abc\n", "v: !!binary a===\n", "v: !!binary \"aGVs bG8=\"\n"}) {
    INFO(bad);
    CHECK(tree(bad).rfind("error: !!binary value contains invalid base64 data", 0) == 0);
  }
  // Without the tag, the same text is text.
  CHECK(value("v: aGVsbG8=\n") == "aGVsbG8=");
}

TEST_CASE("yaml: scalars are views into the text where they stand verbatim, copies otherwise", "[yaml]") {
  // parse_in_place reads the caller's text (followed by kInputPadding NUL bytes), so where a value
  // points is visible.
  std::string text = "plain: some value\nquoted: 'it''s'\ndq: \"a\\tb\"\nsq: 'x y'\nfolded: >\n  a\n  b\n";
  const std::size_t size = text.size();
  text.append(yaml::kInputPadding, '\0');
  auto doc = yaml::parse_in_place(std::string_view(text.data(), size));
  REQUIRE(doc);
  auto in_text = [&](std::string_view v) { return v.data() >= text.data() && v.data() < text.data() + size; };
  auto root = doc.root();
  CHECK(root["plain"].scalar() == "some value");
  CHECK(root["plain"].scalar().data() == text.data() + text.find("some value"));
  CHECK(root["sq"].scalar().data() == text.data() + text.find("x y")); // inside its quotes
  CHECK(in_text(root["plain"].scalar()));
  // Escapes and folded lines make values that are not in the text: copies.
  CHECK(root["quoted"].scalar() == "it's");
  CHECK_FALSE(in_text(root["quoted"].scalar()));
  CHECK(root["dq"].scalar() == "a\tb");
  CHECK_FALSE(in_text(root["dq"].scalar()));
  CHECK(root["folded"].scalar() == "a b\n");
  // The same tree as parse(), which copies the text.
  auto copied = yaml::parse(std::string_view(text.data(), size));
  REQUIRE(copied);
  for (const char* key : {"plain", "quoted", "dq", "sq", "folded"}) {
    INFO(key);
    CHECK(copied.root()[key].scalar() == root[key].scalar());
    CHECK_FALSE(in_text(copied.root()[key].scalar()));
  }
}
