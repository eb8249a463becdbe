// Hostile input never crashes the front end: deep nesting, long inputs, invalid UTF-8 and NUL
// bytes each give a result (a tree or a clear error), and no stage recurses.
#include <catch2/catch.hpp>
#include <string>

#include "nsmon/promql/json.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/promql/printer.hpp"

using namespace nsmon::promql;

TEST_CASE("promql hostile: 100,000 nested parentheses", "[promql][hostile]") {
  const std::size_t n = 100000;
  std::string deep = std::string(n, '(') + "foo" + std::string(n, ')');
  ParseResult r = parse(deep);
  REQUIRE(r.ok());
  CHECK(r.expr()->type == ValueType::vector);
  CHECK(print(*r.expr()) == deep);
  CHECK(to_json(*r.expr(), 0).size() > n);

  ParseResult unclosed = parse(std::string(n, '('));
  CHECK(unclosed.error_string() == "1:100001: parse error: unclosed left parenthesis");
  ParseResult unary = parse(std::string(n, '-') + "foo");
  REQUIRE(unary.ok());
  CHECK(print(*unary.expr()).size() == n + 3);
}

TEST_CASE("promql hostile: deep nesting through calls, aggregations and subqueries", "[promql][hostile]") {
  const int n = 20000;
  std::string calls;
  for (int i = 0; i < n; ++i) calls += "abs(";
  calls += "foo" + std::string(n, ')');
  REQUIRE(parse(calls).ok());

  std::string aggs;
  for (int i = 0; i < n; ++i) aggs += "sum by (a) (";
  aggs += "foo" + std::string(n, ')');
  ParseResult r = parse(aggs);
  REQUIRE(r.ok());
  CHECK(print(*r.expr()).size() == aggs.size());

  // Type errors deep inside are found without recursion, in Prometheus's order.
  std::string bad = std::string(n, '(') + "rate(foo)" + std::string(n, ')');
  CHECK(parse(bad).error_string() ==
        "1:20006: parse error: expected type range vector in call to function \"rate\", got instant vector");
}

// 2 MB: a chain 48,000 binary operations deep, deeper than a recursive walk survives on the
// sanitizer build's stack (the 100,000 parentheses above go deeper still).
TEST_CASE("promql hostile: a 2 MB expression", "[promql][hostile]") {
  std::string big;
  big.reserve(2 << 20);
  while (big.size() < (2u << 20)) big += "rate(http_requests_total{job=\"api\"}[5m]) + ";
  big += "1";
  ParseResult r = parse(big);
  REQUIRE(r.ok());
  CHECK(r.expr()->kind == NodeKind::binary);
  // A long chain is a deep left-leaning tree; the checker and printer handle it iteratively.
  CHECK(print(*r.expr()).size() == big.size());

  std::string junk(2 << 20, '{');
  CHECK(parse(junk).error_string() == "1:2: parse error: unexpected left brace '{'");
}

TEST_CASE("promql hostile: invalid UTF-8 and NUL bytes", "[promql][hostile]") {
  CHECK(parse("foo{a=\"\xff\"}").error_string() == "1:7: parse error: invalid UTF-8 rune");
  CHECK(parse("\xff\xfe").error_string() == "1:1: parse error: unexpected character: '\xef\xbf\xbd'");
  CHECK(parse(std::string("foo\0", 4)).error_string() == "1:4: parse error: unexpected character: '\\x00'");
  CHECK(parse(std::string("foo{a=\"\0\"}", 10)).ok());
  CHECK(parse(std::string("\0", 1)).error_string() == "1:1: parse error: unexpected character: '\\x00'");
  // A label value may hold any byte through escapes; the printer escapes it back.
  ParseResult r = parse("foo{a=\"\\xff\\x00\"}");
  REQUIRE(r.ok());
  CHECK(print(*r.expr()) == "foo{a=\"\\xff\\x00\"}");
}
