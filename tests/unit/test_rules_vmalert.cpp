// vmalert's rule files (issue 56): its group and rule fields, checked as vmalert checks them,
// MetricsQL told from PromQL's typos (promql/metricsql.hpp), its template dialect, and the
// runners' refusal of what nsmon cannot evaluate.
#include <catch2/catch.hpp>

#include "nsmon/gotemplate/check.hpp"
#include "nsmon/promql/metricsql.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/rules/rulers.hpp"
#include "nsmon/ruletest/evaluator.hpp"
#include "test_rules_schema_support.hpp"

using namespace nsmon;

namespace {

using V = std::vector<std::string>;
using rules::Schema;

using rules_schema_test::lint_as;

// The messages of the findings of `check`.
V messages(const std::string& text, const std::string& check, Schema schema = Schema::automatic) {
  V out;
  for (const auto& d : rules_schema_test::findings(text, schema))
    if (d.check.id() == check) out.push_back(d.message);
  return out;
}

std::string group(const std::string& fields, const std::string& expr = "up == 0") {
  return "groups:\n- name: g\n" + fields + "  rules:\n  - alert: A\n    expr: '" + expr + "'\n";
}

} // namespace

TEST_CASE("vmalert: its fields make a group vmalert's under auto", "[rules][vmalert]") {
  SECTION("a group field: one info, the group vmalert's") {
    CHECK(lint_as(group("  concurrency: 2\n")) == V{"3:3 info rules/other-ruler"});
    CHECK(messages(group("  concurrency: 2\n"), "rules/other-ruler") ==
          V{"'concurrency' is a vmalert field: the group is read as vmalert reads it; Prometheus and promtool refuse "
            "this file (field concurrency not found in type rulefmt.RuleGroup); vmalert 1.37 or later reads it "
            "(concurrency, line 3)"});
  }
  SECTION("the oldest vmalert that reads the file: its newest field, in any group or rule") {
    // vmalert 1.79 (Debian 12's) refuses update_entries_limit (1.86) and eval_delay (1.95).
    const std::string rule_field = "groups:\n- name: g\n  concurrency: 2\n  rules:\n  - alert: A\n    expr: up == 0\n"
                                   "    update_entries_limit: 5\n";
    CHECK(messages(rule_field, "rules/other-ruler")
              .at(0)
              .ends_with("; vmalert 1.86 or later reads it (update_entries_limit, line 7)"));
    const std::string second = rule_field + "- name: h\n  eval_delay: 1m\n  rules:\n  - alert: B\n    expr: up == 0\n";
    CHECK(
        messages(second, "rules/other-ruler").at(0).ends_with("; vmalert 1.95 or later reads it (eval_delay, line 9)"));
  }
  SECTION("a rule field names the group vmalert's, as promtool names the type") {
    std::string text = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    debug: true\n";
    CHECK(lint_as(text) == V{"6:5 info rules/other-ruler"});
    CHECK(messages(text, "rules/other-ruler").at(0).find("not found in type rulefmt.RuleNode") != std::string::npos);
  }
  SECTION("every field of vmalert's current config.Group") {
    std::string fields =
        "  type: prometheus\n  concurrency: 2\n  limit: 10\n  interval: 1m\n  eval_offset: 30s\n"
        "  eval_alignment: false\n  debug: true\n  headers: ['X-A: 1']\n  notifier_headers: ['X-B: 2']\n"
        "  params: {nocache: ['1']}\n  labels: {team: a}\n";
    CHECK(lint_as(group(fields)) == V{"3:3 info rules/other-ruler"});
  }
  SECTION("under prometheus they are errors, as promtool says") {
    CHECK(lint_as(group("  concurrency: 2\n"), Schema::prometheus) == V{"3:3 error yaml/unknown-field"});
  }
  SECTION("under vmalert: no note, and Prometheus's query_offset is unknown to vmalert") {
    CHECK(lint_as(group("  concurrency: 2\n"), Schema::vmalert).empty());
    CHECK(lint_as(group("  query_offset: 1m\n"), Schema::vmalert) == V{"3:3 error yaml/unknown-field"});
  }
  SECTION("vmalert reads every document of a file: no multiple-documents note") {
    std::string text = group("  concurrency: 2\n") + "---\n" + group("  concurrency: 1\n");
    CHECK(lint_as(text) == V{"3:3 info rules/other-ruler", "9:9 error rules/duplicate-group"});
  }
}

TEST_CASE("vmalert: a field's value checked as vmalert checks it", "[rules][vmalert]") {
  CHECK(lint_as(group("  type: influxql\n")) == V{"3:3 info rules/other-ruler", "3:9 error rules/other-ruler"});
  CHECK(lint_as(group("  concurrency: -1\n")) == V{"3:3 info rules/other-ruler", "3:16 error rules/other-ruler"});
  CHECK(lint_as(group("  concurrency: 1.5\n")) == V{"3:3 info rules/other-ruler", "3:16 error yaml/type"});
  CHECK(lint_as(group("  interval: 1m\n  eval_offset: 2m\n")) ==
        V{"4:3 info rules/other-ruler", "4:16 error rules/other-ruler"});
  CHECK(lint_as(group("  interval: 1m\n  eval_offset: 10s\n  eval_delay: 10s\n")) ==
        V{"4:3 info rules/other-ruler", "5:3 error rules/other-ruler"});
  CHECK(lint_as(group("  headers: ['no colon']\n")) == V{"3:3 info rules/other-ruler", "3:12 error rules/other-ruler"});
  CHECK(lint_as(group("  eval_alignment: sometimes\n")) == V{"3:3 info rules/other-ruler", "3:19 error yaml/type"});
  CHECK(messages(group("  type: influxql\n"), "rules/other-ruler").at(0) ==
        "vmalert refuses the file: unknown datasource type=\"influxql\", want prometheus, graphite or vlogs");
}

TEST_CASE("vmalert: MetricsQL is one note per file, a PromQL typo stays an error", "[rules][vmalert]") {
  SECTION("a MetricsQL function in a vmalert group") {
    CHECK(lint_as(group("  concurrency: 1\n", "lag(up[1h]) > 0")) ==
          V{"3:3 info rules/other-ruler", "6:11 info rules/other-ruler"});
  }
  SECTION("under auto without fields: the function's name is enough") {
    CHECK(lint_as(group("", "lag(up[1h]) > 0")) == V{"5:11 info rules/other-ruler"});
    CHECK(messages(group("", "lag(up[1h]) > 0"), "rules/other-ruler") ==
          V{"an expression in MetricsQL (vmalert), which Prometheus refuses (lag): not linted: A (line 5)"});
  }
  SECTION("PromQL's type errors alone: MetricsQL in a vmalert file, PromQL's error elsewhere") {
    CHECK(lint_as(group("  concurrency: 1\n", "rate(up) > 0")) ==
          V{"3:3 info rules/other-ruler", "6:11 info rules/other-ruler"});
    CHECK(lint_as(group("", "rate(up) > 0")) == V{"5:17 error promql/syntax"});
    CHECK(lint_as(group("", "rate(up) > 0"), Schema::vmalert) == V{"5:11 info rules/other-ruler"});
  }
  SECTION("a typo is an error in a vmalert group, with a MetricsQL function or not") {
    CHECK(lint_as(group("  concurrency: 1\n", "sum(rate(x[5m]) > 1")) ==
          V{"3:3 info rules/other-ruler", "6:30 error promql/syntax"});
    CHECK(lint_as(group("  concurrency: 1\n", "lag(x[5m] > 1")) ==
          V{"3:3 info rules/other-ruler", "6:24 error promql/syntax"});
  }
  SECTION("not under prometheus, thanos, mimir") {
    CHECK(lint_as(group("", "lag(up[1h]) > 0"), Schema::prometheus) == V{"5:12 error promql/syntax"});
    CHECK(lint_as(group("", "lag(up[1h]) > 0"), Schema::thanos) == V{"5:12 error promql/syntax"});
  }
  SECTION("Graphite and LogsQL groups are not linted") {
    CHECK(messages(group("  type: graphite\n", "sumSeries(a.b.c)"), "rules/other-ruler").at(1) ==
          "an expression in Graphite (vmalert, type: graphite): not linted: A (line 6)");
    CHECK(lint_as(group("  type: vlogs\n", "error | stats count() as n")) ==
          V{"3:3 info rules/other-ruler", "6:11 info rules/other-ruler"});
    CHECK(messages(group("  type: vlogs\n", "{app=\"x\"} error | stats count() as n"), "rules/other-ruler").at(1) ==
          "an expression in LogsQL (vmalert, type: vlogs): not linted: A (line 6)");
  }
  SECTION("Loki's LogQL in a type: vlogs group is not called LogsQL (review20)") {
    CHECK(
        messages(group("  type: vlogs\n", "sum(count_over_time({app=\"x\"} |~ \"err\"[1h])) > 0"), "rules/other-ruler")
            .at(1) == "an expression in Loki's LogQL (a |= or |~ line filter), in a type: vlogs group "
                      "(VictoriaLogs' LogsQL): not linted: A (line 6)");
  }
  SECTION("PromQL in a vmalert group is linted as PromQL") {
    CHECK(lint_as(group("  concurrency: 1\n", "up")) ==
          V{"3:3 info rules/other-ruler", "6:11 warning alerts/no-comparison"});
  }
}

// MetricsQL reads a side of one series without labels as a number when no on, ignoring or group
// modifier is written (VictoriaMetrics binary_op.go, isScalar): `rate(x[5m]) / count(y)` divides
// every series on vmalert and matches none on Prometheus (review32, homelab-monitor's
// ContainerHighCpuShare).
TEST_CASE("vmalert: a side of one series without labels is a number there", "[rules][vmalert][lint]") {
  const std::string share = "rate(container_cpu_usage_seconds_total{name!=\"\"}[5m]) / count(cpu_percent) > 0.5";
  SECTION("in a vmalert group: it works there, and there only") {
    const V said{"the two sides of '/' match in vmalert only: only the left side has instance, job, name, and "
                 "MetricsQL reads the right side, one series without labels, as a number; Prometheus, and "
                 "promtool's tests, match nothing"};
    CHECK(messages(group("  concurrency: 1\n", share), "labels/impossible-match") == said);
    CHECK(messages(group("", share), "labels/impossible-match", Schema::vmalert) == said);
    // avg(y) against x's labels is not said to match only where x has none of them
    CHECK(messages(group("  concurrency: 1\n", "avg(x) / avg(y) by (k) > 1"), "labels/impossible-match").empty());
    CHECK(messages(group("", "avg(x) / avg(y) by (k) > 1"), "labels/impossible-match").size() == 1);
  }
  SECTION("elsewhere: true of Prometheus, and said so") {
    CHECK(messages(group("", share), "labels/impossible-match") ==
          V{"the two sides of '/' can never match: only the left side has instance, job, name: the expression never "
            "returns anything in Prometheus (vmalert's MetricsQL reads the right side, one series without labels, "
            "as a number)"});
    CHECK(messages(group("", "count(y) < x"), "labels/impossible-match").at(0).find("reads the left side") !=
          std::string::npos);
  }
  SECTION("still reported on vmalert: and, a written modifier, a side with labels") {
    // binaryOpAnd matches by label set: absent()'s series meets no labelled one (PiholeBlocking...)
    CHECK(messages(group("  concurrency: 1\n", "x{job=\"a\"} == 0 and absent(t)"), "labels/impossible-match").size() ==
          1);
    CHECK(messages(group("  concurrency: 1\n", "x{job=\"a\"} / ignoring(z) count(y) > 1"), "labels/impossible-match")
              .size() == 1);
    CHECK(
        messages(group("  concurrency: 1\n", "x{job=\"a\"} / count by (k) (y{k=\"b\"}) > 1"), "labels/impossible-match")
            .size() == 1);
  }
}

// vmalert's `query` template function sends MetricsQL to its datasource: a template query is
// read as the rule's expression would be.
TEST_CASE("vmalert: a template's query in MetricsQL", "[rules][vmalert]") {
  auto with_query = [](const std::string& fields, const std::string& query) {
    return "groups:\n- name: g\n" + fields + "  rules:\n  - alert: A\n    expr: 'up == 0'\n" +
           "    annotations: {d: '{{ range query \"" + query + "\" }}{{ .Value }}{{ end }}'}\n";
  };
  const std::string mql = "sum(rate(x[5m])) by (job) keep_metric_names";
  SECTION("in a vmalert group: not an error") {
    CHECK(lint_as(with_query("  concurrency: 1\n", mql)) == V{"3:3 info rules/other-ruler"});
    CHECK(lint_as(with_query("", "rate(x)"), Schema::vmalert).empty());
  }
  SECTION("under auto, an extension names it MetricsQL; PromQL's type error alone does not") {
    CHECK(lint_as(with_query("", mql)).empty());
    CHECK(lint_as(with_query("", "rate(x)")) == V{"6:38 error rules/template"});
  }
  SECTION("a typo stays an error, and Prometheus refuses MetricsQL") {
    CHECK(lint_as(with_query("  concurrency: 1\n", "sum(rate(x[5m]) by (job)")) ==
          V{"3:3 info rules/other-ruler", "7:38 error rules/template"});
    CHECK(lint_as(with_query("", mql), Schema::prometheus) == V{"6:38 error rules/template"});
  }
}

TEST_CASE("vmalert: MetricsQL's extensions read by name", "[promql][vmalert]") {
  auto reads = [](std::string_view e) { return promql::read_metricsql(e); };
  CHECK(reads("lag(x[1h]) > 1").parses);
  CHECK(reads("lag(x[1h]) > 1").extension == "lag");
  CHECK(reads("median(x) by (job)").extension == "median");
  CHECK(reads("median by (job) (x)").parses);
  CHECK(reads("quantiles(\"phi\", 0.5, 0.9, x)").parses);
  CHECK(reads("rate(x[5m]) keep_metric_names").extension == "keep_metric_names");
  CHECK(reads("x default 0").extension == "default");
  CHECK(reads("x if y").parses);
  CHECK(reads("sum(x) by (a) limit 5").extension == "limit");
  CHECK(reads("WITH (f(x) = rate(x[5m])) f(y)").extension == "WITH");
  // Types aside, PromQL: parses, names nothing.
  CHECK(reads("rate(x) > 1").parses);
  CHECK(reads("rate(x) > 1").extension.empty());
  // Typos stay typos, with an extension or not.
  CHECK_FALSE(reads("lag(x[1h] > 1").parses);
  CHECK_FALSE(reads("sum(x) by (a) > > 1").parses);
  CHECK_FALSE(reads("WITH (f(x) = rate(x[5m]) f(y)").parses);
  CHECK_FALSE(reads("nosuchfunction(x)").parses);
}

TEST_CASE("vmalert: templates in its dialect", "[gotemplate][vmalert]") {
  using gotemplate::Dialect;
  CHECK(gotemplate::check_template("{{ $expr | queryEscape }}", Dialect::vmalert).errors.empty());
  CHECK(gotemplate::check_template("{{ $activeAt }} {{ $alertID }}", Dialect::vmalert).errors.empty());
  CHECK_FALSE(gotemplate::check_template("{{ $expr }}").errors.empty());
  CHECK_FALSE(gotemplate::check_template("{{ $nosuch }}", Dialect::vmalert).errors.empty());
  CHECK_FALSE(gotemplate::check_template("{{ graphLink \"up\" }}", Dialect::vmalert).errors.empty());
  // In a vmalert group only.
  std::string text = "groups:\n- name: g\n  concurrency: 1\n  rules:\n  - alert: A\n    expr: up == 0\n"
                     "    annotations: {link: '{{ $expr | queryEscape }}'}\n";
  CHECK(lint_as(text) == V{"3:3 info rules/other-ruler"});
  CHECK(lint_as(text, Schema::prometheus) == V{"3:3 error yaml/unknown-field", "7:29 error rules/template"});
}

TEST_CASE("vmalert: the runners refuse what they cannot evaluate, saying why", "[ruletest][vmalert]") {
  auto compile = [](const std::string& text) {
    core::SourceFile src("r.yml", text);
    std::vector<core::Diagnostic> diags;
    std::vector<rules::RuleFile> files{rules::load_rule_file(src, diags)};
    diags.clear();
    ruletest::compile_groups(files, 60000, {}, diags);
    V out;
    for (const auto& d : diags)
      out.push_back(std::string(core::to_string(d.severity)) + " " + std::string(d.check.id()) + ": " + d.message);
    return out;
  };
  CHECK(compile(group("  concurrency: 1\n", "lag(up[1h]) > 0")) ==
        V{"error rules/other-ruler: alert A is written in MetricsQL (vmalert): nsmon evaluates PromQL only, so it "
          "cannot run this file"});
  CHECK(compile("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: 'sum(rate({app=\"x\"} |= \"e\" [5m])) > 1'\n") ==
        V{"error rules/other-ruler: alert A is written in LogQL (Loki ruler): nsmon evaluates PromQL only, so it "
          "cannot run this file"});
  CHECK(compile(group("  type: graphite\n", "sumSeries(a.b)")).size() == 1);
  // PromQL in a vmalert group runs; a typo is PromQL's error.
  CHECK(compile(group("  concurrency: 1\n", "up == 0")).empty());
  CHECK(compile(group("  concurrency: 1\n", "sum(up")).at(0).rfind("error promql/syntax", 0) == 0);
}
