#pragma once
// What Alertmanager 0.25 does with a set of alerts at one instant: the routes each reaches
// (dispatch/route.go), inhibition and by which source (inhibit/inhibit.go), the time intervals
// that mute a route (timeinterval/), the aggregation groups (dispatch/dispatch.go: group_by,
// groupKey, the order of alerts) and the notification each integration of the receiver would
// send, its templated fields rendered with the default templates and the config's `templates:`
// (template/template.go, notify/*). `nsmon routes test --alerts` and `nsmon test-rules` show it.
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/alertmanager/routing.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/labels/labels.hpp"

namespace nsmon::alertmanager {

/// What Go's time.Time keeps of a time the API parsed (RFC 3339) beyond its millisecond.
using TimeAsWritten = gotemplate::TimeAsWritten;

/// An alert as Alertmanager's API receives it (POST /api/v2/alerts), times in ms since the epoch.
struct Alert {
  labels::Labels labels, annotations;
  std::int64_t starts_at_ms = 0;
  std::optional<std::int64_t> ends_at_ms; ///< absent: firing until resolved
  std::string generator_url;
  TimeAsWritten starts_at_written, ends_at_written; ///< the rest of each time, as the API read it

  /// Firing at `now_ms` unless it ended at or before then (types.Alert.Resolved).
  bool firing_at(std::int64_t now_ms) const {
    return !ends_at_ms || *ends_at_ms > now_ms || (*ends_at_ms == now_ms && ends_at_written.sub_ms_ns > 0);
  }
};

/// Alerts as the API's JSON gives them (POST /api/v2/alerts: `[{"labels", "annotations",
/// "startsAt", "endsAt", "generatorURL"}]`, times in RFC 3339, kept with their offset and every
/// digit of their fraction); a missing startsAt is the endsAt if given, else `now_ms`, as the API
/// stamps it. Labels whose value is empty (or null) are dropped before anything is checked, as the
/// API drops them (removeEmptyLabels): `{a="1", b=""}` is the alert `{a="1"}`. Throws core::Error
/// for what Alertmanager refuses: "NAME:LINE:COL: ..." for text that is not JSON, "NAME: alert N:
/// ..." for an alert without labels, with an invalid label name, a time that is not RFC 3339 or
/// endsAt before startsAt.
std::vector<Alert> parse_alerts(std::string_view json, const std::string& name, std::int64_t now_ms);

namespace detail {
struct TemplateSet; ///< the parsed templates (dispatch.cpp)
} // namespace detail

/// Alertmanager's default templates (default.tmpl, email.tmpl) and the config's `templates:`
/// files, parsed once. Rendering a field that needs a template nobody defined is that field's
/// error, so a missing default.tmpl only fails the fields that use it.
struct Templates {
  std::string defaults_dir;       ///< where default.tmpl was looked for
  bool defaults_found = false;    ///< default.tmpl (and email.tmpl, if there) were read
  std::vector<std::string> files; ///< the templates: files read, in Alertmanager's order
  std::shared_ptr<const detail::TemplateSet> set;
};

/// Where Alertmanager's default templates are: `dir` if given, else $NSMON_ALERTMANAGER_TEMPLATES,
/// else Debian's /usr/share/prometheus/alertmanager.
struct TemplateOptions {
  std::string defaults_dir;
};

/// The folder of default.tmpl that `options` designate.
std::string default_templates_dir(const TemplateOptions& options = {});

/// Reads the default templates and the config's `templates:` (globs relative to the config's
/// folder, matched with util::glob; no match is no file, as Alertmanager allows). A file that does
/// not parse is an `alertmanager/template` finding at its line in `diags` and is left out. Throws
/// core::Error for a file that matched but cannot be read.
Templates load_templates(const Config& cfg, std::vector<core::Diagnostic>& diags, const TemplateOptions& options = {});

/// Templates made from texts (tests; `defaults` stands for default.tmpl + email.tmpl).
Templates templates_from_text(const std::string& defaults, const std::vector<std::string>& files = {});

struct DispatchOptions {
  std::string external_url = "http://localhost:9093"; ///< --web.external-url (.ExternalURL)
};

/// An inhibit rule that mutes an alert, and the firing alerts that are its sources.
struct Inhibition {
  std::size_t rule = 0;             ///< index in Config::inhibit_rules
  core::Span span;                  ///< the rule in the file
  std::vector<std::size_t> sources; ///< indices of the input alerts
};

/// A time interval that mutes a route at `now`: one of its mute_time_intervals that is active, or
/// its active_time_intervals none of which is (then `interval` names them, comma-separated).
struct Mute {
  std::string interval;
  bool active_intervals = false; ///< the route's active_time_intervals are all inactive
};

/// One route an alert reaches and whether that route is muted now.
struct AlertRoute {
  RouteMatch match; ///< route (file:line in route->span, matchers in route->match_all), receiver, path
  std::optional<Mute> muted;
};

/// What happens to one input alert.
struct AlertOutcome {
  bool firing = true;
  std::string fingerprint; ///< %016x of the label set's FNV-1a fingerprint, as Alertmanager prints it
  std::vector<AlertRoute> routes;
  std::vector<Inhibition> inhibited; ///< empty: not inhibited
};

/// One templated field of a notifier config, rendered: its text or Go's error.
struct Field {
  std::string name; ///< "title", "text", "subject", "html", "body" (webhook), ...
  std::string text;
  std::optional<std::string> error; ///< the template's error, as Alertmanager would log it
  core::Span span;                  ///< where the template is written (empty: a default)
};

/// What one notifier config of the receiver would send for a group.
struct Notification {
  std::string integration; ///< "slack", "email", "webhook", ... (the config's key minus _configs)
  std::size_t index = 0;   ///< which of the receiver's configs of that kind
  bool send_resolved = false;
  std::vector<std::size_t> alerts; ///< the alerts it carries (not inhibited, resolved only if send_resolved)
  std::vector<Field> fields;
};

/// An aggregation group of one route.
struct Group {
  RouteMatch route;
  labels::Labels group_labels;
  std::string group_key;                   ///< route key ":" group labels, as the webhook's groupKey
  std::vector<std::size_t> alerts;         ///< every alert of the group, in Alertmanager's order
  std::optional<Mute> muted;               ///< the route is muted now: nothing is sent
  std::vector<Notification> notifications; ///< empty when muted or every alert is inhibited
};

struct Outcome {
  std::int64_t now_ms = 0;
  std::vector<AlertOutcome> alerts; ///< one per input alert, in input order
  std::vector<Group> groups;        ///< in route tree order, then by group key
};

/// Dispatches `alerts` through `cfg` at `now_ms` and renders every notification. `cfg` must have
/// a route (load_config's callers refuse a file without one).
Outcome dispatch(const Config& cfg, const Templates& templates, const std::vector<Alert>& alerts, std::int64_t now_ms,
                 const DispatchOptions& options = {});

/// The outcome as JSON for scripts (`--format json`): {"time", "alerts": [{labels, status,
/// fingerprint, routes: [{receiver, route: {file, line, matchers, path}, muted}], inhibited_by:
/// [{rule, file, line, sources}]}], "groups": [{receiver, route, group_key, group_labels, alerts,
/// muted, notifications: [{integration, index, alerts, fields: {name: {text|error, file, line}}}]}]};
/// file and line where the config writes the field's template (absent for a default); keys
/// sorted (nlohmann::json), alerts named by their index in the input.
nlohmann::json outcome_json(const Outcome& outcome, const std::vector<Alert>& alerts);

/// The outcome as lines for people: per alert its routes, mutes and inhibitions, then per group
/// its key, alerts and each notification's fields (multi-line texts indented).
std::vector<std::string> outcome_text(const Outcome& outcome, const std::vector<Alert>& alerts);

} // namespace nsmon::alertmanager
