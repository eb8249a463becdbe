// The checks that need the whole file: names defined and used across receivers, routes and time
// intervals (Alertmanager's checkReceiver and checkTimeInterval), and receivers no route reaches.
#include "nsmon/lint/alertmanager_checks.hpp"

#include <algorithm>
#include <set>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {

using alertmanager::Config;
using alertmanager::InhibitRule;
using alertmanager::Receiver;
using alertmanager::Route;
using labels::Matcher;
using labels::MatchOp;

// `what "name" ...`, with the nearest defined name as a suggestion.
core::Diagnostic undefined(core::CheckId check, const core::Located& ref, const std::string& what,
                           const std::vector<std::string>& defined) {
  std::string hint = util::did_you_mean(ref.value, defined);
  return core::make_diagnostic(check, ref.span, "undefined " + what + " \"" + ref.value + "\" used in route",
                               hint.empty() ? std::string() : "did you mean \"" + hint + "\"?");
}

void walk(const Route& r, const std::vector<std::string>& receivers, const std::vector<std::string>& intervals,
          std::set<std::string>& used, std::vector<core::Diagnostic>& diags) {
  if (r.receiver) {
    used.insert(r.receiver->value);
    if (std::find(receivers.begin(), receivers.end(), r.receiver->value) == receivers.end() &&
        !r.receiver->value.empty())
      diags.push_back(undefined("alertmanager/undefined-receiver", *r.receiver, "receiver", receivers));
  }
  for (const auto* list : {&r.mute_time_intervals, &r.active_time_intervals})
    for (const auto& t : *list)
      if (std::find(intervals.begin(), intervals.end(), t.value) == intervals.end())
        diags.push_back(undefined("alertmanager/undefined-time-interval", t, "time interval", intervals));
  for (const auto& c : r.routes) walk(c, receivers, intervals, used, diags);
}

// Intervals as Alertmanager applies them (a route inherits what it does not set; the defaults are
// dispatch/route.go's): a notification repeats on a group_interval tick, so a repeat_interval
// shorter than group_interval is really group_interval. And `continue` on the last of its siblings
// has no later sibling to continue to.
void intervals(const Route& r, std::int64_t group_interval, std::int64_t repeat_interval, bool last,
               std::vector<core::Diagnostic>& diags) {
  group_interval = r.group_interval_ms.value_or(group_interval);
  repeat_interval = r.repeat_interval_ms.value_or(repeat_interval);
  if ((r.group_interval_ms || r.repeat_interval_ms) && repeat_interval > 0 && repeat_interval < group_interval)
    diags.push_back(core::make_diagnostic(
        "alertmanager/repeat-interval", r.span,
        "repeat_interval " + text::format_duration(repeat_interval) + " is shorter than group_interval " +
            text::format_duration(group_interval) +
            ": Alertmanager repeats a notification only on a group_interval tick, so it repeats every " +
            text::format_duration(group_interval),
        "a repeat_interval of several group_intervals (hours, for most alerts)"));
  if (last && r.continue_)
    diags.push_back(core::make_diagnostic("alertmanager/continue-last-route", r.span,
                                          "continue: true on the last route of its level does nothing: there is no "
                                          "later sibling to continue to",
                                          "remove it, or add the route it was meant to continue to after this one"));
  for (std::size_t i = 0; i < r.routes.size(); ++i)
    intervals(r.routes[i], group_interval, repeat_interval, i + 1 == r.routes.size(), diags);
}

// .GroupLabels.x in a receiver's template is empty in the notifications of a route that does not
// group by x: each route (a parent gets the alerts no child takes) with the receiver and group_by
// it has or inherits (dispatch/route.go).
void group_labels(const Route& r, const std::string& receiver, const std::vector<core::Located>& group_by,
                  const std::vector<Receiver>& receivers, std::set<std::pair<std::string, std::string>>& said,
                  std::vector<core::Diagnostic>& diags) {
  const std::string& rcv = r.receiver && !r.receiver->value.empty() ? r.receiver->value : receiver;
  const std::vector<core::Located>& by = r.group_by.empty() ? group_by : r.group_by;
  auto grouped = [&](const std::string& label) {
    return std::any_of(by.begin(), by.end(),
                       [&](const core::Located& t) { return t.value == label || t.value == "..."; });
  };
  std::vector<std::string> names;
  for (const auto& t : by) names.push_back(t.value);
  for (const auto& rec : receivers)
    if (rec.name.value == rcv)
      for (const auto& ref : rec.group_labels)
        if (!grouped(ref.value) && said.emplace(rcv, ref.value).second)
          diags.push_back(core::make_diagnostic(
              "alertmanager/group-label-absent", ref.span,
              "receiver \"" + rcv + "\" reads .GroupLabels." + ref.value + ", but the route at line " +
                  std::to_string(r.span.line) + " sends to it grouped by (" + util::join(names, ", ") +
                  "): it is empty there",
              "add " + ref.value + " to that route's group_by, or read .CommonLabels." + ref.value));
  for (const auto& c : r.routes) group_labels(c, rcv, by, receivers, said, diags);
}

// An inhibit rule whose targets are more severe than its sources: while a warning fires, the
// critical alert of the same group is muted, the opposite of the usual intent.
void inverted(const InhibitRule& rule, std::vector<core::Diagnostic>& diags) {
  auto rank = [](const std::vector<Matcher>& ms) {
    static const std::vector<std::pair<std::string_view, int>> ranks = {{"info", 1},  {"ticket", 1},   {"warning", 2},
                                                                        {"error", 3}, {"critical", 4}, {"page", 4}};
    for (const auto& m : ms)
      if (m.name == "severity" && m.op == MatchOp::equal)
        for (const auto& [name, level] : ranks)
          if (m.value == name) return std::pair{level, m.value};
    return std::pair{0, std::string()};
  };
  auto [s, source] = rank(rule.source);
  auto [t, target] = rank(rule.target);
  if (s > 0 && t > s)
    diags.push_back(core::make_diagnostic("alertmanager/inhibit-inverted", rule.span,
                                          "this inhibit rule mutes severity=\"" + target +
                                              "\" alerts while a severity=\"" + source +
                                              "\" alert fires: the more severe alert is the one silenced",
                                          "swap the source and target matchers"));
}

// Names defined twice: the second is the error, as Alertmanager reports it.
std::vector<std::string> unique_names(const std::vector<const core::Located*>& names, const std::string& what,
                                      std::vector<core::Diagnostic>& diags) {
  std::vector<std::string> out;
  for (const core::Located* n : names) {
    if (std::find(out.begin(), out.end(), n->value) != out.end())
      diags.push_back(
          core::make_diagnostic("alertmanager/duplicate-name", n->span, what + " \"" + n->value + "\" is not unique"));
    else out.push_back(n->value);
  }
  return out;
}

} // namespace

void check_alertmanager(const alertmanager::Config& cfg, std::vector<core::Diagnostic>& diags) {
  if (!cfg.loaded) return;
  std::vector<const core::Located*> receiver_names, interval_names;
  for (const auto& r : cfg.receivers) receiver_names.push_back(&r.name);
  for (const auto& t : cfg.time_intervals) interval_names.push_back(&t);
  auto receivers = unique_names(receiver_names, "notification config name", diags);
  auto intervals = unique_names(interval_names, "time interval", diags);
  if (!cfg.route) {
    if (!cfg.route_given)
      diags.push_back(core::make_diagnostic("alertmanager/missing-field", cfg.route_key, "no route provided in config",
                                            "a route: with at least a receiver for every alert"));
    return;
  }
  std::set<std::string> used;
  walk(*cfg.route, receivers, intervals, used, diags);
  constexpr std::int64_t kGroupInterval = 5 * 60 * 1000, kRepeatInterval = 4 * 3600 * 1000;
  lint::intervals(*cfg.route, kGroupInterval, kRepeatInterval, false, diags);
  std::set<std::pair<std::string, std::string>> said;
  group_labels(*cfg.route, "", {}, cfg.receivers, said, diags);
  for (const auto& rule : cfg.inhibit_rules) inverted(rule, diags);
  for (const auto& r : cfg.receivers)
    if (!used.count(r.name.value))
      diags.push_back(core::make_diagnostic("alertmanager/unused-receiver", r.name.span,
                                            "receiver \"" + r.name.value + "\" is not used by any route",
                                            "route alerts to it, or remove it"));
}

} // namespace nsmon::lint
