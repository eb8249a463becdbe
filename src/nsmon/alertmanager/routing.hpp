#pragma once
// Where an alert goes: Alertmanager's routing tree walk (dispatch/route.go) and inhibition
// (inhibit/inhibit.go) over the typed model, for `nsmon routes test` and the checks that need it.
#include <cstdint>
#include <string>
#include <vector>

#include "nsmon/alertmanager/config.hpp"

namespace nsmon::alertmanager {

/// True when every matcher holds for an alert's `labels` (an absent label matches as the empty
/// value, regexes anchored, as Alertmanager compiles them).
bool matches(const std::vector<Matcher>& matchers, const labels::Labels& labels);

/// One route an alert reaches, with the receiver in effect there (inherited from the parents when
/// the route names none) and its place in the tree (child indices from the root).
struct RouteMatch {
  const Route* route = nullptr;
  std::string receiver;
  std::vector<std::size_t> path;
};

/// The routes an alert reaches, in tree order: a route matches when its matchers hold; its
/// children are tried in order and the first one that matches stops the search unless it has
/// `continue: true`; a route none of whose children matched is itself the match. The root route
/// matches every alert.
std::vector<RouteMatch> route_alert(const Route& root, const labels::Labels& labels);

/// The indices of the inhibit rules that mute `target` while the alerts of `firing` fire: the
/// target matches the rule's target matchers, some firing alert matches its source matchers, and
/// both have the same value for every label of `equal` (absent counts as the same empty value).
/// When the target matches the source side too, source alerts that also match the target side
/// do not count (an alert never inhibits itself).
std::vector<std::size_t> inhibited_by(const Config& cfg, const labels::Labels& target,
                                      const std::vector<labels::Labels>& firing);

/// What inhibited_by finds, with the sources: each inhibit rule that mutes `target` and the
/// indices in `firing` of the alerts that inhibit it.
struct InhibitMatch {
  std::size_t rule = 0;
  std::vector<std::size_t> sources;
};
std::vector<InhibitMatch> inhibitions(const Config& cfg, const labels::Labels& target,
                                      const std::vector<labels::Labels>& firing);

/// What a route has in effect: its own receiver, group_by and timings, else its parent's, as
/// dispatch/route.go's NewRoute inherits them; the defaults here are Alertmanager's for the root.
struct RouteOptions {
  std::string receiver;
  std::vector<std::string> group_by;
  bool group_by_all = false; ///< group_by: ['...']
  std::int64_t group_wait_ms = 30'000, group_interval_ms = 300'000, repeat_interval_ms = 4 * 3'600'000;
};
/// The options of `r`, a child of a route whose options are `parent` (the root: a default one).
RouteOptions inherit(const RouteOptions& parent, const Route& r);

/// A matcher as Alertmanager prints it: name="value", name=~"regex", ...
std::string to_string(const Matcher& m);

} // namespace nsmon::alertmanager
