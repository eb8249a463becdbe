#pragma once
// promtool's rule unit-test file (`promtool test rules`, docs/configuration/unit_testing_rules.md)
// as a typed model with the position of every node. Read as promtool reads it (yaml.v2 strict:
// unknown fields refused), plus nsmon's extensions: the `nsmon:` key of a test, and dashboard
// tests (`dashboards:` of the file, `panel_tests:` of a test), which promtool refuses (README).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::ruletest {

using rules::KeyValue;

/// `- series: 'up{job="x"}'` / `values: '1+1x10'`.
struct InputSeries {
  core::Located series;
  core::Located values;
  core::Span span;
};

/// One expected alert: labels (alertname excluded) and annotations.
struct ExpAlert {
  std::vector<KeyValue> labels;
  std::vector<KeyValue> annotations;
  core::Span span;
};

struct AlertTest {
  std::int64_t eval_time_ms = 0;
  core::Located eval_time; ///< as written (for messages): "10m"
  core::Located alertname;
  std::vector<ExpAlert> exp_alerts;
  core::Span span;
};

struct ExpSample {
  core::Located labels; ///< a series description: `metric{a="b"}`, '{a="b"}' or "" for no labels
  double value = 0;
  core::Located histogram; ///< a native histogram in the series notation (`{{schema:0 count:1}}`), or empty
  core::Span span;
};

struct ExprTest {
  core::Located expr;
  std::int64_t eval_time_ms = 0;
  core::Located eval_time;
  std::vector<ExpSample> exp_samples;
  core::Span span;
};

/// An expected rendered text: the whole text, or `{contains: TEXT}` / `{matches: RE2}`.
struct ExpText {
  enum class Kind { equals, contains, matches };
  Kind kind = Kind::equals;
  core::Located text;
};

/// The fields expected of one integration of a notification (`slack: {title: ..., text: ...}`):
/// every config of that kind the receiver has must render them so.
struct ExpIntegration {
  core::Located name;                                    ///< "slack", "email", "pagerduty", ...
  std::vector<std::pair<core::Located, ExpText>> fields; ///< field name, expectation
};

/// One expected notification: a receiver's group and what it sends.
struct ExpNotification {
  core::Located receiver;
  std::optional<std::vector<KeyValue>> group_labels;        ///< absent: any group of the receiver
  std::optional<std::vector<std::vector<KeyValue>>> alerts; ///< the alerts it carries, by labels
  std::vector<ExpIntegration> integrations;
  core::Span span;
};

/// One expected inhibited alert, and (optionally) an alert that inhibits it.
struct ExpInhibited {
  std::vector<KeyValue> alert;
  std::optional<std::vector<KeyValue>> by;
  core::Span span;
};

/// `alertmanager_tests:` entry: what Alertmanager does at eval_time with the alerts firing then.
struct AlertmanagerTest {
  std::int64_t eval_time_ms = 0;
  core::Located eval_time;
  /// Exactly these notifications (absent: not checked).
  std::optional<std::vector<ExpNotification>> notifications;
  /// Exactly these alerts inhibited (absent: not checked).
  std::optional<std::vector<ExpInhibited>> inhibited;
  core::Span span;
};

/// The value of a series at one time of the panel's range (`points:`).
struct ExpPoint {
  std::int64_t at_ms = 0; ///< since the test's start, as eval_time
  core::Located at;
  double value = 0;
  core::Span span;
};

/// One series a panel shows: its legend as Grafana renders it, and its value (a stat's, gauge's or
/// bargauge's range query reduced as the panel's reducer does; otherwise the value at eval_time).
struct ExpPanelSeries {
  core::Located legend;
  std::optional<double> value; ///< absent: only its points (and colour) are checked
  core::Located color;         ///< the colour the panel's thresholds give the value; empty: not checked
  std::vector<ExpPoint> points;
  core::Span span;
};

/// `panel_tests:` entry (nsmon extension): what a dashboard's panel shows at eval_time, its
/// queries evaluated with the dashboard's variables resolved.
struct PanelTest {
  std::int64_t eval_time_ms = 0;
  core::Located eval_time;
  core::Located dashboard;  ///< a template's uid or title
  core::Located panel;      ///< the panel's title
  core::Located row;        ///< the start of its row's title, when several rows have such a panel
  core::Located annotation; ///< instead of panel: an annotation's name (its events at eval_time)
  /// Values of the dashboard's variables (one, or several of a multi-value one); unset: All.
  std::vector<std::pair<core::Located, std::vector<core::Located>>> variables;
  std::optional<std::int64_t> range_ms; ///< the dashboard's time range ($__range); default eval_time
  /// Grafana's $__interval for the panel (its range over its max data points, never below the
  /// scrape interval); default: the test's interval, which is the scrape interval.
  std::optional<std::int64_t> interval_ms;
  core::Located unit; ///< the unit the panel shows (a Grafana unit id); empty: not checked
  std::vector<ExpPanelSeries> exp_series;
  core::Span span;
};

/// nsmon's extension of a test, under `nsmon:` (a key promtool refuses, so a plain promtool file
/// never turns it on).
struct Extensions {
  /// `partial: true`: exp_labels, exp_annotations and exp_samples' labels are subsets of what the
  /// alert or sample has (alertname and the value are still compared in full); likewise the label
  /// sets of alertmanager_tests.
  bool partial = false;
  /// `alertmanager: FILE`, relative to the test file (else test-rules --alertmanager).
  std::optional<core::Located> alertmanager;
  std::vector<AlertmanagerTest> alertmanager_tests;
};

/// One entry of `tests:` (promtool's testGroup).
struct TestGroup {
  std::string name; ///< `name:`, or "" (reported as unnamed#<index>)
  std::optional<std::int64_t> interval_ms;
  std::optional<std::int64_t> start_ms; ///< start_timestamp (Prometheus 3.x), ms since the epoch
  std::vector<InputSeries> input_series;
  std::vector<AlertTest> alert_tests;
  std::vector<ExprTest> expr_tests;
  std::vector<PanelTest> panel_tests; ///< nsmon extension: dashboard tests
  std::vector<KeyValue> external_labels;
  std::string external_url;
  Extensions nsmon;
  core::Span span;
  int index = 0; ///< position in tests:
  /// The name reports use: `name`, or promtool's "unnamed#<index>".
  std::string display_name() const { return name.empty() ? "unnamed#" + std::to_string(index) : name; }
};

struct TestFile {
  std::string path;
  std::vector<core::Located> rule_files; ///< patterns as written (globs, relative to the test file)
  /// nsmon extension: dashboard templates (gen-dashboards' input) the panel tests read, relative
  /// to the test file.
  std::vector<core::Located> dashboards;
  std::int64_t evaluation_interval_ms = 60'000;
  std::vector<core::Located> group_eval_order;
  bool fuzzy_compare = false;
  std::vector<TestGroup> tests;
};

/// Reads a unit-test file; findings (all errors) are appended to `diags`.
TestFile load_test_file(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);

} // namespace nsmon::ruletest
