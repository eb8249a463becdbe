#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsmon::gotemplate {

/// A reference to an alert's label inside a template: `$labels.x`, `.Labels.x`, `index $labels "x"`.
struct LabelRef {
  std::string name;
  std::size_t offset = 0; ///< byte offset of the reference in the template text
  std::size_t length = 0;
  /// In {{if $labels.x}} or {{with $labels.x}} (the test or its body, not its {{else}}): where the
  /// alert has no x, the test is false and nothing of it is shown.
  bool guarded = false;
  /// Guarded, and the guard has an {{else}}: what the alert shows without x is written out.
  bool otherwise = false;
};

struct TemplateError {
  std::size_t offset = 0;
  std::string message;
};

/// An action printing $value as a number per a unit of time, as the text after it says.
struct ValuePerTime {
  std::size_t offset = 0; ///< of the action
  double seconds = 0;     ///< in the unit: 60, 3600, 86400
  std::string written;    ///< the text that says it ("/min", "per hour")
};

/// An action printing $value as a size: a number followed by a unit of bytes, or humanize1024.
struct PrintedSize {
  std::size_t offset = 0; ///< of the action
  /// The unit's power of 1000 or 1024: 0 for "B" and " bytes" (and humanize1024, which prints
  /// bytes with its own prefix), 1 for "KB" or "KiB" ... 5 for "PB"; -1 where it is not known
  /// ("Gb", "Mb": bits or bytes).
  int prefix = 0;
  std::string written; ///< the text that says it ("GB", " bytes"), "" for humanize1024 alone
  bool binary = false; ///< printed through humanize1024
};

/// A PromQL query the template runs with Prometheus's `query`, where its text is written in the
/// template: `query "..."`, `"..." | query`, or `printf "..." args | query`.
struct TemplateQuery {
  std::string text;       ///< the query as written: with `formatted`, printf's format (fill_verbs)
  bool formatted = false; ///< text is a printf format, whose verbs the arguments fill
  std::size_t offset = 0; ///< of the string literal holding it, in the template text
  std::size_t length = 0;
  /// Labels read from its samples: `.Labels.x` in a {{range}} over it, `first | label "x"`,
  /// `(query "..." | first).Labels.x`.
  std::vector<LabelRef> label_refs;
};

/// A number per a unit of time, as words after it say: "/min", "per hour", "tokens/hour", "times per
/// 5 minutes" (up to three words of a noun may come first).
struct PerTime {
  double seconds = 0;  ///< in the unit: 1, 60, 3600, 86400, or a number of them (300)
  std::string written; ///< the words that say it, from "/" or "per"
};
/// The unit of time the text at `at` says a number just before it is per, if it says one.
std::optional<PerTime> per_time(std::string_view text, std::size_t at);
/// The unit of time the text at `at` (after one space at most) writes a number just before it in,
/// if it writes one: "ms", "s", " seconds", "min", " hours", " days" (seconds: 0.001 to 86400).
std::optional<PerTime> time_unit(std::string_view text, std::size_t at);

/// The unit of bytes the text at `at` (after one space at most) writes a number just before it
/// in, if it writes one: "B", "KB", "MiB", " GB", " bytes" (not a rate: "MB/s", "GBps").
std::optional<PrintedSize> size_unit(std::string_view text, std::size_t at);

/// What a label or annotation template uses, and what is wrong with it.
struct TemplateInfo {
  std::vector<TemplateError> errors;
  std::vector<LabelRef> label_refs;
  std::vector<std::size_t> value_refs; ///< offsets of $value / .Value
  /// Offsets of humanizeDuration given $value or .Value alone ({{ $value | humanizeDuration }},
  /// {{ humanizeDuration .Value }}): it prints the value as a number of seconds.
  std::vector<std::size_t> value_durations;
  /// Offsets of humanizePercentage given $value or .Value alone: it prints the value as a ratio,
  /// times 100 with a '%'.
  std::vector<std::size_t> value_ratios;
  /// Offsets of actions that print $value or .Value as a number ({{ $value }}, {{ $value | humanize }},
  /// {{ printf "%.2f" $value }}) with a '%' right after them, in the text or printf's format: the
  /// value is printed as a percentage as it is, unscaled.
  std::vector<std::size_t> value_percents;
  /// Actions that print $value as a number (as value_percents) followed in the text by a unit of
  /// time, maybe after a noun: "{{ $value }}/min", "{{ $value | humanize }} tokens per hour".
  std::vector<ValuePerTime> value_per_time;
  /// Actions that print $value as a number (as value_percents) followed in the text by a unit of
  /// time it is said to be in: "{{ $value }}ms", "{{ printf "%.1f" $value }} hours".
  std::vector<ValuePerTime> value_time_units;
  /// Actions that print $value as a size: a number (as value_percents) followed in the text by a
  /// unit of bytes ("{{ $value }}GB", "{{ $value | humanize }} bytes"), or humanize1024 of $value
  /// alone, maybe followed by one ("{{ $value | humanize1024 }}B"), and not by a '%'.
  std::vector<PrintedSize> value_sizes;
  bool has_actions = false;
  /// An action calls a function other than humanize of $value, or rebinds the dot: its types may be
  /// wrong (find_type_fault). Not in `{{ $labels.x }}` or `{{ $value | humanize }}`.
  bool may_fault = false;
  std::vector<LabelRef> external_label_refs; ///< `$externalLabels.x`
  std::vector<TemplateQuery> queries;
  /// `$labels.x`, `$value` or any `$x` written in the text between actions, which Go prints as
  /// written (name: "labels.x", "value", "x"), the same in another language's braces
  /// (`${labels.x}`), and printf verbs (name: "%s", "%.0f"). None where an action prints braces
  /// ({{"{{"}}): such a template writes a template, as a helm chart's source does.
  std::vector<LabelRef> text_refs;
};

/// Checks Go text/template syntax as Prometheus uses it for alert labels and annotations:
/// balanced actions, if/range/with/else/end nesting, known functions (Go's builtins and
/// Prometheus's humanize*, printf, query, ...), declared variables ($labels, $value,
/// $externalLabels, $externalURL and `:=`), parentheses and string literals.
/// Whose templates: Prometheus's, or vmalert's (more variables declared before the template:
/// $expr, $alertID, $activeAt, ...; its own set of functions: parseDurationTime, queryEscape, ...).
enum class Dialect { prometheus, vmalert };
TemplateInfo check_template(std::string_view text, Dialect dialect = Dialect::prometheus);

/// printf's `format` with each verb (%s, %v, %5.2f, ...) replaced by `with`, and %% by %.
std::string fill_verbs(std::string_view format, std::string_view with);

} // namespace nsmon::gotemplate
