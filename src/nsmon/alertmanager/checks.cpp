// The checks that need the whole file: names defined and used across receivers, routes and time
// intervals (Alertmanager's checkReceiver and checkTimeInterval), and receivers no route reaches.
#include "nsmon/core/checks.hpp"

#include <algorithm>
#include <set>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::alertmanager {

namespace {

// `what "name" ...`, with the nearest defined name as a suggestion.
core::Diagnostic undefined(core::CheckId check, const Text& ref, const std::string& what,
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

// Names defined twice: the second is the error, as Alertmanager reports it.
std::vector<std::string> unique_names(const std::vector<const Text*>& names, const std::string& what,
                                      std::vector<core::Diagnostic>& diags) {
  std::vector<std::string> out;
  for (const Text* n : names) {
    if (std::find(out.begin(), out.end(), n->value) != out.end())
      diags.push_back(
          core::make_diagnostic("alertmanager/duplicate-name", n->span, what + " \"" + n->value + "\" is not unique"));
    else out.push_back(n->value);
  }
  return out;
}

} // namespace

void check(const Config& cfg, std::vector<core::Diagnostic>& diags) {
  if (!cfg.loaded) return;
  std::vector<const Text*> receiver_names, interval_names;
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
  for (const auto& r : cfg.receivers)
    if (!used.count(r.name.value))
      diags.push_back(core::make_diagnostic("alertmanager/unused-receiver", r.name.span,
                                            "receiver \"" + r.name.value + "\" is not used by any route",
                                            "route alerts to it, or remove it"));
}

} // namespace nsmon::alertmanager
