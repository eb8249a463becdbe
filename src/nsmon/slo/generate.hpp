#pragma once
// SLOs to Prometheus rules (the SRE workbook's multi-window, multi-burn-rate alerts) and to the
// promtool/nsmon unit tests that prove them. Deterministic text: the same spec gives the same bytes.
#include <string>
#include <vector>

#include "nsmon/slo/spec.hpp"

namespace nsmon::slo {

/// One of the four burn-rate alerts: `budget` of the error budget spent within `long_window`,
/// confirmed over `short_window`; factor = budget × SLO window / long window (14.4 for 2% in 1h of 30d).
struct BurnRate {
  const char* long_window;
  const char* short_window;
  double budget;
  const char* kind; ///< "page" or "ticket"
};
const std::vector<BurnRate>& burn_rates();
double factor(const BurnRate& b, const Slo& s);
/// A number as the rules write it: 12 significant digits (13.44 * 0.1, not 0.09999999999999998).
std::string rule_number(double v);

/// The rule file: per SLO, the error ratio over 5m, 30m, 1h, 2h, 6h, 1d, 3d and the SLO window,
/// the traffic over the alerts' long windows (for the guard), the error budget remaining, and the
/// four burn-rate alerts (labels and annotations that lint-rules' default policy accepts).
/// Sloth's specs get Sloth's rules instead (sloth.hpp). Several specs (documents) make one file.
std::string rules_yaml(const std::vector<Spec>& specs);

/// The names of the rule groups an SLO's rules are written in, in order: slo-<name> for nsmon's
/// specs, Sloth's groups (sloth_groups) for Sloth's.
std::vector<std::string> rule_groups(const Spec& spec, const Slo& s);

/// The alert names of one SLO, in burn_rates() order.
std::vector<std::string> alert_names(const Slo& s);

/// Unit tests for `rule_file` (the path as the tests file will name it): each burn-rate alert
/// firing at 1.05x its threshold and silent at 0.95x, and the fastest one silent below the traffic
/// guard. Events SLIs get counters (two series, or one per value of the errors' label), latency
/// SLIs buckets, up SLIs a target up 1 - r of the time, Sloth queries of the form
/// sum(rate(selector[{{.window}}])) their selectors' counters; other SLIs (raw error ratios, other
/// queries, regex matchers) get no tests, and `skipped` says which and why.
/// Sloth's specs: each of its alerts at 1.05x and 0.95x the threshold of its slow condition.
std::string tests_yaml(const std::vector<Spec>& specs, const catalog::Catalog& cat, const std::string& rule_file,
                       std::vector<std::string>& skipped);

/// A dashboard template for gen-dashboards (templates/, `rule_file` relative to it): per SLO its
/// objective, the SLI over the SLO window, the error budget remaining, the burn rate over each
/// window (now, coloured at the alerts' thresholds, and over time) and the burn-rate alerts firing.
std::string dashboard_yaml(const std::vector<Spec>& specs, const std::string& rule_file);

} // namespace nsmon::slo
