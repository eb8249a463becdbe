// The Go text/template evaluator for alert templates. Expected texts and errors are what
// promtool 2.42 (Go's text/template) prints for the same templates.
#include <catch2/catch.hpp>

#include "nsmon/gotemplate/eval.hpp"

using namespace nsmon::gotemplate;

namespace {
TemplateData data() {
  TemplateData d;
  d.labels = {{"job", "api"}, {"instance", "host-1.example.com:9090"}};
  d.value = 1;
  d.external_labels = {{"cluster", "eu"}};
  d.external_url = "http://prom.example.com/prefix";
  return d;
}
std::string expand(std::string_view text, double value = 1) {
  TemplateData d = data();
  d.value = value;
  return expand_alert_template("A", text, d).text;
}
} // namespace

TEST_CASE("labels, value and missing labels as Prometheus expands them", "[rules][template_eval]") {
  CHECK(expand("{{ $labels.missing }}|{{ .Labels.missing }}|{{ $value }}|{{ index $labels \"nope\" }}") == "||1|");
  CHECK(expand("{{ $labels.job }} on {{ .Labels.instance }}") == "api on host-1.example.com:9090");
  CHECK(expand("{{ $externalLabels.cluster }} {{ $externalURL }}") == "eu http://prom.example.com/prefix");
  CHECK(expand("{{ $value }}", 1e6) == "1e+06");
  CHECK(expand("{{ $value }}", 123456) == "123456");
  CHECK(expand("{{ $value }}", 0.0001) == "0.0001");
  CHECK(expand("{{ $value }}", 0.00001) == "1e-05");
}

TEST_CASE("errors are worded and positioned as Go's", "[rules][template_eval]") {
  CHECK(expand("{{ gt $value 1 }}") ==
        "<error expanding template: error executing template __alert_A: template: __alert_A:1:115: executing "
        "\"__alert_A\" at <gt $value 1>: error calling gt: incompatible types for comparison>");
  CHECK(expand("{{ humanize \"abc\" }}") ==
        "<error expanding template: error executing template __alert_A: template: __alert_A:1:115: executing "
        "\"__alert_A\" at <humanize \"abc\">: error calling humanize: strconv.ParseFloat: parsing \"abc\": invalid "
        "syntax>");
  Expanded e = expand_alert_template("A", "{{ nope }}", data());
  REQUIRE(e.error);
  CHECK(*e.error == "error parsing template __alert_A: template: __alert_A:1: function \"nope\" not defined");
  CHECK(expand("{{ toUpper $value }}").find("wrong type for value; expected string; got float64") != std::string::npos);
  // A piped value of the wrong type: Go's context is the last argument it evaluated
  // (tests/data/shipped-bugs/proofs/template-types.test.yml).
  CHECK(expand("{{ $value | label \"instance\" }}") ==
        "<error expanding template: error executing template __alert_A: template: __alert_A:1:130: executing "
        "\"__alert_A\" at <\"instance\">: wrong type for value; expected *template.sample; got float64>");
  CHECK(expand("{{ $value | first }}").find(":1:124: executing \"__alert_A\" at <first>: wrong type") !=
        std::string::npos);
}

TEST_CASE("control structures, variables, define and template", "[rules][template_eval]") {
  CHECK(expand("{{ if gt $value 0.5 }}high{{ else if gt $value 0.1 }}mid{{ else }}low{{ end }}", 0.2) == "mid");
  CHECK(expand("{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}") ==
        "instance=host-1.example.com:9090;job=api;");
  CHECK(expand("{{ with $labels.job }}job {{ . }}{{ end }}{{ with $labels.x }}no{{ else }}none{{ end }}") ==
        "job apinone");
  CHECK(expand("{{ define \"t\" }}[{{ . }}]{{ end }}{{ template \"t\" $labels.job }}") == "[api]");
  CHECK(expand("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}") == "2");
  CHECK(expand("a  {{- \" b \" -}}  c") == "a b c");
  CHECK(expand("{{/* comment */}}x") == "x");
  CHECK(expand("{{ range $i, $e := args 1 2 3 }}{{ if eq $e 2 }}{{ break }}{{ end }}{{ $e }}{{ end }}") == "1");
}

TEST_CASE("Go's fmt and Prometheus's functions", "[rules][template_eval]") {
  CHECK(expand("{{ printf \"%.2f %d %s %q %v %x %5.1f|%-4s|\" 3.14159 42 \"s\" \"q\" true 255 2.25 \"ab\" }}") ==
        "3.14 42 s \"q\" true ff   2.2|ab  |");
  CHECK(expand("{{ printf \"%d\" 1.5 }}") == "%!d(float64=1.5)");
  CHECK(expand("{{ printf \"%s %s\" \"a\" }}") == "a %!s(MISSING)");
  CHECK(expand("{{ humanize 1234567 }} {{ humanize 0.00123 }} {{ humanize1024 2048 }}") == "1.235M 1.23m 2ki");
  CHECK(expand("{{ humanizeDuration 3725 }} {{ humanizeDuration 0.5 }} {{ humanizePercentage 0.256 }}") ==
        "1h 2m 5s 500ms 25.6%");
  CHECK(expand("{{ humanizeTimestamp 1700000000 }}") == "2023-11-14 22:13:20 +0000 UTC");
  CHECK(expand("{{ $labels.instance | stripPort }} {{ stripDomain $labels.instance }}") ==
        "host-1.example.com host-1:9090");
  CHECK(expand("{{ title \"hello world\" }} {{ toUpper \"a\" }} {{ reReplaceAll \"(a+)\" \"<$1>\" \"baac\" }}") ==
        "Hello World A b<aa>c");
  // Go steps past an empty match by a character, not a byte (é is two).
  CHECK(expand("{{ reReplaceAll \"x*\" \"[$0]\" \"aé\" }}") == "[]a[]é[]");
  // $01 is no group (a leading zero) and ${} is text.
  CHECK(expand("{{ reReplaceAll \"(?P<first>a+)(b*)\" \"<$01|${first}|$2x|$2|$$|${}>\" \"aabbc aab\" }}") ==
        "<|aa||bb|$|${}>c <|aa||b|$|${}>");
  // An empty match right after a match is not replaced.
  CHECK(expand("{{ reReplaceAll \"a|\" \"<$0>\" \"baac\" }}") == "<>b<a><a>c<>");
  CHECK(expand("{{ graphLink \"up == 0\" }}") == "/graph?g0.expr=up+%3D%3D+0&g0.tab=0");
  CHECK(expand("{{ match \"^api\" $labels.job }} {{ len $labels }} {{ pathPrefix }}") == "true 2 /prefix");
  CHECK(expand("{{ parseDuration \"1m30s\" }} {{ html \"<a&b>\" }} {{ js \"a'b\" }} {{ urlquery \"a b\" }}") ==
        "90 &lt;a&amp;b&gt; a\\'b a+b");
}

TEST_CASE("query results", "[rules][template_eval]") {
  QueryFn q = [](std::string_view expr) {
    QueryAnswer a;
    if (expr == "bad") a.error = "parse error";
    else a.samples = {{{{"__name__", "up"}, {"job", "b"}}, 0}, {{{"__name__", "up"}, {"job", "a"}}, 1}};
    return a;
  };
  auto run = [&](std::string_view t) { return expand_alert_template("A", t, data(), q).text; };
  CHECK(run("{{ range query \"up\" | sortByLabel \"job\" }}{{ .Labels.job }}={{ .Value }} {{ end }}") == "a=1 b=0 ");
  CHECK(run("{{ with query \"up\" }}{{ . | first | label \"job\" }} {{ . | first | value }}{{ end }}") == "b 0");
  CHECK(run("{{ query \"bad\" }}").find("error calling query: parse error") != std::string::npos);
  // A verb that does not fit applies to each sample of the slice, as Go's fmt does (promtool shows it).
  CHECK(run("{{ printf \"%f\" (query \"up\") }}") == "[%!f(*template.sample=&{map[__name__:up job:b] 0}) "
                                                     "%!f(*template.sample=&{map[__name__:up job:a] 1})]");
  // A field of a parenthesized call whose argument is a function called without arguments: Go's
  // error points at that function, the last node it evaluated (a fuzzed input; the node was once
  // read from a copy already freed, which the asan preset reports).
  CHECK(run("{{ (query print).x }}").find("at <print>: can't evaluate field x in type template.queryResult") !=
        std::string::npos);
}

TEST_CASE("hostile templates end with an error, not a crash", "[rules][template_eval]") {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "{{ if true }}";
  CHECK(expand(deep).find("nesting deeper than") != std::string::npos);
  std::string parens = "{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}";
  CHECK(expand(parens).find("nesting deeper than") != std::string::npos);
  CHECK(expand("{{ define \"r\" }}{{ template \"r\" }}{{ end }}{{ template \"r\" }}")
            .find("exceeded maximum template depth") != std::string::npos);
  CHECK(expand("{{ define \"r\" }}x{{ template \"r\" }}{{ template \"r\" }}{{ end }}{{ template \"r\" }}")
            .find("error executing template") != std::string::npos);
  CHECK(expand("{{ \"unterminated }}").find("unterminated quoted string") != std::string::npos);
  // Blocks nested inside a recursive template: the depth limit counts both.
  std::string rec = "{{ define \"r\" }}";
  for (int i = 0; i < 199; ++i) rec += "{{ if 1 }}";
  rec += "{{ template \"r\" }}";
  for (int i = 0; i < 199; ++i) rec += "{{ end }}";
  rec += "{{ end }}{{ template \"r\" }}";
  CHECK(expand(rec).find("exceeded maximum template depth (1000)") != std::string::npos);
  CHECK(expand("{{ printf \"%9999999d\" 1 }}").find("template output larger than") != std::string::npos);
}
