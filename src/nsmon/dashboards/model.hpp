#pragma once
// dashboards/: template loader, Grafana-variable-aware query checks (lint's `ExprChecks`; recording
// rules' series from the template's `rules:` files, which `cli/` reads), words and thresholds from
// the rules (`rule_facts`: the alerts of `rules:`, the SLOs of `slos:`; `{alert:NAME}`/`{slo:NAME}`
// in descriptions, `slo:` thresholds, `slo_ratio: errors` for an error ratio), layout, Grafana JSON
// builders (panels, annotations, links) and grafana/dashboard-linter's `.lint` (`render_lint`: the
// exceptions whose facts check() found, each with its reason).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/core/yaml.hpp"

namespace nsmon::dashboards {

struct Query {
  core::Located expr;
  core::Located legend; ///< legendFormat; empty: Grafana's default
  bool instant = false; ///< one value per series (stat, gauge, bargauge, table)
  /// `format: heatmap`: the series are a histogram's buckets, which Grafana sorts by `le` and turns
  /// from cumulative counts into each bucket's own (always so on a heatmap panel).
  bool buckets = false;
  /// `across: {epoch: "the lowest of all epochs"}`: what aggregating across a catalog label with
  /// a role (a sequence, an entity) means here; the check requires it for every such label.
  std::vector<std::pair<core::Located, core::Located>> across;
};

struct Threshold {
  double value = 0;
  std::string color;
};

/// A panel of a template (or of templates/panels/<name>.yml, reused with `use: <name>`).
struct Panel {
  core::Located type;
  core::Located title;
  core::Located description;
  core::Located unit;       ///< as written: a Grafana unit id or a catalog unit; empty: inferred
  core::Located datasource; ///< only when the template overrides it (checked: must be ${datasource})
  std::optional<double> decimals, min, max;
  std::string base_color;             ///< below the first threshold, as written (see shown_base_color)
  std::vector<Threshold> thresholds;  ///< in increasing order of value
  core::Located slo;                  ///< an SLO of the template's `slos:` files: its objective is the threshold
  bool slo_errors = false;            ///< `slo_ratio: errors`: the panel shows the error ratio, not the SLI
  bool slo_latency = false;           ///< `slo_ratio: latency`: the panel shows latencies; the bound is the threshold
  int width = 0, height = 0;          ///< 0: the type's default
  std::string stack;                  ///< timeseries: "" or "normal" or "percent"
  std::string reduce = "lastNotNull"; ///< stat, gauge, bargauge: the reducer
  std::vector<Query> queries;
  core::Span span;          ///< the panel's mapping (or its `use:` entry)
  std::string used;         ///< the library panel's name, when it came through `use:`
  std::string grafana_unit; ///< the unit id written to the JSON, set by check()
};

/// The colour a value below the first threshold is shown in. Green says "healthy": only a panel
/// with a bound someone set may say it; a value nothing judges (a count, an uptime, a time left)
/// is shown in Grafana's neutral text colour.
inline std::string shown_base_color(const Panel& p) {
  if (!p.base_color.empty()) return p.base_color;
  return p.thresholds.empty() ? "text" : "green";
}

/// The legendFormat Grafana is given for a query of a panel of `type`: as written; else a
/// heatmap's buckets named by their bound, and Grafana's automatic legend for the rest.
inline std::string legend_format(const Query& q, const std::string& type) {
  if (!q.legend.value.empty()) return q.legend.value;
  return type == "heatmap" ? "{{le}}" : "__auto";
}

struct Row {
  core::Located title;
  bool collapsed = false;
  std::vector<Panel> panels;
};

/// A template variable: `datasource`, `job`, `instance`, `model` have built-in definitions.
struct Variable {
  core::Located name;
  std::string type = "query"; ///< datasource, query, custom, interval
  std::string label;
  core::Located query; ///< label_values(...) for query variables; values for custom
  bool multi = true;
  bool include_all = true;
};

/// What a description or a threshold would otherwise repeat by hand, from the template's `rules:`
/// and `slos:` files (read by cli/): `{alert:NAME}` and `{slo:NAME}` in a description expand to
/// the rule's words, a panel's `slo: NAME` takes the objective as its threshold.
struct RuleFacts {
  struct Alert {
    std::string expr, for_, severity;
  };
  struct Slo {
    double objective = 0;
    std::int64_t window_ms = 0;
    std::optional<double> latency_bound; ///< a latency SLI's bucket bound, in seconds
    std::string latency_metric;          ///< a latency SLI's histogram
  };
  std::map<std::string, Alert> alerts;
  std::map<std::string, Slo> slos;
  /// Rule files of `rules:` (as the template names them, joined to its folder) that the
  /// prometheus.yml beside them does not load, with that config's path: their series are not
  /// recorded on the shipped setup.
  std::map<std::string, std::string> unloaded;
};

/// An exception to a rule of grafana/dashboard-linter that check() found the facts for: an entry of
/// the `.lint` that gen-dashboards writes beside the dashboards (render_lint).
struct LinterException {
  std::string rule;  ///< target-job-rule, template-instance-rule, ...
  std::string panel; ///< the panel's title; empty: the whole dashboard
  int target = -1;   ///< the query's index in the panel; -1: all of them
  std::string reason;
};

/// An annotation query (`annotations:`): its series are events marked on every graph.
struct Annotation {
  core::Located name; ///< shown in the dashboard's annotation toggles
  Query query;        ///< expr; legend: the event's title ({{label}} as in legends)
  std::string color = "red";
  core::Span span;
};

/// One dashboard template (templates/<file>.yml).
struct Template {
  std::string path;
  bool parsed = false; ///< the file was valid YAML (otherwise nothing else is checked)
  core::Located uid, title, description;
  std::vector<std::string> tags;
  std::string refresh = "30s";
  std::string time_from = "now-6h", time_to = "now";
  std::vector<Variable> variables;
  std::vector<core::Located> rules; ///< rule files whose recorded series the queries read, relative to the template
  std::vector<core::Located> slos;  ///< SLO spec files the panels' `slo:` and descriptions name, relative to it
  std::vector<Row> rows;
  std::vector<Annotation> annotations;
  core::Span variables_span;                      ///< where to point for a missing variable
  std::vector<LinterException> linter_exceptions; ///< set by check()
};

} // namespace nsmon::dashboards
