// Go template checks for alert labels and annotations. Every verdict below was checked against
// promtool 2.42 (`promtool check rules` with the template as an annotation), except where a
// comment says it is a Prometheus 3.x function.
#include <catch2/catch.hpp>

#include "nsmon/gotemplate/check.hpp"

using nsmon::gotemplate::check_template;

TEST_CASE("templates Prometheus accepts", "[template]") {
  const char* ok[] = {
      "{{ $labels.instance }} is down",
      "{{ $value | humanize }}",
      "{{ $value | humanizePercentage }}",
      "{{ printf \"%.2f\" $value }}",
      "{{ if gt $value 1.0 }}high{{ else }}low{{ end }}",
      "{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}",
      "{{ with $labels.job }}{{ . }}{{ end }}",
      "{{ index $labels \"device_id\" }}",
      "{{ .Labels.model }} {{ .Value }}",
      "{{/* a comment */}}text",
      "{{- $labels.x -}}",
      "{{ $x := 5 }}{{ $x }}",
      "{{ $externalLabels.cluster }}",
      "plain text only",
      "{{ if and (gt $value 1.0) (lt $value 5.0) }}x{{ end }}",
      "{{ \"}}\" }}",
      "{{ reReplaceAll \"a\" \"b\" $labels.x | toUpper }}",
      "{{ if eq $labels.severity \"critical\" }}x{{ else if eq $labels.severity \"warning\" }}y{{ end }}",
      "{{ $value | }}",
      "{{ (humanize $value) }}",
      "{{ 1.5e3 }}",
      "{{ -5 }}",
      "{{ 'a' }}",
      "{{ range $labels }}{{ break }}{{ end }}",
      "{{ define \"x\" }}a{{ end }}",
      "{{ query \"up\" | first | value }}",
      "{{ humanizeDuration 5 }}",
      "{{ toDuration \"5m\" }}", // 3.x
      "{{ now }}",               // 3.x
  };
  for (const char* t : ok) {
    INFO(t);
    auto info = check_template(t);
    CHECK(info.errors.empty());
    if (!info.errors.empty()) UNSCOPED_INFO(info.errors[0].message);
  }
}

TEST_CASE("templates Prometheus rejects, with Go's message and the offset", "[template]") {
  struct Case {
    const char* text;
    std::size_t offset;
    const char* message;
  };
  const Case bad[] = {
      {"{{ $labels.instance", 0, "unclosed action"},
      {"{{ $value | humanise }}", 12, "function \"humanise\" not defined"},
      {"{{ if gt $value 1 }}x", 3, "unexpected EOF: {{if}} has no matching {{end}}"},
      {"a {{ end }}", 5, "unexpected {{end}}"},
      {"{{ else }}", 3, "unexpected {{else}}"},
      {"{{ $foo }}", 3, "undefined variable \"$foo\""},
      {"{{ }}", 2, "missing value for command"},
      {"{{ printf \"%s\" (humanize $value }}", 25, "unclosed left paren"},
      {"{{ \"unterminated }}", 0, "unclosed action"},
      {"{{ humanize $value) }}", 18, "unexpected right paren"},
      {"{{ $value ? }}", 10, "unexpected \"?\" in command"},
      {"{{ with }}{{ end }}", 3, "missing value for with"},
      {"{{ | $value }}", 3, "unexpected \"|\" in command"},
      {"{{ () }}", 4, "missing value for parenthesized pipeline"},
      {"{{ 'ab' }}", 3, "malformed character constant: 'ab'"},
      {"{{ break }}", 3, "{{break}} outside {{range}}"},
      {"{{ $x := }}", 6, "missing value for command"},
      {"line\n{{ nil }}", 8, "nil is not a command (promtool accepts it; executing it fails)"},
  };
  for (const auto& c : bad) {
    INFO(c.text);
    auto info = check_template(c.text);
    REQUIRE(info.errors.size() == 1);
    CHECK(info.errors[0].message == c.message);
    CHECK(info.errors[0].offset == c.offset);
  }
}

TEST_CASE("label and value references are found with their offsets", "[template]") {
  auto info = check_template("GPU {{ $labels.device_id }} of {{ .Labels.instance }} at {{ index $labels \"job\" }}: "
                             "{{ $value | humanize }}");
  REQUIRE(info.label_refs.size() == 3);
  CHECK(info.label_refs[0].name == "device_id");
  CHECK(info.label_refs[0].offset == 15);
  CHECK(info.label_refs[1].name == "instance");
  CHECK(info.label_refs[2].name == "job");
  CHECK(info.value_refs.size() == 1);
  CHECK(check_template("{{ $labels }}").label_refs.empty());
  CHECK_FALSE(check_template("no actions").has_actions);
}

TEST_CASE("$labels.x and $value in the text between actions", "[template]") {
  auto info =
      check_template("on $labels.host_name: {{ $labels.job }} is $value{{/* $value */}} $labelsx $valued $5 $_x");
  // Any $x is listed: lint-rules says those of the alerts' labels (rules/template-text).
  REQUIRE(info.text_refs.size() == 5);
  CHECK(info.text_refs[0].name == "labels.host_name");
  CHECK(info.text_refs[0].offset == 3);
  CHECK(info.text_refs[0].length == 17);
  CHECK(info.text_refs[1].name == "value");
  CHECK(info.text_refs[1].offset == 43);
  CHECK(info.text_refs[2].name == "labelsx");
  CHECK(info.text_refs[3].name == "valued");
  CHECK(info.text_refs[4].name == "_x");
  CHECK(info.text_refs[4].length == 3);
  // An action that prints braces makes the template a template's source (helm's escape).
  CHECK(check_template("{{`{{`}} $labels.pod {{`}}`}}").text_refs.empty());
  CHECK(check_template("$labels.pod at the end").text_refs.size() == 1);
  // Another language's braces, and printf verbs, as written.
  info = check_template("${ labels.pod } ${value} ${labels.} ${x} 30%s %.0f %d, %5s %sx %.f %%");
  REQUIRE(info.text_refs.size() == 6);
  CHECK(info.text_refs[0].name == "labels.pod");
  CHECK(info.text_refs[0].length == 15);
  CHECK(info.text_refs[1].name == "value");
  CHECK(info.text_refs[2].name == "x"); // read as $x: said where x is a label of the alerts
  CHECK(info.text_refs[3].name == "%s");
  CHECK(info.text_refs[3].offset == 43);
  CHECK(info.text_refs[4].name == "%.0f");
  CHECK(info.text_refs[5].name == "%d");
  CHECK(check_template("50% of 100%").text_refs.empty());
}

// The names of the template's label references; with `marks`, each followed by + if guarded.
static std::vector<std::string> ref_names(const char* t, bool marks = false) {
  auto info = check_template(t);
  INFO(t);
  CHECK(info.errors.empty());
  std::vector<std::string> out;
  for (const auto& r : info.label_refs) out.push_back(r.name + (!marks ? "" : r.guarded ? "+" : "-"));
  return out;
}

// The alert's labels as Go's text/template reaches them: the dot is the alert's data outside
// {{range}} and {{with}} only; $labels and $.Labels are the alert's everywhere.
TEST_CASE("label references follow the dot through range and with", "[template]") {
  auto names = [](const char* t) { return ref_names(t); };
  using V = std::vector<std::string>;
  // A query's samples: their .Labels are not the alert's (Rook's CephMonDown).
  CHECK(names("{{ range printf \"up{c='%s'}\" .Labels.cluster | query }}{{ .Labels.host }}{{ end }}") == V{"cluster"});
  CHECK(names("{{- range query \"up\" -}} {{ .Labels.host }} {{- end }}{{ .Labels.job }}") == V{"job"});
  CHECK(names("{{ with query \"up\" }}{{ (. | first).Labels.x }}{{ .Labels.y }}{{ end }}") == V{});
  CHECK(names("{{ range $i, $s := query \"up\" }}{{ $s.Labels.x }}{{ $labels.a }}{{ $.Labels.b }}{{ end }}") ==
        V{"a", "b"});
  // {{else}} runs with the outer dot; {{else with}} binds its own; {{end}} restores.
  CHECK(names("{{ with query \"up\" }}{{ .Labels.x }}{{ else }}{{ .Labels.y }}{{ end }}") == V{"y"});
  CHECK(names("{{ with $labels.a }}{{ .Labels.x }}{{ else with query \"up\" }}{{ .Labels.y }}{{ end }}") == V{"a"});
  CHECK(names("{{ range query \"a\" }}{{ with . }}{{ .Labels.x }}{{ end }}{{ end }}{{ .Labels.z }}") == V{"z"});
  // A value that is the alert's data or its labels keeps them reachable.
  CHECK(names("{{ with $labels }}{{ .instance }}{{ end }}") == V{"instance"});
  CHECK(names("{{ with .Labels }}{{ index . \"job\" }}{{ end }}") == V{"job"});
  CHECK(names("{{ $l := .Labels }}{{ $l.pod }}{{ with $ }}{{ .Labels.node }}{{ end }}") == V{"pod", "node"});
  CHECK(names("{{ range $k, $v := $labels }}{{ $v }}{{ .Labels.x }}{{ end }}") == V{});
  // .Value inside a range is the sample's, not the alert's.
  CHECK(check_template("{{ range query \"up\" }}{{ .Value }}{{ end }}").value_refs.empty());
  CHECK(check_template("{{ $.Value }}").value_refs.size() == 1);
}

// {{if $labels.x}} shows nothing where the alert has no x: its test and body read x guarded, its
// {{else}} does not, nor a test of more than the label.
TEST_CASE("label references under a test of the label itself are guarded", "[template]") {
  auto guarded = [](const char* t) { return ref_names(t, true); };
  using V = std::vector<std::string>;
  CHECK(guarded("{{ if $labels.d }} {{$labels.d}} Deployment {{end}}{{ $labels.d }}") == V{"d+", "d+", "d-"});
  CHECK(guarded("{{ if .Labels.d }}{{ .Labels.d }}{{ $labels.e }}{{ else }}{{ $labels.d }}{{ end }}") ==
        V{"d+", "d+", "e-", "d-"});
  CHECK(guarded("{{ if $labels.a }}{{ else if $labels.b }}{{ $labels.b }}{{ $labels.a }}{{ end }}") ==
        V{"a+", "b+", "b+", "a-"});
  CHECK(guarded("{{ with $labels.a }}{{ . }}{{ $labels.a }}{{ end }}") == V{"a+", "a+"});
  CHECK(guarded("{{ if eq $labels.a \"x\" }}{{ $labels.a }}{{ end }}") == V{"a-", "a-"});
  CHECK(
      guarded("{{ range $labels.a }}{{ end }}{{ if $labels.a }}{{ if $labels.b }}{{ $labels.a }}{{ end }}{{ end }}") ==
      V{"a-", "a+", "b+", "a+"});
}

// A guard with an {{else}} writes out what the alert shows without the label (MetricsHub's
// "Consumer name: (empty)", review59): its test and body are marked, not another label's guard.
TEST_CASE("label references under a guard that has an else", "[template]") {
  auto otherwise = [](const char* t) {
    std::vector<std::string> out;
    for (const auto& r : check_template(t).label_refs) out.push_back(r.name + (r.otherwise ? "+" : "-"));
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(otherwise("{{ if $labels.a }}{{ $labels.a }}{{ else }}(empty){{ end }}") == V{"a+", "a+"});
  CHECK(otherwise("{{ if $labels.a }}{{ $labels.a }}{{ end }}") == V{"a-", "a-"});
  CHECK(otherwise("{{ if $labels.a }}{{ if $labels.b }}{{ $labels.b }}{{ end }}{{ else }}-{{ end }}") ==
        V{"a+", "b-", "b-"});
  CHECK(otherwise("{{ if $labels.a }}x{{ else if $labels.b }}{{ $labels.b }}{{ else }}-{{ end }}") ==
        V{"a+", "b+", "b+"});
}

// The queries a template runs where their text is written in it, and the labels read from their
// samples (issue 59 class 4).
TEST_CASE("template queries and the labels read from their samples", "[template]") {
  using nsmon::gotemplate::fill_verbs;
  using V = std::vector<std::string>;
  auto queries = [](const char* t) {
    auto info = check_template(t);
    INFO(t);
    CHECK(info.errors.empty());
    std::vector<std::string> out;
    for (const auto& q : info.queries) {
      std::string labels;
      for (const auto& r : q.label_refs) labels += " " + r.name + "@" + std::to_string(r.offset);
      out.push_back(std::string(q.formatted ? "printf " : "") + q.text + ":" + labels);
    }
    return out;
  };
  CHECK(queries("{{ range query \"sum(up)\" }}{{ .Labels.instance }} {{ .Value }}{{ end }}") ==
        V{"sum(up): instance@38"});
  CHECK(queries("{{ with printf \"sum({job='%s'}) by(\" .Labels.job | query }}{{ . | first | label \"instance\" }}"
                "{{ end }}") == V{"printf sum({job='%s'}) by(: instance@81"});
  CHECK(queries("{{ (query \"sum(up)\" | first).Labels.instance }}") == V{"sum(up): instance@36"});
  CHECK(queries("{{ \"up xxx\" | query | first | value }}") == V{"up xxx:"});
  CHECK(queries("{{ range $i, $s := query `up` }}{{ $s.Labels.x }}{{ $labels.a }}{{ end }}") == V{"up: x@45"});
  CHECK(queries("{{ query \"up\" | sortByLabel \"job\" }}") == V{"up: job@29"});
  // A query built of other text: not known.
  CHECK(queries("{{ range query $labels.q }}{{ .Labels.x }}{{ end }}").empty());
  CHECK(queries("{{ printf \"%v\" nil }}{{ $x := 1 }}").empty());
  CHECK(fill_verbs("a %s b %5.2f %% c %[1]d", "x") == "a x b x % c x");
}

TEST_CASE("hostile templates", "[template]") {
  CHECK(!check_template(std::string(100000, '{')).errors.empty());
  CHECK(!check_template("{{" + std::string(100000, '(')).errors.empty());
  check_template(std::string("{{ \0 }}", 7));
  check_template("{{ \xff\xfe }}");
}
