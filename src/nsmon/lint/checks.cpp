#include <algorithm>

#include "nsmon/lint/lint.hpp"

namespace nsmon::lint {

using core::Severity;

const std::vector<CheckInfo>& checks() {
  static const std::vector<CheckInfo> all = [] {
    std::vector<CheckInfo> v = {
        // Structure (the rule-file and config loaders)
        {"yaml/syntax", Severity::error, "the file is not valid YAML"},
        {"yaml/unknown-field", Severity::error, "a field Prometheus does not know (often a misspelling)"},
        {"yaml/duplicate-key", Severity::error, "the same key twice in a mapping"},
        {"yaml/type", Severity::error, "a value of the wrong type (list, mapping, string, number)"},
        {"yaml/ambiguous-boolean", Severity::warning, "an unquoted yes/no/on/off that YAML 1.1 tools read as a boolean"},
        {"rules/missing-field", Severity::error, "a required field is missing (group name, expr)"},
        {"rules/alert-xor-record", Severity::error, "a rule must have exactly one of alert and record"},
        {"rules/duration", Severity::error, "a duration Prometheus cannot parse"},
        {"rules/record-fields", Severity::error, "for, keep_firing_for or annotations on a recording rule"},
        {"rules/record-name", Severity::error, "a recording rule name that is not a metric name"},
        {"rules/label-name", Severity::error, "an invalid label or annotation name"},
        {"rules/label-value", Severity::error, "a label value that is not UTF-8"},
        {"rules/template", Severity::error, "Go template syntax errors in labels and annotations"},
        {"rules/duplicate-group", Severity::error, "two groups with the same name in a file"},
        {"rules/duplicate-rule", Severity::warning, "the same rule name with the same labels twice"},
        {"rules/record-naming", Severity::info, "recording rule names should follow level:metric:operations"},
        {"rules/undefined-recording-rule", Severity::error, "a reference to a recording rule that is defined nowhere"},
        // PromQL
        {"promql/syntax", Severity::error, "the expression does not parse or type-check"},
        {"promql/rate-on-gauge", Severity::warning, "rate/irate/increase over a gauge"},
        {"promql/counter-raw", Severity::warning, "a counter compared or shown raw instead of through rate()"},
        {"promql/histogram-quantile-rate", Severity::warning, "histogram_quantile over _bucket without rate()"},
        {"promql/histogram-quantile-le", Severity::warning, "histogram_quantile input aggregated without le"},
        {"promql/histogram-quantile-series", Severity::warning, "histogram_quantile over a series that is not a _bucket"},
        {"promql/sum-then-rate", Severity::warning, "rate() of an aggregation: counter resets are lost"},
        {"promql/quantile-range", Severity::warning, "a quantile outside 0..1 (95 instead of 0.95)"},
        {"promql/regex-anchors", Severity::info, "redundant ^ or $ in a regex matcher (matchers are anchored)"},
        {"promql/literal-regex", Severity::info, "a regex matcher without special characters; use = or !="},
        // Catalog
        {"catalog/unknown-metric", Severity::error, "a metric the catalog does not define"},
        {"catalog/renamed-metric", Severity::error, "a metric that was renamed"},
        {"catalog/histogram-base-name", Severity::error, "a histogram or summary name used as a series"},
        {"catalog/bad-suffix", Severity::error, "_bucket/_sum/_count on a metric that has no such series"},
        {"catalog/unknown-label", Severity::warning, "a label the metric does not have"},
        {"catalog/unknown-label-value", Severity::warning, "a value outside the label's fixed set"},
        // Labels
        {"labels/template-label-lost", Severity::warning, "a $labels.x in labels/annotations that the expression drops"},
        {"labels/impossible-match", Severity::warning, "vector matching between label sets that can never match"},
        {"labels/high-cardinality", Severity::warning, "an alert keeps a high-cardinality label (image_id, epoch)"},
        // Units
        {"units/bytes-vs-megabytes", Severity::warning, "a _bytes metric compared with a megabyte-sized number"},
        {"units/percent-as-ratio", Severity::warning, "a percent (0-100) metric compared with a ratio (0-1)"},
        {"units/out-of-range", Severity::warning, "a comparison with a value the metric can never reach"},
        // Alerts
        {"alerts/no-comparison", Severity::warning, "an alert without a comparison fires whenever the series exists"},
        {"alerts/value-in-labels", Severity::warning, "$value in alert labels creates a new alert on every change"},
        {"alerts/absent-without-for", Severity::warning, "absent() without for: fires on every restart or scrape gap"},
        {"alerts/for-too-short", Severity::warning, "for shorter than the evaluation interval"},
        {"alerts/group-interval", Severity::warning, "a group interval over 5m (alerts are sent late, Alertmanager resolves them)"},
        {"alerts/topk", Severity::warning, "topk/bottomk in an alert: the set of series flaps"},
        // Config
        {"config/duration", Severity::error, "a duration Prometheus cannot parse"},
        {"config/scrape-timeout", Severity::error, "scrape_timeout greater than scrape_interval"},
        {"config/duplicate-job", Severity::error, "two scrape configs with the same job name"},
        {"config/target", Severity::error, "a static target that is not host:port"},
        {"config/label-name", Severity::error, "an invalid label name"},
        {"config/missing-field", Severity::error, "a required field is missing"},
        {"config/rule-file", Severity::error, "a rule file that does not exist"},
        {"config/no-alertmanager", Severity::warning, "alerting rules are loaded but no Alertmanager is configured"},
        {"config/rate-window", Severity::warning, "a rate window shorter than twice the scrape interval"},
        // Policy
        {"policy/severity", Severity::warning, "alerts carry a severity label from the allowed set"},
        {"policy/annotations", Severity::warning, "alerts carry the required annotations (summary, description)"},
        // lint-metrics: one scrape against the catalog, and promtool check metrics' naming rules
        {"metrics/syntax", Severity::error, "the exposition does not parse (text format 0.0.4 or OpenMetrics 1.0)"},
        {"metrics/unknown-metric", Severity::error, "a metric family the catalog does not define"},
        {"metrics/renamed-metric", Severity::error, "a metric exported under its old name"},
        {"metrics/missing-metric", Severity::error, "a catalog metric the exposition lacks"},
        {"metrics/type", Severity::error, "a # TYPE other than the catalog's"},
        {"metrics/series-name", Severity::error, "a sample name that is not one of the metric's series"},
        {"metrics/missing-series", Severity::error, "a histogram or summary without its _bucket, _count or _sum series"},
        {"metrics/buckets", Severity::error, "histogram bucket bounds that differ from the catalog's"},
        {"metrics/unknown-label", Severity::warning, "a label the catalog does not give the metric"},
        {"metrics/missing-label", Severity::warning, "a sample without a label the catalog gives the metric"},
        {"metrics/unknown-label-value", Severity::warning, "a value outside the label's fixed set"},
        {"metrics/help", Severity::info, "a # HELP text other than the catalog's"},
        {"metrics/unit", Severity::warning, "an OpenMetrics # UNIT other than the catalog's unit"},
        {"metrics/no-help", Severity::warning, "promtool: a metric without # HELP"},
        {"metrics/base-unit", Severity::warning, "promtool: a non-base unit in the name (milliseconds, kilobytes, ...)"},
        {"metrics/counter-total", Severity::warning, "promtool: a counter without the _total suffix"},
        {"metrics/non-counter-total", Severity::warning, "promtool: _total on something that is not a counter"},
        {"metrics/reserved-suffix", Severity::warning, "promtool: _bucket, _count or _sum on a gauge or counter"},
        {"metrics/reserved-label", Severity::warning, "promtool: le outside histograms, quantile outside summaries"},
        {"metrics/type-in-name", Severity::warning, "promtool: the metric type in the name (_gauge, _counter, ...)"},
        {"metrics/colon", Severity::warning, "promtool: ':' in an exported name (reserved for recording rules)"},
        {"metrics/camel-case", Severity::warning, "promtool: camelCase metric or label names"},
        {"metrics/unit-abbreviation", Severity::warning, "promtool: abbreviated units in the name (_ms, _sec, _mb, ...)"},
    };
    std::sort(v.begin(), v.end(), [](const CheckInfo& a, const CheckInfo& b) { return a.id < b.id; });
    return v;
  }();
  return all;
}

const CheckInfo* find_check(std::string_view id) {
  const auto& all = checks();
  auto it = std::lower_bound(all.begin(), all.end(), id, [](const CheckInfo& c, std::string_view v) { return c.id < v; });
  return it != all.end() && it->id == id ? &*it : nullptr;
}

} // namespace nsmon::lint
