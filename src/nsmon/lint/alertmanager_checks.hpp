#pragma once
// Whether an alertmanager.yml is right, beyond what its loader (alertmanager/config.*) checks field
// by field: what needs the whole file (alertmanager_checks.cpp: names defined, used and unique,
// intervals, group labels, inverted inhibitions), and the file against the alerts the rules can
// fire (alertmanager_routing.cpp, lint-alertmanager --rules/--config): routes no alert can reach and inhibit rules that
// can mute nothing. Each label of an alert is in one of four states: present with a known value (alertname, the group's
// and rule's static labels, the config's external labels), present with a value unknown (a label the expression's
// result always carries), proved absent (one it never carries), or unknown (templated, or the open world: absent or any
// value). Only what is proved is a finding.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/lint/lint.hpp"

namespace nsmon::lint {

/// What needs the whole file: receivers undefined, unused or defined twice, the root route's
/// receiver, time interval references.
void check_alertmanager(const alertmanager::Config& cfg, std::vector<core::Diagnostic>& diags);

/// What routing can know of the alerts of one alerting rule.
struct AlertLabels {
  std::string alertname;
  core::Span span;                          ///< the rule
  std::map<std::string, std::string> fixed; ///< present, value known: alertname, static labels (not templated)
  /// Of the labels asked about, those on every alert: one of these values, or any (empty).
  std::map<std::string, std::vector<std::string>> present;
  std::set<std::string> absent; ///< of the labels asked about: proved absent
};

/// The alerting rules' alerts; `names`: the labels the caller will ask about (present and absent
/// are filled for those only).
std::vector<AlertLabels> alert_labels(const Input& input, const Options& options, const std::set<std::string>& names);

/// The label names an Alertmanager configuration reads (matchers of routes and inhibit rules, equal).
std::set<std::string> label_names(const alertmanager::Config& cfg);

/// Against the rules' alerts: routes no alert reaches (unmatched-route) or that an earlier sibling
/// always takes first (shadowed-route), severities only the root route catches
/// (root-only-severity), group_by labels no alert reaching the route has (group-by-absent),
/// inhibit rules that can mute none of them (inhibit-never: on the equal label that no source and
/// target alert can share, when one is to blame).
void check_routing(const alertmanager::Config& cfg, const std::vector<AlertLabels>& alerts,
                   std::vector<core::Diagnostic>& out);

/// Without the rules, what holds for every alert: routes shadowed by an earlier sibling whatever
/// the alert's labels, inhibit rules whose source and target matchers are the same.
void check_routes(const alertmanager::Config& cfg, std::vector<core::Diagnostic>& out);

} // namespace nsmon::lint
