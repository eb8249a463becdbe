// online::check on canned server answers: what each answer makes of a selector, the requests it
// takes, and drop_repeated. The real servers are in tests/e2e/lint_rules_server.sh.
#include <catch2/catch.hpp>

#include "nsmon/http/fake_client.hpp"
#include "nsmon/online/checks.hpp"
#include "test_places.hpp"

using namespace nsmon;

namespace {

struct Run {
  std::vector<std::string> found; ///< "line:col check"
  online::Summary summary;
  std::vector<core::Diagnostic> diags;
};

std::string ok(const std::string& data) { return R"({"status":"success","data":)" + data + "}"; }

Run lint(const std::string& exprs) {
  http::FakeClient client;
  client.on("label/__name__/values", {200, "application/json", ok(R"(["errors_total","up"])")});
  client.on("label/job/values", {200, "application/json", ok(R"(["a"])")});
  client.on("label/code/values", {200, "application/json", ok(R"(["200"])")});
  client.on("label/le/values", {200, "application/json", ok("[]")});
  client.on("/labels", {200, "application/json", ok(R"(["__name__","code","job"])")});
  client.on("/series", {200, "application/json", ok("[]")});
  client.on("/targets",
            {200, "application/json", ok(R"({"activeTargets":[{"labels":{"job":"a"},"scrapeInterval":"15s"}]})")});
  client.on("/metadata", {200, "application/json", ok(R"({"errors_total":[{"type":"counter"}]})")});
  client.on("/rules", {404, "text/plain", "404 page not found"}); // a backend without the rules API
  client.on("/query", {200, "application/json", ok(R"({"resultType":"vector","result":[]})")});
  http::FormSender sender(client);
  promapi::Batch batch(
      [&](const promapi::Call& c, const promapi::ReaderOptions& ro) {
        return promapi::perform(sender, client, "http://127.0.0.1:9", c, http::Request{}, ro);
      },
      1);
  std::string text = "groups:\n  - name: g\n    rules:\n";
  for (std::size_t at = 0, i = 0; at < exprs.size(); ++i) {
    std::size_t end = exprs.find('\n', at);
    text += "      - alert: A" + std::to_string(i) + "\n        expr: " + exprs.substr(at, end - at) + "\n";
    at = end == std::string::npos ? exprs.size() : end + 1;
  }
  static std::vector<std::unique_ptr<core::SourceFile>> keep; // the findings' spans point into it
  keep.push_back(std::make_unique<core::SourceFile>("r.yml", text));
  Run r;
  std::vector<core::Diagnostic> load;
  auto file = rules::load_rule_file(*keep.back(), load);
  online::Options o;
  o.server = "http://127.0.0.1:9";
  o.now = 1700000000;
  r.diags = online::check({file}, batch, o, r.summary);
  r.found = testing::places(r.diags);
  std::sort(r.found.begin(), r.found.end());
  return r;
}

} // namespace

TEST_CASE("online: why a selector matches nothing, from the server's answers") {
  auto r = lint("rate(errors_total{job=\"b\"}[5m]) > 1\n"
                "missing_total > 0\n"
                "job:x:rate5m > 0\n"
                "rate(errors_total[20s]) > 1\n"
                "absent(gone_total)\n"
                "up{job=\"a\"} == 0");
  // Sorted as strings: line 5 is the first rule's expression, two lines a rule.
  CHECK(r.found == std::vector<std::string>{"11:20 server/range-too-short", "11:20 server/selector-empty",
                                            "15:15 server/selector-empty", "5:33 server/job-not-scraped",
                                            "7:15 server/metric-missing", "9:15 server/recording-rule-missing"});
  CHECK(r.summary.targets);
  CHECK(r.summary.metadata);
  CHECK_FALSE(r.summary.rules); // 404: asked once, done without
  CHECK_FALSE(r.summary.exact_cost);
  CHECK(r.summary.selectors == 5); // absent()'s is not asked about
}

TEST_CASE("online: every matcher that alone matches nothing is named, in one run") {
  auto r = lint("errors_total{job=\"b\", code=\"500\", le=\"1\"} > 0\nerrors_total{job=\"a\", code=\"200\"} > 0");
  CHECK(r.found == std::vector<std::string>{"5:28 server/job-not-scraped", "5:37 server/label-value-missing",
                                            "5:49 server/label-missing", "7:15 server/selector-empty"});
  CHECK(std::any_of(r.diags.begin(), r.diags.end(), [](const auto& d) {
    return d.message.find("code=\"500\": no series") == 0 && d.message.find("(code takes: 200)") != std::string::npos;
  }));
}

TEST_CASE("online: a finding the catalog gave at the same place, or for the same metric, is dropped") {
  auto r = lint("missing_total > 0\nrate(errors_total{job=\"b\"}[5m]) > 1");
  REQUIRE(r.diags.size() == 2);
  std::vector<core::Diagnostic> offline = {
      core::make_diagnostic("catalog/unknown-metric", {r.diags[0].span.file, 3, 1, 5},
                            "metric missing_total is not in the catalog (2 selectors)"),
      core::make_diagnostic("catalog/unknown-label-value", r.diags[1].span, "job b is not ...")};
  auto online = r.diags;
  online::drop_repeated(online, offline);
  CHECK(online.size() == 1); // job-not-scraped says more than an unknown value
  CHECK(online[0].check == "server/job-not-scraped");
}
