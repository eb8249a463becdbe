#pragma once
#include <array>
#include <compare>
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/core/severity.hpp"

// Every check id nsmon can report, in one table that the emit sites, --list-checks, SARIF, policy
// files and shell completions all read. An emit site names its check as CheckId("family/name"),
// which compiles only for an id of the table, and takes the default severity from the table.

namespace nsmon::core {

/// Which list shows a check.
enum class CheckSection {
  lint,        ///< lint-rules and lint-metrics: --list-checks, SARIF rules, policy files, completions
  dashboards,  ///< gen-dashboards' template checks
  nsmon_files, ///< nsmon's own inputs (catalog, config file, policy file): listed nowhere, not configurable
};

/// A check: its stable id, default severity, a one-line summary (--list-checks) and its list.
struct CheckInfo {
  std::string_view id;
  Severity severity;
  std::string_view summary;
  CheckSection section;
};

/// The table, sorted by id (the order of --list-checks).
inline constexpr auto kChecks = [] {
  using enum Severity;
  using enum CheckSection;
  return std::to_array<CheckInfo>({
      {"alertmanager/continue-last-route", warning, "continue: true on the last route of its level (it does nothing)",
       lint},
      {"alertmanager/deprecated-match", info,
       "the deprecated match/match_re/source_match/target_match (still read by every Alertmanager)", lint},
      {"alertmanager/duplicate-name", error, "two receivers or time intervals with the same name", lint},
      {"alertmanager/duration", error, "a duration Alertmanager cannot parse, or a zero interval", lint},
      {"alertmanager/group-by-absent", warning, "a group_by label no alert reaching the route has", lint},
      {"alertmanager/group-label-absent", warning,
       "a receiver's template reads .GroupLabels.x where a route sending to it does not group by x", lint},
      {"alertmanager/inhibit-inverted", warning,
       "an inhibit rule whose target alerts are more severe than its source alerts", lint},
      {"alertmanager/inhibit-never", warning,
       "an inhibit rule that can mute no alert of the rules (no source and target that share its equal labels)", lint},
      {"alertmanager/inline-secret", warning,
       "a credential (password, key, token, a URL's userinfo or token) written inline where a *_file field or, "
       "for userinfo, http_config.basic_auth can hold it",
       lint},
      {"alertmanager/invalid-value", error, "a value Alertmanager refuses (group_by, the root route's)", lint},
      {"alertmanager/matcher", error, "a matcher that does not parse, or a regex RE2 cannot compile", lint},
      {"alertmanager/missing-field", error, "a required field is missing (root receiver, webhook url, ...)", lint},
      {"alertmanager/newer-field", error,
       "a field the target Alertmanager version does not have (--alertmanager-version)", lint},
      {"alertmanager/null-receiver", warning,
       "a route whose receiver is null or empty: it inherits its parent's receiver", lint},
      {"alertmanager/placeholder", warning, "a value never filled in (YOUR_..., example.com, changeme)", lint},
      {"alertmanager/repeat-interval", warning,
       "repeat_interval shorter than group_interval (it repeats on group_interval)", lint},
      {"alertmanager/root-only-severity", warning,
       "a severity of the rules that only the root route's receiver gets, which drops it or pages for it", lint},
      {"alertmanager/secret-conflict", error, "a secret given both inline and in its *_file field", lint},
      {"alertmanager/shadowed-route", warning, "a route an earlier sibling without continue always takes first", lint},
      {"alertmanager/template", error, "a template (templates: file or {{ }} in a receiver) that does not parse", lint},
      {"alertmanager/undefined-receiver", error, "a route names a receiver that is not defined", lint},
      {"alertmanager/undefined-template", error,
       "{{ template \"name\" }} of a name no templates: file nor Alertmanager's defaults define", lint},
      {"alertmanager/undefined-time-interval", error, "a route names a time interval that is not defined", lint},
      {"alertmanager/unmatched-route", warning, "a route whose matchers no alert of the rules can satisfy", lint},
      {"alertmanager/unused-receiver", warning, "a receiver that no route uses", lint},
      {"alertmanager/url", error, "a URL that is not http or https with a host", lint},
      {"alerts/absent-without-for", info, "absent() without for: fires on every restart or scrape gap", lint},
      {"alerts/attempt-as-success", warning,
       "an alert about success reading only the time of the last attempt: runs that fail move it on too", lint},
      {"alerts/count-never-zero", info,
       "count() or sum() of a comparison compared so that 0 would fire: none passes, nothing to compare, silent", lint},
      {"alerts/duplicate-labelset", warning,
       "an alert whose series differ only in the alertname (ALERTS) or metric name it replaces: the evaluation fails",
       lint},
      {"alerts/few-failures", warning,
       "a count of failures kept below a number as the whole condition: it fires while nothing fails", lint},
      {"alerts/for-outlasts-condition", warning,
       "a for: as long as an uptime comparison holds after a restart (uptime < 600, for: 10m): it never sees one",
       lint},
      {"alerts/for-too-short", warning, "for shorter than the evaluation interval", lint},
      {"alerts/group-interval", warning,
       "a group interval over 5m (alerts late or never; recorded series stale between evaluations)", lint},
      {"alerts/inverted-severity", warning,
       "a critical alert whose bound is looser than its warning's on the same expression: it fires first", lint},
      {"alerts/misspelt-annotation", warning,
       "an annotation key a typo away from description, message, runbook_url or summary, which the alert lacks", lint},
      {"alerts/no-comparison", warning, "an alert without a comparison fires whenever the series exists", lint},
      {"alerts/outcome-rate-zero", warning,
       "a rate of a counter written per outcome (an HTTP code) kept at 0: an error seen once fires while all is well",
       lint},
      {"alerts/reads-own-state", warning,
       "a selector without a metric name compared as the alert's condition: it picks the alert's own "
       "ALERTS_FOR_STATE, which keeps it firing",
       lint},
      {"alerts/templated-name", warning,
       "a template in an alert's name: Prometheus never expands it, the alertname is the text as written", lint},
      {"alerts/topk", warning, "topk/bottomk in an alert: the set of series flaps", lint},
      {"alerts/undefined-alert", warning, "ALERTS{alertname=\"X\"} of an alert no rule defines: it never matches",
       lint},
      {"alerts/value-in-labels", warning, "$value in alert labels creates a new alert on every change", lint},
      {"catalog/bad-suffix", error, "_bucket/_sum/_count on a metric that has no such series", lint},
      {"catalog/buckets", error,
       "histogram buckets that are missing, not increasing, or on a metric that is no histogram", nsmon_files},
      {"catalog/duplicate", error, "a metric defined twice, or a renamed_from that is a current metric name",
       nsmon_files},
      {"catalog/histogram-base-name", error, "a histogram or summary name used as a series", lint},
      {"catalog/label", error, "a label name that is invalid or reserved, or an empty fixed value set", nsmon_files},
      {"catalog/missing-field", error, "a catalog entry without a required field", nsmon_files},
      {"catalog/name", error, "a metric name that is invalid, or a counter's without its _total suffix", nsmon_files},
      {"catalog/other-exporters", info,
       "metrics of other exporters that the catalog does not define, named once, with how to declare them", lint},
      {"catalog/renamed-metric", error, "a metric that was renamed", lint},
      {"catalog/reserved-suffix", warning, "a gauge or info named with _bucket, _count or _sum", nsmon_files},
      {"catalog/stage", error, "a stage the catalog does not know", nsmon_files},
      {"catalog/structure", error, "a catalog that is not a mapping with a 'metrics' list", nsmon_files},
      {"catalog/type", error, "a metric type other than counter, gauge, histogram, summary, info", nsmon_files},
      {"catalog/unit", error, "a unit the catalog does not know", nsmon_files},
      {"catalog/unknown-label", warning, "a label the metric does not have", lint},
      {"catalog/unknown-label-value", warning, "a value outside the label's fixed set", lint},
      {"catalog/unknown-metric", error, "a metric the catalog does not define", lint},
      {"catalog/version", error, "a catalog_version this nsmon does not read", nsmon_files},
      {"config/conflict", error, "two fields Prometheus does not accept together", lint},
      {"config/duplicate-job", error, "two scrape configs with the same job name", lint},
      {"config/duplicate-name", error, "two remote write or remote read configs with the same name", lint},
      {"config/duration", error, "a duration Prometheus cannot parse", lint},
      {"config/empty-section", error, "an empty or null entry where Prometheus expects a section", lint},
      {"config/inline-secret", error, "a secret written in nsmon's config file instead of in a file it names",
       nsmon_files},
      {"config/invalid-value", error, "a value Prometheus does not accept for its field", lint},
      {"config/label-name", error, "an invalid label name", lint},
      {"config/missing-field", error, "a required field is missing", lint},
      {"config/no-alertmanager", warning, "alerting rules are loaded but no Alertmanager is configured", lint},
      {"config/rate-window", warning, "a rate window shorter than twice the scrape interval", lint},
      {"config/relabel", error, "a relabel rule Prometheus refuses (action, regex, fields)", lint},
      {"config/rule-file", error, "a rule file that does not exist", lint},
      {"config/scrape-timeout", error, "scrape_timeout greater than scrape_interval", lint},
      {"config/target", error, "a static target that is not host:port", lint},
      {"config/unknown-job", warning, "a job matcher that no scrape config of the config can satisfy", lint},
      {"config/value", error, "a value in nsmon's config file that its setting does not accept", nsmon_files},
      {"dashboards/aggregate-across", error,
       "an aggregation across a sequence (epoch) or entity (image_id) label that does not say what it means",
       dashboards},
      {"dashboards/bucket-format", warning,
       "a histogram's buckets on a bar gauge, stat or gauge without format: heatmap (cumulative, unsorted)",
       dashboards},
      {"dashboards/bucket-threshold", warning,
       "a threshold on a histogram_quantile between two bucket bounds or above the largest, or a latency SLO's "
       "bound that no bucket has",
       dashboards},
      {"dashboards/counter-raw", warning, "a counter shown raw instead of through rate() or increase()", dashboards},
      {"dashboards/datasource-variable", error, "the dashboard has no `datasource` variable (type prometheus)",
       dashboards},
      {"dashboards/job-instance-variables", warning,
       "no job or instance variable, or one dashboard-linter refuses (single-value)", dashboards},
      {"dashboards/legend-label", warning, "a legend {{label}} that the query's result does not have", dashboards},
      {"dashboards/missing-field", error, "a required template field is missing (uid, title, type, queries, ...)",
       dashboards},
      {"dashboards/panel-datasource", error, "a panel whose data source is not ${datasource}", dashboards},
      {"dashboards/panel-type", error, "a panel type other than timeseries, stat, gauge, bargauge, table, heatmap",
       dashboards},
      {"dashboards/quantile-blend", warning,
       "a quantile that pools the values a multi-value variable selects into one line", dashboards},
      {"dashboards/rate-interval", warning, "rate/irate/increase over a window other than $__rate_interval",
       dashboards},
      {"dashboards/rule-by-hand", warning, "a description that names an alert by hand instead of {alert:NAME}",
       dashboards},
      {"dashboards/rule-not-loaded", error,
       "a recorded series whose rule file the prometheus.yml beside it does not load", dashboards},
      {"dashboards/slo-thresholds", error,
       "a panel with slo: and thresholds of its own (they drift from the objective)", dashboards},
      {"dashboards/stat-range-rate", warning,
       "a stat, gauge or bargauge showing the last value of a range query of a rate (stale when idle)", dashboards},
      {"dashboards/threshold-cited", warning, "thresholds that contradict the SLO or alert the description cites",
       dashboards},
      {"dashboards/thresholds", error, "thresholds not in increasing order", dashboards},
      {"dashboards/title-description", error, "a panel without a title (error) or a description (warning)", dashboards},
      {"dashboards/uid", error, "a uid that is not 1-40 of [A-Za-z0-9_-], or used by two templates", dashboards},
      {"dashboards/unit", error, "a panel without a unit whose query's unit is not known either", dashboards},
      {"dashboards/unit-mismatch", warning, "a unit that does not fit the catalog unit of the query", dashboards},
      {"dashboards/unknown-panel", error, "`use:` of a shared panel that templates/panels/ does not have", dashboards},
      {"dashboards/unknown-rule", error, "{alert:NAME}, {slo:NAME} or slo: naming no rule of the template's files",
       dashboards},
      {"dashboards/unknown-unit", error, "a unit that is neither a Grafana unit id nor a catalog unit", dashboards},
      {"dashboards/unknown-variable", error, "a $variable the dashboard does not define", dashboards},
      {"dashboards/variable", error, "a template variable that is malformed or defined twice", dashboards},
      {"dashboards/variable-filter", warning,
       "a selector without job=~\"$job\" (instance=~\"$instance\") where its series have it", dashboards},
      {"dashboards/variable-label", error,
       "a variable matched on a label the series lack (empty panel), or ignored by a panel (warning)", dashboards},
      {"exporters/label-replace-no-match", warning,
       "a label_replace whose regex matches no value a well-known exporter writes in its source label", lint},
      {"exporters/label-replace-unwritten", warning,
       "a label_replace whose replacement reads groups of a source label a well-known exporter never writes on those "
       "series",
       lint},
      {"exporters/misspelt-metric", warning,
       "a name under a well-known exporter's prefix that none of its releases served, a letter or a word order away "
       "from one they did",
       lint},
      {"exporters/renamed-metric", warning,
       "a metric a well-known exporter renamed years ago (node_cpu since node_exporter 0.16.0 of 2018), or read beside "
       "its newer names",
       lint},
      {"exporters/unknown-label-value", warning,
       "a matcher that no value a well-known exporter writes passes (node_md_disks{state=\"fail\"})", lint},
      {"exporters/wrong-job", warning,
       "a well-known exporter's metric selected under the job another is scraped under (kube_* under node-exporter)",
       lint},
      {"generated/stale", error,
       "a generated file (slo generate, gen-dashboards) that differs from what its source gives, is missing, or "
       "that nothing generates (--check)",
       nsmon_files},
      {"labels/copied-label-absent", warning,
       "group_left/group_right (x) from a side whose series have no x: the result loses x", lint},
      {"labels/copied-label-dropped", warning,
       "a label group_left or group_right copies that a later operator drops again: the join adds nothing", lint},
      {"labels/dropped-by-config", warning,
       "a label that relabel_configs or metric_relabel_configs remove from every series the rule reads", lint},
      {"labels/duplicate-match-group", warning,
       "one-to-one matching where a side can hold several series per match group: the evaluation fails", lint},
      {"labels/high-cardinality", warning, "an alert keeps a high-cardinality label (image_id, epoch)", lint},
      {"labels/impossible-match", warning, "vector matching between label sets that can never match", lint},
      {"labels/removed-label", warning, "a label used after an operator of the expression removed it", lint},
      {"labels/template-label-lost", warning, "a $labels.x in labels/annotations that the expression drops", lint},
      {"labels/template-label-typo", warning,
       "a $labels.x nothing in the rule names, near-identical to a label it has (namespaces, namespace)", lint},
      {"labels/unknown-external-label", warning, "an $externalLabels.x that global.external_labels does not set", lint},
      {"metrics/base-unit", warning, "promtool: a non-base unit in the name (milliseconds, kilobytes, ...)", lint},
      {"metrics/buckets", error, "histogram bucket bounds that differ from the catalog's", lint},
      {"metrics/camel-case", warning, "promtool: camelCase metric or label names", lint},
      {"metrics/colon", warning, "promtool: ':' in an exported name (reserved for recording rules)", lint},
      {"metrics/counter-total", warning, "promtool: a counter without the _total suffix", lint},
      {"metrics/help", info, "a # HELP text other than the catalog's", lint},
      {"metrics/missing-label", warning, "a sample without a label the catalog gives the metric", lint},
      {"metrics/missing-metric", error, "a catalog metric the exposition lacks", lint},
      {"metrics/missing-series", error, "a histogram or summary without its _bucket, _count or _sum series", lint},
      {"metrics/no-help", warning, "promtool: a metric without # HELP", lint},
      {"metrics/non-counter-total", warning, "promtool: _total on something that is not a counter", lint},
      {"metrics/renamed-metric", error, "a metric exported under its old name", lint},
      {"metrics/reserved-label", warning, "promtool: le outside histograms, quantile outside summaries", lint},
      {"metrics/reserved-suffix", warning, "promtool: _bucket, _count or _sum on a gauge or counter", lint},
      {"metrics/series-name", error, "a sample name that is not one of the metric's series", lint},
      {"metrics/syntax", error, "the exposition does not parse (text format 0.0.4 or OpenMetrics 1.0)", lint},
      {"metrics/type", error, "a # TYPE other than the catalog's", lint},
      {"metrics/type-in-name", warning, "promtool: the metric type in the name (_gauge, _counter, ...)", lint},
      {"metrics/unit", warning, "an OpenMetrics # UNIT other than the catalog's unit", lint},
      {"metrics/unit-abbreviation", warning, "promtool: abbreviated units in the name (_ms, _sec, _mb, ...)", lint},
      {"metrics/unknown-label", warning, "a label the catalog does not give the metric", lint},
      {"metrics/unknown-label-value", warning, "a value outside the label's fixed set", lint},
      {"metrics/unknown-metric", error, "a metric family the catalog does not define", lint},
      {"policy-file/unknown-check", error, "a policy file that names a check nsmon does not have", nsmon_files},
      {"policy-file/value", error, "a policy file value of the wrong kind (severity, annotation name)", nsmon_files},
      {"policy/annotations", warning, "alerts carry the required annotations (summary, description)", lint},
      {"policy/severity", warning, "alerts carry a severity label from the allowed set", lint},
      {"promql/always-true", warning, "a comparison every value the series can take passes: it removes nothing", lint},
      {"promql/count-of-states", warning,
       "count() of kube-state-metrics' state series (0 or 1 for every object) compared with a number", lint},
      {"promql/counter-raw", warning, "a counter compared or shown raw, or through delta(), not rate()", lint},
      {"promql/division-by-zero", warning,
       "a division by a limit that is 0 for \"no limit\": +Inf, which passes every >", lint},
      {"promql/duration-unit", warning,
       "a range, step or offset written as a number ([10]): seconds since Prometheus 2.54, refused before", lint},
      {"promql/fallback-removed", warning,
       "an or's fallback (or vector(0)) whose value the comparison after it always removes", lint},
      {"promql/histogram-quantile-le", warning, "histogram_quantile input aggregated without le", lint},
      {"promql/histogram-quantile-rate", warning, "histogram_quantile over _bucket without rate()", lint},
      {"promql/histogram-quantile-series", warning, "histogram_quantile over a series that is not a _bucket", lint},
      {"promql/impossible", warning, "an expression or selector that can never return a series", lint},
      {"promql/literal-regex", info, "a regex matcher without special characters; use = or !=", lint},
      {"promql/metric-name-case", warning,
       "two metric names of one expression that differ only in case: names are case-sensitive, one selects nothing",
       lint},
      {"promql/mirrored-threshold", warning,
       "one side of 'or' tests x above a bound, the other x below the same bound (not its negative)", lint},
      {"promql/nan-in-aggregation", warning,
       "a sum or average over values that can be NaN or infinite (0/0, x/0): one makes the whole result so", lint},
      {"promql/quantile-range", warning, "a quantile outside 0..1 (95 instead of 0.95)", lint},
      {"promql/rate-on-gauge", warning, "rate/irate/increase over a gauge", lint},
      {"promql/regex-anchors", info, "redundant ^ or $ in a regex matcher (matchers are anchored)", lint},
      {"promql/regex-as-text", warning, "a regex's .* or .+ after = or !=, which compare text", lint},
      {"promql/regex-glob", warning,
       "a regex matcher's branch written as a glob (teleport-*), where * repeats one character", lint},
      {"promql/sum-then-rate", warning, "rate() of an aggregation: counter resets are lost", lint},
      {"promql/syntax", error, "the expression does not parse or type-check", lint},
      {"promql/timestamp-of-time", warning,
       "timestamp() of a series whose value is a Unix time: the sample's time, not the value's", lint},
      {"promql/unnormalized-le", warning,
       "an le or quantile matcher written as Prometheus 3 never stores it (le=\"1\", stored le=\"1.0\")", lint},
      {"routes/case-failed", error, "a routes test case whose receivers or inhibition differ from the expected ones",
       nsmon_files},
      {"rules/alert-xor-record", error, "a rule must have exactly one of alert and record", lint},
      {"rules/aliased-field", error,
       "alert, record or expr written as a YAML alias: Prometheus reads the alias's name, not the anchored text", lint},
      {"rules/copied-alert", warning,
       "two alerts of one file with the same expression, for and labels under other names: they always fire together",
       lint},
      {"rules/cost", info,
       "a rule whose evaluation reads far more samples than the others' (estimated from the catalog and the config)",
       lint},
      {"rules/crd-type", error,
       "a PrometheusRule value of a type its CRD refuses (`slo: true`): Kubernetes refuses the whole resource", lint},
      {"rules/duplicate-group", error, "two groups with the same name in a file", lint},
      {"rules/duplicate-labelset", warning,
       "a record whose series differ only in the metric name it replaces (count by (__name__)): the evaluation fails",
       lint},
      {"rules/duplicate-rule", warning, "the same rule name with the same labels twice", lint},
      {"rules/duration", error, "a duration Prometheus cannot parse", lint},
      {"rules/expensive-range", warning,
       "a rule that reads raw series over more than 3d, or runs a subquery over a day or more, at every evaluation",
       lint},
      {"rules/format-placeholder", warning,
       "a format placeholder (jsonnet's %(shard)s, printf's %s) left unexpanded in a rule's matcher", lint},
      {"rules/grafana-variable", warning,
       "a Grafana variable ($pod, ${pod}, [[pod]]) in a rule's matcher: Prometheus does not expand it", lint},
      {"rules/label-name", error, "an invalid label or annotation name", lint},
      {"rules/missing-field", error, "a required field is missing (group name, expr)", lint},
      {"rules/multiple-documents", error,
       "a plain rule file with a second YAML document, whose groups Prometheus never loads", lint},
      {"rules/no-rules", error,
       "inputs that hold no rule at all (an empty file, other Kubernetes objects): the run checked nothing", lint},
      {"rules/not-a-rule-file", info,
       "a file of a linted directory that is another kind of file (prometheus.yml, a policy, ...): skipped", lint},
      {"rules/other-ruler", info,
       "another ruler's rule file (Thanos Ruler, Mimir, Loki, vmalert): read as that ruler reads it, LogQL and "
       "MetricsQL not linted",
       lint},
      {"rules/record-fields", error, "for, keep_firing_for or annotations on a recording rule", lint},
      {"rules/record-name", error, "a recording rule name that is not a metric name", lint},
      {"rules/record-naming", info, "recording rule names should follow level:metric:operations", lint},
      {"rules/template", error, "Go template syntax errors in labels and annotations", lint},
      {"rules/template-text", warning, "$labels.x or $value written outside {{ }}: printed as is", lint},
      {"rules/undefined-recording-rule", error, "a reference to a recording rule that is defined nowhere", lint},
      {"rules/unknown-disable", warning, "a '# nsmon disable' comment that names a check nsmon does not have", lint},
      {"ruletest/failed", error, "a rule unit test whose alerts or samples differ from the expected ones", nsmon_files},
      {"ruletest/invalid", error, "a rule unit test that cannot run (input series, expression, labels)", nsmon_files},
      {"ruletest/no-tests", warning, "a rule unit-test file with no tests: it passes without testing anything",
       nsmon_files},
      {"ruletest/uncovered", info, "an alerting or recording rule that no unit test exercises", nsmon_files},
      {"ruletest/unknown-alert", warning,
       "an alert_rule_test of a name no alerting rule has: no alert can fire, and an empty exp_alerts passes",
       nsmon_files},
      {"server/cost", info, "a rule whose evaluation reads far more samples than the others' (lint-rules --prometheus)",
       lint},
      {"server/job-not-scraped", warning, "a job matcher that no series of the server has (lint-rules --prometheus)",
       lint},
      {"server/label-missing", warning, "a label the metric never carries on the server (lint-rules --prometheus)",
       lint},
      {"server/label-value-missing", warning,
       "a label value the metric's series never take on the server (lint-rules --prometheus)", lint},
      {"server/metric-missing", warning, "a metric the server has no series of (lint-rules --prometheus)", lint},
      {"server/range-too-short", warning,
       "rate() and kin over a range shorter than two of the targets' scrape intervals (lint-rules --prometheus)", lint},
      {"server/rate-on-gauge", warning,
       "rate/irate/increase over a metric the server's metadata calls a gauge (lint-rules --prometheus)", lint},
      {"server/recording-rule-missing", warning,
       "a series of a recording rule the server does not have (lint-rules --prometheus)", lint},
      {"server/selector-empty", warning,
       "a selector that matches no series on the server, though each matcher alone does (lint-rules --prometheus)",
       lint},
      {"server/series-stopped", warning,
       "a selector whose series stopped: none now, some in the lookback window (lint-rules --prometheus)", lint},
      {"slo/events", info, "errors and total of an SLO that may not count the same events", lint},
      {"slo/label", error, "an SLO selector's label or value the catalog does not give the metric", lint},
      {"slo/metric", error, "an SLO metric that is not a counter or histogram of the catalog", lint},
      {"slo/objective", error,
       "an SLO objective outside (0, 1), none, or one that leaves a burn-rate alert unable to fire", lint},
      {"slo/threshold", error, "a latency SLO threshold that is not a bucket bound of its histogram", lint},
      {"slo/window", error, "an SLO window that is not a sane duration", lint},
      {"units/bytes-vs-megabytes", warning, "a catalog metric in bytes compared with a megabyte-sized number", lint},
      {"units/count-vs-rate", warning,
       "an increase() against a rate() or irate(): a count per window against a count per second", lint},
      {"units/events-as-share", warning,
       "a rate() or increase() of a count of events compared with the share an annotation states", lint},
      {"units/humanize-duration", warning,
       "humanizeDuration of a $value in milliseconds, minutes, hours or days: it reads seconds", lint},
      {"units/humanize-percentage", warning,
       "humanizePercentage of a $value that is no share: a percentage already (100 * a / b), or a count of events",
       lint},
      {"units/mixed-or", warning, "the two sides of 'or' in different units (A or B / C: / binds first)", lint},
      {"units/out-of-range", warning, "a ratio or percentage compared so that it is never or always true", lint},
      {"units/percent-as-ratio", warning,
       "a percent (0-100) metric, by its name or its annotations, compared with a ratio (0-1)", lint},
      {"units/printed-size-unit", warning,
       "$value printed as a size (humanize1024, \"GB\") in another unit than its own or of a ratio, or bytes "
       "printed as a percentage",
       lint},
      {"units/printed-time-unit", warning,
       "$value printed with a unit of time other than its own (a lag in seconds printed \"ms\")", lint},
      {"units/rate-per-second", warning,
       "$value printed per minute, hour or day where the values are a rate() per second", lint},
      {"units/ratio-as-percent", warning,
       "a ratio of a unit over itself compared with the percentage an annotation states, unscaled", lint},
      {"units/ratio-printed-as-percent", warning,
       "$value printed with a % after it where the values are a ratio between 0 and 1", lint},
      {"units/sum-of-times", warning,
       "sum() of a Unix time read as a time (time() - sum(x_timestamp)): several add up to no time", lint},
      {"units/threshold-unit", warning, "a threshold in another unit of time or size than an annotation says it in",
       lint},
      {"units/time-minus-quotient", warning,
       "time() - x / 3600 unparenthesised: '/' binds first, so the difference is about time() itself", lint},
      {"units/timestamp-threshold", warning,
       "an exporter's Unix time kept above a number before 2001: true from the first time it is set", lint},
      {"yaml/ambiguous-boolean", warning, "an unquoted yes/no/on/off that YAML 1.1 tools read as a boolean", lint},
      {"yaml/duplicate-key", error, "the same key twice in a mapping", lint},
      {"yaml/syntax", error, "the file is not valid YAML", lint},
      {"yaml/template-source", error,
       "a Helm, ERB or Jinja template of a rule file, whose tags neither YAML nor Prometheus reads", lint},
      {"yaml/type", error, "a value of the wrong type (list, mapping, string, number)", lint},
      {"yaml/unknown-field", error, "a field Prometheus does not know (often a misspelling)", lint},
  });
}();

namespace detail {

constexpr bool sorted_and_unique() {
  for (std::size_t i = 1; i < kChecks.size(); ++i)
    if (!(kChecks[i - 1].id < kChecks[i].id)) return false;
  return true;
}
static_assert(sorted_and_unique(), "kChecks: keep the rows sorted by id, each id once");

// Not constexpr: a CheckId naming an id that is not in kChecks fails to compile with
// "call to non-'constexpr' function ... unknown_check_id".
inline void unknown_check_id() {}

consteval std::size_t check_index(std::string_view id) {
  for (std::size_t i = 0; i < kChecks.size(); ++i)
    if (kChecks[i].id == id) return i;
  unknown_check_id();
  return 0;
}

} // namespace detail

/// A check id checked against kChecks at compile time: CheckId("promql/rate-on-gauge").
class CheckId {
public:
  /// Implicit, so that an emit site writes the id as a literal; compiles only for an id of kChecks.
  consteval CheckId(const char* id) : index_(detail::check_index(id)) {}

  /// The check's row in kChecks.
  constexpr const CheckInfo& info() const { return kChecks[index_]; }
  constexpr std::string_view id() const { return info().id; }
  /// The default severity, before a policy file changes it.
  constexpr Severity severity() const { return info().severity; }

  /// The same row. A template, so that `check == "family/name"` is not ambiguous with the
  /// comparison with a string below.
  template <std::same_as<CheckId> T> friend constexpr bool operator==(CheckId a, T b) { return a.index_ == b.index_; }
  /// Compares with an id held as a string (a policy file's, a test's expectation).
  friend constexpr bool operator==(CheckId c, std::string_view id) { return c.id() == id; }
  /// In table order, which is id order.
  friend constexpr auto operator<=>(CheckId a, CheckId b) { return a.index_ <=> b.index_; }

private:
  std::size_t index_;
};

/// The checks of one section, sorted by id.
inline std::vector<CheckInfo> checks_in(CheckSection section) {
  std::vector<CheckInfo> out;
  for (const auto& c : kChecks)
    if (c.section == section) out.push_back(c);
  return out;
}

} // namespace nsmon::core
