// lint::check_routing: alertmanager.yml against the alerts the rules can fire.
#include <catch2/catch.hpp>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/lint/routing_checks.hpp"
#include "nsmon/rules/rule_file.hpp"

using namespace nsmon;

namespace {

std::vector<core::Diagnostic> check(const std::string& am, const std::string& rules_text) {
  core::SourceFile am_src("am.yml", am), rules_src("rules.yml", rules_text);
  std::vector<core::Diagnostic> diags, ignored;
  auto cfg = alertmanager::load_config(am_src, ignored);
  lint::Input input;
  input.rule_files.push_back(rules::load_rule_file(rules_src, ignored));
  lint::Options options;
  options.catalog = &catalog::embedded();
  lint::check_routing(cfg, lint::alert_labels(input, options, lint::label_names(cfg)), diags);
  return diags;
}

const std::string kRules = R"(groups:
  - name: g
    labels: {team: ml}
    rules:
      - alert: Down
        expr: up == 0
        labels: {severity: critical}
      - alert: Slow
        expr: sum by (instance) (rate(errors_total[5m])) > 1
        labels: {severity: warning, owner: "{{ $labels.instance }}"}
)";

} // namespace

TEST_CASE("routing checks: routes no alert reaches", "[lint][routing]") {
  auto d = check(R"(route:
  receiver: a
  routes:
    - {receiver: a, matchers: ['severity="page"']}
    - {receiver: a, matchers: ['team="ml"'], routes: [{receiver: a, matchers: ['team="data"']}]}
    - {receiver: a, matchers: ['owner="x"']}
    - {receiver: a, matchers: ['instance=~"db.*"']}
receivers: [{name: a}]
)",
                 kRules);
  REQUIRE(d.size() == 4);
  CHECK(d[0].check == "alertmanager/unmatched-route");
  CHECK(d[0].span.line == 4);
  CHECK(
      d[0].message ==
      "no alert of the rules can reach this route (2 alerting rules): severity=\"page\" (the rules' values: critical, "
      "warning)");
  // Group labels count; a child needing another value of the same fixed label is unreachable.
  CHECK(d[1].span.line == 5);
  CHECK(d[1].message.find("team=\"data\"") != std::string::npos);
  // A templated label (owner) and a label the expression may carry (instance) are not reported as
  // unmatched; but every alert has team="ml" (a group label), so the route at line 5, which has no
  // continue, takes them all before the routes at lines 6 and 7.
  CHECK(d[2].check == "alertmanager/shadowed-route");
  CHECK(d[2].span.line == 6);
  CHECK(d[2].message == "this route is never reached: every alert of the rules that can match it (Down, Slow) is "
                        "caught first by the earlier route at line 5, which has no continue: true");
  CHECK(d[3].span.line == 7);
}

TEST_CASE("routing checks: inhibit rules that mute nothing", "[lint][routing]") {
  const std::string head = "route: {receiver: a}\nreceivers: [{name: a}]\ninhibit_rules:\n";
  auto d = check(head + "  - {source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"warning\"'], "
                        "equal: [alertname, instance]}\n",
                 kRules);
  REQUIRE(d.size() == 1);
  CHECK(d[0].check == "alertmanager/inhibit-never");
  CHECK(d[0].message == "this inhibit rule can mute none of the rules' alerts: its source alerts (Down) and target "
                        "alerts (Slow) never have the same alertname");
  // instance may be shared; team is the same fixed value on both.
  CHECK(check(head + "  - {source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"warning\"'], "
                     "equal: [instance, team]}\n",
              kRules)
            .empty());
  // A label proved absent on both sides is equal (both empty), as Alertmanager compares it.
  CHECK(check(head + "  - {source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"warning\"'], "
                     "equal: [status]}\n",
              kRules)
            .empty());
  d = check(head + "  - {source_matchers: ['severity=\"info\"'], target_matchers: ['severity=\"warning\"']}\n", kRules);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "this inhibit rule can mute none of the rules' alerts: no alert of the rules matches its "
                        "source matchers");
}
