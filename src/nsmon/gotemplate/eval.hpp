#pragma once
// gotemplate/: Go's text/template: syntax checker (`check.*`) and evaluator (`eval.*`: parser,
// executor, Go's fmt and builtins, Prometheus's template functions; in Alertmanager's mode,
// `NotificationTemplates`: a set of template files, 0.25's functions, template.Data, KV, Pairs,
// Alerts and time.Time with their methods (`notify.cpp`), html/template's escaping approximated for
// email HTML).
//
// Alert templates. `gotemplate/eval.*` expands alert labels and annotations as Prometheus does
// (rules/alerting.go: the `$labels`/`$externalLabels`/`$externalURL`/`$value` preamble, the
// template `__alert_<name>`, `missingkey=zero`, an error becoming the text `<error expanding
// template: ...>`). It has its own parser (`gotemplate/parse.*`: Go's text/template grammar to a
// small tree) and executor, Go's fmt verbs and builtins (`gotemplate/fmt.cpp`) and Prometheus's
// functions (`gotemplate/funcs.cpp`); errors are worded and positioned as Go 1.19 words them
// ("template: __alert_A:1:115: executing ... at <gt $value 1>: error calling gt: incompatible types
// for comparison"). Hostile templates are bounded where Go relies on its stack: nesting of blocks
// and parentheses (200, a parse error), `template` call depth (1000, Go's 100000), steps
// (1,000,000) and output (1 MiB) per expansion. The reference is Go itself:
// `tests/template_oracle/` builds a test-only oracle with Go's text/template and Prometheus's
// functions rewritten for the test (standard library only, offline) and the CTest
// `template_differential` compares every case of `corpus.tsv` byte for byte: 227 of 231 agree, the
// 4 others are listed in `known_differences.tsv` with why (complex constants, `%x` of a float,
// Unicode case mapping in `title`/`toUpper`, the oracle's package name in a type name).
// `fuzz/fuzz_template_eval.cpp` runs hostile templates against the limits. `find_type_fault`
// (`gotemplate/fault.cpp`) runs the evaluator once over an alert template to find the faults its
// types make, for lint's rules/template.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/labels/labels.hpp"

// The evaluator of Go text/template as Prometheus expands alert labels and annotations
// (template/template.go, rules/alerting.go): its own lexer, parser and executor, Go's builtins
// and Prometheus's functions, errors worded and positioned as Go words them.

namespace nsmon::gotemplate {

/// One sample of a `query` result (Prometheus's template `sample`: labels and value).
struct TemplateSample {
  labels::Labels labels;
  double value = 0;
};

/// The `query` template function: a PromQL expression to its instant vector, or an error message.
struct QueryAnswer {
  std::vector<TemplateSample> samples;
  std::optional<std::string> error;
};
using QueryFn = std::function<QueryAnswer(std::string_view expr)>;

/// What an alert template sees: `.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`, and the
/// evaluation time (`now`, the time of `query`), in seconds since the epoch.
struct TemplateData {
  labels::Labels labels;
  double value = 0;
  labels::Labels external_labels;
  std::string external_url;
  double timestamp = 0;
};

/// The expanded text, or Go's error ("template: NAME:LINE:COL: executing ..."): on error the
/// text is what Prometheus keeps, nothing.
struct Expanded {
  std::string text;
  std::optional<std::string> error;
};

/// Limits on hostile templates, which Go leaves to the stack and memory: nesting of blocks and
/// parentheses (a parse error), depth of `template` calls and the work and output of one run
/// (execution errors).
struct TemplateLimits {
  std::size_t max_nesting = 200;
  std::size_t max_call_depth = 1000;
  std::size_t max_steps = 1'000'000;
  std::size_t max_output = 1 << 20;
};

/// Parses and executes `text` as the template `name` with Prometheus's functions over `data`.
/// Errors read as Prometheus's Expand returns them: "error parsing template NAME: template: ..." or
/// "error executing template NAME: template: ...".
Expanded expand_template(std::string_view name, std::string_view text, const TemplateData& data,
                         const QueryFn& query = {}, const TemplateLimits& limits = {});

/// An alert's label or annotation as rules/alerting.go expands it: the preamble defining $labels,
/// $externalLabels, $externalURL and $value before `text`, the template named `__alert_<alertname>`,
/// and an error turned into the text `<error expanding template: ...>` (the error is kept too).
Expanded expand_alert_template(std::string_view alertname, std::string_view text, const TemplateData& data,
                               const QueryFn& query = {});

/// A fault an alert template shows for every alert whose expansion reaches it, because of the types
/// of its values rather than the values: an expansion error (printf's format a float, `first` or
/// `label` of $value, humanize of a word or of a sample, a comparison of a float with an int, a
/// wrong number of arguments), or Go's %!verb complaint in the text (%s of $value, %f of a label, a
/// missing or extra argument).
struct TypeFault {
  std::optional<std::size_t> offset; ///< of the action in the template's text; none for a %!verb
  std::string message;               ///< Go's error ("at <first>: wrong type for value; ..."), or the %!verb
};

/// The first type fault of the alert template `text`, found by expanding it once with each label of
/// `label_names` set to "1", $value 1 and every query answering one sample: an alert's values
/// change which branch runs, and which string humanize parses, but not the type of a label (a
/// string), of $value (a float64) or of a query's sample. Only faults that no value could avoid
/// are kept.
std::optional<TypeFault> find_type_fault(std::string_view text, const std::vector<std::string>& label_names);

/// What Go's time.Time keeps of a time parsed from RFC 3339 beyond its millisecond: the
/// nanoseconds below it and the offset it was written with. Alertmanager's API keeps both, and
/// its notifications print them: "2024-05-01T12:00:00.123456789+01:00" in JSON,
/// "2024-05-01 12:00:00.123456789 +0100 +0100" from a template (time.Time's String()).
struct TimeAsWritten {
  std::int32_t sub_ms_ns = 0; ///< 0 to 999999
  std::int32_t offset_s = 0;  ///< east of UTC; "Z", "+00:00" and "-00:00" are 0, which is UTC
};

/// One alert as Alertmanager's notification templates see it (template.Alert), times in ms since
/// the epoch (a zero EndsAt is Go's zero time) with what they keep beyond it.
struct NotificationAlert {
  std::string status; ///< "firing" or "resolved"
  labels::Labels labels, annotations;
  std::int64_t starts_at_ms = 0, ends_at_ms = 0;
  std::string generator_url, fingerprint;
  TimeAsWritten starts_at_written = {}, ends_at_written = {};
};

/// What Alertmanager's notification templates see (template.Data).
struct NotificationData {
  std::string receiver, status;
  std::vector<NotificationAlert> alerts;
  labels::Labels group_labels, common_labels, common_annotations;
  std::string external_url;
};

/// Go's zero time.Time in ms since the epoch (0001-01-01T00:00:00Z).
constexpr std::int64_t kGoZeroTimeMs = -62135596800000;

/// Alertmanager's template set (template/template.go): files parsed with Alertmanager's functions
/// (toUpper, toLower, title, join, match, safeHtml, reReplaceAll, stringSlice and Go's builtins),
/// a later file's definition replacing an earlier one, and a field's text rendered against them.
class NotificationTemplates {
public:
  NotificationTemplates();
  ~NotificationTemplates();
  NotificationTemplates(NotificationTemplates&&) noexcept;
  NotificationTemplates& operator=(NotificationTemplates&&) noexcept;

  /// Adds the definitions of a file (`name` as Go names it in errors: the file's base name). Go's
  /// parse error ("template: NAME:LINE: ...") leaves the set unchanged.
  std::optional<std::string> add(const std::string& name, std::string text);

  /// Whether some file defines `name`.
  bool defines(const std::string& name) const;

  /// A field's template rendered as ExecuteTextString does (the template is named "", an empty
  /// text renders as ""). `html`: ExecuteHTMLString, html/template's contextual escaping
  /// approximated (action output escaped for HTML text and attributes, URLs in href/src
  /// normalized; the JS and CSS contexts are escaped as text).
  Expanded render(std::string_view text, const NotificationData& data, bool html = false) const;

private:
  struct Files;
  std::unique_ptr<Files> files_;
};

} // namespace nsmon::gotemplate
