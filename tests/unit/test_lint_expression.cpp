// lint::check_expression: lint-rules' checks on one PromQL expression (query's pre-flight).
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"

using namespace nsmon;

namespace {

std::vector<core::Diagnostic> check(const std::string& expr) {
  core::SourceFile src("<query>", expr);
  return lint::check_expression(src, catalog::embedded(), {});
}

} // namespace

TEST_CASE("check_expression: rate over a gauge", "[lint][expression]") {
  auto d = check("rate(training_loss[5m]) > 1");
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "promql/rate-on-gauge");
  CHECK(d[0].severity == core::Severity::warning);
  CHECK(d[0].span.file == "<query>");
  CHECK(d[0].span.line == 1);
  CHECK(d[0].span.col == 1);
  CHECK(d[0].span.len == 23); // rate(training_loss[5m])
  CHECK(d[0].suggestion == "use deriv() for a gauge's slope");
  CHECK(d[0].rule.empty());
  CHECK(d[0].group.empty());
}

TEST_CASE("check_expression: an unknown metric is a warning, with did-you-mean", "[lint][expression]") {
  auto d = check("sum(trainig_loss) > 1");
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "catalog/unknown-metric");
  CHECK(d[0].severity == core::Severity::warning); // an error in lint-rules: the catalog may lag the server
  CHECK(d[0].span.col == 5);
  CHECK(d[0].span.len == 12);
  CHECK(d[0].suggestion == "did you mean training_loss?");
}

TEST_CASE("check_expression: clean expressions have nothing to say", "[lint][expression]") {
  CHECK(check("sum by (model) (rate(predictions_total[5m]))").empty());
  CHECK(check("histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket[5m])))").empty());
  CHECK(check("up").empty()); // Prometheus's own series
  // A recording rule may be defined on the server; topk is only a problem in an alert.
  CHECK(check("job:foo:rate5m > 1").empty());
  CHECK(check("topk(3, training_loss)").empty());
}

TEST_CASE("check_expression: positions on later lines, sorted", "[lint][expression]") {
  auto d = check("histogram_quantile(95,\n  inference_time_seconds_bucket)");
  REQUIRE(d.size() == 2);
  CHECK(d[0].check == "promql/histogram-quantile-rate");
  CHECK(d[0].span.line == 1);
  CHECK(d[0].span.col == 1);
  CHECK(d[0].span.len == 1); // the call runs over two lines
  CHECK(d[1].check == "promql/quantile-range");
  CHECK(d[1].span.line == 1);
  CHECK(d[1].span.col == 20);
  CHECK(d[1].span.len == 2);
  d = check("sum(\n  rate(training_loss[5m]))");
  REQUIRE(d.size() == 1);
  CHECK(d[0].span.line == 2);
  CHECK(d[0].span.col == 3);
  CHECK(d[0].span.len == 23);
}

TEST_CASE("check_expression: labels/impossible-match and units/* are kept", "[lint][expression]") {
  auto d = check("sum by (model) (training_loss) / on(stage) sum by (stage) (predictions_total)");
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "labels/impossible-match");
  d = check("gpu_memory_allocated_bytes > 1000");
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "units/bytes-vs-megabytes");
}

TEST_CASE("check_expression: a syntax error stays an error", "[lint][expression]") {
  auto d = check("rate(");
  REQUIRE(!d.empty());
  CHECK(d[0].check == "promql/syntax");
  CHECK(d[0].severity == core::Severity::error);
  CHECK(d[0].span.line == 1);
}

TEST_CASE("check_expression: quantiles outside 0..1, both functions, both sides", "[lint][expression]") {
  auto only = [](const std::vector<core::Diagnostic>& d) {
    REQUIRE(d.size() == 1);
    CHECK(d[0].check == "promql/quantile-range");
    return d[0];
  };
  auto d = only(check("histogram_quantile(-0.5, sum by (le) (rate(inference_time_seconds_bucket[5m])))"));
  CHECK(d.message == "histogram_quantile takes a quantile between 0 and 1; -0.5 gives -Inf for every series");
  CHECK(d.suggestion.empty());
  CHECK(d.span.col == 20);
  CHECK(d.span.len == 4);
  d = only(check("quantile_over_time(95, training_loss[1h])"));
  CHECK(d.message == "quantile_over_time takes a quantile between 0 and 1; 95 gives +Inf for every series");
  CHECK(d.suggestion == "write 0.95");
  d = only(check("quantile_over_time(-1, training_loss[1h])"));
  CHECK(d.message == "quantile_over_time takes a quantile between 0 and 1; -1 gives -Inf for every series");
  d = only(check("quantile_over_time(150, training_loss[1h])"));
  CHECK(d.suggestion.empty()); // not a percentage
  // The bounds themselves are quantiles.
  CHECK(check("quantile_over_time(0, training_loss[1h])").empty());
  CHECK(check("quantile_over_time(1, training_loss[1h])").empty());
  CHECK(check("histogram_quantile(1, sum by (le) (rate(inference_time_seconds_bucket[5m])))").empty());
}

TEST_CASE("check_expression: a regex branch written as a prefix", "[lint][expression]") {
  auto said = [](const std::string& expr) {
    std::vector<std::string> out;
    for (const auto& d : check(expr))
      if (d.check == "promql/regex-anchors")
        out.push_back(std::string(core::to_string(d.severity)) + ": " + d.message + " | " + d.suggestion);
    return out;
  };
  // OpenShift's cluster-storage-operator e0acdfc: "^6" meant the 6.x releases.
  CHECK(
      said(R"e(vsphere_esxi_version_total{api_version=~"^7\\.0\\.[0-1]|^6"} > 0)e") ==
      std::vector<std::string>{
          R"e(warning: the branch ^6 of api_version=~"^7\\.0\\.[0-1]|^6" matches only the value "6": Prometheus )e"
          "anchors a regex matcher at both ends, so ^ makes no prefix | for the values that start with 6, write ^6.*"});
  // Not a prefix: the ^ is only redundant, said once as a note on any series (issue 56).
  auto noted = [](const std::string& v) {
    return std::vector<std::string>{"info: regex matchers are fully anchored; the ^ or $ in \"" + v +
                                    "\" is redundant | "};
  };
  CHECK(said(R"e(vsphere_esxi_version_total{api_version=~"^7\\.0\\.[0-1].*|^6.*"} > 0)e") ==
        noted(R"e(^7\.0\.[0-1].*|^6.*)e"));
  // Beside branches that spell their prefixes with .*, a plain ^text is the exact value (NAV's
  // digisos alerts, review30: Micrometer's uri="root"); its ^ is only redundant.
  CHECK(said(R"e(x{uri!~"^/internal/.*|^/swagger.*|^root|^/webjars/.*"} > 0)e") ==
        noted("^/internal/.*|^/swagger.*|^root|^/webjars/.*"));
  // No branch spelt as a prefix: ^6 is still reported.
  const auto bare = said(R"e(x{v=~"^7\\.0\\.[0-1]|^6|^8\\.0"} > 0)e");
  REQUIRE(bare.size() == 1);
  CHECK(bare[0].starts_with("warning: the branch ^6 "));
  // Escaped text is text; a branch with more regex after it, a group, an end anchor: no prefix.
  CHECK(said(R"e(x{v=~"^10\\.0"} > 0)e").size() == 1);
  CHECK(said(R"e(x{code=~"^5.."} > 0)e") == noted("^5.."));
  CHECK(said(R"e(x{ns=~"^(kube|openshift)"} > 0)e") == noted("^(kube|openshift)"));
  CHECK(said(R"e(x{ns=~"^kube$|^default$"} > 0)e") == noted("^kube$|^default$"));
  CHECK(said(R"e(x{ns=~"[|^]a|b"} > 0)e").empty());
  CHECK(said(R"e(x{ns=~"kube.*|default"} > 0)e").empty());
  CHECK(said(R"e(x{price=~"9\\$"} > 0)e").empty()); // an escaped $ is text
  // The catalog's own series: its values tell, and the redundant anchor stays a note.
  CHECK(said(R"e(rate(errors_total{stage=~"^inference|symbolic$"}[5m]) > 0)e") ==
        std::vector<std::string>{
            R"e(info: regex matchers are fully anchored; the ^ or $ in "^inference|symbolic$" is redundant | )e"});
}

TEST_CASE("check_expression: two sides that pin a matched label to other values", "[lint][expression]") {
  auto said = [](const std::string& expr) {
    std::vector<std::string> out;
    for (const auto& d : check(expr))
      if (d.check == "labels/impossible-match") out.push_back(d.message + " | " + d.suggestion);
    return out;
  };
  // billimek's UPSPowerRestored (review-corpus, review8a): and matches on flag too.
  CHECK(said(R"e(nut_status{flag="OL"} == 1 and nut_status{flag="OB"} == 0)e") ==
        std::vector<std::string>{
            R"e(the two sides of 'and' can never match: flag is "OL" on the left side and "OB" on the right: )e"
            "and never returns anything | leave flag out of the match: ignoring (flag)"});
  // The hit ratio of awesome-prometheus-alerts' memcached rules: + of hits and misses.
  CHECK(said(R"e(x{status="hit"} / (x{status="hit"} + x{status="miss"}) < 0.8)e").size() == 1);
  // Left out of the match, or one value in common: they can meet.
  CHECK(said(R"e(nut_status{flag="OL"} == 1 and ignoring(flag) nut_status{flag="OB"} == 0)e").empty());
  CHECK(said(R"e(x{status="hit"} / on(instance) x{status="miss"} > 1)e").empty());
  CHECK(said(R"e(x{status=~"hit|miss"} and x{status="miss"})e").empty());
  CHECK(said(R"e(sum by (status) (x{status="hit"}) / ignoring(status) sum(x))e").empty());
}

TEST_CASE("check_expression: the age of a selector's sample is within the lookback", "[lint][expression]") {
  auto impossible = [](const std::string& expr) {
    for (const auto& d : check(expr))
      if (d.check == "promql/impossible") return d.message;
    return std::string();
  };
  CHECK(impossible("time() - timestamp(up) > 600") ==
        "time() - timestamp() of a selector is its latest sample's age, which the 5m lookback keeps below 300 (an "
        "older sample is not selected); this comparison with 600 can never be true: the expression never returns "
        "anything");
  // Within the lookback; an offset or @ moves the sample; a function's output is stamped now.
  CHECK(impossible("time() - timestamp(up) > 120").empty());
  CHECK(impossible("time() - timestamp(up offset 1h) > 600").empty());
  CHECK(impossible("time() - timestamp(up @ 1700000000) > 600").empty());
  CHECK(impossible("time() - node_boot_time_seconds > 600").empty());
  // The same written as a time (postgres_exporter's mixin), either way round.
  const std::string never = "timestamp() of a selector is its latest sample's time, which the 5m lookback keeps "
                            "within 300 seconds before time() (an older sample is not selected), so it is never ";
  CHECK(impossible("timestamp(pg_stat_user_tables_last_autovacuum) < time() - 36000") ==
        never + "< time() - 36000: the expression never returns anything");
  CHECK(impossible("(time() - 10 * 3600) > timestamp(up)") ==
        never + "< time() - 10 * 3600: the expression never returns anything");
  CHECK(impossible("timestamp(up) > time() + 60") == never + "> time() + 60: the expression never returns anything");
  CHECK(impossible("timestamp(up) < time() - 120").empty());
  CHECK(impossible("timestamp(up) >= time()").empty());
  CHECK(impossible("timestamp(up) < bool time() - 36000").empty());
  CHECK(impossible("timestamp(up offset 1h) < time() - 3600").empty());
  CHECK(impossible("pg_stat_user_tables_last_autovacuum < time() - 36000").empty());
  // Prometheus stamps what it computes with the evaluation time: postgres_exporter's mixin's own form.
  const std::string computed = "timestamp() of an expression that is not a selector is the evaluation time, time() "
                               "itself (Prometheus stamps the samples it computes with it), so it is never ";
  CHECK(impossible("group without (instance) (timestamp(dead > live * 0.2) < time() - 36000)") ==
        computed + "< time() - 36000: the expression never returns anything");
  CHECK(impossible("time() - timestamp(-up) > 60") ==
        "time() - timestamp() of an expression that is not a selector is 0: Prometheus stamps the samples it computes "
        "with the evaluation time; this comparison with 60 can never be true: the expression never returns anything");
  CHECK(impossible("timestamp((up)) < time() - 120").empty());
}
