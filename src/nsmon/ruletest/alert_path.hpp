#pragma once
// The whole alert path of a rule unit test: the alerts the rules fire at an eval_time, sent as
// Prometheus sends them, through an alertmanager.yml (alertmanager::dispatch: routes, inhibition,
// time intervals, groups, rendered notifications), checked against a test's
// `nsmon.alertmanager_tests`, shown as such expectations (test-rules --alertmanager on a plain
// promtool file, watch --record), and a failure explained: the route path of each alert concerned
// with file:line, the inhibit rule that fired, a line diff of rendered text.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/ruletest/evaluator.hpp"
#include "nsmon/ruletest/test_file.hpp"

namespace nsmon::ruletest {

/// An alertmanager.yml loaded (and checked) for the tests, with its templates.
struct AlertmanagerSetup {
  alertmanager::Config cfg;
  alertmanager::Templates templates;
};

/// What Prometheus's notifier sends at `t` (ms) for the firing alerts of `ev`: labels with the
/// external labels the alert lacks, annotations as expanded, StartsAt the time it fired, EndsAt
/// its ValidUntil (t + 4 × max(1m resend delay, group interval)), generatorURL external_url +
/// "/graph?g0.expr=" + the rule's expression as Prometheus prints it + "&g0.tab=1". Resolved
/// alerts (which Prometheus keeps sending for 15m) and alert_relabel_configs are not modelled.
std::vector<alertmanager::Alert> sent_alerts(const GroupEvaluator& ev, const std::vector<EvalGroup>& groups,
                                             const Labels& external_labels, const std::string& external_url,
                                             std::int64_t t);

/// What Alertmanager does at one eval_time: the alerts sent and the outcome.
struct AlertPathView {
  std::int64_t eval_time_ms = 0; ///< from the test's start
  std::vector<alertmanager::Alert> alerts;
  alertmanager::Outcome outcome;
};

/// The failures of `test` against `view`: each a message, several lines (what differs, the path
/// of the alerts concerned, a diff of rendered text). `partial`: label sets are subsets.
std::vector<std::string> check_alertmanager_test(const AlertmanagerTest& test, bool partial,
                                                 const AlertmanagerSetup& am, const AlertPathView& view);

/// `view` as one `alertmanager_tests:` entry (YAML, each line prefixed with `indent`): the
/// notifications with their group labels, alerts and every rendered field, the inhibited alerts
/// with their first source; what to paste into a test, or what watch --record writes.
std::string expectations_yaml(const AlertPathView& view, const std::string& indent);

} // namespace nsmon::ruletest
