#pragma once
// SLO specs: nsmon's own (`version: nsmon/v1`, rules/slos.yml) and Sloth's `prometheus/v1`, read
// into one model with positions, and checked against the metric catalog.
//
//   version: nsmon/v1
//   service: neurosymbolic-app
//   labels: {team: ml}                  # added to every generated rule
//   slos:
//     - name: inference-success
//       objective: 0.99                 # a ratio in (0, 1); Sloth's files give a percentage
//       window: 30d
//       min_events_per_hour: 60         # the burn-rate alerts stay silent below this traffic
//       sli:
//         errors: images_processed_total{status="failed"}   # counters, or a histogram's _count
//         total: images_processed_total
//     - name: inference-latency
//       objective: 0.95
//       sli:
//         latency: {metric: inference_time_seconds, le: 1.0}   # le: one of its bucket bounds
//     - name: availability
//       objective: 0.999
//       sli:
//         up: {job: neurosymbolic-app}
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"

namespace nsmon::slo {

struct Slo {
  enum class Kind { events, latency, up, raw };
  std::string name;
  core::Span span;
  std::string description;
  double objective = 0; ///< a ratio in (0, 1)
  std::int64_t window_ms = 30LL * 24 * 3600 * 1000;
  double min_events_per_hour = 0; ///< the burn-rate alerts' traffic guard (0: none)
  Kind kind = Kind::events;
  std::string errors, total;                    ///< events: selectors (Sloth: queries with {{.window}})
  bool sloth_queries = false;                   ///< errors/total are whole queries with {{.window}} (Sloth)
  std::string metric;                           ///< latency: the histogram
  std::string le;                               ///< latency: the bucket bound as written
  std::map<std::string, std::string> up_labels; ///< up: the targets' labels
  std::string raw_error_ratio;                  ///< raw (Sloth): an error-ratio query with {{.window}}
  std::string alert_name;                       ///< Sloth's alerting.name; else from the SLO's name
  std::map<std::string, std::string> page_labels, ticket_labels, alert_labels, alert_annotations;
};

struct Spec {
  std::string path;
  std::string service;
  std::map<std::string, std::string> labels;
  std::vector<Slo> slos;
};

/// Reads and checks a spec (objective in (0, 1), a sane window, metrics and labels in the catalog,
/// the latency threshold a bucket bound, errors and total counting the same events). Findings go
/// to `diags`; the spec is usable when none is an error.
Spec load_spec(const core::SourceFile& src, const catalog::Catalog& cat, std::vector<core::Diagnostic>& diags);

} // namespace nsmon::slo
