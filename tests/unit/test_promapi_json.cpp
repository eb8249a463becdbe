// The streaming JSON tokenizer and the API answer reader, against nlohmann::json's full parse:
// every document is fed whole, split at every byte boundary, and byte by byte.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

#include "nsmon/promapi/json_stream.hpp"
#include "nsmon/promapi/reader.hpp"

using nlohmann::json;
using nsmon::promapi::DecodeError;
using nsmon::promapi::JsonTokenizer;

namespace {

// Rebuilds the document from the tokens.
class TreeBuilder : public nsmon::promapi::JsonHandler {
public:
  json root;
  void begin_object() override { open(json::object()); }
  void begin_array() override { open(json::array()); }
  void end_object() override { stack_.pop_back(); }
  void end_array() override { stack_.pop_back(); }
  void key(std::string_view k) override { key_ = std::string(k); }
  void string(std::string_view s) override { put(json(std::string(s))); }
  void number(std::string_view t) override { put(json::parse(t)); }
  void literal(std::string_view w) override { put(json::parse(w)); }

private:
  json* put(json v) {
    if (stack_.empty()) {
      root = std::move(v);
      return &root;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    top[key_] = std::move(v);
    return &top[key_];
  }
  void open(json v) { stack_.push_back(put(std::move(v))); }
  std::vector<json*> stack_;
  std::string key_;
};

// Tokenizes `text` in the given pieces; the rebuilt tree, or nullopt if it was rejected.
std::optional<json> tokenize(std::string_view text, const std::vector<std::size_t>& cuts,
                             nsmon::promapi::JsonLimits limits = {}) {
  TreeBuilder b;
  JsonTokenizer t(b, limits);
  try {
    std::size_t from = 0;
    for (std::size_t cut : cuts) {
      t.feed(text.substr(from, cut - from));
      from = cut;
    }
    t.feed(text.substr(from));
    t.finish();
  } catch (const DecodeError&) {
    return std::nullopt;
  }
  return b.root;
}

std::optional<json> reference(std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::exception&) { // parse_error, and out_of_range for 1e999
    return std::nullopt;
  }
}

// Whole, at every split point, and one byte at a time: always the same as nlohmann.
void same_as_nlohmann(const std::string& text) {
  INFO("text: " << text);
  auto want = reference(text);
  auto whole = tokenize(text, {});
  REQUIRE(whole.has_value() == want.has_value());
  if (want) REQUIRE(whole->dump() == want->dump());
  for (std::size_t cut = 1; cut < text.size(); ++cut) {
    auto got = tokenize(text, {cut});
    INFO("split at " << cut);
    REQUIRE(got.has_value() == want.has_value());
    if (want) REQUIRE(got->dump() == want->dump());
  }
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < text.size(); ++i) every.push_back(i);
  auto bytewise = tokenize(text, every);
  REQUIRE(bytewise.has_value() == want.has_value());
  if (want) REQUIRE(bytewise->dump() == want->dump());
}

const std::vector<std::string> kValid = {
    R"({"status":"success","data":{"resultType":"vector","result":[]}})",
    R"(  { "a" : [ 1 , -2 , 3.5e10 , 0 , -0.0 , 1E-3 , 12e+2 ] , "b" : { } , "c" : [ ] }  )",
    R"(["\"\\\/\b\f\n\r\t", "\u00e9\u20AC\uD83D\uDE00", "é€😀", "\u0000"])",
    R"([true,false,null,[[[[]]]],{"":{"":""}}])",
    "\"just a string\"",
    "123456789012345678901234567890",
    "-0",
    "{\"k\":1}\n",
    R"({"dup":1,"dup":2})",
    // Samples as Prometheus writes them (the tokenizer's fast path) and near misses of it.
    R"({"values":[[1714564800,"0.5"],[1714564815.125,"NaN"],[-0,""],[0.25,"+Inf"],[1e3,"x"],[1,"é"],[1,"a\"b"]]})",
    R"([[1,"a"],[1 ,"a"],[1, "a"],[1,"a" ],[ 1,"a"],[[1,"a"]],[1,"a","b"],[1,2],["a",1],[-12.50,"\u00e9"]])",
};

const std::vector<std::string> kInvalid = {
    "",
    " ",
    "{",
    "[1,]",
    "[,1]",
    "{\"a\"}",
    "{\"a\":}",
    "{,}",
    "{\"a\":1,}",
    "[1 2]",
    "01",
    "1.",
    ".5",
    "1e",
    "1e+",
    "-",
    "+1",
    "tru",
    "nul",
    "True",
    "[1]]",
    "{}}",
    "{} {}",
    "\"abc",
    "\"\\x\"",
    "\"\\u12G4\"",
    "\"\\uD800\"",
    "\"\\uDC00\"",
    "\"\\uD800\\u0041\"",
    "\"\x01\"",
    "\"\xC0\xAF\"",
    "\"\xE0\x80\xAF\"",
    "\"\xED\xA0\x80\"",
    "\"\xF4\x90\x80\x80\"",
    "\"\xFF\"",
    "\"\xC3\"",
    "[\"a\" : 1]",
    "{1:2}",
    "NaN",
    "[Infinity]",
    "1e999",
    "[-1E400]",
    "[01,\"a\"]",
    "[1.,\"a\"]",
    "[-,\"a\"]",
    "[1,\"a\x01\"]",
    "[1,\"a\"",
    "[1,\"a\"]]",
    "[1,\"a\",]",
    "[1,\"\xC3\"]",
    "[1,\"a]",
    "[[1,\"a\"],]",
};

// The raw bytes of the value of "data", with the text fed in two pieces split at `cut`.
std::string capture_data(std::string_view text, std::size_t cut) {
  struct Capturer final : TreeBuilder {
    JsonTokenizer* t = nullptr;
    std::string got;
    void key(std::string_view k) override {
      TreeBuilder::key(k);
      if (k == "data") t->capture_next_value([this](std::string_view b) { got += b; });
    }
  } c;
  JsonTokenizer t(c);
  c.t = &t;
  t.feed(text.substr(0, cut));
  t.feed(text.substr(cut));
  t.finish();
  return c.got;
}

} // namespace

TEST_CASE("JSON tokenizer: valid documents as nlohmann reads them, however they are split", "[promapi]") {
  for (const auto& text : kValid) same_as_nlohmann(text);
}

TEST_CASE("JSON tokenizer: invalid documents are rejected, however they are split", "[promapi]") {
  for (const auto& text : kInvalid) {
    INFO("text: " << text);
    REQUIRE_FALSE(reference(text).has_value()); // the list itself is right
    same_as_nlohmann(text);
  }
}

TEST_CASE("JSON tokenizer: mutated documents are accepted exactly when nlohmann accepts them", "[promapi]") {
  std::mt19937 rng(42);
  const std::string alphabet = "{}[],:\"\\ 0123456789.eE+-tfnrulase\x80\xC3\xA9\xF0\x9F\x98\x80u";
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = kValid[rng() % kValid.size()];
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      std::size_t at = rng() % text.size();
      switch (rng() % 3) {
      case 0: text.erase(at, 1); break;
      case 1: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
      default: text[at] = alphabet[rng() % alphabet.size()]; break;
      }
    }
    auto want = reference(text);
    auto got = tokenize(text, {text.size() / 2});
    INFO("text: " << text);
    REQUIRE(got.has_value() == want.has_value());
    if (want) {
      REQUIRE(got->dump() == want->dump());
      ++accepted;
    }
  }
  CHECK(accepted > 100); // the mutations reach both sides
}

TEST_CASE("JSON tokenizer: hostile input fails cleanly", "[promapi]") {
  SECTION("deep nesting stops at the limit") {
    std::string deep(100000, '[');
    REQUIRE_FALSE(tokenize(deep, {}).has_value());
    std::string ok = std::string(200, '[') + std::string(200, ']');
    REQUIRE(tokenize(ok, {}).has_value());
    // A sample is an array too: the 256th level, not the 257th.
    REQUIRE(tokenize(std::string(255, '[') + R"([1,"a"])" + std::string(255, ']'), {}).has_value());
    REQUIRE_FALSE(tokenize(std::string(256, '[') + R"([1,"a"])" + std::string(256, ']'), {}).has_value());
    try {
      TreeBuilder b;
      JsonTokenizer t(b);
      t.feed(deep);
      FAIL("no error");
    } catch (const DecodeError& e) {
      CHECK(std::string(e.what()).find("nested deeper than 256") != std::string::npos);
      CHECK(e.offset == 256);
    }
  }
  SECTION("a string over the limit") {
    std::string big = "[\"" + std::string(5000, 'x') + "\"]";
    nsmon::promapi::JsonLimits small;
    small.max_string = 4096;
    REQUIRE_FALSE(tokenize(big, {}, small).has_value());
    REQUIRE_FALSE(tokenize(big, {100, 2000, 4000}, small).has_value());
    REQUIRE(tokenize(big, {100, 2000, 4000}).has_value());
    std::string pair = "[1,\"" + std::string(5000, 'x') + "\"]";
    REQUIRE_FALSE(tokenize(pair, {}, small).has_value());
    REQUIRE(tokenize(pair, {}).has_value());
    std::string num = "[" + std::string(5000, '1') + "]";
    REQUIRE_FALSE(tokenize(num, {10, 3000}, small).has_value());
  }
  SECTION("truncated documents say where they stopped") {
    std::string text = R"({"status":"success","data":{"result":[{"metric":{"a":"b"}})";
    TreeBuilder b;
    JsonTokenizer t(b);
    t.feed(text);
    try {
      t.finish();
      FAIL("no error");
    } catch (const DecodeError& e) {
      CHECK(std::string(e.what()) ==
            "invalid JSON at byte " + std::to_string(text.size()) + ": the input ends in the middle of an array");
    }
  }
}

TEST_CASE("JSON tokenizer: capturing a value passes its bytes on verbatim", "[promapi]") {
  const std::string text =
      R"({"status":"success","data" :  {"resultType":"matrix", "result":[1, "x", -2.5e3]} ,"n":7})";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    INFO("split at " << cut);
    REQUIRE(capture_data(text, cut) == R"({"resultType":"matrix", "result":[1, "x", -2.5e3]})");
  }
  // A number at the end of a chunk is only complete when the next byte arrives.
  const std::string num = R"({"data":12345,"x":1})";
  for (std::size_t cut = 0; cut <= num.size(); ++cut) REQUIRE(capture_data(num, cut) == "12345");
  // A sample read whole (the fast path) or in pieces.
  const std::string pair = R"({"data":[1714564800,"0.5"],"x":[[1,"2"]]})";
  for (std::size_t cut = 0; cut <= pair.size(); ++cut) REQUIRE(capture_data(pair, cut) == R"([1714564800,"0.5"])");
}
