#pragma once
// `nsmon routes test --cases FILE`: a YAML file of alerts and where each must go, checked against
// the routing tree and the inhibit rules. The format (every field but labels optional):
//
//   cases:
//     - name: a critical ML alert pages the team
//       labels: {alertname: TrainingDiverged, severity: critical, team: ml}
//       receivers: [pager, ml-team]      # in routing-tree order
//     - labels: {alertname: HighLatency, severity: warning, instance: a}
//       firing:                          # alerts firing at the same time
//         - {alertname: HighLatency, severity: critical, instance: a}
//       inhibited: true
//
// It also reads the batch format proposed for amtool (prometheus/alertmanager PR #5175,
// `amtool config routes test --test-file`), one case per alert, the test's others firing beside it:
//
//   tests:
//     - name: critical suppresses warning
//       alerts:
//         - labels: {alertname: A, severity: critical}
//           expected_receivers: [default]
//         - labels: {alertname: A, severity: warning}
//           expected_inhibited: true
#include <optional>
#include <string>
#include <vector>

#include "nsmon/alertmanager/routing.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"

namespace nsmon::alertmanager {

struct Case {
  std::string name; ///< the name given, else "case N"
  core::Span span;
  labels::Labels labels;
  std::optional<std::vector<std::string>> receivers;
  std::vector<labels::Labels> firing;
  std::optional<bool> inhibited;
};

/// Reads a cases file; findings (positioned, yaml/* and alertmanager/cases) go to `diags`.
std::vector<Case> load_cases(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);

/// One case's outcome against a configuration.
struct CaseResult {
  const Case* c = nullptr;
  std::vector<std::string> receivers;    ///< where the alert goes
  std::vector<std::size_t> inhibited_by; ///< inhibit rules (indices) that mute it
  std::vector<std::string> failures;     ///< what differs from the expectations, in words
};
CaseResult run_case(const Config& cfg, const Case& c);

} // namespace nsmon::alertmanager
