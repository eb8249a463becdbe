// Rule files of other rulers (issue 56): Thanos Ruler's, Mimir's and Loki's, read as each reads
// them (rules/rulers.hpp), under --rule-schema auto and each named schema.
#include <catch2/catch.hpp>

#include "test_rules_schema_support.hpp"

using namespace nsmon;

namespace {

using V = std::vector<std::string>;
using rules::Schema;

using rules_schema_test::lint_as;

const std::string kThanos = "groups:\n- name: t\n  partial_response_strategy: warn\n  rules:\n"
                            "  - record: job:up:sum\n    expr: sum by (job) (up)\n";
const std::string kMimir = "groups:\n- name: m\n  source_tenants: [a, b]\n  evaluation_delay: 1m\n"
                           "  align_evaluation_time_on_interval: true\n  rules:\n"
                           "  - record: job:up:sum\n    expr: sum by (job) (up)\n";
const std::string kLoki = "groups:\n- name: l\n  rules:\n  - record: job:errors:rate5m\n"
                          "    expr: sum by (job) (rate({app=\"foo\"} |= \"error\" [5m]))\n";

} // namespace

TEST_CASE("other rulers: a group's own fields name its ruler", "[rules][other-rulers]") {
  SECTION("auto: Thanos Ruler's field, one info, the group Thanos Ruler's") {
    CHECK(lint_as(kThanos) == V{"3:3 info rules/other-ruler"});
    core::SourceFile src("r.yml", kThanos);
    std::vector<core::Diagnostic> diags;
    auto file = rules::load_rule_file(src, diags);
    CHECK(file.groups.at(0).ruler == Schema::thanos);
    CHECK(diags.at(0).message.find("Prometheus and promtool refuse this file") != std::string::npos);
  }
  SECTION("auto: Mimir's fields, one info for the group") { CHECK(lint_as(kMimir) == V{"3:3 info rules/other-ruler"}); }
  SECTION("auto: one info per ruler and file, however many groups") {
    std::string two = kThanos + "- name: t2\n  partial_response_strategy: abort\n  rules: []\n" +
                      "- name: m\n  source_tenants: [a]\n  rules: []\n";
    CHECK(lint_as(two) == V{"3:3 info rules/other-ruler", "11:3 info rules/other-ruler"});
  }
  SECTION("prometheus: promtool's errors") {
    CHECK(lint_as(kThanos, Schema::prometheus) == V{"3:3 error yaml/unknown-field"});
    CHECK(lint_as(kMimir, Schema::prometheus) ==
          V{"3:3 error yaml/unknown-field", "4:3 error yaml/unknown-field", "5:3 error yaml/unknown-field"});
  }
  SECTION("a named ruler: its fields quietly, the others' errors") {
    CHECK(lint_as(kThanos, Schema::thanos).empty());
    CHECK(lint_as(kMimir, Schema::mimir).empty());
    CHECK(lint_as(kMimir, Schema::thanos).size() == 3);
    CHECK(lint_as(kThanos, Schema::mimir) == V{"3:3 error yaml/unknown-field"});
    CHECK(lint_as(kThanos, Schema::loki) == V{"3:3 error yaml/unknown-field", "6:11 info rules/other-ruler"});
  }
  SECTION("a top-level namespace (mimirtool, cortextool, lokitool): a note under auto") {
    const std::string ns = "namespace: team-a\ngroups:\n- name: g\n  rules:\n  - record: job:up:sum\n"
                           "    expr: sum by (job) (up)\n";
    CHECK(lint_as(ns) == V{"1:1 info rules/other-ruler"});
    CHECK(lint_as(ns, Schema::mimir).empty());
    CHECK(lint_as(ns, Schema::prometheus) == V{"1:1 error yaml/unknown-field"});
    CHECK(lint_as(ns, Schema::thanos) == V{"1:1 error yaml/unknown-field"});
    CHECK(lint_as("namespace: [a]\ngroups: []\n") == V{"1:12 error yaml/type"});
  }
  SECTION("auto: a group with two rulers' fields is the first one's") {
    std::string both = "groups:\n- name: t\n  partial_response_strategy: warn\n  source_tenants: [a]\n  rules: []\n";
    CHECK(lint_as(both) == V{"3:3 info rules/other-ruler", "4:3 error yaml/unknown-field"});
  }
}

TEST_CASE("other rulers: a field's value checked as its ruler checks it", "[rules][other-rulers]") {
  auto group = [](const std::string& fields) { return "groups:\n- name: g\n" + fields + "  rules: []\n"; };
  // Thanos: warn or abort in any case; empty or null is abort (storepb.PartialResponseStrategy).
  for (const char* ok : {"warn", "ABORT", "Warn", "''", "~"}) {
    INFO(ok);
    CHECK(lint_as(group(std::string("  partial_response_strategy: ") + ok + "\n")) == V{"3:3 info rules/other-ruler"});
  }
  CHECK(lint_as(group("  partial_response_strategy: sometimes\n")) ==
        V{"3:3 info rules/other-ruler", "3:30 error rules/other-ruler"});
  CHECK(lint_as(group("  partial_response_strategy: [warn]\n")) ==
        V{"3:3 info rules/other-ruler", "3:30 error rules/other-ruler"});
  // Mimir: a list of tenants, a duration, a boolean.
  CHECK(lint_as(group("  source_tenants: a\n")) == V{"3:3 info rules/other-ruler", "3:19 error yaml/type"});
  CHECK(lint_as(group("  evaluation_delay: 5x\n")) == V{"3:3 info rules/other-ruler", "3:21 error rules/duration"});
  CHECK(lint_as(group("  align_evaluation_time_on_interval: maybe\n")) ==
        V{"3:3 info rules/other-ruler", "3:38 error yaml/type"});
}

TEST_CASE("other rulers: LogQL is noted once a rule, PromQL errors stay", "[rules][other-rulers]") {
  SECTION("auto: a LogQL expression is one info, not promql/syntax") {
    CHECK(lint_as(kLoki) == V{"5:11 info rules/other-ruler"});
  }
  SECTION("auto: a PromQL syntax error stays an error") {
    CHECK(lint_as("groups:\n- name: p\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up\n") ==
          V{"5:26 error promql/syntax"});
    CHECK(lint_as("groups:\n- name: p\n  rules:\n  - alert: A\n    expr: up{job=\"a\"} | 1\n") ==
          V{"5:11 info rules/other-ruler"}); // `}` then `|`: no PromQL has it, LogQL's label filter does
  }
  SECTION("prometheus and thanos: LogQL is promql/syntax, as promtool and Thanos Ruler say") {
    CHECK(lint_as(kLoki, Schema::prometheus) == V{"5:42 error promql/syntax"});
    CHECK(lint_as(kLoki, Schema::thanos) == V{"5:42 error promql/syntax"});
  }
  SECTION("loki: every expression is LogQL, even one that parses as PromQL") {
    CHECK(lint_as("groups:\n- name: l\n  rules:\n  - alert: A\n    expr: count_over_time({app=\"x\"}[5m]) > 0\n",
                  Schema::loki) == V{"5:11 info rules/other-ruler"});
  }
}

TEST_CASE("other rulers: LogQL's shape", "[rules][other-rulers]") {
  for (const char* logql : {"{app=\"foo\"} |= \"error\"", "{app=\"foo\"}|~`err.*`", "{app=\"foo\"} != \"debug\"",
                            "{app=\"foo\"} !~ \"debug|trace\"", "{app=\"foo\"} | json | status >= 500",
                            "sum by (job) (count_over_time({job=\"x\"} | logfmt | level=\"error\" [5m])) > 0",
                            "rate({a=\"}\"}\n  | line_format \"{{.msg}}\" [1m])"}) {
    INFO(logql);
    CHECK(rules::looks_like_logql(logql));
  }
  for (const char* other : {"up{job=\"a\"} != 0", "sum(rate(x[5m]))", "{__name__=\"a|b\"}", "x{a=\"} |= \"}",
                            "count_over_time({app=\"x\"}[5m])", "up # } | json", "up{a=\"b\"} or on() vector(1)"}) {
    INFO(other);
    CHECK_FALSE(rules::looks_like_logql(other));
  }
}

// review20: zebernst/homelab's type: vlogs groups hold Loki's `count_over_time({app="x"} |~ "..."[1h])`,
// which the note called LogsQL; LogsQL's own `{...} | stats` must not read as LogQL's line filter.
TEST_CASE("other rulers: LogQL's line filter, which LogsQL has not", "[rules][other-rulers]") {
  for (const char* logql : {"sum by (app) (count_over_time({app=\"q\"} |~ \"(?i)fast resume rejected\"[1h])) > 0",
                            "{app=\"foo\"}|=`error`", "{a=\"b\"}\n  |= \"x\" | json"}) {
    INFO(logql);
    CHECK(rules::has_logql_line_filter(logql));
  }
  for (const char* logsql :
       {"{app=\"foo\"} error | stats count() as n", "_time:5m {app=\"x\"} | stats by (app) count()",
        "{app=\"foo\"} | filter level:=error", "x{a=\"} |~ \"}", "{app=\"foo\"} != \"debug\""}) {
    INFO(logsql);
    CHECK_FALSE(rules::has_logql_line_filter(logsql));
  }
}

TEST_CASE("other rulers: group fields newer than Prometheus 2.42 are a note", "[rules][other-rulers]") {
  // promtool check rules 2.42: "field query_offset not found in type rulefmt.RuleGroup", and the
  // same for labels; Prometheus 2.53 reads query_offset, 3.0 a group's labels.
  const std::string newer = "groups:\n- name: g\n  query_offset: 1m\n  labels: {team: a}\n  limit: 10\n  rules:\n"
                            "  - record: job:up:sum\n    expr: sum by (job) (up)\n";
  CHECK(lint_as(newer) == V{"3:3 info yaml/unknown-field", "4:3 info yaml/unknown-field"});
  CHECK(lint_as(newer, Schema::prometheus) == V{"3:3 info yaml/unknown-field", "4:3 info yaml/unknown-field"});
  // Thanos Ruler, Mimir and Loki read them (they build on a newer Prometheus).
  CHECK(lint_as(newer, Schema::thanos).empty());
  CHECK(lint_as(newer, Schema::mimir).empty());
}

TEST_CASE("other rulers: Mimir's evaluation_delay is the group's query offset", "[rules][other-rulers]") {
  // Mimir reads evaluation_delay as a query offset (grafana/mimir#8295 deprecates it for
  // query_offset and keeps both): test-rules, backtest and watch evaluate the group's rules that
  // much earlier. query_offset, the newer field, wins when a group has both.
  auto offset_of = [](const std::string& text, Schema schema) {
    core::SourceFile src("r.yml", text);
    std::vector<core::Diagnostic> diags;
    rules::RuleFile f = rules::load_rule_file(src, diags, {.schema = schema});
    REQUIRE(f.groups.size() == 1);
    return f.groups[0].query_offset ? f.groups[0].query_offset->ms : std::int64_t{-1};
  };
  CHECK(offset_of(kMimir, Schema::automatic) == 60'000);
  CHECK(offset_of(kMimir, Schema::mimir) == 60'000);
  const std::string both = "groups:\n- name: m\n  evaluation_delay: 5m\n  query_offset: 30s\n  rules:\n"
                           "  - record: job:up:sum\n    expr: sum by (job) (up)\n";
  CHECK(offset_of(both, Schema::mimir) == 30'000);
  // Read as Prometheus reads it, the field is refused and shifts nothing.
  CHECK(offset_of("groups:\n- name: m\n  evaluation_delay: 5m\n  rules: []\n", Schema::prometheus) == -1);
}
