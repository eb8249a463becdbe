#pragma once
// slo/: SLO specs (nsmon/v1, Sloth's prometheus/v1 and its Kubernetes PrometheusServiceLevel; one
// per YAML document) → a model with positions, checked against the catalog and as Sloth validates
// them (`spec.*`); for Sloth's specs the rules Sloth v0.16 writes, names, labels, metadata rules,
// page/ticket alerts, Go's number spellings (`sloth.*`); for nsmon's the multi-window,
// multi-burn-rate recording and alerting rules, the unit tests that prove them and the error-budget
// dashboard template that gen-dashboards renders (`generate.hpp`; `generate_rules.cpp`,
// `generate_tests.cpp`, `generate_dashboard.cpp`, what they share in `generate_detail.hpp`: text
// out, no dependency on `dashboards/`).
//
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

/// What the spec was written for: nsmon's own format keeps nsmon's rule names; Sloth's two forms
/// get the rules Sloth generates (names, labels, metadata rules), so that routes, dashboards and
/// queries written for Sloth's output work unchanged.
enum class Form { nsmon, sloth, sloth_k8s };

/// A Sloth alert (page or ticket): its labels and annotations over alerting's.
struct AlertMeta {
  bool disable = false;
  std::map<std::string, std::string> labels, annotations;
};

struct Slo {
  enum class Kind { events, latency, up, raw };
  std::string name;
  core::Span span;
  std::string description;
  double objective = 0;         ///< a ratio in (0, 1]
  double objective_percent = 0; ///< as Sloth's files give it (99.9); Sloth's arithmetic starts from it
  std::int64_t window_ms = 30LL * 24 * 3600 * 1000;
  double min_events_per_hour = 0; ///< the burn-rate alerts' traffic guard (0: none)
  Kind kind = Kind::events;
  std::string errors, total;                    ///< events: selectors (Sloth: queries with {{.window}})
  bool sloth_queries = false;                   ///< errors/total are whole queries with {{.window}} (Sloth)
  std::string metric;                           ///< latency: the histogram
  std::string le;                               ///< latency: the bucket bound as written
  std::map<std::string, std::string> up_labels; ///< up: the targets' labels
  std::string raw_error_ratio;                  ///< raw (Sloth): an error-ratio query with {{.window}}
  std::map<std::string, std::string> labels;    ///< Sloth: the SLO's labels (over the service's)
  std::string alert_name;                       ///< Sloth's alerting.name; else from the SLO's name
  std::map<std::string, std::string> alert_labels, alert_annotations;
  AlertMeta page, ticket;
};

struct Spec {
  std::string path;
  Form form = Form::nsmon;
  std::string service;
  std::map<std::string, std::string> labels;
  std::vector<Slo> slos;
  /// The Kubernetes form: the PrometheusServiceLevel's metadata, which its PrometheusRule keeps.
  std::string k8s_name, k8s_namespace;
  std::map<std::string, std::string> k8s_labels, k8s_annotations;
};

/// Reads and checks the specs of a file, one per YAML document (Sloth's files may hold several
/// services): objective in range, a sane window, metrics and labels in the catalog, the latency
/// threshold a bucket bound, errors and total counting the same events; for Sloth's forms, what
/// Sloth validates (names, {{.window}} in every query, queries that parse, an alert name when an
/// alert is on); across the file, one kind of spec and each SLO once (its rule groups are named
/// from it). Findings go to `diags`; the specs are usable when none is an error.
std::vector<Spec> load_specs(const core::SourceFile& src, const catalog::Catalog& cat,
                             std::vector<core::Diagnostic>& diags);

/// A Sloth query with its {{.window}} (any spacing inside the braces) replaced by `window`.
std::string render_window(std::string query, const std::string& window);

} // namespace nsmon::slo
