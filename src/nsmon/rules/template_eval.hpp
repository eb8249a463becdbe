#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/labels/labels.hpp"

// The evaluator of Go text/template as Prometheus expands alert labels and annotations
// (template/template.go, rules/alerting.go): its own lexer, parser and executor, Go's builtins
// and Prometheus's functions, errors worded and positioned as Go words them.

namespace nsmon::rules {

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

} // namespace nsmon::rules
