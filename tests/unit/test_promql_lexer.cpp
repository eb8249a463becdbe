// The lexer splits where Prometheus's does; its context-dependent parts are the interesting ones.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "nsmon/promql/lexer.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"

using namespace nsmon::promql;

namespace {

// "kind:text" for each token up to and including eof or error (the error's message).
std::vector<std::string> lex(std::string_view input) {
  Lexer l(input);
  std::vector<std::string> out;
  for (;;) {
    Token t = l.next();
    if (t.kind == TokenKind::error) {
      out.push_back("error@" + std::to_string(t.pos) + ":" + l.error_message());
      return out;
    }
    if (t.kind == TokenKind::eof) return out;
    std::string kind = describe(t, input);
    out.push_back(kind);
  }
}

using V = std::vector<std::string>;

} // namespace

TEST_CASE("promql lexer: operators and punctuation", "[promql][lexer]") {
  CHECK(lex("a+b") == V{"identifier \"a\"", "<op:+>", "identifier \"b\""});
  CHECK(lex("== != <= >= < > =~ !~") == V{"<op:==>", "<op:!=>", "<op:<=>", "<op:>=>", "<op:<>", "<op:>>",
                                          "error@16:unexpected character after '=': '~'"});
  CHECK(lex("a </ b >/ c") == V{"identifier \"a\"", "<op:</>", "identifier \"b\"", "<op:>/>", "identifier \"c\""});
  CHECK(lex("( ) , @ ^ % / *") == V{"\"(\"", "\")\"", "\",\"", "<op:@>", "<op:^>", "<op:%>", "<op:/>", "<op:*>"});
  CHECK(lex("a!b") == V{"identifier \"a\"", "error@1:unexpected character after '!': 'b'"});
}

TEST_CASE("promql lexer: keywords are case-insensitive, function names are identifiers", "[promql][lexer]") {
  CHECK(lex("SUM By without OFFSET bool") == V{"<aggr:SUM>", "<By>", "<without>", "<OFFSET>", "<bool>"});
  CHECK(lex("and OR Unless atan2") == V{"<op:and>", "<op:OR>", "<op:Unless>", "<op:atan2>"});
  CHECK(lex("rate Rate") == V{"identifier \"rate\"", "identifier \"Rate\""});
  CHECK(lex("start end step range") == V{"\"start\"", "\"end\"", "\"step\"", "\"range\""});
  CHECK(lex("foo:bar :baz") == V{"metric identifier \"foo:bar\"", "metric identifier \":baz\""});
  CHECK(lex("inf NaN Inf:x") == V{"number \"inf\"", "number \"NaN\"", "metric identifier \"Inf:x\""});
}

TEST_CASE("promql lexer: fill keywords only before a parenthesis", "[promql][lexer]") {
  CHECK(lex("fill + fill_left") == V{"identifier \"fill\"", "<op:+>", "identifier \"fill_left\""});
  CHECK(lex("fill (1) fill_right(2)") ==
        V{"<fill>", "\"(\"", "number \"1\"", "\")\"", "<fill_right>", "\"(\"", "number \"2\"", "\")\""});
}

TEST_CASE("promql lexer: inside braces keywords are identifiers", "[promql][lexer]") {
  CHECK(lex("{sum=\"a\",by!~'b'}") == V{"\"{\"", "identifier \"sum\"", "\"=\"", "string \"\\\"a\\\"\"", "\",\"",
                                        "identifier \"by\"", "<op:!~>", "string \"'b'\"", "\"}\""});
  CHECK(lex("{a:b}") == V{"\"{\"", "identifier \"a\"", "error@2:unexpected character inside braces: ':'"});
  CHECK(lex("{a!b}") == V{"\"{\"", "identifier \"a\"", "error@2:unexpected character after '!' inside braces: 'b'"});
  CHECK(lex("{{") == V{"\"{\"", "error@1:unexpected left brace '{'"});
  CHECK(lex("{a") == V{"\"{\"", "identifier \"a\"", "error@2:unexpected end of input inside braces"});
}

TEST_CASE("promql lexer: numbers", "[promql][lexer]") {
  CHECK(lex("1 .5 5. 1e3 1E-3 0x1F 1_000 0x_1f") == V{"number \"1\"", "number \".5\"", "number \"5.\"",
                                                      "number \"1e3\"", "number \"1E-3\"", "number \"0x1F\"",
                                                      "number \"1_000\"", "number \"0x_1f\""});
  CHECK(lex("1__0") == V{"error@0:bad number or duration syntax: \"1__\""});
  CHECK(lex("1e") == V{"error@0:bad number or duration syntax: \"1e\""});
  CHECK(lex("1.2.3") == V{"error@0:bad number or duration syntax: \"1.2.\""});
  CHECK(lex("0x1.5") == V{"error@0:bad number or duration syntax: \"0x1.\""});
  CHECK(lex("12abc") == V{"error@0:bad number or duration syntax: \"12\""});
  CHECK(lex("123456789012") == V{"number \"1234567890\"..."});
}

TEST_CASE("promql lexer: durations", "[promql][lexer]") {
  CHECK(lex("5m 1h30m 500ms 2w 1y") ==
        V{"duration \"5m\"", "duration \"1h30m\"", "duration \"500ms\"", "duration \"2w\"", "duration \"1y\""});
  CHECK(lex("5mm") == V{"error@0:bad number or duration syntax: \"5mm\""});
  // The lexer accepts any unit order; the parser rejects bad durations.
  CHECK(lex("5m1h") == V{"duration \"5m1h\""});
  CHECK(lex("5y1hs") == V{"duration \"5y1hs\""});
}

TEST_CASE("promql lexer: brackets hold duration expressions", "[promql][lexer]") {
  CHECK(lex("a[5m:1m]") == V{"identifier \"a\"", "\"[\"", "duration \"5m\"", "\":\"", "duration \"1m\"", "\"]\""});
  CHECK(lex("a[ step() * 2 ]") ==
        V{"identifier \"a\"", "\"[\"", "\"step\"", "\"(\"", "\")\"", "<op:*>", "number \"2\"", "\"]\""});
  CHECK(lex("a[5m x]") ==
        V{"identifier \"a\"", "\"[\"", "duration \"5m\"", "error@5:unexpected character: 'x', expected ':'"});
  CHECK(lex("a[x]") == V{"identifier \"a\"", "\"[\"", "error@2:unexpected character in duration expression: 'x'"});
  CHECK(lex("a[:5m]") ==
        V{"identifier \"a\"", "\"[\"", "error@3:unexpected colon before duration in duration expression"});
  CHECK(lex("a[5m::]") == V{"identifier \"a\"", "\"[\"", "duration \"5m\"", "\":\"", "error@5:unexpected colon ':'"});
  CHECK(lex("a[[") == V{"identifier \"a\"", "\"[\"", "error@2:unexpected character in duration expression: '['"});
  CHECK(lex("a[5m][") == V{"identifier \"a\"", "\"[\"", "duration \"5m\"", "\"]\"", "\"[\"",
                           "error@6:unexpected end of input in duration expression"});
  CHECK(lex("a]") == V{"identifier \"a\"", "error@1:unexpected right bracket ']'"});
  CHECK(lex("a[5m") == V{"identifier \"a\"", "\"[\"", "duration \"5m\"", "error@4:unclosed left bracket"});
}

TEST_CASE("promql lexer: strings and escapes", "[promql][lexer]") {
  CHECK(lex("\"a\\\"b\" 'c\\'d' `e\\f`") ==
        V{"string \"\\\"a\\\\\\\"b\\\"\"", "string \"'c\\\\'d'\"", "string \"`e\\\\f`\""});
  CHECK(lex("\"\\c\"") == V{"error@0:unknown escape sequence U+0063 'c'"});
  CHECK(lex("'\\\"'") == V{"error@0:unknown escape sequence U+0022 '\"'"});
  CHECK(lex("\"\\x4\"") == V{"error@0:illegal character U+0022 '\"' in escape sequence"});
  CHECK(lex("\"\\u00e9\\U0001F600\\101\\x41\"").size() == 1);
  CHECK(lex("\"\\U00110000\"") == V{"error@0:escape sequence is an invalid Unicode code point"});
  CHECK(lex("\"a\nb\"") == V{"error@0:unterminated quoted string"});
  CHECK(lex("`a\nb`") == V{"string \"`a\\nb`\""});
  CHECK(lex("\"\\") == V{"error@0:escape sequence not terminated"});
  CHECK(lex("\"\xff\"") == V{"error@0:invalid UTF-8 rune"});
  CHECK(lex("`\xc3`") == V{"error@0:invalid UTF-8 rune"});
  CHECK(lex("\"é\"") == V{"string \"\\\"é\\\"\""});
}

TEST_CASE("promql lexer: comments, parentheses and stray characters", "[promql][lexer]") {
  CHECK(lex("a # comment\n+ b") == V{"identifier \"a\"", "comment \"# comment\"", "<op:+>", "identifier \"b\""});
  CHECK(lex("(a") == V{"\"(\"", "identifier \"a\"", "error@2:unclosed left parenthesis"});
  CHECK(lex("a)") == V{"identifier \"a\"", "error@2:unexpected right parenthesis ')'"});
  CHECK(lex("a $") == V{"identifier \"a\"", "error@2:unexpected character: '$'"});
  CHECK(lex(std::string("a\0b", 3)) == V{"identifier \"a\"", "error@1:unexpected character: '\\x00'"});
  CHECK(lex("\xe2\x82\xac") == V{"error@0:unexpected character: '\xe2\x82\xac'"});
  CHECK(lex("\xff") == V{"error@0:unexpected character: '\xef\xbf\xbd'"});
}

TEST_CASE("promql go compat: numbers as strconv reads them", "[promql][go]") {
  auto num = [](std::string_view s) {
    std::string err;
    auto v = nsmon::text::go::parse_number(s, err);
    return v ? nsmon::text::go::format_float(*v) : err;
  };
  CHECK(num("010") == "8"); // ParseInt with base 0: a leading zero means octal
  CHECK(num("09") == "9");  // ... unless that fails; then ParseFloat
  CHECK(num("0x1f") == "31");
  CHECK(num("1_000") == "1000");
  CHECK(num("0_7") == "7");
  CHECK(num("1e3") == "1000");
  CHECK(num(".5") == "0.5");
  CHECK(num("Inf") == "+Inf");
  CHECK(num("nAn") == "NaN");
  CHECK(num("0x") == "strconv.ParseFloat: parsing \"0x\": invalid syntax");
  CHECK(num("0xffffffffffffffffff") == "strconv.ParseFloat: parsing \"0xffffffffffffffffff\": invalid syntax");
  CHECK(num("1e999") == "strconv.ParseFloat: parsing \"1e999\": value out of range");
  CHECK(num("9223372036854775807") == "9223372036854775808");
  CHECK(num("18446744073709551617") == "18446744073709551616");
}

TEST_CASE("text go: strconv.ParseFloat reads le and other float labels", "[promql][go]") {
  using nsmon::text::go::Overflow;
  using nsmon::text::go::parse_float;
  CHECK(parse_float("0.5") == 0.5);
  CHECK(parse_float("1e+06") == 1e6);
  CHECK(parse_float("0x1p-2") == 0.25);
  CHECK(parse_float("+Inf") == std::numeric_limits<double>::infinity());
  CHECK(parse_float("-infinity") == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(*parse_float("NaN")));
  for (const char* bad : {"", " 1", "1 ", "1e", ".", "0x10", "infin", "nan(1)"}) CHECK_FALSE(parse_float(bad));
  std::string err;
  CHECK_FALSE(parse_float("1e999", &err));
  CHECK(err == "strconv.ParseFloat: parsing \"1e999\": value out of range");
  CHECK(parse_float("1e999", nullptr, Overflow::infinity) == std::numeric_limits<double>::infinity());
  CHECK(parse_float("-1e999", nullptr, Overflow::infinity) == -std::numeric_limits<double>::infinity());
}

TEST_CASE("promql go compat: durations as model.ParseDuration reads and prints them", "[promql][go]") {
  auto ms = [](std::string_view s) {
    std::string err;
    auto v = nsmon::text::parse_duration(s, &err);
    return v ? std::to_string(*v) : err;
  };
  CHECK(ms("5m") == "300000");
  CHECK(ms("1h30m") == "5400000");
  CHECK(ms("1y2w3d4h5m6s7ms") == "33019506007");
  CHECK(ms("0") == "0");
  CHECK(ms("5m1h") == "not a valid duration string: \"5m1h\"");
  CHECK(ms("5mm") == "unknown unit \"mm\" in duration \"5mm\"");
  CHECK(ms("300y") == "duration out of range");
  CHECK(nsmon::text::format_duration(5400000) == "1h30m");
  CHECK(nsmon::text::format_duration(90 * 86400000LL) == "90d"); // not 12w6d
  CHECK(nsmon::text::format_duration(14 * 86400000LL) == "2w");
  CHECK(nsmon::text::format_duration(365 * 86400000LL) == "1y");
  CHECK(nsmon::text::format_duration(366 * 86400000LL) == "366d");
  CHECK(nsmon::text::format_duration(1500) == "1s500ms");
  CHECK(nsmon::text::format_duration(0) == "0s");
  CHECK(nsmon::text::format_duration(-60000) == "-1m");
}

TEST_CASE("promql go compat: quoting and float formatting", "[promql][go]") {
  CHECK(nsmon::text::go::quote("a\"b\\c\n\x01\xff\u00e9") == "\"a\\\"b\\\\c\\n\\x01\\xff\u00e9\"");
  CHECK(nsmon::text::go::quote("\u200b") == "\"\\u200b\"");
  CHECK(nsmon::text::go::quote_rune(0xA0) == "'\\u00a0'");
  CHECK(nsmon::text::go::quote_rune(0x1F600) == "'\U0001F600'");
  CHECK(nsmon::text::go::quote_rune('\'') == "'\\''");
  CHECK(nsmon::text::go::quote_rune(0) == "'\\x00'");
  CHECK(nsmon::text::go::format_unicode('c') == "U+0063 'c'");
  CHECK(nsmon::text::go::format_unicode('\n') == "U+000A");
  CHECK(nsmon::text::go::unquote("'a\"b'") == std::optional<std::string>("a\"b"));
  CHECK(nsmon::text::go::unquote("\"\\xff\"") == std::optional<std::string>("\xff"));
  CHECK(nsmon::text::go::unquote("`a\\n`") == std::optional<std::string>("a\\n"));
  CHECK(nsmon::text::go::format_float(1e21) == "1000000000000000000000");
  CHECK(nsmon::text::go::format_float(0.1) == "0.1");
  CHECK(nsmon::text::go::format_float(-0.0) == "-0");
  CHECK(nsmon::text::go::format_float_v(1e6) == "1e+06");
  CHECK(nsmon::text::go::format_float_v(123456) == "123456");
  CHECK(nsmon::text::go::format_float_v(0.00001) == "1e-05");
}
