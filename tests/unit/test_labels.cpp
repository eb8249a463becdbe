// The one label model: label sets stay sorted, and a matcher's regex is read as the program that
// owns it reads it (Prometheus or Alertmanager).
#include <catch2/catch.hpp>
#include <re2/re2.h>

#include "nsmon/labels/labels.hpp"

using namespace nsmon;
using labels::Dialect;
using labels::MatchOp;

TEST_CASE("labels: set keeps a label set sorted and replaces a value, get reads an absent label as empty", "[labels]") {
  labels::Labels ls;
  labels::set(ls, "job", "app");
  labels::set(ls, "__name__", "up");
  labels::set(ls, "instance", "a:1");
  labels::set(ls, "job", "other");
  CHECK(ls == labels::Labels{{"__name__", "up"}, {"instance", "a:1"}, {"job", "other"}});
  CHECK(labels::get(ls, "job") == "other");
  CHECK(labels::get(ls, "zone").empty());
}

TEST_CASE("labels: matchers anchor their regexes and treat an absent label as the empty value", "[labels]") {
  for (Dialect d : {Dialect::prometheus, Dialect::alertmanager}) {
    CHECK(labels::matches({"y", MatchOp::regex, "b|c"}, "b", d));
    CHECK_FALSE(labels::matches({"y", MatchOp::regex, "b|c"}, "bc", d));
    CHECK(labels::matches({"w", MatchOp::not_regex, ".+"}, "", d));
    CHECK(labels::matches({"w", MatchOp::not_equal, "x"}, "", d));
    // A regex that does not compile matches nothing, so its negation matches everything.
    CHECK_FALSE(labels::matches({"y", MatchOp::regex, "(a"}, "(a", d));
    CHECK(labels::matches({"y", MatchOp::not_regex, "(a"}, "anything", d));
    labels::Labels alert{{"alertname", "A"}, {"severity", "critical"}};
    CHECK(labels::matches({{"severity", MatchOp::equal, "critical"}, {"team", MatchOp::equal, ""}}, alert, d));
    CHECK_FALSE(labels::matches({{"alertname", MatchOp::regex, "B.*"}}, alert, d));
  }
  CHECK(std::string(labels::to_string(MatchOp::not_regex)) == "!~");
}

TEST_CASE("labels: Prometheus and Alertmanager read a regex differently", "[labels]") {
  // Prometheus compiles ^(?s:re)$: '.' matches a newline; Alertmanager 0.25 compiles ^(?:re)$.
  CHECK(labels::matches({"msg", MatchOp::regex, "a.b"}, "a\nb", Dialect::prometheus));
  CHECK_FALSE(labels::matches({"msg", MatchOp::regex, "a.b"}, "a\nb", Dialect::alertmanager));
  // Prometheus, built with Go 1.22+, reads (?<name>re); Go 1.19's Alertmanager 0.25 refuses it.
  CHECK(labels::regex("(?<code>5..)", Dialect::prometheus).ok());
  CHECK(labels::matches({"code", MatchOp::regex, "(?<code>5..)"}, "503", Dialect::prometheus));
  CHECK_FALSE(labels::regex("(?<code>5..)", Dialect::alertmanager).ok());
}

TEST_CASE("labels: the compiled regex is anchored in its pattern, as value ranges need", "[labels]") {
  std::string lo, hi;
  REQUIRE(labels::regex("2..", Dialect::prometheus).PossibleMatchRange(&lo, &hi, 8));
  CHECK(lo.substr(0, 1) == "2");
  CHECK(hi.substr(0, 1) == "2");
  CHECK(&labels::regex("2..", Dialect::prometheus) == &labels::regex("2..", Dialect::prometheus));
  CHECK(&labels::regex("2..", Dialect::prometheus) != &labels::regex("2..", Dialect::alertmanager));
  bool any_byte = false;
  CHECK(labels::to_re2_pattern("a\\Cb(?<n>x)", &any_byte) == "a\\Cb(?P<n>x)");
  CHECK(any_byte);
}

TEST_CASE("labels: a regex error in Go's words, for every reader", "[labels]") {
  using labels::Dialect;
  CHECK(labels::go_regex_error("(a") == "error parsing regexp: missing closing ): `(a`");
  CHECK(labels::go_regex_error("a)") == "error parsing regexp: unexpected ): `a)`");
  CHECK(labels::go_regex_error("x\\C") == "error parsing regexp: invalid escape sequence: `\\C`");
  CHECK(labels::go_regex_error("a**") == "error parsing regexp: invalid nested repetition operator: `**`");
  CHECK(!labels::go_regex_error("(?<name>a)")); // Go 1.22's named group, RE2's (?P<name>a)
  // A matcher's reader anchors the pattern: `)(` alone is unbalanced, ^(?:)()$ is not.
  CHECK(!labels::regex_error(")(", Dialect::prometheus));
  CHECK(labels::regex_error("(a", Dialect::prometheus) == "error parsing regexp: missing closing ): `(a`");
  CHECK(labels::regex_error("(a", Dialect::alertmanager) == "error parsing regexp: missing closing ): `(a`");
  // RE2 reads \C as any byte; Go refuses it, whoever reads the pattern.
  CHECK(labels::regex_error("\\C", Dialect::alertmanager) == "error parsing regexp: invalid escape sequence: `\\C`");
  CHECK(!labels::regex_error("a.*b", Dialect::alertmanager));
}

// Each expected value is what Go 1.19's regexp.ExpandString gave for the same template and match.
TEST_CASE("labels: a replacement expands as Go's Regexp.Expand", "[labels]") {
  RE2 re("(?P<first>a+)(b*)(?P<x_1>c?)");
  std::string_view src = "aabbc";
  std::vector<re2::StringPiece> groups(4);
  REQUIRE(re.Match(src, 0, src.size(), RE2::ANCHOR_BOTH, groups.data(), 4));
  auto expand = [&](std::string_view tmpl) { return labels::expand(tmpl, re, groups); };
  CHECK(expand("$1|${1}|$first|${first}x|$2$3|$x_1|") == "aa|aa|aa|aax|bbc|c|");
  CHECK(expand("$$1") == "$1");
  // Malformed: the '$' is text.
  CHECK(expand("$") == "$");
  CHECK(expand("a$") == "a$");
  CHECK(expand("${") == "${");
  CHECK(expand("${1") == "${1");
  CHECK(expand("${}") == "${}");
  CHECK(expand("$-1") == "$-1");
  // The longest word is the name: $firstx and $1a name no group, so they are empty.
  CHECK(expand("[$firstx][$1a][$_][$9]") == "[][][][]");
  // A number has no leading zero and at most nine digits; otherwise it is a name no group has.
  CHECK(expand("[$01][${01}][$000000001][$123456789][$1234567890]") == "[][][][][]");
}
