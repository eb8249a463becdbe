#pragma once
// alertmanager/: alertmanager.yml → typed model with positions (`config.*`: strict loading as the
// target Alertmanager, field by field: durations, URLs, smarthosts, secrets, matchers, time
// intervals; `receivers.cpp` the receivers and their integrations' entries; `loader.hpp` the loader
// class both define), the fields each version added (`versions.*`: the target version, default Debian's
// 0.25; a newer field is refused; the URL fields that became secrets, printed in full before), the
// syntax of single values Alertmanager checks at load and what makes a secret a credential
// (`values.*`: host:port, time interval entries), the checks that need the whole file
// are lint's (`lint/alertmanager_checks.hpp`), Alertmanager's matcher syntax
// (`matchers.*`, regexes through RE2), routing and inhibition (`routing.*`: the tree walk of
// dispatch/route.go), `routes test --cases` files (`cases.*`), every receiver kind as a table row
// (`notifiers.*`: fields, URLs, secrets, required fields and their global stand-ins), Go templates
// with Alertmanager's functions, the names they define and use, and placeholder values
// (`templates.*`), what Alertmanager 0.25 does with a set of alerts at an instant (`dispatch.*`:
// routes, inhibition with its sources, mute/active time intervals, groups with groupKey and
// Alertmanager's alert order, each integration's notification rendered with the default templates
// and `templates:` files, a webhook's body as json.Encoder writes it; `integrations.*`: each
// integration's templated fields and defaults as table rows; `outcome.cpp`: the outcome as JSON and
// as text lines, shared by `routes test --alerts` and test-rules; `alerts_json.cpp`: alerts in the
// API's JSON).
//
// alertmanager.yml → a typed model with positions, read strictly as Alertmanager reads it
// (yaml.UnmarshalStrict: unknown fields refused). The loader reports what one field or one
// section can tell (types, durations, URLs, matchers, secrets); lint::check_alertmanager what
// needs the whole file.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "nsmon/alertmanager/matchers.hpp"
#include "nsmon/alertmanager/versions.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/core/yaml.hpp"

namespace nsmon::alertmanager {

/// A node of the routing tree.
struct Route {
  core::Span span;                       ///< the route's mapping
  std::optional<core::Located> receiver; ///< empty: inherited from the parent
  std::vector<core::Located> group_by;
  std::optional<std::int64_t> group_wait_ms, group_interval_ms, repeat_interval_ms;
  std::vector<core::Located> matchers; ///< the `matchers:` entries as written
  bool has_match = false;              ///< deprecated match or match_re given
  bool matchers_ok = true;             ///< every matcher parsed (else match_all lacks some)
  /// Every matcher of match, match_re and matchers (what routing applies; all must hold).
  std::vector<Matcher> match_all;
  /// Which of match_all come from match_re (indices). dispatch/route.go's NewRoute gives them the
  /// value config.Regexp.String() returns, the regex anchored as ^(?:re)$, and the route's key (a
  /// notification's groupKey) prints that.
  std::vector<std::size_t> match_re;
  bool continue_ = false;
  std::vector<core::Located> mute_time_intervals, active_time_intervals;
  std::vector<Route> routes;
};

/// One notifier config of a receiver, as dispatch renders it.
struct Notifier {
  std::string kind;                  ///< "slack_configs", ...
  std::optional<bool> send_resolved; ///< absent: the kind's default
  /// Its string values as written (templates or not), by field name; the entries of a map
  /// (PagerDuty's details, email's headers) as "details.NAME".
  std::vector<std::pair<std::string, core::Located>> fields;
};

/// A receiver: its name and how many notifier configs of each kind it has.
struct Receiver {
  core::Located name;
  std::vector<std::string> kinds;  ///< "email_configs", ... one entry per config
  std::vector<Notifier> notifiers; ///< one per config, in the order of kinds
  /// What its fields' templates read: .GroupLabels.x (the label's name) and {{ template "x" }}
  /// (the template's name), each at the field that holds it.
  std::vector<core::Located> group_labels, templates;
};

/// An inclusive range of a time interval's field (minutes of the day for times: [begin, end)).
struct TimeRange {
  int begin = 0, end = 0;
};

/// One entry of a time interval's time_intervals (timeinterval.TimeInterval): a field left out
/// holds at any time.
struct TimeIntervalSpec {
  std::optional<std::vector<TimeRange>> times, weekdays, days_of_month, months, years;
  std::optional<core::Located> location; ///< an IANA zone name, "UTC" or "Local"
};

/// A named time interval (time_intervals: or mute_time_intervals:).
struct TimeInterval {
  core::Located name;
  std::vector<TimeIntervalSpec> intervals;
};

struct InhibitRule {
  core::Span span;
  std::vector<Matcher> source, target; ///< source_match/_re/matchers and target_...
  std::vector<core::Located> equal;
};

struct Config {
  std::string path;
  bool loaded = false; ///< the file parsed as YAML (check() has something to say)
  std::optional<std::int64_t> resolve_timeout_ms;
  std::optional<Route> route; ///< absent: Alertmanager refuses the file ("no route provided")
  bool route_given = false;   ///< a non-null route: key (a broken one is reported by the loader)
  core::Span route_key;       ///< where to point about the root route (the file's start if none)
  std::vector<Receiver> receivers;
  std::vector<InhibitRule> inhibit_rules;
  std::vector<core::Located> time_intervals;        ///< names of time_intervals and mute_time_intervals
  std::vector<TimeInterval> interval_defs;          ///< their definitions, in the same order
  std::vector<core::Located> templates;             ///< the globs of templates: (relative to the file's folder)
  std::set<std::string> global_fields;              ///< the fields of global: that have a value
  std::map<std::string, std::string> global_values; ///< global:'s scalar values (notifiers' defaults)
  /// Byte ranges [begin, end) of the file that hold inline secrets: mask them before quoting lines.
  std::vector<std::pair<std::size_t, std::size_t>> secrets;
};

/// How the file is read.
struct LoadOptions {
  Version version = kDefaultVersion; ///< the Alertmanager it will run on: newer fields are refused
};

/// Reads alertmanager.yml; findings go to `diags`. Never throws for the file's content.
Config load_config(const core::SourceFile& src, std::vector<core::Diagnostic>& diags, const LoadOptions& options = {});

} // namespace nsmon::alertmanager
